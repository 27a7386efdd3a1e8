# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Script Report columns written as rows: (fieldname, label, fieldtype, width[, options])."""

from frappe import _


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
		out.append(column)
	return out
