"""The implementation plan (实施方案, Attachment 2) gate: implementation starts only with a
complete plan."""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from dangjian import rules
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

PLAN_TEXT_FIELDS = ("plan_goals", "plan_measures", "completion_deadline")


def validate_plan_complete(project) -> None:
	missing = [
		_(project.meta.get_label(field), context=project.doctype)
		for field in PLAN_TEXT_FIELDS
		if not str(project.get(field) or "").strip()
	]
	if not project.plan_steps:
		missing.append(_("at least one plan step"))
	if missing:
		frappe.throw(
			_("Before implementation starts, complete the implementation plan: {0}.").format(
				"; ".join(missing)
			),
			title=_("Implementation Plan Incomplete"),
		)
	approved_on = getdate(project.approved_on)
	deadline = getdate(project.completion_deadline)
	max_months = cint(get_settings().max_months_to_completion)
	latest = rules.add_months(approved_on, max_months)
	if deadline < approved_on or deadline > latest:
		frappe.throw(
			_(
				"The completion deadline {0} must fall between the approval date {1} and {2} ({3} months after approval)."
			).format(
				frappe.format(deadline, "Date"),
				frappe.format(approved_on, "Date"),
				frappe.format(latest, "Date"),
				max_months,
			),
			title=_("Invalid Completion Deadline"),
		)
	for row in project.plan_steps:
		start, end = getdate(row.start_date), getdate(row.end_date)
		if start < approved_on or end > deadline:
			frappe.throw(
				_(
					"Plan step row {0} ({1}) runs from {2} to {3}, outside the approval date {4} to the completion deadline {5}."
				).format(
					row.idx,
					frappe.bold(row.step_title),
					frappe.format(start, "Date"),
					frappe.format(end, "Date"),
					frappe.format(approved_on, "Date"),
					frappe.format(deadline, "Date"),
				),
				title=_("Invalid Plan Step"),
			)
