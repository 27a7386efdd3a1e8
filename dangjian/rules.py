"""The scheme's rules as plain functions.

Nothing here imports frappe: the bench-free test suite (``tests/`` at the repository root)
exercises these functions on any Python, and every doctype, report and scheduler job of
the app calls them instead of re-implementing a rule.

Dates are ``datetime.date``; numbers are plain ``int`` / ``float``.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# --- quarters ----------------------------------------------------------------------------

QUARTERS = (1, 2, 3, 4)


def quarter_of(day: datetime.date) -> tuple[int, int]:
	"""The (year, quarter) a date falls in; quarter is 1..4."""
	return day.year, (day.month - 1) // 3 + 1


def _check_quarter(quarter: int) -> None:
	if quarter not in QUARTERS:
		raise ValueError(f"quarter must be 1, 2, 3 or 4, not {quarter!r}")


def quarter_start(year: int, quarter: int) -> datetime.date:
	_check_quarter(quarter)
	return datetime.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
	_check_quarter(quarter)
	month = 3 * quarter
	return datetime.date(year, month, calendar.monthrange(year, month)[1])


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
	_check_quarter(quarter)
	return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_index(year: int, quarter: int) -> int:
	"""A running number of a quarter, so that quarters compare and subtract like integers."""
	_check_quarter(quarter)
	return year * 4 + quarter - 1


def quarterly_report_due_date(year: int, quarter: int, due_days: int) -> datetime.date:
	"""A quarter's progress report is due ``due_days`` days after the quarter ends."""
	if due_days < 0:
		raise ValueError("due_days cannot be negative")
	return quarter_end(year, quarter) + datetime.timedelta(days=due_days)


def quarters_due(
	started_on: datetime.date, today: datetime.date, until: datetime.date | None = None
) -> list[tuple[int, int]]:
	"""The quarters a report is due for: each quarter after the one implementation started
	in, up to the last quarter that has ended by ``today`` (and not after ``until``, the
	quarter the project left implementation in, when given)."""
	first = next_quarter(*quarter_of(started_on))
	last = quarter_of(today)
	# only quarters that have ended are due
	last_index = quarter_index(*last) - 1
	if until is not None:
		last_index = min(last_index, quarter_index(*quarter_of(until)))
	out = []
	year, quarter = first
	while quarter_index(year, quarter) <= last_index:
		out.append((year, quarter))
		year, quarter = next_quarter(year, quarter)
	return out


def last_due_quarter_index(today: datetime.date, due_days: int) -> int:
	"""The running index (``quarter_index``) of the last quarter whose report due date has passed
	by ``today``: in SQL, a project's quarters after the one implementation started in and up to
	this one are those ``overdue_quarters`` counts when none is reported."""
	index = quarter_index(*quarter_of(today)) - 1
	while index > 0:
		year, quarter = divmod(index, 4)
		if is_late(today, quarterly_report_due_date(year, quarter + 1, due_days)):
			break
		index -= 1
	return index


def overdue_quarters(
	started_on: datetime.date,
	today: datetime.date,
	due_days: int,
	submitted=(),
	ended_by: datetime.date | None = None,
) -> list[tuple[int, int]]:
	"""The quarters whose report is overdue today: due (quarters after the one implementation
	started in that had ended by ``ended_by``, default today), not in ``submitted`` and past
	their due date."""
	return [
		(year, quarter)
		for year, quarter in quarters_due(started_on, ended_by or today)
		if (year, quarter) not in submitted
		and is_late(today, quarterly_report_due_date(year, quarter, due_days))
	]


# --- the application deadline ---------------------------------------------------------------


def application_deadline(year: int, month: int = 4, day: int = 30) -> datetime.date:
	"""The last day to apply in ``year``; a day past the month's end means its last day
	(so 2-29 falls on 2-28 in a common year)."""
	if not 1 <= month <= 12:
		raise ValueError(f"month must be 1..12, not {month!r}")
	if not 1 <= day <= 31:
		raise ValueError(f"day must be 1..31, not {day!r}")
	return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def is_late(done_on: datetime.date, deadline: datetime.date) -> bool:
	"""Done on the deadline is on time; a day after is late."""
	return done_on > deadline


def add_months(day: datetime.date, months: int) -> datetime.date:
	"""``day`` moved by whole months, clamped to the target month's last day."""
	index = day.year * 12 + day.month - 1 + months
	year, month = divmod(index, 12)
	month += 1
	return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- evaluation: satisfaction, weighted total, stars and grade ----------------------------------

SATISFIED = "Satisfied"
BASICALLY_SATISFIED = "Basically Satisfied"
UNSATISFIED = "Unsatisfied"
VOTES = (SATISFIED, BASICALLY_SATISFIED, UNSATISFIED)

NOT_QUALIFIED = "Not Qualified"
QUALIFIED = "Qualified"
COMMENDED = "Commended"
EXEMPLARY = "Exemplary"
GRADES = (NOT_QUALIFIED, QUALIFIED, COMMENDED, EXEMPLARY)

DEFAULT_WEIGHTS = {"satisfaction": 40.0, "benefit": 30.0, "replicability": 30.0}
DEFAULT_CUTOFFS = {5: 90.0, 4: 80.0, 3: 70.0, 2: 60.0}
DEFAULT_LEVELS = {"qualified": 2, "commended": 3, "exemplary": 4}


def satisfaction_rate(votes: Iterable[str], count_basically_satisfied: bool = True) -> float:
	"""群众满意率: the share (0..100) of 满意 — and, when counted, 基本满意 — votes among all
	votes. No votes give 0."""
	votes = list(votes)
	for vote in votes:
		if vote not in VOTES:
			raise ValueError(f"unknown vote {vote!r}")
	if not votes:
		return 0.0
	counted = {SATISFIED, BASICALLY_SATISFIED} if count_basically_satisfied else {SATISFIED}
	return 100.0 * sum(1 for vote in votes if vote in counted) / len(votes)


def weighted_total(
	satisfaction: float, benefit: float, replicability: float, weights: Mapping[str, float] | None = None
) -> float:
	"""The weighted total 0..100 of the three indicators (each 0..100), weights summing to
	100, rounded to two decimals so that a total on a cut-off is not lost to float noise."""
	weights = weights or DEFAULT_WEIGHTS
	for name, value in (
		("satisfaction", satisfaction),
		("benefit", benefit),
		("replicability", replicability),
	):
		if not 0 <= value <= 100:
			raise ValueError(f"{name} must be between 0 and 100, not {value!r}")
	total = (
		satisfaction * weights["satisfaction"]
		+ benefit * weights["benefit"]
		+ replicability * weights["replicability"]
	) / 100.0
	return round(total, 2)


def stars_from_total(total: float, cutoffs: Mapping[int, float] | None = None) -> int:
	"""Stars 1..5: the highest level whose cut-off the total reaches (a total on a cut-off
	earns it); below the 2-star cut-off, 1 star."""
	cutoffs = cutoffs or DEFAULT_CUTOFFS
	total = round(total, 2)
	for stars in (5, 4, 3, 2):
		if total >= cutoffs[stars]:
			return stars
	return 1


def grade_from_stars(stars: int, levels: Mapping[str, int] | None = None) -> str:
	"""The grade the stars earn: exemplary (典型示范) ≥ the exemplary level, commended (表彰)
	≥ the commended level, qualified (合格) ≥ the qualified level, else not qualified."""
	levels = levels or DEFAULT_LEVELS
	if not 1 <= stars <= 5:
		raise ValueError(f"stars must be 1..5, not {stars!r}")
	if stars >= levels["exemplary"]:
		return EXEMPLARY
	if stars >= levels["commended"]:
		return COMMENDED
	if stars >= levels["qualified"]:
		return QUALIFIED
	return NOT_QUALIFIED


def mean(values: Iterable[float]) -> float:
	values = list(values)
	return sum(values) / len(values) if values else 0.0


# --- settings validation ---------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsProblem:
	"""One broken rule of the settings: the field, a rule code and what to show with it.

	The controller turns ``rule`` into a translated sentence; this module stays free of
	frappe."""

	field: str
	rule: str
	params: tuple = field(default_factory=tuple)


CUTOFF_FIELDS = ("cutoff_2_star", "cutoff_3_star", "cutoff_4_star", "cutoff_5_star")
INDICATOR_WEIGHT_FIELDS = ("weight_satisfaction", "weight_benefit", "weight_replicability")
LEVEL_FIELDS = ("qualified_star_level", "commended_star_level", "exemplary_star_level")
TOP_TEN_WEIGHT_FIELDS = (
	"top_ten_weight_concept",
	"top_ten_weight_implementation",
	"top_ten_weight_materials",
	"top_ten_weight_report",
	"top_ten_weight_presentation",
)
NON_NEGATIVE_INT_FIELDS = (
	"quarterly_report_due_days",
	"application_reminder_days",
	"quarterly_reminder_days",
)
POSITIVE_INT_FIELDS = (
	"min_projects_per_branch",
	"min_evaluators",
	"top_ten_size",
	"max_months_to_completion",
)


def _num(values: Mapping, name: str) -> float:
	value = values.get(name)
	return float(value or 0)


def validate_settings(values: Mapping) -> list[SettingsProblem]:
	"""Every inconsistency of a settings record (a mapping of field name to value), in the
	order the form shows the fields. An empty list means the settings are consistent."""
	problems: list[SettingsProblem] = []

	month, day = (
		int(_num(values, "application_deadline_month")),
		int(_num(values, "application_deadline_day")),
	)
	if not 1 <= month <= 12:
		problems.append(SettingsProblem("application_deadline_month", "month_range", (month,)))
	elif not 1 <= day <= calendar.monthrange(2024, month)[1]:
		# 2024 is a leap year: 2-29 is allowed and falls on 2-28 in common years
		problems.append(SettingsProblem("application_deadline_day", "day_range", (day, month)))

	for name in POSITIVE_INT_FIELDS:
		if _num(values, name) < 1:
			problems.append(SettingsProblem(name, "at_least_one", (values.get(name),)))
	for name in NON_NEGATIVE_INT_FIELDS:
		if _num(values, name) < 0:
			problems.append(SettingsProblem(name, "not_negative", (values.get(name),)))

	weights = [_num(values, name) for name in INDICATOR_WEIGHT_FIELDS]
	for name, weight in zip(INDICATOR_WEIGHT_FIELDS, weights, strict=True):
		if not 0 <= weight <= 100:
			problems.append(SettingsProblem(name, "percent_range", (weight,)))
	if abs(sum(weights) - 100) > 1e-9:
		problems.append(SettingsProblem(INDICATOR_WEIGHT_FIELDS[0], "weights_sum", (round(sum(weights), 4),)))

	cutoffs = [_num(values, name) for name in CUTOFF_FIELDS]
	for name, cutoff in zip(CUTOFF_FIELDS, cutoffs, strict=True):
		if not 0 <= cutoff <= 100:
			problems.append(SettingsProblem(name, "percent_range", (cutoff,)))
	for lower, higher, lower_name, higher_name in zip(
		cutoffs, cutoffs[1:], CUTOFF_FIELDS, CUTOFF_FIELDS[1:], strict=False
	):
		if not higher > lower:
			problems.append(SettingsProblem(higher_name, "cutoffs_increasing", (higher, lower_name, lower)))

	levels = [int(_num(values, name)) for name in LEVEL_FIELDS]
	for name, level in zip(LEVEL_FIELDS, levels, strict=True):
		if not 1 <= level <= 5:
			problems.append(SettingsProblem(name, "star_range", (level,)))
	for lower, higher, lower_name, higher_name in zip(
		levels, levels[1:], LEVEL_FIELDS, LEVEL_FIELDS[1:], strict=False
	):
		if higher < lower:
			problems.append(SettingsProblem(higher_name, "levels_order", (higher, lower_name, lower)))

	if "top_ten_min_stars" in values and not 1 <= int(_num(values, "top_ten_min_stars")) <= 5:
		problems.append(
			SettingsProblem("top_ten_min_stars", "star_range", (values.get("top_ten_min_stars"),))
		)

	if _num(values, "min_masses_representatives") < 0:
		problems.append(
			SettingsProblem(
				"min_masses_representatives", "not_negative", (values.get("min_masses_representatives"),)
			)
		)
	elif _num(values, "min_masses_representatives") > _num(values, "min_evaluators"):
		problems.append(
			SettingsProblem(
				"min_masses_representatives",
				"masses_within_evaluators",
				(values.get("min_masses_representatives"), values.get("min_evaluators")),
			)
		)

	top_weights = [_num(values, name) for name in TOP_TEN_WEIGHT_FIELDS]
	for name, weight in zip(TOP_TEN_WEIGHT_FIELDS, top_weights, strict=True):
		if not 0 <= weight <= 100:
			problems.append(SettingsProblem(name, "percent_range", (weight,)))
	if abs(sum(top_weights) - 100) > 1e-9:
		problems.append(
			SettingsProblem(TOP_TEN_WEIGHT_FIELDS[0], "weights_sum", (round(sum(top_weights), 4),))
		)

	if "repetition_threshold" in values and not 0 < _num(values, "repetition_threshold") <= 100:
		problems.append(
			SettingsProblem("repetition_threshold", "threshold_range", (values.get("repetition_threshold"),))
		)

	return problems


def cutoffs_from_settings(values: Mapping) -> dict[int, float]:
	return {stars: _num(values, f"cutoff_{stars}_star") for stars in (2, 3, 4, 5)}


def weights_from_settings(values: Mapping) -> dict[str, float]:
	return {
		"satisfaction": _num(values, "weight_satisfaction"),
		"benefit": _num(values, "weight_benefit"),
		"replicability": _num(values, "weight_replicability"),
	}


def levels_from_settings(values: Mapping) -> dict[str, int]:
	return {
		"qualified": int(_num(values, "qualified_star_level")),
		"commended": int(_num(values, "commended_star_level")),
		"exemplary": int(_num(values, "exemplary_star_level")),
	}


# --- the organisation tree ---------------------------------------------------------------------

COMPANY = "Company"
UNIT = "Unit"
GENERAL_BRANCH = "General Branch"
BRANCH = "Branch"
ORGANIZATION_TYPES = (COMPANY, UNIT, GENERAL_BRANCH, BRANCH)

# which parent types each type may sit under (None: a root)
ALLOWED_PARENTS = {
	COMPANY: (None,),
	UNIT: (COMPANY,),
	GENERAL_BRANCH: (UNIT,),
	BRANCH: (UNIT, GENERAL_BRANCH),
}


def parent_type_allowed(organization_type: str, parent_type: str | None) -> bool:
	"""Company → unit → general branch → branch; a branch may sit directly under a unit."""
	return parent_type in ALLOWED_PARENTS[organization_type]


def nearest_of_type(ancestors: Iterable[tuple[str, str]], organization_type: str = UNIT) -> str | None:
	"""The nearest ancestor of a type, from (name, type) pairs ordered nearest first."""
	for name, kind in ancestors:
		if kind == organization_type:
			return name
	return None


# --- evidence over form (力戒形式主义) ---------------------------------------------------------------


def _normalise_text(text: str) -> str:
	return "".join(str(text or "").split())


def text_similarity(a: str, b: str) -> float:
	"""How much of two texts is the same, 0..100 (white space ignored). Two empty texts are
	not "the same report": 0."""
	import difflib

	a, b = _normalise_text(a), _normalise_text(b)
	if not a or not b:
		return 0.0
	return round(100.0 * difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), 2)


def is_repetitive(similarity: float, threshold: float) -> bool:
	"""A report at or above the threshold repeats the previous one."""
	return similarity >= threshold


def quarter_is_reportable(
	year: int, quarter: int, started_on: datetime.date, today: datetime.date
) -> str | None:
	"""Why a quarter cannot be reported on, or None when it can: reports are for quarters
	after the one implementation started in, up to the current quarter."""
	if quarter_index(year, quarter) <= quarter_index(*quarter_of(started_on)):
		return "before_start"
	if quarter_index(year, quarter) > quarter_index(*quarter_of(today)):
		return "future"
	return None


# --- a whole evaluation --------------------------------------------------------------------------

PARTY_MEMBER = "Party Member"
CADRE = "Cadre"
MASSES = "Masses Representative"
CATEGORIES = (PARTY_MEMBER, CADRE, MASSES)


@dataclass(frozen=True)
class Score:
	category: str
	vote: str
	benefit: float
	replicability: float


def evaluate(scores: Iterable[Score], settings: Mapping) -> dict:
	"""Everything an evaluation computes from its submitted scores with the given settings
	(a mapping with the settings' field names): the masses' satisfaction rate, averages
	overall and per evaluator category (分类), the weighted total, stars (分级) and grade."""
	scores = list(scores)
	count_basic = bool(settings.get("count_basically_satisfied"))
	for score in scores:
		if score.category not in CATEGORIES:
			raise ValueError(f"unknown category {score.category!r}")
	rate = satisfaction_rate([s.vote for s in scores], count_basic)
	benefit = mean(s.benefit for s in scores)
	replicability = mean(s.replicability for s in scores)
	total = weighted_total(rate, benefit, replicability, weights_from_settings(settings)) if scores else 0.0
	stars = stars_from_total(total, cutoffs_from_settings(settings))
	by_category = {}
	for category in CATEGORIES:
		group = [s for s in scores if s.category == category]
		by_category[category] = {
			"count": len(group),
			"satisfaction_rate": round(satisfaction_rate([s.vote for s in group], count_basic), 2),
			"benefit": round(mean(s.benefit for s in group), 2),
			"replicability": round(mean(s.replicability for s in group), 2),
		}
	return {
		"count": len(scores),
		"masses_count": by_category[MASSES]["count"],
		"satisfaction_rate": round(rate, 2),
		"benefit": round(benefit, 2),
		"replicability": round(replicability, 2),
		"total": total,
		"stars": stars,
		"grade": grade_from_stars(stars, levels_from_settings(settings)),
		"by_category": by_category,
	}


# --- typed input ------------------------------------------------------------------------------


def whole_number(value) -> int | None:
	"""A year or another whole number as typed or sent through the API (2026, "2026", 2026.0),
	or None when it is not one ("twenty", "2026.5", "", None). Frappe would turn such text into 0
	silently; the forms refuse it with a message instead."""
	if isinstance(value, bool):
		return None
	if isinstance(value, int):
		return value
	if isinstance(value, float):
		return int(value) if value.is_integer() else None
	text = str(value if value is not None else "").strip()
	if text.lstrip("-").isdigit():
		return int(text)
	return None


def number(value) -> float | None:
	"""A number as typed or sent through the API, or None when the text is not a number."""
	if isinstance(value, bool):
		return None
	if isinstance(value, int | float):
		return float(value)
	try:
		return float(str(value).strip())
	except (TypeError, ValueError):
		return None
