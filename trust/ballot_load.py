"""A bounded load test of the phone ballots over HTTP on loopback: the approver issues 200
anonymous ballots of the three categories on an open evaluation through the REST API, then 200
voters post their votes to the guest vote endpoint at once (threads, each its own session, as
a phone): the confirmed vote, or with TRUST_BALLOT_CHECK=1 the page's two steps (the check,
then the confirmation); a few of the ballots are posted twice at the same moment (the
confirmations of a pair leave together).

Checked afterwards: exactly 200 scores stored (none lost, none duplicated), every ballot used
once, the evaluation's counts and category results count them, each race's loser told the
ballot is already used, every vote within a minute, and no server error (5xx) or rate-limit
refusal (429). Prints a figures line.

Size: TRUST_BALLOTS (default 200), TRUST_BALLOT_PAIRS (default 10), TRUST_BALLOT_THREADS
(default 50)."""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import fixtures
import load
from client import STATS, Client

BALLOT = "Dangjian Ballot"
SCORE = "Dangjian Evaluation Score"
EVALUATION = "Dangjian Evaluation"
VOTE = "/api/method/dangjian.ballots.vote"
CATEGORIES = ("Party Member", "Cadre", "Masses Representative")
THANKS = "感谢您的投票"
USED = "已使用"

FIGURES: dict[str, object] = {}


def secret_of(url: str) -> str:
	return parse_qs(urlsplit(url).query)["t"][0]


def post_vote(client: Client, values: dict, ip: str):
	"""One post of the phone page's form, as a guest from ``ip`` (X-Forwarded-For, as the
	reverse proxy reports it): (status, page text, milliseconds)."""
	t0 = time.time()
	r = client.request("POST", VOTE, data=values, headers={"X-Forwarded-For": ip, "Accept": "text/html"})
	return r.status, r.text, (time.time() - t0) * 1000


def page_says(text: str) -> str:
	if THANKS in text:
		return "thanks"
	if "dj-vote-error" in text:
		return "refused"
	if "dj-vote-confirm" in text:
		return "confirm"
	return "other"


def issue(approver: Client, evaluation: str, total: int) -> list[dict]:
	"""``total`` anonymous ballots, the three categories in turn (at most 200 a call)."""
	issued = []
	for i, category in enumerate(CATEGORIES):
		count = total // 3 + (1 if i < total % 3 else 0)
		while count:
			n = min(count, 200)
			r = approver.method(
				"dangjian.ballots.issue_ballots", evaluation=evaluation, category=category, count=n
			)
			if not r.ok:
				raise RuntimeError(f"the approver cannot issue ballots: {r.errors()[:300]}")
			issued += r.message
			count -= n
	return issued


def percentile(values: list[float], p: float) -> float:
	if not values:
		return 0.0
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(clients: dict, admin: Client, targets: dict, check) -> dict:
	total = int(os.environ.get("TRUST_BALLOTS", "200"))
	pairs = min(int(os.environ.get("TRUST_BALLOT_PAIRS", "10")), total)
	threads = int(os.environ.get("TRUST_BALLOT_THREADS", "50"))
	steps = (False, True) if os.environ.get("TRUST_BALLOT_CHECK") == "1" else (True,)
	approver = clients["approver"]
	leftovers(admin)
	evaluation = load.open_evaluation({approver.user: approver}, admin, approver.user)
	if not check(evaluation, "ballot load: an evaluation is opened on an accepted project of U01"):
		return {}
	try:
		_run(approver, admin, check, evaluation, total, pairs, threads, steps)
		guessing(approver, admin, check, evaluation)
	finally:
		cleanup(admin, evaluation)
	line = (
		f"ballot load: ballots {FIGURES.get('ballots')}, stored {FIGURES.get('stored')}, "
		f"lost {FIGURES.get('lost')}, duplicated {FIGURES.get('duplicated')}, "
		f"seconds {FIGURES.get('seconds')}, p50 {FIGURES.get('p50 ms')} ms, p95 {FIGURES.get('p95 ms')} ms "
		f"({FIGURES.get('posts')} posts, {len(steps)} a vote, from {threads} threads, {pairs} double posts, "
		f"server errors {FIGURES.get('server errors')})"
	)
	print("    " + line)
	return {"ballot load": line}


def _run(approver, admin, check, evaluation, total, pairs, threads, steps):
	issued = issue(approver, evaluation, total)
	check(len(issued) == total, f"ballot load: {total} ballots issued", str(len(issued)))
	by_category = {c: sum(1 for b in issued if b["category"] == c) for c in CATEGORIES}
	stamp = int(time.time()) % 250 + 1
	# each phone its own address in a documentation range (RFC 5737): the per-IP limits are
	# checked below by the meeting room, where every phone shares one
	room = f"198.51.100.{stamp}"
	# (ballot, twice?) — the first `pairs` ballots are posted twice at the same moment
	tasks = [(b, i < pairs) for i, b in enumerate(issued)]
	start = threading.Barrier(min(threads, len(tasks)))
	outcomes: list[tuple[str, str, list[str]]] = []
	latencies: list[float] = []
	statuses: list[int] = []
	lock = threading.Lock()
	started = [False]

	def values(i: int, ballot: dict, confirm: bool) -> dict:
		out = {
			"t": secret_of(ballot["url"]),
			"evaluation": evaluation,
			"satisfaction_vote": ("Satisfied", "Basically Satisfied", "Unsatisfied")[i % 3],
			"benefit_score": str(60 + i % 40),
			"replicability_score": str(55 + (i * 7) % 45),
			"comment": f"{fixtures.FIXTURE_PREFIX} ballot load {i}",
		}
		if confirm:
			out["confirm"] = "1"
		return out

	def one_phone(i, ballot, gate=None):
		phone = Client(None)
		said = []
		for confirm in steps:
			if confirm and gate is not None:
				gate.wait(timeout=120)
			status, text, ms = post_vote(phone, values(i, ballot, confirm), room)
			with lock:
				latencies.append(ms)
				statuses.append(status)
			said.append(f"{status}:{page_says(text)}" + (f":{USED}" if USED in text else ""))
		return said

	def act(job):
		i, (ballot, twice) = job
		if not started[0]:
			try:
				start.wait(timeout=60)
			except threading.BrokenBarrierError:
				pass
			started[0] = True
		if twice:
			gate = threading.Barrier(2)
			results = [None, None]

			def second():
				results[1] = one_phone(i, ballot, gate)

			other = threading.Thread(target=second)
			other.start()
			results[0] = one_phone(i, ballot, gate)
			other.join(timeout=180)
			with lock:
				outcomes.append((ballot["ballot"], "pair", [*(results[0] or []), *(results[1] or [])]))
		else:
			said = one_phone(i, ballot)
			with lock:
				outcomes.append((ballot["ballot"], "single", said))

	errors_before = len(STATS.server_errors)
	t0 = time.time()
	with ThreadPoolExecutor(max_workers=threads) as pool:
		list(pool.map(act, enumerate(tasks)))
	elapsed = time.time() - t0

	# --- what the phones were told
	singles = [o for o in outcomes if o[1] == "single"]
	expected = ["200:confirm", "200:thanks"][-len(steps) :]
	bad = [o for o in singles if o[2] != expected]
	check(not bad, "ballot load: every phone is thanked (asked to confirm first)", str(bad[:3]))
	races = [o for o in outcomes if o[1] == "pair"]
	check(len(races) == pairs, f"ballot load: {pairs} ballots posted twice at once", str(len(races)))
	for name, _kind, said in races:
		finals = [s for s in said if s.endswith(("thanks", f"refused:{USED}"))]
		check(
			said.count("200:confirm") == 2 * (len(steps) - 1)
			and said.count("200:thanks") == 1
			and said.count(f"200:refused:{USED}") == 1
			and len(finals) == 2,
			f"ballot load: a double post of {name} counts once, the other told it is already used",
			str(said),
		)
	check(not [s for s in statuses if s == 429], "ballot load: no post refused by the rate limit")

	# --- what is stored
	scores = (
		admin.list(SCORE, [["evaluation", "=", evaluation], ["docstatus", "=", 1]], ["name", "category"]).data
		or []
	)
	ballots = admin.list(BALLOT, [["evaluation", "=", evaluation]], ["name", "status", "used_on"]).data or []
	used = [b for b in ballots if b["status"] == "Used"]
	check(len(scores) == total, f"ballot load: exactly {total} scores stored", str(len(scores)))
	check(
		len(ballots) == total and len(used) == total and all(b["used_on"] for b in used),
		"ballot load: every ballot used, once",
		f"{len(used)} of {len(ballots)} used",
	)
	stored = {c: sum(1 for s in scores if s["category"] == c) for c in CATEGORIES}
	check(
		stored == by_category,
		"ballot load: the scores' categories are the ballots'",
		f"{stored} {by_category}",
	)
	ev = admin.doc(EVALUATION, evaluation).data or {}
	results = {r["category"]: r.get("evaluators") for r in ev.get("category_results") or []}
	check(
		ev.get("score_count") == total and ev.get("masses_count") == by_category["Masses Representative"],
		"ballot load: the evaluation counts every vote",
		f"score_count={ev.get('score_count')} masses_count={ev.get('masses_count')}",
	)
	check(
		all(results.get(c) == n for c, n in by_category.items()),
		"ballot load: the evaluation's results per category count every vote",
		str(results),
	)
	check(elapsed < 60, "ballot load: 200 votes within a minute", f"{elapsed:.1f}s")
	server_errors = STATS.server_errors[errors_before:]
	check(not server_errors, "ballot load: no server error", "; ".join(server_errors[:3]))
	FIGURES.update(
		{
			"ballots": total,
			"stored": len(scores),
			"lost": max(0, total - len(scores)),
			"duplicated": max(0, len(scores) - total),
			"seconds": round(elapsed, 1),
			"p50 ms": round(percentile(latencies, 50)),
			"p95 ms": round(percentile(latencies, 95)),
			"posts": len(latencies),
			"server errors": len(server_errors),
		}
	)


def guessing(approver: Client, admin: Client, check, evaluation: str) -> None:
	"""Wrong tokens from one address: each refused and counted, the first and the blocking
	logged (naming the address, not the tokens), then even a valid token from that address is
	refused; another address still votes. The limit (20) is the app's FAILED_LIMIT."""
	limit = 20
	r = approver.method("dangjian.ballots.issue_ballots", evaluation=evaluation, category="Cadre", count=1)
	if not check(r.ok, "guessing: a ballot issued", r.errors()[:200]):
		return
	secret = secret_of(r.message[0]["url"])
	stamp = int(time.time()) % 250 + 1
	guesser = f"192.0.2.{stamp}"
	logs = admin.list("Error Log", [["method", "like", "Dangjian ballot%"]], ["name"]).data or []
	valid = {"evaluation": evaluation, "satisfaction_vote": "Satisfied", "benefit_score": "80"}
	valid.update(replicability_score="80", confirm="1")
	wrong = []
	for i in range(limit):
		other = [c for c in "ABC" if c != secret[-1]]
		guess = secret[:-1] + other[i % 2] if i % 3 else f"{i:043d}"
		status, text, _ms = post_vote(Client(None), {**valid, "t": guess}, guesser)
		wrong.append((status, "选票链接无效" in text))
	check(
		all(w == (200, True) for w in wrong),
		f"guessing: {limit} wrong tokens each refused as invalid",
		str([w for w in wrong if w != (200, True)][:3]),
	)
	status, text, _ms = post_vote(Client(None), {**valid, "t": secret}, guesser)
	check(
		status == 200 and "过多" in text and THANKS not in text,
		"guessing: then the guesser's address is refused, even with a valid token",
		f"{status} {text[-300:]}",
	)
	after = (
		admin.list("Error Log", [["method", "like", "Dangjian ballot%"]], ["name", "method", "error"]).data
		or []
	)
	new = [e for e in after if e["name"] not in {x["name"] for x in logs}]
	check(
		len(new) == 2
		and all(guesser in e["error"] for e in new)
		and any("blocked" in e["method"] for e in new)
		and not any(secret[:-1] in e["error"] for e in new),
		"guessing: the first failure and the blocking logged with the address, no token",
		str([e["method"] for e in new]),
	)
	ballot = admin.list(BALLOT, [["evaluation", "=", evaluation], ["status", "=", "Issued"]]).data or []
	check(len(ballot) == 1, "guessing: the valid ballot is still unused", str(ballot))
	status, text, _ms = post_vote(Client(None), {**valid, "t": secret}, f"192.0.2.{stamp % 250 + 1}")
	check(THANKS in text, "guessing: from another address the ballot votes", f"{status} {text[-300:]}")


def cleanup(admin: Client, evaluation: str) -> None:
	"""The load's scores (cancelled, deleted), its ballots and the evaluation, one at a time (the
	scores of one evaluation are written under its lock: removed at once they wait and time
	out)."""
	for row in admin.list(SCORE, [["evaluation", "=", evaluation]], ["name", "docstatus"]).data or []:
		if row["docstatus"] == 1:
			admin.method("frappe.client.cancel", doctype=SCORE, name=row["name"])
		admin.remove(SCORE, row["name"])
	for row in admin.list(BALLOT, [["evaluation", "=", evaluation]], ["name"]).data or []:
		admin.remove(BALLOT, row["name"])
	admin.remove(EVALUATION, evaluation)


def leftovers(admin: Client) -> None:
	"""What an interrupted run left: a draft evaluation without scores, and its ballots."""
	for ev in admin.list(EVALUATION, [["docstatus", "=", 0], ["score_count", "=", 0]], ["name"]).data or []:
		if not admin.list(SCORE, [["evaluation", "=", ev["name"]]]).data:
			cleanup(admin, ev["name"])
