# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The projects in the user's scope by status (``frappe.get_list``: permissions and scope apply),
in the Workflow's order of states, each label in the user's language. Not cached: the numbers are
each user's own (Frappe's ``cache_source`` keys by chart only)."""

import frappe
from frappe import _

from dangjian import workflows

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
	counts = {
		row.status: row.count
		for row in frappe.get_list(
			PROJECT, fields=["status", "count(name) as count"], group_by="status", order_by="status"
		)
	}
	order = workflows.states(PROJECT)
	states = [state for state in order if counts.get(state)]
	states += sorted(state for state in counts if state not in order and counts[state])
	return {
		"labels": [_(state, context=PROJECT) for state in states],
		"datasets": [
			{"name": _("Projects", context="Dangjian Project"), "values": [counts[state] for state in states]}
		],
	}
