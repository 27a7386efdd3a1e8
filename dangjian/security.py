"""The security baseline the installer applies where a site has none, and the Access Log of what
leaves the app's reports and year packs.

Baseline (``apply_baseline``, at install only; an administrator may change any of it later, and a
stronger setting already on the site is never weakened):
- a password policy with a minimum strength (zxcvbn score) of 3;
- at most 10 consecutive failed logins, then 60 seconds before the next try;
- sessions idle for more than 24 hours end;
- two-factor login offered for the approver, party committee and company administrator roles
  (Frappe's per-role setting; it takes effect once two-factor login is enabled in System Settings,
  where the site's e-mail or authenticator setup is chosen).
"""

import frappe
from frappe.utils import cint

from dangjian import scope

MIN_PASSWORD_SCORE = 3
MAX_LOGIN_ATTEMPTS = 10
LOCKOUT_SECONDS = 60
SESSION_EXPIRY_HOURS = 24
TWO_FACTOR_ROLES = (scope.ROLE_APPROVER, scope.ROLE_PARTY_COMMITTEE, scope.ROLE_ADMINISTRATOR)
APP_REPORTS = (
	"Dangjian Access Log",
	"Dangjian Application Compliance",
	"Dangjian Branch Assessment",
	"Dangjian Commendation List",
	"Dangjian Evaluation Results",
	"Dangjian Project Ledger",
	"Dangjian Quarterly Progress",
)


def session_hours(value: str | None) -> float:
	"""'170:00' -> 170.0; an empty or unreadable value counts as no limit."""
	try:
		hours, _, minutes = (value or "").partition(":")
		return int(hours) + int(minutes or 0) / 60
	except ValueError:
		return float("inf")


def apply_baseline() -> list[str]:
	"""Strengthen what is weaker than the baseline; returns what was changed."""
	settings = frappe.get_single("System Settings")
	changed = []
	if not cint(settings.enable_password_policy):
		settings.enable_password_policy = 1
		changed.append("password policy enabled")
	if cint(settings.minimum_password_score) < MIN_PASSWORD_SCORE:
		settings.minimum_password_score = str(MIN_PASSWORD_SCORE)
		changed.append(f"minimum password score {MIN_PASSWORD_SCORE}")
	attempts = cint(settings.allow_consecutive_login_attempts)
	if attempts <= 0 or attempts > MAX_LOGIN_ATTEMPTS:
		settings.allow_consecutive_login_attempts = MAX_LOGIN_ATTEMPTS
		changed.append(f"at most {MAX_LOGIN_ATTEMPTS} consecutive failed logins")
	if cint(settings.allow_login_after_fail) < LOCKOUT_SECONDS:
		settings.allow_login_after_fail = LOCKOUT_SECONDS
		changed.append(f"{LOCKOUT_SECONDS} s before a login after the limit")
	if session_hours(settings.session_expiry) > SESSION_EXPIRY_HOURS:
		settings.session_expiry = f"{SESSION_EXPIRY_HOURS}:00"
		changed.append(f"sessions end after {SESSION_EXPIRY_HOURS} idle hours")
	if changed:
		settings.flags.ignore_permissions = True
		settings.flags.ignore_mandatory = True
		settings.save()
	for role in TWO_FACTOR_ROLES:
		if frappe.db.exists("Role", role) and not frappe.db.get_value("Role", role, "two_factor_auth"):
			frappe.db.set_value("Role", role, "two_factor_auth", 1)
			changed.append(f"two-factor login offered for {role}")
	return changed


# --- Access Log ----------------------------------------------------------------------------------


@frappe.whitelist()
def export_query():
	"""Frappe's report export (Excel, CSV), and for the app's reports an Access Log entry with the
	user, the report, the filters and the format, as Frappe's own print PDFs and list exports have."""
	from frappe.desk.query_report import export_query as frappe_export_query

	result = frappe_export_query()
	form = frappe.local.form_dict
	report = form.get("report_name")
	if report in APP_REPORTS:
		log_export(report_name=report, filters=form.get("filters"), file_type=form.get("file_format_type"))
	return result


def log_export(report_name: str | None = None, doctype=None, document=None, filters=None, file_type=None):
	from frappe.core.doctype.access_log.access_log import make_access_log

	if filters is not None and not isinstance(filters, str):
		filters = frappe.as_json(filters, indent=None)
	make_access_log(
		doctype=doctype,
		document=document,
		report_name=report_name,
		filters=filters,
		file_type=file_type,
		method="Export",
	)


# --- login and API abuse -------------------------------------------------------------------------


def refuse_disabled_api_user():
	"""``auth_hooks``: API keys (token or basic) of a deactivated user are refused. Frappe 15
	refuses a deactivated user's password but still accepts their keys."""
	scheme = (frappe.get_request_header("Authorization") or "").split(" ")[0].lower()
	user = frappe.session.user
	if scheme not in ("token", "basic") or user in (None, "", "Guest", "Administrator"):
		return
	if not frappe.db.get_value("User", user, "enabled"):
		frappe.throw(frappe._("User disabled or missing"), frappe.AuthenticationError)
