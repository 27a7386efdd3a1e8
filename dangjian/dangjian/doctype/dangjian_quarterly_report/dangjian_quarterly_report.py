# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate, nowdate

from dangjian import rules, scope
from dangjian.controllers.concurrency import ChildRowsByName
from dangjian.controllers.linked_documents import load_project, status_transition
from dangjian.controllers.unique_key import RefuseDuplicateKey
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import REPORTING_STATES
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.filters import require_year

DRAFT, SUBMITTED, REVIEWED, RETURNED, CANCELLED = "Draft", "Submitted", "Reviewed", "Returned", "Cancelled"
TEXT_FIELDS = ("progress_summary", "problems", "next_quarter_plan")


class DuplicateQuarterlyReport(frappe.DuplicateEntryError):
	pass


class DangjianQuarterlyReport(RefuseDuplicateKey, ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_quarterly_report_step.dangjian_quarterly_report_step import (
			DangjianQuarterlyReportStep,
		)

		amended_from: DF.Link | None
		approving_organization: DF.Link | None
		branch: DF.Link | None
		due_date: DF.Date | None
		evidence: DF.Attach | None
		first_submitted_on: DF.Date | None
		flag_reasons: DF.SmallText | None
		import_source_row: DF.Int
		is_flagged: DF.Check
		is_late: DF.Check
		ledger_import: DF.Link | None
		next_quarter_plan: DF.Text | None
		percent_complete: DF.Percent
		problems: DF.Text | None
		progress_summary: DF.Text
		project: DF.Link
		project_name: DF.Data | None
		quarter: DF.Literal["", "1", "2", "3", "4"]
		return_reason: DF.SmallText | None
		reviewed_by: DF.Link | None
		reviewed_on: DF.Date | None
		similarity_to_previous: DF.Percent
		status: DF.Literal["Draft", "Submitted", "Reviewed", "Returned", "Cancelled"]
		steps: DF.Table[DangjianQuarterlyReportStep]
		submitted_by: DF.Link | None
		supervision_comment: DF.SmallText | None
		unique_key: DF.Data | None
		year: DF.Int

	# end: auto-generated types
	def validate(self):
		self.validate_year()
		self.set_project_values()
		self.validate_project_state()
		self.validate_quarter()
		self.validate_percent()
		self.set_unique_key()
		self.validate_unique()
		self.set_steps_from_plan()
		self.set_due_date()
		self.set_flags()
		self.validate_status_change()

	def before_insert(self):
		scope.ensure_in_scope(self.branch, what=self.branch)

	def on_submit(self):
		self.update_plan_steps()

	def on_cancel(self):
		# a cancelled report frees its quarter for the amended one
		self.db_set("unique_key", None)
		self.db_set("status", CANCELLED)

	# --- values ---------------------------------------------------------------------------------

	def set_project_values(self):
		self._project = load_project(self, "implementation_started_on")

	def validate_project_state(self):
		if self.docstatus == 0 and self._project.status not in REPORTING_STATES:
			frappe.throw(
				_(
					"Project {0} is {1}: quarterly reports are made while a project is In Progress, Under Assistance or Adjusting."
				).format(
					frappe.bold(self.project_name),
					frappe.bold(_(self._project.status, context="Dangjian Project")),
				),
				title=_("Project Not in Implementation"),
			)

	def validate_quarter(self):
		quarter = cint(self.quarter)
		if quarter not in rules.QUARTERS:
			frappe.throw(_("Quarter must be 1, 2, 3 or 4."), title=_("Invalid Quarter"))
		started = self._project.implementation_started_on
		if not started:
			return
		problem = rules.quarter_is_reportable(cint(self.year), quarter, getdate(started), getdate(nowdate()))
		if problem == "before_start":
			frappe.throw(
				_(
					"{0} Q{1} is not after the quarter implementation started in ({2}): the first report is for the quarter after it."
				).format(self.year, quarter, frappe.format(getdate(started), "Date")),
				title=_("Invalid Quarter"),
			)
		if problem == "future":
			frappe.throw(
				_("{0} Q{1} has not begun: report on the current quarter or an earlier one.").format(
					self.year, quarter
				),
				title=_("Invalid Quarter"),
			)

	def set_unique_key(self):
		if self.docstatus < 2:
			self.unique_key = f"{self.project}:{cint(self.year)}:Q{cint(self.quarter)}"

	def validate_unique(self):
		other = frappe.db.get_value(
			"Dangjian Quarterly Report",
			{"unique_key": self.unique_key, "name": ("!=", self.name), "docstatus": ("<", 2)},
		)
		if other:
			self.throw_duplicate(other)

	def throw_duplicate(self, other):
		frappe.throw(
			_(
				"{0} already has a report for {1} Q{2}: {3}. Edit that report, or cancel it and amend it, instead of making a second one."
			).format(frappe.bold(self.project_name), self.year, cint(self.quarter), frappe.bold(other or "")),
			DuplicateQuarterlyReport,
			title=_("Duplicate Quarterly Report"),
		)

	def set_steps_from_plan(self):
		"""One row per plan step, filled in from the plan on a new report."""
		if self.steps:
			return
		for step in frappe.get_all(
			"Dangjian Plan Step",
			filters={"parent": self.project, "parenttype": "Dangjian Project"},
			fields=["idx", "step_title", "step_status"],
			order_by="idx",
		):
			self.append(
				"steps",
				{
					"plan_step": step.step_title,
					"step_idx": step.idx,
					"step_status": step.step_status or "Not Started",
				},
			)

	def validate_year(self):
		"""Text for the year is refused (Frappe would store it as 0)."""
		require_year(self.year)

	def validate_percent(self):
		"""A number from 0 to 100; text is refused (Frappe would store it as 0)."""
		if self.percent_complete in (None, ""):
			percent = 0.0
		else:
			percent = rules.number(self.percent_complete)
		if percent is None:
			frappe.throw(
				_("Percent complete must be a number from 0 to 100, not {0}.").format(
					frappe.bold(self.percent_complete)
				),
				title=_("Invalid Percent"),
			)
		if not 0 <= percent <= 100:
			frappe.throw(
				_("Percent complete must be between 0 and 100, not {0}.").format(
					frappe.bold(self.percent_complete)
				),
				title=_("Invalid Percent"),
			)

	def set_due_date(self):
		settings = get_settings()
		self.due_date = rules.quarterly_report_due_date(
			cint(self.year), cint(self.quarter), cint(settings.quarterly_report_due_days)
		)

	# --- evidence over form ------------------------------------------------------------------------

	def report_text(self) -> str:
		parts = [self.get(field) or "" for field in TEXT_FIELDS]
		parts += [row.note or "" for row in self.steps]
		return "\n".join(parts)

	def previous_report(self):
		index = rules.quarter_index(cint(self.year), cint(self.quarter))
		reports = frappe.get_all(
			"Dangjian Quarterly Report",
			filters={"project": self.project, "docstatus": ("<", 2), "name": ("!=", self.name)},
			fields=["name", "year", "quarter"],
		)
		earlier = [r for r in reports if rules.quarter_index(cint(r.year), cint(r.quarter)) < index]
		if not earlier:
			return None
		latest = max(earlier, key=lambda r: rules.quarter_index(cint(r.year), cint(r.quarter)))
		return frappe.get_doc("Dangjian Quarterly Report", latest.name)

	def has_attachments(self) -> bool:
		if self.evidence:
			return True
		if self.is_new():
			return False
		return bool(
			frappe.db.exists("File", {"attached_to_doctype": self.doctype, "attached_to_name": self.name})
		)

	def set_flags(self):
		reasons = []
		threshold = flt(get_settings().repetition_threshold) or 80
		previous = self.previous_report()
		self.similarity_to_previous = (
			rules.text_similarity(self.report_text(), previous.report_text()) if previous else 0
		)
		if previous and rules.is_repetitive(self.similarity_to_previous, threshold):
			reasons.append(
				_("The text is {0}% the same as the previous report {1} (threshold {2}%).").format(
					self.similarity_to_previous, previous.name, threshold
				)
			)
		done_without_evidence = [
			row.plan_step for row in self.steps if row.step_status == "Done" and not row.evidence
		]
		if done_without_evidence and not self.has_attachments():
			reasons.append(
				_("Steps claimed done with no evidence attached: {0}.").format(
					", ".join(done_without_evidence)
				)
			)
		self.is_flagged = 1 if reasons else 0
		self.flag_reasons = "\n".join(reasons) if reasons else None

	# --- workflow -------------------------------------------------------------------------------

	def validate_status_change(self):
		change = status_transition(self, DRAFT)
		if not change:
			return
		_old, new = change
		if new == SUBMITTED:
			self.on_branch_submit()
		elif new == REVIEWED:
			self.on_review()
		elif new == RETURNED:
			self.on_return()

	def on_branch_submit(self):
		today = getdate(nowdate())
		self.submitted_by = frappe.session.user
		if not self.first_submitted_on:
			# lateness is decided by the first submission
			self.first_submitted_on = today
			self.is_late = 1 if rules.is_late(today, getdate(self.due_date)) else 0

	def on_review(self):
		user = frappe.session.user
		if user != "Administrator" and user == self.submitted_by:
			frappe.throw(
				_("You submitted this report, so you cannot review it."),
				frappe.PermissionError,
				title=_("Self-approval Not Allowed"),
			)
		if not (self.supervision_comment or "").strip():
			frappe.throw(
				_("Write the supervision comment (督办意见) before reviewing the report."),
				title=_("Supervision Comment Missing"),
			)
		self.reviewed_by = user
		self.reviewed_on = getdate(nowdate())

	def on_return(self):
		if not (self.return_reason or "").strip():
			frappe.throw(
				_("Write the reason for returning the report, so that the branch knows what to change."),
				title=_("Return Reason Missing"),
			)

	def update_plan_steps(self):
		"""The project's plan steps take their status from the latest reviewed report."""
		# by primary key: an update by parent would take gap locks (see dangjian.controllers.concurrency)
		steps = dict(
			frappe.get_all(
				"Dangjian Plan Step",
				filters={"parent": self.project, "parenttype": "Dangjian Project"},
				fields=["idx", "name"],
				as_list=True,
			)
		)
		for row in self.steps:
			if step := steps.get(row.step_idx):
				frappe.db.set_value(
					"Dangjian Plan Step",
					step,
					"step_status",
					row.step_status,
					update_modified=False,
				)
