import datetime as dt

import pytest
from conftest import load

rules = load("rules")
D = dt.date


# --- quarters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"day, expected",
	[
		(D(2026, 1, 1), (2026, 1)),
		(D(2026, 3, 31), (2026, 1)),
		(D(2026, 4, 1), (2026, 2)),
		(D(2026, 6, 30), (2026, 2)),
		(D(2026, 7, 1), (2026, 3)),
		(D(2026, 9, 30), (2026, 3)),
		(D(2026, 10, 1), (2026, 4)),
		(D(2026, 12, 31), (2026, 4)),
	],
)
def test_quarter_of_boundaries(day, expected):
	assert rules.quarter_of(day) == expected


def test_quarter_start_end_and_leap_february():
	assert rules.quarter_start(2026, 3) == D(2026, 7, 1)
	assert rules.quarter_end(2026, 1) == D(2026, 3, 31)
	assert rules.quarter_end(2026, 2) == D(2026, 6, 30)
	assert rules.quarter_end(2026, 4) == D(2026, 12, 31)
	with pytest.raises(ValueError):
		rules.quarter_end(2026, 5)
	with pytest.raises(ValueError):
		rules.quarter_start(2026, 0)


def test_next_quarter_wraps_the_year():
	assert rules.next_quarter(2026, 3) == (2026, 4)
	assert rules.next_quarter(2026, 4) == (2027, 1)


def test_quarter_index_orders_quarters():
	assert rules.quarter_index(2027, 1) - rules.quarter_index(2026, 4) == 1
	assert rules.quarter_index(2026, 1) < rules.quarter_index(2026, 2)


def test_quarterly_report_due_date():
	assert rules.quarterly_report_due_date(2026, 1, 10) == D(2026, 4, 10)
	assert rules.quarterly_report_due_date(2026, 4, 10) == D(2027, 1, 10)
	assert rules.quarterly_report_due_date(2026, 2, 0) == D(2026, 6, 30)
	with pytest.raises(ValueError):
		rules.quarterly_report_due_date(2026, 2, -1)


def test_report_on_its_due_date_is_on_time_a_day_after_is_late():
	due = rules.quarterly_report_due_date(2026, 2, 10)
	assert not rules.is_late(due, due)
	assert rules.is_late(due + dt.timedelta(days=1), due)


def test_quarters_due_start_after_the_quarter_implementation_started_in():
	started = D(2026, 5, 20)  # Q2
	assert rules.quarters_due(started, D(2026, 6, 30)) == []  # Q2 not over, and not due anyway
	assert rules.quarters_due(started, D(2026, 9, 30)) == []  # Q3 ends today: not over until tomorrow
	assert rules.quarters_due(started, D(2026, 10, 1)) == [(2026, 3)]
	assert rules.quarters_due(started, D(2027, 4, 2)) == [(2026, 3), (2026, 4), (2027, 1)]
	# left implementation in 2026 Q4: nothing after that is due
	assert rules.quarters_due(started, D(2027, 8, 1), until=D(2026, 11, 5)) == [(2026, 3), (2026, 4)]


# --- the application deadline -------------------------------------------------------------------


def test_application_deadline_default_is_end_of_april():
	assert rules.application_deadline(2026) == D(2026, 4, 30)


def test_application_on_the_deadline_is_on_time_one_day_after_is_late():
	deadline = rules.application_deadline(2026, 4, 30)
	assert not rules.is_late(D(2026, 4, 30), deadline)
	assert rules.is_late(D(2026, 5, 1), deadline)
	assert not rules.is_late(D(2026, 1, 2), deadline)


def test_application_deadline_clamps_to_month_end():
	assert rules.application_deadline(2026, 2, 29) == D(2026, 2, 28)
	assert rules.application_deadline(2028, 2, 29) == D(2028, 2, 29)
	assert rules.application_deadline(2026, 4, 31) == D(2026, 4, 30)
	with pytest.raises(ValueError):
		rules.application_deadline(2026, 13, 1)
	with pytest.raises(ValueError):
		rules.application_deadline(2026, 4, 0)


def test_add_months():
	assert rules.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
	assert rules.add_months(D(2026, 5, 15), 24) == D(2028, 5, 15)
	assert rules.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


# --- satisfaction, totals, stars, grades ----------------------------------------------------------

S, B, U = rules.SATISFIED, rules.BASICALLY_SATISFIED, rules.UNSATISFIED


def test_satisfaction_rate_counts_basically_satisfied_when_set():
	votes = [S, S, B, U]
	assert rules.satisfaction_rate(votes, True) == 75.0
	assert rules.satisfaction_rate(votes, False) == 50.0


def test_satisfaction_rate_all_satisfied_and_all_unsatisfied():
	assert rules.satisfaction_rate([S] * 7) == 100.0
	assert rules.satisfaction_rate([U] * 7) == 0.0
	assert rules.satisfaction_rate([B] * 3, count_basically_satisfied=False) == 0.0
	assert rules.satisfaction_rate([]) == 0.0


def test_satisfaction_rate_rejects_unknown_votes():
	with pytest.raises(ValueError):
		rules.satisfaction_rate([S, "Delighted"])


def test_weighted_total_default_weights():
	assert rules.weighted_total(100, 100, 100) == 100
	assert rules.weighted_total(0, 0, 0) == 0
	assert rules.weighted_total(80, 90, 70) == 80.0  # 32 + 27 + 21
	assert rules.weighted_total(90, 90, 90) == 90.0


def test_weighted_total_with_a_zero_weight():
	weights = {"satisfaction": 0, "benefit": 50, "replicability": 50}
	assert rules.weighted_total(0, 80, 60, weights) == 70.0
	assert rules.weighted_total(100, 80, 60, weights) == 70.0


def test_weighted_total_rejects_out_of_range_scores():
	with pytest.raises(ValueError):
		rules.weighted_total(101, 50, 50)
	with pytest.raises(ValueError):
		rules.weighted_total(50, -1, 50)


def test_weighted_total_is_rounded_so_cut_offs_are_not_lost_to_float_noise():
	# 0.1 + 0.2 style noise: 70 exactly must stay 70
	weights = {"satisfaction": 33.3, "benefit": 33.3, "replicability": 33.4}
	assert rules.weighted_total(70, 70, 70, weights) == 70.0


@pytest.mark.parametrize(
	"total, stars",
	[
		(100, 5),
		(90, 5),
		(89.99, 4),
		(80, 4),
		(79.99, 3),
		(70, 3),
		(69.99, 2),
		(60, 2),
		(59.99, 1),
		(0, 1),
	],
)
def test_stars_at_each_cut_off_and_just_below(total, stars):
	assert rules.stars_from_total(total) == stars


def test_stars_with_custom_cut_offs():
	cutoffs = {5: 95, 4: 85, 3: 75, 2: 50}
	assert rules.stars_from_total(94.99, cutoffs) == 4
	assert rules.stars_from_total(50, cutoffs) == 2
	assert rules.stars_from_total(49.99, cutoffs) == 1


@pytest.mark.parametrize(
	"stars, grade",
	[(1, "Not Qualified"), (2, "Qualified"), (3, "Commended"), (4, "Exemplary"), (5, "Exemplary")],
)
def test_grade_from_stars_with_the_scheme_levels(stars, grade):
	assert rules.grade_from_stars(stars) == grade


def test_grade_from_stars_with_other_levels_and_bad_stars():
	levels = {"qualified": 3, "commended": 4, "exemplary": 5}
	assert rules.grade_from_stars(2, levels) == "Not Qualified"
	assert rules.grade_from_stars(3, levels) == "Qualified"
	assert rules.grade_from_stars(4, levels) == "Commended"
	assert rules.grade_from_stars(5, levels) == "Exemplary"
	with pytest.raises(ValueError):
		rules.grade_from_stars(0)
	with pytest.raises(ValueError):
		rules.grade_from_stars(6)


def test_all_satisfied_panel_end_to_end():
	rate = rules.satisfaction_rate([S] * 5)
	total = rules.weighted_total(rate, 90, 90)
	assert total == 94.0
	assert rules.stars_from_total(total) == 5
	assert rules.grade_from_stars(5) == "Exemplary"


def test_all_unsatisfied_panel_end_to_end():
	rate = rules.satisfaction_rate([U] * 5)
	total = rules.weighted_total(rate, 90, 90)  # 0 + 27 + 27
	assert total == 54.0
	assert rules.stars_from_total(total) == 1
	assert rules.grade_from_stars(1) == "Not Qualified"


# --- the organisation tree -----------------------------------------------------------------------


def test_parent_types():
	assert rules.parent_type_allowed("Company", None)
	assert not rules.parent_type_allowed("Company", "Company")
	assert rules.parent_type_allowed("Unit", "Company")
	assert not rules.parent_type_allowed("Unit", None)
	assert rules.parent_type_allowed("General Branch", "Unit")
	assert not rules.parent_type_allowed("General Branch", "Company")
	assert rules.parent_type_allowed("Branch", "Unit")
	assert rules.parent_type_allowed("Branch", "General Branch")
	assert not rules.parent_type_allowed("Branch", "Branch")
	assert not rules.parent_type_allowed("Branch", "Company")


def test_nearest_unit():
	chain = [("G1", "General Branch"), ("U1", "Unit"), ("C1", "Company")]
	assert rules.nearest_of_type(chain) == "U1"
	assert rules.nearest_of_type([("C1", "Company")]) is None


# --- evidence over form ----------------------------------------------------------------------------


def test_text_similarity_identical_different_and_empty():
	text = "本季度完成党员先锋岗设立，开展隐患排查三次。"
	assert rules.text_similarity(text, text) == 100.0
	assert rules.text_similarity(text, " ".join(text)) == 100.0  # white space ignored
	assert rules.text_similarity(text, "完全不同的内容：组织青年突击队参加抢修。") < 40
	assert rules.text_similarity("", "") == 0.0
	assert rules.text_similarity(text, "") == 0.0


def test_repetition_threshold_boundary():
	assert rules.is_repetitive(80.0, 80)
	assert not rules.is_repetitive(79.99, 80)


def test_quarter_is_reportable():
	started = D(2026, 5, 20)  # Q2
	assert rules.quarter_is_reportable(2026, 2, started, D(2026, 11, 1)) == "before_start"
	assert rules.quarter_is_reportable(2026, 1, started, D(2026, 11, 1)) == "before_start"
	assert rules.quarter_is_reportable(2026, 3, started, D(2026, 11, 1)) is None
	assert rules.quarter_is_reportable(2026, 4, started, D(2026, 11, 1)) is None  # the current quarter
	assert rules.quarter_is_reportable(2027, 1, started, D(2026, 11, 1)) == "future"


# --- a whole evaluation ----------------------------------------------------------------------------

SETTINGS = {
	"weight_satisfaction": 40,
	"weight_benefit": 30,
	"weight_replicability": 30,
	"count_basically_satisfied": 1,
	"cutoff_5_star": 90,
	"cutoff_4_star": 80,
	"cutoff_3_star": 70,
	"cutoff_2_star": 60,
	"qualified_star_level": 2,
	"commended_star_level": 3,
	"exemplary_star_level": 4,
}


def panel(votes, benefit, replicability, categories=None):
	categories = categories or ["Party Member", "Cadre", "Masses Representative"] * len(votes)
	return [rules.Score(categories[i], vote, benefit, replicability) for i, vote in enumerate(votes)]


def test_evaluate_all_satisfied_panel():
	result = rules.evaluate(panel([S] * 5, 90, 90), SETTINGS)
	assert result["satisfaction_rate"] == 100
	assert result["total"] == 94
	assert (result["stars"], result["grade"]) == (5, "Exemplary")
	assert result["count"] == 5
	assert result["masses_count"] == 1


def test_evaluate_all_unsatisfied_panel():
	result = rules.evaluate(panel([U] * 5, 90, 90), SETTINGS)
	assert (result["total"], result["stars"], result["grade"]) == (54, 1, "Not Qualified")


def test_evaluate_basically_satisfied_counted_or_not():
	scores = panel([S, B, B, S, U], 70, 70)
	counted = rules.evaluate(scores, SETTINGS)
	not_counted = rules.evaluate(scores, {**SETTINGS, "count_basically_satisfied": 0})
	assert counted["satisfaction_rate"] == 80  # 32 + 21 + 21 = 74 -> 3 stars
	assert (counted["total"], counted["stars"]) == (74, 3)
	assert not_counted["satisfaction_rate"] == 40  # 16 + 21 + 21 = 58 -> 1 star
	assert (not_counted["total"], not_counted["stars"]) == (58, 1)


def test_evaluate_each_cut_off_and_one_point_below():
	# all satisfied (40 points) + benefit and replicability x (0.6 x): total = 40 + 0.6 x
	for total, stars in ((90, 5), (89, 4), (80, 4), (79, 3), (70, 3), (69, 2), (60, 2), (59, 1)):
		x = (total - 40) / 0.6
		result = rules.evaluate(panel([S] * 5, x, x), SETTINGS)
		assert result["total"] == total
		assert result["stars"] == stars, (total, result)


def test_evaluate_with_a_zero_weight():
	settings = {**SETTINGS, "weight_satisfaction": 0, "weight_benefit": 50, "weight_replicability": 50}
	result = rules.evaluate(panel([U] * 5, 90, 90), settings)
	assert (result["total"], result["stars"]) == (90, 5)


def test_evaluate_per_category():
	scores = [
		rules.Score("Party Member", S, 80, 70),
		rules.Score("Party Member", U, 60, 50),
		rules.Score("Masses Representative", B, 90, 90),
	]
	result = rules.evaluate(scores, SETTINGS)["by_category"]
	assert result["Party Member"] == {"count": 2, "satisfaction_rate": 50, "benefit": 70, "replicability": 60}
	assert result["Masses Representative"]["satisfaction_rate"] == 100
	assert result["Cadre"]["count"] == 0


def test_evaluate_unknown_category():
	with pytest.raises(ValueError):
		rules.evaluate([rules.Score("Guest", S, 1, 1)], SETTINGS)


def test_overdue_quarters():
	started = D(2026, 4, 20)  # Q2: Q3 due 2026-10-10, Q4 due 2027-01-10
	assert rules.overdue_quarters(started, D(2026, 10, 10), 10) == []  # on the due date: not yet
	assert rules.overdue_quarters(started, D(2026, 10, 11), 10) == [(2026, 3)]
	assert rules.overdue_quarters(started, D(2027, 1, 11), 10) == [(2026, 3), (2026, 4)]
	assert rules.overdue_quarters(started, D(2027, 1, 11), 10, submitted={(2026, 3)}) == [(2026, 4)]
	# left implementation on 2026-11-05: only the quarters ended by then were owed
	assert rules.overdue_quarters(started, D(2027, 3, 1), 10, ended_by=D(2026, 11, 5)) == [(2026, 3)]


def test_whole_number_and_number_refuse_text():
	assert rules.whole_number(2026) == 2026
	assert rules.whole_number("2026") == 2026
	assert rules.whole_number(2026.0) == 2026
	for bad in ("twenty", "2026.5", "", None, True, 2026.5, "2025 OR 1=1"):
		assert rules.whole_number(bad) is None, bad
	assert rules.number("30") == 30.0
	assert rules.number(12.5) == 12.5
	for bad in ("abc", "", None, False, "1e"):
		assert rules.number(bad) is None, bad


def test_last_due_quarter_index_agrees_with_overdue_quarters():
	"""The SQL of the ledger, the branch assessment and the overdue card counts the quarters after
	the start quarter up to this index; it must be what overdue_quarters gives with none reported."""
	import datetime

	started = datetime.date(2024, 2, 10)
	for due_days in (0, 10, 15):
		for offset in range(0, 800, 7):
			today = started + datetime.timedelta(days=offset)
			last = rules.last_due_quarter_index(today, due_days)
			first = rules.quarter_index(*rules.quarter_of(started))
			expected = rules.overdue_quarters(started, today, due_days)
			assert max(0, last - first) == len(expected), (today, due_days)
			if expected:
				assert rules.quarter_index(*expected[-1]) == last
