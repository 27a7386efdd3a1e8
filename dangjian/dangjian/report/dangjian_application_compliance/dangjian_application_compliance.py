# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""申报情况: per branch and year, the projects applied for (on time, late, approved), whether
the branch met the minimum, and the spot checks of its applications.

Scope: ``frappe.qb`` applies no row permissions, so the branch query itself is limited to the
user's organizations (``scope.allowed_organizations``); an app user with no scope gets no
rows. Three queries whatever the number of rows: branches, projects grouped by branch, spot
checks grouped by branch and result."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, getdate, nowdate
from pypika.terms import Case

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import APPROVED_STATES, DRAFT
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.doctype.dangjian_spot_check.dangjian_spot_check import RESULTS

REPORT = "Dangjian Application Compliance"
BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.year = cint(filters.year) or getdate(nowdate()).year
	columns = get_columns()
	data = get_data(filters)
	return columns, data, None, get_chart_data(data), get_report_summary(data)


def label(text: str) -> str:
	"""Column labels are generic words: translated in the report's own context."""
	return _(text, context=REPORT)


def get_columns() -> list[dict]:
	# The unit comes before the branch: on the desk Frappe also drops each row whose last Link
	# column to a doctype is outside the user's User Permissions, and a branch secretary's
	# scope holds their branch, not its unit.
	return [
		{
			"fieldname": "unit",
			"label": label("Unit"),
			"fieldtype": "Link",
			"options": "Party Organization",
			"width": 110,
		},
		{"fieldname": "unit_name", "label": label("Unit Name"), "fieldtype": "Data", "width": 150},
		{
			"fieldname": "branch",
			"label": label("Branch"),
			"fieldtype": "Link",
			"options": "Party Organization",
			"width": 130,
		},
		{"fieldname": "branch_name", "label": label("Branch Name"), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "secretary",
			"label": label("Secretary"),
			"fieldtype": "Link",
			"options": "User",
			"width": 150,
		},
		{"fieldname": "secretary_name", "label": label("Secretary Name"), "fieldtype": "Data", "width": 100},
		{"fieldname": "applied", "label": label("Applied"), "fieldtype": "Int", "width": 80},
		{"fieldname": "on_time", "label": label("On Time"), "fieldtype": "Int", "width": 80},
		{"fieldname": "late", "label": label("Late"), "fieldtype": "Int", "width": 80},
		{"fieldname": "approved", "label": label("Approved"), "fieldtype": "Int", "width": 80},
		{"fieldname": "minimum_met", "label": label("Minimum Met"), "fieldtype": "Check", "width": 100},
		{"fieldname": "spot_checks", "label": label("Spot Checks"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "spot_check_results",
			"label": label("Spot-Check Results"),
			"fieldtype": "Data",
			"width": 200,
		},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	branches = get_branches(filters)
	if not branches:
		return []
	names = [branch.branch for branch in branches]
	projects = get_project_counts(names, filters.year)
	checks = get_spot_check_counts(names, filters.year)
	minimum = cint(get_settings().min_projects_per_branch) or 1

	data = []
	for branch in branches:
		counts = projects.get(branch.branch) or frappe._dict()
		applied, late = cint(counts.applied), cint(counts.late)
		results = checks.get(branch.branch) or {}
		data.append(
			{
				**branch,
				"applied": applied,
				"on_time": applied - late,
				"late": late,
				"approved": cint(counts.approved),
				"minimum_met": 1 if applied >= minimum else 0,
				"spot_checks": sum(results.values()),
				"spot_check_results": describe_results(results),
			}
		)
	return data


def get_branches(filters: frappe._dict) -> list[frappe._dict]:
	"""The branches (and general branches) in the user's scope, under the chosen unit."""
	allowed = scope.allowed_organizations()
	if allowed is not None and (not allowed or (filters.unit and filters.unit not in allowed)):
		# an app user with no scope, or a unit outside it: nothing
		return []

	org = frappe.qb.DocType(scope.ORG)
	unit = frappe.qb.DocType(scope.ORG).as_("approving_unit")
	user = frappe.qb.DocType("User")
	query = (
		frappe.qb.from_(org)
		.left_join(unit)
		.on(unit.name == org.approving_organization)
		.left_join(user)
		.on(user.name == org.secretary)
		.select(
			org.name.as_("branch"),
			org.organization_name.as_("branch_name"),
			org.approving_organization.as_("unit"),
			unit.organization_name.as_("unit_name"),
			org.secretary,
			user.full_name.as_("secretary_name"),
		)
		.where(org.organization_type.isin(BRANCH_TYPES))
		.where(org.disabled == 0)
		.orderby(org.lft)
	)
	if allowed is not None:
		query = query.where(org.name.isin(allowed))
	if filters.unit:
		chosen = frappe.qb.DocType(scope.ORG).as_("chosen_unit")
		query = (
			query.join(chosen)
			.on(chosen.name == filters.unit)
			.where(org.lft >= chosen.lft)
			.where(org.rgt <= chosen.rgt)
		)
	return query.run(as_dict=True)


def get_project_counts(branches: list[str], year: int) -> dict[str, frappe._dict]:
	"""branch -> applied, late, approved: projects of the year that have been applied for."""
	project = frappe.qb.DocType("Dangjian Project")
	rows = (
		frappe.qb.from_(project)
		.select(
			project.branch,
			Count(project.name).as_("applied"),
			Sum(Case().when(project.is_late == 1, 1).else_(0)).as_("late"),
			Sum(Case().when(project.status.isin(APPROVED_STATES), 1).else_(0)).as_("approved"),
		)
		.where(project.year == year)
		.where(project.status != DRAFT)
		.where(project.branch.isin(branches))
		.groupby(project.branch)
		.run(as_dict=True)
	)
	return {row.branch: row for row in rows}


def get_spot_check_counts(branches: list[str], year: int) -> dict[str, dict[str, int]]:
	"""branch -> {result: count} of the submitted spot checks of the year."""
	check = frappe.qb.DocType("Dangjian Spot Check")
	rows = (
		frappe.qb.from_(check)
		.select(check.branch, check.result, Count(check.name).as_("count"))
		.where(check.docstatus == 1)
		.where(check.year == year)
		.where(check.branch.isin(branches))
		.groupby(check.branch, check.result)
		.run(as_dict=True)
	)
	out: dict[str, dict[str, int]] = {}
	for row in rows:
		out.setdefault(row.branch, {})[row.result] = cint(row.count)
	return out


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
