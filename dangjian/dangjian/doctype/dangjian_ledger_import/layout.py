# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The layout of a ledger workbook: its sheets, their columns and the words their cells may hold.

The first sheet is the Project Ledger (项目管理台账) exactly as the ledger's own Excel export
writes it — its columns are the report's columns (``COLUMNS`` of the ledger), under the headers
the export gives them in Chinese (or in English, from an English desk). Two optional sheets,
found by their names, carry what the ledger does not show: the quarterly reports (季度进展报告)
and the acceptance and evaluation totals with the commendation's document number and the Top
Ten rank (验收与评估). A value of a Select is accepted as the desk shows it (已评估) or as stored
(Evaluated)."""

from dataclasses import dataclass

import frappe
from frappe import _

from dangjian.dangjian.doctype.dangjian_acceptance.dangjian_acceptance import CONCLUSIONS
from dangjian.dangjian.doctype.dangjian_project import dangjian_project as project_states
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import (
	COLUMNS as LEDGER_COLUMNS,
)
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import (
	REPORT as LEDGER_REPORT,
)

CONTEXT = "Dangjian Ledger Import"
PROJECT = "Dangjian Project"
QUARTERLY_REPORT = "Dangjian Quarterly Report"
ACCEPTANCE = "Dangjian Acceptance"

LEDGER = "ledger"
REPORTS = "reports"
EVALUATION = "evaluation"

# the states a project can be imported in: on record (approved and filed), not waiting for anyone
IMPORTABLE_STATES = (
	project_states.APPROVED,
	project_states.IN_PROGRESS,
	project_states.ACCEPTED,
	project_states.EVALUATED,
)
# the states of an imported quarterly report: handed in once (a draft was never a report)
IMPORTABLE_REPORT_STATES = ("Submitted", "Reviewed", "Returned")

# ledger columns the app computes from the records: read for nothing (the imported records give
# them again: the last quarterly report from the reports sheet, overdue quarters from the dates)
DERIVED = ("last_report", "overdue")

KINDS = {"Link": "text", "Data": "text", "Int": "int", "Date": "date", "Check": "check"}


@dataclass(frozen=True)
class Column:
	fieldname: str
	label: str  # English, translated in ``context``
	kind: str  # text, int, number, date or check
	context: str = CONTEXT
	header_required: bool = True


@dataclass(frozen=True)
class Sheet:
	key: str
	title: str  # English, translated in CONTEXT (the optional sheets are found by their titles)
	columns: tuple[Column, ...]
	first: bool = False  # the ledger: the workbook's first sheet, whatever its name


def ledger_sheet() -> Sheet:
	return Sheet(
		LEDGER,
		"Project Ledger",
		tuple(
			Column(fieldname, label, KINDS[fieldtype], LEDGER_REPORT)
			for fieldname, label, fieldtype, *_rest in LEDGER_COLUMNS
		),
		first=True,
	)


REPORT_COLUMNS = (
	Column("project", "Project", "text"),
	Column("year", "Year", "int"),
	Column("quarter", "Quarter", "int"),
	Column("first_submitted_on", "First Submitted On", "date"),
	Column("status", "Status", "text"),
	Column("percent_complete", "Percent Complete", "number"),
	Column("progress_summary", "Progress This Quarter", "text"),
	Column("problems", "Problems", "text", header_required=False),
	Column("next_quarter_plan", "Next Quarter's Plan", "text", header_required=False),
	Column("supervision_comment", "Supervision Comment", "text", header_required=False),
)

EVALUATION_COLUMNS = (
	Column("project", "Project", "text"),
	Column("acceptance_rounds", "Acceptance Rounds", "int", header_required=False),
	Column("evaluators", "Evaluators", "int", header_required=False),
	Column("satisfaction_rate", "Satisfaction Rate", "number", header_required=False),
	Column("weighted_total", "Weighted Total", "number", header_required=False),
	Column("document_number", "Commendation Document Number", "text", header_required=False),
	Column("top_ten_rank", "Top Ten Rank", "int", header_required=False),
)


def sheets() -> tuple[Sheet, ...]:
	return (
		ledger_sheet(),
		Sheet(REPORTS, "Quarterly Reports", REPORT_COLUMNS),
		Sheet(EVALUATION, "Acceptance and Evaluation", EVALUATION_COLUMNS),
	)


def words(text: str, context: str) -> set[str]:
	"""``text`` as it may be written: in English, in Chinese and in the user's language."""
	out = {text, _(text, lang="zh", context=context), _(text, context=context)}
	return {word.strip() for word in out if word and word.strip()}


def header(column: Column) -> str:
	"""The header the template writes (the Project Ledger export's, in Chinese)."""
	return _(column.label, lang="zh", context=column.context)


def sheet_title(sheet: Sheet) -> str:
	return _(sheet.title, lang="zh", context=CONTEXT)


def shown(column: Column) -> str:
	"""The column's header in the user's language, for messages."""
	return _(column.label, context=column.context)


def value_map(values, context: str) -> dict[str, str]:
	"""The written forms of each value (desk words in Chinese, English, the user's language;
	English case-insensitive) -> the stored value."""
	out = {}
	for value in values:
		for word in words(value, context):
			out[word] = value
			out[word.lower()] = value
	return out


def select_options(doctype: str, fieldname: str) -> list[str]:
	field = frappe.get_meta(doctype).get_field(fieldname)
	return [value for value in (field.options or "").split("\n") if value]


def project_states_map() -> dict[str, str]:
	return value_map(select_options(PROJECT, "status"), PROJECT)


def topic_map() -> dict[str, str]:
	return value_map(select_options(PROJECT, "topic_area"), PROJECT)


def grade_map() -> dict[str, str]:
	return value_map(select_options(PROJECT, "grade"), PROJECT)


def acceptance_map() -> dict[str, str]:
	return value_map(CONCLUSIONS, ACCEPTANCE)


def report_states_map() -> dict[str, str]:
	return value_map(select_options(QUARTERLY_REPORT, "status"), QUARTERLY_REPORT)


def in_words(values, context: str) -> str:
	"""Values as the user reads them, for a message: 已审定、实施中…"""
	return _(", ", context=CONTEXT).join(_(value, context=context) for value in values)
