# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import cint, flt

from dangjian import rules, scope, star_rule
from dangjian.controllers.concurrency import ChildRowsByName
from dangjian.controllers.linked_documents import load_project
from dangjian.dangjian.doctype.dangjian_project import dangjian_project as project_states
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

# the settings an evaluation copies when it is opened and computes with from then on
SNAPSHOT_FIELDS = (
	*rules.INDICATOR_WEIGHT_FIELDS,
	"count_basically_satisfied",
	*rules.CUTOFF_FIELDS,
	*rules.LEVEL_FIELDS,
	"min_evaluators",
	"min_masses_representatives",
	*rules.STAR_RULE_FIELDS,
)


class DangjianEvaluation(ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_evaluation_category_result.dangjian_evaluation_category_result import (
			DangjianEvaluationCategoryResult,
		)

		acceptance_rounds: DF.Int
		amended_from: DF.Link | None
		approving_organization: DF.Link | None
		avg_benefit: DF.Float
		avg_replicability: DF.Float
		branch: DF.Link | None
		category_results: DF.Table[DangjianEvaluationCategoryResult]
		commended_star_level: DF.Int
		count_basically_satisfied: DF.Check
		cutoff_2_star: DF.Float
		cutoff_3_star: DF.Float
		cutoff_4_star: DF.Float
		cutoff_5_star: DF.Float
		evaluated_by: DF.Link | None
		evaluation_date: DF.Date
		exemplary_star_level: DF.Int
		formula: DF.SmallText | None
		grade: DF.Literal["", "Not Qualified", "Qualified", "Commended", "Exemplary"]
		late_reports: DF.Int
		masses_count: DF.Int
		min_evaluators: DF.Int
		min_masses_representatives: DF.Int
		project: DF.Link
		project_name: DF.Data | None
		qualified_star_level: DF.Int
		satisfaction_rate: DF.Percent
		score_count: DF.Int
		star_condition_2: DF.SmallText | None
		star_condition_3: DF.SmallText | None
		star_condition_4: DF.SmallText | None
		star_condition_5: DF.SmallText | None
		star_total_formula: DF.SmallText | None
		stars: DF.Int
		stars_display: DF.Data | None
		weight_benefit: DF.Float
		weight_replicability: DF.Float
		weight_satisfaction: DF.Float
		weighted_total: DF.Float
		year: DF.Int

	# end: auto-generated types
	def validate(self):
		self.set_project_values()
		self.validate_project()
		self.set_settings_snapshot()
		self.calculate_results()

	def before_insert(self):
		scope.ensure_in_scope(self.branch, what=self.branch)

	def before_submit(self):
		self.validate_panel()
		self.evaluated_by = frappe.session.user

	def on_submit(self):
		project = frappe.get_doc("Dangjian Project", self.project)
		project.set_status_from_linked_document(project_states.EVALUATED, stars=self.stars, grade=self.grade)
		if self.grade == rules.EXEMPLARY:
			self.create_roll_out_tasks()

	def on_trash(self):
		# the phone ballots issued for a draft go with it: unused ones only, a vote made a score,
		# which keeps the evaluation (dangjian.ballots)
		frappe.db.delete("Dangjian Ballot", {"evaluation": self.name, "status": "Issued"})

	def on_cancel(self):
		# the scores stay on record with the cancelled evaluation they belong to
		self.ignore_linked_doctypes = ("Dangjian Evaluation Score",)
		project = frappe.get_doc("Dangjian Project", self.project)
		if project.commended or project.top_ten:
			frappe.throw(
				_(
					"Project {0} has been commended or selected for the Top Ten on this result: cancel that first."
				).format(frappe.bold(self.project_name)),
				title=_("Cannot Cancel"),
			)
		project.set_status_from_linked_document(project_states.ACCEPTED, stars=0, grade=None)
		# the roll-out assignments end with the result they came from
		assign_to.clear(self.doctype, self.name, ignore_permissions=True)

	# --- values ---------------------------------------------------------------------------------

	def set_project_values(self):
		self._project = load_project(self, "year")
		self.year = self._project.year

	def validate_project(self):
		if self.docstatus == 0 and self._project.status != project_states.ACCEPTED:
			frappe.throw(
				_(
					"Project {0} is {1}: only a project that has passed acceptance (Accepted) can be evaluated."
				).format(
					frappe.bold(self.project_name),
					frappe.bold(_(self._project.status, context="Dangjian Project")),
				),
				title=_("Project Not Accepted"),
			)
		other = frappe.db.get_value(
			"Dangjian Evaluation",
			{"project": self.project, "docstatus": ("<", 2), "name": ("!=", self.name or "")},
		)
		if other:
			frappe.throw(
				_("{0} already has an evaluation: {1}. Cancel it before opening another.").format(
					frappe.bold(self.project_name), frappe.bold(other)
				),
				frappe.DuplicateEntryError,
				title=_("Evaluation Already Exists"),
			)

	def set_settings_snapshot(self):
		"""The settings are copied once, when the evaluation is opened."""
		if self.get("min_evaluators"):
			return
		settings = get_settings()
		for field in SNAPSHOT_FIELDS:
			self.set(field, settings.get(field))

	def settings_used(self) -> dict:
		return {field: self.get(field) for field in SNAPSHOT_FIELDS}

	def submitted_scores(self) -> list[rules.Score]:
		if self.is_new():
			return []
		return [
			rules.Score(
				row.category, row.satisfaction_vote, flt(row.benefit_score), flt(row.replicability_score)
			)
			# a locking read sees every score committed so far, whenever this transaction began
			for row in frappe.db.get_values(
				"Dangjian Evaluation Score",
				{"evaluation": self.name, "docstatus": 1},
				["category", "satisfaction_vote", "benefit_score", "replicability_score"],
				as_dict=True,
				order_by="name",
				for_update=True,
			)
		]

	def project_facts(self) -> dict:
		facts = star_rule.project_facts([self.project])[self.project]
		self.late_reports = facts["late_reports"]
		self.acceptance_rounds = facts["acceptance_rounds"]
		return facts

	def calculate_results(self):
		result = rules.evaluate(
			self.submitted_scores(), self.settings_used(), self.project_facts(), star_rule.safe_evaluator
		)
		self.score_count = result["count"]
		self.masses_count = result["masses_count"]
		self.satisfaction_rate = result["satisfaction_rate"]
		self.avg_benefit = result["benefit"]
		self.avg_replicability = result["replicability"]
		# the total the stars were decided on: the weighted total, or the star rule's formula
		self.weighted_total = result["total"]
		self.stars = result["stars"] if result["count"] else 0
		self.stars_display = "★" * cint(self.stars) + "☆" * (5 - cint(self.stars)) if self.stars else ""
		self.grade = result["grade"] if result["count"] else None
		self.set("category_results", rules.category_result_rows(result))
		self.formula = _(
			"Weighted total = (satisfaction rate {0} × {1} + overall benefit {2} × {3} + replicability {4} × {5}) ÷ 100 = {6}. Stars: 5★ ≥ {7}, 4★ ≥ {8}, 3★ ≥ {9}, 2★ ≥ {10}, else 1★. 基本满意 counted as satisfied: {11}."
		).format(
			self.satisfaction_rate,
			flt(self.weight_satisfaction),
			self.avg_benefit,
			flt(self.weight_benefit),
			self.avg_replicability,
			flt(self.weight_replicability),
			result["weighted_total"],
			flt(self.cutoff_5_star),
			flt(self.cutoff_4_star),
			flt(self.cutoff_3_star),
			flt(self.cutoff_2_star),
			_("Yes") if self.count_basically_satisfied else _("No"),
		)
		rule = star_rule.rule_in_words(self.settings_used())
		if rule:
			if self.star_total_formula:
				self.formula += " " + _("By the star rule's formula the total is {0}.").format(
					self.weighted_total
				)
			self.formula += " " + _("Star rule: {0}.").format("; ".join(rule))

	@frappe.whitelist()
	def use_current_star_rule(self) -> dict:
		"""An open evaluation takes the settings now in force (weights, cut-offs and star rule)
		and is computed anew; the answer shows the result before and after. A submitted one
		keeps the rule it was computed with."""
		self.reload()  # the stored record, not what a client sent with the call
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(
				_("A submitted evaluation keeps the rule it was computed with."), title=_("Not Allowed")
			)
		scope.ensure_in_scope(self.branch, what=self.project_name)

		def outcome():
			return {"total": flt(self.weighted_total), "stars": cint(self.stars), "grade": self.grade or ""}

		before, rule_before = outcome(), star_rule.rule_in_words(self.settings_used())
		settings = get_settings()
		for field in SNAPSHOT_FIELDS:
			self.set(field, settings.get(field))
		self.flags.ignore_permissions = True  # the snapshot is the system's; the user may write this one
		self.save()
		return {
			"before": before,
			"after": outcome(),
			"rule_before": rule_before,
			"rule_after": star_rule.rule_in_words(self.settings_used()),
		}

	def validate_panel(self):
		drafts = frappe.get_all(
			"Dangjian Evaluation Score", filters={"evaluation": self.name, "docstatus": 0}, pluck="name"
		)
		problems = []
		if cint(self.score_count) < cint(self.min_evaluators):
			problems.append(
				_("{0} submitted scores, at least {1} needed").format(
					self.score_count, cint(self.min_evaluators)
				)
			)
		if cint(self.masses_count) < cint(self.min_masses_representatives):
			problems.append(
				_("{0} masses' representatives, at least {1} needed").format(
					self.masses_count, cint(self.min_masses_representatives)
				)
			)
		if problems:
			message = _("The panel is not complete: {0}.").format("; ".join(problems))
			if drafts:
				message += " " + _("Scores still in draft: {0}.").format(
					", ".join(frappe.get_desk_link("Dangjian Evaluation Score", name) for name in drafts)
				)
			frappe.throw(message, title=_("Panel Incomplete"))

	def create_roll_out_tasks(self):
		"""典型示范: the approving organization turns the project into an institution and rolls
		it out (上升为制度, 推广)."""
		approvers = frappe.get_all(
			"Party Organization Member",
			filters={
				"parent": self.approving_organization,
				"parenttype": "Party Organization",
				"duty": "Approver",
			},
			pluck="user",
		)
		users = sorted({user for user in approvers if user})
		if not users:
			return
		# Frappe's assignment: a ToDo each, the assignee notified (bell, and e-mail as their
		# settings allow) and the evaluation shared with them if they could not read it
		assign_to.add(
			{
				"assign_to": users,
				"doctype": self.doctype,
				"name": self.name,
				"description": _(
					"Exemplary project {0} ({1} stars): turn it into an institution and roll it out company-wide (上升为制度, 推广), and record where it is adopted on the project."
				).format(self.project_name, self.stars),
				"priority": "High",
			},
			ignore_permissions=True,
		)


def refresh_evaluation(name: str) -> None:
	"""Recompute a draft evaluation's results after a score changed."""
	doc = frappe.get_doc("Dangjian Evaluation", name, for_update=True)
	if doc.docstatus != 0:
		return
	doc.calculate_results()
	doc.flags.ignore_permissions = True
	doc.db_update()
	doc.update_children()
