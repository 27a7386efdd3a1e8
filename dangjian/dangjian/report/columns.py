# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Script Report columns written as rows: (fieldname, label, fieldtype, width[, options])."""

from frappe import _

ORGANIZATION = "Party Organization"


def organization_column(column: dict) -> dict:
	"""A column of organisations is a Data column that keeps the doctype in ``options``; the
	desk shows it as a link (``dangjian.as_link`` in dangjian_desk.js). The reason: Frappe's
	report runner checks every row's Link columns against the user's User Permissions again
	(``query_report.get_filtered_data``), by a search through a list per row. For a company
	administrator that list is every organisation of the group: 20,000 rows times 20,000
	organisations took 2.3 s of a 3 s report at 200,000 projects, after the report's own query
	had applied the same scope."""
	if column.get("fieldtype") == "Link" and column.get("options") == ORGANIZATION:
		column["fieldtype"] = "Data"
	return column


def columns(report: str, *rows) -> list[dict]:
	"""The columns of ``report``, each label translated in the report's own context (its words
	are generic: "Branch", "Status" …)."""
	out = []
	for fieldname, label, fieldtype, width, *options in rows:
		column = {
			"fieldname": fieldname,
			"label": _(label, context=report),
			"fieldtype": fieldtype,
			"width": width,
		}
		if options:
			column["options"] = options[0]
		out.append(organization_column(column))
	return out
