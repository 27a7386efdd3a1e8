import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.tests.utils import add_member, make_tree, make_user, set_secretary, user_permissions


class TestScope(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_tree("SC")
		cls.secretary_a = make_user("sc-secretary-a")
		cls.secretary_b = make_user("sc-secretary-b")
		cls.approver_a = make_user("sc-approver-a")
		cls.member = make_user("sc-member")
		cls.no_scope = make_user("sc-no-scope", roles=(scope.ROLE_BRANCH_SECRETARY,))
		set_secretary(cls.tree.branch_a1, cls.secretary_a)
		set_secretary(cls.tree.branch_b1, cls.secretary_b)
		add_member(cls.tree.unit_a, cls.approver_a, "Approver")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_secretary_gets_role_and_branch_permission(self):
		self.assertIn(scope.ROLE_BRANCH_SECRETARY, frappe.get_roles(self.secretary_a))
		self.assertEqual(user_permissions(self.secretary_a), {self.tree.branch_a1})

	def test_approver_sees_the_unit_subtree_only(self):
		self.assertIn(scope.ROLE_APPROVER, frappe.get_roles(self.approver_a))
		allowed = set(scope.allowed_organizations(self.approver_a))
		self.assertLessEqual(
			{self.tree.unit_a, self.tree.general, self.tree.branch_a1, self.tree.branch_a2}, allowed
		)
		self.assertFalse(allowed & {self.tree.company, self.tree.unit_b, self.tree.branch_b1})
		frappe.set_user(self.approver_a)
		visible = set(frappe.get_list("Party Organization", pluck="name"))
		self.assertEqual(visible, allowed)

	def test_scope_condition_with_and_without_the_span_selects_the_same(self):
		"""The SQL scope of the reports: the span of the user's subtrees first (a narrow scope),
		or the exact test alone (a scope wider than SPAN_UP_TO): the same organisations, which
		are Frappe's own list of the user's."""
		from unittest.mock import patch

		def selected(user):
			condition, params = scope.scope_condition("o", user)
			names = frappe.db.sql(
				f"select o.name from `tabParty Organization` o where {condition}", params, pluck=True
			)
			return condition, set(names)

		for user in (self.secretary_a, self.approver_a, self.no_scope):
			narrow, names = selected(user)
			with patch.object(scope, "SPAN_UP_TO", -1):
				wide, wide_names = selected(user)
			self.assertIn("between", narrow)
			self.assertNotIn("between", wide)
			self.assertEqual(names, wide_names, user)
			self.assertEqual(names, set(scope.allowed_organizations(user)), user)
		self.assertTrue(selected(self.approver_a)[1])

	def test_secretary_lists_and_reads_only_their_branch(self):
		frappe.set_user(self.secretary_a)
		self.assertEqual(frappe.get_list("Party Organization", pluck="name"), [self.tree.branch_a1])
		self.assertTrue(frappe.has_permission("Party Organization", doc=self.tree.branch_a1))
		self.assertFalse(frappe.has_permission("Party Organization", doc=self.tree.branch_b1))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Party Organization", self.tree.branch_b1).check_permission("read")

	def test_app_role_without_scope_sees_nothing(self):
		frappe.set_user(self.no_scope)
		self.assertEqual(frappe.get_list("Party Organization", pluck="name"), [])
		self.assertFalse(frappe.has_permission("Party Organization", doc=self.tree.branch_a1))

	def test_app_role_without_scope_sees_no_document_of_any_app_doctype(self):
		from dangjian.tests.utils import make_project

		project = make_project(self.tree.branch_a1)
		user = make_user(
			"sc-no-scope-all",
			roles=(
				scope.ROLE_APPROVER,
				scope.ROLE_PARTY_COMMITTEE,
				scope.ROLE_ADMINISTRATOR,
				scope.ROLE_EVALUATOR,
			),
		)
		frappe.set_user(user)
		hooks = frappe.get_hooks("permission_query_conditions")
		for doctype in frappe.get_all(
			"DocType", filters={"module": "Dangjian", "istable": 0, "issingle": 0}, pluck="name"
		):
			self.assertIn(doctype, hooks, f"{doctype} has no scope hook")
			self.assertEqual(frappe.get_list(doctype, pluck="name"), [], doctype)
		self.assertFalse(frappe.has_permission("Dangjian Project", doc=project.name))

	def test_new_branch_under_a_unit_is_in_the_approvers_scope_at_once(self):
		# the cached descendants of the approver's unit must be cleared when the tree changes
		self.assertNotIn("SCUA-B9", scope.allowed_organizations(self.approver_a))
		frappe.get_doc(
			{
				"doctype": "Party Organization",
				"org_code": "SCUA-B9",
				"organization_name": "新支部",
				"organization_type": "Branch",
				"parent_party_organization": self.tree.unit_a,
			}
		).insert(ignore_permissions=True)
		self.assertIn("SCUA-B9", scope.allowed_organizations(self.approver_a))

	def test_removing_a_position_revokes_permission_and_role(self):
		user = make_user("sc-temp-member")
		add_member(self.tree.branch_a2, user, "Member")
		self.assertEqual(user_permissions(user), {self.tree.branch_a2})
		self.assertIn(scope.ROLE_BRANCH_MEMBER, frappe.get_roles(user))
		# a second position keeps the role when the first goes
		add_member(self.tree.branch_b1, user, "Member")
		doc = frappe.get_doc("Party Organization", self.tree.branch_a2)
		doc.set("members", [row for row in doc.members if row.user != user])
		doc.save(ignore_permissions=True)
		self.assertEqual(user_permissions(user), {self.tree.branch_b1})
		self.assertIn(scope.ROLE_BRANCH_MEMBER, frappe.get_roles(user))
		doc = frappe.get_doc("Party Organization", self.tree.branch_b1)
		doc.set("members", [row for row in doc.members if row.user != user])
		doc.save(ignore_permissions=True)
		self.assertEqual(user_permissions(user), set())
		self.assertNotIn(scope.ROLE_BRANCH_MEMBER, frappe.get_roles(user))

	def test_changing_the_secretary_moves_the_scope(self):
		old, new = make_user("sc-old-sec"), make_user("sc-new-sec")
		set_secretary(self.tree.branch_a2, old)
		set_secretary(self.tree.branch_a2, new)
		self.assertEqual(user_permissions(old), set())
		self.assertNotIn(scope.ROLE_BRANCH_SECRETARY, frappe.get_roles(old))
		self.assertEqual(user_permissions(new), {self.tree.branch_a2})

	def test_secretary_cannot_reparent_or_retype_their_branch(self):
		with self.set_user(self.secretary_a):
			doc = frappe.get_doc("Party Organization", self.tree.branch_a1)
			doc.organization_name = "改名"
			with self.assertRaises(frappe.PermissionError) as caught:
				doc.save()
			self.assertIn("Organization Name", str(caught.exception))
		self.assertNotEqual(
			frappe.db.get_value("Party Organization", self.tree.branch_a1, "organization_name"), "改名"
		)

	def test_secretary_can_maintain_their_members(self):
		with self.set_user(self.secretary_a):
			doc = frappe.get_doc("Party Organization", self.tree.branch_a1)
			doc.append("members", {"member_name": "新党员", "title": "职员", "duty": "Member"})
			doc.save()
		self.assertIn(
			"新党员",
			[row.member_name for row in frappe.get_doc("Party Organization", self.tree.branch_a1).members],
		)

	def test_approver_cannot_create_outside_their_unit(self):
		with self.set_user(self.approver_a):
			doc = frappe.get_doc(
				{
					"doctype": "Party Organization",
					"org_code": "SCUB-B9",
					"organization_name": "越权支部",
					"organization_type": "Branch",
					"parent_party_organization": self.tree.unit_b,
				}
			)
			with self.assertRaises(frappe.PermissionError):
				doc.insert()
		self.assertFalse(frappe.db.exists("Party Organization", "SCUB-B9"))

	def test_approver_can_create_a_branch_in_their_unit(self):
		frappe.set_user(self.approver_a)
		frappe.get_doc(
			{
				"doctype": "Party Organization",
				"org_code": "SCUA-B8",
				"organization_name": "新建支部",
				"organization_type": "Branch",
				"parent_party_organization": self.tree.unit_a,
			}
		).insert()
		self.assertEqual(
			frappe.db.get_value("Party Organization", "SCUA-B8", "approving_organization"), self.tree.unit_a
		)

	def test_tree_view_shows_the_users_topmost_organizations(self):
		from dangjian.dangjian.doctype.party_organization.party_organization import get_children

		frappe.set_user(self.approver_a)
		roots = [row.value for row in get_children("Party Organization", is_root=True)]
		self.assertEqual(roots, [self.tree.unit_a])
		frappe.set_user(self.no_scope)
		self.assertEqual(get_children("Party Organization", is_root=True), [])
