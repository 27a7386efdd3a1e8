# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""申报情况: per branch and year, the projects applied for (on time, late, approved), whether
the branch met the minimum, and the spot checks of its applications.

Scope: the query itself is limited to the user's organizations (``scope.scope_condition``, an
EXISTS on the user's User Permissions over the nested set); an app user with no scope gets no
rows. One statement whatever the number of rows: branches with their projects and spot checks
grouped by branch."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, getdate, nowdate
from pypika.terms import Case

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import APPROVED_STATES, DRAFT
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.doctype.dangjian_spot_check.dangjian_spot_check import RESULTS
from dangjian.dangjian.report import branch_sql
from dangjian.dangjian.report.columns import columns
from dangjian.filters import report_filters

REPORT = "Dangjian Application Compliance"
BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)


def execute(filters=None):
	filters = report_filters(filters)
	columns = get_columns()
	data = get_data(filters)
	return columns, data, None, get_chart_data(data), get_report_summary(data)


def get_columns() -> list[dict]:
	# the organisations are Data columns shown as links (see columns.organization_column)
	return columns(
		REPORT,
		("unit", "Unit", "Link", 110, "Party Organization"),
		("unit_name", "Unit Name", "Data", 150),
		("branch", "Branch", "Link", 130, "Party Organization"),
		("branch_name", "Branch Name", "Data", 180),
		("secretary", "Secretary", "Link", 150, "User"),
		("secretary_name", "Secretary Name", "Data", 100),
		("applied", "Applied", "Int", 80),
		("on_time", "On Time", "Int", 80),
		("late", "Late", "Int", 80),
		("approved", "Approved", "Int", 80),
		("minimum_met", "Minimum Met", "Check", 100),
		("spot_checks", "Spot Checks", "Int", 90),
		("spot_check_results", "Spot-Check Results", "Data", 200),
	)


# per branch in scope: the year's applications (projects past Draft) and submitted spot checks
COMPLIANCE_SQL = """
select
	o.name as branch,
	o.organization_name as branch_name,
	o.approving_organization as unit,
	u.organization_name as unit_name,
	o.secretary,
	usr.full_name as secretary_name,
	cast(coalesce(pc.applied, 0) as signed) as applied,
	cast(coalesce(pc.applied, 0) - coalesce(pc.late, 0) as signed) as on_time,
	cast(coalesce(pc.late, 0) as signed) as late,
	cast(coalesce(pc.approved, 0) as signed) as approved,
	if(coalesce(pc.applied, 0) >= %(minimum)s, 1, 0) as minimum_met,
	{result_columns}
from `tabParty Organization` o
left join `tabParty Organization` u on u.name = o.approving_organization
left join `tabUser` usr on usr.name = o.secretary
left join (
	select branch, count(*) as applied, sum(is_late = 1) as late,
		sum(status in %(approved_states)s) as approved
	from `tabDangjian Project`
	where year = %(year)s and status != %(draft)s
	group by branch
) pc on pc.branch = o.name
{branches_with_spot_checks}
"""


def get_data(filters: frappe._dict) -> list[dict]:
	"""One statement whatever the number of rows: the branches (and general branches) in the
	user's scope, under the chosen unit, with their applications and spot checks grouped in
	SQL. A unit outside the user's scope gives no rows."""
	condition, params = scope.scope_condition("o")
	in_unit, values = scope.unit_condition("o", filters.unit, alias="chosen_unit", in_scope=True)
	conditions = [condition, in_unit]
	params.update(values)
	params.update(
		year=filters.year,
		draft=DRAFT,
		approved_states=tuple(APPROVED_STATES),
		**branch_sql.params(),
	)
	result_keys = list(branch_sql.RESULT_KEYS.values())
	sql = COMPLIANCE_SQL.format(
		result_columns=", ".join(
			f"cast(coalesce(sc.{key}, 0) as signed) as {'spot_checks' if key == 'checks' else key}"
			for key in ["checks", *result_keys]
		),
		branches_with_spot_checks=branch_sql.branches_with_spot_checks(" and ".join(conditions)),
	)
	params["minimum"] = cint(get_settings().min_projects_per_branch) or 1
	data = frappe.db.sql(sql, params, as_dict=True)
	for row in data:
		# the columns come in the report's order; the spot-check results, translated, follow
		row.spot_check_results = describe_results(
			{result: row.pop(key) for result, key in branch_sql.RESULT_KEYS.items()}
		)
	return data


def describe_results(results: dict[str, int]) -> str:
	"""e.g. "合格 2, 不合格 1", in the order of the results' options."""
	return ", ".join(
		"{} {}".format(_(result, context="Dangjian Spot Check"), results[result])
		for result in RESULTS
		if results.get(result)
	)


def get_chart_data(data: list[dict]) -> dict | None:
	"""Per unit, the branches that applied on time, applied only late, or did not apply."""
	if not data:
		return None
	units: dict[str, list[int]] = {}
	for row in data:
		counts = units.setdefault(row.get("unit_name") or row.get("unit") or _("No Unit"), [0, 0, 0])
		if row["on_time"]:
			counts[0] += 1
		elif row["late"]:
			counts[1] += 1
		else:
			counts[2] += 1
	return {
		"data": {
			"labels": list(units),
			"datasets": [
				{"name": _("Applied on Time"), "values": [counts[0] for counts in units.values()]},
				{"name": _("Applied Late Only"), "values": [counts[1] for counts in units.values()]},
				{"name": _("Not Applied"), "values": [counts[2] for counts in units.values()]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29CD42", "#ECAD4B", "#E24C4C"],
	}


def get_report_summary(data: list[dict]) -> list[dict]:
	below = sum(1 for row in data if not row["minimum_met"])
	late = sum(row["late"] for row in data)
	return [
		{"value": len(data), "label": _("Branches"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": sum(row["applied"] for row in data),
			"label": _("Projects Applied"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": late,
			"label": _("Applied Late"),
			"datatype": "Int",
			"indicator": "Orange" if late else "Green",
		},
		{
			"value": below,
			"label": _("Branches Below the Minimum"),
			"datatype": "Int",
			"indicator": "Red" if below else "Green",
		},
	]
