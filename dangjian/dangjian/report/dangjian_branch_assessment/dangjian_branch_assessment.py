# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""支部党建考评: per branch and year, what the 党建+ scheme contributes to the branch's star
rating (星级评定) and the annual party-building assessment (年度基层党建考评).

Composite (0–100), the weights below: applying for the minimum number of projects 20; the
share of quarterly reports submitted on time 30 (full marks when none was due); a project that
passed acceptance at its first attempt 20; the best stars × 4 (20 for five stars); spot checks
10 (qualified 10, basically qualified 5, unqualified 0, none 10).

Filters: year (required), unit (with its subtree) and, for the branch's year pack
(branch_year_pack.py), branch. Scope and filters are in the queries; a fixed number of queries
whatever the number of rows: branches, projects, quarterly reports, first acceptances, spot
checks (plus the settings and, with a unit filter, the unit's bounds)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import cint, flt, getdate, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import (
	ACCEPTANCE_APPLIED,
	ACCEPTED,
	APPROVED_STATES,
	DRAFT,
	EVALUATED,
	REPORTING_STATES,
)
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

REPORT = "Dangjian Branch Assessment"
WEIGHTS = {"minimum": 20, "reports": 30, "first_acceptance": 20, "stars": 20, "spot_checks": 10}
# the project has left implementation: reports were due up to the day it left
FINISHED_STATES = (ACCEPTANCE_APPLIED, ACCEPTED, EVALUATED)
PASSED = "Passed"
SPOT_CHECK_POINTS = {"Qualified": 1.0, "Basically Qualified": 0.5, "Unqualified": 0.0}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.year = cint(filters.year) or getdate(nowdate()).year
	data = get_data(filters)
	return get_columns(), data, get_message(), get_chart(data), get_summary(data)


def get_message() -> str:
	"""The composite's formula, shown above the report."""
	return _(
		"Composite (0–100), the input to the branch's star rating: minimum number of projects applied for {0}; share of due quarterly reports submitted on time × {1} (full marks when none was due); a project passed at its first acceptance {2}; best stars × {3}; spot checks × {4} (qualified 1, basically qualified 0.5, unqualified 0; full marks without a check)."
	).format(
		WEIGHTS["minimum"],
		WEIGHTS["reports"],
		WEIGHTS["first_acceptance"],
		WEIGHTS["stars"] // 5,
		WEIGHTS["spot_checks"],
	)


def label(text: str) -> str:
	return _(text, context=REPORT)


def get_columns() -> list[dict]:
	def int_col(name, text, width=80):
		return {"fieldname": name, "label": label(text), "fieldtype": "Int", "width": width}

	return [
		{"fieldname": "unit_name", "label": label("Unit"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "branch",
			"label": label("Branch"),
			"fieldtype": "Link",
			"options": "Party Organization",
			"width": 110,
		},
		{"fieldname": "branch_name", "label": label("Branch Name"), "fieldtype": "Data", "width": 150},
		int_col("applied", "Applied"),
		{"fieldname": "minimum_met", "label": label("Minimum Met"), "fieldtype": "Check", "width": 90},
		int_col("on_time_applications", "Applied on Time", 100),
		int_col("approved", "Approved"),
		int_col("reports_on_time", "Reports on Time", 100),
		int_col("reports_late", "Reports Late", 90),
		int_col("reports_missing", "Reports Missing", 100),
		{
			"fieldname": "first_acceptance",
			"label": label("Passed First Acceptance"),
			"fieldtype": "Check",
			"width": 120,
		},
		int_col("best_stars", "Best Stars"),
		int_col("spot_qualified", "Spot Checks Qualified", 110),
		int_col("spot_basically", "Spot Checks Basically Qualified", 130),
		int_col("spot_unqualified", "Spot Checks Unqualified", 120),
		int_col("commended", "Commended"),
		int_col("top_ten", "Top Ten"),
		{
			"fieldname": "composite",
			"label": label("Composite"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 90,
		},
	]


def get_data(filters) -> list[dict]:
	allowed = scope.allowed_organizations()
	if allowed is not None and not allowed:
		return []
	org = frappe.qb.DocType("Party Organization")
	unit = frappe.qb.DocType("Party Organization").as_("unit")
	query = (
		frappe.qb.from_(org)
		.left_join(unit)
		.on(unit.name == org.approving_organization)
		.select(
			org.name.as_("branch"),
			org.organization_name.as_("branch_name"),
			unit.organization_name.as_("unit_name"),
		)
		.where(org.organization_type.isin((rules.BRANCH, rules.GENERAL_BRANCH)))
		.where(org.disabled == 0)
		.orderby(org.lft)
	)
	if allowed is not None:
		query = query.where(org.name.isin(allowed))
	if filters.branch:
		query = query.where(org.name == filters.branch)
	if filters.unit:
		bounds = frappe.db.get_value("Party Organization", filters.unit, ["lft", "rgt"], as_dict=True)
		if not bounds:
			return []
		query = query.where((org.lft >= bounds.lft) & (org.rgt <= bounds.rgt))
	branches = query.run(as_dict=True)
	if not branches:
		return []
	names = [b.branch for b in branches]
	projects = projects_of(names, filters.year)
	if (
		not projects
		and not filters.branch
		and not frappe.db.exists("Dangjian Project", {"year": filters.year})
	):
		# no project anywhere that year: the scheme did not run, there is nothing to assess (a
		# branch without a project in a year others applied is a red row; the year pack asking
		# for one branch always gets its row)
		return []
	reports = reports_of([p.name for p in projects])
	acceptances = acceptances_of([p.name for p in projects])
	first_passed = {a.project for a in acceptances if is_first_attempt_pass(a)}
	left_on = implementation_ends(projects, acceptances)
	spot = spot_checks_of(names, filters.year)
	settings = get_settings()
	minimum = cint(settings.min_projects_per_branch)
	due_days = cint(settings.quarterly_report_due_days)
	today = getdate(nowdate())
	by_branch: dict[str, list] = {}
	for project in projects:
		by_branch.setdefault(project.branch, []).append(project)
	for row in branches:
		mine = by_branch.get(row.branch, [])
		applied = [p for p in mine if p.status != DRAFT]
		row.applied = len(applied)
		row.minimum_met = 1 if row.applied >= minimum else 0
		row.on_time_applications = sum(1 for p in applied if not p.is_late)
		row.approved = sum(1 for p in mine if p.status in APPROVED_STATES)
		row.reports_on_time = row.reports_late = row.reports_missing = 0
		for project in mine:
			submitted = reports.get(project.name, {})
			row.reports_on_time += sum(1 for late in submitted.values() if not late)
			row.reports_late += sum(1 for late in submitted.values() if late)
			row.reports_missing += len(
				missing_quarters(project, submitted, today, due_days, left_on.get(project.name))
			)
		row.first_acceptance = 1 if any(p.name in first_passed for p in mine) else 0
		row.best_stars = max((cint(p.stars) for p in mine), default=0)
		row.commended = sum(1 for p in mine if p.commended)
		row.top_ten = sum(1 for p in mine if p.top_ten)
		results = spot.get(row.branch, {})
		row.spot_qualified = results.get("Qualified", 0)
		row.spot_basically = results.get("Basically Qualified", 0)
		row.spot_unqualified = results.get("Unqualified", 0)
		row.composite = composite(row, results)
	return branches


def composite(row, spot_results: dict) -> float:
	due = row.reports_on_time + row.reports_late + row.reports_missing
	report_share = row.reports_on_time / due if due else 1.0
	checks = sum(spot_results.values())
	spot_share = (
		sum(SPOT_CHECK_POINTS.get(result, 0) * count for result, count in spot_results.items()) / checks
		if checks
		else 1.0
	)
	return round(
		WEIGHTS["minimum"] * row.minimum_met
		+ WEIGHTS["reports"] * report_share
		+ WEIGHTS["first_acceptance"] * row.first_acceptance
		+ WEIGHTS["stars"] * row.best_stars / 5
		+ WEIGHTS["spot_checks"] * spot_share,
		1,
	)


def projects_of(branches, year):
	return frappe.get_all(
		"Dangjian Project",
		filters={"branch": ("in", branches), "year": year},
		fields=[
			"name",
			"branch",
			"status",
			"is_late",
			"implementation_started_on",
			"accepted_on",
			"stars",
			"commended",
			"top_ten",
		],
	)


def reports_of(projects) -> dict[str, dict[tuple[int, int], int]]:
	if not projects:
		return {}
	out: dict[str, dict] = {}
	for row in frappe.get_all(
		"Dangjian Quarterly Report",
		filters={"project": ("in", projects), "docstatus": ("<", 2), "first_submitted_on": ("is", "set")},
		fields=["project", "year", "quarter", "is_late"],
	):
		out.setdefault(row.project, {})[(cint(row.year), cint(row.quarter))] = cint(row.is_late)
	return out


def missing_quarters(project, submitted, today, due_days, left_on=None) -> list[tuple[int, int]]:
	"""The quarters a report was due for, its due date passed, and none was submitted. A
	project still in implementation owes every quarter that has ended since the one it started
	in; one that has left implementation (``left_on``) the quarters that had ended by then — it
	could no longer report after."""
	if not project.implementation_started_on:
		return []
	if project.status in REPORTING_STATES:
		ended_by = today
	elif project.status in FINISHED_STATES and left_on:
		ended_by = min(today, getdate(left_on))
	else:
		return []
	return rules.overdue_quarters(
		getdate(project.implementation_started_on), today, due_days, submitted, ended_by=ended_by
	)


def acceptances_of(projects) -> list[frappe._dict]:
	if not projects:
		return []
	return frappe.get_all(
		"Dangjian Acceptance",
		filters={"project": ("in", projects), "docstatus": ("<", 2)},
		fields=["project", "attempt_no", "status", "docstatus", "applied_on", "concluded_on"],
		order_by="attempt_no asc",
	)


def is_first_attempt_pass(acceptance) -> bool:
	return cint(acceptance.attempt_no) == 1 and acceptance.status == PASSED and acceptance.docstatus == 1


def implementation_ends(projects, acceptances) -> dict[str, object]:
	"""The day each project that has left implementation left it: accepted on (or the passed
	acceptance's date), or for one waiting for its acceptance the day it applied."""
	passed = {a.project: a.concluded_on for a in acceptances if a.status == PASSED and a.docstatus == 1}
	applied: dict[str, object] = {}
	for a in acceptances:
		if a.status == "Applied" and a.applied_on:
			applied[a.project] = max(getdate(a.applied_on), getdate(applied.get(a.project) or a.applied_on))
	out = {}
	for project in projects:
		if project.status in (ACCEPTED, EVALUATED):
			out[project.name] = project.accepted_on or passed.get(project.name)
		elif project.status == ACCEPTANCE_APPLIED:
			out[project.name] = applied.get(project.name)
	return out


def spot_checks_of(branches, year) -> dict[str, dict[str, int]]:
	check = frappe.qb.DocType("Dangjian Spot Check")
	rows = (
		frappe.qb.from_(check)
		.select(check.branch, check.result, Count(check.name).as_("count"))
		.where((check.docstatus == 1) & (check.year == year) & (check.branch.isin(branches)))
		.groupby(check.branch, check.result)
		.run(as_dict=True)
	)
	out: dict[str, dict] = {}
	for row in rows:
		out.setdefault(row.branch, {})[row.result] = cint(row.count)
	return out


def get_chart(data):
	if not data:
		return None
	return {
		"data": {
			"labels": [r.branch_name for r in data],
			"datasets": [{"name": label("Composite"), "values": [r.composite for r in data]}],
		},
		"type": "bar",
	}


def get_summary(data):
	return [
		{"value": len(data), "label": label("Branches"), "datatype": "Int"},
		{
			"value": sum(1 for r in data if not r.minimum_met),
			"label": label("Below Minimum"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"value": flt(sum(r.composite for r in data) / len(data), 1) if data else 0,
			"label": label("Average Composite"),
			"datatype": "Float",
		},
	]
