"""Sending ballots to named invitees (issue 16): part of issuing them, because a ballot's link
exists only then (its secret is stored as a hash).

- E-mail: queued through Frappe (``frappe.sendmail``; Email Queue, sent by the scheduler), with
  the subject and text of the Email Template ``Dangjian Ballot Invitation`` (shipped in Chinese,
  made when missing and never overwritten: an administrator may reword it in the desk). To the
  invitee's e-mail, or else to the e-mail of their account (``user``).
- SMS: only when the site has an SMS gateway in Frappe's SMS Settings (``sms_gateway_url``),
  through Frappe's own ``send_sms``; sent by a background job after the ballots are committed
  (the evaluation stays locked while ballots are issued, and a gateway can be slow). A gateway
  that fails is logged without the message (it carries the link) and the issuer is told in the
  bell.
- Each issued row is told what was sent (``sent``: ``email``, ``sms``) and, for a named invitee
  who gets no message, why (``not_sent``, in the issuer's language), so that the issuer hands
  them the printed slip.

A message carries its ballot's link: Frappe keeps it in the Email Queue and the SMS Log, which
only a System Manager reads (as the whole site).
"""

import re

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import escape_html

BALLOT = "Dangjian Ballot"
TEMPLATE = "Dangjian Ballot Invitation"
TEMPLATE_SUBJECT = "【党建+】邀请您为党建+项目评议投票：{{ project_name }}"
TEMPLATE_TEXT = (
	"<p>{{ invitee_name }}同志：您好！</p>"
	"<p>{{ branch_name }}的党建+项目“{{ project_name }}”正在进行项目评估（{{ evaluation }}），"
	"现邀请您以<b>{{ category }}</b>身份参加评议：评价您对项目的满意程度，并为综合效益、经验可推广性两项打分。</p>"
	'<p>请在项目评估结束前，用手机或电脑打开下面的链接投票：<br><a href="{{ url }}">{{ url }}</a></p>'
	"<p>此链接是您本人的选票，只能使用一次，请勿转发他人。</p>"
)
MOBILE_CN = re.compile(r"^(?:\+?86|0086)?1[3-9]\d{9}$")
MOBILE_INTERNATIONAL = re.compile(r"^\+\d{8,15}$")
EMAIL, SMS = "email", "sms"


# --- the Email Template (install, migrate, uninstall) ---------------------------------------------


def ensure_email_template() -> None:
	from dangjian.setup.workflow import ensure_email_template as ensure

	ensure(TEMPLATE, TEMPLATE_SUBJECT, TEMPLATE_TEXT)


def remove_email_template() -> None:
	if frappe.db.exists("Email Template", TEMPLATE):
		frappe.delete_doc("Email Template", TEMPLATE, ignore_permissions=True, force=True)


# --- checking an invitee's contacts (before any ballot is made) ------------------------------------


def valid_mobile(mobile: str) -> str:
	"""A mainland mobile number (``+86`` optional) or an international one (``+`` and 8 to 15
	digits), without its spaces and dashes; refused otherwise."""
	number = re.sub(r"[\s\-()]", "", mobile or "")
	if not (MOBILE_CN.match(number) or MOBILE_INTERNATIONAL.match(number)):
		frappe.throw(
			_("{0} is not a valid mobile number.").format(frappe.bold(escape_html(mobile))),
			title=_("Invalid Invitees"),
		)
	return number


# --- sending ---------------------------------------------------------------------------------------


def sms_gateway() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def has_outgoing_email() -> bool:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing(match_by_doctype=BALLOT))


def message_context(evaluation, category: str, invitee: dict, row: dict) -> dict:
	branch_name = frappe.db.get_value("Party Organization", evaluation.branch, "organization_name")
	return {
		"invitee_name": invitee.get("invitee_name") or "",
		"project_name": evaluation.project_name or "",
		"branch_name": branch_name or evaluation.branch or "",
		"evaluation": evaluation.name,
		"category": _(category, context="Dangjian Evaluation Score"),
		"url": row["url"],
	}


def email_of(invitee: dict) -> str:
	if invitee.get("email"):
		return invitee["email"]
	if invitee.get("user"):
		return frappe.db.get_value("User", {"name": invitee["user"], "enabled": 1}, "email") or ""
	return ""


def queue_email(recipient: str, ballot: str, context: dict) -> bool:
	"""The invitation in the Email Queue (not sent now); False when Frappe queued nothing."""
	template = frappe.get_doc("Email Template", TEMPLATE)
	subject = frappe.render_template(template.subject, context)
	# the invitee's name and the project's come from people: escaped in the HTML body
	safe = {key: escape_html(value) for key, value in context.items()}
	body = template.response_html if template.use_html else template.response
	try:
		queued = frappe.sendmail(
			recipients=[recipient],
			subject=subject,
			message=frappe.render_template(body, safe),
			header=[_("Evaluation Ballot"), "blue"],
			reference_doctype=BALLOT,
			reference_name=ballot,
			add_unsubscribe_link=0,
			delayed=True,
		)
	except frappe.OutgoingEmailError:
		frappe.clear_last_message()
		return False
	return bool(queued)


def sms_text(context: dict) -> str:
	return _("Please vote on the project {0} ({1}): {2} This link is yours alone and votes once.").format(
		context["project_name"], context["category"], context["url"]
	)


def send_invitations(evaluation: str, category: str, invitees: list[dict], issued: list[dict]) -> None:
	"""Queue the e-mail and the SMS of each named invitee's ballot just issued, and note on each
	issued row what was sent and, for a named invitee who gets no message, why."""
	named = [(invitee, row) for invitee, row in zip(invitees, issued, strict=True) if invitee]
	for row in issued:
		row.update(sent=[], not_sent="")
	if not named:
		return
	evaluation = frappe.db.get_value(
		"Dangjian Evaluation", evaluation, ["name", "project_name", "branch"], as_dict=True
	)
	gateway = sms_gateway()
	outgoing = has_outgoing_email()
	if not frappe.db.exists("Email Template", TEMPLATE):
		ensure_email_template()
	texts = []
	# the messages are Chinese whatever the issuer's desk language; the notes to the issuer are in it
	with print_language("zh"):
		contexts = [message_context(evaluation, category, invitee, row) for invitee, row in named]
	for (invitee, row), context in zip(named, contexts, strict=True):
		reasons = []
		recipient = email_of(invitee)
		if recipient:
			with print_language("zh"):
				queued = outgoing and queue_email(recipient, row["ballot"], context)
			if queued:
				row["sent"].append(EMAIL)
			else:
				reasons.append(_("no outgoing e-mail account is set up"))
		if invitee.get("mobile"):
			if gateway:
				row["sent"].append(SMS)
				with print_language("zh"):
					texts.append((row["ballot"], row["invitee_name"], invitee["mobile"], sms_text(context)))
			else:
				reasons.append(_("no SMS gateway is set up (SMS Settings)"))
		if not recipient and not invitee.get("mobile"):
			reasons.append(_("no e-mail address or mobile number"))
		if not row["sent"]:
			separator = "；" if (frappe.local.lang or "").startswith("zh") else "; "
			row["not_sent"] = _("No message sent ({0}): hand them the printed slip.").format(
				separator.join(reasons)
			)
	if texts:
		frappe.enqueue(
			send_sms_invitations,
			queue="short",
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
			issuer=frappe.session.user,
			evaluation=evaluation.name,
			texts=texts,
		)


def send_sms_invitations(issuer: str, evaluation: str, texts: list) -> None:
	"""The background job: one SMS per invitee through Frappe's send_sms. A failure is logged
	without the message (it carries the link), and the issuer is told in the bell who got none."""
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	failed = []
	for ballot, invitee_name, mobile, text in texts:
		try:
			send_sms([mobile], text, success_msg=False)
		except ImportError:
			# sent: after the gateway took it, send_sms writes an SMS Log, a doctype that ERPNext
			# brings; on a site without ERPNext only that log fails
			pass
		except Exception as error:
			failed.append(invitee_name)
			frappe.log_error(
				title="Dangjian ballot: SMS not sent",
				message=f"The SMS gateway did not take the invitation of ballot {ballot}: "
				f"{type(error).__name__} (the message is not logged: it carries the ballot's link).",
				reference_doctype=BALLOT,
				reference_name=ballot,
			)
	if failed:
		tell_issuer(issuer, evaluation, failed)


def tell_issuer(issuer: str, evaluation: str, names: list[str]) -> None:
	from frappe.translate import get_user_lang

	with print_language(get_user_lang(issuer)):
		subject = _("The SMS of these invitees was not sent: {0}. Hand them the printed slips.").format(
			"、".join(names)
		)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": issuer,
			"type": "Alert",
			"subject": escape_html(subject),
			"document_type": "Dangjian Evaluation",
			"document_name": evaluation,
		}
	).insert(ignore_permissions=True)
