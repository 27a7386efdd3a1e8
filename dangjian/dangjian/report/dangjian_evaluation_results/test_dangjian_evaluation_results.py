import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.report.dangjian_evaluation_results.dangjian_evaluation_results import execute
from dangjian.tests.utils import PANEL, evaluated_project, make_actors, make_user


class TestEvaluationResults(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("ER")
		cls.high, _ = evaluated_project(cls.a)  # 94 -> 5 stars
		low_panel = [(n, c, "Unsatisfied", 70, 70) for n, c, _v, _b, _r in PANEL]  # 42 -> 1 star
		cls.low, _ = evaluated_project(cls.a, panel=low_panel, topic_area="Party Care Mechanism")
		cls.year = cls.high.year
		cls.no_scope = make_user("er-no-scope", roles=(scope.ROLE_APPROVER,))

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_as(self, user, **filters):
		with self.set_user(user):
			return execute({"year": self.year, **filters})

	def test_by_unit_as_the_approver(self):
		_columns, data, _m, chart, summary = self.run_as(self.a.approver_a, unit=self.a.tree.unit_a)
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual((row.evaluated, row.stars_5, row.stars_1, row.stars_3), (2, 1, 1, 0))
		self.assertEqual(row.average_total, 68)  # (94 + 42) / 2
		self.assertEqual((row.qualified, row.exemplary), (1, 1))
		self.assertEqual(summary[0]["value"], 2)
		self.assertEqual(len(chart["data"]["datasets"]), 5)

	def test_by_topic_area(self):
		_c, data, *_ = self.run_as(self.a.approver_a, group_by="Topic Area", unit=self.a.tree.unit_a)
		self.assertEqual(
			sorted((row.evaluated, row.stars_5, row.stars_1) for row in data), [(1, 0, 1), (1, 1, 0)]
		)

	def test_by_evaluator_category(self):
		_c, data, *_ = self.run_as(self.a.approver_a, group_by="Evaluator Category", unit=self.a.tree.unit_a)
		rows = {row.group_value: row for row in data}
		self.assertEqual([row.evaluators for row in data], [4, 2, 4])  # party members, cadres, masses
		masses = data[2]
		# high panel: 1 satisfied + 1 basically (both count) = 100%; low panel: 0% -> 50%
		self.assertEqual(masses.satisfaction_rate, 50)
		self.assertEqual(masses.avg_benefit, 80)
		self.assertTrue(rows)

	def test_scope(self):
		_c, data, *_ = self.run_as(self.a.secretary_b)
		self.assertEqual(data, [])
		_c, data, *_ = self.run_as(self.no_scope)
		self.assertEqual(data, [])
		_c, data, *_ = self.run_as(self.a.approver_b, unit=self.a.tree.unit_a)
		self.assertEqual(data, [])

	def test_year_without_data(self):
		_c, data, _m, chart, _s = self.run_as(self.a.approver_a, year=2001)
		self.assertEqual((data, chart), ([], None))
