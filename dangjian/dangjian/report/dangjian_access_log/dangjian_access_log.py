# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt
"""Who took what out of the app: Frappe's Access Log entries for the app's report exports, the
branch year packs and the print PDFs of the app's records, for the company administrator (who
has no access to Frappe's Access Log itself, which stays as Frappe ships it)."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from dangjian.doctypes import APP_DOCTYPES
from dangjian.filters import report_filters
from dangjian.security import APP_REPORTS


def execute(filters=None):
	filters = report_filters(filters, default_year=False)
	return get_columns(), get_data(filters)


def get_columns():
	return [
		{"fieldname": "creation", "label": _("Time"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 200},
		{
			"fieldname": "method",
			"label": _("Action", context="Dangjian Access Log"),
			"fieldtype": "Data",
			"width": 80,
		},
		{"fieldname": "file_type", "label": _("File Type"), "fieldtype": "Data", "width": 80},
		{
			"fieldname": "report_name",
			"label": _("Report", context="Dangjian Access Log"),
			"fieldtype": "Data",
			"width": 220,
		},
		{
			"fieldname": "export_from",
			"label": _("Document Type", context="Dangjian Access Log"),
			"fieldtype": "Data",
			"width": 160,
		},
		{
			"fieldname": "reference_document",
			"label": _("Document", context="Dangjian Access Log"),
			"fieldtype": "Data",
			"width": 160,
		},
		{
			"fieldname": "filters",
			"label": _("Filters", context="Dangjian Access Log"),
			"fieldtype": "Data",
			"width": 240,
		},
	]


def get_data(filters) -> list[dict]:
	log = frappe.qb.DocType("Access Log")
	query = (
		frappe.qb.from_(log)
		.select(
			log.creation,
			log.user,
			log.method,
			log.file_type,
			log.report_name,
			log.export_from,
			log.reference_document,
			log.filters,
		)
		.where(log.report_name.isin(APP_REPORTS) | log.export_from.isin(APP_DOCTYPES))
		.orderby(log.creation, order=frappe.qb.desc)
		.limit(5000)
	)
	if filters.get("from_date"):
		query = query.where(log.creation >= getdate(filters.from_date))
	if filters.get("to_date"):
		query = query.where(log.creation < add_days(getdate(filters.to_date), 1))
	if filters.get("user"):
		query = query.where(log.user == filters.user)
	return query.run(as_dict=True)
