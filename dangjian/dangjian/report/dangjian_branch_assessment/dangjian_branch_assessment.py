# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""支部党建考评: per branch and year, what the 党建+ scheme contributes to the branch's star
rating (星级评定) and the annual party-building assessment (年度基层党建考评).

Composite (0–100), the weights below: applying for the minimum number of projects 20; the
share of quarterly reports submitted on time 30 (full marks when none was due); a project that
passed acceptance at its first attempt 20; the best stars × 4 (20 for five stars); spot checks
10 (qualified 10, basically qualified 5, unqualified 0, none 10).

Filters: year (required), unit (with its subtree) and, for the branch's year pack
(branch_year_pack.py), branch. Scope and filters are in the query: one statement whatever the
number of rows (branches with their projects, reports, first acceptances and spot checks
aggregated in SQL), plus one when no branch in scope has a project that year."""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import (
	ACCEPTANCE_APPLIED,
	ACCEPTED,
	APPROVED_STATES,
	DRAFT,
	EVALUATED,
	FINISHED_STATES,
	REPORTING_STATES,
)
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.doctype.dangjian_spot_check.dangjian_spot_check import (
	BASICALLY_QUALIFIED,
	QUALIFIED,
	UNQUALIFIED,
)
from dangjian.dangjian.report import branch_sql, overdue_sql
from dangjian.dangjian.report.columns import organization_column
from dangjian.filters import report_filters

REPORT = "Dangjian Branch Assessment"
WEIGHTS = {"minimum": 20, "reports": 30, "first_acceptance": 20, "stars": 20, "spot_checks": 10}
PASSED = "Passed"
SPOT_CHECK_POINTS = {QUALIFIED: 1.0, BASICALLY_QUALIFIED: 0.5, UNQUALIFIED: 0.0}
# the report's column of each spot-check result
SPOT_COLUMNS = {
	QUALIFIED: "spot_qualified",
	BASICALLY_QUALIFIED: "spot_basically",
	UNQUALIFIED: "spot_unqualified",
}


def execute(filters=None):
	filters = report_filters(filters)
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
		organization_column(
			{
				"fieldname": "branch",
				"label": label("Branch"),
				"fieldtype": "Link",
				"options": "Party Organization",
				"width": 110,
			}
		),
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


# Per branch in scope: the year's projects (applications, approvals, stars, commendations),
# their quarterly reports (on time, late, and missing: due quarters after the one
# implementation started in, up to the last one whose due date has passed or, for a project
# that has left implementation, the last one that had ended when it left), whether one passed
# its first acceptance (or, imported from an earlier ledger, passed it in one round there), and
# the year's submitted spot checks per result.
ASSESSMENT_SQL = """
select
	o.name as branch,
	o.organization_name as branch_name,
	u.organization_name as unit_name,
	cast(coalesce(b.applied, 0) as signed) as applied,
	if(coalesce(b.applied, 0) >= %(minimum)s, 1, 0) as minimum_met,
	cast(coalesce(b.on_time_applications, 0) as signed) as on_time_applications,
	cast(coalesce(b.approved, 0) as signed) as approved,
	cast(coalesce(b.reports_on_time, 0) as signed) as reports_on_time,
	cast(coalesce(b.reports_late, 0) as signed) as reports_late,
	cast(coalesce(b.reports_missing, 0) as signed) as reports_missing,
	cast(coalesce(b.first_acceptance, 0) as signed) as first_acceptance,
	cast(coalesce(b.best_stars, 0) as signed) as best_stars,
	cast(coalesce(b.commended, 0) as signed) as commended,
	cast(coalesce(b.top_ten, 0) as signed) as top_ten,
	{spot_columns},
	coalesce(sc.checks, 0) as checks,
	coalesce(b.projects, 0) as projects
from `tabParty Organization` o
left join `tabParty Organization` u on u.name = o.approving_organization
left join (
	select y.branch,
		count(*) as projects,
		sum(y.status != %(draft)s) as applied,
		sum(y.status != %(draft)s and coalesce(y.is_late, 0) = 0) as on_time_applications,
		sum(y.status in %(approved_states)s) as approved,
		sum(y.reports_on_time) as reports_on_time,
		sum(y.reports_late) as reports_late,
		sum(y.reports_missing) as reports_missing,
		max(y.first_passed) as first_acceptance,
		max(coalesce(y.stars, 0)) as best_stars,
		sum(coalesce(y.commended, 0) != 0) as commended,
		sum(coalesce(y.top_ten, 0) != 0) as top_ten
	from (
		select x.name, x.branch, x.status, x.is_late, x.stars, x.commended, x.top_ten, x.first_passed,
			count(distinct if(coalesce(d.is_late, 0) = 0, d.year * 4 + d.quarter, null)) as reports_on_time,
			count(distinct if(coalesce(d.is_late, 0) != 0, d.year * 4 + d.quarter, null)) as reports_late,
			{reports_missing} as reports_missing
		from (
			select p.name, p.branch, p.status, p.is_late, p.stars, p.commended, p.top_ten,
				(exists (select 1 from `tabDangjian Acceptance` a where a.project = p.name
					and a.attempt_no = 1 and a.status = %(passed)s and a.docstatus = 1)
					or (p.acceptance_result = %(passed)s and p.imported_acceptance_rounds = 1)) as first_passed,
				{start_index} as start_index,
				{end_index} as end_index
			from `tabDangjian Project` p
			join `tabParty Organization` po on po.name = p.branch
			where p.year = %(year)s and {project_conditions}
		) x
		left join `tabDangjian Quarterly Report` d on d.project = x.name and d.docstatus < 2
			and d.first_submitted_on is not null
		group by x.name
	) y
	group by y.branch
) b on b.branch = o.name
{branches_with_spot_checks}
"""


def get_data(filters) -> list[dict]:
	"""One statement whatever the number of rows (scope, unit and branch in the query, see
	scope.scope_condition); Python computes the composite. Plus, when no branch in scope has a
	project that year, one query whether any project exists that year."""

	def conditions(org: str) -> str:
		"""The scope and the filters on the branch aliased ``org``."""
		out = []
		for condition, values in (scope.scope_condition(org), scope.unit_condition(org, filters.unit)):
			out.append(condition)
			params.update(values)
		if filters.branch:
			out.append(f"{org}.name = %(branch)s")
			params["branch"] = filters.branch
		return " and ".join(out)

	params = {}
	sql = ASSESSMENT_SQL.format(
		spot_columns=",\n\t".join(
			f"cast(coalesce(sc.{branch_sql.RESULT_KEYS[result]}, 0) as signed) as {column}"
			for result, column in SPOT_COLUMNS.items()
		),
		branches_with_spot_checks=branch_sql.branches_with_spot_checks(conditions("o")),
		project_conditions=conditions("po"),
		start_index=overdue_sql.start_index("p"),
		end_index=overdue_sql.end_index("p", left_implementation=True),
		reports_missing=overdue_sql.missing("x.start_index", "x.end_index", overdue_sql.reported_aggregate),
	)
	settings = get_settings()
	minimum = cint(settings.min_projects_per_branch)
	today = getdate(nowdate())
	params.update(
		year=filters.year,
		draft=DRAFT,
		approved_states=tuple(APPROVED_STATES),
		**branch_sql.params(),
		**overdue_sql.params(today),
		minimum=minimum,
	)
	branches = frappe.db.sql(sql, params, as_dict=True)
	if not branches:
		return []
	if (
		not any(row.projects for row in branches)
		and not filters.branch
		and not frappe.db.exists("Dangjian Project", {"year": filters.year})
	):
		# no project anywhere that year: the scheme did not run, there is nothing to assess (a
		# branch without a project in a year others applied is a red row; the year pack asking
		# for one branch always gets its row)
		return []
	for row in branches:
		# the columns come in the report's order; the composite follows them
		del row["projects"]
		checks = row.pop("checks")
		results = {result: row[column] for result, column in SPOT_COLUMNS.items()}
		other = checks - sum(results.values())
		if other:
			results[""] = other  # a result without points still counts as a check
		row.composite = composite(row, {result: n for result, n in results.items() if n})
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
