"""Checks the permission matrix (docs/permission-matrix.csv) over HTTP, one cell at a time."""

import csv
import os
import random
import string

from client import Client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MATRIX = os.path.join(ROOT, "docs", "permission-matrix.csv")
# who may set each field, in each state, through the REST API
FIELDS = os.path.join(ROOT, "docs", "field-ownership.csv")
FIELD_COLUMNS = (
	"secretary",
	"member",
	"approver",
	"committee",
	"administrator",
	"other_approver",
	"no_scope",
	"other_secretary",
)
COLUMNS = (
	"secretary",
	"member",
	"approver",
	"committee",
	"evaluator",
	"administrator",
	"no_role",
	"no_scope",
	"other_secretary",
	"other_approver",
)
# checked only in the rows that fill them: a guest (no session) on the phone ballots' records
OPTIONAL_COLUMNS = ("guest",)

# Cells where the app does not yet behave as the matrix states: (object, action, column) -> the
# fix. They are checked and reported on every run, not counted as failures; a known failure that
# starts passing is reported so that it can be removed from this list.
KNOWN_FAILURES: dict[tuple[str, str, str], str] = {}


# the modules of the whitelisted steps a record's form calls (action "call:<method>", the record's
# name as ``name``)
METHOD_MODULES = {
	"Dangjian Ledger Import": "dangjian.dangjian.doctype.dangjian_ledger_import.dangjian_ledger_import",
}
# a create payload of its own for a target (the doctype's otherwise)
TARGET_PAYLOADS = {
	"ledger_import:company": {"doctype": "Dangjian Ledger Import", "organization": "C01"},
}


def load_matrix(path: str = MATRIX) -> list[dict]:
	with open(path, newline="", encoding="utf-8") as f:
		return list(csv.DictReader(f))


def rand(n=6) -> str:
	return "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def create_payload(doctype: str, targets: dict, target: str | None = None) -> dict:
	if target in TARGET_PAYLOADS:
		return dict(TARGET_PAYLOADS[target])
	project = targets["project:in_progress"][1]
	payloads = {
		"Party Organization": {
			"org_code": f"TRUST{rand()}",
			"organization_name": "信任测试支部",
			"organization_type": "Branch",
			"parent_party_organization": "U01",
		},
		"Dangjian Project": {
			"project_name": f"TRUST fixture probe {rand()}",
			"year": 2026,
			"branch": "U01-B01",
			"topic_area": "Grassroots Organization Building",
		},
		"Dangjian Quarterly Report": {
			"project": project,
			"year": 2026,
			"quarter": "1",
			"percent_complete": 10,
			"progress_summary": "probe",
		},
		"Dangjian Acceptance": {"project": project, "summary_report": "probe"},
		"Dangjian Evaluation": {"project": project, "evaluation_date": "2026-05-01"},
		"Dangjian Evaluation Score": {
			"evaluation": targets["evaluation"][1],
			"evaluator_name": f"probe {rand()}",
			"category": "Cadre",
			"satisfaction_vote": "Satisfied",
			"benefit_score": 80,
			"replicability_score": 80,
		},
		"Dangjian Spot Check": {
			"approving_organization": "U01",
			"year": 2026,
			"branch": "U01-B01",
			"project": project,
			"check_date": "2026-05-20",
			"result": "Qualified",
		},
		"Dangjian Commendation": {
			"title": "probe",
			"unit": "U01",
			"year": 2024,
			"document_number": f"probe {rand()}",
			"document_date": "2026-05-01",
		},
		"Dangjian Top Ten Selection": {"company": "C01", "year": 2024},
		"Dangjian Notice": {
			"title": f"probe {rand()}",
			"year": 2024,
			"organization": "U01",
			"content": "probe",
		},
		"Dangjian Ballot": {
			"evaluation": targets["evaluation"][1],
			"category": "Cadre",
			"token_hash": "0" * 64,
		},
		"Dangjian Notice Read": {
			"notice": targets["notice"][1],
			"user": "secretary5@dangjian.test",
			"read_on": "2026-01-01 08:00:00",
		},
		"Dangjian Exchange Activity": {
			"title": f"probe {rand()}",
			"activity_type": "Experience Exchange",
			"activity_date": "2026-05-01",
			"organizer": "U01",
		},
		# a ledger import for unit U01 (its department's; the company administrator's too)
		"Dangjian Ledger Import": {"organization": "U01"},
	}
	return {"doctype": doctype, **payloads[doctype]}


class Matrix:
	def __init__(self, clients: dict[str, Client], admin: Client, targets: dict, report_filters: dict):
		self.clients = clients
		self.admin = admin
		self.targets = targets
		self.report_filters = report_filters
		self.rows = load_matrix()
		self.field_rows = load_matrix(FIELDS)
		self.field_targets_run: set[str] = set()
		self.checked = 0
		self.failures: list[str] = []
		self.known: list[str] = []
		self.fixed: list[str] = []
		self.file_content: dict[str, bytes] = {}
		self.stale: set[str] = set()

	def run_target(self, key: str) -> None:
		for row in self.rows:
			if row["target"] == key:
				self.run_row(row)
		for row in self.field_rows:
			if row["target"] == key:
				self.run_field_row(row)
				self.field_targets_run.add(key)

	def run_field_row(self, row: dict) -> None:
		"""One field of one record in one state, PUT by each user: allowed (stored), denied (refused
		with a message naming the field, the record unchanged) or no (the user may not write the
		record at all: refused, unchanged)."""
		import json

		doctype, name = self.targets[row["target"]]
		field, value = row["field"], json.loads(row["value"])
		for column in FIELD_COLUMNS:
			expected = row[column].strip()
			if expected not in ("allow", "deny", "no"):
				raise ValueError(f"field cell {row['target']} {field} {column}: {expected!r}")
			before = self.admin.doc(doctype, name).data
			if str(before.get(field)) == str(value):
				# sending the stored value is no change: such a row would check nothing
				self.failures.append(
					f"field row {row['target']} {field}: {value!r} is the stored value already"
				)
				continue
			r = self.clients[column].update(doctype, name, {field: value})
			after = self.admin.doc(doctype, name).data
			self.checked += 1
			label = (
				f"field {doctype} [{row['target']}] {field}={row['value']} as {column}: expected {expected}"
			)
			stored = str(after.get(field)) == str(value) or after.get(field) == value
			if expected == "allow":
				good, detail = r.ok and stored, f"{r.status} stored={stored} {r.errors()[:200]}"
				if r.ok:
					self.admin.update(doctype, name, {field: before.get(field)})
			else:
				unchanged = after.get("modified") == before.get("modified") and after.get(
					field
				) == before.get(field)
				message = r.errors()
				named = expected == "no" or row["fragment"] in message
				good = not r.ok and r.status < 500 and unchanged and named
				detail = f"{r.status} unchanged={unchanged} named={named} {message[:200]}"
			if not good:
				self.failures.append(f"{label} — {detail}")

	def run_all_static(self) -> None:
		for key in sorted({r["target"] for r in self.rows + self.field_rows}):
			if key in self.targets or key == "report":
				self.run_target(key)

	def run_row(self, row: dict) -> None:
		for column in COLUMNS + OPTIONAL_COLUMNS:
			expected = (row.get(column) or "").strip()
			if column in OPTIONAL_COLUMNS and not expected:
				continue
			if expected not in ("allow", "deny"):
				raise ValueError(f"matrix cell {row['object']} {row['action']} {column}: {expected!r}")
			got, detail = self.check(row, column)
			if got == "stale":
				continue
			self.checked += 1
			label = f"{row['object']} [{row['target']}] {row['action']} as {column}: expected {expected}, got {got}"
			key = (row["object"], row["action"], column)
			if got == expected:
				if key in KNOWN_FAILURES:
					self.fixed.append(label)
				continue
			if key in KNOWN_FAILURES:
				self.known.append(f"{label} ({KNOWN_FAILURES[key]})")
			else:
				self.failures.append(f"{label} — {detail[:300]}")

	def check(self, row: dict, column: str) -> tuple[str, str]:
		c = self.clients[column]
		action = row["action"]
		if row["target"] == "report":
			return self.check_report(c, row["object"], column)
		doctype, name = self.targets[row["target"]]
		if action == "read":
			r = c.doc(doctype, name)
			return ("allow" if r.ok and r.data and r.data.get("name") == name else "deny"), r.errors()
		if action == "list":
			r = c.list(doctype, [["name", "=", name]])
			seen = r.ok and any(d.get("name") == name for d in r.data or [])
			return ("allow" if seen else "deny"), r.errors()
		if action == "create":
			r = c.insert(create_payload(doctype, self.targets, row["target"]))
			if r.ok and r.data:
				self.admin.remove(doctype, r.data["name"])
			return ("deny" if r.denied else "allow"), r.errors()
		if action in ("write", "delete", "submit", "cancel"):
			r = c.has_permission(doctype, name, action)
			granted = r.ok and (r.message or {}).get("has_permission")
			return ("allow" if granted else "deny"), r.errors()
		if action == "print":
			r = c.get("/printview", doctype=doctype, name=name)
			return ("allow" if r.status == 200 else "deny"), r.text[:200]
		if action == "download":
			r = c.get(name)
			good = r.status == 200 and r.content == self.file_content.get(name)
			return ("allow" if good else "deny"), f"{r.status}"
		if action.startswith("call:"):
			return self.check_call(c, doctype, name, action[5:])
		if action.startswith("wf:"):
			r = c.transitions(doctype, name)
			actions = {t.get("action") for t in (r.message or [])} if r.ok else set()
			return ("allow" if action[3:] in actions else "deny"), r.errors()
		raise ValueError(f"unknown action {action}")

	def check_call(self, c: Client, doctype: str, name: str, method: str) -> tuple[str, str]:
		"""A whitelisted step of the record, called as its form's button calls it. allow: the call
		got past the permission checks (the step may still refuse for the record's state — a draft
		import has no workbook to check, nothing to import or undo); deny: refused as not
		permitted. Either way the record must stay as it was (the probes are drafts), and a
		server error is neither."""
		before = self.admin.doc(doctype, name).data or {}
		r = c.method(f"{METHOD_MODULES[doctype]}.{method}", name=name)
		after = self.admin.doc(doctype, name).data or {}
		if r.status >= 500:
			return f"server error {r.status}", r.errors()
		if after.get("modified") != before.get("modified"):
			return "changed", f"{name} was changed by the probe: {r.status} {r.errors()[:200]}"
		return ("deny" if r.denied else "allow"), f"{r.status} {r.errors()[:200]}"

	def check_report(self, c: Client, report: str, column: str) -> tuple[str, str]:
		r = c.report(report, self.report_filters.get(report, {}))
		if r.status == 404 and self.admin.doc("Report", report).ok:
			# the Report exists on the site, yet the server answers 404: the web server runs code
			# older than the site (a long-running dev server); not a permission outcome
			self.stale.add(report)
			return "stale", "report module not loaded by the web server"
		if r.denied or not r.ok:
			return "deny", r.errors()
		rows = (r.message or {}).get("result") or []
		# an app user with no scope "sees nothing": for them a report with no rows counts as refused
		if column == "no_scope" and not rows:
			return "deny", "0 rows"
		return "allow", f"{len(rows)} rows"
