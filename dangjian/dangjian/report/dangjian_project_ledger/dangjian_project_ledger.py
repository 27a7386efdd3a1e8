# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""项目管理台账 / 项目库: every project with its unit, branch, topic, lead, status, plan
progress, last quarterly report and overdue flag, acceptance, stars, grade, commendation and
Top Ten.

Scope and filters are in the query; three queries whatever the number of rows: projects,
plan-step counts grouped by project, quarterly reports of those projects."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, getdate, nowdate
from pypika.terms import Case

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import REPORTING_STATES
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

REPORT = "Dangjian Project Ledger"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, None, get_report_summary(data)


def label(text: str) -> str:
	return _(text, context=REPORT)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "project",
			"label": label("Project"),
			"fieldtype": "Link",
			"options": "Dangjian Project",
			"width": 130,
		},
		{"fieldname": "project_name", "label": label("Project Name"), "fieldtype": "Data", "width": 200},
		{"fieldname": "year", "label": label("Year"), "fieldtype": "Int", "width": 60},
		{"fieldname": "unit_name", "label": label("Unit"), "fieldtype": "Data", "width": 120},
		{"fieldname": "branch_name", "label": label("Branch"), "fieldtype": "Data", "width": 140},
		{"fieldname": "topic_area", "label": label("Topic Area"), "fieldtype": "Data", "width": 130},
		{"fieldname": "lead_name", "label": label("Project Lead"), "fieldtype": "Data", "width": 90},
		{"fieldname": "status", "label": label("Status"), "fieldtype": "Data", "width": 100},
		{"fieldname": "plan_progress", "label": label("Plan Progress"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "last_report",
			"label": label("Last Quarterly Report"),
			"fieldtype": "Data",
			"width": 150,
		},
		{"fieldname": "overdue", "label": label("Overdue Reports"), "fieldtype": "Int", "width": 90},
		{"fieldname": "acceptance_result", "label": label("Acceptance"), "fieldtype": "Data", "width": 100},
		{"fieldname": "accepted_on", "label": label("Accepted On"), "fieldtype": "Date", "width": 100},
		{"fieldname": "stars", "label": label("Stars"), "fieldtype": "Int", "width": 60},
		{"fieldname": "grade", "label": label("Grade"), "fieldtype": "Data", "width": 90},
		{"fieldname": "commended", "label": label("Commended"), "fieldtype": "Check", "width": 80},
		{"fieldname": "top_ten", "label": label("Top Ten"), "fieldtype": "Check", "width": 70},
	]


def project_query(filters):
	"""The projects the user may see that match the filters (None: nothing to see)."""
	project = frappe.qb.DocType("Dangjian Project")
	unit = frappe.qb.DocType("Party Organization")
	query = frappe.qb.from_(project).left_join(unit).on(unit.name == project.approving_organization)
	try:
		query = scope.limit_to_scope(query, project.branch, filters.unit)
	except scope.NothingInScope:
		return None
	if filters.year:
		query = query.where(project.year == cint(filters.year))
	for field in ("branch", "status", "topic_area", "grade"):
		value = filters.get(field)
		if isinstance(value, list | tuple):
			query = query.where(project[field].isin(value))
		elif value:
			query = query.where(project[field] == value)
	return query, project, unit


def get_data(filters) -> list[dict]:
	built = project_query(filters)
	if built is None:
		return []
	query, project, unit = built
	projects = (
		query.select(
			project.name.as_("project"),
			project.project_name,
			project.year,
			unit.organization_name.as_("unit_name"),
			project.branch_name,
			project.topic_area,
			project.lead_name,
			project.status,
			project.implementation_started_on,
			project.acceptance_result,
			project.accepted_on,
			project.stars,
			project.grade,
			project.commended,
			project.top_ten,
		)
		.orderby(project.year, order=frappe.qb.desc)
		.orderby(project.name)
		.run(as_dict=True)
	)
	if not projects:
		return []
	names = [p.project for p in projects]
	steps = step_counts(names)
	reports = reports_by_project(names)
	today = getdate(nowdate())
	due_days = cint(get_settings().quarterly_report_due_days)
	for row in projects:
		done, total = steps.get(row.project, (0, 0))
		row.plan_progress = f"{done}/{total}" if total else ""
		submitted = reports.get(row.project, {})
		if submitted:
			year, quarter = max(submitted)
			row.last_report = (
				f"{year} Q{quarter} {_(submitted[(year, quarter)], context='Dangjian Quarterly Report')}"
			)
		row.overdue = overdue_count(row, submitted, today, due_days)
		row.status = _(row.status, context="Dangjian Project")
		row.topic_area = _(row.topic_area, context="Dangjian Project") if row.topic_area else ""
		row.grade = _(row.grade, context="Dangjian Project") if row.grade else ""
		row.acceptance_result = (
			_(row.acceptance_result, context="Dangjian Acceptance") if row.acceptance_result else ""
		)
	return projects


def step_counts(names: list[str]) -> dict[str, tuple[int, int]]:
	step = frappe.qb.DocType("Dangjian Plan Step")
	rows = (
		frappe.qb.from_(step)
		.select(
			step.parent,
			Count(step.name).as_("total"),
			Sum(Case().when(step.step_status == "Done", 1).else_(0)).as_("done"),
		)
		.where((step.parenttype == "Dangjian Project") & (step.parent.isin(names)))
		.groupby(step.parent)
		.run(as_dict=True)
	)
	return {row.parent: (cint(row.done), cint(row.total)) for row in rows}


def reports_by_project(names: list[str]) -> dict[str, dict[tuple[int, int], str]]:
	"""(year, quarter) -> status of each project's submitted, not cancelled reports."""
	report = frappe.qb.DocType("Dangjian Quarterly Report")
	rows = (
		frappe.qb.from_(report)
		.select(report.project, report.year, report.quarter, report.status)
		.where(
			(report.project.isin(names)) & (report.docstatus < 2) & (report.first_submitted_on.isnotnull())
		)
		.run(as_dict=True)
	)
	out: dict[str, dict] = {}
	for row in rows:
		out.setdefault(row.project, {})[(cint(row.year), cint(row.quarter))] = row.status
	return out


def overdue_count(row, submitted, today, due_days) -> int:
	"""Quarters due while the project is in implementation whose due date has passed with no
	submission."""
	if row.status not in REPORTING_STATES or not row.implementation_started_on:
		return 0
	return len(rules.overdue_quarters(getdate(row.implementation_started_on), today, due_days, submitted))


def get_report_summary(data):
	return [
		{"value": len(data), "label": label("Projects"), "datatype": "Int"},
		{
			"value": sum(1 for r in data if r.overdue),
			"label": label("With Overdue Reports"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"value": sum(1 for r in data if r.commended),
			"label": label("Commended"),
			"datatype": "Int",
			"indicator": "Green",
		},
	]
