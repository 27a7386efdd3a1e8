# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import make_autoname
from frappe.utils import cint, getdate, nowdate

from dangjian import rules, scope, workflows
from dangjian.controllers.concurrency import ChildRowsByName
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.filters import require_year

DRAFT = "Draft"
APPLIED = "Applied"
REVIEWED = "Reviewed"
APPROVED = "Approved"
RETURNED = "Returned"
IN_PROGRESS = "In Progress"
ACCEPTANCE_APPLIED = "Acceptance Applied"
UNDER_ASSISTANCE = "Under Assistance"
ADJUSTING = "Adjusting"
ACCEPTED = "Accepted"
EVALUATED = "Evaluated"

# states in which the project is approved and on record
APPROVED_STATES = (
	APPROVED,
	IN_PROGRESS,
	ACCEPTANCE_APPLIED,
	UNDER_ASSISTANCE,
	ADJUSTING,
	ACCEPTED,
	EVALUATED,
)
# states in which quarterly reports are due
REPORTING_STATES = (IN_PROGRESS, UNDER_ASSISTANCE, ADJUSTING)
# states after implementation: the reports were due up to the day the project left it
FINISHED_STATES = (ACCEPTANCE_APPLIED, ACCEPTED, EVALUATED)
# fields of the application the branch writes; frozen once applied, until returned
APPLICATION_FIELDS = (
	"project_name",
	"year",
	"branch",
	"topic_area",
	"principle_centre",
	"principle_people",
	"principle_basics",
	"principle_innovation",
	"project_lead",
	"lead_title",
	"innovation_goals",
	"innovation_content",
	"innovation_measures",
	"branch_meeting_date",
	"branch_meeting_attendance",
	"branch_meeting_resolution",
	"branch_opinion",
)
# the implementation plan (Attachment 2): written while Approved, re-opened while Adjusting
PLAN_FIELDS = (
	"plan_goals",
	"plan_measures",
	"plan_approach",
	"plan_organisational_measures",
	"plan_expected_goals",
	"expected_effect",
	"planned_input_amount",
	"planned_input_description",
	"completion_deadline",
)
PLAN_EDITABLE_STATES = (DRAFT, RETURNED, APPLIED, REVIEWED, APPROVED, ADJUSTING)
PRINCIPLE_FIELDS = ("principle_centre", "principle_people", "principle_basics", "principle_innovation")
MAX_YEARS_AHEAD = 1


class DangjianProject(ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_feasibility_activity.dangjian_feasibility_activity import (
			DangjianFeasibilityActivity,
		)
		from dangjian.dangjian.doctype.dangjian_plan_step.dangjian_plan_step import DangjianPlanStep
		from dangjian.dangjian.doctype.dangjian_project_adoption.dangjian_project_adoption import (
			DangjianProjectAdoption,
		)
		from dangjian.dangjian.doctype.dangjian_project_team_member.dangjian_project_team_member import (
			DangjianProjectTeamMember,
		)

		acceptance_result: DF.Data | None
		accepted_on: DF.Date | None
		adjusting_since: DF.Date | None
		adoptions: DF.Table[DangjianProjectAdoption]
		applied_by: DF.Link | None
		applied_on: DF.Date | None
		approved_by: DF.Link | None
		approved_on: DF.Date | None
		approving_organization: DF.Link | None
		branch: DF.Link
		branch_meeting_attendance: DF.Int
		branch_meeting_date: DF.Date | None
		branch_meeting_resolution: DF.SmallText | None
		branch_name: DF.Data | None
		branch_opinion: DF.SmallText | None
		commendation: DF.Link | None
		commended: DF.Check
		committee_opinion: DF.SmallText | None
		completion_deadline: DF.Date | None
		email_received_on: DF.Date | None
		expected_effect: DF.Text | None
		feasibility_activities: DF.Table[DangjianFeasibilityActivity]
		filing_number: DF.Data | None
		grade: DF.Literal["", "Not Qualified", "Qualified", "Commended", "Exemplary"]
		implementation_started_on: DF.Date | None
		import_source_file: DF.Data | None
		import_source_reference: DF.Data | None
		import_source_row: DF.Int
		imported_acceptance_rounds: DF.Int
		imported_document_number: DF.Data | None
		imported_evaluators: DF.Int
		imported_plan_progress: DF.Data | None
		imported_satisfaction_rate: DF.Percent
		imported_top_ten_rank: DF.Int
		imported_weighted_total: DF.Float
		innovation_content: DF.Text | None
		innovation_goals: DF.Text | None
		innovation_measures: DF.Text | None
		is_late: DF.Check
		last_applied_on: DF.Date | None
		late_acceptance_reason: DF.SmallText | None
		lead_name: DF.Data | None
		lead_title: DF.Data | None
		leader_in_charge: DF.Link | None
		leading_organization: DF.Link | None
		ledger_import: DF.Link | None
		paper_copies_received: DF.Int
		plan_approach: DF.Text | None
		plan_expected_goals: DF.Text | None
		plan_goals: DF.Text | None
		plan_measures: DF.Text | None
		plan_organisational_measures: DF.Text | None
		plan_steps: DF.Table[DangjianPlanStep]
		planned_input_amount: DF.Currency
		planned_input_description: DF.SmallText | None
		principle_basics: DF.Check
		principle_centre: DF.Check
		principle_innovation: DF.Check
		principle_people: DF.Check
		project_lead: DF.Link | None
		project_name: DF.Data
		return_count: DF.Int
		return_reason: DF.SmallText | None
		returned_by: DF.Link | None
		returned_on: DF.Date | None
		review_opinion: DF.SmallText | None
		reviewed_by: DF.Link | None
		reviewed_on: DF.Date | None
		signed_and_stamped: DF.Check
		stars: DF.Int
		status: DF.Literal[
			"Draft",
			"Applied",
			"Reviewed",
			"Approved",
			"Returned",
			"In Progress",
			"Acceptance Applied",
			"Under Assistance",
			"Adjusting",
			"Accepted",
			"Evaluated",
		]
		supervising_organization: DF.Link | None
		team: DF.Table[DangjianProjectTeamMember]
		top_ten: DF.Check
		top_ten_selection: DF.Link | None
		topic_area: DF.Literal[
			"",
			"Grassroots Organization Building",
			"Unit's Internal Development",
			"Party Care Mechanism",
			"Member Education, Management and Service",
			"New Vehicles for Party Activities",
		]
		undertaking_organization: DF.Link | None
		year: DF.Int

	# end: auto-generated types
	def validate(self):
		self.validate_branch()
		self.validate_year()
		self.set_defaults_from_branch()
		self.set_three_offices()
		self.validate_feasibility_dates()
		self.validate_plan_steps()
		self.validate_status_change()

	def before_insert(self):
		scope.ensure_in_scope(self.branch, what=self.branch)

	# --- basic data -----------------------------------------------------------------------------

	def validate_branch(self):
		kind = frappe.db.get_value("Party Organization", self.branch, "organization_type")
		if kind not in (rules.BRANCH, rules.GENERAL_BRANCH):
			frappe.throw(
				_("{0} is not a branch: projects are applied for by a branch or a general branch.").format(
					frappe.bold(self.branch)
				),
				title=_("Invalid Branch"),
			)

	def validate_year(self):
		require_year(self.year)
		year = cint(self.year)
		established = frappe.db.get_value("Party Organization", self.branch, "date_established")
		this_year = getdate(nowdate()).year
		if established and year < getdate(established).year:
			frappe.throw(
				_("Year {0} is before {1} was established ({2}).").format(
					frappe.bold(year), frappe.bold(self.branch_name or self.branch), getdate(established).year
				),
				title=_("Invalid Year"),
			)
		if year > this_year + MAX_YEARS_AHEAD or year < 2000:
			frappe.throw(
				_("Year {0} is not valid: apply for this year or next year ({1} or {2}).").format(
					frappe.bold(year), this_year, this_year + MAX_YEARS_AHEAD
				),
				title=_("Invalid Year"),
			)

	def set_defaults_from_branch(self):
		branch = frappe.db.get_value(
			"Party Organization",
			self.branch,
			["organization_name", "approving_organization", "secretary", "leader_in_charge"],
			as_dict=True,
		)
		self.branch_name = branch.organization_name
		self.approving_organization = branch.approving_organization
		self.leader_in_charge = branch.leader_in_charge
		# (a project imported from an earlier ledger names its lead as the ledger did, by name only:
		# today's secretary did not lead it)
		if not self.project_lead and branch.secretary and not self.ledger_import:
			self.project_lead = branch.secretary
		if self.project_lead and not self.lead_name:
			self.lead_name = frappe.db.get_value("User", self.project_lead, "full_name")

	def set_three_offices(self):
		"""三办: the approving organization leads (领办) and supervises (督办); the branch
		undertakes (承办)."""
		self.leading_organization = self.approving_organization
		self.supervising_organization = self.approving_organization
		self.undertaking_organization = self.branch

	def validate_feasibility_dates(self):
		today = getdate(nowdate())
		for row in self.feasibility_activities:
			if row.activity_date and getdate(row.activity_date) > today:
				frappe.throw(
					_(
						"Feasibility activity row {0}: its date {1} is in the future; record activities that took place."
					).format(row.idx, frappe.format(row.activity_date, "Date")),
					title=_("Invalid Date", context="Dangjian Project"),
				)

	def validate_plan_steps(self):
		for row in self.plan_steps:
			if row.start_date and row.end_date and getdate(row.end_date) < getdate(row.start_date):
				frappe.throw(
					_("Plan step row {0} ({1}) ends on {2}, before it starts on {3}.").format(
						row.idx, frappe.bold(row.step_title), row.end_date, row.start_date
					),
					title=_("Invalid Plan Step"),
				)

	# --- workflow -------------------------------------------------------------------------------

	def validate_status_change(self):
		before = self.get_doc_before_save()
		old = before.status if before else None
		new = self.status or DRAFT
		if self.is_new():
			if new != DRAFT:
				frappe.throw(_("A new project starts as a draft."), title=_("Invalid Status"))
			return
		if old == new:
			self.validate_frozen_application(before)
			return
		# the moves a user makes are the site's Workflow's transitions (an administrator may add
		# one); the later states are set by the linked documents, never by a save
		if (old, new) in workflows.transitions(self.doctype):
			handler = {
				APPLIED: self.on_apply,
				REVIEWED: self.on_review,
				RETURNED: self.on_return,
				APPROVED: self.on_approve,
				IN_PROGRESS: self.on_resume_implementation
				if old == ADJUSTING
				else self.on_start_implementation,
			}.get(new)
			if handler:
				handler()
		else:
			frappe.throw(
				_("A project cannot move from {0} to {1} this way.").format(
					frappe.bold(_(old, context="Dangjian Project")),
					frappe.bold(_(new, context="Dangjian Project")),
				),
				title=_("Invalid Status"),
			)

	def validate_frozen_application(self, before):
		"""Once applied, what the branch wrote is what is judged: only a return reopens it."""
		if self.status in (DRAFT, RETURNED):
			return
		changed = [
			field
			for field in APPLICATION_FIELDS
			if str(before.get(field) or "") != str(self.get(field) or "")
		]
		if self.table_changed(before, "team"):
			changed.append("team")
		# adjusting (重新研究确定其可行性) re-opens the feasibility study
		if self.status != ADJUSTING and self.table_changed(before, "feasibility_activities"):
			changed.append("feasibility_activities")
		if self.status not in PLAN_EDITABLE_STATES and not self.plan_to_record(before):
			plan_changed = [
				field for field in PLAN_FIELDS if str(before.get(field) or "") != str(self.get(field) or "")
			]
			if plan_changed or self.table_changed(before, "plan_steps", ignore=("step_status",)):
				frappe.throw(
					_(
						"The implementation plan is fixed while the project is {0}; it is re-opened only when an acceptance asks to re-assess and adjust the project."
					).format(frappe.bold(_(self.status, context=self.doctype))),
					title=_("Plan Fixed"),
				)
		if changed:
			frappe.throw(
				_(
					"The application is {0}: {1} can no longer be changed. The reviewer can return it to the branch."
				).format(
					frappe.bold(_(self.status, context=self.doctype)),
					", ".join(
						frappe.bold(_(self.meta.get_label(field), context=self.doctype)) for field in changed
					),
				),
				title=_("Application Frozen"),
			)

	def plan_to_record(self, before) -> bool:
		"""A project imported from an earlier ledger came without its plan (it was on paper): the
		branch records it, steps included, once, whatever the state — until it has steps."""
		return bool(self.ledger_import) and not before.plan_steps

	def table_changed(self, before, fieldname, ignore=()):
		def rows(doc):
			return [
				{
					k: str(v or "")
					for k, v in row.as_dict(no_default_fields=True).items()
					if k not in ("idx", *ignore)
				}
				for row in doc.get(fieldname)
			]

		return rows(before) != rows(self)

	def on_apply(self):
		self.validate_application_complete()
		user, today = frappe.session.user, getdate(nowdate())
		self.applied_by = user
		self.last_applied_on = today
		if not self.applied_on:
			# lateness is decided by the first application; a returned project keeps it
			self.applied_on = today
			settings = get_settings()
			deadline = rules.application_deadline(
				cint(self.year), settings.application_deadline_month, settings.application_deadline_day
			)
			self.is_late = 1 if rules.is_late(today, deadline) else 0

	def validate_application_complete(self):
		missing = []
		if not self.team:
			missing.append(_("at least one project team member with a title"))
		if not self.feasibility_activities:
			missing.append(
				_("at least one feasibility activity (research, symposium, opinion form or field visit)")
			)
		if not self.branch_meeting_date:
			missing.append(_("the branch meeting date"))
		if not (self.branch_meeting_resolution or "").strip():
			missing.append(_("the branch meeting resolution"))
		if not (self.branch_opinion or "").strip():
			missing.append(_("the branch sign-off opinion"))
		for field in ("innovation_goals", "innovation_content", "innovation_measures"):
			if not (self.get(field) or "").strip():
				missing.append(_(self.meta.get_label(field), context=self.doctype))
		if not any(self.get(field) for field in PRINCIPLE_FIELDS):
			missing.append(_("at least one principle"))
		if missing:
			frappe.throw(
				_("Before applying, fill in: {0}.").format("; ".join(missing)),
				title=_("Application Incomplete"),
			)
		today = getdate(nowdate())
		if getdate(self.branch_meeting_date) > today:
			frappe.throw(
				_(
					"The branch meeting date {0} is after the application date {1}: the branch meeting decides before the branch applies."
				).format(frappe.format(self.branch_meeting_date, "Date"), frappe.format(today, "Date")),
				title=_("Invalid Branch Meeting Date"),
			)

	def ensure_not_own_application(self, action):
		user = frappe.session.user
		scope.ensure_not_own_branch(self.branch, user, action)
		if user != "Administrator" and user in (self.applied_by, self.owner):
			frappe.throw(
				_(
					"You applied for this project, so you cannot {0} it: no one approves their own application."
				).format(action),
				frappe.PermissionError,
				title=_("Self-approval Not Allowed"),
			)

	def on_review(self):
		self.ensure_not_own_application(_("review"))
		if self.is_late and not (self.late_acceptance_reason or "").strip():
			frappe.throw(
				_(
					"This application came after the deadline. Record the reason for accepting a late application before reviewing it."
				),
				title=_("Late Application"),
			)
		if not (self.review_opinion or "").strip():
			frappe.throw(_("Write the review opinion before reviewing."), title=_("Review Opinion Missing"))
		self.reviewed_by = frappe.session.user
		self.reviewed_on = getdate(nowdate())
		self.return_reason = None

	def on_return(self):
		if not (self.return_reason or "").strip():
			frappe.throw(
				_("Write the reason for returning the application, so that the branch knows what to change."),
				title=_("Return Reason Missing"),
			)
		self.ensure_not_own_application(_("return"))
		self.returned_by = frappe.session.user
		self.returned_on = getdate(nowdate())
		self.return_count = cint(self.return_count) + 1
		self.reviewed_by = self.reviewed_on = None

	def on_approve(self):
		self.ensure_not_own_application(_("approve"))
		if self.reviewed_by == frappe.session.user and frappe.session.user != "Administrator":
			frappe.throw(
				_(
					"You reviewed this project for the department; the party committee's approval must come from someone else."
				),
				frappe.PermissionError,
				title=_("Self-approval Not Allowed"),
			)
		if not (self.committee_opinion or "").strip():
			frappe.throw(
				_("Write the party committee's review opinion (审核评定意见) before approving."),
				title=_("Committee Opinion Missing"),
			)
		if self.filing_number:
			frappe.throw(_("This project is already approved and filed as {0}.").format(self.filing_number))
		self.approved_by = frappe.session.user
		self.approved_on = getdate(nowdate())
		# Filing numbers are handed out one approval at a time: the first number of a unit's year
		# inserts its series row, and two such first approvals at the same moment would each hold
		# a gap lock on tabSeries and deadlock (seen in the trust suite's load test).
		from dangjian.setup.install import FILING_LOCK

		frappe.db.sql("select `current` from `tabSeries` where `name` = %s for update", FILING_LOCK)
		self.filing_number = make_autoname(f"BA-{self.approving_organization}-{cint(self.year)}-.###")

	def on_start_implementation(self):
		from dangjian.dangjian.doctype.dangjian_project import plan

		plan.validate_plan_complete(self)
		self.implementation_started_on = getdate(nowdate())

	def on_resume_implementation(self):
		"""After an acceptance asked for re-assessment: a new feasibility record and a complete
		plan take the project back to implementation."""
		from dangjian.dangjian.doctype.dangjian_project import plan

		since = getdate(self.adjusting_since) if self.adjusting_since else None
		if since and not any(
			row.activity_date and getdate(row.activity_date) >= since for row in self.feasibility_activities
		):
			frappe.throw(
				_(
					"Record the new feasibility study (a feasibility activity on or after {0}) before resuming implementation."
				).format(frappe.format(since, "Date")),
				title=_("Feasibility Not Re-assessed"),
			)
		plan.validate_plan_complete(self)
		self.adjusting_since = None

	# --- set by linked documents ----------------------------------------------------------------

	def set_status_from_linked_document(self, status: str, **values):
		"""The later states (acceptance, assistance, evaluation...) have no user transition:
		the linked document that decides them sets them, and the timeline records it as a
		workflow step, as Frappe's own workflow actions do."""
		self.db_set({"status": status, **values}, notify=True)
		self.add_comment("Workflow", _(status, context="Dangjian Project"))
