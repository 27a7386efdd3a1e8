"""Ballots on the phone (选票): party members, cadres and masses' representatives vote on an
evaluation without a desk account.

- The approver (党群工作部) or the company administrator issues ballots on an open evaluation
  (``issue_ballots``): N anonymous ballots of a category, or one per named invitee. Each ballot
  is a one-time secret (``secrets.token_urlsafe(32)``, 256 random bits) shown once, as a link to
  ``/dangjian-vote?t=<secret>``; only its SHA-256 is stored on the ``Dangjian Ballot``.
- The voting page (``www/dangjian-vote``) shows the project and the three indicators; its form
  posts to ``vote``, which asks for a confirmation and then records the vote as a
  ``Dangjian Evaluation Score`` through the desk's own validation, and marks the ballot used, in
  one transaction.
- A used ballot, one whose evaluation is concluded (expired), an unknown, forged or altered
  token, or a token sent with another evaluation is refused with a message and changes nothing.
- Guessing: each failed lookup counts against the caller's IP; after ``FAILED_LIMIT`` failures
  in ``FAILED_WINDOW`` seconds that IP's ballot links are refused for the rest of the window,
  and the first failure and the blocking of each window are written to the Error Log (bounded:
  two entries per IP and window at most).
- The secret ballot: the issuer sees which ballots were used, never which vote came from which
  ballot, named or anonymous (the person handed an anonymous slip is known at the meeting).
  Nothing joins a ballot to its score: no link either way, the score is written as a neutral
  user (``VOTE_USER``, not the issuer) under a name and an evaluator name drawn at random, the
  ballot keeps only the day it was used (its ``modified`` is left as issued, and it keeps no
  Version), and no log names a ballot.
"""

import hashlib
import json
import secrets
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.translate import print_language
from frappe.utils import cint, escape_html, get_url, nowdate, strip_html

from dangjian import rules, scope

BALLOT = "Dangjian Ballot"
EVALUATION = "Dangjian Evaluation"
SCORE = "Dangjian Evaluation Score"
ISSUED = "Issued"
USED = "Used"
PAGE = "/dangjian-vote"
MAX_BALLOTS = 200  # issued at once
ISSUING_ROLES = (scope.ROLE_APPROVER, scope.ROLE_ADMINISTRATOR, *scope.UNRESTRICTED_ROLES)

# Posts of the vote endpoint a minute. A voter posts twice (check, then confirm) and perhaps
# edits or resends: five posts each. Per IP, a meeting room of MAX_BALLOTS voters behind one
# address votes within a minute; per evaluation, every address together, twice that. Guessing
# is not what these bound (a token has 256 random bits): FAILED_LIMIT below does that.
POSTS_PER_VOTER = 5
IP_LIMIT = POSTS_PER_VOTER * 200
EVALUATION_LIMIT = 2 * IP_LIMIT
# who a phone vote's score is written as: neither the voter nor the issuer (see record_vote)
VOTE_USER = "Administrator"
# failed token lookups per IP before that IP is refused, and the window (seconds)
FAILED_LIMIT = 20
FAILED_WINDOW = 600
SAVEPOINT = "dangjian_ballot_vote"
FORM_TEMPLATE = "dangjian/templates/includes/dangjian_vote_form.html"
SCORE_RANGE = (0, 100)  # Dangjian Evaluation Score.validate_scores
COMMENT_LENGTH = 1000  # the page's textarea (maxlength)


def token_hash(secret: str) -> str:
	return hashlib.sha256((secret or "").encode()).hexdigest()


def ballot_url(secret: str) -> str:
	return get_url(f"{PAGE}?t={secret}")


# --- issuing -------------------------------------------------------------------------------------


def ensure_can_issue(evaluation: str):
	"""The open evaluation, locked; refused for anyone but its approver or the company
	administrator within their scope."""
	user = frappe.session.user
	if user == "Guest" or not (user == "Administrator" or set(frappe.get_roles(user)) & set(ISSUING_ROLES)):
		frappe.throw(
			_("Only the Party-Masses Work Department or the company administrator issues ballots."),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	if not frappe.db.exists(EVALUATION, evaluation) or not frappe.has_permission(
		EVALUATION, "read", evaluation, user=user
	):
		frappe.throw(
			_("Evaluation {0} does not exist or is not yours.").format(frappe.bold(evaluation)),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	from dangjian.dangjian.doctype.dangjian_evaluation_score.dangjian_evaluation_score import (
		lock_evaluation,
	)

	doc = lock_evaluation(evaluation)
	scope.ensure_in_scope(doc.branch, user, doc.project_name)
	if doc.docstatus != 0:
		frappe.throw(
			_("Evaluation {0} is already concluded: no more ballots can be issued.").format(
				frappe.bold(evaluation)
			),
			title=_("Evaluation Closed"),
		)
	return doc


def read_invitees(invitees) -> list[dict]:
	if not invitees:
		return []
	if isinstance(invitees, str):
		try:
			invitees = json.loads(invitees)
		except ValueError:
			frappe.throw(_("The invitees must be a list."), title=_("Invalid Invitees"))
	if not isinstance(invitees, list):
		frappe.throw(_("The invitees must be a list."), title=_("Invalid Invitees"))
	rows = []
	for row in invitees:
		if isinstance(row, str):
			row = {"invitee_name": row}
		if not isinstance(row, dict):
			frappe.throw(_("The invitees must be a list."), title=_("Invalid Invitees"))
		clean = {
			field: str(row.get(field) or "").strip()[:140]
			for field in ("invitee_name", "mobile", "email", "user")
		}
		if not clean["invitee_name"]:
			frappe.throw(_("Each invitee needs a name."), title=_("Invalid Invitees"))
		if clean["email"] and not frappe.utils.validate_email_address(clean["email"]):
			frappe.throw(
				_("{0} is not a valid e-mail address.").format(frappe.bold(clean["email"])),
				title=_("Invalid Invitees"),
			)
		if clean["mobile"]:
			from dangjian.ballot_invitations import valid_mobile

			clean["mobile"] = valid_mobile(clean["mobile"])
		if clean["user"] and not frappe.db.exists("User", clean["user"]):
			clean["user"] = ""
		rows.append(clean)
	return rows


@frappe.whitelist(methods=["POST"])
def issue_ballots(evaluation: str, category: str, count: int | None = None, invitees=None) -> list[dict]:
	"""Issue ballots of one category on an open evaluation: ``count`` anonymous ones, or one per
	invitee (``[{"invitee_name", "mobile", "email", "user"}]``). Answers each ballot's link once:
	the secret is not stored and cannot be shown again. A named invitee's ballot is sent at once
	(``ballot_invitations``): each row says what was sent (``sent``) or why nothing (``not_sent``)."""
	evaluation_doc = ensure_can_issue(evaluation)
	if category not in rules.CATEGORIES:
		frappe.throw(
			_("Choose the evaluator category: party member, cadre or masses' representative."),
			title=_("Category Missing"),
		)
	rows = read_invitees(invitees) or [{} for _i in range(cint(count))]
	if not rows or len(rows) > MAX_BALLOTS:
		frappe.throw(
			_("Issue from 1 to {0} ballots at a time.").format(MAX_BALLOTS), title=_("Invalid Count")
		)
	issued = []
	for row in rows:
		secret = secrets.token_urlsafe(32)
		ballot = frappe.get_doc(
			{
				"doctype": BALLOT,
				"evaluation": evaluation,
				"project_name": evaluation_doc.project_name,
				"branch": evaluation_doc.branch,
				"category": category,
				"status": ISSUED,
				"token_hash": token_hash(secret),
				**row,
			}
		)
		ballot.flags.issued_by_server = True
		# the user's rights were checked above; the ballot's fields are the system's
		ballot.insert(ignore_permissions=True)
		issued.append(
			{
				"ballot": ballot.name,
				"category": category,
				"category_label": _(category),
				"invitee_name": ballot.invitee_name or "",
				"url": ballot_url(secret),
			}
		)
	# the link exists only now: a named invitee's e-mail and SMS are sent with the issuing
	from dangjian.ballot_invitations import send_invitations

	send_invitations(evaluation, category, rows, issued)
	return issued


@frappe.whitelist()
def ballot_progress(evaluation: str) -> dict:
	"""Ballots issued and used per category, beside the evaluation's submitted scores and its
	panel minimums (the evaluation form's dashboard)."""
	doc = frappe.get_doc(EVALUATION, evaluation)
	doc.check_permission("read")
	counts = frappe.get_all(
		BALLOT,
		filters={"evaluation": evaluation},
		fields=["category", "status", "count(name) as n"],
		group_by="category, status",
	)
	rows = []
	for category in rules.CATEGORIES:
		issued = sum(c.n for c in counts if c.category == category)
		used = sum(c.n for c in counts if c.category == category and c.status == USED)
		rows.append({"category": category, "label": _(category), "issued": issued, "used": used})
	return {
		"rows": rows,
		"issued": sum(r["issued"] for r in rows),
		"used": sum(r["used"] for r in rows),
		"score_count": cint(doc.score_count),
		"masses_count": cint(doc.masses_count),
		"min_evaluators": cint(doc.min_evaluators),
		"min_masses_representatives": cint(doc.min_masses_representatives),
		"open": doc.docstatus == 0,
	}


# --- finding a ballot by its secret -------------------------------------------------------------


class BallotRefused(Exception):
	pass


def failed_key() -> str:
	return frappe.cache.make_key(f"dangjian-ballot-failed:{frappe.local.request_ip or 'local'}")


def failed_count() -> int:
	return cint(frappe.cache.get(failed_key()))


def count_in_window(key: str, seconds: int) -> int:
	"""Add one to a counter that ends ``seconds`` after its first count (atomic: two first counts
	at the same moment do not reset each other)."""
	count = frappe.cache.incrby(key, 1)
	if count == 1 or frappe.cache.ttl(key) < 0:
		frappe.cache.expire(key, seconds)
	return count


def count_failure(reason: str) -> None:
	"""A token that matches nothing: counted against the caller's IP, and logged (bounded)."""
	count = count_in_window(failed_key(), FAILED_WINDOW)
	if count in (1, FAILED_LIMIT):
		frappe.log_error(
			title="Dangjian ballot: " + ("token guessing blocked" if count == FAILED_LIMIT else reason),
			message=f"IP {frappe.local.request_ip or 'local'}: {count} failed ballot lookups within "
			f"{FAILED_WINDOW} s ({reason}); from {FAILED_LIMIT} on, its ballot links are refused until "
			"the window ends.",
		)
		# kept even when the request does not commit (the page is a GET)
		frappe.local.flags.commit = True


def find_ballot(secret: str, evaluation: str | None = None) -> frappe._dict:
	"""The usable ballot of a secret; BallotRefused with the reason otherwise."""
	if failed_count() >= FAILED_LIMIT:
		raise BallotRefused(
			_("Too many invalid ballot links came from your network. Try again in {0} minutes.").format(
				FAILED_WINDOW // 60
			)
		)
	secret = (secret or "").strip()
	ballot = None
	if 20 <= len(secret) <= 100:
		ballot = frappe.db.get_value(
			BALLOT,
			{"token_hash": token_hash(secret)},
			["name", "evaluation", "category", "status", "invitee_name", "owner"],
			as_dict=True,
		)
	if not ballot:
		if secret:  # an empty link is no guess
			count_failure("unknown token")
		raise BallotRefused(
			_("This ballot link is not valid: it may have been copied incompletely or changed.")
		)
	if evaluation and evaluation != ballot.evaluation:
		count_failure("token sent with another evaluation")
		raise BallotRefused(_("This ballot belongs to another evaluation: it cannot vote on this one."))
	if ballot.status != ISSUED:
		raise BallotRefused(_("This ballot has already been used: each ballot votes once."))
	ballot.update(
		frappe.db.get_value(
			EVALUATION, ballot.evaluation, ["docstatus", "project", "project_name", "branch"], as_dict=True
		)
		or {}
	)
	if ballot.docstatus != 0:
		raise BallotRefused(
			_("This ballot has expired: the evaluation of {0} is concluded.").format(ballot.project_name)
		)
	return ballot


def count_evaluation_post(ballot) -> None:
	"""Per evaluation, besides ``rate_limit``'s per IP: posts of its ballots within a minute."""
	key = frappe.cache.make_key(f"dangjian-ballot-evaluation:{ballot.evaluation}")
	if count_in_window(key, 60) > EVALUATION_LIMIT:
		raise BallotRefused(_("Too many votes on this evaluation at once. Try again in a minute."))


# --- the page ------------------------------------------------------------------------------------


def vote_options() -> list[tuple[str, str]]:
	return [(vote, _(vote, context=SCORE)) for vote in rules.VOTES]


def project_evidence(ballot) -> dict:
	"""What a voter reads before voting: the project's summary and the acceptance's findings."""
	project = frappe.db.get_value(
		"Dangjian Project",
		ballot.project,
		[
			"project_name",
			"branch",
			"branch_name",
			"year",
			"topic_area",
			"innovation_goals",
			"innovation_content",
		],
		as_dict=True,
	)
	acceptance = frappe.get_all(
		"Dangjian Acceptance",
		filters={"project": ballot.project, "status": "Passed"},
		fields=["conclusion", "concluded_on", "acceptance_report", "findings", "summary_report"],
		order_by="creation desc",
		limit=1,
	)
	acceptance = acceptance[0] if acceptance else frappe._dict()

	def short(text, length=300):
		text = strip_html(text or "").strip()
		return text if len(text) <= length else text[:length] + "…"

	return {
		"project_name": project.project_name,
		"branch_name": project.branch_name or project.branch,
		"year": project.year,
		"topic_area": _(project.topic_area, context="Dangjian Project") if project.topic_area else "",
		"summary": short(project.innovation_goals or project.innovation_content),
		"conclusion": _(acceptance.conclusion, context="Dangjian Acceptance")
		if acceptance.conclusion
		else "",
		"concluded_on": frappe.utils.formatdate(acceptance.concluded_on) if acceptance.concluded_on else "",
		"results": short(acceptance.acceptance_report or acceptance.findings or acceptance.summary_report),
	}


def use_page_language() -> None:
	"""The ballot is in Chinese whatever a voter's phone asks for (the site's own Chinese, e.g.
	zh-TW, when it has one)."""
	site = frappe.db.get_default("lang") or ""
	frappe.local.lang = site if site.startswith("zh") else "zh"


def page_context(
	secret: str, error: str | None = None, typed: dict | None = None, stage: str = "form", refused=False
):
	"""What the page shows for a token: the project and the ballot form (``stage`` ``form`` or
	``confirm``), or why the token cannot be used."""
	context = frappe._dict(
		token=secret or "",
		error=error,
		typed=typed or {},
		usable=False,
		stage=stage,
		votes=vote_options(),
		score_min=SCORE_RANGE[0],
		score_max=SCORE_RANGE[1],
		title=_("Evaluation Ballot"),
	)
	try:
		if refused:  # found unusable under the lock: this transaction's snapshot may not show why
			raise BallotRefused(error)
		ballot = find_ballot(secret)
	except BallotRefused as reason:
		context.title = _("Ballot Not Usable")
		context.error = str(reason)
		return context
	context.usable = True
	context.evaluation = ballot.evaluation
	context.category_label = _(ballot.category, context=SCORE)
	context.update(project_evidence(ballot))
	context.vote_label = dict(context.votes).get(context.typed.get("satisfaction_vote"), "")
	if frappe.session.user != "Guest":
		from frappe.sessions import get_csrf_token

		context.csrf_token = get_csrf_token()
	return context


def render(context) -> str:
	return frappe.render_template(FORM_TEMPLATE, context)


def show_page(secret: str, error=None, typed=None, stage="form", refused=False):
	context = page_context(secret, error=error, typed=typed, stage=stage, refused=refused)
	frappe.respond_as_web_page(
		context.title,
		render(context),
		indicator_color="red" if context.error else "blue",
		primary_action=None,
	)


# --- voting ---------------------------------------------------------------------------------------


def phone_ballot_label() -> str:
	"""The name of a phone vote's score, in Chinese as the ballot (not the voter's browser's)."""
	site = frappe.db.get_default("lang") or ""
	with print_language(site if site.startswith("zh") else "zh"):
		return _("Phone Ballot")


def score_doc(ballot, typed: dict):
	"""The score a vote becomes. The name is the system's, never the voter's: a short random code
	(a named ballot does not name its vote)."""
	return frappe.get_doc(
		{
			"doctype": SCORE,
			"evaluation": ballot.evaluation,
			"evaluator_name": f"{phone_ballot_label()} {secrets.token_hex(4).upper()}",
			"category": ballot.category,
			"satisfaction_vote": typed["satisfaction_vote"],
			"benefit_score": typed["benefit_score"],
			"replicability_score": typed["replicability_score"],
			"comment": typed["comment"] or None,
		}
	)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=IP_LIMIT, seconds=60)
def vote(
	t: str,
	evaluation: str | None = None,
	satisfaction_vote: str | None = None,
	benefit_score: str | None = None,
	replicability_score: str | None = None,
	comment: str | None = None,
	confirm: str | None = None,
	edit: str | None = None,
):
	"""The voting page's form. Without ``confirm`` it checks the values and shows them for
	confirmation; with it, it records the vote and marks the ballot used, in one transaction.
	With ``edit`` it shows the form again with the values typed. Every refusal changes nothing and shows the reason (with what was typed, so nothing is lost).

	The score passes the desk's own checks, the same code (the ranges, the category, the
	evaluation still open), as a paper ballot (``is_paper_ballot``) typed in for a voter without
	an account does; see ``record_vote`` for who writes it.

	Per IP, ``rate_limit`` allows ``IP_LIMIT`` posts a minute (a meeting room of 200 behind one
	address votes together); per evaluation ``EVALUATION_LIMIT``; failed token lookups are
	limited far lower (``FAILED_LIMIT``)."""
	use_page_language()
	typed = {
		"satisfaction_vote": (satisfaction_vote or "").strip(),
		"benefit_score": (benefit_score or "").strip(),
		"replicability_score": (replicability_score or "").strip(),
		"comment": (comment or "").strip(),
	}
	try:
		ballot = find_ballot(t, evaluation)
	except BallotRefused as refused:
		return show_page(t, error=str(refused), refused=True)
	try:
		count_evaluation_post(ballot)
	except BallotRefused as refused:
		return show_page(t, error=str(refused), refused=True)
	if len(typed["comment"]) > COMMENT_LENGTH:
		# refused, not cut: the voter shortens it (what was typed is shown again)
		error = _("The comment can be at most {0} characters; it has {1}.").format(
			COMMENT_LENGTH, len(typed["comment"])
		)
		return show_page(t, error=error, typed=typed)
	score = score_doc(ballot, typed)
	score.flags.ballot = ballot.name  # its invitee's own desk score refuses it (one vote a person)
	try:
		score.validate_scores()  # the desk's ranges and choices, with the desk's messages
	except frappe.ValidationError as error:
		frappe.clear_messages()
		return show_page(t, error=strip_html(str(error)), typed=typed)
	if cint(edit):
		return show_page(t, typed=typed)
	typed.update(
		benefit_score=f"{score.benefit_score:g}", replicability_score=f"{score.replicability_score:g}"
	)
	if not cint(confirm):
		return show_page(t, typed=typed, stage="confirm")

	frappe.db.savepoint(SAVEPOINT)
	try:
		record_vote(ballot, score)
	except BallotRefused as refused:
		frappe.db.rollback(save_point=SAVEPOINT)
		return show_page(t, error=str(refused), refused=True)
	except frappe.PermissionError:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.clear_messages()
		return show_page(
			t,
			error=_(
				"This ballot can no longer be used: its issuer no longer acts for this evaluation. Ask the Party-Masses Work Department for a new one."
			),
			refused=True,
		)
	except Exception as error:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.clear_messages()
		message = strip_html(str(error)) or _("The vote could not be recorded.")
		return show_page(t, error=message, typed=typed)
	if not frappe.flags.in_test:
		# the vote is recorded: release the evaluation's lock now, not after the answer page is
		# rendered (Frappe commits after building the response), since every vote of a meeting
		# waits on that one lock (tests keep their transaction to roll it back)
		frappe.db.commit()
	frappe.respond_as_web_page(
		_("Thank You for Voting"),
		"<p>"
		+ escape_html(_("Your vote on {0} has been recorded. This ballot cannot be used again.")).format(
			"<strong>" + escape_html(ballot.project_name or "") + "</strong>"
		)
		+ "</p>",
		indicator_color="green",
		primary_action=None,
	)


@contextmanager
def acting_as(user: str):
	"""Run as ``user``, then give the request back its own user and session: Frappe's set_user
	also resets the session's id and data and the form, which a logged-in voter's request
	keeps (its CSRF token)."""
	session = frappe.local.session
	saved = (session.user, session.sid, session.data, frappe.local.form_dict)
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(saved[0])
		session.sid, session.data, frappe.local.form_dict = saved[1], saved[2], saved[3]


def ensure_issuer_acts(ballot) -> None:
	"""The ballot's issuer still may issue on its evaluation (enabled, the role, the scope): one
	who has since lost that right (disabled, moved) no longer carries the vote, and the
	department issues a new ballot. PermissionError otherwise."""
	issuer = ballot.owner
	if not frappe.db.get_value("User", {"name": issuer, "enabled": 1}):
		raise frappe.PermissionError
	with acting_as(issuer):
		if issuer != "Administrator" and not set(frappe.get_roles(issuer)) & set(ISSUING_ROLES):
			raise frappe.PermissionError
		if not frappe.has_permission(EVALUATION, "read", ballot.evaluation, user=issuer):
			raise frappe.PermissionError
		scope.ensure_in_scope(ballot.branch, issuer, ballot.project_name)


def record_vote(ballot, score) -> None:
	"""Under the evaluation's lock (the order every score write follows), then the ballot's row
	lock: of two posts of one ballot at the same moment, the second waits and finds it used.

	Who writes the score: ``VOTE_USER``, the same for every phone vote, after checking that the
	ballot's issuer still acts for the evaluation. Written as the issuer, the score's owner,
	``modified_by``, ``entered_by`` and Version would narrow a vote down to the ballots that
	issuer handed out. The ballot records that it was used and the day; it is written without
	touching its ``modified`` and without a Version, so nothing on it dates the vote to the
	second of the score's ``creation``."""
	from dangjian.dangjian.doctype.dangjian_evaluation_score.dangjian_evaluation_score import (
		lock_evaluation,
	)

	evaluation = lock_evaluation(ballot.evaluation)
	if not evaluation or evaluation.docstatus != 0:
		raise BallotRefused(
			_("This ballot has expired: the evaluation of {0} is concluded.").format(ballot.project_name)
		)
	if frappe.db.get_value(BALLOT, ballot.name, "status", for_update=True) != ISSUED:
		raise BallotRefused(_("This ballot has already been used: each ballot votes once."))
	ensure_issuer_acts(ballot)
	with acting_as(VOTE_USER):
		score.insert()
		score.submit()
	frappe.db.set_value(BALLOT, ballot.name, {"status": USED, "used_on": nowdate()}, update_modified=False)


# --- the printable sheet -------------------------------------------------------------------------

SHEET_TEMPLATE = "dangjian/templates/includes/dangjian_ballot_sheet.html"


def qr_svg(text: str) -> str:
	"""A QR code as a base64 SVG (PyQRCode, Frappe's own dependency for two-factor login)."""
	from base64 import b64encode
	from io import BytesIO

	from pyqrcode import create

	stream = BytesIO()
	create(text, error="M").svg(stream, scale=4, quiet_zone=2, xmldecl=False, svgns=True)
	return b64encode(stream.getvalue()).decode()


@frappe.whitelist(methods=["POST"])
def ballot_sheet(evaluation: str, urls) -> str:
	"""An A4 sheet of cut-out slips, one per ballot just issued: the QR code of its link, its
	category and the link. The secrets are not stored, so the sheet is made only from the links
	the approver holds (those ``issue_ballots`` answered); each must be an unused ballot of this
	evaluation, which the user may issue on."""
	doc = ensure_can_issue(evaluation)
	if isinstance(urls, str):
		try:
			urls = json.loads(urls)
		except ValueError:
			urls = [urls]
	if not isinstance(urls, list) or not urls or len(urls) > MAX_BALLOTS:
		frappe.throw(
			_("Issue from 1 to {0} ballots at a time.").format(MAX_BALLOTS), title=_("Invalid Count")
		)
	slips = []
	for url in urls:
		secret = frappe.utils.cstr(url).rsplit("t=", 1)[-1].strip()
		ballot = frappe.db.get_value(
			BALLOT,
			{"token_hash": token_hash(secret), "evaluation": evaluation, "status": ISSUED},
			["category", "invitee_name"],
			as_dict=True,
		)
		if not ballot:
			frappe.throw(_("A link is not an unused ballot of this evaluation."), title=_("Not a Ballot"))
		slips.append(
			{
				"category": _(ballot.category, context=SCORE),
				"invitee_name": ballot.invitee_name or "",
				"url": ballot_url(secret),
				"qr": qr_svg(ballot_url(secret)),
			}
		)
	return frappe.render_template(
		SHEET_TEMPLATE,
		{
			"project_name": doc.project_name,
			"branch": doc.branch,
			"slips": slips,
			"title": _("Evaluation Ballot"),
		},
	)
