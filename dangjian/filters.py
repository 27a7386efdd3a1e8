"""Report filters as the app's six reports and the branch year pack read them: each filter one
value (a list or an object is refused with a message, never passed to the database), the year a
whole number."""

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from dangjian import rules


def report_filters(filters=None, default_year: bool = True) -> frappe._dict:
	if isinstance(filters, str):
		filters = frappe.parse_json(filters)
	if filters is not None and not isinstance(filters, dict):
		frappe.throw(_("Report filters must be given as field: value."), title=_("Invalid Filter"))
	filters = frappe._dict(filters or {})
	for key, value in filters.items():
		if isinstance(value, list | tuple | dict | set):
			frappe.throw(
				_("Filter {0} takes one value, not {1}.").format(
					frappe.bold(_(key.replace("_", " ").title())),
					frappe.bold(frappe.as_json(value, indent=None)[:60]),
				),
				title=_("Invalid Filter"),
			)
	if filters.get("year") not in (None, ""):
		require_year(filters.year)
	if default_year:
		filters.year = cint(filters.year) or getdate(nowdate()).year
	return filters


def require_year(value) -> None:
	"""A year is a whole number: text is refused (Frappe would store it as 0). Reports' filters and
	the documents that carry a year share this refusal."""
	if rules.whole_number(value) is None:
		frappe.throw(
			_("Year must be a year such as {0}, not {1}.").format(
				getdate(nowdate()).year, frappe.bold(value)
			),
			title=_("Invalid Year"),
		)
