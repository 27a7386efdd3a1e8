import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.setup import install
from dangjian.setup.data_import import DATA_IMPORT, IMPORT_ROLES, perm_rows
from dangjian.tests.utils import add_member, make_tree, make_user


class TestInstall(FrappeTestCase):
	def test_roles_exist_with_desk_access(self):
		for role in scope.APP_ROLES:
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), 1, role)

	def test_after_install_is_idempotent(self):
		settings_before = frappe.get_single("Dangjian Settings").as_dict()
		install.after_install()
		install.after_install()
		self.assertEqual(frappe.db.count("Role", {"name": ("in", scope.APP_ROLES)}), len(scope.APP_ROLES))
		settings_after = frappe.get_single("Dangjian Settings").as_dict()
		self.assertEqual(settings_after.cutoff_5_star, settings_before.cutoff_5_star)

	def test_after_install_keeps_an_administrators_settings(self):
		frappe.db.set_single_value("Dangjian Settings", "quarterly_report_due_days", 15)
		install.after_install()
		self.assertEqual(frappe.db.get_single_value("Dangjian Settings", "quarterly_report_due_days"), 15)

	def test_names_do_not_clash_with_erpnext_or_hrms(self):
		# ERPNext has Project, Projects Settings, Projects Manager...; HRMS has Appraisal
		ours = set(frappe.get_all("DocType", filters={"module": "Dangjian"}, pluck="name"))
		self.assertTrue(ours)
		for name in ours:
			self.assertTrue(name.startswith(("Dangjian ", "Party Organization")), name)
		for role in scope.APP_ROLES:
			self.assertTrue(role.startswith("Dangjian "), role)

	def test_before_uninstall_removes_scope_and_roles_but_not_users(self):
		tree = make_tree("UN")
		user = make_user("un-member")
		add_member(tree.branch_a1, user, "Member")
		self.assertTrue(frappe.db.exists("User Permission", {"user": user, "allow": scope.ORG}))
		install.before_uninstall()
		self.assertFalse(frappe.db.exists("User Permission", {"allow": scope.ORG}))
		self.assertFalse(frappe.db.exists("Role", {"name": ("in", scope.APP_ROLES)}))
		self.assertFalse(frappe.db.exists("Has Role", {"role": ("in", scope.APP_ROLES)}))
		self.assertTrue(frappe.db.exists("User", user))
		# the notifications on the app's doctypes go with them
		self.assertFalse(
			frappe.db.exists(
				"Notification", {"document_type": ("in", ["Dangjian Project", "Dangjian Quarterly Report"])}
			)
		)
		# and the experience library's entry in the website menu
		self.assertNotIn(
			"/dangjian-library", [row.route for row in frappe.get_single("Portal Settings").menu]
		)
		# and the importers' use of Frappe's Data Import: their rows, and the copy of the standard
		# permissions that adding them made (Data Import as Frappe ships it)
		self.assertFalse(
			frappe.db.exists("Custom DocPerm", {"parent": DATA_IMPORT, "role": ("in", IMPORT_ROLES)})
		)
		self.assertNotEqual(sorted(perm_rows("Custom DocPerm")) or None, sorted(perm_rows("DocPerm")))
		# and installing again brings the roles back (the rollback restores the rest)
		install.after_install()
		for role in scope.APP_ROLES:
			self.assertTrue(frappe.db.exists("Role", role))
		for role in IMPORT_ROLES:
			self.assertEqual(
				frappe.db.get_value(
					"Custom DocPerm", {"parent": DATA_IMPORT, "role": role}, ["read", "create", "if_owner"]
				),
				(1, 1, 1),
			)
		self.assertTrue(frappe.db.exists("Notification", "党建+：申报被退回"))
