"""The app's workspace sits in the desk beside ERPNext's: in the sidebar of the app's roles only.
A desk user of the ERP without an app role sees nothing of it (Workspace roles)."""

import frappe
from frappe.desk.desktop import get_workspace_sidebar_items
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.tests.utils import make_tree, make_user, set_secretary

WORKSPACE = "Dangjian"
OTHER_ROLE = "Dangjian Test ERP Clerk"


class TestWorkspace(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_tree("WS")
		if not frappe.db.exists("Role", OTHER_ROLE):
			frappe.get_doc({"doctype": "Role", "role_name": OTHER_ROLE, "desk_access": 1}).insert()

	def sidebar(self, user: str) -> set[str]:
		with self.set_user(user):
			pages = get_workspace_sidebar_items()["pages"]
		self.assertTrue(pages, f"{user} sees no workspace at all: nothing was checked")
		return {page.name for page in pages}

	def test_the_workspace_is_for_the_app_roles(self):
		roles = {row.role for row in frappe.get_doc("Workspace", WORKSPACE).roles}
		self.assertEqual(roles, set(scope.APP_ROLES))

	def test_an_erp_user_without_an_app_role_does_not_see_it(self):
		clerk = make_user("ws-erp-clerk", roles=(OTHER_ROLE,))
		self.assertNotIn(WORKSPACE, self.sidebar(clerk))
		secretary = make_user("ws-secretary")
		set_secretary(self.tree.branch_a1, secretary)
		self.assertIn(WORKSPACE, self.sidebar(secretary))
