# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import formatdate

from dangjian.dangjian.doctype.dangjian_quarterly_report.reminders import (
	daily,
	send_overdue_escalations,
	send_quarterly_reminders,
)
from dangjian.tests.utils import (
	act,
	frozen,
	in_progress_project,
	make_actors,
	make_user,
	quarterly_report_fields,
)

SWITCHES_ON = {
	"enable_quarterly_reminder": 1,
	"enable_overdue_escalation": 1,
	"quarterly_reminder_days": 7,
	"quarterly_report_due_days": 10,
}


class TestQuarterlyReminders(FrappeTestCase):
	"""A project whose implementation started on 2026-04-20: its first report is for 2026 Q3,
	due on 2026-10-10; the reminder window opens on 2026-10-03."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("RM")
		ensure_outgoing_email_account()
		cls.project = in_progress_project(cls.a, on="2026-04-20").name
		# the branch was told of the approval (dangjian.setup.notifications): the reminders'
		# tests count what the reminders send, from nothing
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Dangjian Project", "reference_name": cls.project},
			pluck="name",
		)
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued or [""])})
		frappe.db.delete("Email Queue", {"name": ("in", queued or [""])})
		frappe.db.delete(
			"Notification Log", {"document_type": "Dangjian Project", "document_name": cls.project}
		)

	def setUp(self):
		# each test starts from the same project with no reports and no notifications
		frappe.db.savepoint("reminders_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="reminders_test")

	# --- helpers -----------------------------------------------------------------------------------

	def logs(self, user=None):
		filters = {"document_type": "Dangjian Project", "document_name": self.project}
		if user:
			filters["for_user"] = user
		return frappe.get_all(
			"Notification Log", filters=filters, fields=["for_user", "subject"], order_by="creation"
		)

	def subjects(self, user):
		return [log.subject for log in self.logs(user)]

	def emails(self):
		return frappe.db.count(
			"Email Queue", {"reference_doctype": "Dangjian Project", "reference_name": self.project}
		)

	def submit(self, quarter, year=2026):
		with self.set_user(self.a.secretary_a):
			doc = frappe.get_doc(quarterly_report_fields(self.project, year, quarter)).insert()
		return act(frappe.get_doc(doc.doctype, doc.name), "Submit", self.a.secretary_a)

	def remind(self, when):
		with frozen(when):
			return send_quarterly_reminders()

	def escalate(self, when):
		with frozen(when):
			return send_overdue_escalations()

	# --- reminders ----------------------------------------------------------------------------------

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_reminder_inside_the_window_and_not_before_or_after_it(self):
		emails_before = self.emails()
		self.remind("2026-10-02 08:00:00")  # 8 days before the due date
		self.assertEqual(self.logs(), [])
		self.assertEqual(self.emails(), emails_before)

		created = self.remind("2026-10-03 08:00:00")  # 7 days before
		self.assertGreaterEqual(created, 1)
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 1)
		subject = self.subjects(self.a.secretary_a)[0]
		self.assertIn("2026 Q3", subject)
		self.assertIn(self.project, subject)
		self.assertIn("党建+安全生产先锋岗", subject)
		self.assertIn(formatdate("2026-10-10"), subject)
		# the same message is queued as an e-mail
		self.assertEqual(self.emails(), emails_before + 1)
		# nobody but the branch is reminded
		self.assertEqual({log.for_user for log in self.logs()}, {self.a.secretary_a})

		self.remind("2026-10-10 08:00:00")  # on the due date, a new day: reminded again
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 2)

		self.remind("2026-10-11 08:00:00")  # past the due date: escalation's business, not a reminder
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 2)

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_not_twice_the_same_day(self):
		self.remind("2026-10-05 08:00:00")
		self.remind("2026-10-05 17:00:00")
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 1)
		self.remind("2026-10-06 08:00:00")
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 2)

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_a_draft_does_not_stop_the_reminder_a_submission_does(self):
		with frozen("2026-10-04 09:00:00"):
			with self.set_user(self.a.secretary_a):
				draft = frappe.get_doc(quarterly_report_fields(self.project, 2026, 3)).insert()
		self.remind("2026-10-04 10:00:00")
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 1)

		with frozen("2026-10-05 09:00:00"):
			act(frappe.get_doc(draft.doctype, draft.name), "Submit", self.a.secretary_a)
		self.remind("2026-10-05 10:00:00")
		self.remind("2026-10-06 10:00:00")
		self.assertEqual(len(self.subjects(self.a.secretary_a)), 1)

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_project_lead_other_than_the_secretary_is_reminded_too(self):
		lead = make_user("rm-lead")
		frappe.db.set_value("Dangjian Project", self.project, "project_lead", lead)
		self.remind("2026-10-05 08:00:00")
		self.assertEqual({log.for_user for log in self.logs()}, {self.a.secretary_a, lead})

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_subject_in_the_recipients_language_keeps_the_quarter_marker(self):
		frappe.db.set_value("User", self.a.secretary_a, "language", "zh")
		self.remind("2026-10-05 08:00:00")
		self.remind("2026-10-05 09:00:00")  # the marker still stops a second one
		subjects = self.subjects(self.a.secretary_a)
		self.assertEqual(len(subjects), 1)
		self.assertIn("季度进展报告即将到期", subjects[0])
		self.assertIn("2026 Q3", subjects[0])

	# --- escalation ---------------------------------------------------------------------------------

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_escalation_to_the_approver_after_the_due_date_and_only_then(self):
		self.escalate("2026-10-10 20:00:00")  # on the due date it is not overdue yet
		self.assertEqual(self.subjects(self.a.approver_a), [])

		self.escalate("2026-10-11 08:00:00")
		approver = self.subjects(self.a.approver_a)
		self.assertEqual(len(approver), 1)
		self.assertIn("2026 Q3", approver[0])
		self.assertIn(self.project, approver[0])
		self.assertIn("Overdue", approver[0])
		# the branch is told it is overdue; the other unit's approver and the committee are not
		secretary = self.subjects(self.a.secretary_a)
		self.assertEqual(len(secretary), 1)
		self.assertIn("2026 Q3", secretary[0])
		self.assertIn("overdue", secretary[0])
		self.assertEqual(self.subjects(self.a.approver_b), [])
		self.assertEqual(self.subjects(self.a.committee_a), [])

		# not twice the same day
		self.escalate("2026-10-11 18:00:00")
		self.assertEqual(len(self.subjects(self.a.approver_a)), 1)

		# a late submission ends it
		with frozen("2026-10-12 09:00:00"):
			self.assertEqual(self.submit(3).is_late, 1)
		self.escalate("2026-10-12 10:00:00")
		self.assertEqual(len(self.subjects(self.a.approver_a)), 1)

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_each_overdue_quarter_is_its_own_notification(self):
		self.escalate("2027-01-11 08:00:00")  # Q3 and Q4 2026 both overdue
		approver = sorted(self.subjects(self.a.approver_a))
		self.assertEqual(len(approver), 2)
		self.assertIn("2026 Q3", approver[0])
		self.assertIn("2026 Q4", approver[1])

	@change_settings("Dangjian Settings", SWITCHES_ON)
	def test_return_value_counts_the_notifications_created(self):
		before = frappe.db.count("Notification Log")
		with frozen("2026-10-11 08:00:00"):
			created = send_overdue_escalations()
		self.assertEqual(created, frappe.db.count("Notification Log") - before)
		self.assertGreaterEqual(created, 2)

	# --- switches -----------------------------------------------------------------------------------

	@change_settings(
		"Dangjian Settings",
		{**SWITCHES_ON, "enable_quarterly_reminder": 0, "enable_overdue_escalation": 0},
	)
	def test_switched_off_nothing_is_sent(self):
		emails_before = self.emails()
		self.assertEqual(self.remind("2026-10-05 08:00:00"), 0)
		self.assertEqual(self.escalate("2026-10-11 08:00:00"), 0)
		with frozen("2027-01-11 08:00:00"):
			daily()
		self.assertEqual(self.logs(), [])
		self.assertEqual(self.emails(), emails_before)


def ensure_outgoing_email_account():
	"""Queued e-mails need a default outgoing account (no connection is made in tests)."""
	if frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		return
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "_Test Dangjian Outgoing",
			"email_id": "dangjian-outgoing@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.example.com",
		}
	).insert(ignore_permissions=True)
