"""The scheme's rules as plain functions.

Nothing here imports frappe: the bench-free test suite (``tests/`` at the repository root)
exercises these functions on any Python, and every doctype, report and scheduler job of
the app calls them instead of re-implementing a rule.

Dates are ``datetime.date``; numbers are plain ``int`` / ``float``.
"""

from __future__ import annotations

import ast
import calendar
import datetime
import functools
import math
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

	problems.extend(star_rule_problems(values))
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


# --- the star rule: an optional formula for the total and a condition per star level ------------
#
# The company administrator may replace the weighted total by a formula and add a condition to
# each star level, written over the named values below. A level is earned when the total reaches
# its cut-off and the conditions of that level and of every level below it hold; with no formula
# and no conditions the rule is the weights and cut-offs alone. Expressions are checked here
# (what they may name and do, and the range a total can take) and evaluated by the caller's
# evaluator (Frappe's ``safe_eval`` on a site) or by ``evaluate_expression`` below.

STAR_LEVELS = (2, 3, 4, 5)
STAR_FORMULA_FIELD = "star_total_formula"
STAR_CONDITION_FIELDS = {level: f"star_condition_{level}" for level in STAR_LEVELS}
STAR_RULE_FIELDS = (STAR_FORMULA_FIELD, *STAR_CONDITION_FIELDS.values())
MAX_EXPRESSION_LENGTH = 300
MAX_EXPRESSION_NODES = 120
CATEGORY_PREFIXES = {"Party Member": "member", "Cadre": "cadre", "Masses Representative": "masses"}
_PERCENT = (0.0, 100.0)
_COUNT = (0.0, math.inf)

# every value a rule may name, with the range it can take
STAR_RULE_VALUES: dict[str, tuple[float, float]] = {
	"satisfaction_rate": _PERCENT,
	"benefit": _PERCENT,
	"replicability": _PERCENT,
	"weighted_total": _PERCENT,
	"count": _COUNT,
	**{
		f"{prefix}_{what}": _PERCENT
		for prefix in CATEGORY_PREFIXES.values()
		for what in ("satisfaction_rate", "benefit", "replicability")
	},
	**{f"{prefix}_count": _COUNT for prefix in CATEGORY_PREFIXES.values()},
	"late_reports": _COUNT,
	"acceptance_rounds": (1.0, math.inf),
}
# a condition may also name the total
CONDITION_VALUES = {**STAR_RULE_VALUES, "total": _PERCENT}
RULE_FUNCTIONS = {"min": min, "max": max, "abs": abs, "round": round}


class RuleProblem(ValueError):
	"""Why an expression of the star rule is refused: a code, its parameters and the column
	(1-based) where the problem is, when there is one."""

	def __init__(self, code: str, params: tuple = (), column: int | None = None):
		super().__init__(code, params, column)
		self.code, self.params, self.column = code, params, column


_NUMERIC_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_COMPARISONS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)


def _column(node) -> int | None:
	offset = getattr(node, "col_offset", None)
	return offset + 1 if offset is not None else None


def _is_condition(node) -> bool:
	return (
		isinstance(node, ast.Compare | ast.BoolOp)
		or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
		or (isinstance(node, ast.Constant) and isinstance(node.value, bool))
	)


def _mul(a: float, b: float) -> float:
	return 0.0 if a == 0 or b == 0 else a * b


def _bounds(node, ranges: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
	"""Check one node and give the lowest and highest value it can take (interval arithmetic
	over the ranges of the named values; a condition is 0..1)."""
	column = _column(node)
	if isinstance(node, ast.Constant):
		value = node.value
		if isinstance(value, bool):
			return (float(value), float(value))
		if not isinstance(value, int | float) or not math.isfinite(value):
			raise RuleProblem("rule_not_allowed", (repr(value)[:20],), column)
		return (float(value), float(value))
	if isinstance(node, ast.Name):
		if node.id.startswith("_"):
			raise RuleProblem("rule_not_allowed", (node.id,), column)
		if node.id not in ranges:
			raise RuleProblem("rule_unknown_name", (node.id,), column)
		return ranges[node.id]
	if isinstance(node, ast.UnaryOp):
		if isinstance(node.op, ast.Not):
			_condition_bounds(node.operand, ranges)
			return (0.0, 1.0)
		low, high = _bounds(node.operand, ranges)
		if isinstance(node.op, ast.USub):
			return (-high, -low)
		if isinstance(node.op, ast.UAdd):
			return (low, high)
	if isinstance(node, ast.BinOp) and isinstance(node.op, _NUMERIC_OPERATORS):
		a, b = _bounds(node.left, ranges), _bounds(node.right, ranges)
		if isinstance(node.op, ast.Add):
			return (a[0] + b[0], a[1] + b[1])
		if isinstance(node.op, ast.Sub):
			return (a[0] - b[1], a[1] - b[0])
		if isinstance(node.op, ast.Div):
			if b[0] <= 0 <= b[1]:
				raise RuleProblem("rule_division_by_zero", (), _column(node.right))
			b = (1 / b[1], 1 / b[0])
		products = [_mul(x, y) for x in a for y in b]
		return (min(products), max(products))
	if isinstance(node, ast.BoolOp):
		for value in node.values:
			_condition_bounds(value, ranges)
		return (0.0, 1.0)
	if isinstance(node, ast.Compare):
		if not all(isinstance(op, _COMPARISONS) for op in node.ops):
			raise RuleProblem("rule_not_allowed", ("in / is",), column)
		for operand in (node.left, *node.comparators):
			_bounds(operand, ranges)
		return (0.0, 1.0)
	if isinstance(node, ast.IfExp):
		_condition_bounds(node.test, ranges)
		a, b = _bounds(node.body, ranges), _bounds(node.orelse, ranges)
		return (min(a[0], b[0]), max(a[1], b[1]))
	if isinstance(node, ast.Call):
		if isinstance(node.func, ast.Attribute):
			raise RuleProblem("rule_not_allowed", ("." + node.func.attr,), column)
		name = node.func.id if isinstance(node.func, ast.Name) else None
		if name not in RULE_FUNCTIONS or node.keywords:
			what = name or type(node.func).__name__
			raise RuleProblem("rule_function", (what, ", ".join(RULE_FUNCTIONS)), column)
		args = [_bounds(arg, ranges) for arg in node.args]
		if name in ("min", "max"):
			if len(args) < 2:
				raise RuleProblem("rule_arguments", (name, "2+"), column)
			pick = min if name == "min" else max
			return (pick(low for low, _ in args), pick(high for _, high in args))
		if name == "abs":
			if len(args) != 1:
				raise RuleProblem("rule_arguments", (name, "1"), column)
			low, high = args[0]
			if low >= 0:
				return (low, high)
			if high <= 0:
				return (-high, -low)
			return (0.0, max(-low, high))
		# round(x) or round(x, digits) with 0..4 digits: monotonic, so the bounds round too
		if len(args) not in (1, 2) or (
			len(args) == 2
			and not (
				isinstance(node.args[1], ast.Constant)
				and type(node.args[1].value) is int
				and 0 <= node.args[1].value <= 4
			)
		):
			raise RuleProblem("rule_arguments", (name, "1-2"), column)
		digits = node.args[1].value if len(args) == 2 else 0
		low, high = args[0]
		return (
			round(low, digits) if math.isfinite(low) else low,
			round(high, digits) if math.isfinite(high) else high,
		)
	if isinstance(node, ast.Attribute):
		raise RuleProblem("rule_not_allowed", ("." + node.attr,), column)
	what = {
		ast.Subscript: "[ ]",
		ast.Lambda: "lambda",
		ast.NamedExpr: ":=",
		ast.JoinedStr: "f-string",
	}.get(type(node), type(node).__name__)
	if isinstance(node, ast.BinOp):
		what = type(node.op).__name__
	raise RuleProblem("rule_not_allowed", (what,), column)


def _condition_bounds(node, ranges) -> None:
	if not _is_condition(node):
		raise RuleProblem("rule_not_condition", (), _column(node))
	_bounds(node, ranges)


@functools.lru_cache(maxsize=256)
def parse_expression(text: str, condition: bool = False) -> ast.Expression:
	"""The checked syntax tree of a formula (``condition=False``) or a condition, or a
	``RuleProblem``: too long, not an expression, anything beyond numbers, the named values,
	arithmetic, comparisons, ``and/or/not``, ``x if c else y`` and min/max/abs/round, a possible
	division by zero, a formula whose total can leave 0..100, a condition that is not a
	yes/no."""
	text = text.strip()
	if len(text) > MAX_EXPRESSION_LENGTH:
		raise RuleProblem("rule_too_long", (len(text), MAX_EXPRESSION_LENGTH))
	try:
		tree = ast.parse(text, mode="eval")
	except SyntaxError as error:
		raise RuleProblem("rule_syntax", (error.msg,), error.offset) from None
	if sum(1 for _ in ast.walk(tree)) > MAX_EXPRESSION_NODES:
		raise RuleProblem("rule_too_long", (len(text), MAX_EXPRESSION_LENGTH))
	if condition:
		_condition_bounds(tree.body, CONDITION_VALUES)
	else:
		low, high = _bounds(tree.body, STAR_RULE_VALUES)
		if low < 0 or high > 100:
			raise RuleProblem("rule_total_range", (_show(low), _show(high)))
	return tree


def _show(value: float) -> str:
	if math.isinf(value):
		return "∞" if value > 0 else "-∞"
	return f"{value:g}"


def evaluate_expression(tree: ast.Expression | ast.AST, names: Mapping[str, float]):
	"""The value of a checked expression (see ``parse_expression``) with the given names."""
	node = tree.body if isinstance(tree, ast.Expression) else tree
	if isinstance(node, ast.Constant):
		return node.value
	if isinstance(node, ast.Name):
		return names[node.id]
	if isinstance(node, ast.UnaryOp):
		value = evaluate_expression(node.operand, names)
		return {ast.Not: lambda v: not v, ast.USub: lambda v: -v, ast.UAdd: lambda v: +v}[type(node.op)](
			value
		)
	if isinstance(node, ast.BinOp):
		a, b = evaluate_expression(node.left, names), evaluate_expression(node.right, names)
		return {
			ast.Add: lambda: a + b,
			ast.Sub: lambda: a - b,
			ast.Mult: lambda: a * b,
			ast.Div: lambda: a / b,
		}[type(node.op)]()
	if isinstance(node, ast.BoolOp):
		if isinstance(node.op, ast.And):
			return all(evaluate_expression(value, names) for value in node.values)
		return any(evaluate_expression(value, names) for value in node.values)
	if isinstance(node, ast.Compare):
		left = evaluate_expression(node.left, names)
		for op, comparator in zip(node.ops, node.comparators, strict=True):
			right = evaluate_expression(comparator, names)
			ok = {
				ast.Lt: left < right,
				ast.LtE: left <= right,
				ast.Gt: left > right,
				ast.GtE: left >= right,
				ast.Eq: left == right,
				ast.NotEq: left != right,
			}[type(op)]
			if not ok:
				return False
			left = right
		return True
	if isinstance(node, ast.IfExp):
		branch = node.body if evaluate_expression(node.test, names) else node.orelse
		return evaluate_expression(branch, names)
	if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in RULE_FUNCTIONS:
		return RULE_FUNCTIONS[node.func.id](*(evaluate_expression(arg, names) for arg in node.args))
	raise RuleProblem("rule_not_allowed", (type(node).__name__,), _column(node))


def default_evaluator(text: str, names: Mapping[str, float]):
	"""Evaluate an expression's text without Frappe: only the nodes ``evaluate_expression``
	knows are evaluated, anything else is refused."""
	return evaluate_expression(ast.parse(text.strip(), mode="eval"), names)


def star_rule_problems(values: Mapping) -> list[SettingsProblem]:
	"""The star rule's expressions that cannot be right, one problem each (the field, the code
	and its parameters, the column last)."""
	problems = []
	for name in STAR_RULE_FIELDS:
		text = (values.get(name) or "").strip()
		if not text:
			continue
		try:
			parse_expression(text, condition=name != STAR_FORMULA_FIELD)
		except RuleProblem as problem:
			problems.append(SettingsProblem(name, problem.code, (*problem.params, problem.column)))
	return problems


def star_rule_from_settings(values: Mapping) -> dict:
	"""The rule's expressions as a plain dict (field name → text, '' when not set)."""
	return {name: (values.get(name) or "").strip() for name in STAR_RULE_FIELDS}


def rule_values(result: Mapping, facts: Mapping | None = None) -> dict[str, float]:
	"""The named values of an evaluation's result (see ``evaluate``) and of the project's facts
	(``late_reports``, ``acceptance_rounds``)."""
	facts = facts or {}
	names = {
		"satisfaction_rate": result["satisfaction_rate"],
		"benefit": result["benefit"],
		"replicability": result["replicability"],
		"weighted_total": result["weighted_total"],
		"count": result["count"],
		"late_reports": float(facts.get("late_reports") or 0),
		"acceptance_rounds": float(facts.get("acceptance_rounds") or 1),
	}
	for category, prefix in CATEGORY_PREFIXES.items():
		group = result["by_category"][category]
		names[f"{prefix}_satisfaction_rate"] = group["satisfaction_rate"]
		names[f"{prefix}_benefit"] = group["benefit"]
		names[f"{prefix}_replicability"] = group["replicability"]
		names[f"{prefix}_count"] = group["count"]
	return names


def stars_by_rule(
	total: float,
	cutoffs: Mapping[int, float],
	conditions: Mapping[int, str],
	names: Mapping[str, float],
	evaluator,
) -> int:
	"""The highest level whose cut-off the total reaches and whose conditions — its own and
	those of every level below it — hold; else 1 star."""
	holds = {}
	for level in STAR_LEVELS:
		text = conditions.get(level) or ""
		holds[level] = bool(evaluator(text, {**names, "total": total})) if text else True
	for stars in (5, 4, 3, 2):
		if total >= cutoffs[stars] and all(holds[level] for level in STAR_LEVELS if level <= stars):
			return stars
	return 1


# binary, boolean and unary operators have their levels in _precedence
_PRECEDENCE = {ast.IfExp: 0, ast.Compare: 3}
_SYMBOLS = {
	ast.Add: "+",
	ast.Sub: "−",
	ast.Mult: "×",
	ast.Div: "÷",
	ast.USub: "−",
	ast.UAdd: "+",
	ast.Lt: "<",
	ast.LtE: "≤",
	ast.Gt: ">",
	ast.GtE: "≥",
	ast.Eq: "=",
	ast.NotEq: "≠",
}


def describe_expression(text: str, labels: Mapping[str, str], words: Mapping[str, str]) -> str:
	"""An expression of the star rule in words: each named value by its label, arithmetic in
	the signs a printed form uses (× ÷ ≥ ≤ ≠), and/or/not/if/else and the functions by
	``words`` (the caller's language)."""
	return _describe(ast.parse(text.strip(), mode="eval").body, labels, words)


def _precedence(node) -> int:
	if isinstance(node, ast.BinOp):
		return 5 if isinstance(node.op, ast.Mult | ast.Div) else 4
	if isinstance(node, ast.BoolOp):
		return 1 if isinstance(node.op, ast.Or) else 2
	if isinstance(node, ast.UnaryOp):
		return 2.5 if isinstance(node.op, ast.Not) else 6
	return _PRECEDENCE.get(type(node), 9)


def _describe(node, labels, words, outer: float = 0) -> str:
	own = _precedence(node)
	if isinstance(node, ast.Constant):
		text = str(node.value) if not isinstance(node.value, bool) else words[str(node.value).lower()]
	elif isinstance(node, ast.Name):
		text = labels.get(node.id, node.id)
	elif isinstance(node, ast.UnaryOp):
		sign = words["not"] + " " if isinstance(node.op, ast.Not) else _SYMBOLS[type(node.op)]
		text = sign + _describe(node.operand, labels, words, own)
	elif isinstance(node, ast.BinOp):
		left = _describe(node.left, labels, words, own)
		# a − (b − c), a ÷ (b × c): the right side of the same level keeps its brackets
		right = _describe(node.right, labels, words, own + 0.5)
		text = f"{left} {_SYMBOLS[type(node.op)]} {right}"
	elif isinstance(node, ast.BoolOp):
		joiner = f" {words['and' if isinstance(node.op, ast.And) else 'or']} "
		text = joiner.join(_describe(value, labels, words, own + 0.5) for value in node.values)
	elif isinstance(node, ast.Compare):
		parts = [_describe(node.left, labels, words, own + 0.5)]
		for op, comparator in zip(node.ops, node.comparators, strict=True):
			parts += [_SYMBOLS[type(op)], _describe(comparator, labels, words, own + 0.5)]
		text = " ".join(parts)
	elif isinstance(node, ast.IfExp):
		text = words["if"].format(
			_describe(node.test, labels, words),
			_describe(node.body, labels, words),
			_describe(node.orelse, labels, words),
		)
		own = 9  # worded as a whole
	elif isinstance(node, ast.Call):
		args = ", ".join(_describe(arg, labels, words) for arg in node.args)
		text = f"{words.get(node.func.id, node.func.id)}({args})"
	else:
		text = ast.unparse(node)
	return f"({text})" if own < outer else text


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


def evaluate(
	scores: Iterable[Score], settings: Mapping, facts: Mapping | None = None, evaluator=None
) -> dict:
	"""Everything an evaluation computes from its submitted scores with the given settings
	(a mapping with the settings' field names): the masses' satisfaction rate, averages
	overall and per evaluator category (分类), the weighted total, the total the star rule
	gives, stars (分级) and grade. ``facts`` are the project's values a rule may name
	(``late_reports``, ``acceptance_rounds``); ``evaluator(text, names)`` evaluates the rule's
	expressions (Frappe's ``safe_eval`` on a site; ``default_evaluator`` without one)."""
	evaluator = evaluator or default_evaluator
	scores = list(scores)
	count_basic = bool(settings.get("count_basically_satisfied"))
	for score in scores:
		if score.category not in CATEGORIES:
			raise ValueError(f"unknown category {score.category!r}")
	rate = satisfaction_rate([s.vote for s in scores], count_basic)
	benefit = mean(s.benefit for s in scores)
	replicability = mean(s.replicability for s in scores)
	weighted = (
		weighted_total(rate, benefit, replicability, weights_from_settings(settings)) if scores else 0.0
	)
	by_category = {}
	for category in CATEGORIES:
		group = [s for s in scores if s.category == category]
		by_category[category] = {
			"count": len(group),
			"satisfaction_rate": round(satisfaction_rate([s.vote for s in group], count_basic), 2),
			"benefit": round(mean(s.benefit for s in group), 2),
			"replicability": round(mean(s.replicability for s in group), 2),
		}
	result = {
		"count": len(scores),
		"masses_count": by_category[MASSES]["count"],
		"satisfaction_rate": round(rate, 2),
		"benefit": round(benefit, 2),
		"replicability": round(replicability, 2),
		"weighted_total": weighted,
		"by_category": by_category,
	}
	rule = star_rule_from_settings(settings)
	names = rule_values(result, facts)
	total = weighted
	if rule[STAR_FORMULA_FIELD] and scores:
		total = round(float(evaluator(rule[STAR_FORMULA_FIELD], names)), 2)
		if not 0 <= total <= 100:
			raise RuleProblem("rule_total_range", (_show(total), _show(total)))
	conditions = {level: rule[field] for level, field in STAR_CONDITION_FIELDS.items()}
	stars = stars_by_rule(total, cutoffs_from_settings(settings), conditions, names, evaluator)
	result.update(total=total, stars=stars, grade=grade_from_stars(stars, levels_from_settings(settings)))
	return result


# --- typed input ------------------------------------------------------------------------------


def category_result_rows(result: dict) -> list[dict]:
	"""An evaluation's results by evaluator category as its child table holds them."""
	return [
		{
			"category": category,
			"evaluators": values["count"],
			"satisfaction_rate": values["satisfaction_rate"],
			"avg_benefit": values["benefit"],
			"avg_replicability": values["replicability"],
		}
		for category, values in result["by_category"].items()
	]


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
