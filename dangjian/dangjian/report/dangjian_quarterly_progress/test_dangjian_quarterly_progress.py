# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.report.dangjian_quarterly_progress.dangjian_quarterly_progress import execute
from dangjian.tests.utils import (
	act,
	add_member,
	count_queries,
	frozen,
	in_progress_project,
	make_actors,
	make_project,
	make_user,
	plan_fields,
	quarterly_report_fields,
)

QUARTERS = ("q1", "q2", "q3", "q4")


class TestDangjianQuarterlyProgress(FrappeTestCase):
	"""Unit A (branch A1): P1 with 2026 Q3 reviewed on time and Q4 submitted late; P2 with Q3
	missing and Q4 submitted on time; P3 with nothing. Unit B (branch B1): PB with Q3
	submitted on time. All started on 2026-04-20; viewed on 2027-02-01."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("QP")
		cls.p1 = in_progress_project(cls.a, on="2026-04-20").name
		cls.p2 = in_progress_project(cls.a, on="2026-04-20").name
		cls.p3 = in_progress_project(cls.a, on="2026-04-20").name
		cls.pb = in_progress_project_in_b(cls.a, on="2026-04-20").name

		with frozen("2026-10-05 10:00:00"):
			report = submit(cls.p1, 3, cls.a.secretary_a)
			act(report, "Review", cls.a.approver_a, supervision_comment="进展良好。")
		with frozen("2026-10-09 10:00:00"):
			submit(cls.pb, 3, cls.a.secretary_b)
		with frozen("2027-01-08 10:00:00"):
			submit(cls.p2, 4, cls.a.secretary_a)
		with frozen("2027-01-15 10:00:00"):
			submit(cls.p1, 4, cls.a.secretary_a)

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_report(self, user="Administrator", when="2027-02-01 09:00:00", **filters):
		with self.set_user(user):
			with frozen(when):
				return execute({"year": 2026, **filters})

	@staticmethod
	def cells(data):
		return {row["project"]: [row[q] for q in QUARTERS] for row in data}

	def test_exact_cells_summary_and_chart(self):
		columns, data, _message, chart, summary = self.run_report(unit=self.a.tree.unit_a)
		self.assertEqual(
			[c["fieldname"] for c in columns],
			["project", "project_name", "branch_name", "status", "q1", "q2", "q3", "q4"],
		)
		self.assertEqual(
			self.cells(data),
			{
				self.p1: ["—", "—", "Reviewed", "Late"],
				self.p2: ["—", "—", "Missing", "Submitted"],
				self.p3: ["—", "—", "Missing", "Missing"],
			},
		)
		row = next(row for row in data if row["project"] == self.p1)
		self.assertEqual(row["project_name"], "党建+安全生产先锋岗")
		self.assertEqual(row["status"], "In Progress")
		self.assertEqual(
			row["branch_name"],
			frappe.db.get_value("Party Organization", self.a.tree.branch_a1, "organization_name"),
		)

		self.assertEqual(
			{item["label"]: item["value"] for item in summary},
			{"Projects": 3, "On Time": 2, "Late": 1, "Missing": 3},
		)
		self.assertEqual(chart["type"], "bar")
		self.assertEqual(chart["barOptions"], {"stacked": 1})
		self.assertEqual(chart["data"]["labels"], ["Q1", "Q2", "Q3", "Q4"])
		self.assertEqual(
			{dataset["name"]: dataset["values"] for dataset in chart["data"]["datasets"]},
			{"On Time": [0, 0, 1, 1], "Late": [0, 0, 0, 1], "Missing": [0, 0, 2, 1]},
		)

	def test_quarters_not_due_yet_and_years_before_the_start(self):
		_columns, data, *_rest = self.run_report(year=2027, unit=self.a.tree.unit_a)
		self.assertEqual(self.cells(data)[self.p1], ["Not Due"] * 4)
		# the day after 2026 Q4's due date (Jan 10) it is missing, on the due date not yet due
		_columns, data, *_rest = self.run_report(when="2027-01-10 09:00:00", unit=self.a.tree.unit_a)
		self.assertEqual(self.cells(data)[self.p3], ["—", "—", "Missing", "Not Due"])
		# implementation started in 2026: no row for 2025
		_columns, data, *_rest = self.run_report(year=2025, unit=self.a.tree.unit_a)
		self.assertEqual(data, [])

	def test_finished_project_keeps_its_row_for_the_year_it_reported_in(self):
		frappe.db.set_value("Dangjian Project", self.p1, {"status": "Accepted", "accepted_on": "2027-01-20"})
		try:
			_columns, data, *_rest = self.run_report(unit=self.a.tree.unit_a)
			self.assertEqual(self.cells(data)[self.p1], ["—", "—", "Reviewed", "Late"])
			# 2027: accepted in Q1, nothing else reportable after that
			_columns, data, *_rest = self.run_report(year=2027, unit=self.a.tree.unit_a)
			self.assertEqual(self.cells(data)[self.p1], ["Not Due", "—", "—", "—"])
			_columns, data, *_rest = self.run_report(year=2028, unit=self.a.tree.unit_a)
			self.assertNotIn(self.p1, self.cells(data))
		finally:
			frappe.db.set_value("Dangjian Project", self.p1, {"status": "In Progress", "accepted_on": None})

	def test_scope(self):
		mine = {self.p1, self.p2, self.p3}
		# the approver of unit A sees A's projects, not B's
		_columns, data, *_rest = self.run_report(self.a.approver_a)
		self.assertTrue(mine <= set(self.cells(data)))
		self.assertNotIn(self.pb, self.cells(data))
		# the secretary of branch B sees B's project and none of A's
		_columns, data, *_rest = self.run_report(self.a.secretary_b)
		self.assertEqual(set(self.cells(data)), {self.pb})
		self.assertEqual(self.cells(data)[self.pb], ["—", "—", "Submitted", "Missing"])
		# a unit or branch outside the user's scope: empty, not an error
		self.assertEqual(self.run_report(self.a.secretary_b, unit=self.a.tree.unit_a)[1], [])
		self.assertEqual(self.run_report(self.a.secretary_b, branch=self.a.tree.branch_a1)[1], [])
		self.assertEqual(self.run_report(self.a.approver_a, unit=self.a.tree.unit_b)[1], [])
		# a branch filter inside the scope
		_columns, data, *_rest = self.run_report(self.a.approver_a, branch=self.a.tree.branch_a1)
		self.assertEqual(set(self.cells(data)), mine)
		_columns, data, *_rest = self.run_report(self.a.approver_a, branch=self.a.tree.branch_a2)
		self.assertEqual(data, [])
		# an app role and no scope: no rows
		nobody = make_user("qp-no-scope", roles=("Dangjian Approver",))
		columns, data, _message, _chart, summary = self.run_report(nobody)
		self.assertEqual(data, [])
		self.assertEqual(len(columns), 8)
		self.assertEqual(summary[0]["value"], 0)

	def test_query_count_does_not_grow_with_the_rows(self):
		self.run_report(unit=self.a.tree.unit_b)  # warm the caches
		with count_queries() as one:
			_columns, data, *_rest = self.run_report(unit=self.a.tree.unit_b)
		self.assertEqual(len(data), 1)
		with count_queries() as three:
			_columns, data, *_rest = self.run_report(unit=self.a.tree.unit_a)
		self.assertEqual(len(data), 3)
		self.assertEqual(len(one), len(three), msg="\n\n".join(three))
		self.assertLessEqual(len(three), 4, msg="\n\n".join(three))

		# the same for a restricted user
		self.run_report(self.a.approver_a, branch=self.a.tree.branch_a1)
		with count_queries() as scoped:
			self.run_report(self.a.approver_a, branch=self.a.tree.branch_a1)
		self.assertEqual(len(scoped), len(three), msg="\n\n".join(scoped))

	def test_zh_labels(self):
		frappe.local.lang = "zh"
		try:
			columns, data, _message, _chart, summary = self.run_report(unit=self.a.tree.unit_a)
		finally:
			frappe.local.lang = "en"
		self.assertEqual(self.cells(data)[self.p1][2:], ["已审阅", "逾期报送"])
		self.assertEqual(self.cells(data)[self.p2][2], "缺报")
		self.assertEqual(columns[4]["label"], "第1季度")
		self.assertEqual(summary[1]["label"], "按时报送")


def submit(project, quarter, user, year=2026):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc(quarterly_report_fields(project, year, quarter)).insert()
	finally:
		frappe.set_user("Administrator")
	return act(frappe.get_doc(doc.doctype, doc.name), "Submit", user)


def in_progress_project_in_b(actors, on):
	"""As tests.utils.in_progress_project, for branch B1 of unit B."""
	from frappe.utils import add_months, getdate

	committee_b = make_user("qp-comm-b")
	if not frappe.db.exists("Party Organization Member", {"parent": actors.tree.unit_b, "user": committee_b}):
		add_member(actors.tree.unit_b, committee_b, "Party Committee")
	with frozen(on):
		doc = make_project(actors.tree.branch_b1, year=getdate(on).year)
		act(doc, "Apply", actors.secretary_b)
		act(doc, "Review", actors.approver_b, review_opinion="材料齐全，同意。")
		act(doc, "Approve", committee_b, committee_opinion="同意立项。")
		return act(
			doc,
			"Start Implementation",
			actors.secretary_b,
			**plan_fields(on, str(add_months(getdate(on), 12))),
		)
