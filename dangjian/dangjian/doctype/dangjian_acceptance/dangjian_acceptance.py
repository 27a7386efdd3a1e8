# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from dangjian import scope
from dangjian.controllers.concurrency import ChildRowsByName
from dangjian.controllers.linked_documents import load_project, status_transition
from dangjian.dangjian.doctype.dangjian_project import dangjian_project as project_states

DRAFT, APPLIED, RETURNED = "Draft", "Applied", "Returned"
PASSED, ASSISTANCE, ADJUST, CANCELLED = "Passed", "Assistance", "Adjust", "Cancelled"
CONCLUSIONS = (PASSED, ASSISTANCE, ADJUST)
# the project states an acceptance can be applied from
APPLICABLE_PROJECT_STATES = (project_states.IN_PROGRESS, project_states.UNDER_ASSISTANCE)
METHODS = (
	("method_hearing", "hearing_notes"),
	("method_visit", "visit_notes"),
	("method_materials", "materials_notes"),
)


class DangjianAcceptance(ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_acceptance_group_member.dangjian_acceptance_group_member import (
			DangjianAcceptanceGroupMember,
		)
		from dangjian.dangjian.doctype.dangjian_acceptance_self_check.dangjian_acceptance_self_check import (
			DangjianAcceptanceSelfCheck,
		)

		acceptance_report: DF.Text | None
		adjustment_notes: DF.Text | None
		amended_from: DF.Link | None
		applied_by: DF.Link | None
		applied_on: DF.Date | None
		approving_organization: DF.Link | None
		assistance_measures: DF.Text | None
		assisting_party: DF.Data | None
		attempt_no: DF.Int
		branch: DF.Link | None
		concluded_by: DF.Link | None
		concluded_on: DF.Date | None
		conclusion: DF.Literal["", "Passed", "Assistance", "Adjust"]
		findings: DF.Text | None
		group_members: DF.Table[DangjianAcceptanceGroupMember]
		hearing_notes: DF.SmallText | None
		materials_notes: DF.SmallText | None
		method_hearing: DF.Check
		method_materials: DF.Check
		method_visit: DF.Check
		project: DF.Link
		project_name: DF.Data | None
		project_status_before: DF.Data | None
		reacceptance_date: DF.Date | None
		return_reason: DF.SmallText | None
		self_check: DF.Table[DangjianAcceptanceSelfCheck]
		status: DF.Literal["Draft", "Applied", "Returned", "Passed", "Assistance", "Adjust", "Cancelled"]
		summary_attachment: DF.Attach | None
		summary_report: DF.Text | None
		visit_notes: DF.SmallText | None

	# end: auto-generated types
	def validate(self):
		self.set_project_values()
		self.set_attempt_no()
		self.set_self_check_from_plan()
		self.validate_one_open_attempt()
		self.validate_status_change()

	def before_insert(self):
		scope.ensure_in_scope(self.branch, what=self.branch)

	def on_submit(self):
		self.apply_conclusion_to_project()

	def on_cancel(self):
		self.db_set("status", CANCELLED)
		project = frappe.get_doc("Dangjian Project", self.project)
		if project.status == project_states.EVALUATED:
			frappe.throw(
				_(
					"Project {0} has been evaluated on the strength of this acceptance: cancel its evaluation first."
				).format(frappe.bold(self.project_name)),
				title=_("Cannot Cancel"),
			)
		project.set_status_from_linked_document(
			self.project_status_before or project_states.IN_PROGRESS, acceptance_result=None, accepted_on=None
		)

	# --- values ---------------------------------------------------------------------------------

	def set_project_values(self):
		self._project = load_project(self)

	def set_attempt_no(self):
		if self.is_new() or not self.attempt_no:
			self.attempt_no = (
				frappe.db.count(
					"Dangjian Acceptance",
					{
						"project": self.project,
						"name": ("!=", self.name or ""),
						"amended_from": ("is", "not set"),
					},
				)
				+ 1
			)

	def set_self_check_from_plan(self):
		"""对照项目方案逐一自查: one self-check row per plan step, filled in from the plan."""
		if self.self_check:
			return
		for step in frappe.get_all(
			"Dangjian Plan Step",
			filters={"parent": self.project, "parenttype": "Dangjian Project"},
			fields=["idx", "step_title"],
			order_by="idx",
		):
			self.append("self_check", {"plan_step": step.step_title, "step_idx": step.idx})

	def validate_one_open_attempt(self):
		if self.docstatus != 0:
			return
		other = frappe.db.get_value(
			"Dangjian Acceptance", {"project": self.project, "docstatus": 0, "name": ("!=", self.name or "")}
		)
		if other:
			frappe.throw(
				_("{0} already has an acceptance in progress: {1}. Continue that one.").format(
					frappe.bold(self.project_name), frappe.bold(other)
				),
				frappe.DuplicateEntryError,
				title=_("Acceptance Already Open"),
			)

	# --- workflow -------------------------------------------------------------------------------

	def validate_status_change(self):
		change = status_transition(self, DRAFT)
		if not change:
			return
		_old, new = change
		if new == APPLIED:
			self.on_apply()
		elif new == RETURNED:
			self.on_return()
		elif new in CONCLUSIONS:
			self.on_conclude(new)

	def on_apply(self):
		if self._project.status not in APPLICABLE_PROJECT_STATES:
			frappe.throw(
				_(
					"Project {0} is {1}: acceptance can be applied for while a project is In Progress or Under Assistance."
				).format(
					frappe.bold(self.project_name),
					frappe.bold(_(self._project.status, context="Dangjian Project")),
				),
				title=_("Project Not Ready for Acceptance"),
			)
		if not (self.summary_report or "").strip():
			frappe.throw(
				_("Write the implementation summary report (结题报告) before applying for acceptance."),
				title=_("Summary Report Missing"),
			)
		if not self.self_check:
			frappe.throw(
				_("The self-check has no rows: the project's plan has no steps."),
				title=_("Self-check Missing"),
			)
		unanswered = [row.plan_step for row in self.self_check if not row.result]
		if unanswered:
			frappe.throw(
				_("Answer every self-check row before applying; unanswered: {0}.").format(
					", ".join(unanswered)
				),
				title=_("Self-check Incomplete"),
			)
		unexplained = [
			row.plan_step
			for row in self.self_check
			if row.result == "Not Done" and not (row.reason_not_done or "").strip()
		]
		if unexplained:
			frappe.throw(
				_("Explain why these steps were not done: {0}.").format(", ".join(unexplained)),
				title=_("Self-check Incomplete"),
			)
		self.applied_by = frappe.session.user
		self.applied_on = getdate(nowdate())
		self.project_status_before = self._project.status
		frappe.get_doc("Dangjian Project", self.project).set_status_from_linked_document(
			project_states.ACCEPTANCE_APPLIED
		)

	def on_return(self):
		if not (self.return_reason or "").strip():
			frappe.throw(
				_("Write the reason for returning the application for acceptance."),
				title=_("Return Reason Missing"),
			)
		frappe.get_doc("Dangjian Project", self.project).set_status_from_linked_document(
			self.project_status_before or project_states.IN_PROGRESS
		)

	def on_conclude(self, conclusion):
		user = frappe.session.user
		if self._project.status != project_states.ACCEPTANCE_APPLIED:
			frappe.throw(
				_("Project {0} is {1}, not waiting for acceptance: it cannot be concluded again.").format(
					frappe.bold(self.project_name),
					frappe.bold(_(self._project.status, context="Dangjian Project")),
				),
				title=_("Project Not Waiting for Acceptance"),
			)
		if user != "Administrator" and user == self.applied_by:
			frappe.throw(
				_("You applied for this acceptance, so you cannot conclude it."),
				frappe.PermissionError,
				title=_("Self-approval Not Allowed"),
			)
		scope.ensure_not_own_branch(self.branch, user, _("conclude the acceptance of"))
		self.conclusion = conclusion
		self.validate_group()
		if not any(self.get(method) for method, _notes in METHODS):
			frappe.throw(
				_(
					"Record at least one method used: hearing the report, visits and investigation, or reviewing the materials."
				),
				title=_("Acceptance Methods Missing"),
			)
		for method, notes in METHODS:
			if self.get(method) and not (self.get(notes) or "").strip():
				frappe.throw(
					_("Add notes for the method {0}.").format(
						frappe.bold(_(self.meta.get_label(method), context=self.doctype))
					),
					title=_("Acceptance Methods Incomplete"),
				)
		if not (self.acceptance_report or "").strip():
			frappe.throw(
				_("Write the acceptance report (项目验收报告) before concluding."),
				title=_("Acceptance Report Missing"),
			)
		if conclusion == ASSISTANCE:
			missing = [
				_(self.meta.get_label(field), context=self.doctype)
				for field in ("assisting_party", "assistance_measures", "reacceptance_date")
				if not self.get(field)
			]
			if missing:
				frappe.throw(
					_("For targeted assistance (重点挂牌帮扶) record: {0}.").format(", ".join(missing)),
					title=_("Assistance Incomplete"),
				)
		if conclusion == ADJUST and not (self.adjustment_notes or "").strip():
			frappe.throw(_("Say what is to be re-assessed and adjusted."), title=_("Adjustment Incomplete"))
		self.concluded_by = user
		self.concluded_on = getdate(nowdate())

	def validate_group(self):
		people = [row for row in self.group_members if (row.member_name or "").strip()]
		leaders = [row for row in people if row.is_leader]
		if len(people) < 2:
			frappe.throw(
				_("The acceptance group needs at least two people; it has {0}.").format(len(people)),
				title=_("Acceptance Group Incomplete"),
			)
		inspected = scope.branch_people(self.branch)
		insiders = [row.member_name for row in people if row.user and row.user in inspected]
		if insiders:
			frappe.throw(
				_("{0} belong to the branch under inspection and cannot sit in its acceptance group.").format(
					", ".join(frappe.bold(name) for name in insiders)
				),
				title=_("Acceptance Group Not Independent"),
			)
		if len(leaders) != 1:
			frappe.throw(
				_("The acceptance group needs exactly one leader; it has {0}.").format(len(leaders)),
				title=_("Acceptance Group Incomplete"),
			)

	def apply_conclusion_to_project(self):
		project = frappe.get_doc("Dangjian Project", self.project)
		if self.conclusion == PASSED:
			project.set_status_from_linked_document(
				project_states.ACCEPTED, acceptance_result=PASSED, accepted_on=self.concluded_on
			)
		elif self.conclusion == ASSISTANCE:
			project.set_status_from_linked_document(
				project_states.UNDER_ASSISTANCE, acceptance_result=ASSISTANCE
			)
		elif self.conclusion == ADJUST:
			project.set_status_from_linked_document(
				project_states.ADJUSTING, acceptance_result=ADJUST, adjusting_since=self.concluded_on
			)
