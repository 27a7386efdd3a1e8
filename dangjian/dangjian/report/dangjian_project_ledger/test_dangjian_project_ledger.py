import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import REPORT, execute
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

	def test_opens_on_the_current_year_and_every_year_only_when_asked(self):
		# 2027-02-01: without a year the ledger shows 2027 (the API caller as the desk's default)
		self.assertEqual(self.run_as(self.a.approver_a)[1], [])
		self.assertEqual(self.run_as(self.a.approver_a, year="")[1], [])
		_c, data, *_rest, summary = self.run_as(self.a.approver_a, year=None)
		self.assertEqual((data, summary[0]["value"]), ([], 0))
		# every year is explicit, and wins over the year the desk keeps in its hidden filter
		for asked in (1, "1", True, "true"):
			rows = self.run_as(self.a.approver_a, all_years=asked)[1]
			self.assertEqual([r.project for r in rows], [self.running.name], asked)
		rows = self.run_as(self.a.approver_a, all_years=1, year=2027)[1]
		self.assertEqual([r.project for r in rows], [self.running.name])
		# unticked, the year counts again
		self.assertEqual(self.run_as(self.a.approver_a, all_years=0)[1], [])
		self.assertEqual(len(self.run_as(self.a.approver_a, all_years=0, year=2026)[1]), 1)

	def test_every_year_comes_a_page_at_a_time_and_whole_in_the_background(self):
		import os
		from unittest.mock import patch

		from openpyxl import load_workbook

		from dangjian.dangjian.report.dangjian_project_ledger import dangjian_project_ledger as ledger
		from dangjian.report_jobs import make_report_export

		frappe.db.savepoint("ledger_pages")
		try:
			older = [make_project(self.a.tree.branch_a1, year=y).name for y in (2025, 2024)]
			order = [self.running.name, *older]  # year descending
			with patch.object(ledger, "PAGE_SIZE", 2):
				pages = {p: self.run_as(self.a.approver_a, all_years=1, page=p) for p in (None, 1, 2, 3)}
				self.assertEqual(pages[None][1], pages[1][1])
				self.assertEqual([r.project for r in pages[1][1]], order[:2])
				self.assertIn(frappe._("The next ones are on page {0}.").format(2), pages[1][2])
				self.assertEqual(pages[1][4][0]["label"], ledger.label("Projects on This Page"))
				self.assertEqual([r.project for r in pages[2][1]], order[2:])
				self.assertIn(
					frappe._("Every year: projects {0} to {1}, page {2}.").format(3, 3, 2), pages[2][2]
				)
				self.assertNotIn(frappe._("The next ones are on page {0}.").format(3), pages[2][2])
				self.assertEqual(pages[3][1], [])
				past = frappe._("Every year: page {0} is past the last project. Page 1 starts again.")
				self.assertIn(past.format(3), pages[3][2])
				# one year is never paged; nor every year when it fits on a page
				self.assertIsNone(self.run_as(self.a.approver_a, year=2026)[2])
				with patch.object(ledger, "PAGE_SIZE", 3):
					self.assertIsNone(self.run_as(self.a.approver_a, all_years=1)[2])
				# the background export holds every page
				with frozen("2027-02-01"):
					file_name = make_report_export(REPORT, {"all_years": 1, "page": 2}, self.a.approver_a)
				frappe.set_user("Administrator")
				path = frappe.get_doc("File", file_name).get_full_path()
				sheet = load_workbook(path).active
				os.remove(path)  # the rollback below takes back its File only
				projects = [row[0] for row in sheet.iter_rows(values_only=True) if row[0] in order]
				self.assertEqual(projects, order)
				self.assertNotIn(ledger.WHOLE_LEDGER, frappe.flags)  # the job's run only
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback(save_point="ledger_pages")

	def test_the_overdue_card_opens_the_projects_it_counts(self):
		from dangjian.dashboard import overdue_quarterly_reports

		with self.set_user(self.a.approver_a):
			with frozen("2027-02-01"):
				card = overdue_quarterly_reports()
		self.assertEqual(card["value"], 1)
		self.assertEqual(card["route"], ["query-report", REPORT])
		rows = self.run_as(self.a.approver_a, **card["route_options"])[1]
		self.assertEqual([r.project for r in rows], [self.running.name])
		self.assertEqual(sum(r.overdue for r in rows), card["value"])
		# the draft of branch B has nothing overdue
		self.assertEqual(self.run_as(self.a.secretary_b, **card["route_options"])[1], [])

	def test_background_export_names_the_years_it_holds(self):
		from dangjian.report_jobs import export_filename

		with frozen("2027-02-01"):
			name = frappe._("Dangjian Project Ledger")
			self.assertEqual(export_filename(REPORT, {}), f"{name}-2027.xlsx")
			self.assertEqual(export_filename(REPORT, {"year": 2025}), f"{name}-2025.xlsx")
			every = f"{name}-{frappe._('All Years')}.xlsx"
			self.assertEqual(export_filename(REPORT, {"year": 2027, "all_years": 1}), every)

	def test_desk_filter_defaults_to_the_current_year(self):
		path = frappe.get_app_path(
			"dangjian", "dangjian", "report", "dangjian_project_ledger", "dangjian_project_ledger.js"
		)
		with open(path) as f:
			source = f.read()
		year = source[source.index('fieldname: "year"') : source.index('fieldname: "all_years"')]
		self.assertIn("default: new Date().getFullYear()", year)
		self.assertIn("reqd: 1", year)
		self.assertIn('depends_on: "eval:!doc.all_years"', year)
		self.assertIn('fieldtype: "Check"', source[source.index('fieldname: "all_years"') :])

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
