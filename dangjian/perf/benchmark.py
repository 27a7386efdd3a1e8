"""Benchmark of the app's reports, number cards and two everyday desk actions.

Run on a site with a generated data set (``bench --site SITE dangjian-generate``)::

	bench --site SITE execute dangjian.perf.benchmark.run --kwargs "{'runs': 5}"

For each Script Report of the app (as the desk runs it: ``frappe.desk.query_report.run``) and
each workspace number card, as the company administrator (a Dangjian Administrator whose User
Permission is the company; everything below it is in scope): the rows, the number of SQL
queries issued, the median time of ``runs`` runs after one warm-up, the median time of the
report's ``execute`` alone (without Frappe's ``query_report.run`` around it), and the median
time of the hand-written floor query in ``floors/<report>.sql`` — one SQL statement returning
the same rows, scope included — the three timed in turn within each run. Each floor is checked to return exactly the report's rows (values
normalised, order ignored) and its EXPLAIN plan is printed with ``explain=True``.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import time
from contextlib import contextmanager
from decimal import Decimal

import frappe
from frappe.utils import cint, getdate, nowdate

from dangjian import rules

FLOORS = os.path.join(os.path.dirname(__file__), "floors")
REPORT_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "dangjian", "report")
CARD_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "dangjian", "number_card")


def benchmark_filters(today: datetime.date) -> dict[str, dict]:
	"""The filters each report is timed with: a year with every stage populated."""
	return {
		"Dangjian Application Compliance": {"year": today.year},
		"Dangjian Quarterly Progress": {"year": today.year - 1},
		"Dangjian Evaluation Results": {"year": today.year - 2, "group_by": "Unit"},
		"Dangjian Project Ledger": {},  # opens on the current year
		"Dangjian Branch Assessment": {"year": today.year - 1},
		"Dangjian Commendation List": {"year": today.year - 2},
	}


# --- counting queries -----------------------------------------------------------------------------


class QueryLog:
	def __init__(self):
		self.queries: list[tuple[str, object]] = []


@contextmanager
def count_queries():
	"""Every frappe.db.sql call inside the block (frappe.qb's .run() and get_all go through it)."""
	log = QueryLog()
	original = frappe.db.sql

	def sql(query, values=(), *args, **kwargs):
		log.queries.append((str(query), values))
		return original(query, values, *args, **kwargs)

	frappe.db.sql = sql
	try:
		yield log
	finally:
		frappe.db.sql = original


SLOW_MS = 10_000  # a call slower than this is timed once, not ``runs`` times


def median_ms(fn, runs: int, log: QueryLog | None = None) -> tuple[float, object]:
	"""The median of ``runs`` timed calls after a warm-up call (caches: meta, user permissions,
	translations, as on a live site); the last call's queries go to ``log``."""
	started = time.perf_counter()
	fn()
	if (time.perf_counter() - started) * 1000 > SLOW_MS:
		runs = 1
	times, result = [], None
	for i in range(runs):
		counting = count_queries() if log is not None and i == runs - 1 else None
		if counting:
			recorded = counting.__enter__()
		try:
			started = time.perf_counter()
			result = fn()
			times.append((time.perf_counter() - started) * 1000)
		finally:
			if counting:
				counting.__exit__(None, None, None)
				log.queries = recorded.queries
	return statistics.median(times), result


# --- discovering what to time ---------------------------------------------------------------------


def app_reports() -> list[str]:
	names = []
	for folder in sorted(os.listdir(REPORT_DIR)):
		path = os.path.join(REPORT_DIR, folder, f"{folder}.json")
		if os.path.exists(path):
			with open(path) as f:
				doc = json.load(f)
			if doc.get("report_type") == "Script Report" and frappe.db.exists("Report", doc["name"]):
				names.append(doc["name"])
	return names


def number_cards() -> list[dict]:
	cards = []
	if not os.path.isdir(CARD_DIR):
		return cards
	for folder in sorted(os.listdir(CARD_DIR)):
		path = os.path.join(CARD_DIR, folder, f"{folder}.json")
		if os.path.exists(path):
			with open(path) as f:
				cards.append(json.load(f))
	return cards


def floor_path(report: str) -> str:
	return os.path.join(FLOORS, frappe.scrub(report) + ".sql")


# --- the floor's parameters -----------------------------------------------------------------------


def floor_params(filters: dict, user: str, today: datetime.date) -> dict:
	from dangjian import scope
	from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

	settings = get_settings()
	year = cint(filters.get("year")) or today.year
	due_days = cint(settings.quarterly_report_due_days)
	params = {
		"user": user,
		"unrestricted": 1 if scope.is_unrestricted(user) else 0,
		"year": year,
		"all_years": 1 if cint(filters.get("all_years")) else 0,
		"today": today,
		"min_projects": cint(settings.min_projects_per_branch) or 1,
		"qualified": cint(settings.qualified_star_level),
		"commended": cint(settings.commended_star_level),
		"exemplary": cint(settings.exemplary_star_level),
	}
	for quarter in rules.QUARTERS:
		# the quarter's report is missing once today is past its due date
		params[f"past_due_{quarter}"] = (
			1 if rules.is_late(today, rules.quarterly_report_due_date(year, quarter, due_days)) else 0
		)
	params["last_due_index"] = rules.last_due_quarter_index(today, due_days)
	return params


def read_floor(report: str) -> str | None:
	path = floor_path(report)
	if not os.path.exists(path):
		return None
	with open(path) as f:
		return f.read().strip().rstrip(";")


# --- comparing rows -------------------------------------------------------------------------------


def normalise(value):
	if value is None or value == "":
		return ""
	if isinstance(value, bool):
		return str(int(value))
	if isinstance(value, int | float | Decimal):
		return f"{float(value):.2f}"
	if isinstance(value, datetime.datetime):
		return value.date().isoformat()
	if isinstance(value, datetime.date):
		return value.isoformat()
	text = str(value)
	try:
		return f"{float(text):.2f}"
	except ValueError:
		return text


def compare(report_rows: list, floor_rows: list[dict]) -> tuple[bool, str]:
	"""The floor's columns, row by row, equal the report's (order ignored)."""
	if not floor_rows:
		ok = not report_rows
		return ok, "" if ok else f"floor returned 0 rows, report {len(report_rows)}"
	columns = list(floor_rows[0].keys())

	def key(row):
		return tuple(normalise(row.get(column)) for column in columns)

	mine = sorted(key(frappe._dict(row)) for row in report_rows if isinstance(row, dict))
	floor = sorted(key(row) for row in floor_rows)
	if mine == floor:
		return True, ""
	only_report = [r for r in mine if r not in set(floor)][:3]
	only_floor = [r for r in floor if r not in set(mine)][:3]
	return False, (
		f"{len(mine)} report rows vs {len(floor)} floor rows; columns {columns}; "
		f"only in report: {only_report}; only in floor: {only_floor}"
	)


# --- the benchmark --------------------------------------------------------------------------------


def admin_user() -> str:
	from dangjian.perf.generator import ADMIN_USER

	return ADMIN_USER


def resolve_user(user: str | None) -> str:
	"""``admin``, ``approver``, ``secretary``: the generated company administrator, unit approver
	and branch secretary; anything else is a user's name."""
	from dangjian.perf import generator

	aliases = {
		"admin": generator.ADMIN_USER,
		"approver": generator.APPROVER_USER,
		"secretary": generator.SECRETARY_USER,
	}
	return aliases.get(user or "admin", user)


THREE_USERS = ("admin", "approver", "secretary")
TARGET_MS = 300  # issue 19: an approver's and a secretary's every page at 200,000 projects


def time_report(name: str, filters: dict, runs: int, floor_call=None) -> dict:
	"""The report as the desk runs it (``frappe.desk.query_report.run``: the Report document,
	its role check, the report's ``execute``, Frappe's own row filter on Link columns), its
	``execute`` alone — the difference is Frappe's per-call cost — and the floor, timed in
	turn within each run so that the load of a shared machine weighs on all three alike."""
	from frappe.core.doctype.report.report import get_report_module_dotted_path
	from frappe.desk.query_report import run as run_report

	execute = frappe.get_attr(
		get_report_module_dotted_path(frappe.db.get_value("Report", name, "module"), name) + ".execute"
	)
	calls = {
		"ms": lambda: run_report(name, filters=json.dumps(filters), ignore_prepared_report=True),
		"execute_ms": lambda: execute(frappe._dict(filters)),
	}
	if floor_call:
		calls["floor_ms"] = floor_call
	started = time.perf_counter()
	results = {key: fn() for key, fn in calls.items()}  # warm-up
	if (time.perf_counter() - started) * 1000 > SLOW_MS:
		runs = 1
	times: dict[str, list[float]] = {key: [] for key in calls}
	log = QueryLog()
	for i in range(runs):
		for key, fn in calls.items():
			counting = count_queries() if key == "ms" and i == runs - 1 else None
			recorded = counting.__enter__() if counting else None
			try:
				started = time.perf_counter()
				results[key] = fn()
				times[key].append((time.perf_counter() - started) * 1000)
			finally:
				if counting:
					counting.__exit__(None, None, None)
					log.queries = recorded.queries
	rows = [row for row in results["ms"]["result"] if isinstance(row, dict) and not row.get("is_total_row")]
	out = {key: statistics.median(values) for key, values in times.items()}
	out.update(queries=len(log.queries), rows=rows, log=log.queries, floor_rows=results.get("floor_ms"))
	return out


def explain(sql: str, params: dict) -> list[dict]:
	return frappe.db.sql("explain " + sql, params, as_dict=True)


def time_card(card: dict, runs: int) -> dict:
	method = frappe.get_attr(card["method"])
	log = QueryLog()
	ms, result = median_ms(method, runs, log)
	return {"ms": ms, "queries": len(log.queries), "value": (result or {}).get("value")}


# what the user writes in the form before an action (saved first, as on the desk: not timed)
BEFORE_ACTION = {
	"Pass Review": {"review_opinion": "材料齐全,同意。", "late_acceptance_reason": "经党委同意。"},
	"Return to Branch": {"return_reason": "请补充材料。"},
	"Mark Reviewed": {"supervision_comment": "进展良好。"},
}


def acting_on(user: str) -> tuple[str, str, str] | None:
	"""A document in ``user``'s scope on which the user has a workflow action, and that action
	(``frappe.model.workflow.get_transitions`` as the user): a project first, else a quarterly
	report. The generated approver's unit and secretary's branch have one this year."""
	from frappe.model.workflow import get_transitions

	from dangjian import workflows

	roles = frappe.get_roles(user)
	for doctype in ("Dangjian Project", "Dangjian Quarterly Report"):
		states = workflows.states_acted_on(doctype, roles)
		if not states:
			continue
		names = frappe.get_list(
			doctype, filters={"status": ("in", states)}, pluck="name", order_by="name", limit=20
		)
		for name in names:
			doc = frappe.get_doc(doctype, name)
			actions = [t.action for t in get_transitions(doc) if not t.action.startswith("Cancel")]
			if actions:
				return doctype, name, actions[0]
	return None


def time_transition(runs: int, user: str | None = None) -> dict | None:
	"""A workflow action the user has (as the user), in a savepoint rolled back each time. Without
	``user``, or for a user with none (the company administrator's role has no action in the
	workflows), applying for a draft project as Administrator."""
	from frappe.model.workflow import apply_workflow

	previous = frappe.session.user
	found = None
	if user:
		frappe.set_user(user)
		try:
			found = acting_on(user)
		finally:
			frappe.set_user(previous)
	actor = user if found else "Administrator"
	if not found:
		draft = frappe.db.get_value(
			"Dangjian Project", {"status": ("in", ("Draft", "Returned")), "branch": ("like", "PF%")}
		)
		if not draft:
			return None
		found = ("Dangjian Project", draft, "Submit Application")
	doctype, name, action = found
	times, queries = [], 0
	frappe.set_user(actor)
	try:
		for i in range(runs + 1):
			frappe.db.savepoint("perf_transition")
			if action in BEFORE_ACTION:
				frappe.db.set_value(doctype, name, BEFORE_ACTION[action], update_modified=False)
			with count_queries() as log:
				started = time.perf_counter()
				apply_workflow(frappe.get_doc(doctype, name), action)
				elapsed = (time.perf_counter() - started) * 1000
			frappe.db.rollback(save_point="perf_transition")
			if i:
				times.append(elapsed)
				queries = len(log.queries)
	finally:
		frappe.set_user(previous)
	who = "" if actor == user else " (as Administrator)"
	return {"what": f"{action} {name}{who}", "ms": statistics.median(times), "queries": queries}


def time_export(runs: int, report: str = "Dangjian Project Ledger", filters: dict | None = None) -> dict:
	"""The report's Excel export as the desk asks for it (the app's ``export_query``), as the
	current user. Its Access Log entry is written and committed, as on the desk."""
	from dangjian.security import export_query

	form = frappe.local.form_dict

	def call():
		frappe.local.form_dict = frappe._dict(
			report_name=report,
			file_format_type="Excel",
			filters=json.dumps(filters or {}),
			visible_idx=json.dumps([]),
			custom_columns=json.dumps([]),
		)
		try:
			export_query()
			return len(frappe.response.pop("filecontent", b"") or b"")
		finally:
			frappe.local.form_dict = form

	log = QueryLog()
	ms, size = median_ms(call, runs, log)
	label = "all years" if (filters or {}).get("all_years") else "this year"
	return {"what": f"Excel: ledger, {label}", "ms": ms, "queries": len(log.queries), "bytes": size}


def time_every_year_page(runs: int) -> dict:
	"""The ledger with 全部年度 ticked, as the desk runs it: its first page (``PAGE_SIZE``)."""
	timed = time_report("Dangjian Project Ledger", {"all_years": 1}, runs)
	return {
		"what": f"ledger all years p1: {len(timed['rows'])} rows",
		"ms": timed["ms"],
		"queries": timed["queries"],
	}


def time_background_export(user: str) -> dict:
	"""The background Excel export of every year of the ledger, run once in this process as the
	job runs it (``report_jobs.make_report_export``): time and peak memory (the process's
	``ru_maxrss``: a rise shows the job's own use). Its File, bell entry and access log are
	rolled back and the file removed."""
	import resource

	from dangjian.report_jobs import make_report_export

	previous = frappe.session.user
	frappe.db.commit()  # the rollback below takes back the export only
	rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
	started = time.perf_counter()
	try:
		file_name = make_report_export("Dangjian Project Ledger", {"all_years": 1}, user)
		ms = (time.perf_counter() - started) * 1000
		file = frappe.get_doc("File", file_name)
		size, path = file.file_size, file.get_full_path()
	finally:
		frappe.db.rollback()
		frappe.set_user(previous)
	if os.path.exists(path):
		os.remove(path)
	rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
	return {
		"what": "background Excel: every year",
		"ms": ms,
		"queries": 0,
		"bytes": size,
		"peak_rss_mb": round(rss / 1024),
		"rss_rise_mb": round((rss - rss_before) / 1024),
	}


def dashboard_charts() -> list[dict]:
	charts = []
	folder = os.path.join(os.path.dirname(CARD_DIR), "dashboard_chart")
	for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
		path = os.path.join(folder, name, f"{name}.json")
		if os.path.exists(path):
			with open(path) as f:
				charts.append(json.load(f))
	return charts


def time_chart(chart: dict, runs: int) -> dict:
	"""A workspace chart as the desk asks for it, recomputed (``refresh``): a Custom chart from its
	source's ``get``, the others through Frappe's ``dashboard_chart.get``."""
	if chart.get("chart_type") == "Custom":
		source = frappe.scrub(chart["source"])
		method = frappe.get_attr(f"dangjian.dangjian.dashboard_chart_source.{source}.{source}.get")
	else:
		from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as method

	log = QueryLog()
	ms, result = median_ms(lambda: method(chart_name=chart["name"], refresh=1), runs, log)
	values = ((result or {}).get("datasets") or [{}])[0].get("values") or []
	return {"chart": chart["name"], "ms": ms, "queries": len(log.queries), "value": sum(values)}


def time_form_load(user: str, runs: int) -> dict | None:
	"""Opening an evaluated project's form: the document, its links and its dashboard counts."""
	from frappe.desk.form.load import getdoc
	from frappe.desk.notifications import get_open_count

	# an evaluated project the user may open (their scope), else any of theirs
	project = None
	for filters in ({"status": "Evaluated"}, {}):
		found = frappe.get_list("Dangjian Project", filters=filters, pluck="name", order_by="name", limit=1)
		if found:
			project = found[0]
			break
	if not project:
		return None

	def call():
		frappe.local.response = frappe._dict(docs=[])
		getdoc("Dangjian Project", project)
		get_open_count("Dangjian Project", project)

	log = QueryLog()
	ms, _ = median_ms(call, runs, log)
	return {"what": f"open {project}", "ms": ms, "queries": len(log.queries)}


def run(
	runs: int = 5,
	user: str | None = None,
	json_path: str | None = None,
	explain_plans: bool = True,
	background_export: bool = True,
):
	"""Every report, card and chart, opening a project, a workflow action and the ledger's Excel
	export, as ``user`` (``admin``, ``approver``, ``secretary`` or a user's name)."""
	from dangjian.perf import plans

	today = getdate(nowdate())
	user = resolve_user(user)
	filters_by_report = benchmark_filters(today)
	projects = frappe.db.count("Dangjian Project")
	results = {"site": frappe.local.site, "projects": projects, "user": user, "reports": [], "cards": []}
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		for name in app_reports():
			if not frappe.get_doc("Report", name).is_permitted():
				continue  # not this user's (the access log is the company administrator's)
			filters = filters_by_report.get(name, {})
			sql = read_floor(name)
			params = floor_params(filters, user, today) if sql else None
			timed = time_report(
				name,
				filters,
				runs,
				(lambda sql=sql, params=params: frappe.db.sql(sql, params, as_dict=True)) if sql else None,
			)
			entry = {
				"report": name,
				"filters": filters,
				"rows": len(timed["rows"]),
				"queries": timed["queries"],
				"ms": round(timed["ms"], 1),
				"execute_ms": round(timed["execute_ms"], 1),
			}
			# every statement of the report's own: a full scan of the score or report tables?
			entry["full_scans"] = [
				f"{scan['table']}: {scan['statement'][:80]}"
				for scan in plans.full_scans(plans.own_selects(timed["log"]))
			]
			if sql:
				ok, why = compare(timed["rows"], timed["floor_rows"])
				entry.update(floor_ms=round(timed["floor_ms"], 1), floor_ok=ok, floor_problem=why)
				if explain_plans:
					entry["floor_explain"] = explain(sql, params)
			if explain_plans:
				# the plan of the report's own slowest-looking statement: its longest SELECT
				selects = [(q, v) for q, v in timed["log"] if q.lstrip().lower().startswith("select")]
				if selects:
					q, v = max(selects, key=lambda item: len(item[0]))
					try:
						entry["report_explain"] = frappe.db.sql("explain " + q, v, as_dict=True)
					except Exception as e:
						entry["report_explain"] = [{"error": str(e)}]
			results["reports"].append(entry)
		for card in number_cards():
			if card.get("type") != "Custom" or not card.get("method"):
				continue
			timed = time_card(card, runs)
			results["cards"].append({"card": card["name"], **timed, "ms": round(timed["ms"], 1)})
		results["charts"] = [
			{**timed, "ms": round(timed["ms"], 1)}
			for timed in (time_chart(chart, runs) for chart in dashboard_charts())
		]
		results["form_load"] = time_form_load(user, runs)
		results["export"] = time_export(runs)
		results["every_year"] = time_every_year_page(runs)
	finally:
		frappe.set_user(previous)
	results["transition"] = time_transition(runs, user)
	if background_export:
		results["background_export"] = time_background_export(user)
	print_table(results)
	if explain_plans:
		print_explains(results)
	if json_path:
		with open(json_path, "w") as f:
			json.dump(results, f, indent=1, default=str, ensure_ascii=False)
	failed = [r["report"] for r in results["reports"] if r.get("floor_ok") is False]
	if failed:
		print("FLOOR MISMATCH:", ", ".join(failed))
		for r in results["reports"]:
			if r.get("floor_ok") is False:
				print(f"  {r['report']}: {r['floor_problem']}")
	frappe.flags.dangjian_benchmark = results


def print_table(results: dict):
	print(f"\nsite {results['site']}: {results['projects']} projects; as {results['user']}")
	header = (
		f"{'report':34} {'rows':>6} {'queries':>7} {'median ms':>10} {'floor ms':>9} {'ratio':>6}"
		f" {'exec ms':>8} {'ratio':>6}  floor"
	)
	print(header)
	print("-" * len(header))
	for r in results["reports"]:
		floor = r.get("floor_ms")
		ratio = f"{r['ms'] / floor:.2f}" if floor else "-"
		execute_ms = r.get("execute_ms")
		execute_ratio = f"{execute_ms / floor:.2f}" if floor and execute_ms is not None else "-"
		check = "" if floor is None else ("same rows" if r["floor_ok"] else "MISMATCH")
		print(
			f"{r['report']:34} {r['rows']:>6} {r['queries']:>7} {r['ms']:>10.1f} "
			f"{(f'{floor:.1f}' if floor else '-'):>9} {ratio:>6} "
			f"{(f'{execute_ms:.1f}' if execute_ms is not None else '-'):>8} {execute_ratio:>6}  {check}"
		)
	for c in results["cards"]:
		print(f"{'card: ' + c['card']:34} {c['value']!s:>6} {c['queries']:>7} {c['ms']:>10.1f}")
	for c in results.get("charts", []):
		print(f"{'chart: ' + c['chart']:34} {c['value']!s:>6} {c['queries']:>7} {c['ms']:>10.1f}")
	for key in ("transition", "form_load", "export", "every_year", "background_export"):
		item = results.get(key)
		if item:
			print(f"{item['what'][:34]:34} {'':>6} {item['queries']:>7} {item['ms']:>10.1f}")
	if results.get("background_export"):
		item = results["background_export"]
		print(
			f"  (background export: {item['bytes']} bytes, peak RSS {item['peak_rss_mb']} MB,"
			f" rise {item['rss_rise_mb']} MB)"
		)
	for r in results["reports"]:
		for scan in r.get("full_scans") or []:
			print(f"FULL SCAN in {r['report']}: {scan}")
	pages = [(r["report"], r["ms"]) for r in results["reports"] if r["report"] != "Dangjian Access Log"]
	pages += [("card: " + c["card"], c["ms"]) for c in results["cards"]]
	pages += [("chart: " + c["chart"], c["ms"]) for c in results.get("charts", [])]
	pages += [
		(results[k]["what"], results[k]["ms"])
		for k in ("transition", "form_load", "export", "every_year")
		if results.get(k)
	]
	slowest = max(pages, key=lambda page: page[1])
	over = [name for name, ms in pages if ms > TARGET_MS]
	print(
		f"slowest: {slowest[0]} {slowest[1]:.1f} ms; over {TARGET_MS} ms: "
		+ (", ".join(over) if over else "none")
	)


def run_users(runs: int = 5, json_dir: str | None = None, explain_plans: bool = False):
	"""``run`` as the company administrator, the unit approver and the branch secretary in turn::

	bench --site SITE execute dangjian.perf.benchmark.run_users --kwargs "{'runs': 5, 'json_dir': '/tmp'}"
	"""
	for alias in THREE_USERS:
		path = os.path.join(json_dir, f"bench-{alias}.json") if json_dir else None
		run(runs=runs, user=alias, json_path=path, explain_plans=explain_plans)


def print_explains(results: dict):
	for r in results["reports"]:
		for key in ("floor_explain", "report_explain"):
			plan = r.get(key)
			if not plan:
				continue
			print(f"\nEXPLAIN {key.split('_')[0]} — {r['report']}")
			for step in plan:
				print(
					"  {table:<28} {type:<7} key={key} rows={rows} {extra}".format(
						table=str(step.get("table")),
						type=str(step.get("type")),
						key=step.get("key"),
						rows=step.get("rows"),
						extra=step.get("Extra") or "",
					)
				)


def growth(small_json: str, large_json: str):
	"""The growth small → large per report, from two ``json_path`` files of ``run``::

	bench --site SITE execute dangjian.perf.benchmark.growth --args "['/tmp/2k.json', '/tmp/20k.json']"
	"""
	with open(small_json) as f:
		small = json.load(f)
	with open(large_json) as f:
		large = json.load(f)
	print(f"\ngrowth {small['projects']} → {large['projects']} projects")
	header = f"{'report':34} {'rows':>13} {'queries':>9} {'median ms':>17} {'x time':>7} {'x floor':>8}"
	print(header)
	print("-" * len(header))
	before = {r["report"]: r for r in small["reports"]}
	for r in large["reports"]:
		s = before.get(r["report"])
		if not s:
			continue
		floor = f"{r['floor_ms'] / s['floor_ms']:.1f}" if r.get("floor_ms") and s.get("floor_ms") else "-"
		print(
			f"{r['report']:34} {s['rows']:>6}→{r['rows']:<6} {s['queries']:>4}→{r['queries']:<4} "
			f"{s['ms']:>8.1f}→{r['ms']:<8.1f} {r['ms'] / s['ms']:>7.1f} {floor:>8}"
		)
	cards = {c["card"]: c for c in small["cards"]}
	for c in large["cards"]:
		s = cards.get(c["card"])
		if s:
			print(
				f"{'card: ' + c['card']:34} {'':13} {s['queries']:>4}→{c['queries']:<4} "
				f"{s['ms']:>8.1f}→{c['ms']:<8.1f} {c['ms'] / s['ms'] if s['ms'] else 0:>7.1f}"
			)
