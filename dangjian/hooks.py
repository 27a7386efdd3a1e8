app_name = "dangjian"
app_title = "Dangjian"
app_publisher = "dangjian developers"
app_description = "党建+ project scheme: application, approval, implementation, acceptance, evaluation and incentives of grassroots party-building projects"
app_email = "dev@dangjian.invalid"
app_license = "mit"
# "org/repo" form: resolves without asking GitHub (the bare name makes install-app look it up online)
required_apps = ["frappe/frappe"]

# Keep the typed "auto-generated types" block in controllers up to date
export_python_type_annotations = True

# Installation
# ------------
# the app's roles exist before its doctypes and reports are imported (a report's roles naming a
# missing role are lost: seen on Frappe 15.70 after an uninstall and a new install)
before_install = "dangjian.setup.install.before_install"
after_install = "dangjian.setup.install.after_install"
after_migrate = "dangjian.setup.install.after_migrate"
before_uninstall = "dangjian.setup.install.before_uninstall"
# ERPNext is an optional companion: its links (dangjian.integrations.erpnext) are made when
# ERPNext is installed after the app and removed before ERPNext is uninstalled
after_app_install = ["dangjian.integrations.erpnext.after_app_install"]
before_app_uninstall = ["dangjian.integrations.erpnext.before_app_uninstall"]

# Permissions
# -----------
# Frappe's User Permissions on Party Organization scope every app doctype; these hooks make
# an app user who has no scope see nothing (Frappe alone would show them everything).
# Honour lists (commendations, the Top Ten) are visible to users whose positions overlap their
# organization; child rows only where their parent record is; private files of app records only
# to users who can read the record (dangjian.visibility).
from dangjian.doctypes import CHILD_DOCTYPES, HONOUR_DOCTYPES, SCOPED_DOCTYPES, WRITTEN_DOCTYPES
from dangjian.menu import PORTAL_MENU_ITEMS

permission_query_conditions = {
	**{doctype: "dangjian.scope.permission_query_conditions" for doctype in SCOPED_DOCTYPES},
	**{
		doctype: ["dangjian.scope.permission_query_conditions", "dangjian.visibility.honour_query_conditions"]
		for doctype in HONOUR_DOCTYPES
	},
	**{doctype: "dangjian.visibility.child_query_conditions" for doctype in CHILD_DOCTYPES},
	"File": "dangjian.visibility.file_query_conditions",
	# the call for applications: a draft only to its publishers; read records, one's own
	"Dangjian Notice": [
		"dangjian.scope.permission_query_conditions",
		"dangjian.visibility.honour_query_conditions",
		"dangjian.dangjian.doctype.dangjian_notice.dangjian_notice.query_conditions",
	],
	"Dangjian Notice Read": "dangjian.dangjian.doctype.dangjian_notice.dangjian_notice.read_query_conditions",
}
has_permission = {
	**{doctype: "dangjian.scope.has_permission" for doctype in SCOPED_DOCTYPES},
	**{
		doctype: ["dangjian.scope.has_permission", "dangjian.visibility.honour_has_permission"]
		for doctype in HONOUR_DOCTYPES
	},
	"Dangjian Notice": [
		"dangjian.scope.has_permission",
		"dangjian.visibility.honour_has_permission",
		"dangjian.dangjian.doctype.dangjian_notice.dangjian_notice.has_permission",
	],
	"Dangjian Notice Read": "dangjian.dangjian.doctype.dangjian_notice.dangjian_notice.read_has_permission",
}

# Who may set each field, in which state, through every door (dangjian.ownership): typed values,
# system fields, the field's owner, the state's editor, links in scope; records on file are kept.
doc_events = {
	# A Role Profile or Module Profile (ERP user management) resets a user's roles on every save:
	# the roles and module their positions give are put back (dangjian.scope.keep_position_roles).
	"User": {"validate": "dangjian.scope.keep_position_roles"},
	# ERPNext (where installed): a new employee of a branch's department is suggested to the branch
	"Employee": {"on_update": "dangjian.integrations.erpnext.suggest_branch"},
	# Frappe's Data Import: the user must have the import right on what they import (Frappe's
	# desk offers only those doctypes, its server does not check; dangjian.organization_import)
	"Data Import": {"before_validate": "dangjian.organization_import.check_data_import"},
	**{
		doctype: {
			"before_validate": "dangjian.ownership.before_validate",
			"validate": "dangjian.ownership.validate",
			"before_update_after_submit": "dangjian.ownership.before_update_after_submit",
			"on_trash": "dangjian.ownership.on_trash",
			# the e-mail that a document waits for someone's decision (Frappe's own workflow e-mail
			# is off for the app's workflows: dangjian.workflow_email says why)
			**(
				{"on_change": "dangjian.workflow_email.on_change"}
				if doctype in ("Dangjian Project", "Dangjian Quarterly Report", "Dangjian Acceptance")
				else {}
			),
		}
		for doctype in WRITTEN_DOCTYPES
	},
}

# A document of the app's must arrive with the shape of one (tables as lists of rows): refused
# with a message before Frappe builds it, instead of a server error.
before_request = ["dangjian.request_guard.before_request"]

# An export of the app's reports and lists (Excel, CSV) is saved under its Chinese name: the
# Content-Disposition gets RFC 5987's filename* (dangjian.exports; other downloads unchanged).
after_request = ["dangjian.exports.after_request"]

# the experience library in the website's menu of a logged-in user (Portal Settings)
standard_portal_menu_items = PORTAL_MENU_ITEMS

# The print formats call dangjian_pdf_fonts(): the fonts whose PDF text is the text typed
# (dangjian.pdf_fonts)
jinja = {"methods": ["dangjian.pdf_fonts.dangjian_pdf_fonts"]}

# state names for the desk's scripts (frappe.boot.dangjian), read from the Workflow
boot_session = "dangjian.boot.boot_session"

# The app's states in the app's words on the desk (list status pills, form heads, filter tags):
# Frappe translates them without context, in ERPNext's words (public/js/dangjian_desk.js).
# A plain file, not a bundle: it needs no build, only the app's assets link.
app_include_js = ["/assets/dangjian/js/dangjian_desk.js"]

# A deactivated user's API keys are refused (Frappe 15 refuses only their password).
auth_hooks = ["dangjian.security.refuse_disabled_api_user"]

# A Data Import job of the app's doctypes matches the Chinese headers of the template whatever
# language the job runs in (dangjian.organization_import.warm_header_map).
before_job = ["dangjian.organization_import.before_job"]

# Frappe 15's frappe.client.get_count counts without permissions: for the app's doctypes it
# counts what the user may list (other doctypes are passed to Frappe's own).
# The app's report exports leave an Access Log entry, as Frappe's own PDFs and list exports do
# (other reports' exports are Frappe's own, unchanged).
override_whitelisted_methods = {
	"frappe.client.get_count": "dangjian.visibility.get_count",
	"frappe.desk.query_report.export_query": "dangjian.security.export_query",
}

# Scheduled reminders
# -------------------
scheduler_events = {
	"daily": [
		"dangjian.tasks.send_application_reminders",
		"dangjian.dangjian.doctype.dangjian_quarterly_report.reminders.daily",
	],
}
