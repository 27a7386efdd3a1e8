"""The star rule (星级规则) as the committee writes it: a formula for the total and a condition per
star level, checked before they are saved and evaluated without Frappe."""

import random

import pytest
from conftest import load
from test_rules import SETTINGS, panel

rules = load("rules")
S, B, U = rules.SATISFIED, rules.BASICALLY_SATISFIED, rules.UNSATISFIED


def rule(**fields):
	return {**SETTINGS, **fields}


def random_panel(rng):
	votes = [rng.choice(rules.VOTES) for _ in range(rng.randint(1, 9))]
	return panel(votes, rng.choice(range(0, 101)), rng.choice(range(0, 101)))


# --- the default rule is today's rule -------------------------------------------------------------


def test_default_rule_gives_the_stars_of_weights_and_cut_offs():
	rng = random.Random(20261130)
	checked = 0
	for _ in range(2000):
		scores = random_panel(rng)
		result = rules.evaluate(scores, SETTINGS)
		expected_total = rules.weighted_total(
			rules.satisfaction_rate([s.vote for s in scores]),
			rules.mean(s.benefit for s in scores),
			rules.mean(s.replicability for s in scores),
			rules.weights_from_settings(SETTINGS),
		)
		assert result["total"] == expected_total == result["weighted_total"]
		assert result["stars"] == rules.stars_from_total(
			expected_total, rules.cutoffs_from_settings(SETTINGS)
		)
		checked += 1
	assert checked == 2000


def test_empty_expressions_are_no_rule():
	scores = panel([S, B, U], 70, 80)
	blank = {name: "  " for name in rules.STAR_RULE_FIELDS}
	assert rules.evaluate(scores, rule(**blank)) == rules.evaluate(scores, SETTINGS)
	assert rules.star_rule_problems(blank) == []


# --- a custom rule, computed by hand ----------------------------------------------------------------


def test_a_formula_weighting_the_masses_satisfaction():
	scores = [
		rules.Score("Party Member", S, 80, 70),
		rules.Score("Cadre", S, 90, 80),
		rules.Score("Masses Representative", U, 60, 50),
		rules.Score("Masses Representative", S, 70, 60),
	]
	formula = "masses_satisfaction_rate * 0.5 + benefit * 0.25 + replicability * 0.25"
	result = rules.evaluate(scores, rule(star_total_formula=formula))
	# masses: 1 of 2 satisfied = 50; benefit (80+90+60+70)/4 = 75; replicability 65
	# 25 + 18.75 + 16.25 = 60 -> 2 stars (Qualified); the weighted total stays
	# 3 of 4 satisfied: 75 × 0.4 + 75 × 0.3 + 65 × 0.3 = 30 + 22.5 + 19.5 = 72 -> 3 stars
	assert result["weighted_total"] == 72
	assert (result["total"], result["stars"], result["grade"]) == (60, 2, "Qualified")
	assert rules.evaluate(scores, SETTINGS)["stars"] == 3


@pytest.mark.parametrize("level", rules.STAR_LEVELS)
def test_each_level_needs_its_cut_off_and_its_condition(level):
	# all satisfied (40) + 0.6 x: a total exactly on the level's cut-off, and one point below
	cutoff = SETTINGS[f"cutoff_{level}_star"]
	for total, condition, stars in (
		(cutoff, "late_reports == 0", level),
		(cutoff - 1, "late_reports == 0", level - 1),
		(cutoff, "late_reports == 0 and total >= 0", level),
	):
		x = (total - 40) / 0.6
		scores = panel([S] * 5, x, x)
		settings = rule(**{f"star_condition_{level}": condition})
		assert rules.evaluate(scores, settings, {"late_reports": 0})["stars"] == stars
		# one late report: the level is out of reach, so the level below is the best
		assert rules.evaluate(scores, settings, {"late_reports": 1})["stars"] == min(stars, level - 1)


def test_a_condition_binds_every_level_above_it():
	scores = panel([S] * 5, 100, 100)  # total 100
	settings = rule(star_condition_3="satisfaction_rate >= 60 and late_reports <= 1")
	assert rules.evaluate(scores, settings, {"late_reports": 1})["stars"] == 5
	assert rules.evaluate(scores, settings, {"late_reports": 2})["stars"] == 2
	# no project under 60 % satisfaction can be commended (3 stars and up)
	unhappy = panel([U, U, S, S, U], 100, 100)  # 40 % satisfied: 16 + 60 = 76
	assert rules.evaluate(unhappy, SETTINGS)["stars"] == 3
	assert rules.evaluate(unhappy, settings)["stars"] == 2


def test_acceptance_rounds_and_counts_are_named():
	scores = panel([S] * 6, 100, 100)
	settings = rule(star_condition_5="acceptance_rounds == 1 and masses_count >= 2 and cadre_count >= 2")
	assert rules.evaluate(scores, settings, {"acceptance_rounds": 1})["stars"] == 5
	assert rules.evaluate(scores, settings, {"acceptance_rounds": 2})["stars"] == 4


# --- what is refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"field, text, code",
	[
		("star_total_formula", "benefit *", "rule_syntax"),
		("star_total_formula", "benefit + bonus", "rule_unknown_name"),
		("star_total_formula", "benefit.real", "rule_not_allowed"),
		("star_total_formula", "__import__('os').system('true')", "rule_not_allowed"),
		("star_total_formula", "__import__('os')", "rule_function"),
		("star_total_formula", "__class__", "rule_not_allowed"),
		("star_total_formula", "(lambda: 1)()", "rule_function"),
		("star_total_formula", "[benefit][0]", "rule_not_allowed"),
		("star_total_formula", "'100'", "rule_not_allowed"),
		("star_total_formula", "1e999", "rule_not_allowed"),
		("star_total_formula", "benefit ** 2", "rule_not_allowed"),
		("star_total_formula", "(x := 50)", "rule_not_allowed"),
		("star_total_formula", "int(benefit)", "rule_function"),
		("star_total_formula", "round(benefit, ndigits=1)", "rule_function"),
		("star_total_formula", "max(benefit)", "rule_arguments"),
		("star_total_formula", "benefit * 2", "rule_total_range"),
		("star_total_formula", "benefit - 1", "rule_total_range"),
		("star_total_formula", "count", "rule_total_range"),
		("star_total_formula", "benefit / count", "rule_division_by_zero"),
		("star_total_formula", "total", "rule_unknown_name"),
		("star_total_formula", "+".join(["benefit"] * 60), "rule_too_long"),
		("star_condition_4", "benefit + 1", "rule_not_condition"),
		("star_condition_4", "benefit in (1, 2)", "rule_not_allowed"),
		("star_condition_4", "total >= 90 or 'yes'", "rule_not_condition"),
		("star_condition_2", "import os", "rule_syntax"),
	],
)
def test_an_expression_that_cannot_be_right_is_refused(field, text, code):
	problems = rules.validate_settings({**VALID, field: text})
	assert [(p.field, p.rule) for p in problems] == [(field, code)]


VALID = {
	**SETTINGS,
	"application_deadline_month": 4,
	"application_deadline_day": 30,
	"min_projects_per_branch": 1,
	"min_evaluators": 5,
	"min_masses_representatives": 1,
	"top_ten_size": 10,
	"max_months_to_completion": 12,
	"top_ten_weight_concept": 20,
	"top_ten_weight_implementation": 20,
	"top_ten_weight_materials": 20,
	"top_ten_weight_report": 20,
	"top_ten_weight_presentation": 20,
}


def test_the_valid_settings_are_valid():
	assert rules.validate_settings(VALID) == []


def test_a_problem_names_where_it_is():
	(problem,) = rules.star_rule_problems({"star_total_formula": "benefit + bonus"})
	assert problem.params == ("bonus", 11)
	(problem,) = rules.star_rule_problems({"star_total_formula": "benefit * 2"})
	assert problem.params == ("0", "200", None)
	(problem,) = rules.star_rule_problems({"star_total_formula": "benefit / count"})
	assert problem.params == (11,)


@pytest.mark.parametrize(
	"text",
	[
		"min(100, benefit + 10)",
		"max(0, min(100, benefit * 1.2 - 10))",
		"benefit / max(count, 1)",
		"satisfaction_rate if late_reports == 0 else satisfaction_rate * 0.8",
		"round(weighted_total * 0.9 + masses_satisfaction_rate * 0.1, 1)",
		"abs(benefit - replicability) / 2",
	],
)
def test_formulas_that_stay_within_0_and_100_are_accepted(text):
	assert rules.star_rule_problems({"star_total_formula": text}) == []


def test_the_checked_range_holds_when_evaluated():
	# the interval check is conservative: every accepted formula gives 0..100 on any panel
	rng = random.Random(7)
	formulas = [
		"min(100, benefit + 10)",
		"max(0, min(100, benefit * 1.2 - 10))",
		"benefit / max(count, 1)",
		"abs(benefit - replicability) / 2",
	]
	evaluated = 0
	for formula in formulas:
		for _ in range(300):
			scores = random_panel(rng)
			total = rules.evaluate(scores, rule(star_total_formula=formula))["total"]
			assert 0 <= total <= 100
			evaluated += 1
	assert evaluated == 1200


def test_the_own_evaluator_agrees_with_python():
	rng = random.Random(11)
	oracles = {
		"min(100, benefit + 10)": lambda v: min(100, v["benefit"] + 10),
		"satisfaction_rate if late_reports == 0 else satisfaction_rate * 0.8": lambda v: (
			v["satisfaction_rate"] if v["late_reports"] == 0 else v["satisfaction_rate"] * 0.8
		),
		"0 < benefit <= 50 or not replicability > 20": lambda v: (
			0 < v["benefit"] <= 50 or not v["replicability"] > 20
		),
		"round(benefit / 3, 2) - -replicability": lambda v: round(v["benefit"] / 3, 2) + v["replicability"],
	}
	checked = 0
	for text, oracle in oracles.items():
		for _ in range(50):
			names = {
				name: rng.uniform(low, min(high, 100)) for name, (low, high) in rules.CONDITION_VALUES.items()
			}
			names["late_reports"] = rng.choice((0, 1))
			assert rules.default_evaluator(text, names) == oracle(names)
			checked += 1
	assert checked == 200


def test_the_own_evaluator_refuses_what_it_does_not_know():
	with pytest.raises(rules.RuleProblem):
		rules.default_evaluator("benefit.real", {"benefit": 1})
	with pytest.raises(rules.RuleProblem):
		rules.default_evaluator("open('x')", {})


WORDS = {
	"and": "且",
	"or": "或",
	"not": "非",
	"true": "是",
	"false": "否",
	"if": "（若{0}则{1}，否则{2}）",
	"min": "取小",
	"max": "取大",
}
LABELS = {
	"benefit": "综合效益",
	"replicability": "可推广性",
	"satisfaction_rate": "群众满意率",
	"total": "总分",
}


@pytest.mark.parametrize(
	"text, words",
	[
		("satisfaction_rate * 0.5 + benefit * 0.25", "群众满意率 × 0.5 + 综合效益 × 0.25"),
		("(benefit + replicability) / 2", "(综合效益 + 可推广性) ÷ 2"),
		("benefit - (replicability - 1)", "综合效益 − (可推广性 − 1)"),
		(
			"total >= 90 and not benefit < 60 or replicability == 100",
			"总分 ≥ 90 且 非 综合效益 < 60 或 可推广性 = 100",
		),
		(
			"(total >= 90 or benefit > 1) and replicability != 2",
			"(总分 ≥ 90 或 综合效益 > 1) 且 可推广性 ≠ 2",
		),
		("min(100, benefit + 10)", "取小(100, 综合效益 + 10)"),
		("benefit if total > 1 else 0", "（若总分 > 1则综合效益，否则0）"),
	],
)
def test_a_rule_in_words(text, words):
	assert rules.describe_expression(text, LABELS, WORDS) == words
