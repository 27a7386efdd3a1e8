"""Scheduled jobs, called directly with time frozen."""

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import getdate, nowdate

from dangjian.tasks import send_application_reminders
from dangjian.tests.utils import act, make_actors, make_project


class TestApplicationReminders(FrappeTestCase):
	"""Deadline April 30 of the next year, reminders 7 days ahead (the defaults): branch A1
	has applied for a project of that year, branch B1 has not, branch A2 has no secretary."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("AR")
		cls.year = getdate(nowdate()).year + 1
		act(make_project(cls.a.tree.branch_a1, year=cls.year), "Apply", cls.a.secretary_a)
		# a default outgoing account, so that the e-mails are queued (rolled back with the class)
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test Dangjian Outgoing",
				"email_id": "outgoing@djtest.invalid",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
		frappe.local.outgoing_email_account = {}

	@classmethod
	def tearDownClass(cls):
		super().tearDownClass()
		# forget the rolled-back account
		frappe.local.outgoing_email_account = {}

	def reminders(self, branch, user, day):
		return frappe.get_all(
			"Notification Log",
			filters=[
				["for_user", "=", user],
				["document_type", "=", "Party Organization"],
				["document_name", "=", branch],
				["creation", ">=", day],
				["creation", "<", f"{day} 23:59:59.999999"],
			],
			fields=["name", "type", "subject"],
		)

	def emails(self, user, day):
		queue = frappe.qb.DocType("Email Queue")
		recipient = frappe.qb.DocType("Email Queue Recipient")
		return (
			frappe.qb.from_(queue)
			.join(recipient)
			.on(recipient.parent == queue.name)
			.select(queue.name)
			.where(recipient.recipient == user)
			.where(queue.creation >= day)
			.where(queue.creation < f"{day} 23:59:59.999999")
			.run(pluck=True)
		)

	def run_on(self, day):
		with self.freeze_time(f"{day} 08:00:00"):
			return send_application_reminders()

	def test_reminds_a_branch_without_application_once_a_day(self):
		day = f"{self.year}-04-25"
		self.assertGreaterEqual(self.run_on(day), 1)
		logs = self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day)
		self.assertEqual(len(logs), 1)
		self.assertEqual(logs[0].type, "Alert")
		self.assertIn(str(self.year), logs[0].subject)
		self.assertEqual(len(self.emails(self.a.secretary_b, day)), 1)
		# the branch that applied is not reminded
		self.assertEqual(self.reminders(self.a.tree.branch_a1, self.a.secretary_a, day), [])
		self.assertEqual(self.emails(self.a.secretary_a, day), [])

		# not twice the same day
		self.run_on(day)
		self.assertEqual(len(self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day)), 1)
		self.assertEqual(len(self.emails(self.a.secretary_b, day)), 1)

		# the next day, again
		day = f"{self.year}-04-26"
		self.run_on(day)
		self.assertEqual(len(self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day)), 1)

	def test_window_ends_on_the_deadline_day(self):
		for day, expected in (
			(f"{self.year}-04-22", 0),  # 8 days before: not yet
			(f"{self.year}-04-23", 1),  # 7 days before
			(f"{self.year}-04-30", 1),  # the deadline day
			(f"{self.year}-05-01", 0),  # after the deadline
		):
			self.run_on(day)
			self.assertEqual(
				len(self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day)), expected, day
			)

	def test_notification_stands_without_an_email_account(self):
		day = f"{self.year}-04-28"
		frappe.db.set_value("Email Account", "_Test Dangjian Outgoing", "enable_outgoing", 0)
		frappe.local.outgoing_email_account = {}
		try:
			self.run_on(day)
		finally:
			frappe.db.set_value("Email Account", "_Test Dangjian Outgoing", "enable_outgoing", 1)
			frappe.local.outgoing_email_account = {}
		self.assertEqual(len(self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day)), 1)
		self.assertEqual(self.emails(self.a.secretary_b, day), [])

	def test_disabled_reminders_send_nothing(self):
		day = f"{self.year}-04-27"
		with change_settings("Dangjian Settings", enable_application_reminder=0):
			self.assertEqual(self.run_on(day), 0)
		self.assertEqual(self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day), [])

	def test_the_scheduler_runs_the_reminders_on_its_own(self):
		"""Not the function called by hand: the scheduler's own pass (frappe.utils.scheduler.
		enqueue_events) finds the daily jobs due and queues them, and what the worker runs for a
		queued job (run_scheduled_job) sends the reminder and logs the run."""
		from unittest.mock import patch

		from frappe.utils.scheduler import enqueue_events

		methods = frappe.get_hooks("scheduler_events", app_name="dangjian")["daily"]
		self.assertTrue(methods)
		for method in methods:
			self.assertEqual(
				frappe.db.get_value("Scheduled Job Type", {"method": method}, "frequency"), "Daily"
			)
		queued = []

		def worker(method, **kwargs):
			# what an RQ worker does with the queued job, here and now; only the app's jobs run
			# (on a new site every other app's job is due too, and one of them may roll back)
			queued.append(kwargs["job_type"])
			if kwargs["job_type"] in methods:
				frappe.get_attr(method)(job_type=kwargs["job_type"])

		day = f"{self.year}-04-29"
		target = "frappe.core.doctype.scheduled_job_type.scheduled_job_type"
		with (
			self.freeze_time(f"{day} 08:00:00"),
			patch(f"{target}.enqueue", side_effect=worker),
			patch(f"{target}.ScheduledJobType.is_job_in_queue", return_value=False),
			# the job runner commits as a worker does; here that would keep the class's records
			# on the site after the test, and a second run of the suite on it would fail
			patch.object(frappe.db, "commit"),
		):
			enqueue_events(site=frappe.local.site)
		for method in methods:
			self.assertIn(method, queued)
			self.assertTrue(
				frappe.db.exists(
					"Scheduled Job Log",
					{
						"scheduled_job_type": frappe.db.get_value("Scheduled Job Type", {"method": method}),
						"status": "Complete",
					},
				),
				method,
			)
		self.assertEqual(len(self.reminders(self.a.tree.branch_b1, self.a.secretary_b, day)), 1)
