# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from dangjian import rules, star_rule


class DangjianSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		application_deadline_day: DF.Int
		application_deadline_month: DF.Int
		application_reminder_days: DF.Int
		commended_star_level: DF.Int
		count_basically_satisfied: DF.Check
		cutoff_2_star: DF.Float
		cutoff_3_star: DF.Float
		cutoff_4_star: DF.Float
		cutoff_5_star: DF.Float
		enable_application_reminder: DF.Check
		enable_overdue_escalation: DF.Check
		enable_quarterly_reminder: DF.Check
		exemplary_star_level: DF.Int
		max_months_to_completion: DF.Int
		min_evaluators: DF.Int
		min_masses_representatives: DF.Int
		min_projects_per_branch: DF.Int
		qualified_star_level: DF.Int
		quarterly_reminder_days: DF.Int
		quarterly_report_due_days: DF.Int
		repetition_threshold: DF.Percent
		star_condition_2: DF.SmallText | None
		star_condition_3: DF.SmallText | None
		star_condition_4: DF.SmallText | None
		star_condition_5: DF.SmallText | None
		star_total_formula: DF.SmallText | None
		top_ten_min_stars: DF.Int
		top_ten_size: DF.Int
		top_ten_weight_concept: DF.Float
		top_ten_weight_implementation: DF.Float
		top_ten_weight_materials: DF.Float
		top_ten_weight_presentation: DF.Float
		top_ten_weight_report: DF.Float
		weight_benefit: DF.Float
		weight_replicability: DF.Float
		weight_satisfaction: DF.Float

	# end: auto-generated types
	def validate(self):
		self.validate_consistency()

	def validate_consistency(self):
		problems = rules.validate_settings(self.as_dict())
		if problems:
			frappe.throw(
				"<br>".join(describe_problem(self, problem) for problem in problems),
				title=_("Inconsistent Dangjian Settings"),
				exc=frappe.ValidationError,
			)


def describe_problem(doc, problem: rules.SettingsProblem) -> str:
	"""One settings rule broken, as a translated sentence naming the field."""

	def label(fieldname):
		return frappe.bold(_(doc.meta.get_label(fieldname), context=doc.doctype))

	field, params = label(problem.field), problem.params
	rule_sentence = star_rule.describe_problem(problem, field)
	if rule_sentence:
		return rule_sentence
	messages = {
		"month_range": lambda: _("{0} must be a month from 1 to 12, not {1}.").format(field, params[0]),
		"day_range": lambda: _("{0} must be a day that exists in month {2}, not {1}.").format(
			field, params[0], params[1]
		),
		"at_least_one": lambda: _("{0} must be at least 1, not {1}.").format(field, params[0]),
		"not_negative": lambda: _("{0} cannot be negative ({1}).").format(field, params[0]),
		"percent_range": lambda: _("{0} must be between 0 and 100, not {1}.").format(field, params[0]),
		"weights_sum": lambda: _(
			"The weights starting with {0} must add up to 100; they add up to {1}."
		).format(field, params[0]),
		"cutoffs_increasing": lambda: _(
			"{0} ({1}) must be higher than {2} ({3}): star cut-offs must strictly increase."
		).format(field, params[0], label(params[1]), params[2]),
		"star_range": lambda: _("{0} must be a star level from 1 to 5, not {1}.").format(field, params[0]),
		"levels_order": lambda: _("{0} ({1}) cannot be lower than {2} ({3}).").format(
			field, params[0], label(params[1]), params[2]
		),
		"masses_within_evaluators": lambda: _(
			"{0} ({1}) cannot be more than the minimum number of evaluators ({2})."
		).format(field, params[0], params[1]),
		"threshold_range": lambda: _("{0} must be more than 0 and at most 100, not {1}.").format(
			field, params[0]
		),
	}
	return messages[problem.rule]()


def get_settings() -> frappe._dict:
	"""The settings as a dict (cached by Frappe for singles)."""
	return frappe._dict(frappe.get_cached_doc("Dangjian Settings").as_dict())
