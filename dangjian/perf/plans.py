"""The plans of the app's own statements: which of them would read a whole large table.

Used by the benchmark (every SELECT a report, card or chart issued, EXPLAINed at scale) and by
``dangjian/tests/test_report_plans.py`` (the same on a small generated set)."""

from __future__ import annotations

import re

import frappe

# the tables that grow fastest (about ten scores an evaluation, four reports a project a year):
# a report must never read them whole (issue 19, item 3)
WATCHED = ("tabDangjian Evaluation Score", "tabDangjian Quarterly Report")
APP_TABLES = ("`tabDangjian ", "`tabParty Organization`")
NOT_ALIASES = {"on", "where", "join", "left", "inner", "group", "order", "set", "use", "force"}


def own_selects(queries) -> list[tuple[str, object]]:
	"""The SELECTs among ``queries`` (``(query, values)``) that read the app's tables: the app's
	own statements, not Frappe's around a report call (the Report, its roles, DocShare)."""
	return [
		(str(query), values)
		for query, values in queries
		if str(query).lstrip().lower().startswith("select")
		and any(table in str(query) for table in APP_TABLES)
	]


def names_of(query: str, table: str) -> set[str]:
	"""How ``table`` is named in ``query``'s plan: itself, and each alias it takes there."""
	names = {table}
	for match in re.finditer(rf"`{re.escape(table)}`\s+(?:as\s+)?`?(\w+)`?", query, re.I):
		if match.group(1).lower() not in NOT_ALIASES:
			names.add(match.group(1))
	return names


def watched_steps(query: str, values) -> list[tuple[str, dict]]:
	"""``(watched table, plan step)`` for each step of the statement's EXPLAIN on a watched table."""
	plan = frappe.db.sql("explain " + query, values, as_dict=True)
	out = []
	for table in WATCHED:
		names = names_of(query, table)
		out += [(table, step) for step in plan if str(step.get("table")) in names]
	return out


def full_scans(statements, indexless_only: bool = False) -> list[dict]:
	"""The plan steps reading a watched table whole (``type: ALL``), each with its table and the
	start of its statement. ``indexless_only``: only those for which no index could serve
	(``possible_keys`` empty) — on a table of a few hundred rows MariaDB may scan whole a table
	it reads through an index at scale, and which it chooses there depends on its sampled
	statistics; whether an index applies depends on the statement and the indexes alone."""
	found = []
	for query, values in statements:
		for table, step in watched_steps(query, values):
			if step.get("type") != "ALL":
				continue
			if indexless_only and step.get("possible_keys"):
				continue
			found.append({"table": table, "step": step, "statement": " ".join(query.split())[:200]})
	return found
