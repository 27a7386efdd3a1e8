"""The app's doctypes by kind: plain data, no Frappe import, read by hooks.py and the code that
needs the lists (one place)."""

# every app doctype that is not a child table: scoped by the user's positions
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
	"Dangjian Notice",
	# one-time voting tokens of an evaluation (dangjian.ballots): the department's, by its scope
	"Dangjian Ballot",
	# one historical import of a company's or a unit's earlier ledger: its importers', by its scope
	"Dangjian Ledger Import",
)

# Honour lists link an organization above a secretary's or an approver's scope (the unit, the
# company): visible to users whose positions overlap it (dangjian.visibility).
# A published call for applications (申报通知) of the company or a unit is read the same way.
HONOUR_DOCTYPES = ("Dangjian Commendation", "Dangjian Top Ten Selection", "Dangjian Notice")

# child doctype -> its parent doctype: a row is readable only where its parent is
CHILD_DOCTYPES = {
	"Party Organization Member": "Party Organization",
	"Dangjian Project Team Member": "Dangjian Project",
	"Dangjian Feasibility Activity": "Dangjian Project",
	"Dangjian Plan Step": "Dangjian Project",
	"Dangjian Project Adoption": "Dangjian Project",
	"Dangjian Quarterly Report Step": "Dangjian Quarterly Report",
	"Dangjian Acceptance Group Member": "Dangjian Acceptance",
	"Dangjian Acceptance Self Check": "Dangjian Acceptance",
	"Dangjian Evaluation Category Result": "Dangjian Evaluation",
	"Dangjian Commendation Project": "Dangjian Commendation",
	"Dangjian Top Ten Candidate": "Dangjian Top Ten Selection",
	"Dangjian Top Ten Score": "Dangjian Top Ten Selection",
	"Dangjian Exchange Activity Project": "Dangjian Exchange Activity",
	"Dangjian Ledger Import Problem": "Dangjian Ledger Import",
}

# the records a user writes (ownership and typed values are checked on each)
WRITTEN_DOCTYPES = (*SCOPED_DOCTYPES, "Dangjian Settings")

# records only the app's code writes, each with its own permission hooks (hooks.py)
RECORD_DOCTYPES = ("Dangjian Notice Read",)

APP_DOCTYPES = (*WRITTEN_DOCTYPES, *CHILD_DOCTYPES, *RECORD_DOCTYPES)
