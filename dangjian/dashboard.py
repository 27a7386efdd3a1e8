"""The numbers on the 党建+ workspace, each of the user's own scope only: through
``frappe.get_list`` or, where that cannot use an index, the reports' scope condition."""

import frappe
from frappe.utils import getdate, nowdate

from dangjian import scope, workflows

PROJECT = "Dangjian Project"
# the documents whose workflow asks the user to act (the states: the site's Workflow)
ACTION_DOCTYPES = (PROJECT, "Dangjian Quarterly Report", "Dangjian Acceptance")


def count(doctype: str, filters) -> int:
	"""A count through frappe.get_list, so the user's permissions and scope apply."""
	return frappe.get_list(doctype, filters=filters, fields=["count(name) as count"])[0].count


def card(value: int, route: list | None = None, route_options: dict | None = None) -> dict:
	"""A Custom card's answer; a click on the card opens ``route`` (with ``route_options`` as the
	list's filters)."""
	out = {"value": value, "fieldtype": "Int"}
	if route:
		out.update(route=route, route_options=route_options or {})
	return out


@frappe.whitelist()
@frappe.read_only()
def projects_this_year(filters=None) -> dict:
	year = getdate(nowdate()).year
	return card(count(PROJECT, {"year": year}), ["List", PROJECT], {"year": year})


@frappe.whitelist()
@frappe.read_only()
def waiting_for_my_action(filters=None) -> dict:
	roles = frappe.get_roles()
	total = 0
	for doctype in ACTION_DOCTYPES:
		states = workflows.states_acted_on(doctype, roles)
		if states and frappe.has_permission(doctype, "read"):
			total += count_in_scope(doctype, states)
	return card(total)


def count_in_scope(doctype: str, states: list[str]) -> int:
	"""The documents of ``doctype`` in ``states`` whose branch is in the user's scope, read from
	the organisations down (``scope.scope_condition``, as the reports): ``frappe.get_list``
	filters User Permissions with ``ifnull(branch, '') = '' or branch in (...)``, which no index
	serves, so a secretary's card read every waiting document of the group."""
	condition, params = scope.scope_condition("o")
	return frappe.db.sql(
		f"""select count(*) from `tab{doctype}` d
		join `tabParty Organization` o on o.name = d.branch
		where d.status in %(states)s and {condition}""",
		{**params, "states": tuple(states)},
	)[0][0]


@frappe.whitelist()
@frappe.read_only()
def overdue_quarterly_reports(filters=None) -> dict:
	from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import overdue_total

	# the ledger's overdue column summed over the projects in implementation, in one statement;
	# the click opens the ledger on those projects, of every year (it opens on this year alone)
	return card(
		overdue_total(),
		["query-report", "Dangjian Project Ledger"],
		{"all_years": 1, "overdue_only": 1},
	)


@frappe.whitelist()
@frappe.read_only()
def exemplary_projects(filters=None) -> dict:
	return card(count(PROJECT, {"grade": "Exemplary"}), ["List", PROJECT], {"grade": "Exemplary"})


@frappe.whitelist()
@frappe.read_only()
def unread_notices(filters=None) -> dict:
	"""This year's calls for applications (申报通知) sent to the user that they have not opened."""
	from dangjian.dangjian.doctype.dangjian_notice.dangjian_notice import NOTICE, unread_by

	year = getdate(nowdate()).year
	return card(len(unread_by(frappe.session.user, year)), ["List", NOTICE], {"year": year})
