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
	project_u01 = admin.doc("Dangjian Project", targets["project:in_progress"][1]).data
	base["Dangjian Exchange Activity"] = {
		"title": "TRUST fixture exchange",
		"activity_type": "Experience Exchange",
		"activity_date": "2026-05-01",
		"organizer": "U02",
	}
	base["Dangjian Spot Check"] = {
		"approving_organization": "U01",
		"year": 2026,
		"branch": "U01-B01",
		"project": project_u01["name"],
		"check_date": "2026-05-20",
		"result": "Qualified",
	}
	# a new branch of U01 (the approver's unit), as an organisation list's row would make it
	base["Party Organization"] = {
		"organization_name": "TRUST 坏输入支部",
		"org_code": "TRUST-BAD-B01",
		"organization_type": "Branch",
		"parent_party_organization": "U01",
	}
	specials = {
		"@project_u01": project_u01["name"],
		"@project_u01_title": project_u01["project_name"],
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
		# the evaluated branch's own secretary, for the conflict-of-interest rows
		branch = admin.doc("Dangjian Evaluation", opened).data["branch"]
		specials["@evaluated_branch_secretary"] = admin.doc("Party Organization", branch).data["secretary"]
	import ballot_inputs

	try:
		if opened:
			ballot_inputs.prepare(clients, admin, targets, opened, specials)
		tried = try_rows(clients, admin, targets, check, base, specials)
	finally:
		if opened:
			ballot_inputs.cleanup(admin, clients["approver"], opened)
			admin.remove("Dangjian Evaluation", opened)
	return tried


def substitute(value, specials):
	"""The catalogue's @names replaced by the site's records, in rows of tables too."""
	if isinstance(value, dict):
		return {k: substitute(v, specials) for k, v in value.items()}
	if isinstance(value, list):
		return [substitute(v, specials) for v in value]
	return special(value, specials) if isinstance(value, str) else value


def special(value, specials):
	"""An @name's value; a callable one is made when a row first asks for it (the expired
	ballot closes its evaluation, so its row comes last)."""
	found = specials.get(value, value)
	if callable(found):
		found = specials[value] = found()
	return found


def try_rows(clients, admin, targets, check, base, specials) -> int:
	tried = 0
	with open(CATALOGUE, newline="", encoding="utf-8") as f:
		rows = list(csv.DictReader(f))
	for row in rows:
		c = clients[row["user"]]
		payload = json.loads(row["payload"])
		payload = substitute(payload, specials)
		label = f"bad input {row['id']} ({row['op']} {row['doctype']} {row['payload'][:60]})"
		tried += 1
		if row["op"] == "report":
			r = c.report(row["doctype"], payload)
			check(r.status < 500, label + ": no server error", str(r.status))
			if row["expect"] == "refuse":
				check(not r.ok, label + ": refused", str(r.status))
				check(row["fragment"] in first_message(r), label + ": message", first_message(r)[:300])
			continue
		if row["op"] in ("vote", "read", "list"):
			import ballot_inputs

			ballot_inputs.try_row(row, label, c, admin, targets, payload, specials, check)
			continue
		if row["op"] in ("count", "childlist"):
			# the row's target column names a user who does see it: the check must find something there
			reads(row, label, c, dict(payload), check, expect_nothing=True)
			reads(
				row, label + " (control: " + row["target"] + ")", clients[row["target"]], dict(payload), check
			)
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
		elif row["op"] == "delete":
			target = targets[row["target"]]
			r = c.remove(target[0], target[1])
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


def reads(row, label, client, payload, check, expect_nothing=False) -> None:
	"""A count or a child-table read outside the user's scope answers nothing: a count of 0 (a
	count must not confirm a hidden record), no rows (or a refusal) for child rows. The control
	(``expect_nothing`` false) is the same read by a user in scope, which must find it."""
	if row["op"] == "count":
		r = client.method("frappe.client.get_count", doctype=row["doctype"], filters=json.dumps(payload))
		check(r.status < 500, label + ": no server error", str(r.status))
		found = r.ok and bool(r.message)
		check(
			found != expect_nothing,
			label + (": counts nothing" if expect_nothing else ": counts it"),
			f"{r.status} {r.message}",
		)
		return
	parent = payload.pop("parenttype")
	common = {"doctype": row["doctype"], "parent": parent, "filters": json.dumps(payload)}
	for how, r in (
		(
			"REST",
			client.get(
				f"/api/resource/{row['doctype']}", parent=parent, filters=common["filters"], fields='["*"]'
			),
		),
		("get_list", client.method("frappe.client.get_list", **common, fields=["*"])),
		(
			"get_value",
			client.method("frappe.client.get_value", **common, fieldname=json.dumps(["name", "parent"])),
		),
	):
		rows = r.data if how == "REST" else r.message
		check(r.status < 500, label + f" ({how}): no server error", str(r.status))
		check(
			bool(rows) != expect_nothing,
			label + f" ({how}): " + ("no rows outside scope" if expect_nothing else "rows found"),
			str(rows)[:200],
		)


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
