"""The annual call for applications (申报通知): published by the company or a unit to the branch
secretaries below it (the bell once, nobody else), read records written once per secretary with
the time, the publisher's list of who has read it and who has not, the rules over the REST API,
and the deadline reminder naming the unread notice."""

import frappe
from frappe.tests.test_api import FrappeAPITestCase, make_request
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import get_datetime, getdate, nowdate

from dangjian import scope
from dangjian.dangjian.doctype.dangjian_notice.dangjian_notice import (
	NOTICE,
	NOTICE_READ,
	mark_read,
	readers,
	recipients,
	unread_by,
)
from dangjian.dashboard import unread_notices
from dangjian.tests.utils import add_member, api_token, make_actors, make_tree, make_user, set_secretary
from dangjian.workflows import as_user

NOTICE_METHODS = "dangjian.dangjian.doctype.dangjian_notice.dangjian_notice"


def notice_values(organization: str, year: int, title: str = "关于开展党建+项目申报工作的通知") -> dict:
	return {
		"doctype": NOTICE,
		"title": title,
		"year": year,
		"organization": organization,
		"content": "<p>各党支部：请按时申报。</p>",
	}


def publish(user: str, organization: str, year: int, **fields):
	with as_user(user):
		doc = frappe.get_doc({**notice_values(organization, year), **fields}).insert()
		doc.submit()
	return frappe.get_doc(NOTICE, doc.name)


def bell(notice: str) -> list[str]:
	return sorted(
		frappe.get_all(
			"Notification Log",
			filters={"document_type": NOTICE, "document_name": notice},
			pluck="for_user",
		)
	)


class TestNotices(FrappeTestCase):
	"""Tree NO: company → unit A (branch A1, general branch → branch A2) and unit B (branch B1);
	secretaries of A1, A2 and B1, approvers of A and B, a company administrator."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("NO")
		cls.secretary_a2 = make_user("no-sec-a2")
		set_secretary(cls.a.tree.branch_a2, cls.secretary_a2)
		cls.admin = make_user("no-admin")
		add_member(cls.a.tree.company, cls.admin, "Administrator")
		cls.year = getdate(nowdate()).year + 1

	def test_a_units_notice_reaches_its_secretaries_only_once(self):
		# each in their own language, whatever the publisher's: secretary A reads Chinese
		frappe.db.set_value("User", self.a.secretary_a, "language", "zh")
		frappe.db.set_value("User", self.a.approver_a, "language", "en")
		notice = publish(self.a.approver_a, self.a.tree.unit_a, self.year)
		expected = sorted([self.a.secretary_a, self.secretary_a2])
		self.assertEqual(sorted(recipients(notice.organization)), expected)
		self.assertEqual(bell(notice.name), expected)
		self.assertNotIn(self.a.secretary_b, bell(notice.name))
		log = frappe.get_all(
			"Notification Log",
			filters={"document_type": NOTICE, "document_name": notice.name, "for_user": self.a.secretary_a},
			fields=["type", "subject", "from_user"],
		)[0]
		self.assertEqual((log.type, log.from_user), ("Alert", self.a.approver_a))
		self.assertIn(notice.title, log.subject)
		self.assertIn("发布了申报通知", log.subject)
		# the deadline is the settings' for the year, the publishing time the system's
		self.assertEqual(str(notice.deadline), f"{self.year}-04-30")
		self.assertTrue(notice.published_on)
		# saving again after submit tells nobody twice
		with as_user(self.a.approver_a):
			frappe.get_doc(NOTICE, notice.name).save()
		self.assertEqual(bell(notice.name), expected)

	def test_the_companys_notice_reaches_every_secretary(self):
		notice = publish(self.admin, self.a.tree.company, self.year)
		self.assertEqual(
			bell(notice.name), sorted([self.a.secretary_a, self.secretary_a2, self.a.secretary_b])
		)

	def test_a_group_wide_notice_is_sent_by_a_background_job(self):
		# above BELL_IN_REQUEST recipients the request queues the bell on the long queue, after
		# the commit; the job then notifies each recipient in their own language, once
		from unittest.mock import patch

		from dangjian.dangjian.doctype.dangjian_notice import dangjian_notice

		frappe.db.set_value("User", self.a.secretary_b, "language", "zh")
		with patch.object(dangjian_notice, "BELL_IN_REQUEST", 2), patch("frappe.enqueue") as enqueue:
			notice = publish(self.admin, self.a.tree.company, self.year)
		self.assertEqual(bell(notice.name), [])  # nothing in the request
		self.assertEqual(enqueue.call_count, 1)
		(method,), job = enqueue.call_args
		self.assertEqual(method, dangjian_notice.NOTIFY_JOB)
		self.assertEqual((job["queue"], job["enqueue_after_commit"]), ("long", True))
		expected = sorted([self.a.secretary_a, self.secretary_a2, self.a.secretary_b])
		self.assertEqual(job["users"], expected)
		frappe.get_attr(method)(notice=job["notice"], users=job["users"], from_user=job["from_user"])
		self.assertEqual(bell(notice.name), expected)
		subject = frappe.db.get_value(
			"Notification Log",
			{"document_name": notice.name, "for_user": self.a.secretary_b},
			["subject", "from_user"],
		)
		self.assertIn("发布了申报通知", subject[0])
		self.assertEqual(subject[1], self.admin)

	def test_a_secretary_of_another_unit_cannot_read_it(self):
		notice = publish(self.a.approver_a, self.a.tree.unit_a, self.year)
		self.assertTrue(frappe.has_permission(NOTICE, "read", notice.name, user=self.a.secretary_a))
		self.assertFalse(frappe.has_permission(NOTICE, "read", notice.name, user=self.a.secretary_b))
		self.assertFalse(frappe.has_permission(NOTICE, "read", notice.name, user=self.a.approver_b))
		with as_user(self.a.secretary_b):
			self.assertNotIn(notice.name, frappe.get_list(NOTICE, pluck="name"))
			self.assertRaises(frappe.PermissionError, mark_read, notice.name)
		with as_user(self.a.secretary_a):
			self.assertIn(notice.name, frappe.get_list(NOTICE, pluck="name"))

	def test_a_draft_is_the_publishers_only(self):
		with as_user(self.a.approver_a):
			draft = frappe.get_doc(notice_values(self.a.tree.unit_a, self.year)).insert()
		self.assertTrue(frappe.has_permission(NOTICE, "read", draft.name, user=self.a.approver_a))
		self.assertTrue(frappe.has_permission(NOTICE, "read", draft.name, user=self.admin))
		for user in (self.a.secretary_a, self.a.approver_b, self.a.committee_a):
			self.assertFalse(frappe.has_permission(NOTICE, "read", draft.name, user=user), user)
			with as_user(user):
				self.assertNotIn(draft.name, frappe.get_list(NOTICE, pluck="name"))
		# and nobody has heard of it
		self.assertEqual(bell(draft.name), [])

	def test_publishers_publish_for_their_own_organization_only(self):
		# a unit's department may not publish for the company or for another unit
		for organization in (self.a.tree.company, self.a.tree.unit_b):
			with as_user(self.a.approver_a), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(notice_values(organization, self.year)).insert()
		# a branch is not a publisher
		with as_user(self.admin), self.assertRaises(frappe.ValidationError):
			frappe.get_doc(notice_values(self.a.tree.branch_a1, self.year)).insert()
		# secretaries do not publish
		with as_user(self.a.secretary_a), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(notice_values(self.a.tree.unit_a, self.year)).insert()

	def test_the_deadline_is_the_settings_not_typed(self):
		with as_user(self.a.approver_a), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{**notice_values(self.a.tree.unit_a, self.year), "deadline": "2099-01-01"}
			).insert()
		with change_settings("Dangjian Settings", application_deadline_month=5, application_deadline_day=15):
			notice = publish(self.a.approver_a, self.a.tree.unit_a, self.year)
		self.assertEqual(str(notice.deadline), f"{self.year}-05-15")

	def test_read_is_recorded_once_with_its_time(self):
		notice = publish(self.a.approver_a, self.a.tree.unit_a, self.year)
		with self.freeze_time(f"{self.year - 1}-12-05 09:30:00"), as_user(self.a.secretary_a):
			first = mark_read(notice.name)
		self.assertEqual(get_datetime(first["read_on"]), get_datetime(f"{self.year - 1}-12-05 09:30:00"))
		with self.freeze_time(f"{self.year - 1}-12-06 10:00:00"), as_user(self.a.secretary_a):
			again = mark_read(notice.name)
		self.assertEqual(again["read_on"], first["read_on"])
		records = frappe.get_all(
			NOTICE_READ, filters={"notice": notice.name}, fields=["user", "read_on", "branch"]
		)
		self.assertEqual(len(records), 1)
		self.assertEqual((records[0].user, records[0].branch), (self.a.secretary_a, self.a.tree.branch_a1))
		# a publisher opening it is no reader
		with as_user(self.a.approver_a):
			self.assertEqual(mark_read(notice.name), {"read_on": None})
		self.assertEqual(frappe.db.count(NOTICE_READ, {"notice": notice.name}), 1)

	def test_the_publisher_sees_who_read_it_and_who_not(self):
		notice = publish(self.admin, self.a.tree.company, self.year)
		with as_user(self.a.secretary_a):
			mark_read(notice.name)
		with as_user(self.admin):
			rows = readers(notice.name)
			doc = frappe.get_doc(NOTICE, notice.name)
			doc.run_method("onload")
			self.assertEqual(doc.get_onload().readers, rows)
		by_user = {row["user"]: row for row in rows}
		self.assertEqual(set(by_user), {self.a.secretary_a, self.secretary_a2, self.a.secretary_b})
		self.assertTrue(by_user[self.a.secretary_a]["read_on"])
		self.assertIsNone(by_user[self.secretary_a2]["read_on"])
		self.assertIsNone(by_user[self.a.secretary_b]["read_on"])
		# a unit's department sees its own unit's secretaries on the company's notice
		with as_user(self.a.approver_a):
			self.assertEqual(
				sorted(row["user"] for row in readers(notice.name)),
				sorted([self.a.secretary_a, self.secretary_a2]),
			)
		# a secretary is shown their own reading, not the list
		with as_user(self.a.secretary_a):
			doc = frappe.get_doc(NOTICE, notice.name)
			doc.run_method("onload")
			self.assertIsNone(doc.get_onload().get("readers"))
			self.assertTrue(doc.get_onload().my_read)
		# read records: a secretary lists only their own, the publisher all of the notice
		with as_user(self.a.secretary_b):
			self.assertEqual(frappe.get_list(NOTICE_READ, filters={"notice": notice.name}), [])
		with as_user(self.admin):
			self.assertEqual(
				frappe.get_list(NOTICE_READ, filters={"notice": notice.name}, pluck="user"),
				[self.a.secretary_a],
			)
		# another unit's department: not the reading of unit A's secretaries
		record = frappe.get_all(NOTICE_READ, filters={"notice": notice.name}, pluck="name")[0]
		with as_user(self.a.approver_b):
			self.assertEqual(frappe.get_list(NOTICE_READ, filters={"notice": notice.name}), [])
		self.assertFalse(frappe.has_permission(NOTICE_READ, "read", record, user=self.a.approver_b))
		self.assertTrue(frappe.has_permission(NOTICE_READ, "read", record, user=self.a.approver_a))
		self.assertFalse(frappe.has_permission(NOTICE_READ, "read", record, user=self.a.secretary_b))

	def test_the_list_marks_each_notice_read_or_unread(self):
		from dangjian.dangjian.doctype.dangjian_notice.dangjian_notice import my_notices

		notice = publish(self.a.approver_a, self.a.tree.unit_a, self.year)
		with as_user(self.a.secretary_a):
			self.assertIsNone(my_notices()[notice.name])
			mark_read(notice.name)
			self.assertTrue(my_notices()[notice.name])
		with as_user(self.a.secretary_b):
			self.assertNotIn(notice.name, my_notices())
		with as_user(self.a.approver_a):
			self.assertEqual(my_notices(), {})

	def test_the_workspace_counts_unread_notices(self):
		year = getdate(nowdate()).year
		before = unread_by(self.secretary_a2, year)
		notice = publish(self.a.approver_a, self.a.tree.unit_a, year)
		with as_user(self.secretary_a2):
			self.assertEqual(unread_notices()["value"], len(before) + 1)
			mark_read(notice.name)
			self.assertEqual(unread_notices()["value"], len(before))
		with as_user(self.a.secretary_b):
			self.assertNotIn(notice.name, [n.name for n in unread_by(self.a.secretary_b, year)])

	def test_the_deadline_reminder_names_the_unread_notice(self):
		from dangjian.tasks import send_application_reminders

		notice = publish(self.admin, self.a.tree.company, self.year, title="关于开展年度申报的提醒测试通知")
		with as_user(self.secretary_a2):
			mark_read(notice.name)

		def reminder(user, branch, day):
			return frappe.get_all(
				"Notification Log",
				filters=[
					["for_user", "=", user],
					["document_type", "=", scope.ORG],
					["document_name", "=", branch],
					["creation", ">=", day],
				],
				pluck="subject",
			)

		day = f"{self.year}-04-25"
		with self.freeze_time(f"{day} 08:00:00"):
			self.assertGreaterEqual(send_application_reminders(), 2)
		unread = reminder(self.a.secretary_a, self.a.tree.branch_a1, day)
		self.assertEqual(len(unread), 1)
		self.assertIn(notice.title, unread[0])
		read = reminder(self.secretary_a2, self.a.tree.branch_a2, day)
		self.assertEqual(len(read), 1)
		self.assertNotIn(notice.title, read[0])


# --- over the REST API --------------------------------------------------------------------------

PREFIX = "NR"


def cleanup():
	frappe.set_user("Administrator")
	notices = frappe.get_all(NOTICE, filters={"organization": ("like", f"{PREFIX}%")}, pluck="name")
	for name in notices:
		frappe.db.delete(NOTICE_READ, {"notice": name})
		frappe.db.delete("Notification Log", {"document_type": NOTICE, "document_name": name})
		frappe.db.delete(NOTICE, {"name": name})
	for org in frappe.get_all(
		scope.ORG, filters={"name": ("like", f"{PREFIX}%")}, fields=["name"], order_by="lft desc"
	):
		frappe.delete_doc(scope.ORG, org.name, ignore_permissions=True, force=True)
	# The users stay (make_user takes them again): Frappe makes a new site's first system user a
	# System Manager and refuses to delete a user while no other System Manager exists, which
	# depends on what ran before. Their positions went with the organizations.


class TestNoticesREST(FrappeAPITestCase):
	"""As the secretary, with an API key: reads the notice of their unit and marks it read for
	themselves only; cannot publish, write a read record, mark another's, or read another unit's."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cleanup()
		cls.tree = make_tree(PREFIX)
		cls.secretary = make_user("nr-secretary")
		cls.secretary_b = make_user("nr-secretary-b")
		cls.approver = make_user("nr-approver")
		set_secretary(cls.tree.branch_a1, cls.secretary)
		set_secretary(cls.tree.branch_b1, cls.secretary_b)
		add_member(cls.tree.unit_a, cls.approver, "Approver")
		year = getdate(nowdate()).year + 1
		cls.notice_a = publish(cls.approver, cls.tree.unit_a, year).name
		cls.notice_b = publish("Administrator", cls.tree.unit_b, year).name
		cls.tokens = {user: api_token(user) for user in (cls.secretary, cls.secretary_b, cls.approver)}
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		cleanup()
		frappe.db.commit()
		super().tearDownClass()

	def request(self, user, method, path, **kwargs):
		target = getattr(self.TEST_CLIENT, method)
		headers = {"Authorization": self.tokens[user]}
		return make_request(target=target, args=(path,), kwargs={"headers": headers, **kwargs})

	def test_secretary_reads_and_marks_their_own_notice(self):
		self.assertEqual(
			self.request(self.secretary, "get", self.resource(NOTICE, self.notice_a)).status_code, 200
		)
		response = self.request(
			self.secretary, "post", self.method(f"{NOTICE_METHODS}.mark_read"), json={"notice": self.notice_a}
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertTrue(response.json["message"]["read_on"])
		frappe.db.rollback()  # see the request's commit
		self.assertEqual(
			frappe.get_all(NOTICE_READ, filters={"notice": self.notice_a}, pluck="user"), [self.secretary]
		)
		# their own record they read; the other secretary does not see it
		record = frappe.get_all(NOTICE_READ, filters={"notice": self.notice_a}, pluck="name")[0]
		self.assertEqual(
			self.request(self.secretary, "get", self.resource(NOTICE_READ, record)).status_code, 200
		)
		self.assertEqual(
			self.request(self.secretary_b, "get", self.resource(NOTICE_READ, record)).status_code, 403
		)

	def test_secretary_cannot_read_another_units_notice(self):
		response = self.request(self.secretary, "get", self.resource(NOTICE, self.notice_b))
		self.assertEqual(response.status_code, 403)
		listed = self.request(
			self.secretary, "get", self.resource(NOTICE), query_string={"limit_page_length": 0}
		)
		self.assertEqual(listed.status_code, 200)
		names = [row["name"] for row in listed.json["data"]]
		self.assertIn(self.notice_a, names)
		self.assertNotIn(self.notice_b, names)
		marked = self.request(
			self.secretary, "post", self.method(f"{NOTICE_METHODS}.mark_read"), json={"notice": self.notice_b}
		)
		self.assertEqual(marked.status_code, 403)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count(NOTICE_READ, {"notice": self.notice_b}), 0)

	def test_secretary_cannot_publish(self):
		response = self.request(
			self.secretary,
			"post",
			self.resource(NOTICE),
			json=notice_values(self.tree.unit_a, getdate(nowdate()).year + 1, title="伪造的通知"),
		)
		self.assertEqual(response.status_code, 403, response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(NOTICE, {"title": "伪造的通知"}))

	def test_secretary_cannot_write_anothers_read_record(self):
		forged = {
			"notice": self.notice_a,
			"user": self.secretary_b,
			"branch": self.tree.branch_b1,
			"read_on": "2026-01-01 08:00:00",
		}
		response = self.request(self.secretary, "post", self.resource(NOTICE_READ), json=forged)
		self.assertEqual(response.status_code, 403, response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(NOTICE_READ, {"notice": self.notice_a, "user": self.secretary_b}))
		# mark_read takes no user: whatever is sent, the record is the caller's own
		response = self.request(
			self.secretary,
			"post",
			self.method(f"{NOTICE_METHODS}.mark_read"),
			json={"notice": self.notice_a, "user": self.secretary_b},
		)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(NOTICE_READ, {"notice": self.notice_a, "user": self.secretary_b}))
		self.assertTrue(frappe.db.exists(NOTICE_READ, {"notice": self.notice_a, "user": self.secretary}))
		# and no record is changed to another's name
		record = frappe.get_all(NOTICE_READ, filters={"notice": self.notice_a}, pluck="name")[0]
		response = self.request(
			self.secretary, "put", self.resource(NOTICE_READ, record), json={"user": self.secretary_b}
		)
		self.assertEqual(response.status_code, 403, response.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(NOTICE_READ, record, "user"), self.secretary)

	def test_secretary_cannot_change_a_published_notice(self):
		response = self.request(
			self.secretary, "put", self.resource(NOTICE, self.notice_a), json={"title": "改过的标题"}
		)
		self.assertEqual(response.status_code, 403, response.text)
		frappe.db.rollback()
		self.assertNotEqual(frappe.db.get_value(NOTICE, self.notice_a, "title"), "改过的标题")
