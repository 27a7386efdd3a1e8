"""The app's workflows, created idempotently at install and migrate: a workflow that exists
is left alone, so an administrator's changes to it survive ``bench migrate``. (Shipping it as
a fixture would re-import it with force on every migrate.)"""

import frappe

from dangjian import scope

SECRETARY = scope.ROLE_BRANCH_SECRETARY
APPROVER = scope.ROLE_APPROVER
COMMITTEE = scope.ROLE_PARTY_COMMITTEE

# state -> (style, the role that may edit in that state)
PROJECT_STATES = (
	("Draft", "", SECRETARY),
	("Applied", "Primary", APPROVER),
	("Reviewed", "Info", COMMITTEE),
	("Approved", "Success", SECRETARY),
	("Returned", "Danger", SECRETARY),
	("In Progress", "Primary", SECRETARY),
	("Acceptance Applied", "Warning", APPROVER),
	("Under Assistance", "Danger", SECRETARY),
	("Adjusting", "Warning", SECRETARY),
	("Accepted", "Success", APPROVER),
	("Evaluated", "Success", APPROVER),
)

# (from, action, to, role). Action names are specific ("Submit Application", not "Apply"): the
# desk translates workflow buttons without context, and a generic word's translation would
# change Frappe's own buttons too.
# (from, action, to, role)
PROJECT_TRANSITIONS = (
	("Draft", "Submit Application", "Applied", SECRETARY),
	("Returned", "Submit Application", "Applied", SECRETARY),
	("Applied", "Pass Review", "Reviewed", APPROVER),
	("Applied", "Return to Branch", "Returned", APPROVER),
	("Reviewed", "Approve and File", "Approved", COMMITTEE),
	("Reviewed", "Return to Branch", "Returned", COMMITTEE),
	("Approved", "Start Implementation", "In Progress", SECRETARY),
	("Adjusting", "Resume Implementation", "In Progress", SECRETARY),
)

# state, style, role that may edit, docstatus
QUARTERLY_REPORT_STATES = (
	("Draft", "", SECRETARY, 0),
	("Submitted", "Primary", APPROVER, 0),
	("Reviewed", "Success", APPROVER, 1),
	("Returned", "Danger", SECRETARY, 0),
	("Cancelled", "Inverse", APPROVER, 2),
)

QUARTERLY_REPORT_TRANSITIONS = (
	("Draft", "Submit Report", "Submitted", SECRETARY),
	("Returned", "Submit Report", "Submitted", SECRETARY),
	("Submitted", "Mark Reviewed", "Reviewed", APPROVER),
	("Submitted", "Return to Branch", "Returned", APPROVER),
	("Reviewed", "Cancel Report", "Cancelled", APPROVER),
)

ACCEPTANCE_STATES = (
	("Draft", "", SECRETARY, 0),
	("Applied", "Primary", APPROVER, 0),
	("Returned", "Danger", SECRETARY, 0),
	("Passed", "Success", APPROVER, 1),
	("Assistance", "Danger", APPROVER, 1),
	("Adjust", "Warning", APPROVER, 1),
	("Cancelled", "Inverse", APPROVER, 2),
)

ACCEPTANCE_TRANSITIONS = (
	("Draft", "Apply for Acceptance", "Applied", SECRETARY),
	("Returned", "Apply for Acceptance", "Applied", SECRETARY),
	("Applied", "Return to Branch", "Returned", APPROVER),
	("Applied", "Pass Acceptance", "Passed", APPROVER),
	("Applied", "Assign Assistance", "Assistance", APPROVER),
	("Applied", "Require Adjustment", "Adjust", APPROVER),
	("Passed", "Cancel Acceptance", "Cancelled", APPROVER),
	("Assistance", "Cancel Acceptance", "Cancelled", APPROVER),
	("Adjust", "Cancel Acceptance", "Cancelled", APPROVER),
)

# The e-mail of a state that waits for someone's decision (dangjian.workflow_email): Frappe's
# Email Template records, set as the state's "Next Action Email Template"; made when missing,
# never overwritten (an administrator may reword them, or clear a state's to send nothing).
# (workflow, state) -> (template, subject, text)
_PROJECT = "{{ doc.project_name }}（{{ doc.branch_name or doc.branch }}，{{ doc.year }}年度）"
EMAIL_TEMPLATES = {
	("Dangjian Project Workflow", "Applied"): (
		"Dangjian Project Applied",
		"【党建+】项目申报待审核：" + _PROJECT,
		"<p>{{ doc.branch_name or doc.branch }}申报了党建+项目，等待党群工作部审核。</p>"
		"<p>项目名称：{{ doc.project_name }}<br>申报年度：{{ doc.year }}年度</p>"
		"{% if doc.is_late %}<p>此申报晚于申报截止日期，审核通过时须写明受理理由。</p>{% endif %}"
		"<p>请写明审核意见后审核通过，或写明理由退回支部。</p>",
	),
	("Dangjian Project Workflow", "Reviewed"): (
		"Dangjian Project Reviewed",
		"【党建+】项目待党委审定：" + _PROJECT,
		"<p>党群工作部已审核通过{{ doc.branch_name or doc.branch }}的党建+项目，等待党委审定备案。</p>"
		"<p>项目名称：{{ doc.project_name }}<br>审核意见：{{ doc.review_opinion }}</p>"
		"<p>请写明党委审核评定意见后审定备案，或写明理由退回支部。</p>",
	),
	("Dangjian Quarterly Report Workflow", "Submitted"): (
		"Dangjian Quarterly Report Submitted",
		"【党建+】季度进展报告待审阅：{{ doc.project_name }} {{ doc.year }}年第{{ doc.quarter }}季度",
		"<p>党建+项目“{{ doc.project_name }}”报送了{{ doc.year }}年第{{ doc.quarter }}季度进展报告，等待党群工作部审阅督办。</p>"
		"{% if doc.is_late %}<p>此报告晚于报送期限。</p>{% endif %}"
		"<p>请写明督办意见后审阅通过，或写明理由退回支部。</p>",
	),
	("Dangjian Acceptance Workflow", "Applied"): (
		"Dangjian Acceptance Applied",
		"【党建+】项目申请验收：{{ doc.project_name }}",
		"<p>党建+项目“{{ doc.project_name }}”已完成实施，申请验收。</p>"
		"<p>请组织验收小组，通过听取汇报、走访调查、查阅资料等方式验收后，在系统中作出验收结论；材料不全的，可写明理由退回支部。</p>",
	),
}


WORKFLOWS = {
	"Dangjian Project Workflow": {
		"document_type": "Dangjian Project",
		"workflow_state_field": "status",
		"states": [(state, style, role, 0) for state, style, role in PROJECT_STATES],
		"transitions": PROJECT_TRANSITIONS,
	},
	"Dangjian Quarterly Report Workflow": {
		"document_type": "Dangjian Quarterly Report",
		"workflow_state_field": "status",
		"states": QUARTERLY_REPORT_STATES,
		"transitions": QUARTERLY_REPORT_TRANSITIONS,
	},
	"Dangjian Acceptance Workflow": {
		"document_type": "Dangjian Acceptance",
		"workflow_state_field": "status",
		"states": ACCEPTANCE_STATES,
		"transitions": ACCEPTANCE_TRANSITIONS,
	},
}


# actions a user takes on their own document (the others are someone else's decision)
SELF_ACTIONS = (
	"Submit Application",
	"Submit Report",
	"Apply for Acceptance",
	"Start Implementation",
	"Resume Implementation",
)


def all_states() -> set[str]:
	return {state[0] for spec in WORKFLOWS.values() for state in spec["states"]}


def all_actions() -> set[str]:
	return {transition[1] for spec in WORKFLOWS.values() for transition in spec["transitions"]}


def email_template(workflow: str, state: str) -> str | None:
	spec = EMAIL_TEMPLATES.get((workflow, state))
	return spec[0] if spec else None


def ensure_email_template(name: str, subject: str, text: str) -> None:
	"""An Email Template the app ships, made when missing; one an administrator edited is kept."""
	if frappe.db.exists("Email Template", name):
		return
	frappe.get_doc(
		{
			"doctype": "Email Template",
			"name": name,
			"subject": subject,
			"use_html": 1,
			"response_html": text,
		}
	).insert(ignore_permissions=True, set_name=name)


def ensure_email_templates() -> None:
	for name, subject, text in EMAIL_TEMPLATES.values():
		ensure_email_template(name, subject, text)


def use_app_workflow_emails() -> None:
	"""On a site made before the app sent its own workflow e-mails: Frappe's off, each waiting
	state given its template (a template an administrator chose is kept)."""
	ensure_email_templates()
	for (workflow, state), (template, _subject, _text) in EMAIL_TEMPLATES.items():
		if not frappe.db.exists("Workflow", workflow):
			continue
		frappe.db.set_value("Workflow", workflow, "send_email_alert", 0)
		frappe.db.set_value(
			"Workflow Document State",
			{"parent": workflow, "state": state, "next_action_email_template": ("is", "not set")},
			"next_action_email_template",
			template,
		)
		frappe.clear_document_cache("Workflow", workflow)


def remove_email_templates() -> None:
	for name, _subject, _text in EMAIL_TEMPLATES.values():
		if frappe.db.exists("Email Template", name):
			frappe.delete_doc("Email Template", name, ignore_permissions=True, force=True)


def create_workflows() -> None:
	ensure_email_templates()
	for name, spec in WORKFLOWS.items():
		if not frappe.db.exists("DocType", spec["document_type"]):
			continue
		for state, style, _role, _docstatus in spec["states"]:
			ensure_state(state, style)
		for _from, action, _to, _role in spec["transitions"]:
			ensure_action(action)
		if frappe.db.exists("Workflow", name):
			continue
		workflow = frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": name,
				"document_type": spec["document_type"],
				"workflow_state_field": spec["workflow_state_field"],
				"is_active": 1,
				# the app sends its own (dangjian.workflow_email)
				"send_email_alert": 0,
				"override_status": 0,
				"states": [
					{
						"state": state,
						"doc_status": str(docstatus),
						"allow_edit": role,
						"next_action_email_template": email_template(name, state),
					}
					for state, _style, role, docstatus in spec["states"]
				],
				"transitions": [
					{
						"state": state,
						"action": action,
						"next_state": next_state,
						"allowed": role,
						"allow_self_approval": 1 if action in SELF_ACTIONS else 0,
					}
					for state, action, next_state, role in spec["transitions"]
				],
			}
		)
		workflow.insert(ignore_permissions=True)


def ensure_state(state: str, style: str) -> None:
	if not frappe.db.exists("Workflow State", state):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": state, "style": style}).insert(
			ignore_permissions=True
		)


def ensure_action(action: str) -> None:
	if not frappe.db.exists("Workflow Action Master", action):
		frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
			ignore_permissions=True
		)


def remove_workflows() -> None:
	"""On uninstall: our workflows, and the states and actions no other workflow uses."""
	for name in WORKFLOWS:
		if frappe.db.exists("Workflow", name):
			frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	remove_email_templates()
	used_states = set(frappe.get_all("Workflow Document State", pluck="state"))
	used_states |= set(frappe.get_all("Workflow Transition", pluck="next_state"))
	used_actions = set(frappe.get_all("Workflow Transition", pluck="action"))
	for state in all_states() - used_states:
		if frappe.db.exists("Workflow State", state) and not is_frappe_default_state(state):
			frappe.delete_doc("Workflow State", state, ignore_permissions=True, force=True)
	legacy = {old for renames in RENAMED_ACTIONS.values() for old in renames}
	for action in (all_actions() | legacy) - used_actions:
		if frappe.db.exists("Workflow Action Master", action) and action not in FRAPPE_DEFAULT_ACTIONS:
			frappe.delete_doc("Workflow Action Master", action, ignore_permissions=True, force=True)


# Frappe creates these at install (frappe/desk/page/setup_wizard/install_fixtures.py); they are not ours
FRAPPE_DEFAULT_STATES = ("Pending", "Approved", "Rejected", "Draft", "Cancelled")
FRAPPE_DEFAULT_ACTIONS = ("Approve", "Reject", "Review")


def is_frappe_default_state(state: str) -> bool:
	return state in FRAPPE_DEFAULT_STATES


# the action names of the first development versions, renamed by a patch on existing sites
RENAMED_ACTIONS = {
	"Dangjian Project Workflow": {
		"Apply": "Submit Application",
		"Review": "Pass Review",
		"Return": "Return to Branch",
		"Approve": "Approve and File",
	},
	"Dangjian Quarterly Report Workflow": {
		"Submit": "Submit Report",
		"Review": "Mark Reviewed",
		"Return": "Return to Branch",
		"Cancel": "Cancel Report",
	},
	"Dangjian Acceptance Workflow": {
		"Apply": "Apply for Acceptance",
		"Return": "Return to Branch",
		"Pass": "Pass Acceptance",
		"Cancel": "Cancel Acceptance",
	},
}
