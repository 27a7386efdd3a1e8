"""Install and uninstall, both idempotent (the hrms / helpdesk pattern: one module, called
from hooks). Nothing here commits: Frappe commits after install and migrate."""

import frappe

from dangjian import scope
from dangjian.ballot_invitations import ensure_email_template, remove_email_template
from dangjian.integrations import erpnext
from dangjian.menu import PORTAL_MENU_ITEMS
from dangjian.setup.data_import import ensure_data_import_permissions, remove_data_import_permissions
from dangjian.setup.notifications import ensure_notifications, remove_notifications
from dangjian.setup.workflow import create_workflows, remove_workflows

ROLE_DESCRIPTIONS = {
	scope.ROLE_BRANCH_SECRETARY: "党支部书记: proposes and applies for the branch's projects, reports progress",
	scope.ROLE_BRANCH_MEMBER: "支部党员: member of a branch's project team",
	scope.ROLE_APPROVER: "单位党群工作部: approves, files, supervises and accepts the unit's projects",
	scope.ROLE_PARTY_COMMITTEE: "单位党委: reviews applications and commends projects",
	scope.ROLE_EVALUATOR: "评估人: party member, cadre or masses' representative who rates projects",
	scope.ROLE_ADMINISTRATOR: "公司思想政治工作部: leads the scheme company-wide, selects the Top Ten",
}


# Proposed on install to a site that has no time zone yet (Frappe would fall back to
# Asia/Kolkata); a site's own time zone is never changed.
TIME_ZONE = "Asia/Shanghai"


def before_install():
	create_roles()


def after_install():
	create_roles()
	set_default_settings()
	create_workflows()
	ensure_email_template()
	ensure_notifications()
	ensure_portal_menu_items()
	create_filing_lock()
	propose_time_zone()
	ensure_data_import_permissions()
	erpnext.ensure_links()
	from dangjian.security import apply_baseline

	for change in apply_baseline():
		print(f"dangjian: security baseline: {change} (System Settings, Role)")


def propose_time_zone():
	if not frappe.db.get_single_value("System Settings", "time_zone"):
		frappe.db.set_single_value("System Settings", "time_zone", TIME_ZONE)
		print(f"dangjian: the site had no time zone; set to {TIME_ZONE} (System Settings)")


def after_migrate():
	create_roles()
	create_workflows()
	ensure_email_template()
	ensure_notifications()
	create_filing_lock()
	ensure_data_import_permissions()
	erpnext.ensure_links()


# the tabSeries row every approval locks before it takes a filing number (dangjian_project.on_approve)
FILING_LOCK = "DANGJIAN-FILING-LOCK"


def create_filing_lock():
	frappe.db.sql("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", FILING_LOCK)


def create_roles():
	for role in scope.APP_ROLES:
		if frappe.db.exists("Role", role):
			continue
		frappe.get_doc(
			{"doctype": "Role", "role_name": role, "desk_access": 1, "description": ROLE_DESCRIPTIONS[role]}
		).insert(ignore_permissions=True)
	for role in scope.APP_ROLES:
		if not frappe.db.get_value("Role", role, "desk_access"):
			frappe.db.set_value("Role", role, "desk_access", 1, update_modified=False)


def set_default_settings():
	"""Fill every settings field that is empty with its default from the doctype."""
	settings = frappe.get_single("Dangjian Settings")
	for df in settings.meta.fields:
		if df.default is not None and settings.get(df.fieldname) in (None, ""):
			settings.set(df.fieldname, df.default)
	settings.flags.ignore_permissions = True
	settings.save()


def before_uninstall():
	"""Remove what the app created outside its own doctypes: the scope it granted and its
	roles, workflows and notifications, and its roles' use of Frappe's Data Import. User accounts
	stay (the demo users too), and so do the workflow states and actions that other workflows
	use."""
	remove_workflows()
	remove_email_template()
	remove_notifications()
	remove_portal_menu_items()
	remove_data_import_permissions()
	erpnext.remove_links()
	for name in frappe.get_all("User Permission", filters={"allow": scope.ORG}, pluck="name"):
		frappe.delete_doc("User Permission", name, ignore_permissions=True, force=True)
	frappe.db.delete("Has Role", {"role": ("in", scope.APP_ROLES)})
	for role in scope.APP_ROLES:
		frappe.db.delete("Custom DocPerm", {"role": role})
		frappe.db.delete("DocPerm", {"role": role})
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	frappe.cache.delete_value("user_permissions")
	frappe.clear_cache()
	# the site's copies of the PDF fonts (made again at the first print)
	from dangjian import pdf_fonts

	pdf_fonts.remove()


def ensure_portal_menu_items():
	"""The experience library in the website menu (Frappe's sync at install reads the hooks
	before they include this app; its sync on migrate agrees with this)."""
	portal = frappe.get_single("Portal Settings")
	if [item for item in PORTAL_MENU_ITEMS if portal.add_item(dict(item))]:
		portal.save(ignore_permissions=True)


def remove_portal_menu_items():
	"""The experience library's entry in the website menu would lead nowhere once the app is
	gone."""
	routes = {item["route"] for item in PORTAL_MENU_ITEMS}
	portal = frappe.get_single("Portal Settings")
	kept = [row for row in portal.menu if row.route not in routes]
	if len(kept) != len(portal.menu):
		portal.menu = kept
		portal.save(ignore_permissions=True)
