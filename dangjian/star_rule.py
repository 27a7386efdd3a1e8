"""The star rule (星级规则) on a site.

``rules`` checks a rule and decides stars without Frappe; here Frappe's ``safe_eval`` evaluates
the rule's expressions, the project's facts a rule may name (late quarterly reports, acceptance
rounds) are read, the rule is put in words for the form and the printed result, and the
what-if compares a proposed rule with the rule in force on a past year.
"""

import json

import frappe
from frappe import _
from frappe.utils import cint, flt
from frappe.utils.safe_exec import safe_eval

from dangjian import rules

RULE_GLOBALS = {"min": min, "max": max, "abs": abs}


def safe_evaluator(text: str, names) -> float | bool:
	"""An expression of the rule, evaluated by Frappe's safe_eval over the named values only
	(the rule was checked by ``rules.parse_expression`` before it was saved)."""
	return safe_eval(text, dict(RULE_GLOBALS), dict(names))


def project_facts(projects) -> dict[str, dict]:
	"""For each project the values a rule may name besides the scores: its late quarterly
	reports and the acceptance inspections it needed (1 = passed at the first)."""
	projects = list(set(projects))
	facts = {name: {"late_reports": 0, "acceptance_rounds": 1} for name in projects}
	if not projects:
		return facts
	for row in frappe.get_all(
		"Dangjian Quarterly Report",
		filters={"project": ("in", projects), "docstatus": ("<", 2), "is_late": 1},
		fields=["project", "count(name) as n"],
		group_by="project",
	):
		facts[row.project]["late_reports"] = cint(row.n)
	for row in frappe.get_all(
		"Dangjian Acceptance",
		filters={"project": ("in", projects), "docstatus": ("<", 2), "conclusion": ("is", "set")},
		fields=["project", "count(name) as n"],
		group_by="project",
	):
		facts[row.project]["acceptance_rounds"] = max(1, cint(row.n))
	return facts


# --- in words ----------------------------------------------------------------------------------


def value_labels() -> dict[str, str]:
	labels = {
		"satisfaction_rate": _("satisfaction rate"),
		"benefit": _("overall benefit"),
		"replicability": _("replicability"),
		"weighted_total": _("weighted total"),
		"count": _("number of evaluators"),
		"late_reports": _("late quarterly reports"),
		"acceptance_rounds": _("acceptance rounds"),
		"total": _("total"),
		"member_count": _("number of party members"),
		"cadre_count": _("number of cadres"),
		"masses_count": _("number of masses' representatives"),
	}
	for prefix, whose in (
		("member", _("party members'")),
		("cadre", _("cadres'")),
		("masses", _("masses' representatives'")),
	):
		labels[f"{prefix}_satisfaction_rate"] = _("{0} satisfaction rate").format(whose)
		labels[f"{prefix}_benefit"] = _("{0} overall benefit").format(whose)
		labels[f"{prefix}_replicability"] = _("{0} replicability").format(whose)
	return labels


def rule_words() -> dict[str, str]:
	return {
		"and": _("and", context="Star Rule"),
		"or": _("or", context="Star Rule"),
		"not": _("not", context="Star Rule"),
		"true": _("Yes"),
		"false": _("No"),
		"if": _("(if {0} then {1}, otherwise {2})"),
		"min": _("the smaller of"),
		"max": _("the larger of"),
		"abs": _("the absolute value of"),
		"round": _("rounded"),
	}


def rule_in_words(values) -> list[str]:
	"""The rule of a settings record or an evaluation, a sentence a line; no lines when the
	rule is the weights and cut-offs alone."""
	rule = rules.star_rule_from_settings(values)
	labels, words = value_labels(), rule_words()
	lines = []
	if rule[rules.STAR_FORMULA_FIELD]:
		lines.append(
			_("Total = {0}").format(rules.describe_expression(rule[rules.STAR_FORMULA_FIELD], labels, words))
		)
	for level in sorted(rules.STAR_LEVELS, reverse=True):
		text = rule[rules.STAR_CONDITION_FIELDS[level]]
		if text:
			lines.append(
				_("{0} stars and above also require: {1}").format(
					level, rules.describe_expression(text, labels, words)
				)
			)
	return lines


def describe_problem(problem: rules.SettingsProblem, label: str) -> str | None:
	"""A refused expression of the rule as a sentence naming the field and where the problem
	is; None for a problem that is not the rule's."""
	*params, column = problem.params or (None,)
	messages = {
		"rule_too_long": lambda: _("{0} is too long ({1} characters, at most {2}).").format(
			label, params[0], params[1]
		),
		"rule_syntax": lambda: _("{0} cannot be read ({1}).").format(label, params[0]),
		"rule_unknown_name": lambda: _(
			"{0} names {1}, which is not one of the values a star rule may use."
		).format(label, frappe.bold(params[0])),
		"rule_not_allowed": lambda: _("{0} uses {1}, which a star rule may not use.").format(
			label, frappe.bold(params[0])
		),
		"rule_function": lambda: _("{0} calls {1}: only {2} may be called, without keywords.").format(
			label, frappe.bold(params[0]), params[1]
		),
		"rule_arguments": lambda: _("{0}: {1} takes {2} values.").format(
			label, frappe.bold(params[0]), params[1]
		),
		"rule_total_range": lambda: _(
			"{0} can give a total from {1} to {2}; a total must stay between 0 and 100 (use min and max to keep it there)."
		).format(label, params[0], params[1]),
		"rule_division_by_zero": lambda: _(
			"{0} may divide by zero (use max(value, 1) for a divisor that can be 0)."
		).format(label),
		"rule_not_condition": lambda: _(
			"{0} must be a condition (a comparison, or several joined by and / or)."
		).format(label),
	}
	if problem.rule not in messages:
		return None
	message = messages[problem.rule]()
	if column:
		message += " " + _("(at character {0})").format(column)
	return message


# --- what-if --------------------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def what_if(year, proposed):
	"""For a past year: how many of the evaluations the user may see would get each star level
	under the proposed rule (the settings form's unsaved values) beside the rule in force, and
	which projects would change. Nothing is saved."""
	frappe.has_permission("Dangjian Settings", "write", throw=True)
	year = rules.whole_number(year)
	if not year:
		frappe.throw(_("Choose a year."), title=_("What-If"))
	if isinstance(proposed, str):
		proposed = json.loads(proposed)
	in_force = frappe.get_cached_doc("Dangjian Settings").as_dict()
	fields = {df.fieldname for df in frappe.get_meta("Dangjian Settings").fields}
	proposed = {**in_force, **{key: value for key, value in (proposed or {}).items() if key in fields}}
	# refused as saving it would be, with the same sentences (the document is not saved)
	frappe.get_doc({"doctype": "Dangjian Settings", **proposed}).validate_consistency()

	evaluations = frappe.get_list(
		"Dangjian Evaluation",
		filters={"year": year, "docstatus": 1},
		fields=["name", "project", "project_name", "branch", "stars"],
		order_by="project_name asc",
		limit_page_length=0,
	)
	scores = {}
	for row in frappe.get_all(
		"Dangjian Evaluation Score",
		filters={"evaluation": ("in", [e.name for e in evaluations] or [""]), "docstatus": 1},
		fields=["evaluation", "category", "satisfaction_vote", "benefit_score", "replicability_score"],
		order_by="name",
	):
		scores.setdefault(row.evaluation, []).append(
			rules.Score(
				row.category, row.satisfaction_vote, flt(row.benefit_score), flt(row.replicability_score)
			)
		)
	facts = project_facts(e.project for e in evaluations)
	counts = {"in_force": dict.fromkeys(range(1, 6), 0), "proposed": dict.fromkeys(range(1, 6), 0)}
	changed = []
	for evaluation in evaluations:
		panel = scores.get(evaluation.name, [])
		now = rules.evaluate(panel, in_force, facts[evaluation.project], safe_evaluator)
		then = rules.evaluate(panel, proposed, facts[evaluation.project], safe_evaluator)
		counts["in_force"][now["stars"]] += 1
		counts["proposed"][then["stars"]] += 1
		if now["stars"] != then["stars"] or now["total"] != then["total"]:
			changed.append(
				{
					"evaluation": evaluation.name,
					"project": evaluation.project,
					"project_name": evaluation.project_name,
					"branch": evaluation.branch,
					"recorded_stars": cint(evaluation.stars),
					"in_force_total": now["total"],
					"in_force_stars": now["stars"],
					"proposed_total": then["total"],
					"proposed_stars": then["stars"],
				}
			)
	return {
		"year": year,
		"evaluations": len(evaluations),
		"counts": counts,
		"changed": changed,
		"proposed_rule": rule_in_words(proposed),
	}
