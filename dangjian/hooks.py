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
after_install = "dangjian.setup.install.after_install"
after_migrate = "dangjian.setup.install.after_migrate"
before_uninstall = "dangjian.setup.install.before_uninstall"

# Permissions
# -----------
# Frappe's User Permissions on Party Organization scope every app doctype; these hooks make
# an app user who has no scope see nothing (Frappe alone would show them everything).
# every app doctype that is not a child table
SCOPED_DOCTYPES = (
	"Party Organization",
	"Dangjian Project",
	"Dangjian Quarterly Report",
	"Dangjian Acceptance",
	"Dangjian Evaluation",
	"Dangjian Evaluation Score",
	"Dangjian Spot Check",
	"Dangjian Exchange Activity",
	"Dangjian Commendation",
	"Dangjian Top Ten Selection",
)
# Honour lists link an organization above a secretary's or an approver's scope (the unit, the
# company): visible to users whose positions overlap it (dangjian.visibility). Private files of
# app records are listed only to users who can read the record.
HONOUR_DOCTYPES = ("Dangjian Commendation", "Dangjian Top Ten Selection")
permission_query_conditions = {
	**{doctype: "dangjian.scope.permission_query_conditions" for doctype in SCOPED_DOCTYPES},
	**{
		doctype: ["dangjian.scope.permission_query_conditions", "dangjian.visibility.honour_query_conditions"]
		for doctype in HONOUR_DOCTYPES
	},
	"File": "dangjian.visibility.file_query_conditions",
}
has_permission = {
	**{doctype: "dangjian.scope.has_permission" for doctype in SCOPED_DOCTYPES},
	**{
		doctype: ["dangjian.scope.has_permission", "dangjian.visibility.honour_has_permission"]
		for doctype in HONOUR_DOCTYPES
	},
}

# Scheduled reminders
# -------------------
scheduler_events = {
	"daily": [
		"dangjian.tasks.send_application_reminders",
		"dangjian.dangjian.doctype.dangjian_quarterly_report.reminders.daily",
	],
}
