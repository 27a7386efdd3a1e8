# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The annual call for applications (申报通知).

The company's administrator or a unit's Party-Masses Work Department (党群工作部) writes it for a
year (the text, the application deadline from the settings, attachments) and publishes it by
submitting it. Its recipients are the secretaries of the branches below the publishing
organization: they hear of it in the bell once, on publishing, and see it on the workspace. When a
recipient opens it, the server records that they read it and when (``Dangjian Notice Read``, one
record per notice and user, written only by ``mark_read`` for the user who calls it). The
publisher sees on the form which secretaries in their scope have read it and which have not, and
the application deadline reminder tells a secretary who has not read it (``dangjian.tasks``).

Who sees a notice: a published one, whoever holds a position below, at or above its organization
(as an honour list, ``dangjian.visibility``); a draft, only the publishers whose own scope holds
its organization.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, now_datetime, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

NOTICE = "Dangjian Notice"
NOTICE_READ = "Dangjian Notice Read"
PUBLISHER_ROLES = (scope.ROLE_ADMINISTRATOR, scope.ROLE_APPROVER)
# the organization each publisher role publishes for
PUBLISHER_TYPES = {rules.COMPANY: scope.ROLE_ADMINISTRATOR, rules.UNIT: scope.ROLE_APPROVER}


class DangjianNotice(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		content: DF.TextEditor
		deadline: DF.Date | None
		organization: DF.Link
		organization_name: DF.Data | None
		published_on: DF.Datetime | None
		readers_html: DF.HTML | None
		title: DF.Data
		year: DF.Int

	# end: auto-generated types
	def onload(self):
		if self.docstatus == 1:
			self.set_onload("my_read", read_on(self.name, frappe.session.user))
			if can_see_readers():
				self.set_onload("readers", readers(self.name))

	def before_insert(self):
		scope.ensure_in_scope(self.organization, what=self.organization)

	def validate(self):
		kind = frappe.db.get_value(scope.ORG, self.organization, "organization_type")
		if kind not in PUBLISHER_TYPES:
			frappe.throw(
				_(
					"{0} is not the company or a unit: a call for applications is published by one of them."
				).format(frappe.bold(self.organization)),
				title=_("Invalid Organization"),
			)
		if not 2000 <= cint(self.year) <= 2100:
			frappe.throw(
				_("Year: {0} is not a year.").format(frappe.bold(self.year)), title=_("Invalid Value")
			)
		settings = get_settings()
		self.deadline = rules.application_deadline(
			cint(self.year),
			cint(settings.application_deadline_month) or 4,
			cint(settings.application_deadline_day) or 30,
		)

	def before_submit(self):
		self.published_on = now_datetime()

	def on_submit(self):
		users = sorted(recipients(self.organization))
		if not users:
			return
		if len(users) <= BELL_IN_REQUEST:
			# a unit's call: the bell at once, not after a worker's turn
			notify_recipients(self.name, users, frappe.session.user)
			return
		# a group's call reaches thousands of secretaries: a job on the long queue, once the
		# notice is committed (Frappe's own enqueue_create_notification does the same)
		frappe.enqueue(
			NOTIFY_JOB,
			queue="long",
			timeout=3600,
			enqueue_after_commit=True,
			job_id=f"dangjian-notice-bell::{self.name}",
			deduplicate=True,
			notice=self.name,
			users=users,
			from_user=frappe.session.user,
		)
		frappe.msgprint(
			_("The call is published; its {0} recipients are being notified in the background.").format(
				len(users)
			),
			alert=True,
		)


# recipients notified in the publishing request; more go to a background job
BELL_IN_REQUEST = 500
NOTIFY_JOB = "dangjian.dangjian.doctype.dangjian_notice.dangjian_notice.notify_recipients"


def notify_recipients(notice: str, users: list[str], from_user: str) -> None:
	"""The bell (Notification Log) of ``notice`` for ``users``, each in their own language, not
	the publisher's: what Frappe's enqueue_create_notification runs. Each user's Notification
	Settings decide as for any System Notification."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
	from frappe.translate import get_user_lang, print_language

	doc = frappe.get_doc(NOTICE, notice)
	by_language: dict[str, list[str]] = {}
	for user in users:
		by_language.setdefault(get_user_lang(user), []).append(user)
	for language, group in by_language.items():
		with print_language(language):
			subject = _("{0} published the call for applications {1}: apply by {2}.").format(
				doc.organization_name or doc.organization,
				frappe.bold(doc.title),
				frappe.format(doc.deadline, "Date"),
			)
		make_notification_logs(
			frappe._dict(
				type="Alert",
				document_type=NOTICE,
				document_name=doc.name,
				from_user=from_user,
				subject=subject,
				email_content=doc.content,
			),
			group,
		)


# --- recipients and reads ---------------------------------------------------------------------


def recipient_branches(organization: str, user: str | None = None) -> list[frappe._dict]:
	"""The branches below ``organization`` that have a secretary (enabled ones, in tree order), as
	rows of name, organization_name and secretary; with ``user``, only those in that user's scope."""
	bounds = frappe.db.get_value(scope.ORG, organization, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return []
	condition, params = scope.scope_condition("o", user) if user else ("1=1", {})
	return frappe.db.sql(
		f"""select o.name, o.organization_name, o.secretary from `tab{scope.ORG}` o
		where o.organization_type = %(branch)s and o.disabled = 0 and ifnull(o.secretary, '') != ''
		and o.lft >= %(lft)s and o.rgt <= %(rgt)s and {condition}
		order by o.lft""",
		{"branch": rules.BRANCH, "lft": bounds.lft, "rgt": bounds.rgt, **params},
		as_dict=True,
	)


def recipients(organization: str) -> set[str]:
	"""The users a notice of ``organization`` goes to: the secretaries of the branches below it."""
	return {row.secretary for row in recipient_branches(organization)}


def read_on(notice: str, user: str):
	"""When ``user`` read ``notice`` (None if they have not)."""
	return frappe.db.get_value(NOTICE_READ, {"notice": notice, "user": user}, "read_on")


def can_see_readers(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return scope.is_unrestricted(user) or is_publisher(user)


def readers(notice: str, user: str | None = None) -> list[dict]:
	"""The publisher's view: each branch secretary the notice goes to, within the viewing user's
	scope, with the time they read it (None: not read)."""
	user = user or frappe.session.user
	organization = frappe.db.get_value(NOTICE, notice, "organization")
	reads = dict(
		frappe.get_all(
			NOTICE_READ,
			filters={"notice": notice},
			fields=["user", "read_on"],
			as_list=True,
			order_by="read_on",
		)
	)
	return [
		{
			"branch": row.name,
			"branch_name": row.organization_name,
			"user": row.secretary,
			"full_name": frappe.utils.get_fullname(row.secretary),
			"read_on": reads.get(row.secretary),
		}
		for row in recipient_branches(organization, user)
	]


@frappe.whitelist(methods=["POST"])
def mark_read(notice: str) -> dict:
	"""Record that the calling user read ``notice`` (a published one they may read and were sent),
	once: opening it again keeps the first time. Returns when they read it (None when the user is
	not one of its recipients: a publisher opening the notice is no reader)."""
	doc = frappe.get_doc(NOTICE, notice)
	doc.check_permission("read")
	user = frappe.session.user
	if doc.docstatus != 1:
		return {"read_on": None}
	branches = [row for row in recipient_branches(doc.organization) if row.secretary == user]
	if not branches:
		return {"read_on": None}
	existing = read_on(notice, user)
	if existing:
		return {"read_on": existing}
	record = frappe.get_doc(
		{
			"doctype": NOTICE_READ,
			"notice": notice,
			"user": user,
			"full_name": frappe.utils.get_fullname(user),
			"branch": branches[0].name,
			"read_on": now_datetime(),
		}
	)
	try:
		record.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:
		# the same user opening it twice at once: the first record stands
		frappe.clear_last_message()
	return {"read_on": read_on(notice, user)}


def unread_notices(user: str, branch: str, year: int | None = None) -> list[frappe._dict]:
	"""The published notices of ``year`` (default: this year) that reach ``branch`` and that
	``user``, its secretary, has not read: name and title, oldest first."""
	year = cint(year) or getdate(nowdate()).year
	return frappe.db.sql(
		f"""select n.name, n.title from `tab{NOTICE}` n
		join `tab{scope.ORG}` publisher on publisher.name = n.organization
		join `tab{scope.ORG}` b on b.name = %(branch)s
		where n.docstatus = 1 and n.year = %(year)s
		and b.lft >= publisher.lft and b.rgt <= publisher.rgt
		and not exists (select 1 from `tab{NOTICE_READ}` r where r.notice = n.name and r.user = %(user)s)
		order by n.published_on, n.name""",
		{"branch": branch, "year": year, "user": user},
		as_dict=True,
	)


def unread_by(user: str, year: int | None = None) -> list[frappe._dict]:
	"""The published notices of ``year`` sent to ``user`` (as the secretary of a branch) that they
	have not read."""
	found = {}
	for branch in frappe.get_all(
		scope.ORG, filters={"secretary": user, "organization_type": rules.BRANCH, "disabled": 0}, pluck="name"
	):
		for notice in unread_notices(user, branch, year):
			found.setdefault(notice.name, notice)
	return list(found.values())


@frappe.whitelist()
def my_notices() -> dict:
	"""The published notices sent to the calling user (as a branch's secretary), each with the
	time they read it or None: the list view's 已读 / 未读."""
	user = frappe.session.user
	branches = frappe.get_all(
		scope.ORG, filters={"secretary": user, "organization_type": rules.BRANCH, "disabled": 0}, pluck="name"
	)
	if not branches:
		return {}
	rows = frappe.db.sql(
		f"""select distinct n.name, r.read_on from `tab{NOTICE}` n
		join `tab{scope.ORG}` publisher on publisher.name = n.organization
		join `tab{scope.ORG}` b on b.name in %(branches)s
			and b.lft >= publisher.lft and b.rgt <= publisher.rgt
		left join `tab{NOTICE_READ}` r on r.notice = n.name and r.user = %(user)s
		where n.docstatus = 1""",
		{"branches": tuple(branches), "user": user},
	)
	return {name: read for name, read in rows}


# --- who sees a notice (hooks.py) -------------------------------------------------------------


def _draft_in_scope(user: str) -> str:
	condition, params = scope.scope_condition("draft_org", user)
	return frappe.db.mogrify(
		f"exists (select 1 from `tab{scope.ORG}` draft_org"
		f" where draft_org.name = `tab{NOTICE}`.organization and {condition})",
		params,
	)


def is_publisher(user: str) -> bool:
	return bool(set(frappe.get_roles(user)) & set(PUBLISHER_ROLES))


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""A draft only to the publishers whose scope holds its organization."""
	user = user or frappe.session.user
	if scope.is_unrestricted(user):
		return ""
	if not is_publisher(user):
		return f"`tab{NOTICE}`.docstatus = 1"
	return f"(`tab{NOTICE}`.docstatus = 1 or {_draft_in_scope(user)})"


def has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if scope.is_unrestricted(user) or doc.docstatus == 1:
		return None
	if not is_publisher(user):
		return False
	if not doc.get("organization"):
		# a new record: the roles' permissions and ensure_in_scope decide
		return None
	allowed = scope.allowed_organizations(user) or []
	return None if doc.organization in allowed else False


def read_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Read records: a user's own; a publisher's, those of the notices they may read by the
	secretaries of the branches in their scope (the form's list of readers, no more)."""
	from dangjian.visibility import readable_records

	user = user or frappe.session.user
	if scope.is_unrestricted(user):
		return ""
	own = f"`tab{NOTICE_READ}`.user = {frappe.db.escape(user)}"
	if can_see_readers(user):
		records = readable_records(NOTICE, user)
		if records:
			condition, params = scope.scope_condition("read_branch", user)
			in_scope = frappe.db.mogrify(
				f"exists (select 1 from `tab{scope.ORG}` read_branch"
				f" where read_branch.name = `tab{NOTICE_READ}`.branch and {condition})",
				params,
			)
			return f"({own} or (`tab{NOTICE_READ}`.notice in ({records}) and {in_scope}))"
	return own


def read_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if scope.is_unrestricted(user) or (doc.get("user") == user and ptype == "read"):
		return None
	if (
		ptype == "read"
		and can_see_readers(user)
		and doc.get("notice")
		and doc.get("branch") in (scope.allowed_organizations(user) or [])
		and frappe.has_permission(NOTICE, "read", doc.notice, user=user)
	):
		return None
	return False
