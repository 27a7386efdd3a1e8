"""ERP user management: a Role Profile resets a user's roles on every save, a Module Profile their
blocked modules. The roles and the module an organization position gives hold through both
(dangjian.scope.keep_position_roles); the User Permission is untouched by either."""

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.tests.utils import make_tree, make_user, set_secretary, user_permissions

PROFILE_ROLE = "Dangjian Test Profile Role"


class TestRoleProfiles(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_tree("RP")
		if not frappe.db.exists("Role", PROFILE_ROLE):
			frappe.get_doc({"doctype": "Role", "role_name": PROFILE_ROLE, "desk_access": 1}).insert()
		cls.role_profile = frappe.get_doc(
			{"doctype": "Role Profile", "role_profile": "RP Clerks", "roles": [{"role": PROFILE_ROLE}]}
		).insert()
		cls.module_profile = frappe.get_doc(
			{
				"doctype": "Module Profile",
				"module_profile_name": "RP Clerks",
				"block_modules": [{"module": scope.APP_MODULE}, {"module": "Website"}],
			}
		).insert()

	def profiled_user(self, login: str) -> str:
		user = make_user(login)
		doc = frappe.get_doc("User", user)
		doc.role_profile_name = self.role_profile.name
		doc.module_profile = self.module_profile.name
		doc.save()
		self.assertEqual(set(frappe.get_roles(user)) & set(scope.APP_ROLES), set())
		return user

	def saved_again(self, user: str) -> frappe._dict:
		doc = frappe.get_doc("User", user)
		doc.save()
		doc.reload()
		return frappe._dict(
			roles={row.role for row in doc.roles}, blocked={row.module for row in doc.block_modules}
		)

	def test_a_secretary_with_a_role_profile_keeps_the_role_after_saving(self):
		user = self.profiled_user("rp-secretary")
		set_secretary(self.tree.branch_a1, user)
		self.assertIn(scope.ROLE_BRANCH_SECRETARY, frappe.get_roles(user))

		after = self.saved_again(user)
		self.assertIn(scope.ROLE_BRANCH_SECRETARY, after.roles)
		self.assertIn(PROFILE_ROLE, after.roles)  # the profile's roles are there too
		self.assertNotIn(scope.APP_MODULE, after.blocked)  # the app's module is not blocked
		self.assertIn("Website", after.blocked)  # the rest of the module profile holds
		self.assertEqual(user_permissions(user), {self.tree.branch_a1})

		# without the position, the next save leaves the profile's roles only
		set_secretary(self.tree.branch_a1, None)
		after = self.saved_again(user)
		self.assertNotIn(scope.ROLE_BRANCH_SECRETARY, after.roles)
		self.assertIn(PROFILE_ROLE, after.roles)
		self.assertEqual(user_permissions(user), set())

	def test_an_app_role_given_by_hand_to_a_profiled_user_goes_as_frappe_means(self):
		user = self.profiled_user("rp-by-hand")
		doc = frappe.get_doc("User", user)
		doc.append_roles(scope.ROLE_APPROVER)
		doc.save()
		doc.reload()
		self.assertNotIn(scope.ROLE_APPROVER, {row.role for row in doc.roles})
		self.assertIn(scope.APP_MODULE, {row.module for row in doc.block_modules})

	def test_users_without_a_profile_are_left_as_they_are(self):
		user = make_user("rp-plain")
		set_secretary(self.tree.branch_b1, user)
		before = {row.role for row in frappe.get_doc("User", user).roles}
		self.assertIn(scope.ROLE_BRANCH_SECRETARY, before)
		self.assertEqual(self.saved_again(user).roles, before)
