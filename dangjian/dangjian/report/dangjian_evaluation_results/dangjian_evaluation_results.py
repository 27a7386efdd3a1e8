# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""评估结果统计: the submitted evaluations of a year, by unit, by topic area (stars 1–5,
average weighted total, grades) or by evaluator category (evaluators, satisfaction rate,
average scores).

Scope is applied in the query (the evaluated project's branch must be in the user's
organizations); one or two queries whatever the number of rows."""

import frappe
from frappe import _
from frappe.query_builder.functions import Avg, Count, Sum
from frappe.utils import cint, flt, getdate, nowdate
from pypika.terms import Case

from dangjian import rules, scope
from dangjian.filters import report_filters

REPORT = "Dangjian Evaluation Results"
GROUP_BY = ("Unit", "Topic Area", "Evaluator Category")


def execute(filters=None):
	filters = report_filters(filters)
	filters.group_by = filters.group_by if filters.group_by in GROUP_BY else "Unit"
	if filters.group_by == "Evaluator Category":
		columns, data = get_category_columns(), get_category_data(filters)
	else:
		columns, data = get_star_columns(filters), get_star_data(filters)
	return columns, data, None, get_chart_data(filters, data), get_report_summary(filters, data)


def label(text: str) -> str:
	return _(text, context=REPORT)


def get_star_columns(filters) -> list[dict]:
	group = label(filters.group_by)
	columns = [
		{"fieldname": "group_value", "label": group, "fieldtype": "Data", "width": 200},
		{"fieldname": "evaluated", "label": label("Evaluated"), "fieldtype": "Int", "width": 90},
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
		{"fieldname": "group_value", "label": label("Evaluator Category"), "fieldtype": "Data", "width": 200},
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


def get_star_data(filters) -> list[dict]:
	query, evaluation = scoped_evaluations(filters)
	project = frappe.qb.DocType("Dangjian Project")
	org = frappe.qb.DocType("Party Organization")
	if filters.group_by == "Unit":
		group = org.organization_name
		query = query.join(org).on(org.name == evaluation.approving_organization)
	else:
		group = project.topic_area
		query = query.join(project).on(project.name == evaluation.project)
	levels = rules.levels_from_settings(frappe.get_cached_doc("Dangjian Settings").as_dict())
	select = [
		group.as_("group_value"),
		Count(evaluation.name).as_("evaluated"),
		Avg(evaluation.weighted_total).as_("average_total"),
	]
	for n in (5, 4, 3, 2, 1):
		select.append(Sum(Case().when(evaluation.stars == n, 1).else_(0)).as_(f"stars_{n}"))
	for name, level in (
		("qualified", levels["qualified"]),
		("commended", levels["commended"]),
		("exemplary", levels["exemplary"]),
	):
		select.append(Sum(Case().when(evaluation.stars >= level, 1).else_(0)).as_(name))
	rows = query.select(*select).groupby(group).orderby(group).run(as_dict=True)
	for row in rows:
		if filters.group_by == "Topic Area":
			row.group_value = _(row.group_value, context="Dangjian Project") if row.group_value else ""
		for key in ("evaluated", "qualified", "commended", "exemplary", *(f"stars_{n}" for n in range(1, 6))):
			row[key] = cint(row[key])
		row.average_total = flt(row.average_total, 2)
	return rows


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
			)
		)
	return out


def get_chart_data(filters, data):
	if not data:
		return None
	labels = [row.group_value for row in data]
	if filters.group_by == "Evaluator Category":
		return {
			"data": {
				"labels": labels,
				"datasets": [
					{"name": label("Satisfaction Rate"), "values": [row.satisfaction_rate for row in data]}
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
	return [
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
