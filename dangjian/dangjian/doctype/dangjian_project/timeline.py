# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The project's whole history in order — application, returns, reviews, approval, the plan
and the start of implementation, spot check, quarterly reports, acceptance attempts,
evaluation, commendation, Top Ten — each with who and when and a link to its document.

Built from the project's own fields (applied_*, reviewed_*, approved_*, returned_*,
implementation_started_on), the Workflow comments Frappe adds at each workflow action (on the
project, its quarterly reports and its acceptances: they give the exact time and the actor,
and the steps the fields keep only the last of, such as a second return) and the linked
documents. A fixed number of queries whatever the length of the history."""

import json
from datetime import datetime
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, strip_html

PROJECT = "Dangjian Project"
REPORT = "Dangjian Quarterly Report"
ACCEPTANCE = "Dangjian Acceptance"
EVALUATION = "Dangjian Evaluation"
SPOT_CHECK = "Dangjian Spot Check"
COMMENDATION = "Dangjian Commendation"
TOP_TEN = "Dangjian Top Ten Selection"
RETURNED = "Returned"
# project states the linked documents set (their events tell the story): their Workflow
# comments on the project are not events of their own
LINKED_STATES = ("Acceptance Applied", "Under Assistance", "Adjusting", "Accepted", "Evaluated")

# the order of events of one day that carry no time
STAGE = {
	"drafted": 0,
	"applied": 10,
	"returned": 20,
	"reviewed": 30,
	"approved": 40,
	"spot_check": 45,
	"started": 50,
	"report": 60,
	"acceptance": 70,
	"evaluation_opened": 80,
	"evaluated": 85,
	"commended": 90,
	"top_ten": 95,
	"other": 99,
}


def document_link(doctype: str | None, name: str | None) -> str | None:
	if not doctype or not name:
		return None
	return f"/app/{quote(doctype.lower().replace(' ', '-'))}/{quote(name)}"


class History:
	def __init__(self):
		self.events: list[dict] = []

	def add(
		self,
		when,
		event: str,
		who: str | None = None,
		doctype: str | None = None,
		name: str | None = None,
		stage: str = "other",
		state: str | None = None,
	) -> dict | None:
		if not when:
			return None
		# a Date field gives a day, a Datetime (creation, a comment) the moment
		timed = isinstance(when, datetime) or (isinstance(when, str) and len(when) > 10)
		at = get_datetime(when) if timed else None
		row = {
			"date": getdate(when),
			"at": at,
			"event": event,
			"who": who,
			"doctype": doctype,
			"name": name,
			"link": document_link(doctype, name),
			"_stage": STAGE[stage],
			"_state": state,
		}
		self.events.append(row)
		return row

	def match(self, doctype: str, name: str, state: str, when: datetime) -> dict | None:
		"""The event a Workflow comment records, if the fields gave it already."""
		for row in self.events:
			if (
				row["doctype"] == doctype
				and row["name"] == name
				and row["_state"] == state
				and row["date"] == when.date()
				and row["at"] is None
			):
				return row
		return None

	def ordered(self) -> list[dict]:
		# a day's events with a time come first, in time order, then the others by stage
		self.events.sort(key=lambda e: (e["date"], 0 if e["at"] else 1, e["at"] or datetime.min, e["_stage"]))
		for row in self.events:
			row.pop("_stage")
			row.pop("_state")
		return self.events


def state_names(doctype: str) -> dict[str, str]:
	"""A Workflow comment holds the new state as the actor's language showed it: map back."""
	field = frappe.get_meta(doctype).get_field("status")
	out = {}
	for state in (field.options or "").split("\n") if field else []:
		if state:
			for lang in {"en", "zh", getattr(frappe.local, "lang", None) or "en"}:
				out[_(state, lang=lang)] = state
				out[_(state, lang=lang, context=doctype)] = state
			out[state] = state
	return out


@frappe.whitelist()
@frappe.read_only()
def get_project_timeline(project: str) -> list[dict]:
	"""Rows of ``date``, ``at`` (the time, when known), ``event``, ``who`` / ``who_name``,
	``doctype`` / ``name`` / ``link`` of the document, oldest first."""
	doc = frappe.get_doc(PROJECT, project)
	doc.check_permission("read")
	history = History()
	add_project_events(history, doc)
	reports = add_report_events(history, project)
	acceptances = add_acceptance_events(history, project)
	add_workflow_comments(history, doc, reports, acceptances)
	add_return_reasons(history, doc)
	add_evaluation_events(history, project)
	add_spot_check_events(history, project)
	add_incentive_events(history, doc)
	events = history.ordered()
	set_user_names(events)
	for row in events:
		row["at"] = str(row["at"]) if row["at"] else None
	return events


def add_project_events(history: History, doc) -> None:
	"""The steps the project's own fields date: (when, event, who, stage, state). A project
	imported from an earlier ledger says so: its earlier steps are the ledger's, dated as it has
	them with no one named, and the import is an event of its own (who imported it, when)."""
	imported = bool(doc.get("ledger_import"))
	steps = [
		(doc.creation, _("Application drafted"), doc.owner, "drafted", None),
		(doc.applied_on, _("Applied for approval"), doc.applied_by, "applied", "Applied"),
	]
	if imported:
		steps[0] = (
			doc.creation,
			_("Imported as {0} from the earlier ledger {1} (row {2}, import {3})").format(
				_(doc.status, context=PROJECT),
				doc.import_source_file or "",
				doc.import_source_row or "",
				doc.ledger_import,
			),
			doc.owner,
			"other",
			None,
		)
	if doc.last_applied_on and str(doc.last_applied_on) != str(doc.applied_on):
		steps.append(
			(doc.last_applied_on, _("Applied again after the return"), doc.applied_by, "applied", "Applied")
		)
	steps += [
		(doc.returned_on, _("Returned to the branch"), doc.returned_by, "returned", RETURNED),
		(
			doc.reviewed_on,
			_("Reviewed by the Party-Masses Work Department"),
			doc.reviewed_by,
			"reviewed",
			"Reviewed",
		),
		(
			doc.approved_on,
			_("Approved and filed as {0}").format(doc.filing_number or "")
			if doc.filing_number or not imported
			else _("Approved and filed"),
			doc.approved_by,
			"approved",
			"Approved",
		),
	]
	if doc.implementation_started_on:
		deadline = frappe.format(doc.completion_deadline, "Date") if doc.completion_deadline else "—"
		steps.append(
			(
				doc.implementation_started_on,
				_("Implementation started")
				if imported
				else _(
					"Implementation plan of {0} steps completed, implementation started (deadline {1})"
				).format(len(doc.plan_steps), deadline),
				None,
				"started",
				"In Progress",
			)
		)
	if imported and doc.accepted_on:
		steps.append((doc.accepted_on, _("Acceptance passed"), None, "acceptance", None))
	for index, (when, event, who, stage, state) in enumerate(steps):
		if imported and index:
			event = _("{0} (in the earlier ledger)").format(event)
		history.add(when, event, who, PROJECT, doc.name, stage=stage, state=state)


def report_title(row) -> str:
	return _("Quarterly report {0} Q{1}").format(row.year, row.quarter)


def add_report_events(history: History, project: str) -> list:
	rows = frappe.get_all(
		REPORT,
		filters={"project": project},
		fields=[
			"name",
			"year",
			"quarter",
			"docstatus",
			"first_submitted_on",
			"submitted_by",
			"is_late",
			"reviewed_on",
			"reviewed_by",
			"ledger_import",
		],
	)
	for row in rows:
		r = (REPORT, row.name)
		submitted = (
			_("{0} submitted late").format(report_title(row))
			if row.is_late
			else _("{0} submitted").format(report_title(row))
		)
		history.add(
			row.first_submitted_on,
			_("{0} (in the earlier ledger)").format(submitted) if row.ledger_import else submitted,
			row.submitted_by,
			*r,
			stage="report",
			state="Submitted",
		)
		history.add(
			row.reviewed_on,
			_("{0} reviewed").format(report_title(row)),
			row.reviewed_by,
			*r,
			stage="report",
			state="Reviewed",
		)
	return rows


def add_acceptance_events(history: History, project: str) -> list:
	rows = frappe.get_all(
		ACCEPTANCE,
		filters={"project": project},
		fields=[
			"name",
			"attempt_no",
			"applied_on",
			"applied_by",
			"concluded_on",
			"concluded_by",
			"conclusion",
			"docstatus",
		],
	)
	for row in rows:
		a = (ACCEPTANCE, row.name)
		history.add(
			row.applied_on,
			_("Acceptance {0} applied for").format(row.attempt_no),
			row.applied_by,
			*a,
			stage="acceptance",
			state="Applied",
		)
		if row.docstatus == 1 and row.conclusion:
			history.add(
				row.concluded_on,
				_("Acceptance {0}: {1}").format(row.attempt_no, _(row.conclusion, context=ACCEPTANCE)),
				row.concluded_by,
				*a,
				stage="acceptance",
				state=row.conclusion,
			)
	return rows


def add_workflow_comments(history: History, doc, reports: list, acceptances: list) -> None:
	"""Each workflow action leaves a Workflow comment: it gives the time and actor of an event
	the fields recorded, and is an event of its own otherwise (a second return, a re-submission,
	a cancellation)."""
	titles = {(PROJECT, doc.name): None}
	titles.update({(REPORT, r.name): report_title(r) for r in reports})
	titles.update({(ACCEPTANCE, a.name): _("Acceptance {0}").format(a.attempt_no) for a in acceptances})
	comments = frappe.get_all(
		"Comment",
		filters={
			"comment_type": "Workflow",
			"reference_doctype": ("in", [PROJECT, REPORT, ACCEPTANCE]),
			"reference_name": ("in", [name for _doctype, name in titles]),
		},
		fields=["reference_doctype", "reference_name", "content", "owner", "creation"],
		order_by="creation asc",
	)
	states = {doctype: state_names(doctype) for doctype in (PROJECT, REPORT, ACCEPTANCE)}
	for comment in comments:
		key = (comment.reference_doctype, comment.reference_name)
		if key not in titles:
			continue
		text = strip_html(comment.content or "").strip()
		state = states[comment.reference_doctype].get(text, text)
		if key[0] == PROJECT and state in LINKED_STATES:
			continue
		when = get_datetime(comment.creation)
		row = history.match(*key, state, when)
		if row:
			row["at"] = when
			row["who"] = row["who"] or comment.owner
			continue
		label = _(state, context=comment.reference_doctype)
		title = titles[key]
		history.add(
			when,
			_("{0}: {1}").format(title, label) if title else _("Status changed to {0}").format(label),
			comment.owner,
			*key,
			stage="report" if key[0] == REPORT else "acceptance" if key[0] == ACCEPTANCE else "other",
			state=state,
		)


def add_return_reasons(history: History, doc) -> None:
	"""Each return with the reason given: a later review clears the reason field, the
	document's version history keeps every one."""
	# always the one query, returns or not: a fixed number of queries
	keys = {(e["doctype"], e["name"]) for e in history.events if e["_state"] == RETURNED} or {
		(PROJECT, doc.name)
	}
	reasons: dict[tuple, str] = {}
	for row in frappe.get_all(
		"Version",
		filters={
			"ref_doctype": ("in", list({doctype for doctype, _name in keys})),
			"docname": ("in", list({name for _doctype, name in keys})),
		},
		fields=["ref_doctype", "docname", "data", "creation"],
		order_by="creation asc",
	):
		try:
			changed = json.loads(row.data or "{}").get("changed") or []
		except ValueError:
			continue
		for change in changed:
			if len(change) == 3 and change[0] == "return_reason" and change[2]:
				reasons[(row.ref_doctype, row.docname, getdate(row.creation))] = strip_html(change[2]).strip()
	for event in history.events:
		if event["_state"] != RETURNED:
			continue
		reason = reasons.get((event["doctype"], event["name"], event["date"]))
		if not reason and event["doctype"] == PROJECT and str(event["date"]) == str(doc.returned_on):
			reason = doc.return_reason
		if reason:
			event["event"] = _("{0}, reason: {1}").format(event["event"], reason)


def add_evaluation_events(history: History, project: str) -> None:
	for row in frappe.get_all(
		EVALUATION,
		filters={"project": project, "docstatus": ("<", 2)},
		fields=[
			"name",
			"creation",
			"owner",
			"docstatus",
			"evaluation_date",
			"evaluated_by",
			"stars",
			"grade",
		],
	):
		e = (EVALUATION, row.name)
		history.add(row.creation, _("Evaluation opened"), row.owner, *e, stage="evaluation_opened")
		if row.docstatus == 1:
			history.add(
				row.evaluation_date,
				_("Evaluated: {0} stars, {1}").format(row.stars, _(row.grade, context=PROJECT)),
				row.evaluated_by,
				*e,
				stage="evaluated",
			)


def add_spot_check_events(history: History, project: str) -> None:
	for row in frappe.get_all(
		SPOT_CHECK,
		filters={"project": project, "docstatus": 1},
		fields=["name", "check_date", "checked_by", "result"],
	):
		history.add(
			row.check_date,
			_("Application spot-checked: {0}").format(_(row.result, context=SPOT_CHECK)),
			row.checked_by,
			SPOT_CHECK,
			row.name,
			stage="spot_check",
		)


def add_incentive_events(history: History, doc) -> None:
	if doc.commendation:
		commendation = frappe.db.get_value(
			COMMENDATION, doc.commendation, ["document_date", "document_number", "owner"], as_dict=True
		)
		if commendation:
			history.add(
				commendation.document_date,
				_("Commended by {0}").format(commendation.document_number),
				commendation.owner,
				COMMENDATION,
				doc.commendation,
				stage="commended",
			)
	if doc.top_ten_selection:
		selection = frappe.db.get_value(TOP_TEN, doc.top_ten_selection, ["modified", "owner"], as_dict=True)
		if selection:
			history.add(
				getdate(selection.modified),
				_("Selected for the company Top Ten"),
				selection.owner,
				TOP_TEN,
				doc.top_ten_selection,
				stage="top_ten",
			)


def set_user_names(events: list[dict]) -> None:
	users = {e["who"] for e in events if e["who"]}
	names = (
		dict(
			frappe.get_all(
				"User", filters={"name": ("in", list(users))}, fields=["name", "full_name"], as_list=True
			)
		)
		if users
		else {}
	)
	for event in events:
		event["who_name"] = names.get(event["who"]) or event["who"] or ""
