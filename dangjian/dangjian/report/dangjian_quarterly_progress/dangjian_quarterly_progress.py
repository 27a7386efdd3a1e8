# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""季度进展汇总: for each project in implementation in a year, how each quarter's progress
report stands — reviewed, submitted, late, missing, not due yet, or not reportable ("—").

Two queries whatever the number of rows: the projects (scope and filters applied in the
query) and the year's reports of those projects.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import (
	ACCEPTANCE_APPLIED,
	ACCEPTED,
	EVALUATED,
	REPORTING_STATES,
)
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

REPORT_NAME = "Dangjian Quarterly Progress"
# the project has left implementation: its row shows the quarters it reported in
FINISHED_STATES = (ACCEPTANCE_APPLIED, ACCEPTED, EVALUATED)

# the cell values, translated when shown; the set is fixed
REVIEWED = "Reviewed"  # submitted on time and reviewed
SUBMITTED = "Submitted"  # submitted on time, not reviewed yet
LATE = "Late"  # first submitted after the due date
MISSING = "Missing"  # due date passed, nothing submitted
NOT_DUE = "Not Due"  # due date not reached, nothing submitted yet
NOT_REPORTABLE = "—"  # the quarter implementation started in or before it, or after it ended

QUARTER_FIELDS = ("q1", "q2", "q3", "q4")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.year = cint(filters.year) or getdate(nowdate()).year
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


def get_projects(filters) -> list[frappe._dict]:
	"""The projects in the user's scope that were in implementation by the end of the year."""
	allowed = scope.allowed_organizations()
	if allowed is not None:
		if not allowed:
			return []  # an app user with no scope sees nothing
		for org in (filters.unit, filters.branch):
			if org and org not in allowed:
				return []  # outside the user's scope: nothing, not an error

	project = frappe.qb.DocType("Dangjian Project")
	branch = frappe.qb.DocType("Party Organization")
	query = (
		frappe.qb.from_(project)
		.join(branch)
		.on(branch.name == project.branch)
		.select(
			project.name.as_("project"),
			project.project_name,
			project.branch,
			project.branch_name,
			project.status,
			project.implementation_started_on,
			project.accepted_on,
		)
		.where(project.implementation_started_on.isnotnull())
		.where(project.implementation_started_on <= datetime.date(filters.year, 12, 31))
		.where(project.status.isin((*REPORTING_STATES, *FINISHED_STATES)))
		.orderby(project.branch_name)
		.orderby(project.name)
	)
	if allowed is not None:
		query = query.where(project.branch.isin(allowed))
	# a unit, or a general branch, covers its subtree (nested set)
	for alias, org in (("unit_org", filters.unit), ("branch_org", filters.branch)):
		if org:
			ancestor = frappe.qb.DocType("Party Organization").as_(alias)
			query = (
				query.join(ancestor)
				.on(ancestor.name == org)
				.where(branch.lft >= ancestor.lft)
				.where(branch.rgt <= ancestor.rgt)
			)
	return query.run(as_dict=True)


def get_reports(projects: list[str], year: int) -> dict[tuple[str, int], frappe._dict]:
	"""(project, quarter) -> the year's live (not cancelled) report."""
	if not projects:
		return {}
	report = frappe.qb.DocType("Dangjian Quarterly Report")
	rows = (
		frappe.qb.from_(report)
		.select(
			report.project,
			report.quarter,
			report.status,
			report.docstatus,
			report.first_submitted_on,
			report.is_late,
		)
		.where(report.project.isin(projects))
		.where(report.year == year)
		.where(report.docstatus < 2)
		.run(as_dict=True)
	)
	return {(row.project, cint(row.quarter)): row for row in rows}


def get_data(filters) -> tuple[list[dict], dict[str, list[int]]]:
	year = filters.year
	today = getdate(nowdate())
	due_days = cint(get_settings().quarterly_report_due_days)
	projects = get_projects(filters)
	reports = get_reports([p.project for p in projects], year)

	counts = {key: [0, 0, 0, 0] for key in ("on_time", "late", "missing")}
	data = []
	quarters_reported: dict[str, list[int]] = {}
	for name, quarter in reports:
		quarters_reported.setdefault(name, []).append(quarter)
	for project in projects:
		reported = sorted(quarters_reported.get(project.project, []))
		until = implementation_end(project, year, reported)
		if project.status in FINISHED_STATES and not reported and not (until and until.year >= year):
			continue  # not in implementation that year
		# the quarters of the year a report is due for (ended or not)
		reportable = set(
			rules.quarters_due(
				getdate(project.implementation_started_on), datetime.date(year + 1, 1, 1), until
			)
		)
		row = {
			"project": project.project,
			"project_name": project.project_name,
			"branch_name": project.branch_name,
			"status": _(project.status),
		}
		for quarter, fieldname in enumerate(QUARTER_FIELDS, start=1):
			state = quarter_state(
				reports.get((project.project, quarter)),
				(year, quarter) in reportable,
				year,
				quarter,
				due_days,
				today,
			)
			row[fieldname] = cell_label(state)
			key = {REVIEWED: "on_time", SUBMITTED: "on_time", LATE: "late", MISSING: "missing"}.get(state)
			if key:
				counts[key][quarter - 1] += 1
		data.append(row)
	return data, counts


def implementation_end(project, year: int, reported: list[int]) -> datetime.date | None:
	"""The day the project left implementation, for one that has (None while it reports):
	its acceptance, or failing that the end of the last quarter it reported on in the year."""
	if project.status not in FINISHED_STATES:
		return None
	if project.accepted_on:
		return getdate(project.accepted_on)
	if reported:
		return rules.quarter_end(year, reported[-1])
	return None


def quarter_state(report, reportable: bool, year: int, quarter: int, due_days: int, today) -> str:
	if report and report.first_submitted_on:
		if cint(report.is_late):
			return LATE
		return REVIEWED if cint(report.docstatus) == 1 else SUBMITTED
	if not reportable:
		return NOT_REPORTABLE
	if rules.is_late(today, rules.quarterly_report_due_date(year, quarter, due_days)):
		return MISSING
	return NOT_DUE


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
