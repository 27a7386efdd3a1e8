"""A bounded load test over HTTP: many users submitting quarterly reports and evaluation scores at
the same moment, two users racing for one quarter and one evaluator scoring twice at once.

Checked afterwards: every report and score that was sent is stored exactly once (none lost, none
duplicated), the evaluation's results count every score, the losers of each race get the clear
duplicate message, and the server answered no request with a server error (5xx).

Size: TRUST_LOAD=small (the default in the test command) or large, or TRUST_LOAD=P,E for P
projects per branch and E evaluators.
"""

import datetime
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import fixtures
from client import STATS, Client

LOAD_PREFIX = f"{fixtures.FIXTURE_PREFIX} load"
LOAD_PREFIX_USER = "trust.load."
LOAD_USER = LOAD_PREFIX_USER + "{}@" + fixtures.DOMAIN
GENERAL_BRANCH_SECRETARY = LOAD_USER.format("gbsec")
EVALUATION_UNIT = "U01"
SIZES = {"small": (1, 12), "large": (3, 60)}
QR = "Dangjian Quarterly Report"
SCORE = "Dangjian Evaluation Score"
CATEGORIES = ("Party Member", "Cadre", "Masses Representative")

FIGURES: dict[str, int] = {}


def size() -> tuple[int, int]:
	value = os.environ.get("TRUST_LOAD", "small")
	if value in SIZES:
		return SIZES[value]
	projects, evaluators = (int(x) for x in value.split(","))
	return projects, evaluators


# --- setup -----------------------------------------------------------------------------------


def set_unit_evaluators(admin: Client, users: list[str]) -> None:
	"""The load's evaluators hold the Evaluator duty in unit U01 (scope and role follow)."""
	unit = admin.doc("Party Organization", EVALUATION_UNIT).data
	members = [m for m in unit.get("members") or [] if not (m.get("user") or "").startswith(LOAD_PREFIX_USER)]
	members += [{"member_name": u.split("@")[0], "user": u, "duty": "Evaluator"} for u in users]
	r = admin.update("Party Organization", EVALUATION_UNIT, {"members": members})
	if not r.ok:
		raise RuntimeError(f"cannot set the evaluators of {EVALUATION_UNIT}: {r.errors()[:300]}")


def set_general_branch_secretary(admin: Client, user: str | None) -> str | None:
	rows = admin.list(
		"Party Organization", [["organization_type", "=", "General Branch"]], ["name", "secretary"]
	).data
	for row in rows or []:
		if not row.get("secretary") or row["secretary"].startswith(LOAD_PREFIX_USER):
			admin.update("Party Organization", row["name"], {"secretary": user})
			return row["name"]
	return None


def branches(admin: Client) -> list[dict]:
	"""The demo's branches with a secretary, with their unit's approver and committee member."""
	orgs = (
		admin.list(
			"Party Organization",
			[["organization_type", "=", "Branch"], ["secretary", "like", "secretary%"]],
			["name", "secretary", "approving_organization"],
		).data
		or []
	)
	units = {}
	for unit in {o["approving_organization"] for o in orgs}:
		members = admin.doc("Party Organization", unit).data.get("members") or []
		duty = {m["duty"]: m["user"] for m in members if m.get("user")}
		units[unit] = (duty.get("Approver"), duty.get("Party Committee"))
	return [
		{
			"branch": o["name"],
			"secretary": o["secretary"],
			"approver": units[o["approving_organization"]][0],
			"committee": units[o["approving_organization"]][1],
		}
		for o in sorted(orgs, key=lambda o: o["name"])
		if all(units[o["approving_organization"]])
	]


def project_in_progress(clients: dict, admin: Client, b: dict, title: str, year: int) -> str:
	"""A project of branch b taken to In Progress by its real actors; its implementation is dated
	back to the previous quarter so that the current quarter is reportable."""
	sec, appr, comm = clients[b["secretary"]], clients[b["approver"]], clients[b["committee"]]
	payload = fixtures.project_payload(title, year)
	payload["branch"] = b["branch"]
	r = sec.insert(payload)
	if not r.ok:
		raise RuntimeError(f"{b['secretary']} cannot create a project: {r.errors()[:300]}")
	name = r.data["name"]
	steps = (
		(sec, None, "Submit Application"),
		(appr, {"review_opinion": "同意。", "late_acceptance_reason": "负载测试：补报。"}, "Pass Review"),
		(comm, {"committee_opinion": "同意立项。"}, "Approve and File"),
		(sec, fixtures.plan_values(), "Start Implementation"),
	)
	for client, values, action in steps:
		if values:
			r = client.update("Dangjian Project", name, values)
			if not r.ok:
				raise RuntimeError(f"{client.user} cannot update {name}: {r.errors()[:300]}")
		r = client.workflow("Dangjian Project", name, action)
		if not r.ok:
			raise RuntimeError(f"{client.user} cannot {action} {name}: {r.errors()[:300]}")
	today = fixtures.today()
	first_of_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
	r = admin.post(
		"/api/method/frappe.client.set_value",
		{
			"doctype": "Dangjian Project",
			"name": name,
			"fieldname": "implementation_started_on",
			"value": str(first_of_quarter - datetime.timedelta(days=10)),
		},
	)
	if not r.ok:
		raise RuntimeError(f"cannot date back {name}: {r.errors()[:300]}")
	return name


def open_evaluation(clients: dict, admin: Client, approver: str) -> str | None:
	"""An evaluation opened by the unit's approver on an accepted project of unit U01."""
	accepted = (
		admin.list("Dangjian Project", [["status", "=", "Accepted"]], ["name", "approving_organization"]).data
		or []
	)
	for p in accepted:
		if p["approving_organization"] != EVALUATION_UNIT:
			continue
		if admin.list("Dangjian Evaluation", [["project", "=", p["name"]], ["docstatus", "<", 2]]).data:
			continue
		r = clients[approver].insert({"doctype": "Dangjian Evaluation", "project": p["name"]})
		if not r.ok:
			raise RuntimeError(f"{approver} cannot open an evaluation: {r.errors()[:300]}")
		return r.data["name"]
	return None


# --- the load ---------------------------------------------------------------------------------


def report_payload(project: str, year: int, quarter: int, who: str) -> dict:
	return {
		"doctype": QR,
		"project": project,
		"year": year,
		"quarter": str(quarter),
		"percent_complete": 30,
		"progress_summary": f"{LOAD_PREFIX}：{who} 按计划推进。",
		"problems": "无",
		"next_quarter_plan": "继续推进。",
	}


def score_payload(evaluation: str, i: int, user: str) -> dict:
	return {
		"doctype": SCORE,
		"evaluation": evaluation,
		"evaluator_name": user.split("@")[0],
		"category": CATEGORIES[i % 3],
		"satisfaction_vote": "Satisfied" if i % 4 else "Basically Satisfied",
		"benefit_score": 70 + i % 30,
		"replicability_score": 60 + (i * 7) % 40,
	}


def run(clients: dict, admin: Client, targets: dict, check) -> None:
	per_branch, evaluators = size()
	year, quarter = fixtures.current_quarter()
	started = time.time()
	cleanup(admin)
	try:
		_run(clients, admin, check, per_branch, evaluators, year, quarter)
	finally:
		cleanup(admin)
	print(f"    load: {FIGURES} ({time.time() - started:.1f}s with setup and cleanup)")
	return {
		"load: concurrent users": FIGURES.get("concurrent users"),
		"load: concurrent requests": FIGURES.get("concurrent requests"),
		"load: records lost": FIGURES.get("records lost"),
		"load: records duplicated": FIGURES.get("records duplicated"),
		"load: server errors": FIGURES.get("server errors"),
	}


def _run(clients, admin, check, per_branch, evaluators, year, quarter):
	evaluator_users = [LOAD_USER.format(f"e{i:03d}") for i in range(evaluators)]
	for user in [*evaluator_users, GENERAL_BRANCH_SECRETARY]:
		fixtures.ensure_user(admin, user)
	set_unit_evaluators(admin, evaluator_users)
	general_branch = set_general_branch_secretary(admin, GENERAL_BRANCH_SECRETARY)

	branch_rows = branches(admin)
	users = {fixtures.SUBJECTS[c] for c in fixtures.SUBJECTS if c in clients} | {
		u for b in branch_rows for u in (b["secretary"], b["approver"], b["committee"])
	}
	sessions = {u: c for u, c in ((c.user, c) for c in clients.values())}
	for user in sorted(users - set(sessions)):
		sessions[user] = Client(user)

	# setup: projects per branch, built concurrently by each branch's own actors
	jobs = [(b, i) for b in branch_rows for i in range(per_branch)]
	with ThreadPoolExecutor(max_workers=len(branch_rows)) as pool:
		made = list(
			pool.map(
				lambda job: (
					job[0],
					project_in_progress(
						sessions,
						admin,
						job[0],
						f"{LOAD_PREFIX} {job[0]['branch']} {job[1]} {int(time.time())}",
						year,
					),
				),
				jobs,
			)
		)
	approver = next(b["approver"] for b in branch_rows if b["branch"].startswith(EVALUATION_UNIT))
	evaluation = open_evaluation(sessions, admin, approver)
	check(evaluation, "load: an evaluation to score is opened on an accepted project of U01")

	# the race for one quarter: a project of a branch under the general branch
	race_project = None
	if general_branch:
		for b, name in made:
			if b["branch"].startswith(general_branch + "-"):
				race_project = (b, name)
				break
	check(race_project, "load: a project under the general branch for the race")

	logins = [Client(u) for u in evaluator_users]
	twice = Client(evaluator_users[0])
	general = Client(GENERAL_BRANCH_SECRETARY) if race_project else None

	tasks = []
	for b, name in made:
		if race_project and name == race_project[1]:
			continue
		tasks.append(("report", sessions[b["secretary"]], name))
	if evaluation:
		tasks += [("score", c, i) for i, c in enumerate(logins)]
		tasks.append(("score-again", twice, 0))
	if race_project:
		tasks.append(("race", sessions[race_project[0]["secretary"]], race_project[1]))
		tasks.append(("race", general, race_project[1]))

	barrier = threading.Barrier(len(tasks))
	errors_before = len(STATS.server_errors)
	requests_before = STATS.requests
	outcomes: list[tuple[str, str, object, str]] = []
	lock = threading.Lock()

	def act(task):
		kind, client, arg = task
		barrier.wait()
		if kind in ("report", "race"):
			r = client.insert(report_payload(arg, year, quarter, client.user))
			if r.ok and kind == "report":
				r2 = client.workflow(QR, r.data["name"], "Submit Report")
				result = ("ok" if r2.ok else "submit-failed", r2.errors()[:300] if not r2.ok else "")
			else:
				result = ("ok" if r.ok else "refused", r.errors()[:400] if not r.ok else "")
		else:
			r = client.insert(score_payload(evaluation, arg, client.user))
			if r.ok:
				r2 = client.method("frappe.client.submit", doc=r.data)
				result = ("ok" if r2.ok else "submit-failed", r2.errors()[:300] if not r2.ok else "")
			else:
				result = ("refused", r.errors()[:400])
		with lock:
			outcomes.append((kind, client.user, arg, *result))

	t0 = time.time()
	with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
		list(pool.map(act, tasks))
	elapsed = time.time() - t0
	FIGURES["concurrent users"] = len({t[1].user for t in tasks})
	FIGURES["concurrent tasks"] = len(tasks)
	FIGURES["concurrent requests"] = STATS.requests - requests_before
	FIGURES["seconds"] = round(elapsed, 1)

	# --- what is stored
	reports = [o for o in outcomes if o[0] == "report"]
	failed = [o for o in reports if o[3] != "ok"]
	check(not failed, "load: every branch's report is stored and submitted", str(failed[:3]))
	lost = duplicated = 0
	for _kind, _user, name, *_ in reports:
		rows = (
			admin.list(
				QR,
				[["project", "=", name], ["year", "=", year], ["quarter", "=", str(quarter)]],
				["name", "status"],
			).data
			or []
		)
		lost += not rows
		duplicated += max(0, len(rows) - 1)
		check(
			len(rows) == 1 and rows[0]["status"] == "Submitted",
			f"load: one submitted report for {name}",
			str(rows),
		)
	FIGURES["quarterly reports sent"] = len(reports)

	if race_project:
		race = [o for o in outcomes if o[0] == "race"]
		won = [o for o in race if o[3] == "ok"]
		lost_race = [o for o in race if o[3] != "ok"]
		rows = (
			admin.list(
				QR, [["project", "=", race_project[1]], ["year", "=", year], ["quarter", "=", str(quarter)]]
			).data
			or []
		)
		duplicated += max(0, len(rows) - 1)
		check(
			len(won) == 1 and len(rows) == 1,
			"load: two users racing for one quarter: one report stored",
			f"{race} {rows}",
		)
		check(
			# in the loser's language: the demo's secretaries read Chinese, the load users English
			len(lost_race) == 1
			and any(text in lost_race[0][4] for text in ("already has a report for", "季度的报告")),
			"load: the race's loser is told the quarter already has a report",
			str(lost_race)[:400],
		)

	if evaluation:
		scores = [o for o in outcomes if o[0] == "score"]
		# (the first evaluator also scores from a second session: one of the two wins, checked below)
		failed = [o for o in scores if o[3] != "ok" and o[1] != evaluator_users[0]]
		check(not failed, "load: every evaluator's score is stored and submitted", str(failed[:3]))
		rows = (
			admin.list(
				SCORE, [["evaluation", "=", evaluation], ["docstatus", "=", 1]], ["evaluator_user"]
			).data
			or []
		)
		by_user: dict[str, int] = {}
		for row in rows:
			by_user[row["evaluator_user"]] = by_user.get(row["evaluator_user"], 0) + 1
		lost += sum(1 for u in evaluator_users if u not in by_user)
		duplicated += sum(n - 1 for n in by_user.values() if n > 1)
		check(
			len(rows) == evaluators and set(by_user) == set(evaluator_users),
			f"load: {evaluators} scores stored once each",
			f"{len(rows)} rows",
		)
		again = [o for o in outcomes if o[0] == "score-again"]
		first = [o for o in scores if o[1] == evaluator_users[0]]
		check(
			sum(1 for o in again + first if o[3] == "ok") == 1
			and any("has already scored" in o[4] for o in again + first),
			"load: an evaluator scoring twice at once: one score, the other told they already scored",
			str(again + first)[:400],
		)
		result = admin.doc("Dangjian Evaluation", evaluation).data
		check(
			result.get("score_count") == evaluators,
			"load: the evaluation's results count every concurrent score",
			f"score_count={result.get('score_count')}",
		)
		FIGURES["evaluation scores sent"] = len(scores) + len(again)

	# second wave: every unit's approver writes the supervision comment and reviews the submitted
	# reports at once (REST PUT, then the submit path: docstatus 1, plan step statuses on the project)
	approver_of = {name: b["approver"] for b, name in made}
	submitted = [
		(o[2], admin.list(QR, [["project", "=", o[2]], ["status", "=", "Submitted"]]).data or [])
		for o in reports
		if o[3] == "ok"
	]
	wave = [(sessions[approver_of[project]], rows[0]["name"]) for project, rows in submitted if rows]
	results: list[tuple[str, bool, str]] = []
	if wave:
		gate = threading.Barrier(len(wave))

		def review(task):
			client, name = task
			gate.wait()
			r = client.update(QR, name, {"supervision_comment": "符合要求，继续推进。"})
			if r.ok:
				r = client.workflow(QR, name, "Mark Reviewed")
			with lock:
				results.append((name, r.ok, r.errors()[:300] if not r.ok else ""))

		before = STATS.requests
		with ThreadPoolExecutor(max_workers=len(wave)) as pool:
			list(pool.map(review, wave))
		FIGURES["concurrent requests"] += STATS.requests - before
		failed = [x for x in results if not x[1]]
		check(not failed, "load: the approvers' reviews taken at once all succeed", str(failed[:2]))
		reviewed = [admin.doc(QR, name).data for _client, name in wave]
		check(
			all(d.get("status") == "Reviewed" and d.get("docstatus") == 1 for d in reviewed),
			"load: every report reviewed and submitted",
			str(
				[
					(d.get("name"), d.get("status"), d.get("docstatus"))
					for d in reviewed
					if d.get("docstatus") != 1
				]
			),
		)
		FIGURES["reviews at once"] = len(wave)

	server_errors = STATS.server_errors[errors_before:]
	check(not server_errors, "load: no server error", "; ".join(server_errors[:3]))
	FIGURES["records lost"] = lost
	FIGURES["records duplicated"] = duplicated
	FIGURES["server errors"] = len(server_errors)


# --- cleanup ----------------------------------------------------------------------------------


def cleanup(admin: Client) -> None:
	"""Remove the load's scores, evaluations, projects (with their reports) and duties."""
	scores = (
		admin.list(
			SCORE, [["evaluator_user", "like", LOAD_PREFIX_USER + "%"]], ["name", "docstatus", "evaluation"]
		).data
		or []
	)
	evaluations = {s["evaluation"] for s in scores}
	for s in scores:
		if s["docstatus"] == 1:
			admin.method("frappe.client.cancel", doctype=SCORE, name=s["name"])
		admin.remove(SCORE, s["name"])
	for name in evaluations:
		ev = admin.doc("Dangjian Evaluation", name).data or {}
		others = admin.list(SCORE, [["evaluation", "=", name]]).data
		if ev.get("docstatus") == 0 and not others:
			admin.remove("Dangjian Evaluation", name)
	# the evaluation opened on an accepted project but never scored (an interrupted run)
	for ev in (
		admin.list("Dangjian Evaluation", [["docstatus", "=", 0], ["score_count", "=", 0]], ["name"]).data
		or []
	):
		if not admin.list(SCORE, [["evaluation", "=", ev["name"]]]).data:
			admin.remove("Dangjian Evaluation", ev["name"])
	fixtures.cleanup(admin)
	unit = admin.doc("Party Organization", EVALUATION_UNIT).data or {}
	members = unit.get("members") or []
	if any((m.get("user") or "").startswith(LOAD_PREFIX_USER) for m in members):
		admin.update(
			"Party Organization",
			EVALUATION_UNIT,
			{"members": [m for m in members if not (m.get("user") or "").startswith(LOAD_PREFIX_USER)]},
		)
	for row in admin.list("Party Organization", [["secretary", "like", LOAD_PREFIX_USER + "%"]]).data or []:
		admin.update("Party Organization", row["name"], {"secretary": None})
