# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from dangjian import rules, scope
from dangjian.controllers.unique_key import RefuseDuplicateKey
from dangjian.dangjian.doctype.dangjian_evaluation.dangjian_evaluation import refresh_evaluation

SCORE_FIELDS = ("benefit_score", "replicability_score")


class DuplicateEvaluationScore(frappe.DuplicateEntryError):
	pass


def lock_evaluation(name: str):
	"""Scores of one evaluation are written one transaction at a time: each locks its evaluation
	row first (as saving the evaluation itself does), so that evaluators submitting at the same
	moment cannot each recompute the results without the other's score."""
	return frappe.db.get_value(
		"Dangjian Evaluation",
		name,
		["project", "project_name", "branch", "docstatus"],
		as_dict=True,
		for_update=True,
	)


class DangjianEvaluationScore(RefuseDuplicateKey, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		benefit_score: DF.Float
		branch: DF.Link | None
		category: DF.Literal["", "Party Member", "Cadre", "Masses Representative"]
		comment: DF.SmallText | None
		entered_by: DF.Link | None
		evaluation: DF.Link
		evaluator_name: DF.Data
		evaluator_user: DF.Link | None
		is_paper_ballot: DF.Check
		project: DF.Link | None
		project_name: DF.Data | None
		replicability_score: DF.Float
		satisfaction_vote: DF.Literal["", "Satisfied", "Basically Satisfied", "Unsatisfied"]
		unique_key: DF.Data | None

	# end: auto-generated types
	def validate(self):
		self.set_evaluation_values()
		self.set_evaluator()
		self.validate_scores()
		self.set_unique_key()
		self.validate_unique()
		self.validate_one_vote_a_person()

	def load_from_db(self):
		# loading for a save locks the evaluation before this score (the order every score write
		# follows: see lock_evaluation), else two evaluators submitting at once could deadlock
		if self.flags.for_update and (
			evaluation := frappe.db.get_value(self.doctype, self.name, "evaluation")
		):
			lock_evaluation(evaluation)
		return super().load_from_db()

	def on_submit(self):
		refresh_evaluation(self.evaluation)

	def on_cancel(self):
		self.db_set("unique_key", None)
		refresh_evaluation(self.evaluation)

	def before_cancel(self):
		lock_evaluation(self.evaluation)

	def on_trash(self):
		lock_evaluation(self.evaluation)

	def set_evaluation_values(self):
		evaluation = lock_evaluation(self.evaluation)
		if not evaluation:
			frappe.throw(_("Evaluation {0} does not exist.").format(frappe.bold(self.evaluation)))
		if evaluation.docstatus != 0:
			frappe.throw(
				_("Evaluation {0} is already concluded: no more scores can be given.").format(
					frappe.bold(self.evaluation)
				),
				title=_("Evaluation Closed"),
			)
		self.project, self.project_name, self.branch = (
			evaluation.project,
			evaluation.project_name,
			evaluation.branch,
		)

	def set_evaluator(self):
		"""An evaluator with an account scores for themselves; the department (approver) enters
		paper ballots for those without."""
		user = frappe.session.user
		is_department = user == "Administrator" or scope.ROLE_APPROVER in frappe.get_roles(user)
		if not self.evaluator_user and not is_department:
			self.evaluator_user = user
		if self.evaluator_user and self.evaluator_user != user and not is_department:
			frappe.throw(
				_("You can give only your own score; {0} scores for themselves.").format(
					frappe.bold(self.evaluator_user)
				),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)
		self.is_paper_ballot = 0 if self.evaluator_user == user else 1
		if self.is_new():
			self.entered_by = user
		# the evaluated branch's own people do not score it, themselves or through a ballot
		# entered for them
		scope.ensure_not_own_branch(self.branch, self.evaluator_user, _("score"))
		if not self.is_paper_ballot:
			scope.ensure_not_own_branch(self.branch, user, _("score"))

	def validate_scores(self):
		for field in SCORE_FIELDS:
			raw = self.get(field)
			label = frappe.bold(_(self.meta.get_label(field), context=self.doctype))
			try:
				value = float(raw)
			except (TypeError, ValueError):
				frappe.throw(
					_("{0} must be a number from 0 to 100, not {1}.").format(label, frappe.bold(raw)),
					title=_("Invalid Score"),
				)
			if not 0 <= value <= 100:
				frappe.throw(
					_("{0} must be between 0 and 100, not {1}.").format(label, frappe.bold(raw)),
					title=_("Invalid Score"),
				)
			self.set(field, flt(value, 2))
		if self.category not in rules.CATEGORIES:
			frappe.throw(
				_("Choose the evaluator category: party member, cadre or masses' representative."),
				title=_("Category Missing"),
			)
		if self.satisfaction_vote not in rules.VOTES:
			frappe.throw(
				_("Choose a satisfaction vote: satisfied, basically satisfied or unsatisfied."),
				title=_("Vote Missing"),
			)

	def set_unique_key(self):
		if self.docstatus < 2:
			who = self.evaluator_user or "paper:" + "".join((self.evaluator_name or "").split())
			self.unique_key = f"{self.evaluation}:{who}"

	def validate_unique(self):
		if frappe.db.exists(
			"Dangjian Evaluation Score", {"unique_key": self.unique_key, "name": ("!=", self.name)}
		):
			self.throw_duplicate()

	def validate_one_vote_a_person(self):
		"""An invitee with an account votes once: by their named ballot (on the phone page, logged
		in or not) or on the desk, not both. Checked under the evaluation's lock (set_evaluation_values)."""
		if self.docstatus == 2:
			return
		if self.flags.ballot:  # a phone vote: its ballot's invitee has not scored on the desk
			user = frappe.db.get_value("Dangjian Ballot", self.flags.ballot, "user")
			if user and frappe.db.exists(
				"Dangjian Evaluation Score",
				{"evaluation": self.evaluation, "evaluator_user": user, "docstatus": ("<", 2)},
			):
				frappe.throw(
					_(
						"The invitee of this ballot has already scored this evaluation in the system: this ballot cannot vote again."
					),
					DuplicateEvaluationScore,
					title=_("Duplicate Score"),
				)
		elif self.evaluator_user and frappe.db.exists(
			"Dangjian Ballot",
			{"evaluation": self.evaluation, "user": self.evaluator_user, "status": "Used"},
		):
			frappe.throw(
				_(
					"{0} has already voted on evaluation {1} with their ballot; an evaluator scores once."
				).format(frappe.bold(self.evaluator_user), frappe.bold(self.evaluation)),
				DuplicateEvaluationScore,
				title=_("Duplicate Score"),
			)

	def throw_duplicate(self, other=None):
		frappe.throw(
			_("{0} has already scored evaluation {1}; an evaluator scores once.").format(
				frappe.bold(self.evaluator_user or self.evaluator_name), frappe.bold(self.evaluation)
			),
			DuplicateEvaluationScore,
			title=_("Duplicate Score"),
		)
