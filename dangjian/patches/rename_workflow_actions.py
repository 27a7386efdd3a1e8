"""Rename the workflow actions of early development sites to their specific names."""

import frappe

from dangjian.setup.workflow import RENAMED_ACTIONS, SELF_ACTIONS, ensure_action


def execute():
	for workflow, renames in RENAMED_ACTIONS.items():
		if not frappe.db.exists("Workflow", workflow):
			continue
		for old, new in renames.items():
			ensure_action(new)
			frappe.db.set_value(
				"Workflow Transition",
				{"parent": workflow, "action": old},
				{"action": new, "allow_self_approval": 1 if new in SELF_ACTIONS else 0},
				update_modified=False,
			)
		frappe.clear_cache(doctype=frappe.db.get_value("Workflow", workflow, "document_type"))
