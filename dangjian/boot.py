# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""What the desk's scripts of the app read from the boot (``frappe.boot.dangjian``) instead of
writing state names again: the project's states as its Workflow lists them (the ledger's status
filter) and the states in which a project reports quarterly (the quarterly report's project
picker)."""

import frappe

from dangjian import workflows
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import REPORTING_STATES

PROJECT = "Dangjian Project"


def boot_session(bootinfo) -> None:
	if frappe.session.user == "Guest":
		return
	bootinfo.dangjian = {
		"project_states": workflows.states(PROJECT),
		"reporting_states": list(REPORTING_STATES),
	}
