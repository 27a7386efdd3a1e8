"""The security baseline the installer applies (never weakening a stronger setting) and the
Access Log of the app's report exports."""

import contextlib
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope, security


@contextlib.contextmanager
def system_settings(**values):
	"""System Settings set for one test and put back (a test site has no language, which a full
	save of the settings would ask for)."""
	saved = {key: frappe.db.get_single_value("System Settings", key) for key in values}
	for key, value in values.items():
		frappe.db.set_single_value("System Settings", key, value)
	try:
		yield
	finally:
		for key, value in saved.items():
			frappe.db.set_single_value("System Settings", key, value)


class TestSecurityBaseline(FrappeTestCase):
	def test_a_weaker_site_is_strengthened(self):
		with system_settings(
			enable_password_policy=0,
			minimum_password_score="2",
			allow_consecutive_login_attempts=0,
			allow_login_after_fail=10,
			session_expiry="170:00",
		):
			changed = security.apply_baseline()
			settings = frappe.get_single("System Settings")
			self.assertEqual(settings.enable_password_policy, 1)
			self.assertEqual(int(settings.minimum_password_score), security.MIN_PASSWORD_SCORE)
			self.assertEqual(settings.allow_consecutive_login_attempts, security.MAX_LOGIN_ATTEMPTS)
			self.assertEqual(settings.allow_login_after_fail, security.LOCKOUT_SECONDS)
			self.assertEqual(settings.session_expiry, "24:00")
			self.assertGreaterEqual(len(changed), 5)
		for role in (scope.ROLE_APPROVER, scope.ROLE_PARTY_COMMITTEE, scope.ROLE_ADMINISTRATOR):
			self.assertEqual(frappe.db.get_value("Role", role, "two_factor_auth"), 1, role)
		self.assertFalse(frappe.db.get_value("Role", scope.ROLE_BRANCH_SECRETARY, "two_factor_auth"))

	def test_a_stronger_setting_is_never_weakened(self):
		with system_settings(
			enable_password_policy=1,
			minimum_password_score="4",
			allow_consecutive_login_attempts=3,
			allow_login_after_fail=600,
			session_expiry="06:00",
		):
			security.apply_baseline()
			settings = frappe.get_single("System Settings")
			self.assertEqual(int(settings.minimum_password_score), 4)
			self.assertEqual(settings.allow_consecutive_login_attempts, 3)
			self.assertEqual(settings.allow_login_after_fail, 600)
			self.assertEqual(settings.session_expiry, "06:00")

	def test_session_hours(self):
		self.assertEqual(security.session_hours("170:00"), 170)
		self.assertEqual(security.session_hours("06:30"), 6.5)
		self.assertEqual(security.session_hours(""), float("inf"))


class TestExportAccessLog(FrappeTestCase):
	def export(self, report, filters):
		frappe.local.form_dict = frappe._dict(
			report_name=report,
			filters=json.dumps(filters),
			file_format_type="CSV",
			visible_idx="[]",
			include_indentation=0,
		)
		security.export_query()

	def logs(self, report):
		return frappe.get_all(
			"Access Log",
			filters={"report_name": report, "user": "Administrator", "method": "Export"},
			fields=["file_type", "filters"],
		)

	def test_an_app_report_export_is_logged_with_its_filters(self):
		before = len(self.logs("Dangjian Project Ledger"))
		self.export("Dangjian Project Ledger", {"year": 2026})
		logs = self.logs("Dangjian Project Ledger")
		self.assertEqual(len(logs), before + 1)
		self.assertIn("2026", logs[0].filters)
		self.assertEqual(frappe.local.response.type, "binary")

	def test_other_reports_exports_are_frappes_own(self):
		self.assertNotIn("Permitted Documents For User", security.APP_REPORTS)
		self.assertEqual(
			set(security.APP_REPORTS),
			set(frappe.get_all("Report", filters={"module": "Dangjian"}, pluck="name")),
		)

	def test_the_company_administrator_reads_the_app_s_access_log(self):
		from frappe.desk.query_report import run

		from dangjian.tests.utils import add_member, make_org, make_user

		company = make_org("ALC", "Company")
		admin = make_user("al-admin")
		add_member(company.name, admin, "Administrator")
		self.export("Dangjian Project Ledger", {"year": 2025})
		with self.set_user(admin):
			rows = run("Dangjian Access Log", filters={})["result"]
		self.assertTrue(
			any(
				row["report_name"] == "Dangjian Project Ledger" and row["user"] == "Administrator"
				for row in rows
			),
			rows[:3],
		)
		# not a branch secretary
		secretary = make_user("al-secretary", roles=(scope.ROLE_BRANCH_SECRETARY,))
		with self.set_user(secretary), self.assertRaises(frappe.PermissionError):
			run("Dangjian Access Log", filters={})
