"""The numbers on the 党建+ workspace. Each goes through ``frappe.get_list``, so a user sees
the numbers of their own scope only."""

import frappe
from frappe.utils import getdate, nowdate

from dangjian import scope

# the states each role acts on, per doctype
ACTIONS = {
	"Dangjian Project": {
		scope.ROLE_BRANCH_SECRETARY: ("Draft", "Returned", "Approved", "Adjusting"),
		scope.ROLE_APPROVER: ("Applied",),
		scope.ROLE_PARTY_COMMITTEE: ("Reviewed",),
	},
	"Dangjian Quarterly Report": {
		scope.ROLE_BRANCH_SECRETARY: ("Draft", "Returned"),
		scope.ROLE_APPROVER: ("Submitted",),
	},
	"Dangjian Acceptance": {
		scope.ROLE_BRANCH_SECRETARY: ("Draft", "Returned"),
		scope.ROLE_APPROVER: ("Applied",),
	},
}


def count(doctype: str, filters) -> int:
	"""A count through frappe.get_list, so the user's permissions and scope apply."""
	return frappe.get_list(doctype, filters=filters, fields=["count(name) as count"])[0].count


def card(value: int) -> dict:
	return {"value": value, "fieldtype": "Int"}


@frappe.whitelist()
def projects_this_year(filters=None) -> dict:
	return card(count("Dangjian Project", {"year": getdate(nowdate()).year}))


@frappe.whitelist()
def waiting_for_my_action(filters=None) -> dict:
	roles = set(frappe.get_roles())
	total = 0
	for doctype, by_role in ACTIONS.items():
		states = sorted(
			{state for role, role_states in by_role.items() if role in roles for state in role_states}
		)
		if states:
			total += count(doctype, {"status": ("in", states)})
	return card(total)


@frappe.whitelist()
def overdue_quarterly_reports(filters=None) -> dict:
	from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import overdue_total

	# the ledger's overdue column summed over the projects in implementation, in one statement
	return card(overdue_total())


@frappe.whitelist()
def exemplary_projects(filters=None) -> dict:
	return card(count("Dangjian Project", {"grade": "Exemplary"}))
