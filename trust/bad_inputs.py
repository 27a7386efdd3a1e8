"""The bad-input catalogue (docs/bad-inputs.csv) through the REST API: each refusal leaves the
affected table unchanged (count and latest modified compared before and after); SQL-looking
report filters give no server error and no rows outside scope; markup is never rendered live."""

import csv
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUE = os.path.join(ROOT, "docs", "bad-inputs.csv")


def first_message(r) -> str:
	"""The message the user is shown (the first server message, tags removed), else the error."""
	import re

	body = r.json or {}
	try:
		messages = [
			json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")
		]
	except (ValueError, TypeError, AttributeError):
		messages = []
	text = messages[0] if messages else (body.get("exception") or body.get("message") or r.text[:500])
	return re.sub(r"<[^>]+>", "", str(text))


def snapshot(admin, doctype):
	if doctype == "Dangjian Settings":
		return json.dumps(admin.doc(doctype, doctype).data, sort_keys=True, default=str)
	r = admin.get(
		f"/api/resource/{doctype}",
		fields=json.dumps(["count(name) as n", "max(modified) as m"]),
		limit_page_length=1,
	)
	return json.dumps(r.data)


def run(clients, admin, targets, check):
	year = 2026
	base = {
		"Dangjian Quarterly Report": {
			"project": targets["project:in_progress"][1],
			"year": year,
			"quarter": "4",
			"percent_complete": 30,
			"progress_summary": "TRUST fixture bad input",
		},
		"Dangjian Evaluation Score": {
			"evaluation": targets["evaluation"][1],
			"evaluator_name": "TRUST probe",
			"category": "Cadre",
			"satisfaction_vote": "Satisfied",
			"benefit_score": 80,
			"replicability_score": 80,
		},
		"Dangjian Project": {
			"project_name": "TRUST fixture bad",
			"year": year,
			"branch": "U01-B01",
			"topic_area": "Grassroots Organization Building",
		},
	}
	specials = {
		"@project_u02": admin.list("Dangjian Project", [["branch", "=", "U02-B01"]]).data[0]["name"],
		"@project_draft": (
			admin.list("Dangjian Project", [["status", "=", "Draft"]]).data or [{"name": "x"}]
		)[0]["name"],
		"@oversized": "长" * 200000,
	}
	# scores are tried against an evaluation still open for scoring (a concluded one refuses
	# every score for that reason alone); it is removed afterwards
	import load

	approver = clients["approver"]
	opened = load.open_evaluation({approver.user: approver}, admin, approver.user)
	if opened:
		base["Dangjian Evaluation Score"]["evaluation"] = opened
	try:
		tried = try_rows(clients, admin, targets, check, base, specials)
	finally:
		if opened:
			admin.remove("Dangjian Evaluation", opened)
	return tried


def try_rows(clients, admin, targets, check, base, specials) -> int:
	tried = 0
	with open(CATALOGUE, newline="", encoding="utf-8") as f:
		rows = list(csv.DictReader(f))
	for row in rows:
		c = clients[row["user"]]
		payload = json.loads(row["payload"])
		payload = {k: specials.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
		label = f"bad input {row['id']} ({row['op']} {row['doctype']} {row['payload'][:60]})"
		tried += 1
		if row["op"] == "report":
			r = c.report(row["doctype"], payload)
			check(r.status < 500, label + ": no server error", str(r.status))
			continue
		doctype = row["doctype"]
		if row["expect"] == "markup":
			markup(row, label, c, admin, base, payload, check)
			continue
		before = snapshot(admin, doctype)
		if row["op"] == "insert":
			r = c.insert({"doctype": doctype, **base[doctype], **payload})
			if r.ok and r.data:
				admin.remove(doctype, r.data["name"])
		else:
			target = targets[row["target"]]
			r = c.update(target[0], target[1], payload)
		after = snapshot(admin, doctype)
		check(not r.ok and r.status < 500, label + ": refused", f"{r.status} {r.errors()[:200]}")
		check(before == after, label + ": database unchanged", f"{before} -> {after}")
		if os.environ.get("TRUST_SHOW_MESSAGES"):
			print(f"    {row['id']}: {first_message(r)}")
		check(bool(row["fragment"]), label + ": the catalogue states the expected message")
		if row["fragment"]:
			check(row["fragment"] in first_message(r), label + ": message", first_message(r)[:300])
	return tried


LIVE = ("<script", "onerror=", "onload=", "javascript:", "<iframe")
REPORT_FOR = {
	"Dangjian Project": "Dangjian Project Ledger",
	"Dangjian Quarterly Report": "Dangjian Quarterly Progress",
}


def markup(row, label, client, admin, base, payload, check) -> None:
	"""Markup in a text is stored without live parts (Frappe's sanitizer) and never rendered live:
	not in the stored value, not in any print format named in the row's target, not in the report
	that lists the record."""
	doctype = row["doctype"]
	# a fresh draft of the user's own (an applied project's text is frozen, correctly refused)
	r = client.insert({"doctype": doctype, **base[doctype], **payload})
	check(r.ok, label + ": stored", r.errors()[:200])
	name = r.data["name"] if r.ok and r.data else None
	if not name:
		return
	try:
		stored = admin.doc(doctype, name).data or {}
		for field in payload:
			value = str(stored.get(field) or "")
			check(
				not any(x in value.lower() for x in LIVE),
				label + f": {field} stored without live markup",
				value[:200],
			)
		for fmt in [f for f in row["target"].split(";") if f] + ["Standard"]:
			page = admin.get("/printview", doctype=doctype, name=name, format=fmt)
			text = page.text.lower()
			check(
				page.status == 200 and "<script>alert" not in text and "onerror=alert" not in text,
				label + f": never rendered live in print format {fmt}",
				str(page.status),
			)
		report = REPORT_FOR.get(doctype)
		if report:
			rr = client.report(report, {"year": stored.get("year")})
			text = json.dumps((rr.message or {}).get("result"), ensure_ascii=False).lower()
			check(
				rr.ok and "<script" not in text and "onerror=" not in text,
				label + f": no live markup in the report {report}",
				rr.errors()[:200],
			)
	finally:
		admin.remove(doctype, name)
