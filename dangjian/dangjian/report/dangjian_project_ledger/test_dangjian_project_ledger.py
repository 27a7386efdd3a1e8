import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import execute
from dangjian.tests.utils import (
	act,
	count_queries,
	frozen,
	in_progress_project,
	make_actors,
	make_project,
	make_user,
	quarterly_report_fields,
)


class TestProjectLedger(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("PL")
		# started 2026-04-20: Q3 due 2026-10-10 reported on time; Q4 (due 2027-01-10) missing
		cls.running = in_progress_project(cls.a, on="2026-04-20")
		with frozen("2026-10-05"):
			frappe.set_user(cls.a.secretary_a)
			report = frappe.get_doc(quarterly_report_fields(cls.running.name, 2026, 3)).insert()
			frappe.set_user("Administrator")
			act(report, "Submit", cls.a.secretary_a)
		cls.draft_b = make_project(cls.a.tree.branch_b1, year=2026)
		cls.no_scope = make_user("pl-no-scope", roles=(scope.ROLE_APPROVER,))

	def run_as(self, user, **filters):
		with self.set_user(user):
			with frozen("2027-02-01"):
				return execute(filters)

	def test_approver_rows_with_progress_last_report_and_overdue(self):
		_c, data, *_ = self.run_as(self.a.approver_a, year=2026)
		self.assertEqual([r.project for r in data], [self.running.name])
		row = data[0]
		self.assertEqual(row.plan_progress, "0/2")
		self.assertTrue(row.last_report.startswith("2026 Q3"))
		self.assertEqual(row.overdue, 1)  # 2026 Q4

	def test_scope_and_filters(self):
		self.assertEqual(
			[r.project for r in self.run_as(self.a.secretary_b, year=2026)[1]], [self.draft_b.name]
		)
		self.assertEqual(self.run_as(self.no_scope)[1], [])
		self.assertEqual(self.run_as(self.a.approver_a, unit=self.a.tree.unit_b)[1], [])
		self.assertEqual(self.run_as(self.a.approver_a, year=2001)[1], [])
		self.assertEqual(self.run_as(self.a.approver_a, status="Evaluated")[1], [])

	def test_query_count_does_not_grow_with_rows(self):
		with self.set_user(self.a.approver_a):
			execute({"year": 2026})  # warm the metadata and settings caches
			with count_queries() as few:
				execute({"year": 2026})
			self.assertGreater(len(few), 0)
			for _i in range(3):
				make_project(self.a.tree.branch_a1, year=2026)
			with self.assertQueryCount(len(few)):
				execute({"year": 2026})
