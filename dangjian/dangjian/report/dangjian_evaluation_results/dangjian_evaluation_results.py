# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""评估结果统计: the evaluation results of a year, by unit, by topic area (stars 1–5,
average weighted total, grades) or by evaluator category (evaluators, satisfaction rate,
average scores).

A result is a submitted evaluation held in the app, or the result of a project imported from
an earlier ledger (历史台账导入) at the state Evaluated with its stars: the company's history
counts both, as the Branch Assessment, the Commendation List and the star chart do (they read
the project's stars). An imported result is never passed off as an evaluation held in the app:
the star views count it in a column of its own (其中导入), the summary and the message name how
many there are, and the evaluator-category view gives imported evaluators a row of their own
(the ledger recorded how many evaluators and the satisfaction rate, not their categories nor
their average scores). A ledger's blank weighted total is stored as 0, so an imported total of
0 (which only all-zero scores could give) is read as not recorded and left out of the average;
a satisfaction rate of 0 is a rate (none satisfied), the import taking no evaluators without
their rate.
A project imported as accepted and then evaluated in the app counts once, as an evaluation of
the app.

Scope is applied in the query (the evaluated project's branch must be in the user's
organizations); two grouped queries (evaluations, imported results) whatever the number of
rows."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, flt
from pypika.terms import Case, ExistsCriterion

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import EVALUATED
from dangjian.filters import report_filters

REPORT = "Dangjian Evaluation Results"
GROUP_BY = ("Unit", "Topic Area", "Evaluator Category")
STAR_COUNTS = (
	"evaluated",
	"imported",
	"qualified",
	"commended",
	"exemplary",
	*(f"stars_{n}" for n in range(1, 6)),
)


def execute(filters=None):
	filters = report_filters(filters)
	filters.group_by = filters.group_by if filters.group_by in GROUP_BY else "Unit"
	if filters.group_by == "Evaluator Category":
		columns, data = get_category_columns(), get_category_data(filters)
	else:
		columns, data = get_star_columns(filters), get_star_data(filters)
	return (
		columns,
		data,
		get_message(filters, data),
		get_chart_data(filters, data),
		get_report_summary(filters, data),
	)


def label(text: str) -> str:
	return _(text, context=REPORT)


def get_star_columns(filters) -> list[dict]:
	group = label(filters.group_by)
	columns = [
		{"fieldname": "group_value", "label": group, "fieldtype": "Data", "width": 200},
		{"fieldname": "evaluated", "label": label("Evaluated"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "imported",
			"label": label("Of Which Imported"),
			"fieldtype": "Int",
			"width": 100,
		},
	]
	columns += [
		{"fieldname": f"stars_{n}", "label": "★" * n, "fieldtype": "Int", "width": 80}
		for n in (5, 4, 3, 2, 1)
	]
	columns += [
		{
			"fieldname": "average_total",
			"label": label("Average Weighted Total"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 130,
		},
		{"fieldname": "qualified", "label": label("Qualified or Better"), "fieldtype": "Int", "width": 110},
		{"fieldname": "commended", "label": label("Commended Level"), "fieldtype": "Int", "width": 110},
		{"fieldname": "exemplary", "label": label("Exemplary"), "fieldtype": "Int", "width": 100},
	]
	return columns


def get_category_columns() -> list[dict]:
	return [
		{"fieldname": "group_value", "label": label("Evaluator Category"), "fieldtype": "Data", "width": 260},
		{"fieldname": "evaluators", "label": label("Evaluators"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "satisfaction_rate",
			"label": label("Satisfaction Rate"),
			"fieldtype": "Percent",
			"width": 120,
		},
		{
			"fieldname": "avg_benefit",
			"label": label("Average Overall Benefit"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 150,
		},
		{
			"fieldname": "avg_replicability",
			"label": label("Average Replicability"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 150,
		},
	]


def scoped_evaluations(filters):
	"""The submitted evaluations of the year in the user's scope."""
	evaluation = frappe.qb.DocType("Dangjian Evaluation")
	query = frappe.qb.from_(evaluation).where((evaluation.docstatus == 1) & (evaluation.year == filters.year))
	return scope.limit_to_scope(query, evaluation.branch, filters.unit), evaluation


def scoped_imported_results(filters):
	"""The projects of the year in the user's scope imported from an earlier ledger as evaluated
	(their stars are the ledger's) and not evaluated in the app since."""
	project = frappe.qb.DocType("Dangjian Project")
	evaluation = frappe.qb.DocType("Dangjian Evaluation")
	held_here = (
		frappe.qb.from_(evaluation)
		.select(evaluation.name)
		.where((evaluation.project == project.name) & (evaluation.docstatus == 1))
	)
	query = (
		frappe.qb.from_(project)
		.where(project.year == filters.year)
		.where(project.ledger_import.isnotnull() & (project.ledger_import != ""))
		.where(project.status == EVALUATED)
		.where(project.stars > 0)
		.where(ExistsCriterion(held_here).negate())
	)
	return scope.limit_to_scope(query, project.branch, filters.unit), project


def star_select(stars, total, levels: dict, imported: bool) -> list:
	"""The aggregates of one source of results: counts per star and level, the sum of the known
	weighted totals and how many there are (an evaluation's total is always known; an imported
	one is where the ledger gave it, above 0)."""
	if imported:
		known = total > 0
		totals = [
			Sum(Case().when(known, total).else_(0)).as_("total_sum"),
			Sum(Case().when(known, 1).else_(0)).as_("total_count"),
			Count("*").as_("imported"),
		]
	else:
		totals = [Sum(total).as_("total_sum"), Count("*").as_("total_count")]
	select = [Count("*").as_("evaluated"), *totals]
	for n in (5, 4, 3, 2, 1):
		select.append(Sum(Case().when(stars == n, 1).else_(0)).as_(f"stars_{n}"))
	for name in ("qualified", "commended", "exemplary"):
		select.append(Sum(Case().when(stars >= levels[name], 1).else_(0)).as_(name))
	return select


def get_star_data(filters) -> list[dict]:
	levels = rules.levels_from_settings(frappe.get_cached_doc("Dangjian Settings").as_dict())
	org = frappe.qb.DocType("Party Organization")
	project = frappe.qb.DocType("Dangjian Project")

	query, evaluation = scoped_evaluations(filters)
	if filters.group_by == "Unit":
		group = org.organization_name
		query = query.join(org).on(org.name == evaluation.approving_organization)
	else:
		group = project.topic_area
		query = query.join(project).on(project.name == evaluation.project)
	held = (
		query.select(
			group.as_("group_value"),
			*star_select(evaluation.stars, evaluation.weighted_total, levels, imported=False),
		)
		.groupby(group)
		.run(as_dict=True)
	)

	query, imported = scoped_imported_results(filters)
	if filters.group_by == "Unit":
		unit = frappe.qb.DocType("Party Organization").as_("result_unit")
		group = unit.organization_name
		query = query.join(unit).on(unit.name == imported.approving_organization)
	else:
		group = imported.topic_area
	brought = (
		query.select(
			group.as_("group_value"),
			*star_select(imported.stars, imported.imported_weighted_total, levels, imported=True),
		)
		.groupby(group)
		.run(as_dict=True)
	)

	rows: dict[str, frappe._dict] = {}
	for source in (held, brought):
		for part in source:
			key = part.group_value or ""
			row = rows.setdefault(
				key,
				frappe._dict(group_value=key, total_sum=0.0, total_count=0, **dict.fromkeys(STAR_COUNTS, 0)),
			)
			for name in STAR_COUNTS:
				row[name] += cint(part.get(name))
			row.total_sum += flt(part.total_sum)
			row.total_count += cint(part.total_count)
	out = []
	for key in sorted(rows):
		row = rows[key]
		total_sum, total_count = row.pop("total_sum"), row.pop("total_count")
		row.average_total = flt(total_sum / total_count, 2) if total_count else None
		if filters.group_by == "Topic Area":
			row.group_value = _(key, context="Dangjian Project") if key else ""
		out.append(row)
	return out


def get_category_data(filters) -> list[dict]:
	query, evaluation = scoped_evaluations(filters)
	result = frappe.qb.DocType("Dangjian Evaluation Category Result")
	query = query.join(result).on(
		(result.parent == evaluation.name) & (result.parenttype == "Dangjian Evaluation")
	)
	evaluators = Sum(result.evaluators)
	rows = (
		query.select(
			result.category.as_("category"),
			evaluators.as_("evaluators"),
			(Sum(result.satisfaction_rate * result.evaluators) / evaluators).as_("satisfaction_rate"),
			(Sum(result.avg_benefit * result.evaluators) / evaluators).as_("avg_benefit"),
			(Sum(result.avg_replicability * result.evaluators) / evaluators).as_("avg_replicability"),
		)
		.where(result.evaluators > 0)
		.groupby(result.category)
		.run(as_dict=True)
	)
	by_category = {row.category: row for row in rows}
	out = []
	for category in rules.CATEGORIES:
		row = by_category.get(category)
		if not row:
			continue
		out.append(
			frappe._dict(
				group_value=_(category, context="Dangjian Evaluation Score"),
				evaluators=cint(row.evaluators),
				satisfaction_rate=flt(row.satisfaction_rate, 2),
				avg_benefit=flt(row.avg_benefit, 2),
				avg_replicability=flt(row.avg_replicability, 2),
				imported=0,
			)
		)
	imported = imported_evaluators(filters)
	if imported:
		out.append(imported)
	return out


def imported_evaluators(filters) -> frappe._dict | None:
	"""The evaluators of the imported results, one row: their number and the satisfaction rate
	their ledger recorded (weighted by evaluators; the import takes no evaluators without their
	rate); no categories, no average scores."""
	query, project = scoped_imported_results(filters)
	row = (
		query.select(
			Count("*").as_("results"),
			Sum(project.imported_evaluators).as_("evaluators"),
			Sum(project.imported_satisfaction_rate * project.imported_evaluators).as_("rate_sum"),
		)
		.where(project.imported_evaluators > 0)
		.run(as_dict=True)
	)
	row = row[0] if row else None
	if not row or not cint(row.evaluators):
		return None
	return frappe._dict(
		group_value=label("Imported from Earlier Ledgers (Categories Not Recorded)"),
		evaluators=cint(row.evaluators),
		satisfaction_rate=flt(flt(row.rate_sum) / cint(row.evaluators), 2),
		avg_benefit=None,
		avg_replicability=None,
		imported=cint(row.results),
	)


def get_message(filters, data) -> str | None:
	"""What the auditor is told about imported results, when there are any."""
	if filters.group_by == "Evaluator Category":
		row = next((row for row in data if row.imported), None)
		if not row:
			return None
		return _(
			"{0} evaluators of {1} results imported from earlier ledgers are one row of their own: their ledgers recorded how many evaluators and the satisfaction rate, not their categories nor their scores."
		).format(row.evaluators, row.imported)
	imported = sum(row.imported for row in data)
	if not imported:
		return None
	return _(
		"{0} of these {1} results were imported from earlier ledgers (Of Which Imported): the stars their ledger recorded before the app, not evaluations held in it. Their weighted totals count in the average where the ledger gave one."
	).format(imported, sum(row.evaluated for row in data))


def get_chart_data(filters, data):
	if not data:
		return None
	labels = [row.group_value for row in data]
	if filters.group_by == "Evaluator Category":
		return {
			"data": {
				"labels": labels,
				"datasets": [
					{
						"name": label("Satisfaction Rate"),
						"values": [flt(row.satisfaction_rate) for row in data],
					}
				],
			},
			"type": "bar",
		}
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": "★" * n, "values": [row[f"stars_{n}"] for row in data]} for n in (5, 4, 3, 2, 1)
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}


def get_report_summary(filters, data):
	if filters.group_by == "Evaluator Category":
		return [
			{"value": sum(row.evaluators for row in data), "label": label("Evaluators"), "datatype": "Int"}
		]
	evaluated = sum(row.evaluated for row in data)
	summary = [
		{"value": evaluated, "label": label("Evaluated"), "datatype": "Int"},
		{
			"value": sum(row.exemplary for row in data),
			"label": label("Exemplary"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": evaluated - sum(row.qualified for row in data),
			"label": label("Not Qualified"),
			"datatype": "Int",
			"indicator": "Red",
		},
	]
	imported = sum(row.imported for row in data)
	if imported:
		summary.append(
			{
				"value": imported,
				"label": label("Imported from Earlier Ledgers"),
				"datatype": "Int",
				"indicator": "Orange",
			}
		)
	return summary
