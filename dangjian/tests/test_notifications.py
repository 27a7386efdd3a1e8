"""The branch hears the outcome of its own project: the app's Notifications (dangjian.setup.
notifications) fire once per step, to the branch's people on the document only, in Chinese, into
the bell (Notification Log, which e-mails as each user's Notification Settings allow); a
notification the administrator disabled stays silent, and one they edited is kept on migrate."""

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.setup.notifications import NOTIFICATIONS, ensure_notifications
from dangjian.tests.utils import (
	accepted_project,
	act,
	approved_project,
	frozen,
	in_progress_project,
	make_actors,
	make_project,
	quarterly_report_fields,
)

RETURNED = "党建+：申报被退回"


class TestNotifications(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("NT")

	def bell(self, doctype: str, name: str, words: str) -> list[dict]:
		"""The Notification Logs of a document whose subject has ``words``."""
		return [
			row
			for row in frappe.get_all(
				"Notification Log",
				filters={"document_type": doctype, "document_name": name},
				fields=["for_user", "subject", "email_content", "type"],
			)
			if words in row.subject
		]

	def assert_told_once(self, rows: list[dict], users: set[str]):
		self.assertTrue(rows)
		self.assertEqual(sorted(row.for_user for row in rows), sorted(users))  # each once
		for row in rows:
			self.assertEqual(row.type, "Alert")

	def branch_people(self, doctype: str, name: str) -> set[str]:
		return {user for user in frappe.db.get_value(doctype, name, ["applied_by", "project_lead"]) if user}

	def test_the_notifications_are_installed_and_an_edit_is_kept(self):
		self.assertEqual(len(NOTIFICATIONS), 8)
		for spec in NOTIFICATIONS:
			doc = frappe.get_doc("Notification", spec["name"])
			self.assertEqual((doc.enabled, doc.channel, doc.is_standard), (1, "System Notification", 0))
			self.assertTrue(doc.recipients)
			self.assertFalse([row for row in doc.recipients if row.receiver_by_role], spec["name"])
		doc = frappe.get_doc("Notification", RETURNED)
		original = doc.subject
		doc.subject = "申报退回（本公司措辞）：{{ doc.project_name }}"
		doc.save()
		try:
			ensure_notifications()
			self.assertEqual(frappe.db.get_value("Notification", RETURNED, "subject"), doc.subject)
		finally:
			doc.reload()
			doc.subject = original
			doc.save()

	def test_a_returned_application_tells_the_branch_once_with_the_reason(self):
		doc = make_project(self.a.tree.branch_a1)
		act(doc, "Apply", self.a.secretary_a)
		act(doc, "Return", self.a.approver_a, return_reason="请补充可行性论证的座谈记录。")
		rows = self.bell(doc.doctype, doc.name, "申报被退回")
		people = self.branch_people(doc.doctype, doc.name)
		self.assertIn(self.a.secretary_a, people)
		self.assert_told_once(rows, people)
		for row in rows:
			self.assertIn(doc.project_name, row.subject)
			self.assertIn("退回原因：请补充可行性论证的座谈记录。", row.email_content)
		# nobody outside the branch: not the approver who returned it, not another branch
		told = {row.for_user for row in rows}
		self.assertNotIn(self.a.approver_a, told)
		self.assertNotIn(self.a.secretary_b, told)

	def test_approval_tells_the_filing_number(self):
		doc = approved_project(self.a)
		rows = self.bell(doc.doctype, doc.name, "已审定备案")
		self.assert_told_once(rows, self.branch_people(doc.doctype, doc.name))
		self.assertTrue(doc.filing_number)
		for row in rows:
			self.assertIn(doc.filing_number, row.subject)
			self.assertIn("请制定实施方案", row.email_content)
		# the earlier steps of the same project did not say "returned"
		self.assertEqual(self.bell(doc.doctype, doc.name, "退回"), [])

	def test_a_disabled_notification_stays_silent(self):
		notification = frappe.get_doc("Notification", RETURNED)
		notification.enabled = 0
		notification.save()
		try:
			doc = make_project(self.a.tree.branch_a1)
			act(doc, "Apply", self.a.secretary_a)
			act(doc, "Return", self.a.approver_a, return_reason="请补充。")
			self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Returned")
			self.assertEqual(self.bell(doc.doctype, doc.name, "退回"), [])
		finally:
			notification.reload()
			notification.enabled = 1
			notification.save()

	def test_the_acceptance_conclusion_is_told_with_what_comes_next(self):
		doc = accepted_project(self.a)
		rows = self.bell(doc.doctype, doc.name, "验收结论")
		self.assert_told_once(rows, self.branch_people(doc.doctype, doc.name))
		for row in rows:
			self.assertIn("通过验收", row.subject)
			self.assertIn("星级评估", row.email_content)

	def test_a_quarterly_report_returned_then_reviewed(self):
		project = in_progress_project(self.a, on="2026-04-20")
		with frozen("2026-10-05 10:00:00"):
			with self.set_user(self.a.secretary_a):
				report = frappe.get_doc(quarterly_report_fields(project.name, 2026, 3)).insert()
			report = act(report, "Submit", self.a.secretary_a)
			report = act(report, "Return", self.a.approver_a, return_reason="请补充隐患排查记录。")
			returned = self.bell(report.doctype, report.name, "被退回")
			self.assert_told_once(returned, {self.a.secretary_a})
			self.assertIn("请补充隐患排查记录。", returned[0].email_content)
			report = act(report, "Submit", self.a.secretary_a)
			act(report, "Review", self.a.approver_a, supervision_comment="进度符合计划。")
		reviewed = self.bell(report.doctype, report.name, "已审阅")
		self.assert_told_once(reviewed, {self.a.secretary_a})
		self.assertIn("进度符合计划。", reviewed[0].email_content)
		self.assertIn("2026年第3季度", reviewed[0].subject)

	def test_commendation_and_top_ten_are_told(self):
		from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated

		project = evaluated(self.a.tree.branch_a1, 2026, 5)
		people = self.branch_people("Dangjian Project", project)
		self.assertEqual(people, {self.a.secretary_a})  # the lead: the branch's secretary
		with self.set_user(self.a.committee_a):
			commendation = frappe.get_doc(
				{
					"doctype": "Dangjian Commendation",
					"title": "关于表彰2026年度优秀党建+项目的决定",
					"unit": self.a.tree.unit_a,
					"year": 2026,
					"document_number": "党委〔2027〕9号",
					"document_date": "2027-01-15",
					"projects": [{"project": project}],
				}
			).insert()
			commendation.submit()
		rows = self.bell("Dangjian Project", project, "表彰")
		self.assert_told_once(rows, people)
		self.assertIn(commendation.name, rows[0].email_content)
		# the Top Ten mark told the same way (the selection itself is tested with its doctype)
		frappe.get_doc("Dangjian Project", project).db_set("top_ten", 1)
		self.assert_told_once(self.bell("Dangjian Project", project, "十佳"), people)
