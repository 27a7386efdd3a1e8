# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""表彰名单: the commended, exemplary and Top Ten projects of a year, scoped in the query
(one query whatever the number of rows). A project imported from an earlier ledger shows the
commendation's document number and the Top Ten rank its ledger gave, and its import batch
(Imported In): it was commended before the app, not by a Commendation made in it."""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, NullIf
from frappe.utils import cint, getdate, nowdate

from dangjian import scope
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.report.columns import columns
from dangjian.filters import report_filters

REPORT = "Dangjian Commendation List"


def execute(filters=None):
	filters = report_filters(filters)
	data = get_data(filters)
	return get_columns(), data, None, None, get_report_summary(data)


def label(text: str) -> str:
	return _(text, context=REPORT)


def get_columns() -> list[dict]:
	return columns(
		REPORT,
		("project", "Project", "Link", 140, "Dangjian Project"),
		("project_name", "Project Name", "Data", 220),
		("unit_name", "Unit", "Data", 140),
		("branch_name", "Branch", "Data", 160),
		("stars", "Stars", "Int", 70),
		("grade", "Grade", "Data", 100),
		("commended", "Commended", "Check", 90),
		("document_number", "Document Number", "Data", 150),
		("exemplary", "Exemplary", "Check", 90),
		("top_ten", "Top Ten", "Check", 80),
		("top_ten_rank", "Top Ten Rank", "Int", 100),
		("ledger_import", "Imported In", "Link", 130, "Dangjian Ledger Import"),
	)


def get_data(filters) -> list[dict]:
	exemplary_level = cint(get_settings().exemplary_star_level)
	project = frappe.qb.DocType("Dangjian Project")
	unit = frappe.qb.DocType("Party Organization")
	commendation = frappe.qb.DocType("Dangjian Commendation")
	candidate = frappe.qb.DocType("Dangjian Top Ten Candidate")
	query = (
		frappe.qb.from_(project)
		.left_join(unit)
		.on(unit.name == project.approving_organization)
		.left_join(commendation)
		.on(commendation.name == project.commendation)
		.left_join(candidate)
		.on((candidate.parent == project.top_ten_selection) & (candidate.project == project.name))
		.select(
			project.name.as_("project"),
			project.project_name,
			unit.organization_name.as_("unit_name"),
			project.branch_name,
			project.stars,
			project.grade,
			project.commended,
			Coalesce(commendation.document_number, project.imported_document_number).as_("document_number"),
			project.top_ten,
			Coalesce(candidate.rank, NullIf(project.imported_top_ten_rank, 0)).as_("top_ten_rank"),
			project.ledger_import,
		)
		.where(project.year == filters.year)
		.where((project.commended == 1) | (project.top_ten == 1) | (project.stars >= exemplary_level))
		.where(project.status == "Evaluated")
		.orderby(project.top_ten, order=frappe.qb.desc)
		.orderby(Coalesce(candidate.rank, NullIf(project.imported_top_ten_rank, 0)))
		.orderby(project.stars, order=frappe.qb.desc)
		.orderby(project.name)
	)
	rows = scope.limit_to_scope(query, project.branch, filters.unit).run(as_dict=True)
	grades: dict[str, str] = {}  # each grade translated once
	for row in rows:
		row.exemplary = 1 if cint(row.stars) >= exemplary_level else 0
		if row.grade:
			grade = grades.get(row.grade)
			if grade is None:
				grade = grades[row.grade] = _(row.grade, context="Dangjian Project")
			row.grade = grade
		else:
			row.grade = ""
	return rows


def get_report_summary(data):
	return [
		{"value": sum(1 for r in data if r.commended), "label": label("Commended"), "datatype": "Int"},
		{
			"value": sum(1 for r in data if r.exemplary),
			"label": label("Exemplary"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": sum(1 for r in data if r.top_ten),
			"label": label("Top Ten"),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]
