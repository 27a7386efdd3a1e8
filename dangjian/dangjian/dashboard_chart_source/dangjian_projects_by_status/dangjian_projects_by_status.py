# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The projects in the user's scope by status, in the Workflow's order of states, each label in
the user's language. Not cached: the numbers are each user's own (Frappe's ``cache_source`` keys
by chart only).

The scope is the reports' (``scope.scope_condition`` on the project's branch), read from the
organisations down: ``frappe.get_list`` applies User Permissions as ``ifnull(branch, '') = '' or
branch in (...)``, which no index serves, so a branch secretary's chart read every project of the
group (380 ms at 200,000 projects)."""

import frappe
from frappe import _

from dangjian import scope, workflows

PROJECT = "Dangjian Project"


@frappe.whitelist()
@frappe.read_only()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	frappe.has_permission(PROJECT, "read", throw=True)
	condition, params = scope.scope_condition("o")  # no User Permission: nothing
	counts = dict(
		frappe.db.sql(
			f"""select p.status, count(*) from `tab{PROJECT}` p
			join `tabParty Organization` o on o.name = p.branch
			where {condition} group by p.status""",
			params,
		)
	)
	order = workflows.states(PROJECT)
	states = [state for state in order if counts.get(state)]
	states += sorted(state for state in counts if state not in order and counts[state])
	return {
		"labels": [_(state, context=PROJECT) for state in states],
		"datasets": [
			{"name": _("Projects", context="Dangjian Project"), "values": [counts[state] for state in states]}
		],
	}
