# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The overdue-report rule in SQL, written once for the reports that count it inside their one
statement (the project ledger, the branch assessment and the workspace card).

It is ``rules.overdue_quarters`` (the Python rule the branch year pack and the tests use): a
project owes a report for every quarter after the one its implementation started in, up to the
last quarter whose due date has passed — or, once it has left implementation, up to the quarter
before the one it left in — and a quarter is reported when a report of it was submitted once.
Quarters are numbered ``year × 4 + quarter − 1``. The benchmark's floors (``perf/floors``)
keep their own SQL on purpose: they check these reports from outside.
"""

from frappe.utils import cint, getdate, nowdate

from dangjian import rules
from dangjian.dangjian.doctype.dangjian_acceptance.dangjian_acceptance import APPLIED, PASSED
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import (
	ACCEPTANCE_APPLIED,
	ACCEPTED,
	EVALUATED,
	REPORTING_STATES,
)
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings


def quarter_index(date_sql: str) -> str:
	return f"(year({date_sql}) * 4 + quarter({date_sql}) - 1)"


def report_index(report: str) -> str:
	return f"({report}.year * 4 + {report}.quarter - 1)"


def start_index(project: str = "p") -> str:
	"""The quarter implementation started in (owed from the next one)."""
	return quarter_index(f"{project}.implementation_started_on")


def end_index(project: str = "p", left_implementation: bool = False) -> str:
	"""The last quarter the project owes a report for, or null when it owes none: in
	implementation, the last quarter whose due date has passed; with ``left_implementation``,
	also for a project that has left it, the quarter before it left (accepted on, or its passed
	acceptance's conclusion; or the day it applied for acceptance), no later than that."""
	p = project
	cases = [
		f"when {p}.implementation_started_on is null then null",
		f"when {p}.status in %(reporting_states)s then %(last_due_index)s",
	]
	if left_implementation:
		cases += [
			f"""when {p}.status in %(accepted_states)s then least(%(last_due_index)s, coalesce(
				{quarter_index(f"{p}.accepted_on")} - 1,
				(select {quarter_index("a.concluded_on")} - 1
					from `tabDangjian Acceptance` a where a.project = {p}.name
						and a.status = %(passed)s and a.docstatus = 1
					order by a.attempt_no desc limit 1)))""",
			f"""when {p}.status = %(acceptance_applied)s then least(%(last_due_index)s,
				(select {quarter_index("max(a.applied_on)")} - 1
					from `tabDangjian Acceptance` a where a.project = {p}.name and a.status = %(applied)s
						and a.docstatus < 2 and a.applied_on is not null))""",
		]
	return "case " + "\n\t\t\t\t".join(cases) + " end"


def missing(start: str, end: str, reported) -> str:
	"""The quarters owed and not reported: the quarters in (start, end] less those reported,
	``reported(window)`` counting the distinct reported quarters that fall in the window (a
	correlated subquery or an aggregate over a join, as the statement is built)."""
	window = f"{report_index('d')} > {start} and {report_index('d')} <= {end}"
	return f"if({end} is null, 0, greatest(0, {end} - {start}) - {reported(window)})"


def reported_subquery(project: str = "p"):
	"""``reported`` for a statement with one row per project: a correlated subquery."""

	def count(window: str) -> str:
		return f"""(select count(distinct {report_index("d")}) from `tabDangjian Quarterly Report` d
			where d.project = {project}.name and d.docstatus < 2 and d.first_submitted_on is not null
				and {window})"""

	return count


def reported_aggregate(window: str) -> str:
	"""``reported`` for a statement grouped by project over a join of its reports ``d``."""
	return f"count(distinct if({window}, {report_index('d')}, null))"


def params(today=None) -> dict:
	"""The values the expressions above name, for today and the settings' due days."""
	return {
		"last_due_index": rules.last_due_quarter_index(
			getdate(today or nowdate()), cint(get_settings().quarterly_report_due_days)
		),
		"reporting_states": tuple(REPORTING_STATES),
		"accepted_states": (ACCEPTED, EVALUATED),
		"acceptance_applied": ACCEPTANCE_APPLIED,
		"passed": PASSED,
		"applied": APPLIED,
	}
