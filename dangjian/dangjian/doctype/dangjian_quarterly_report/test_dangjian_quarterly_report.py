# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_quarterly_report.dangjian_quarterly_report import (
	DuplicateQuarterlyReport,
)
from dangjian.tests.utils import (
	act,
	frozen,
	in_progress_project,
	make_actors,
	make_file,
	quarterly_report_fields,
)


class TestDangjianQuarterlyReport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("QR")

	def setUp(self):
		self.project = in_progress_project(self.a, on="2026-04-20")

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_report(self, year=2026, quarter=3, user=None, **fields):
		with self.set_user(user or self.a.secretary_a):
			doc = frappe.get_doc(quarterly_report_fields(self.project.name, year, quarter, **fields)).insert()
		return frappe.get_doc(doc.doctype, doc.name)

	def test_plan_gate_refuses_incomplete_plan(self):
		from dangjian.tests.utils import approved_project

		with frozen("2026-04-20"):
			doc = approved_project(self.a, year=2026)
			with self.assertRaises(frappe.ValidationError) as caught:
				act(doc, "Start Implementation", self.a.secretary_a)
			self.assertIn("complete the implementation plan", str(caught.exception))
			self.assertEqual(frappe.db.get_value("Dangjian Project", doc.name, "status"), "Approved")

	def test_plan_step_outside_the_range_or_ending_before_it_starts_is_refused(self):
		from dangjian.tests.utils import approved_project, plan_fields

		with frozen("2026-04-20"):
			doc = approved_project(self.a, year=2026)
			plan = plan_fields("2026-04-20", "2027-04-20")
			plan["plan_steps"][0]["start_date"] = "2026-03-01"
			with self.assertRaises(frappe.ValidationError) as caught:
				act(doc, "Start Implementation", self.a.secretary_a, **plan)
			self.assertIn("outside the approval date", str(caught.exception))
			plan = plan_fields("2026-04-20", "2027-04-20")
			plan["plan_steps"][0]["end_date"] = "2026-04-01"
			with self.assertRaises(frappe.ValidationError) as caught:
				act(doc, "Start Implementation", self.a.secretary_a, **plan)
			self.assertIn("before it starts", str(caught.exception))
			plan = plan_fields("2026-04-20", "2029-04-20")
			with self.assertRaises(frappe.ValidationError) as caught:
				act(doc, "Start Implementation", self.a.secretary_a, **plan)
			self.assertIn("24 months", str(caught.exception))
			self.assertEqual(frappe.db.get_value("Dangjian Project", doc.name, "status"), "Approved")

	def test_report_is_filled_from_the_plan_and_walks_its_workflow(self):
		self.assertEqual(self.project.status, "In Progress")
		with frozen("2026-10-05 10:00:00"):
			report = self.new_report()
			self.assertEqual([row.plan_step for row in report.steps], ["设立先锋岗", "隐患排查"])
			self.assertEqual(str(report.due_date), "2026-10-10")
			report = act(report, "Submit", self.a.secretary_a)
			self.assertEqual(
				(report.status, report.is_late, str(report.first_submitted_on)),
				("Submitted", 0, "2026-10-05"),
			)
			self.assertEqual(report.docstatus, 0)
			with self.assertRaises(frappe.ValidationError):
				act(report, "Review", self.a.approver_a)  # no supervision comment yet
			report = act(report, "Return", self.a.approver_a, return_reason="请补充隐患排查记录。")
			self.assertEqual(report.status, "Returned")
			report.steps[0].step_status = "Done"
			report = act(
				report,
				"Submit",
				self.a.secretary_a,
				steps=[
					{
						"plan_step": "设立先锋岗",
						"step_idx": 1,
						"step_status": "Done",
						"evidence": make_file("minutes.txt"),
					},
					{"plan_step": "隐患排查", "step_idx": 2, "step_status": "In Progress"},
				],
			)
			report = act(report, "Review", self.a.approver_a, supervision_comment="进展良好，继续推进。")
			self.assertEqual(
				(report.status, report.docstatus, report.reviewed_by), ("Reviewed", 1, self.a.approver_a)
			)
		steps = frappe.get_all(
			"Dangjian Plan Step",
			filters={"parent": self.project.name},
			fields=["idx", "step_status"],
			order_by="idx",
		)
		self.assertEqual([s.step_status for s in steps], ["Done", "Not Started"][:1] + ["In Progress"])

	def test_lateness_at_the_due_date_boundary(self):
		with frozen("2026-10-10 23:00:00"):
			on_time = act(self.new_report(quarter=3), "Submit", self.a.secretary_a)
		self.assertEqual(on_time.is_late, 0)
		with frozen("2027-01-11 09:00:00"):
			late = act(self.new_report(quarter=4), "Submit", self.a.secretary_a)
			self.assertEqual(late.is_late, 1)
			# a return and a second submission do not change lateness
			late = act(late, "Return", self.a.approver_a, return_reason="补充材料")
		with frozen("2027-01-05 09:00:00"):
			late = act(late, "Submit", self.a.secretary_a)
		self.assertEqual(late.is_late, 1)

	def test_second_report_for_the_same_quarter_is_refused(self):
		with frozen("2026-10-05"):
			first = self.new_report()
			before = frappe.db.count("Dangjian Quarterly Report")
			with self.assertRaises(DuplicateQuarterlyReport) as caught:
				self.new_report()
			self.assertIn(first.name, str(caught.exception))
			self.assertEqual(frappe.db.count("Dangjian Quarterly Report"), before)

	def test_database_refuses_a_duplicate_even_past_the_form_check(self):
		with frozen("2026-10-05"):
			self.new_report()
			doc = frappe.get_doc(quarterly_report_fields(self.project.name, 2026, 3))
			doc.validate_unique = lambda: None  # as if two inserts passed the check at once
			with self.assertRaises(DuplicateQuarterlyReport):
				doc.insert(ignore_permissions=True)

	def test_cancelled_then_amended_report_does_not_collide(self):
		with frozen("2026-10-05"):
			report = act(self.new_report(), "Submit", self.a.secretary_a)
			report = act(report, "Review", self.a.approver_a, supervision_comment="同意。")
			report = act(report, "Cancel", self.a.approver_a)
			self.assertEqual((report.docstatus, report.status), (2, "Cancelled"))
			self.assertFalse(frappe.db.get_value("Dangjian Quarterly Report", report.name, "unique_key"))
			with self.set_user(self.a.secretary_a):
				amended = frappe.copy_doc(report, ignore_no_copy=False)  # as the desk amends
				amended.amended_from = report.name
				amended.status = "Draft"
				amended.docstatus = 0
				amended.insert()
			self.assertEqual(amended.docstatus, 0)
			self.assertTrue(amended.name.startswith(report.name))
			# and a fresh third one is still refused
			with self.assertRaises(DuplicateQuarterlyReport):
				self.new_report()

	def test_quarter_before_start_or_in_the_future_is_refused(self):
		with frozen("2026-10-05"):
			before = frappe.db.count("Dangjian Quarterly Report")
			with self.assertRaises(frappe.ValidationError) as caught:
				self.new_report(quarter=2)
			self.assertIn("not after the quarter implementation started", str(caught.exception))
			with self.assertRaises(frappe.ValidationError) as caught:
				self.new_report(year=2027, quarter=1)
			self.assertIn("has not begun", str(caught.exception))
			self.assertEqual(frappe.db.count("Dangjian Quarterly Report"), before)

	def test_report_on_a_project_not_in_implementation_is_refused(self):
		frappe.db.set_value("Dangjian Project", self.project.name, "status", "Approved")
		with frozen("2026-10-05"), self.assertRaises(frappe.ValidationError) as caught:
			self.new_report()
		self.assertIn("In Progress, Under Assistance or Adjusting", str(caught.exception))

	def test_percent_outside_0_100_is_refused(self):
		with frozen("2026-10-05"):
			for value in (-1, 101):
				with self.assertRaises(frappe.ValidationError) as caught:
					self.new_report(percent_complete=value)
				self.assertIn("between 0 and 100", str(caught.exception))

	def test_supervision_comment_by_the_branch_is_refused(self):
		with frozen("2026-10-05"):
			with self.assertRaises(frappe.PermissionError) as caught:
				self.new_report(supervision_comment="自己写的督办意见")
			# the department's field (dangjian.ownership.OWNERS)
			self.assertIn("is written by", str(caught.exception))

	def test_repetition_flag_just_above_and_just_below_the_threshold(self):
		text = "本季度组织党员开展安全隐患排查，共排查设备一百二十台，发现并整改问题十五项，先锋岗运行良好。"
		with frozen("2026-10-05"):
			first = act(
				self.new_report(quarter=3, progress_summary=text, problems="", next_quarter_plan=""),
				"Submit",
				self.a.secretary_a,
			)
			act(first, "Review", self.a.approver_a, supervision_comment="好")
		with frozen("2027-01-05"):
			same = self.new_report(quarter=4, progress_summary=text, problems="", next_quarter_plan="")
			self.assertEqual(same.similarity_to_previous, 100)
			self.assertEqual(same.is_flagged, 1)
			self.assertIn("the same as the previous report", same.flag_reasons)
			frappe.delete_doc("Dangjian Quarterly Report", same.name, force=True)
			# the threshold set to just above and just below the measured similarity
			changed = text.replace("一百二十台", "九十八台").replace("十五项", "七项")
			from dangjian import rules

			similarity = rules.text_similarity(changed, text)
			set_threshold(similarity + 0.5)
			below = self.new_report(quarter=4, progress_summary=changed, problems="", next_quarter_plan="")
			self.assertEqual(below.is_flagged, 0)
			set_threshold(similarity)
			below = frappe.get_doc(below.doctype, below.name)
			below.save(ignore_permissions=True)
			self.assertEqual(below.is_flagged, 1)
			set_threshold(80)

	def test_step_done_without_evidence_is_flagged(self):
		with frozen("2026-10-05"):
			report = self.new_report(
				steps=[{"plan_step": "设立先锋岗", "step_idx": 1, "step_status": "Done"}]
			)
			self.assertEqual(report.is_flagged, 1)
			self.assertIn("no evidence", report.flag_reasons)
			report.evidence = make_file("photo.txt")
			report.save(ignore_permissions=True)
			self.assertEqual(report.is_flagged, 0)


def set_threshold(value):
	settings = frappe.get_single("Dangjian Settings")
	settings.repetition_threshold = value
	settings.save()
