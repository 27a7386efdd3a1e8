"""Sending ballots to named invitees (dangjian.ballot_invitations): the e-mail queued through
Frappe with a link that votes, the SMS through Frappe's send_sms only where the site has a
gateway, the issuer told who got no message, bad contacts refused before any ballot is made; an
invitee with an account votes logged in, once (their ballot or their desk score, not both)."""

import email
import re
from contextlib import contextmanager
from email import policy
from html import unescape
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request

from dangjian import ballot_invitations, ballots
from dangjian.dangjian.doctype.dangjian_evaluation_score.dangjian_evaluation_score import (
	DuplicateEvaluationScore,
)
from dangjian.tests.utils import (
	accepted_project,
	add_member,
	make_actors,
	make_user,
	open_evaluation,
	outgoing_email_account,
)
from dangjian.workflows import as_user

BALLOT = "Dangjian Ballot"
SCORE = "Dangjian Evaluation Score"
LINK = re.compile(r'href="([^"]*/dangjian-vote\?t=[^"]*)"')
GATEWAY = "https://sms-gateway.example.invalid/send"
SEND_REQUEST = "frappe.core.doctype.sms_settings.sms_settings.send_request"


def secret_of(url: str) -> str:
	return parse_qs(urlsplit(url).query)["t"][0]


class TestBallotInvitations(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("BI")
		cls.project = accepted_project(cls.a, project_name="选票邀请测试项目")
		cls.evaluation = open_evaluation(cls.a, cls.project.name).name
		# invitees with an account: evaluators of the unit (they may score on the desk too)
		cls.voter = make_user("bi-voter", "张投票")
		cls.desk_voter = make_user("bi-desk-voter", "李评分")
		for user in (cls.voter, cls.desk_voter):
			add_member(cls.a.tree.unit_a, user, "Evaluator")
		outgoing_email_account()
		ballot_invitations.ensure_email_template()

	def setUp(self):
		self.lang = frappe.local.lang
		frappe.local.lang = "zh"  # the issuer's desk is Chinese
		frappe.local.request_ip = "127.0.0.1"
		frappe.cache.delete(ballots.failed_key())

	def tearDown(self):
		frappe.local.lang = self.lang
		frappe.local.request = None
		frappe.set_user("Administrator")

	# --- helpers ---------------------------------------------------------------------------------

	def issue(self, invitees, category="Party Member") -> list[dict]:
		with as_user(self.a.approver_a):
			return ballots.issue_ballots(self.evaluation, category, invitees=invitees)

	def mails(self, ballot: str) -> list[frappe._dict]:
		found = []
		for row in frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": BALLOT, "reference_name": ballot},
			fields=["name", "message", "status"],
		):
			message = email.message_from_string(row.message, policy=policy.default)
			html = message.get_body(preferencelist=("html",)).get_content()
			for recipient in frappe.get_all(
				"Email Queue Recipient", filters={"parent": row.name}, pluck="recipient"
			):
				found.append(
					frappe._dict(to=recipient, subject=str(message["Subject"]), html=html, status=row.status)
				)
		return found

	def post(self, url: str, user: str = "Guest", **values) -> frappe._dict:
		"""POST the voting page's form (as a guest, or logged in as ``user``): what it said."""
		secret = secret_of(url)
		set_request(method="POST", path="/api/method/dangjian.ballots.vote")
		frappe.local.request_ip = "127.0.0.1"
		frappe.set_user(user)
		frappe.local.form_dict = frappe._dict(cmd="dangjian.ballots.vote", t=secret, **values)
		frappe.local.response = frappe._dict()
		frappe.local.message_title = frappe.local.message = None
		ballots.vote(t=secret, **values)
		context = frappe.local.response.get("context") or {}
		after = frappe.session.user
		frappe.set_user("Administrator")
		self.assertEqual(after, user, "the voter keeps their own session")
		return frappe._dict(html=frappe.local.message or "", colour=context.get("indicator_color"))

	def vote(self, url: str, user: str = "Guest") -> frappe._dict:
		values = {
			"evaluation": self.evaluation,
			"satisfaction_vote": "Satisfied",
			"benefit_score": "88",
			"replicability_score": "77",
		}
		confirm = self.post(url, user, **values)
		if "dj-vote-error" in confirm.html:
			return confirm
		self.assertIn("dj-vote-confirm", confirm.html)
		return self.post(url, user, confirm="1", **values)

	def scores(self, **filters) -> int:
		return frappe.db.count(SCORE, {"evaluation": self.evaluation, "docstatus": 1, **filters})

	def desk_score(self, user: str):
		with as_user(user):
			score = frappe.get_doc(
				{
					"doctype": SCORE,
					"evaluation": self.evaluation,
					"evaluator_name": frappe.utils.get_fullname(user),
					"category": "Cadre",
					"satisfaction_vote": "Satisfied",
					"benefit_score": 70,
					"replicability_score": 70,
				}
			).insert()
			score = frappe.get_doc(SCORE, score.name)
			score.submit()
		return score

	# --- e-mail ----------------------------------------------------------------------------------

	def test_an_email_is_queued_per_invitee_with_a_link_that_votes(self):
		invitees = [
			{"invitee_name": "赵一", "email": "zhao.yi@example.com"},
			{"invitee_name": "钱二", "email": "qian.er@example.com", "mobile": "138 0013 8000"},
		]
		issued = self.issue(invitees)
		self.assertEqual([row["sent"] for row in issued], [["email"], ["email"]])
		self.assertEqual([row["not_sent"] for row in issued], ["", ""])
		for invitee, row in zip(invitees, issued, strict=True):
			mails = self.mails(row["ballot"])
			self.assertEqual([m.to for m in mails], [invitee["email"]], "one e-mail to the invitee")
			mail = mails[0]
			self.assertEqual(mail.status, "Not Sent", "queued, not sent now")
			self.assertIn("选票邀请测试项目", mail.subject)
			for words in (
				invitee["invitee_name"],
				"选票邀请测试项目",
				self.evaluation,
				"党员",
				"只能使用一次",
			):
				self.assertIn(words, mail.html)
			links = [unescape(link) for link in LINK.findall(mail.html)]
			self.assertEqual(links, [row["url"]], "the e-mail carries the ballot's own link")
		# the mobile was kept without its spaces
		self.assertEqual(frappe.db.get_value(BALLOT, issued[1]["ballot"], "mobile"), "13800138000")

		before = self.scores()
		done = self.vote(LINK.findall(self.mails(issued[0]["ballot"])[0].html)[0])
		self.assertEqual(done.colour, "green", done.html)
		self.assertEqual(self.scores(), before + 1)
		self.assertEqual(frappe.db.get_value(BALLOT, issued[0]["ballot"], "status"), "Used")

	def test_the_administrator_rewords_the_email(self):
		template = frappe.get_doc("Email Template", ballot_invitations.TEMPLATE)
		original = (template.subject, template.response_html)
		template.subject = "投票邀请 {{ project_name }}"
		template.response_html = '<p>改写的邀请 {{ invitee_name }}：<a href="{{ url }}">投票</a></p>'
		template.save(ignore_permissions=True)
		try:
			row = self.issue([{"invitee_name": "孙三<b>", "email": "sun.san@example.com"}])[0]
			mail = self.mails(row["ballot"])[0]
			self.assertEqual(mail.subject, "投票邀请 选票邀请测试项目")
			self.assertIn("改写的邀请 孙三&lt;b&gt;", mail.html, "the invitee's name is escaped")
			self.assertIn(row["url"], [unescape(link) for link in LINK.findall(mail.html)])
			# made when missing, never overwritten
			ballot_invitations.ensure_email_template()
			self.assertEqual(
				frappe.db.get_value("Email Template", ballot_invitations.TEMPLATE, "subject"),
				"投票邀请 {{ project_name }}",
			)
		finally:
			template.reload()
			template.subject, template.response_html = original
			template.save(ignore_permissions=True)

	def test_without_an_outgoing_account_the_issuer_is_told(self):
		with patch.object(ballot_invitations, "has_outgoing_email", return_value=False):
			row = self.issue([{"invitee_name": "周四", "email": "zhou.si@example.com"}])[0]
		self.assertEqual(row["sent"], [])
		self.assertIn("发件邮箱", row["not_sent"])
		self.assertIn("打印的选票", row["not_sent"])
		self.assertFalse(self.mails(row["ballot"]))
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")

	# --- SMS -------------------------------------------------------------------------------------

	def test_without_a_gateway_no_sms_and_the_issuer_is_told(self):
		self.assertFalse(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))
		with (
			patch(SEND_REQUEST) as gateway,
			patch("frappe.core.doctype.sms_settings.sms_settings.send_sms") as send_sms,
		):
			issued = self.issue(
				[
					{"invitee_name": "吴五", "mobile": "13900139000"},
					{"invitee_name": "郑六"},
					{"invitee_name": "王七", "mobile": "13700137000", "email": "wang.qi@example.com"},
				]
			)
		gateway.assert_not_called()
		send_sms.assert_not_called()
		self.assertEqual([row["sent"] for row in issued], [[], [], ["email"]])
		self.assertIn("短信网关", issued[0]["not_sent"])
		self.assertIn("打印的选票", issued[0]["not_sent"])
		self.assertIn("没有电子邮箱或手机号码", issued[1]["not_sent"])
		self.assertEqual(issued[2]["not_sent"], "", "an e-mail reached them")

	@contextmanager
	def sms_settings(self):
		"""A gateway in SMS Settings, then none again (FrappeTestCase.change_settings cannot restore
		empty mandatory fields)."""
		values = {
			"sms_gateway_url": GATEWAY,
			"message_parameter": "text",
			"receiver_parameter": "to",
			"use_post": 1,
		}
		before = {field: frappe.db.get_single_value("SMS Settings", field) for field in values}
		frappe.db.set_single_value("SMS Settings", values)
		try:
			yield
		finally:
			frappe.db.set_single_value("SMS Settings", before)

	def test_with_a_gateway_send_sms_sends_the_link(self):
		calls = []

		def send_request(gateway_url, params, headers=None, use_post=False, use_json=False):
			calls.append((gateway_url, dict(params)))
			return 200

		with self.sms_settings(), patch(SEND_REQUEST, side_effect=send_request):
			issued = self.issue([{"invitee_name": "冯八", "mobile": "+86 138-0000-1111"}], "Cadre")
		row = issued[0]
		self.assertEqual((row["sent"], row["not_sent"]), (["sms"], ""))
		self.assertEqual(len(calls), 1, calls)
		url, params = calls[0]
		self.assertEqual((url, params["to"]), (GATEWAY, "+8613800001111"))
		self.assertIn(row["url"], params["text"])
		self.assertIn("干部", params["text"])
		self.assertIn("选票邀请测试项目", params["text"])
		# Frappe's SMS Log (a doctype of ERPNext, where it is installed), and the link in the text votes
		if frappe.db.exists("DocType", "SMS Log"):
			self.assertTrue(frappe.db.exists("SMS Log", {"sent_to": "+8613800001111"}))
		sent_link = re.search(r"https?://\S+/dangjian-vote\?t=[\w-]+", params["text"]).group(0)
		self.assertEqual(self.vote(sent_link).colour, "green")

	def test_a_failing_gateway_is_logged_without_the_link_and_told_in_the_bell(self):
		import requests

		def refuse(*args, **kwargs):
			raise requests.HTTPError(f"500 Server Error for url: {GATEWAY}?text=secret-link")

		with self.sms_settings(), patch(SEND_REQUEST, side_effect=refuse):
			row = self.issue([{"invitee_name": "陈九", "mobile": "13600136000"}])[0]
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
		bell = frappe.get_all(
			"Notification Log",
			filters={"for_user": self.a.approver_a, "document_name": self.evaluation},
			pluck="subject",
		)
		self.assertTrue([subject for subject in bell if "陈九" in subject], bell)
		logs = frappe.get_all(
			"Error Log",
			filters={"reference_doctype": BALLOT, "reference_name": row["ballot"]},
			fields=["error"],
		)
		self.assertEqual(len(logs), 1)
		self.assertNotIn(secret_of(row["url"]), logs[0].error)
		self.assertNotIn("secret-link", logs[0].error)

	# --- bad contacts ------------------------------------------------------------------------------

	def test_a_bad_email_or_mobile_is_refused_before_any_ballot_is_made(self):
		ballots_before = frappe.db.count(BALLOT, {"evaluation": self.evaluation})
		mails_before = frappe.db.count("Email Queue", {"reference_doctype": BALLOT})
		for bad in ({"email": "not-an-address"}, {"mobile": "12345"}, {"mobile": "1380013800a"}):
			invitees = [
				{"invitee_name": "好人", "email": "good@example.com"},
				{"invitee_name": "坏人", **bad},
			]
			with self.assertRaises(frappe.ValidationError) as refused:
				self.issue(invitees)
			frappe.clear_messages()
			self.assertIn(next(iter(bad.values())), str(refused.exception))
		self.assertEqual(frappe.db.count(BALLOT, {"evaluation": self.evaluation}), ballots_before)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_doctype": BALLOT}), mails_before)

	# --- an invitee with an account ------------------------------------------------------------------

	def test_an_invitee_with_an_account_votes_logged_in_once(self):
		row = self.issue([{"invitee_name": "张投票", "user": self.voter}], "Cadre")[0]
		# no e-mail given: the one of their account
		self.assertEqual(row["sent"], ["email"])
		self.assertEqual([m.to for m in self.mails(row["ballot"])], [self.voter])
		before, theirs = self.scores(), self.scores(evaluator_user=self.voter)
		done = self.vote(row["url"], user=self.voter)
		self.assertEqual(done.colour, "green", done.html)
		self.assertEqual(self.scores(), before + 1, "one vote")
		self.assertEqual(self.scores(evaluator_user=self.voter), theirs, "not a desk score of theirs")
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Used")
		# and no second vote on the desk
		with self.assertRaises(DuplicateEvaluationScore):
			self.desk_score(self.voter)
		frappe.clear_messages()
		self.assertEqual(self.scores(), before + 1)

	def test_an_invitee_who_scored_on_the_desk_cannot_vote_again(self):
		row = self.issue([{"invitee_name": "李评分", "user": self.desk_voter}])[0]
		self.desk_score(self.desk_voter)
		before = self.scores()
		for user in ("Guest", self.desk_voter):
			refused = self.vote(row["url"], user=user)
			self.assertIn("dj-vote-error", refused.html)
			self.assertIn("已在系统中为本项评估评分", refused.html)
		self.assertEqual(self.scores(), before)
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
