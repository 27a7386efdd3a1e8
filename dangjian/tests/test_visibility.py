"""Honour lists that point above a user's scope, private files of app records, and saving without
child-table gap locks (dangjian.visibility, dangjian.controllers.concurrency)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.tests.utils import add_member, make_file, make_project, make_tree, make_user, set_secretary

PREFIX = "VS"


def honour(doctype: str, name: str, **fields):
	"""A bare honour-list record: visibility depends only on its organization link."""
	doc = frappe.get_doc({"doctype": doctype, "name": name, "year": 2026, **fields})
	doc.db_insert()
	return name


class TestVisibility(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_tree(PREFIX)
		cls.secretary_a = make_user("vs-sec-a")
		cls.secretary_b = make_user("vs-sec-b")
		cls.approver_a = make_user("vs-appr-a")
		cls.approver_b = make_user("vs-appr-b")
		cls.no_scope = make_user("vs-no-scope", roles=(scope.ROLE_APPROVER,))
		set_secretary(cls.tree.branch_a1, cls.secretary_a)
		set_secretary(cls.tree.branch_b1, cls.secretary_b)
		add_member(cls.tree.unit_a, cls.approver_a, "Approver")
		add_member(cls.tree.unit_b, cls.approver_b, "Approver")
		common = {"title": "表彰", "document_number": "党委〔2026〕1号", "document_date": "2026-12-01"}
		cls.commendation_a = honour("Dangjian Commendation", "VS-DJBZ-A", unit=cls.tree.unit_a, **common)
		cls.commendation_b = honour("Dangjian Commendation", "VS-DJBZ-B", unit=cls.tree.unit_b, **common)
		cls.top_ten = honour("Dangjian Top Ten Selection", "VS-DJSJ", company=cls.tree.company)

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, user: str, doctype: str) -> set[str]:
		with self.set_user(user):
			return set(frappe.get_list(doctype, filters={"name": ("like", "VS-%")}, pluck="name"))

	def can_read(self, user: str, doctype: str, name: str) -> bool:
		return bool(frappe.has_permission(doctype, "read", frappe.get_doc(doctype, name), user=user))

	def test_branch_secretary_sees_own_units_commendation_only(self):
		self.assertEqual(self.visible(self.secretary_a, "Dangjian Commendation"), {self.commendation_a})
		self.assertTrue(self.can_read(self.secretary_a, "Dangjian Commendation", self.commendation_a))
		self.assertFalse(self.can_read(self.secretary_a, "Dangjian Commendation", self.commendation_b))
		self.assertEqual(self.visible(self.secretary_b, "Dangjian Commendation"), {self.commendation_b})

	def test_unit_approver_sees_own_units_commendation_only(self):
		self.assertEqual(self.visible(self.approver_b, "Dangjian Commendation"), {self.commendation_b})
		self.assertFalse(self.can_read(self.approver_b, "Dangjian Commendation", self.commendation_a))

	def test_unit_users_see_their_companys_top_ten(self):
		for user in (self.approver_a, self.approver_b):
			self.assertEqual(self.visible(user, "Dangjian Top Ten Selection"), {self.top_ten})
			self.assertTrue(self.can_read(user, "Dangjian Top Ten Selection", self.top_ten))

	def test_no_scope_sees_no_honour_list(self):
		self.assertEqual(self.visible(self.no_scope, "Dangjian Top Ten Selection"), set())
		self.assertFalse(self.can_read(self.no_scope, "Dangjian Top Ten Selection", self.top_ten))

	def test_private_file_of_a_project_listed_only_in_scope(self):
		project_a = make_project(self.tree.branch_a1).name
		url = make_file("vs-evidence.txt", "仅本支部可见".encode(), is_private=1)
		file = frappe.get_doc("File", {"file_url": url})
		file.db_set({"attached_to_doctype": "Dangjian Project", "attached_to_name": project_a})
		public = make_file("vs-public.txt", "公开".encode(), is_private=0)

		def listed(user):
			frappe.set_user(user)
			try:
				return set(
					frappe.get_list("File", filters={"file_url": ("in", [url, public])}, pluck="file_url")
				)
			finally:
				frappe.set_user("Administrator")

		self.assertEqual(listed(self.secretary_a), {url, public})
		self.assertEqual(listed(self.approver_a), {url, public})
		self.assertEqual(listed(self.secretary_b), {public})
		self.assertEqual(listed(self.approver_b), {public})


class TestChildRowsByName(FrappeTestCase):
	def test_save_keeps_updates_and_deletes_child_rows(self):
		tree = make_tree(PREFIX)
		project = frappe.get_doc("Dangjian Project", make_project(tree.branch_a1).name)
		project.append("team", {"member_name": "李四", "title": "党员", "team_role": "Member"})
		project.save()
		project = frappe.get_doc("Dangjian Project", project.name)
		names = [row.member_name for row in project.team]
		self.assertIn("李四", names)
		project.team = [row for row in project.team if row.member_name != "李四"]
		project.team[0].responsibility = "统筹协调"
		project.save()
		stored = frappe.get_all(
			"Dangjian Project Team Member",
			filters={"parent": project.name},
			fields=["member_name", "responsibility"],
			order_by="idx",
		)
		self.assertNotIn("李四", [row.member_name for row in stored])
		self.assertEqual(len(stored), len(names) - 1)
		self.assertEqual(stored[0].responsibility, "统筹协调")
