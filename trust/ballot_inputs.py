"""The phone ballots' rows of the bad-input catalogue (docs/bad-inputs.csv), over HTTP.

``vote``: a guest posts the voting page's form (confirmed) to ``dangjian.ballots.vote`` with
the row's values over a valid vote; the page must show the refusal (the row's Chinese
fragment) and nothing may change: no score, every ballot as it was (status and day of use).
``read`` / ``list``: a guest reads or lists a record of the row's doctype (``target`` names it):
refused with the message, nothing shown.

The tokens: ``@token_fresh`` (an unused ballot of the open evaluation, never used by a row),
``@token_used`` (used once here before the rows), ``@token_tampered`` (the fresh one with one
character changed), ``@token_forged`` (random, of the right length), ``@token_expired`` (an
unused ballot whose evaluation is concluded: made when its row, the last, asks for it)."""

import json
import secrets
import time
from urllib.parse import parse_qs, urlsplit

from client import Client

VOTE = "/api/method/dangjian.ballots.vote"
BALLOT = "Dangjian Ballot"
SCORE = "Dangjian Evaluation Score"
EVALUATION = "Dangjian Evaluation"
THANKS = "感谢您的投票"
# the rows' failed lookups count against this address only (a documentation range, RFC 5737)
ADDRESS = f"203.0.113.{int(time.time()) % 250 + 1}"
HEADERS = {"Accept": "text/html", "Accept-Language": "zh-CN,zh", "X-Forwarded-For": ADDRESS}
VALID = {"satisfaction_vote": "Satisfied", "benefit_score": "80", "replicability_score": "70", "confirm": "1"}
# the paper ballots that complete the panel before the evaluation is concluded
PANEL = (("Masses Representative", 2), ("Cadre", 3))


def secret_of(url: str) -> str:
	return parse_qs(urlsplit(url).query)["t"][0]


def post(values: dict):
	return Client(None).request("POST", VOTE, data=values, headers=HEADERS)


def prepare(clients: dict, admin: Client, targets: dict, evaluation: str, specials: dict) -> None:
	approver = clients["approver"]
	r = approver.method("dangjian.ballots.issue_ballots", evaluation=evaluation, category="Cadre", count=3)
	if not r.ok:
		raise RuntimeError(f"the approver cannot issue ballots: {r.errors()[:300]}")
	fresh, used, expiring = (secret_of(b["url"]) for b in r.message)
	done = post({"t": used, "evaluation": evaluation, **VALID})
	if THANKS not in done.text:
		raise RuntimeError(f"a ballot cannot vote: {done.status} {done.text[:300]}")
	changed = "A" if fresh[5] != "A" else "B"
	specials.update(
		{
			"@evaluation_open": evaluation,
			"@evaluation_other": targets["evaluation"][1],
			"@token_fresh": fresh,
			"@token_used": used,
			"@token_tampered": fresh[:5] + changed + fresh[6:],
			"@token_forged": secrets.token_urlsafe(32),
			"@token_empty": "",
			"@comment_too_long": "意" * 1001,
			"@token_expired": lambda: conclude(approver, evaluation, expiring),
		}
	)


def conclude(approver: Client, evaluation: str, token: str) -> str:
	"""The open evaluation's panel completed with paper ballots and the evaluation submitted:
	its unused ballot ``token`` has expired."""
	for category, count in PANEL:
		for i in range(count):
			r = approver.insert(
				{
					"doctype": SCORE,
					"evaluation": evaluation,
					"evaluator_name": f"TRUST fixture panel {category} {i}",
					"category": category,
					"satisfaction_vote": "Satisfied",
					"benefit_score": 80,
					"replicability_score": 80,
				}
			)
			if r.ok:
				r = approver.method("frappe.client.submit", doc=r.data)
			if not r.ok:
				raise RuntimeError(f"cannot complete the panel: {r.errors()[:300]}")
	doc = approver.doc(EVALUATION, evaluation)
	r = approver.method("frappe.client.submit", doc=doc.data)
	if not r.ok:
		raise RuntimeError(f"cannot conclude the evaluation: {r.errors()[:300]}")
	return token


def snapshot(admin: Client) -> str:
	scores = admin.get(
		f"/api/resource/{SCORE}",
		fields=json.dumps(["count(name) as n", "max(modified) as m"]),
		limit_page_length=1,
	).data
	ballots = admin.list(BALLOT, None, ["name", "status", "used_on"]).data
	return json.dumps([scores, sorted(ballots or [], key=lambda b: b["name"])], sort_keys=True)


def try_row(row, label, client, admin, targets, payload, specials, check) -> None:
	if row["op"] in ("read", "list"):
		doctype, name = targets[row["target"]]
		r = client.doc(doctype, name) if row["op"] == "read" else client.list(row["doctype"])
		from bad_inputs import first_message

		check(r.status < 500, label + ": no server error", str(r.status))
		check(
			not r.ok and r.denied and not r.data,
			label + ": refused, nothing shown",
			f"{r.status} {r.text[:200]}",
		)
		check(row["fragment"] in first_message(r), label + ": message", first_message(r)[:300])
		return
	values = {"evaluation": specials.get("@evaluation_open"), **VALID, **payload}
	before = snapshot(admin)
	r = post(values)
	after = snapshot(admin)
	check(r.status < 500, label + ": no server error", str(r.status))
	check(
		"dj-vote-error" in r.text and THANKS not in r.text,
		label + ": refused on the page",
		f"{r.status} {r.text[:200]}",
	)
	check(bool(row["fragment"]), label + ": the catalogue states the expected message")
	check(row["fragment"] in r.text, label + ": message", _alert(r.text))
	check(
		before == after,
		label + ": nothing written (no score, the ballots as they were)",
		f"{before[:200]} -> {after[:200]}",
	)


def _alert(text: str) -> str:
	import re

	found = re.search(r'role="alert">([^<]*)', text)
	return found.group(1) if found else text[:300]


def cleanup(admin: Client, approver: Client, evaluation: str) -> None:
	"""The open evaluation back to a removable draft's state: concluded → cancelled, its scores
	cancelled and removed, its ballots removed (the caller removes the evaluation)."""
	doc = admin.doc(EVALUATION, evaluation).data or {}
	if doc.get("docstatus") == 1:
		approver.method("frappe.client.cancel", doctype=EVALUATION, name=evaluation)
	for row in admin.list(SCORE, [["evaluation", "=", evaluation]], ["name", "docstatus"]).data or []:
		if row["docstatus"] == 1:
			admin.method("frappe.client.cancel", doctype=SCORE, name=row["name"])
		admin.remove(SCORE, row["name"])
	for row in admin.list(BALLOT, [["evaluation", "=", evaluation]], ["name"]).data or []:
		admin.remove(BALLOT, row["name"])
