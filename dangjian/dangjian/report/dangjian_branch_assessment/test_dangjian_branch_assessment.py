import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.report.dangjian_branch_assessment.dangjian_branch_assessment import execute
from dangjian.tests.utils import accepted_project, count_queries, frozen, make_actors, make_project, make_user


class TestBranchAssessment(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("BA")
		cls.project = accepted_project(cls.a, on="2026-04-20", accept_on="2026-11-01")
		frappe.db.set_value(
			"Dangjian Project", cls.project.name, {"status": "Evaluated", "stars": 4, "commended": 1}
		)
		cls.no_scope = make_user("ba-no-scope", roles=(scope.ROLE_APPROVER,))

	def run_as(self, user, **filters):
		with self.set_user(user):
			with frozen("2026-11-27 10:00:00"):
				return execute({"year": 2026, **filters})

	def test_rows_and_composite(self):
		_c, data, message, chart, summary = self.run_as(self.a.approver_a)
		rows = {r.branch: r for r in data}
		self.assertEqual(set(rows), {self.a.tree.branch_a1, self.a.tree.branch_a2, self.a.tree.general})
		a1 = rows[self.a.tree.branch_a1]
		self.assertEqual(
			(a1.applied, a1.minimum_met, a1.approved, a1.first_acceptance, a1.best_stars, a1.commended),
			(1, 1, 1, 1, 4, 1),
		)
		# in implementation from 2026-04-20 to its acceptance on 2026-11-01: the 2026 Q3 report
		# (due 2026-10-10) was never made; 20 + 0 × 30 + 20 + 16 + 10
		self.assertEqual((a1.reports_on_time, a1.reports_late, a1.reports_missing), (0, 0, 1))
		self.assertEqual(a1.composite, 66)
		a2 = rows[self.a.tree.branch_a2]
		self.assertEqual((a2.applied, a2.minimum_met, a2.composite), (0, 0, 40))
		self.assertIn("Composite", message)
		self.assertEqual(summary[1]["value"], 2)
		self.assertTrue(chart)

	def test_scope(self):
		self.assertEqual(self.run_as(self.no_scope)[1], [])
		self.assertEqual([r.branch for r in self.run_as(self.a.secretary_b)[1]], [self.a.tree.branch_b1])
		self.assertEqual(self.run_as(self.a.approver_a, unit=self.a.tree.unit_b)[1], [])

	def test_query_count_does_not_grow(self):
		with self.set_user(self.a.approver_a):
			execute({"year": 2026})  # warm the metadata and settings caches
			with count_queries() as few:
				execute({"year": 2026})
			self.assertGreater(len(few), 0)
			for _i in range(3):
				make_project(self.a.tree.branch_a2, year=2026)
			with self.assertQueryCount(len(few)):
				execute({"year": 2026})
