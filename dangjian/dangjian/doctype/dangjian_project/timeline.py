"""The project's whole history in order — application, reviews, plan, quarterly reports,
acceptance attempts, evaluation, commendation, Top Ten — each with who and when. A fixed
number of queries."""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate


@frappe.whitelist()
def get_project_timeline(project: str) -> list[dict]:
	doc = frappe.get_doc("Dangjian Project", project)
	doc.check_permission("read")
	events = []

	def add(when, event, who=None, doctype=None, name=None):
		if when:
			events.append(
				{"date": getdate(when), "event": event, "who": who, "doctype": doctype, "name": name}
			)

	add(doc.creation, _("Application drafted"), doc.owner)
	add(doc.applied_on, _("Applied for approval"), doc.applied_by)
	add(doc.returned_on, _("Returned to the branch: {0}").format(doc.return_reason or ""), doc.returned_by)
	add(doc.reviewed_on, _("Reviewed by the Party-Masses Work Department"), doc.reviewed_by)
	add(doc.approved_on, _("Approved and filed as {0}").format(doc.filing_number or ""), doc.approved_by)
	add(doc.implementation_started_on, _("Implementation started"))
	for row in frappe.get_all(
		"Dangjian Quarterly Report",
		filters={"project": project, "docstatus": ("<", 2)},
		fields=[
			"name",
			"year",
			"quarter",
			"first_submitted_on",
			"submitted_by",
			"is_late",
			"reviewed_on",
			"reviewed_by",
		],
	):
		late = _(" (late)") if row.is_late else ""
		add(
			row.first_submitted_on,
			_("Quarterly report {0} Q{1} submitted{2}").format(row.year, row.quarter, late),
			row.submitted_by,
			"Dangjian Quarterly Report",
			row.name,
		)
		add(
			row.reviewed_on,
			_("Quarterly report {0} Q{1} reviewed").format(row.year, row.quarter),
			row.reviewed_by,
			"Dangjian Quarterly Report",
			row.name,
		)
	for row in frappe.get_all(
		"Dangjian Acceptance",
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
	):
		add(
			row.applied_on,
			_("Acceptance {0} applied for").format(row.attempt_no),
			row.applied_by,
			"Dangjian Acceptance",
			row.name,
		)
		if row.docstatus == 1:
			add(
				row.concluded_on,
				_("Acceptance {0}: {1}").format(
					row.attempt_no, _(row.conclusion, context="Dangjian Acceptance")
				),
				row.concluded_by,
				"Dangjian Acceptance",
				row.name,
			)
	for row in frappe.get_all(
		"Dangjian Evaluation",
		filters={"project": project, "docstatus": 1},
		fields=["name", "evaluation_date", "evaluated_by", "stars", "grade"],
	):
		add(
			row.evaluation_date,
			_("Evaluated: {0} stars, {1}").format(row.stars, _(row.grade, context="Dangjian Project")),
			row.evaluated_by,
			"Dangjian Evaluation",
			row.name,
		)
	if doc.commendation:
		commendation = frappe.db.get_value(
			"Dangjian Commendation",
			doc.commendation,
			["document_date", "document_number", "owner"],
			as_dict=True,
		)
		if commendation:
			add(
				commendation.document_date,
				_("Commended by {0}").format(commendation.document_number),
				commendation.owner,
				"Dangjian Commendation",
				doc.commendation,
			)
	if doc.top_ten_selection:
		selection = frappe.db.get_value(
			"Dangjian Top Ten Selection", doc.top_ten_selection, ["modified", "owner"], as_dict=True
		)
		if selection:
			add(
				selection.modified,
				_("Selected for the company Top Ten"),
				selection.owner,
				"Dangjian Top Ten Selection",
				doc.top_ten_selection,
			)
	events.sort(key=lambda e: (e["date"], get_datetime(e["date"])))
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
		event["who_name"] = names.get(event["who"], event["who"] or "")
	return events
