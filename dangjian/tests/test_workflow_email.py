"""The e-mail that a document waits for a decision (dangjian.workflow_email): Chinese, to the
users in scope who may decide, with links that complete the action after asking for the opinion
it needs, or that are not offered (an acceptance conclusion is taken on the form). Each link is
clicked here as its recipient would: the page is rendered through Frappe's website, then its form
is posted to the whitelisted method."""

import email
import re
from email import policy
from html import unescape
from urllib.parse import urlsplit

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request
from frappe.website.serve import get_response

from dangjian import workflow_email
from dangjian.setup.workflow import EMAIL_TEMPLATES, WORKFLOWS
from dangjian.tests.utils import (
	act,
	applied_acceptance,
	frozen,
	in_progress_project,
	make_actors,
	make_project,
	outgoing_email_account,
	quarterly_report_fields,
)

LINK = re.compile(r'href="([^"]*/dangjian-action\?[^"]*)"')
LATIN = re.compile(r"[A-Za-z]{3,}")


class TestWorkflowEmail(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("WE")
		# the people of a Chinese site (the e-mail's own words are in the recipient's language)
		for user in (cls.a.approver_a, cls.a.approver_b, cls.a.committee_a, cls.a.secretary_a):
			frappe.db.set_value("User", user, "language", "zh")
		outgoing_email_account()

	def setUp(self):
		self.lang = frappe.local.lang
		frappe.local.lang = "zh"  # the pages as a Chinese site shows them

	def tearDown(self):
		frappe.local.lang = self.lang
		frappe.local.request = None
		frappe.set_user("Administrator")

	# --- what was sent ----------------------------------------------------------------------------

	def mails(self, doc) -> list[dict]:
		"""The e-mails about ``doc`` in the queue: recipient, subject, HTML body."""
		found = []
		for row in frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": doc.doctype, "reference_name": doc.name},
			fields=["name", "message"],
		):
			message = email.message_from_string(row.message, policy=policy.default)
			html = message.get_body(preferencelist=("html",)).get_content()
			for recipient in frappe.get_all(
				"Email Queue Recipient", filters={"parent": row.name}, pluck="recipient"
			):
				found.append(frappe._dict(to=recipient, subject=str(message["Subject"]), html=html))
		return found

	def only_mail_to(self, doc, user: str) -> frappe._dict:
		mails = self.mails(doc)
		self.assertEqual([m.to for m in mails], [user], "the e-mail goes to the one user in scope")
		mail = mails[0]
		self.assertNotIn("Workflow Action", mail.html)
		self.assertNotIn("workflow_action.apply_action", mail.html)
		self.assertIn("待您办理", mail.html)
		return mail

	def links(self, mail) -> list[str]:
		links = [unescape(link) for link in LINK.findall(mail.html)]
		self.assertTrue(links, "the e-mail has action links")
		return links

	# --- clicking --------------------------------------------------------------------------------

	def open_link(self, url: str, as_user: str = "Guest") -> str:
		"""GET the page as the e-mail's recipient would (not logged in by default)."""
		parts = urlsplit(url)
		frappe.set_user(as_user)
		set_request(method="GET", path=parts.path, query_string=parts.query)
		frappe.local.form_dict = frappe._dict()
		response = get_response()
		self.assertEqual(response.status_code, 200)
		return frappe.safe_decode(response.get_data())

	def post_form(self, url: str, as_user: str = "Guest", **values) -> frappe._dict:
		"""POST the page's form: what the page said (title, text, colour)."""
		query = urlsplit(url).query
		frappe.set_user(as_user)
		set_request(method="POST", path="/api/method/dangjian.workflow_email.act")
		frappe.local.request_ip = "127.0.0.1"
		frappe.local.form_dict = frappe._dict(cmd="dangjian.workflow_email.act", link=query, **values)
		frappe.local.response = frappe._dict()
		workflow_email.act(link=query, **values)
		context = frappe.local.response.get("context") or {}
		return frappe._dict(
			title=frappe.local.message_title, html=frappe.local.message, colour=context.get("indicator_color")
		)

	def link_for(self, links: list[str], action: str) -> str:
		chosen = [link for link in links if f"action={action.replace(' ', '+')}" in link]
		self.assertEqual(len(chosen), 1, f"one link for {action}")
		return chosen[0]

	# --- tests -----------------------------------------------------------------------------------

	def test_the_app_sends_its_own_email_with_a_chinese_template_for_each_waiting_state(self):
		self.assertTrue(EMAIL_TEMPLATES)
		for (workflow, state), (template, subject, text) in EMAIL_TEMPLATES.items():
			doc = frappe.get_doc("Workflow", workflow)
			self.assertEqual(doc.send_email_alert, 0, "Frappe's English e-mail is off")
			row = next(row for row in doc.states if row.state == state)
			self.assertEqual(row.next_action_email_template, template)
			stored = frappe.get_doc("Email Template", template)
			self.assertEqual((stored.subject, stored.response_html), (subject, text))
			self.assertFalse(LATIN.findall(re.sub(r"{[{%].*?[%}]}|<[^>]+>", "", subject + text)))
		# every state someone else decides in has a template
		waiting = {
			(name, state)
			for name, spec in WORKFLOWS.items()
			for state, *_rest in spec["states"]
			if workflow_email.decisions(spec["document_type"], state)
		}
		self.assertEqual(waiting, set(EMAIL_TEMPLATES))

	def test_an_application_is_reviewed_and_approved_from_the_email_links(self):
		doc = make_project(self.a.tree.branch_a1)
		act(doc, "Apply", self.a.secretary_a)
		mail = self.only_mail_to(doc, self.a.approver_a)  # not unit B's approver, not the branch
		self.assertIn("项目申报待审核", mail.subject)
		self.assertIn(doc.project_name, mail.subject)
		links = self.links(mail)
		self.assertEqual(len(links), 2)  # Pass Review, Return to Branch

		# the page asks for the review opinion; posting without one changes nothing
		page = self.open_link(self.link_for(links, "Pass Review"))
		self.assertIn('name="review_opinion"', page)
		self.assertIn("审核意见", page)
		self.assertIn(doc.project_name, page)
		self.assertNotIn("Pass Review", page)
		said = self.post_form(self.link_for(links, "Pass Review"), review_opinion="  ")
		self.assertEqual(said.colour, "red")
		self.assertIn("请先填写审核意见", said.html)
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Applied")

		# with the opinion the review is done, as the approver
		said = self.post_form(self.link_for(links, "Pass Review"), review_opinion="材料齐全，同意上报党委。")
		self.assertEqual(said.colour, "green", said.html)
		doc.reload()
		self.assertEqual(
			(doc.status, doc.reviewed_by, doc.review_opinion),
			("Reviewed", self.a.approver_a, "材料齐全，同意上报党委。"),
		)

		# the link cannot be used again, and the other one has expired too
		for action in ("Pass Review", "Return to Branch"):
			page = self.open_link(self.link_for(links, action))
			self.assertIn("此链接已失效", page)
			self.assertNotIn("<textarea", page)
		said = self.post_form(self.link_for(links, "Return to Branch"), return_reason="试图退回")
		self.assertEqual(said.colour, "red")
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Reviewed")

		# the committee's e-mail: approve and file
		mail = self.only_mail_to_new(doc, self.a.committee_a)
		self.assertIn("项目待党委审定", mail.subject)
		said = self.post_form(
			self.link_for(self.links(mail), "Approve and File"), committee_opinion="同意立项，予以备案。"
		)
		self.assertEqual(said.colour, "green", said.html)
		doc.reload()
		self.assertEqual((doc.status, doc.approved_by), ("Approved", self.a.committee_a))
		self.assertTrue(doc.filing_number)

	def only_mail_to_new(self, doc, user: str) -> frappe._dict:
		mails = [mail for mail in self.mails(doc) if mail.to == user]
		self.assertEqual(len(mails), 1)
		return mails[0]

	def test_a_return_from_the_link_keeps_the_reason(self):
		doc = make_project(self.a.tree.branch_a1)
		act(doc, "Apply", self.a.secretary_a)
		links = self.links(self.only_mail_to(doc, self.a.approver_a))
		said = self.post_form(self.link_for(links, "Return to Branch"), return_reason="请补充座谈记录。")
		self.assertEqual(said.colour, "green", said.html)
		doc.reload()
		self.assertEqual((doc.status, doc.return_reason), ("Returned", "请补充座谈记录。"))

	def test_a_refused_action_keeps_the_text_typed_and_saves_nothing(self):
		# the approver of unit A is also the project's applicant: the Workflow refuses the review
		doc = make_project(self.a.tree.branch_a1)
		act(doc, "Apply", self.a.secretary_a)
		links = self.links(self.only_mail_to(doc, self.a.approver_a))
		frappe.db.set_value(doc.doctype, doc.name, "applied_by", self.a.approver_a)
		said = self.post_form(self.link_for(links, "Pass Review"), review_opinion="同意。<b>保留</b>")
		self.assertEqual(said.colour, "red")
		self.assertIn("同意。&lt;b&gt;保留&lt;/b&gt;", said.html)  # kept, escaped
		self.assertIn("<textarea", said.html)
		self.assertFalse(frappe.db.get_value(doc.doctype, doc.name, "review_opinion"))
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Applied")

	def test_a_forged_or_someone_elses_link_is_refused(self):
		doc = make_project(self.a.tree.branch_a1)
		act(doc, "Apply", self.a.secretary_a)
		link = self.link_for(self.links(self.only_mail_to(doc, self.a.approver_a)), "Pass Review")
		forged = link.replace(self.a.approver_a.replace("@", "%40"), self.a.approver_b.replace("@", "%40"))
		self.assertNotEqual(forged, link)
		for bad in (forged, link[:-3], link.split("&_signature=")[0]):
			page = self.open_link(bad)
			self.assertIn("此链接无效", page)
			said = self.post_form(bad, review_opinion="伪造")
			self.assertEqual(said.colour, "red")
		# logged in as someone else
		page = self.open_link(link, as_user=self.a.secretary_a)
		self.assertIn("此链接属于", page)
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Applied")

	def test_a_quarterly_report_is_reviewed_from_its_link(self):
		project = in_progress_project(self.a, on="2026-04-20")
		with frozen("2026-10-05 10:00:00"):
			with self.set_user(self.a.secretary_a):
				report = frappe.get_doc(quarterly_report_fields(project.name, 2026, 3)).insert()
			act(report, "Submit", self.a.secretary_a)
			mail = self.only_mail_to(report, self.a.approver_a)
			self.assertIn("季度进展报告待审阅", mail.subject)
			said = self.post_form(
				self.link_for(self.links(mail), "Mark Reviewed"), supervision_comment="进度正常，继续推进。"
			)
		self.assertEqual(said.colour, "green", said.html)
		self.assertEqual(frappe.db.get_value(report.doctype, report.name, "status"), "Reviewed")

	def test_an_acceptance_conclusion_is_not_offered_by_link(self):
		project = in_progress_project(self.a, on="2026-04-20")
		with frozen("2027-03-01"):
			acceptance = applied_acceptance(self.a, project)
		mail = self.only_mail_to(acceptance, self.a.approver_a)
		self.assertIn("项目申请验收", mail.subject)
		links = self.links(mail)
		self.assertEqual([link for link in links if "action=Pass" in link], [])
		self.assertEqual(len(links), 1)  # Return to Branch only
		self.assertIn("在系统中打开表单办理：验收通过", mail.html)
