"""Scheduled jobs (hooks.py ``scheduler_events``)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, cint, get_url_to_form, getdate, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_notice.dangjian_notice import NOTICE, unread_notices
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import DRAFT
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

REMINDER_EMAIL = """<p>{{ message }}</p>
<p><a href="{{ link }}">{{ link_label }}</a></p>"""


def send_application_reminders() -> int:
	"""Daily: as the application deadline nears (the reminder days before it, the deadline day
	included), remind the secretary of each branch that has applied for fewer projects this
	year than the minimum, by a notification and an e-mail — once a day per branch and
	secretary. Returns the number of reminders sent."""
	settings = get_settings()
	if not cint(settings.enable_application_reminder):
		return 0
	today = getdate(nowdate())
	deadline = rules.application_deadline(
		today.year, cint(settings.application_deadline_month), cint(settings.application_deadline_day)
	)
	days_left = (deadline - today).days
	if not 0 <= days_left <= cint(settings.application_reminder_days):
		return 0

	minimum = cint(settings.min_projects_per_branch) or 1
	applied = applied_counts(today.year)
	sent, email_failed = 0, False
	for branch in frappe.get_all(
		scope.ORG,
		filters={"organization_type": rules.BRANCH, "disabled": 0, "secretary": ("is", "set")},
		fields=["name", "organization_name", "secretary"],
		order_by="lft",
	):
		count = applied.get(branch.name, 0)
		if count >= minimum or already_reminded(branch.name, branch.secretary, today):
			continue
		try:
			remind(
				branch,
				count,
				minimum,
				today.year,
				deadline,
				unread_notices(branch.secretary, branch.name, today.year),
			)
		except frappe.OutgoingEmailError:
			# no outgoing e-mail account: the notification is made and stands on its own
			email_failed = True
		sent += 1
	if email_failed:
		frappe.log_error("Application reminders: e-mails not sent, no outgoing e-mail account")
	return sent


def applied_counts(year: int) -> dict[str, int]:
	"""branch -> number of its projects of the year that have been applied for."""
	project = frappe.qb.DocType("Dangjian Project")
	rows = (
		frappe.qb.from_(project)
		.select(project.branch, Count(project.name))
		.where(project.year == year)
		.where(project.status != DRAFT)
		.groupby(project.branch)
		.run()
	)
	return {branch: cint(count) for branch, count in rows}


def already_reminded(branch: str, user: str, day) -> bool:
	"""Whether the secretary has had this branch's reminder today."""
	return bool(
		frappe.get_all(
			"Notification Log",
			filters=[
				["for_user", "=", user],
				["type", "=", "Alert"],
				["document_type", "=", scope.ORG],
				["document_name", "=", branch],
				["creation", ">=", day],
				["creation", "<", add_days(day, 1)],
			],
			limit=1,
			ignore_permissions=True,
		)
	)


def remind(branch, count: int, minimum: int, year: int, deadline, unread: list | None = None) -> None:
	"""``unread``: the year's calls for applications (申报通知) the secretary has not read yet,
	which the reminder names."""
	subject = _(
		"{0} has applied for {1} of the {2} 党建+ projects required for {3}: the deadline is {4}."
	).format(branch.organization_name or branch.name, count, minimum, year, frappe.format(deadline, "Date"))
	if unread:
		subject += " " + _("You have not read the call for applications {0} yet.").format(
			"、".join(frappe.bold(notice.title) for notice in unread)
		)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": branch.secretary,
			"type": "Alert",
			"document_type": scope.ORG,
			"document_name": branch.name,
			"subject": subject,
		}
	).insert(ignore_permissions=True)
	message = frappe.render_template(
		REMINDER_EMAIL,
		{
			"message": subject,
			"link": get_url_to_form("Dangjian Project", "new"),
			"link_label": _("Create the application"),
		},
	) + "".join(
		f'<p><a href="{get_url_to_form(NOTICE, notice.name)}">{frappe.utils.escape_html(notice.title)}</a></p>'
		for notice in unread or ()
	)
	# after the notification, so that it stands even when the e-mail cannot be queued
	frappe.sendmail(
		recipients=[branch.secretary],
		subject=_("Reminder: the 党建+ project application deadline is {0}").format(
			frappe.format(deadline, "Date")
		),
		message=message,
		now=False,
	)
