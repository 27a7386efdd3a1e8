# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from dangjian import scope
from dangjian.dangjian.report.dangjian_application_compliance.dangjian_application_compliance import execute
from dangjian.tests.utils import (
	act,
	approved_project,
	frozen,
	make_actors,
	make_project,
	make_user,
	set_secretary,
)

REPORT = "Dangjian Application Compliance"


class TestDangjianApplicationCompliance(FrappeTestCase):
	"""Year Y (next year) in a tree of its own:

	- branch A1: one project applied on time and approved, one draft (not counted), spot check
	  Qualified (submitted);
	- general branch G (unit A): nothing — below the minimum;
	- branch A2 (under G): one project applied late, spot check Unqualified (submitted);
	- branch B1 (unit B): one project applied on time, a draft spot check (not counted).
	"""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("RC")
		cls.tree = cls.a.tree
		cls.secretary_a2 = make_user("rc-sec-a2")
		set_secretary(cls.tree.branch_a2, cls.secretary_a2)
		cls.year = getdate(nowdate()).year + 1

		approved = approved_project(cls.a)
		make_project(cls.tree.branch_a1)
		on_time_b = make_project(cls.tree.branch_b1)
		act(on_time_b, "Apply", cls.a.secretary_b)
		# applied after the deadline of its year
		with frozen(f"{cls.year}-05-02 09:00:00.000001"):
			late = make_project(cls.tree.branch_a2, year=cls.year)
			act(late, "Apply", cls.secretary_a2)

		cls.spot_check(cls.a.approver_a, cls.tree.unit_a, approved.name, "Qualified", submit=True)
		cls.spot_check(cls.a.approver_a, cls.tree.unit_a, late.name, "Unqualified", submit=True)
		cls.spot_check(cls.a.approver_b, cls.tree.unit_b, on_time_b.name, "Unqualified", submit=False)
		frappe.set_user("Administrator")

	@classmethod
	def spot_check(cls, user, unit, project, result, submit):
		frappe.set_user(user)
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Spot Check",
				"approving_organization": unit,
				"year": cls.year,
				"branch": frappe.db.get_value("Dangjian Project", project, "branch"),
				"project": project,
				"result": result,
			}
		).insert()
		if submit:
			doc.submit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_as(self, user, **filters):
		with self.set_user(user):
			return execute({"year": self.year, **filters})

	def row(self, branch, unit, secretary, applied=0, late=0, approved=0, checks=""):
		return {
			"branch": branch,
			"branch_name": f"{branch} 组织",
			"unit": unit,
			"unit_name": f"{unit} 组织",
			"secretary": secretary,
			"secretary_name": secretary.split("@")[0] if secretary else None,
			"applied": applied,
			"on_time": applied - late,
			"late": late,
			"approved": approved,
			"minimum_met": 1 if applied else 0,
			"spot_checks": len(checks.split(", ")) if checks else 0,
			"spot_check_results": checks,
		}

	def unit_a_rows(self):
		t = self.tree
		return [
			self.row(t.general, t.unit_a, None),
			self.row(t.branch_a2, t.unit_a, self.secretary_a2, applied=1, late=1, checks="Unqualified 1"),
			self.row(t.branch_a1, t.unit_a, self.a.secretary_a, applied=1, approved=1, checks="Qualified 1"),
		]

	def unit_b_rows(self):
		return [self.row(self.tree.branch_b1, self.tree.unit_b, self.a.secretary_b, applied=1)]

	def test_approver_sees_their_units_branches_only(self):
		columns, data, _message, chart, summary = self.run_as(self.a.approver_a)
		self.assertEqual(data, self.unit_a_rows())
		self.assertEqual(
			[c["fieldname"] for c in columns][:4], ["unit", "unit_name", "branch", "branch_name"]
		)
		self.assertEqual(
			{s["label"]: s["value"] for s in summary},
			{"Branches": 3, "Projects Applied": 2, "Applied Late": 1, "Branches Below the Minimum": 1},
		)
		self.assertEqual(chart["data"]["labels"], [f"{self.tree.unit_a} 组织"])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[1], [1], [1]])

		self.assertEqual(self.run_as(self.a.committee_a)[1], self.unit_a_rows())
		self.assertEqual(self.run_as(self.a.approver_a, unit=self.tree.unit_a)[1], self.unit_a_rows())
		self.assertEqual(self.run_as(self.a.approver_b)[1], self.unit_b_rows())

	def test_unit_outside_the_scope_gives_no_rows(self):
		self.assertEqual(self.run_as(self.a.approver_a, unit=self.tree.unit_b)[1], [])
		self.assertEqual(self.run_as(self.a.secretary_a, unit=self.tree.unit_a)[1], [])

	def test_secretary_sees_their_branch_only(self):
		t = self.tree
		self.assertEqual(
			self.run_as(self.a.secretary_a)[1],
			[
				self.row(
					t.branch_a1, t.unit_a, self.a.secretary_a, applied=1, approved=1, checks="Qualified 1"
				)
			],
		)

	def test_app_role_without_scope_gets_no_rows(self):
		nobody = make_user("rc-no-scope", roles=(scope.ROLE_APPROVER, scope.ROLE_PARTY_COMMITTEE))
		_columns, data, _message, chart, summary = self.run_as(nobody)
		self.assertEqual(data, [])
		self.assertIsNone(chart)
		self.assertEqual(summary[0]["value"], 0)

	def test_unrestricted_user_filters_by_unit(self):
		self.assertEqual(self.run_as("Administrator", unit=self.tree.unit_a)[1], self.unit_a_rows())
		self.assertEqual(self.run_as("Administrator", unit=self.tree.unit_b)[1], self.unit_b_rows())
		# another year: the same branches, nothing applied
		data = self.run_as("Administrator", unit=self.tree.unit_b, year=self.year - 1)[1]
		self.assertEqual(
			[(r["branch"], r["applied"], r["minimum_met"]) for r in data], [(self.tree.branch_b1, 0, 0)]
		)

	def test_results_are_translated(self):
		frappe.local.lang = "zh"
		try:
			data = self.run_as(self.a.secretary_a)[1]
		finally:
			frappe.local.lang = "en"
		self.assertEqual(data[0]["spot_check_results"], "合格 1")

	def test_a_fixed_number_of_queries_whatever_the_rows(self):
		def rows_in_one_query(user):
			with self.set_user(user):
				execute({"year": self.year})  # warm the caches (settings, user permissions)
				with self.assertQueryCount(1):
					return len(execute({"year": self.year})[1])

		# one statement: branches with their projects and spot checks grouped in SQL
		self.assertEqual(rows_in_one_query(self.a.secretary_a), 1)
		self.assertGreaterEqual(rows_in_one_query("Administrator"), 4)

	def test_runs_through_the_desk_for_a_branch_secretary(self):
		from frappe.desk.query_report import run

		frappe.set_user(self.a.secretary_a)
		result = run(REPORT, filters={"year": self.year})
		self.assertEqual([r["branch"] for r in result["result"]], [self.tree.branch_a1])
		frappe.set_user(self.a.approver_a)
		result = run(REPORT, filters={"year": self.year})
		self.assertEqual(result["result"], self.unit_a_rows())
