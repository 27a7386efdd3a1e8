# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Scheduled reminders for quarterly progress reports (季度进展报告).

Every day, for each project in implementation and each quarter it reports on:

- while the report's due date is near (at most ``quarterly_reminder_days`` ahead) and the
  branch has not submitted it, the branch secretary (and the project lead, if someone else)
  is reminded;
- once the due date has passed with nothing submitted, the approvers of the project's
  approving organization (党群工作部, duty "Approver") are told which report is overdue (督办),
  and the branch is told that it is overdue.

Each message is a Notification Log (the bell in the desk) and a queued e-mail, in the
recipient's language. A user gets at most one message a day for one project and quarter:
the subject carries the quarter literally ("2026 Q3"), and a Notification Log created the
same day for the same user and project whose subject contains it stops a second one.

The queries are bounded: the candidate projects, their reports, the approvers, the
recipients and today's Notification Logs are each loaded in one query.
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import Criterion
from frappe.utils import add_days, cint, formatdate, get_url_to_form, getdate, nowdate

from dangjian import rules
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import REPORTING_STATES
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

PROJECT = "Dangjian Project"
REPORT = "Dangjian Quarterly Report"
ORG = "Party Organization"
APPROVER_DUTY = "Approver"


def daily():
	"""The scheduler's daily job."""
	send_quarterly_reminders()
	send_overdue_escalations()


def send_quarterly_reminders(today: datetime.date | str | None = None) -> int:
	"""Remind the branch of each report that falls due within the reminder window and is not
	submitted yet. Returns the number of notifications created."""
	settings = get_settings()
	if not cint(settings.enable_quarterly_reminder):
		return 0
	today = getdate(today or nowdate())
	window_end = add_days(today, cint(settings.quarterly_reminder_days))
	due_days = cint(settings.quarterly_report_due_days)

	def due_in_window(started_on: datetime.date) -> list[tuple[int, int, datetime.date]]:
		# quarters after the start quarter up to the current one (a day past the current quarter's
		# end makes the current quarter "due" for rules.quarters_due)
		after_current = rules.quarter_end(*rules.quarter_of(today)) + datetime.timedelta(days=1)
		out = []
		for year, quarter in rules.quarters_due(started_on, after_current):
			due = rules.quarterly_report_due_date(year, quarter, due_days)
			if today <= due <= getdate(window_end):
				out.append((year, quarter, due))
		return out

	pending = unsubmitted_quarters(due_in_window)
	if not pending:
		return 0

	messages = []
	for project, year, quarter, due in pending:
		for user in branch_recipients(project):
			messages.append((user, project, year, quarter, due, "reminder"))
	return deliver(messages)


def send_overdue_escalations(today: datetime.date | str | None = None) -> int:
	"""Tell the approvers of the approving organization about each report past its due date
	with nothing submitted (督办), and tell the branch it is overdue. Returns the number of
	notifications created."""
	settings = get_settings()
	if not cint(settings.enable_overdue_escalation):
		return 0
	today = getdate(today or nowdate())
	due_days = cint(settings.quarterly_report_due_days)

	def overdue(started_on: datetime.date) -> list[tuple[int, int, datetime.date]]:
		# the same rule as the ledger's overdue column; whether one was submitted is checked below
		return [
			(year, quarter, rules.quarterly_report_due_date(year, quarter, due_days))
			for year, quarter in rules.overdue_quarters(started_on, today, due_days)
		]

	pending = unsubmitted_quarters(overdue)
	if not pending:
		return 0

	approvers = approvers_of({project.approving_organization for project, *_rest in pending})
	messages = []
	for project, year, quarter, due in pending:
		for user in approvers.get(project.approving_organization, []):
			messages.append((user, project, year, quarter, due, "escalation"))
		for user in branch_recipients(project):
			messages.append((user, project, year, quarter, due, "overdue"))
	return deliver(messages)


# --- loading --------------------------------------------------------------------------------------


def candidate_projects() -> list[frappe._dict]:
	"""Projects in implementation, with their branch's secretary (one query)."""
	project = frappe.qb.DocType(PROJECT)
	branch = frappe.qb.DocType(ORG)
	return (
		frappe.qb.from_(project)
		.left_join(branch)
		.on(branch.name == project.branch)
		.select(
			project.name,
			project.project_name,
			project.branch,
			project.branch_name,
			project.approving_organization,
			project.project_lead,
			project.implementation_started_on,
			branch.secretary,
		)
		.where(project.status.isin(REPORTING_STATES))
		.where(project.implementation_started_on.isnotnull())
		.orderby(project.name)
		.run(as_dict=True)
	)


def unsubmitted_quarters(quarters_of) -> list[tuple]:
	"""(project, year, quarter, due date) for each quarter ``quarters_of(started_on)`` yields
	that has no report submitted by the branch (first_submitted_on set, not cancelled)."""
	candidates = []
	for project in candidate_projects():
		for year, quarter, due in quarters_of(getdate(project.implementation_started_on)):
			candidates.append((project, year, quarter, due))
	if not candidates:
		return []

	report = frappe.qb.DocType(REPORT)
	submitted = {
		(row.project, cint(row.year), cint(row.quarter))
		for row in frappe.qb.from_(report)
		.select(report.project, report.year, report.quarter)
		.where(report.project.isin(sorted({project.name for project, *_rest in candidates})))
		.where(report.docstatus < 2)
		.where(report.first_submitted_on.isnotnull())
		.run(as_dict=True)
	}
	return [
		(project, year, quarter, due)
		for project, year, quarter, due in candidates
		if (project.name, year, quarter) not in submitted
	]


def approvers_of(organizations: set[str]) -> dict[str, list[str]]:
	"""organization -> users with duty "Approver" in its members table (one query)."""
	organizations = sorted(org for org in organizations if org)
	if not organizations:
		return {}
	member = frappe.qb.DocType("Party Organization Member")
	out: dict[str, list[str]] = {}
	for row in (
		frappe.qb.from_(member)
		.select(member.parent, member.user)
		.where(member.parenttype == ORG)
		.where(member.parentfield == "members")
		.where(member.parent.isin(organizations))
		.where(member.duty == APPROVER_DUTY)
		.where(member.user.isnotnull())
		.where(member.user != "")
		.orderby(member.parent)
		.orderby(member.idx)
		.run(as_dict=True)
	):
		if row.user not in out.setdefault(row.parent, []):
			out[row.parent].append(row.user)
	return out


def branch_recipients(project: frappe._dict) -> list[str]:
	"""The branch secretary, and the project lead when that is someone else."""
	users = []
	for user in (project.secretary, project.project_lead):
		if user and user not in users:
			users.append(user)
	return users


def enabled_users(users: set[str]) -> dict[str, frappe._dict]:
	"""user -> e-mail and language, for the enabled ones (one query)."""
	if not users:
		return {}
	user = frappe.qb.DocType("User")
	return {
		row.name: row
		for row in frappe.qb.from_(user)
		.select(user.name, user.email, user.language)
		.where(user.name.isin(sorted(users)))
		.where(user.enabled == 1)
		.run(as_dict=True)
	}


def subjects_sent_today(users: set[str], projects: set[str]) -> dict[tuple[str, str], list[str]]:
	"""(user, project) -> subjects of the Notification Logs created for them today (one query)."""
	if not users or not projects:
		return {}
	log = frappe.qb.DocType("Notification Log")
	start = datetime.datetime.combine(getdate(nowdate()), datetime.time.min)
	out: dict[tuple[str, str], list[str]] = {}
	for row in (
		frappe.qb.from_(log)
		.select(log.for_user, log.document_name, log.subject)
		.where(log.for_user.isin(sorted(users)))
		.where(log.document_type == PROJECT)
		.where(log.document_name.isin(sorted(projects)))
		.where(Criterion.all([log.creation >= start, log.creation < start + datetime.timedelta(days=1)]))
		.run(as_dict=True)
	):
		out.setdefault((row.for_user, row.document_name), []).append(row.subject or "")
	return out


# --- sending --------------------------------------------------------------------------------------


def quarter_marker(year: int, quarter: int) -> str:
	"""The quarter as every subject spells it, whatever the language: "2026 Q3"."""
	return f"{year} Q{quarter}"


def compose(kind: str, project: frappe._dict, year: int, quarter: int, due: datetime.date, lang: str):
	"""The subject and the e-mail body of one message, in ``lang``."""
	args = (
		project.project_name or project.name,
		project.name,
		quarter_marker(year, quarter),
		formatdate(due),
		project.branch_name or project.branch,
	)
	if kind == "reminder":
		subject = _("Quarterly report due: {0} ({1}), {2}, due on {3}", lang=lang).format(*args)
		body = _(
			"The quarterly progress report of project {0} ({1}) for {2} is due on {3}. Please submit it by then.",
			lang=lang,
		).format(*args)
	elif kind == "escalation":
		subject = _("Overdue quarterly report: {0} ({1}), {2}, was due on {3}", lang=lang).format(*args)
		body = _(
			"Branch {4} has not submitted the quarterly progress report of project {0} ({1}) for {2}, due on {3}. Please follow it up.",
			lang=lang,
		).format(*args)
	else:
		subject = _("Quarterly report overdue: {0} ({1}), {2}, was due on {3}", lang=lang).format(*args)
		body = _(
			"The quarterly progress report of project {0} ({1}) for {2} was due on {3} and has not been submitted. Please submit it as soon as possible; the approver has been told.",
			lang=lang,
		).format(*args)
	message = frappe.render_template(
		'<p>{{ body|e }}</p><p><a href="{{ url|e }}">{{ link_label|e }}</a></p>',
		{
			"body": body,
			"url": get_url_to_form(PROJECT, project.name),
			"link_label": _("Open the project", lang=lang),
		},
	)
	return subject, message


def deliver(messages: list[tuple]) -> int:
	"""Create the Notification Log and queue the e-mail of each message not sent yet today.

	``messages``: (user, project, year, quarter, due date, kind)."""
	users = enabled_users({user for user, *_rest in messages})
	sent = subjects_sent_today(set(users), {project.name for _user, project, *_rest in messages})
	default_lang = frappe.db.get_default("lang") or frappe.local.lang or "en"
	count = 0
	can_mail = True
	for user, project, year, quarter, due, kind in messages:
		if user not in users:
			continue
		marker = quarter_marker(year, quarter)
		already = sent.setdefault((user, project.name), [])
		if any(marker in subject for subject in already):
			continue
		subject, message = compose(kind, project, year, quarter, due, users[user].language or default_lang)
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": PROJECT,
				"document_name": project.name,
				"subject": subject,
				"email_content": message,
			}
		).insert(ignore_permissions=True)
		if can_mail and users[user].email:
			try:
				frappe.sendmail(
					recipients=[users[user].email],
					subject=subject,
					message=message,
					reference_doctype=PROJECT,
					reference_name=project.name,
				)
			except frappe.OutgoingEmailError:
				# no outgoing e-mail account: the desk notifications still stand; say so once
				can_mail = False
				frappe.clear_last_message()
				frappe.log_error(title=_("Quarterly report reminders could not be e-mailed"))
		already.append(subject)
		count += 1
	return count
