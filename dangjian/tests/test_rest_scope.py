"""Scope through Frappe's REST API, as real users authenticating with API keys. The request
runs on its own database connection, so this class commits its records and removes them
afterwards."""

import frappe
from frappe.tests.test_api import FrappeAPITestCase, make_request

from dangjian import scope
from dangjian.tests.utils import add_member, api_token, make_tree, make_user, set_secretary

PREFIX = "RS"


class TestRESTScope(FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cleanup()
		cls.tree = make_tree(PREFIX)
		cls.secretary = make_user("rs-secretary")
		cls.approver = make_user("rs-approver")
		cls.no_scope = make_user("rs-no-scope", roles=(scope.ROLE_APPROVER,))
		set_secretary(cls.tree.branch_a1, cls.secretary)
		add_member(cls.tree.unit_a, cls.approver, "Approver")
		cls.secretary_b = make_user("rs-secretary-b")
		set_secretary(cls.tree.branch_b1, cls.secretary_b)
		from dangjian.tests.utils import make_project

		cls.project_a = make_project(cls.tree.branch_a1).name
		cls.project_b = make_project(cls.tree.branch_b1).name
		cls.tokens = {
			user: api_token(user) for user in (cls.secretary, cls.approver, cls.no_scope, cls.secretary_b)
		}
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		cleanup()
		frappe.db.commit()
		super().tearDownClass()

	def call(self, user, path, params=None):
		return make_request(
			target=self.TEST_CLIENT.get,
			args=(path,),
			kwargs={"query_string": params or {}, "headers": {"Authorization": self.tokens[user]}},
		)

	def list_names(self, user):
		response = self.call(
			user, self.resource("Party Organization"), {"limit_page_length": 0, "fields": '["name"]'}
		)
		self.assertEqual(response.status_code, 200, response.text)
		return {row["name"] for row in response.json["data"] if row["name"].startswith(PREFIX)}

	def test_secretary_lists_only_their_branch(self):
		self.assertEqual(self.list_names(self.secretary), {self.tree.branch_a1})

	def test_secretary_cannot_read_another_branch_by_name(self):
		ok = self.call(self.secretary, self.resource("Party Organization", self.tree.branch_a1))
		self.assertEqual(ok.status_code, 200)
		denied = self.call(self.secretary, self.resource("Party Organization", self.tree.branch_b1))
		self.assertEqual(denied.status_code, 403)
		self.assertNotIn(self.tree.branch_b1 + " 组织", denied.text)

	def test_secretary_cannot_reach_another_branch_by_filter(self):
		response = self.call(
			self.secretary,
			self.resource("Party Organization"),
			{
				"filters": frappe.as_json({"parent_party_organization": self.tree.unit_b}),
				"fields": '["name"]',
			},
		)
		self.assertEqual(response.status_code, 200)
		self.assertEqual(response.json["data"], [])

	def test_approver_lists_the_unit_subtree(self):
		self.assertEqual(
			self.list_names(self.approver),
			{self.tree.unit_a, self.tree.general, self.tree.branch_a1, self.tree.branch_a2},
		)

	def test_app_role_without_scope_gets_nothing(self):
		self.assertEqual(self.list_names(self.no_scope), set())
		denied = self.call(self.no_scope, self.resource("Party Organization", self.tree.branch_a1))
		self.assertEqual(denied.status_code, 403)

	def test_project_scope_by_list_name_and_filter(self):
		response = self.call(
			self.secretary, self.resource("Dangjian Project"), {"fields": '["name"]', "limit_page_length": 0}
		)
		names = {row["name"] for row in response.json["data"]}
		self.assertIn(self.project_a, names)
		self.assertNotIn(self.project_b, names)
		self.assertEqual(
			self.call(self.secretary, self.resource("Dangjian Project", self.project_b)).status_code, 403
		)
		response = self.call(
			self.secretary,
			self.resource("Dangjian Project"),
			{"filters": frappe.as_json({"branch": self.tree.branch_b1}), "fields": '["name"]'},
		)
		self.assertEqual(response.json["data"], [])
		self.assertEqual(
			self.call(self.no_scope, self.resource("Dangjian Project"), {"fields": '["name"]'}).json["data"],
			[],
		)

	def test_another_branchs_record_cannot_be_taken_into_ones_own(self):
		# Frappe checks a save against the record as changed: secretary B sets A's draft project
		# to their own branch, which they could then read; refused, and nothing changed
		response = make_request(
			target=self.TEST_CLIENT.put,
			args=(self.resource("Dangjian Project", self.project_a),),
			kwargs={
				"data": frappe.as_json({"branch": self.tree.branch_b1, "project_name": "RS 挪走"}),
				"headers": {
					"Authorization": self.tokens[self.secretary_b],
					"Content-Type": "application/json",
				},
			},
		)
		self.assertEqual(response.status_code, 403, response.text)
		frappe.db.rollback()
		stored = frappe.db.get_value("Dangjian Project", self.project_a, ["branch", "project_name"])
		self.assertEqual(stored[0], self.tree.branch_a1)
		self.assertNotEqual(stored[1], "RS 挪走")
		# their own project they still change
		response = make_request(
			target=self.TEST_CLIENT.put,
			args=(self.resource("Dangjian Project", self.project_b),),
			kwargs={
				"data": frappe.as_json({"project_name": "RS 本支部项目"}),
				"headers": {
					"Authorization": self.tokens[self.secretary_b],
					"Content-Type": "application/json",
				},
			},
		)
		self.assertEqual(response.status_code, 200, response.text)


def cleanup():
	for name in frappe.get_all("Dangjian Project", filters={"branch": ("like", f"{PREFIX}%")}, pluck="name"):
		frappe.delete_doc("Dangjian Project", name, ignore_permissions=True, force=True)
	orgs = frappe.get_all(
		"Party Organization",
		filters={"name": ("like", f"{PREFIX}%")},
		fields=["name", "lft"],
		order_by="lft desc",
	)
	for org in orgs:
		frappe.delete_doc("Party Organization", org.name, ignore_permissions=True, force=True)
	# The users stay (make_user takes them again): Frappe makes a new site's first system user a
	# System Manager and refuses to delete a user while no other System Manager exists, which
	# depends on what ran before. Their positions went with the organizations.
