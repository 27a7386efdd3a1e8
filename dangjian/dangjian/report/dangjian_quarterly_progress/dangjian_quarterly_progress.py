# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""季度进展汇总: for each project in implementation in a year, how each quarter's progress
report stands — reviewed, submitted, late, missing, not due yet, or not reportable ("—").

One statement whatever the number of rows: the projects in scope (scope and filters in the
query) with the state of each quarter's report of the year; Python decides the cells.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import (
	FINISHED_STATES,
	REPORTING_STATES,
)
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.report import overdue_sql
from dangjian.filters import report_filters

REPORT_NAME = "Dangjian Quarterly Progress"
# FINISHED_STATES: the project has left implementation; its row shows the quarters it reported in

# the cell values, translated when shown; the set is fixed
REVIEWED = "Reviewed"  # submitted on time and reviewed
SUBMITTED = "Submitted"  # submitted on time, not reviewed yet
LATE = "Late"  # first submitted after the due date
MISSING = "Missing"  # due date passed, nothing submitted
NOT_DUE = "Not Due"  # due date not reached, nothing submitted yet
NOT_REPORTABLE = "—"  # the quarter implementation started in or before it, or after it ended

QUARTER_FIELDS = ("q1", "q2", "q3", "q4")


def execute(filters=None):
	filters = report_filters(filters)
	columns = get_columns()
	data, counts = get_data(filters)
	return columns, data, None, get_chart_data(counts), get_report_summary(data, counts)


def cell_label(state: str) -> str:
	"""A cell value as shown (literal strings, so that the translation extractor finds them)."""
	return {
		REVIEWED: _("Reviewed", context="Dangjian Quarterly Progress"),
		SUBMITTED: _("Submitted", context="Dangjian Quarterly Progress"),
		LATE: _("Late", context="Dangjian Quarterly Progress"),
		MISSING: _("Missing", context="Dangjian Quarterly Progress"),
		NOT_DUE: _("Not Due", context="Dangjian Quarterly Progress"),
	}.get(state, state)


def on_time_label() -> str:
	return _("On Time", context="Dangjian Quarterly Progress")


def get_columns() -> list[dict]:
	columns = [
		{
			"fieldname": "project",
			"label": _("Project", context="Dangjian Quarterly Progress"),
			"fieldtype": "Link",
			"options": "Dangjian Project",
			"width": 150,
		},
		{
			"fieldname": "project_name",
			"label": _("Project Name", context="Dangjian Quarterly Progress"),
			"fieldtype": "Data",
			"width": 220,
		},
		{
			"fieldname": "branch_name",
			"label": _("Branch", context="Dangjian Quarterly Progress"),
			"fieldtype": "Data",
			"width": 180,
		},
		{
			"fieldname": "status",
			"label": _("Status", context="Dangjian Quarterly Progress"),
			"fieldtype": "Data",
			"width": 110,
		},
	]
	for quarter, fieldname in enumerate(QUARTER_FIELDS, start=1):
		columns.append(
			{
				"fieldname": fieldname,
				"label": _("Q{0}").format(quarter),
				"fieldtype": "Data",
				"width": 110,
			}
		)
	return columns


# --- data -------------------------------------------------------------------------------------------

# The projects in the user's scope in implementation at some point of the year, with the state
# of each quarter's live report of the year (L late, R reviewed, S submitted on time, N not
# submitted yet), the running index (rules.quarter_index) of the quarter implementation started
# in and, for a project that has left implementation, of the quarter it left in: its
# acceptance, or failing that the last quarter it reported on in the year. A finished project
# keeps its row only when it reported in the year or was accepted in or after it.
PROGRESS_SQL = """
select
	p.name as project,
	p.project_name,
	p.branch_name,
	p.status,
	r.s1, r.s2, r.s3, r.s4,
	{start_index} as start_index,
	if(p.status in %(finished)s,
		if(p.accepted_on is not null, {accepted_index},
			%(year)s * 4 + r.last_quarter - 1),
		null) as end_index
from `tabDangjian Project` p
join `tabParty Organization` o on o.name = p.branch
left join (
	select project,
		max(if(quarter = '1', {state}, null)) as s1,
		max(if(quarter = '2', {state}, null)) as s2,
		max(if(quarter = '3', {state}, null)) as s3,
		max(if(quarter = '4', {state}, null)) as s4,
		max(cast(quarter as unsigned)) as last_quarter
	from `tabDangjian Quarterly Report`
	where year = %(year)s and docstatus < 2
	group by project
) r on r.project = p.name
where p.implementation_started_on is not null
	and p.implementation_started_on < %(next_year)s
	and p.status in %(states)s
	and (p.status not in %(finished)s or r.project is not null or p.accepted_on >= %(year_start)s)
	and {conditions}
order by p.branch_name, p.name
"""
# a quarter's live report: L late, R reviewed, S submitted on time, N not submitted yet
REPORT_STATE_SQL = (
	"case when first_submitted_on is null then 'N' when is_late = 1 then 'L'"
	" when docstatus = 1 then 'R' else 'S' end"
)

SUBMITTED_STATES = {"L": LATE, "R": REVIEWED, "S": SUBMITTED}


def get_projects(filters) -> list[frappe._dict]:
	"""The projects in the user's scope in implementation in the year (one statement: the scope
	is an EXISTS on the user's User Permissions over the nested set, see scope.scope_condition).
	A unit or branch filter covers its subtree and must itself be in the user's scope (outside
	it: no rows, not an error)."""
	condition, params = scope.scope_condition("o")
	conditions = [condition]
	for alias, org in (("unit_org", filters.unit), ("branch_org", filters.branch)):
		in_org, values = scope.unit_condition("o", org, alias=alias, in_scope=True)
		conditions.append(in_org)
		params.update(values)
	year = filters.year
	params.update(
		year=year,
		next_year=datetime.date(year + 1, 1, 1),
		year_start=datetime.date(year, 1, 1),
		states=(*REPORTING_STATES, *FINISHED_STATES),
		finished=FINISHED_STATES,
	)
	sql = PROGRESS_SQL.format(
		state=REPORT_STATE_SQL,
		conditions=" and ".join(conditions),
		start_index=overdue_sql.start_index("p"),
		accepted_index=overdue_sql.quarter_index("p.accepted_on"),
	)
	return frappe.db.sql(sql, params, as_dict=True)


def get_data(filters) -> tuple[list[dict], dict[str, list[int]]]:
	year = filters.year
	today = getdate(nowdate())
	due_days = cint(get_settings().quarterly_report_due_days)
	# per quarter of the year: its running index, and whether its report is missing once unsent
	quarters = [
		(
			rules.quarter_index(year, quarter),
			rules.is_late(today, rules.quarterly_report_due_date(year, quarter, due_days)),
		)
		for quarter in rules.QUARTERS
	]
	labels = {state: cell_label(state) for state in (REVIEWED, SUBMITTED, LATE, MISSING, NOT_DUE)}
	labels[NOT_REPORTABLE] = NOT_REPORTABLE
	status_labels: dict[str, str] = {}
	counted = {REVIEWED: "on_time", SUBMITTED: "on_time", LATE: "late", MISSING: "missing"}

	counts = {key: [0, 0, 0, 0] for key in ("on_time", "late", "missing")}
	data = []
	last_of_year = rules.quarter_index(year, 4)
	for project in get_projects(filters):
		start = project.start_index
		until = last_of_year if project.end_index is None else min(last_of_year, project.end_index)
		status = status_labels.get(project.status)
		if status is None:
			status = status_labels[project.status] = _(project.status)
		row = {
			"project": project.project,
			"project_name": project.project_name,
			"branch_name": project.branch_name,
			"status": status,
		}
		for position, (fieldname, code) in enumerate(
			zip(QUARTER_FIELDS, (project.s1, project.s2, project.s3, project.s4), strict=True)
		):
			index, past_due = quarters[position]
			state = SUBMITTED_STATES.get(code)
			if state is None:
				if not start < index <= until:
					state = NOT_REPORTABLE
				else:
					state = MISSING if past_due else NOT_DUE
			row[fieldname] = labels[state]
			key = counted.get(state)
			if key:
				counts[key][position] += 1
		data.append(row)
	return data, counts


# --- chart and summary ------------------------------------------------------------------------------


def get_chart_data(counts: dict[str, list[int]]) -> dict:
	return {
		"data": {
			"labels": [_("Q{0}").format(quarter) for quarter in rules.QUARTERS],
			"datasets": [
				{"name": on_time_label(), "values": counts["on_time"]},
				{"name": cell_label(LATE), "values": counts["late"]},
				{"name": cell_label(MISSING), "values": counts["missing"]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29CD42", "#ECAD4B", "#E24C4C"],
		"fieldtype": "Int",
	}


def get_report_summary(data: list[dict], counts: dict[str, list[int]]) -> list[dict]:
	return [
		{
			"value": len(data),
			"label": _("Projects", context="Dangjian Quarterly Progress"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{"value": sum(counts["on_time"]), "label": on_time_label(), "datatype": "Int", "indicator": "Green"},
		{"value": sum(counts["late"]), "label": cell_label(LATE), "datatype": "Int", "indicator": "Orange"},
		{
			"value": sum(counts["missing"]),
			"label": cell_label(MISSING),
			"datatype": "Int",
			"indicator": "Red",
		},
	]
