"""Sites made before the project workflow had "Resume Implementation" (Adjusting → In
Progress) get that transition."""

import frappe

from dangjian.setup.workflow import SECRETARY, ensure_action

WORKFLOW = "Dangjian Project Workflow"


def execute():
	if not frappe.db.exists("Workflow", WORKFLOW):
		return
	workflow = frappe.get_doc("Workflow", WORKFLOW)
	if any(t.action == "Resume Implementation" for t in workflow.transitions):
		return
	ensure_action("Resume Implementation")
	workflow.append(
		"transitions",
		{
			"state": "Adjusting",
			"action": "Resume Implementation",
			"next_state": "In Progress",
			"allowed": SECRETARY,
			"allow_self_approval": 1,
		},
	)
	workflow.save(ignore_permissions=True)
