"""The e-mail that tells a user a document waits for their decision, in Chinese, with actions
that complete.

Frappe's own workflow e-mail (the Workflow's "Send Email Alert") has an English header, a
subject built from English words unless a template is set, and a one-click button per action
that applies the transition at once: "Pass Review" or "Approve and File" then fails, because the
opinion those actions require was never asked for. The app's workflows therefore do not use it
(``send_email_alert`` is off); this module sends the e-mail instead:

- to the users Frappe would write to: those whose role has a transition out of the new state and
  who may read the document (their scope), self-approval excluded as the Workflow says;
- with the subject and text of the state's Email Template (the Workflow's own "Next Action Email
  Template" field; the app ships one per state, in Chinese, editable in the desk; a state without
  a template sends nothing, which is how an administrator turns one off);
- with, for each action, a signed link to ``/dangjian-action``: a page that asks for the opinion
  or reason the action needs, then applies it as that user. Actions that need more than a text
  (an acceptance conclusion: methods, group, evidence) are not offered there: the e-mail links to
  the form instead. A link stops working once the document has left the state it was sent for.

Only the decisions of others are announced: a branch's own next step (submit, start) follows
from the outcome notifications (``dangjian.setup.notifications``), and cancellations wait for no
one.
"""

import hmac
from urllib.parse import parse_qsl

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow, has_approval_access
from frappe.permissions import has_permission
from frappe.rate_limiter import rate_limit
from frappe.translate import get_user_lang, print_language
from frappe.utils import get_url
from frappe.utils.user import get_users_with_role
from frappe.utils.verified_command import get_signed_params

from dangjian import workflows
from dangjian.setup.workflow import SELF_ACTIONS

PAGE = "/dangjian-action"
SAVEPOINT = "dangjian_action"
SIGNATURE = "&_signature="

# the text an action asks for on the page, by (doctype, action): the fields the controller
# refuses the action without (see on_review / on_return / on_approve of each doctype)
ACTION_FIELDS = {
	("Dangjian Project", "Pass Review"): ("review_opinion",),
	("Dangjian Project", "Return to Branch"): ("return_reason",),
	("Dangjian Project", "Approve and File"): ("committee_opinion",),
	("Dangjian Quarterly Report", "Mark Reviewed"): ("supervision_comment",),
	("Dangjian Quarterly Report", "Return to Branch"): ("return_reason",),
	("Dangjian Acceptance", "Return to Branch"): ("return_reason",),
}
# asked only when the document needs it: a late application's review records why it is accepted
CONDITIONAL_FIELDS = {
	("Dangjian Project", "Pass Review"): (("late_acceptance_reason", "is_late"),),
}
DOCTYPES = sorted({doctype for doctype, _action in ACTION_FIELDS})


def fields_for(doc, action: str) -> list[str] | None:
	"""The fields ``action`` asks for on ``doc``; None when the page cannot take the action."""
	fields = ACTION_FIELDS.get((doc.doctype, action))
	if fields is None:
		return None
	extra = [field for field, when in CONDITIONAL_FIELDS.get((doc.doctype, action), ()) if doc.get(when)]
	return [*fields, *extra]


# --- sending --------------------------------------------------------------------------------------


def on_change(doc, method=None):
	"""doc_events hook: a document entered a new workflow state."""
	field = workflows.state_field(doc.doctype)
	if not field or not doc.has_value_changed(field):
		return
	state = doc.get(field)
	if not email_template(doc.doctype, state) or not decisions(doc.doctype, state):
		return
	frappe.enqueue(
		send,
		queue="short",
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
		doctype=doc.doctype,
		name=doc.name,
		state=state,
	)


def decisions(doctype: str, state: str):
	"""The transitions out of ``state`` that wait for someone else's decision."""
	workflow = workflows.get(doctype)
	if not workflow:
		return []
	return [
		row
		for row in workflow.transitions
		if row.state == state
		and row.action not in SELF_ACTIONS
		and workflows.doc_status(doctype, row.next_state) != 2
	]


def email_template(doctype: str, state: str) -> str | None:
	workflow = workflows.get(doctype)
	row = next((row for row in workflow.states if row.state == state), None) if workflow else None
	return row.next_action_email_template if row else None


def recipients(doc, transitions) -> dict[str, list[str]]:
	"""user -> the actions they may take, for the users who may read ``doc`` (their scope)."""
	actions: dict[str, list[str]] = {}
	for transition in transitions:
		for user in get_users_with_role(transition.allowed):
			if user in ("Administrator", "Guest") or not has_approval_access(user, doc, transition):
				continue
			if not has_permission(doc.doctype, "read", doc, user=user):
				continue
			if transition.action not in actions.setdefault(user, []):
				actions[user].append(transition.action)
	return actions


def send(doctype: str, name: str, state: str):
	doc = frappe.get_doc(doctype, name)
	if doc.get(workflows.state_field(doctype)) != state:
		return  # it moved on before the job ran
	template_name = email_template(doctype, state)
	if not template_name or not frappe.db.exists("Email Template", template_name):
		return
	template = frappe.get_doc("Email Template", template_name)
	context = {"doc": doc, **doc.as_dict()}
	subject = frappe.render_template(template.subject, context)
	text = frappe.render_template(template.response_html if template.use_html else template.response, context)
	for user, actions in recipients(doc, decisions(doctype, state)).items():
		email = frappe.db.get_value("User", {"name": user, "enabled": 1}, "email")
		if not email:
			continue
		try:
			# the words the app adds, in the recipient's language (the template's are its own)
			with print_language(get_user_lang(user)):
				frappe.sendmail(
					recipients=[email],
					subject=subject,
					message=text + actions_html(doc, state, user, actions),
					header=[_("Waiting for Your Decision"), "blue"],
					reference_doctype=doctype,
					reference_name=name,
				)
		except frappe.OutgoingEmailError:
			# no outgoing e-mail account on the site: as Frappe does, note it once and go on (the
			# transition itself is done, and the desk lists what waits for each user)
			frappe.log_error("Dangjian workflow e-mail not sent: no outgoing e-mail account")
			return


def actions_html(doc, state: str, user: str, actions: list[str]) -> str:
	form = get_url(doc.get_url())
	links = []
	for action in actions:
		label = frappe.utils.escape_html(_(action))
		if fields_for(doc, action) is None:
			links.append(
				f'<a href="{form}" style="margin-right: 10px">'
				+ frappe.utils.escape_html(_("Open the form to {0}").format(_(action)))
				+ "</a>"
			)
		else:
			links.append(
				f'<a class="btn btn-primary" style="margin-right: 10px" href="{action_url(doc, action, state, user)}">{label}</a>'
			)
	return (
		'<div><p style="margin: 10px 0">'
		+ "".join(links)
		+ f'</p><p><a href="{form}">'
		+ frappe.utils.escape_html(_("Open in the system"))
		+ '</a></p><div class="text-muted text-small" style="padding-top: 20px;">'
		+ frappe.utils.escape_html(
			_("This e-mail is for you only: its links act in your name. Do not forward it.")
		)
		+ "</div></div>"
	)


# --- the link -------------------------------------------------------------------------------------


def action_url(doc, action: str, state: str, user: str) -> str:
	params = {"doctype": doc.doctype, "name": doc.name, "action": action, "state": state, "user": user}
	return get_url(PAGE + "?" + get_signed_params(params))


def read_link(query: str) -> dict | None:
	"""The parameters of a signed link, or None when the signature does not match."""
	query = query or ""
	if SIGNATURE not in query:
		return None
	params, signature = query.rsplit(SIGNATURE, 1)
	expected = get_signed_params(params).rsplit(SIGNATURE, 1)[1]
	if not hmac.compare_digest(signature, expected):
		return None
	values = dict(parse_qsl(params, keep_blank_values=True))
	if set(values) != {"doctype", "name", "action", "state", "user"} or values["doctype"] not in DOCTYPES:
		return None
	return values


class LinkRefused(Exception):
	pass


def check_link(query: str):
	"""The document, the action, the fields to ask for and the user of a link that may still be
	used; LinkRefused with the reason otherwise."""
	link = read_link(query)
	if not link:
		raise LinkRefused(_("This link is not valid: it may have been copied incompletely or changed."))
	if not frappe.db.exists(link["doctype"], link["name"]):
		raise LinkRefused(_("The document of this link no longer exists."))
	doc = frappe.get_doc(link["doctype"], link["name"])
	current = doc.get(workflows.state_field(doc.doctype))
	if current != link["state"]:
		raise LinkRefused(
			_("This link has expired: {0} is now {1}.").format(
				doc.get("project_name") or doc.name, _(current, context=doc.doctype)
			)
		)
	fields = fields_for(doc, link["action"])
	if fields is None:
		raise LinkRefused(_("This action is taken on the form in the system, not by a link."))
	if not frappe.db.get_value("User", {"name": link["user"], "enabled": 1}):
		raise LinkRefused(_("The user of this link is disabled."))
	session_user = frappe.session.user
	if session_user not in ("Guest", link["user"]):
		raise LinkRefused(
			_(
				"This link belongs to {0}, and you are logged in as {1}. Log out, or open the document in the system."
			).format(link["user"], session_user)
		)
	return doc, link["action"], fields, link["user"]


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=30, seconds=60)
def act(link: str, **values):
	"""The page's form: save the texts asked for and take the action as the link's user, in one
	transaction; on any refusal nothing is saved and the page shows the reason with the text
	typed, so nothing is lost."""
	try:
		doc, action, fields, user = check_link(link)
	except LinkRefused as refused:
		return show_page(link, error=str(refused))
	typed = {field: (values.get(field) or "").strip() for field in fields}
	missing = [field for field, value in typed.items() if not value]
	if missing:
		labels = "、".join(_(doc.meta.get_label(field)) for field in missing)
		return show_page(link, error=_("Write {0} first.").format(labels), typed=typed)
	before = frappe.session.user
	# the request commits what is done (a POST); a refusal rolls back to here
	frappe.db.savepoint(SAVEPOINT)
	try:
		frappe.set_user(user)
		doc.update(typed)
		doc.save()
		doc = apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)
	except Exception as error:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.clear_messages()
		message = frappe.utils.strip_html(str(error)) or _("The action could not be taken.")
		return show_page(link, error=message, typed=typed)
	finally:
		frappe.set_user(before)
	frappe.respond_as_web_page(
		_("Action Taken"),
		_("{0}: {1} is now {2}.").format(
			_(action),
			frappe.bold(frappe.utils.escape_html(doc.get("project_name") or doc.name)),
			frappe.bold(_(doc.get(workflows.state_field(doc.doctype)), context=doc.doctype)),
		),
		indicator_color="green",
		primary_action=doc.get_url(),
		primary_label=_("Open in the system"),
	)


def page_context(query: str, error: str | None = None, typed: dict | None = None) -> frappe._dict:
	"""What the page shows for a link: the document, the action and the texts it asks for, or
	why the link cannot be used."""
	context = frappe._dict(link=query, error=error, typed=typed or {}, fields=[], usable=False)
	try:
		doc, action, fields, user = check_link(query)
	except LinkRefused as refused:
		context.title = _("Link Not Usable")
		context.error = str(refused)
		return context
	context.usable = True
	context.title = _(action)
	context.action_label = _(action)
	context.user_name = frappe.utils.get_fullname(user)
	context.doctype_label = _(doc.doctype)
	context.document = doc.get("project_name") or doc.name
	context.details = [
		(_(doc.meta.get_label(field)), doc.get_formatted(field))
		for field in ("year", "quarter", "branch_name", "branch")
		if doc.meta.has_field(field) and doc.get(field)
	][:3]
	context.form_url = get_url(doc.get_url())
	context.fields = [(field, _(doc.meta.get_label(field))) for field in fields]
	if frappe.session.user != "Guest":
		from frappe.sessions import get_csrf_token

		context.csrf_token = get_csrf_token()
	return context


def show_page(link: str, error: str | None = None, typed: dict | None = None):
	"""The page again, with the reason and the text typed."""
	context = page_context(link, error=error, typed=typed)
	frappe.respond_as_web_page(
		context.title,
		frappe.render_template(FORM_TEMPLATE, context),
		indicator_color="red" if error else "blue",
		primary_action=None,
	)


FORM_TEMPLATE = "dangjian/templates/includes/dangjian_action_form.html"
