import pytest
from conftest import load

rules = load("rules")

DEFAULTS = {
	"application_deadline_month": 4,
	"application_deadline_day": 30,
	"min_projects_per_branch": 1,
	"max_months_to_completion": 24,
	"quarterly_report_due_days": 10,
	"repetition_threshold": 80,
	"weight_satisfaction": 40,
	"weight_benefit": 30,
	"weight_replicability": 30,
	"count_basically_satisfied": 1,
	"min_evaluators": 5,
	"min_masses_representatives": 2,
	"cutoff_5_star": 90,
	"cutoff_4_star": 80,
	"cutoff_3_star": 70,
	"cutoff_2_star": 60,
	"qualified_star_level": 2,
	"commended_star_level": 3,
	"exemplary_star_level": 4,
	"top_ten_size": 10,
	"top_ten_min_stars": 3,
	"top_ten_weight_concept": 20,
	"top_ten_weight_implementation": 20,
	"top_ten_weight_materials": 20,
	"top_ten_weight_report": 20,
	"top_ten_weight_presentation": 20,
	"application_reminder_days": 7,
	"quarterly_reminder_days": 7,
}


def problems(**changes):
	return [(p.field, p.rule) for p in rules.validate_settings({**DEFAULTS, **changes})]


def test_the_scheme_defaults_are_consistent():
	assert problems() == []


def test_cut_offs_must_strictly_increase():
	assert problems(cutoff_3_star=80) == [("cutoff_4_star", "cutoffs_increasing")]
	assert problems(cutoff_5_star=79) == [("cutoff_5_star", "cutoffs_increasing")]
	assert problems(cutoff_2_star=70.01) == [("cutoff_3_star", "cutoffs_increasing")]
	assert problems(cutoff_4_star=89.99) == []


def test_cut_offs_within_0_100():
	assert ("cutoff_5_star", "percent_range") in problems(cutoff_5_star=101)
	assert ("cutoff_2_star", "percent_range") in problems(cutoff_2_star=-1)


def test_weights_must_sum_to_100():
	assert problems(weight_satisfaction=50) == [("weight_satisfaction", "weights_sum")]
	assert problems(weight_satisfaction=0, weight_benefit=50, weight_replicability=50) == []
	assert problems(top_ten_weight_report=30) == [("top_ten_weight_concept", "weights_sum")]


def test_star_levels_within_1_5_and_in_order():
	assert problems(exemplary_star_level=6) == [("exemplary_star_level", "star_range")]
	assert problems(qualified_star_level=0) == [("qualified_star_level", "star_range")]
	assert problems(commended_star_level=5) == [("exemplary_star_level", "levels_order")]
	assert problems(commended_star_level=4) == []


def test_deadline_month_and_day():
	assert problems(application_deadline_month=13) == [("application_deadline_month", "month_range")]
	assert problems(application_deadline_month=4, application_deadline_day=31) == [
		("application_deadline_day", "day_range")
	]
	assert problems(application_deadline_month=2, application_deadline_day=29) == []


def test_counts():
	assert problems(min_projects_per_branch=0) == [("min_projects_per_branch", "at_least_one")]
	assert problems(quarterly_report_due_days=-1) == [("quarterly_report_due_days", "not_negative")]
	assert problems(min_masses_representatives=6) == [
		("min_masses_representatives", "masses_within_evaluators")
	]
	assert problems(top_ten_min_stars=0) == [("top_ten_min_stars", "star_range")]
	assert problems(repetition_threshold=0) == [("repetition_threshold", "threshold_range")]


def test_every_problem_is_reported_not_just_the_first():
	found = problems(cutoff_3_star=85, weight_benefit=10, exemplary_star_level=9)
	assert ("cutoff_4_star", "cutoffs_increasing") in found
	assert ("weight_satisfaction", "weights_sum") in found
	assert ("exemplary_star_level", "star_range") in found


def test_settings_helpers():
	assert rules.cutoffs_from_settings(DEFAULTS) == {2: 60, 3: 70, 4: 80, 5: 90}
	assert rules.levels_from_settings(DEFAULTS) == {"qualified": 2, "commended": 3, "exemplary": 4}
	assert rules.weights_from_settings(DEFAULTS)["satisfaction"] == 40
