from unittest.mock import patch

import frappe
from frappe.model.document import Document
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_project.timeline import get_project_timeline
from dangjian.tests.utils import (
	ACCEPTANCE_GROUP,
	PANEL,
	act,
	applied_acceptance,
	count_queries,
	frozen,
	make_actors,
	make_project,
	open_evaluation,
	paper_ballot,
	plan_fields,
	quarterly_report_fields,
)


def versioned_save(self, ignore_permissions=None, ignore_version=None):
	return ORIGINAL_SAVE(self, ignore_permissions=ignore_permissions, ignore_version=False)


ORIGINAL_SAVE = Document._save


class TestTimeline(FrappeTestCase):
	"""One project through its whole life, at known days: returned once by the department,
	a quarterly report returned and submitted again, a first acceptance sending it to
	targeted assistance and a second one passing, then evaluated."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# Frappe keeps no version history in tests; the history of returns needs it, as on a site
		with patch.object(Document, "_save", versioned_save):
			cls.make_history()

	@classmethod
	def make_history(cls):
		cls.a = a = make_actors("TL")
		with frozen("2026-01-05 09:00:00"):
			doc = make_project(a.tree.branch_a1, year=2026)
		cls.name = doc.name
		with frozen("2026-01-06 09:00:00"):
			act(doc, "Apply", a.secretary_a)
		with frozen("2026-01-07 09:00:00"):
			act(doc, "Return", a.approver_a, return_reason="创新措施不够具体。")
		with frozen("2026-01-08 09:00:00"):
			act(
				doc,
				"Apply",
				a.secretary_a,
				innovation_measures="每月开展一次党员安全示范活动，建立积分台账。",
			)
		with frozen("2026-01-08 15:00:00"):
			act(doc, "Review", a.approver_a, review_opinion="同意。")
		with frozen("2026-01-09 09:00:00"):
			act(doc, "Approve", a.committee_a, committee_opinion="同意立项。")
		with frozen("2026-01-12 09:00:00"):
			act(doc, "Start Implementation", a.secretary_a, **plan_fields("2026-01-12", "2026-12-31"))
		with frozen("2026-07-05 09:00:00"):
			frappe.set_user(a.secretary_a)
			report = frappe.get_doc(quarterly_report_fields(doc.name, 2026, 2)).insert()
			frappe.set_user("Administrator")
			act(report, "Submit", a.secretary_a)
		with frozen("2026-07-06 09:00:00"):
			act(report, "Return", a.approver_a, return_reason="请补充隐患排查记录。")
		with frozen("2026-07-07 09:00:00"):
			act(report, "Submit", a.secretary_a, problems="已补充排查记录。")
		with frozen("2026-07-08 09:00:00"):
			act(report, "Review", a.approver_a, supervision_comment="进展良好。")
		cls.report = report.name
		project = frappe.get_doc("Dangjian Project", doc.name)
		with frozen("2026-08-01 09:00:00"):
			first = applied_acceptance(a, project)
		with frozen("2026-08-05 09:00:00"):
			act(
				first,
				"Assign Assistance",
				a.approver_a,
				assisting_party="党群工作部 王建华",
				assistance_measures="重点挂牌帮扶，补齐台账。",
				reacceptance_date="2026-09-30",
				**ACCEPTANCE_GROUP,
			)
		with frozen("2026-09-01 09:00:00"):
			second = applied_acceptance(a, frappe.get_doc("Dangjian Project", doc.name))
		with frozen("2026-09-10 09:00:00"):
			act(second, "Pass", a.approver_a, **ACCEPTANCE_GROUP)
		with frozen("2026-09-20 09:00:00"):
			evaluation = open_evaluation(a, doc.name)
			for ballot in PANEL:
				paper_ballot(a, evaluation.name, *ballot)
			frappe.set_user(a.approver_a)
			frappe.get_doc("Dangjian Evaluation", evaluation.name).submit()
			frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def timeline(self, user):
		with self.set_user(user):
			return get_project_timeline(self.name)

	def test_the_whole_history_in_order_with_who_and_when(self):
		a = self.a
		events = self.timeline(a.secretary_a)
		got = [(str(e["date"]), e["event"], e["who"]) for e in events]
		expected = [
			("2026-01-05", "Application drafted", "Administrator"),
			("2026-01-06", "Applied for approval", a.secretary_a),
			("2026-01-07", "Returned to the branch, reason: 创新措施不够具体。", a.approver_a),
			("2026-01-08", "Applied again after the return", a.secretary_a),
			("2026-01-08", "Reviewed by the Party-Masses Work Department", a.approver_a),
			("2026-01-09", "Approved and filed as", a.committee_a),
			("2026-01-12", "Implementation plan of 2 steps completed", a.secretary_a),
			("2026-07-05", "Quarterly report 2026 Q2 submitted", a.secretary_a),
			("2026-07-06", "Quarterly report 2026 Q2: Returned, reason: 请补充隐患排查记录。", a.approver_a),
			("2026-07-07", "Quarterly report 2026 Q2: Submitted", a.secretary_a),
			("2026-07-08", "Quarterly report 2026 Q2 reviewed", a.approver_a),
			("2026-08-01", "Acceptance 1 applied for", a.secretary_a),
			("2026-08-05", "Acceptance 1: Assistance", a.approver_a),
			("2026-09-01", "Acceptance 2 applied for", a.secretary_a),
			("2026-09-10", "Acceptance 2: Passed", a.approver_a),
			("2026-09-20", "Evaluation opened", a.approver_a),
			("2026-09-20", "Evaluated: 5 stars, Exemplary", a.approver_a),
		]
		self.assertEqual(len(got), len(expected), got)
		for (day, event, who), (want_day, want_event, want_who) in zip(got, expected, strict=True):
			self.assertEqual((day, who), (want_day, want_who), event)
			self.assertTrue(event.startswith(want_event), (event, want_event))
		# each row links its document
		report = next(e for e in events if e["name"] == self.report)
		self.assertEqual(report["link"], f"/app/dangjian-quarterly-report/{self.report}")
		self.assertTrue(all(e["who_name"] for e in events))
		# the workflow actions carry their time
		applied = events[1]
		self.assertEqual(applied["at"][:16], "2026-01-06 09:00")

	def test_the_approver_reads_it_the_other_branch_cannot(self):
		self.assertTrue(self.timeline(self.a.approver_a))
		with self.assertRaises(frappe.PermissionError):
			self.timeline(self.a.secretary_b)
		with self.assertRaises(frappe.PermissionError):
			self.timeline(self.a.approver_b)

	def test_fixed_number_of_queries(self):
		with self.set_user(self.a.secretary_a):
			with frozen("2026-01-05 10:00:00"):
				short = make_project(self.a.tree.branch_a1, year=2026).name
			get_project_timeline(short)
			get_project_timeline(self.name)  # warm the caches
			with count_queries() as few:
				get_project_timeline(short)
			self.assertGreater(len(few), 0)
			with self.assertQueryCount(len(few)):
				get_project_timeline(self.name)
