"""No query per row: every report of the app, and every workspace number card, issues the same
number of SQL queries for a company with 2 projects as for one with 6 (not a timing test).

Two generated data sets (dangjian.perf.generator, bulk-inserted, rolled back with the test
class): company QA with 2 projects and company QB with 6, each over the last two years with a
fixed cycle of states that puts rows in every report. Each report runs as the desk runs it
(frappe.desk.query_report.run) as the company's administrator, scoped by User Permission to
their own company, once to warm the caches and once counted.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from dangjian.perf import benchmark, generator

STATUSES_SMALL = ("Evaluated", "In Progress")
STATUSES_LARGE = (
	"Evaluated",
	"In Progress",
	"Accepted",
	"Under Assistance",
	"Adjusting",
	"Acceptance Applied",
)


class TestQueryCounts(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		quiet = lambda *args: None  # noqa: E731
		cls.small = generator.Generator(2, seed=7, years=2, prefix="QA", statuses=STATUSES_SMALL)
		cls.small.run(quiet)
		cls.large = generator.Generator(6, seed=7, years=2, prefix="QB", statuses=STATUSES_LARGE)
		cls.large.run(quiet)
		# the access log report lists exports of the app's reports: one, as the desk records it
		# (the other reports' rows come from the generated data)
		from frappe.core.doctype.access_log.access_log import make_access_log

		make_access_log(report_name="Dangjian Project Ledger", file_type="Excel", method="Export")

	def tearDown(self):
		frappe.set_user("Administrator")

	def counted(self, user: str, call) -> tuple[int, object]:
		frappe.set_user(user)
		call()  # warm: meta, user permissions, translations
		with benchmark.count_queries() as log:
			result = call()
		return len(log.queries), result

	def filter_sets(self) -> list[dict]:
		year = getdate(nowdate()).year
		sets = [{}, {"year": year}, {"year": year - 1}, {"all_years": 1}]
		sets += [
			{"year": year - 1, "group_by": group} for group in ("Unit", "Topic Area", "Evaluator Category")
		]
		return sets

	def test_generated_sizes(self):
		for gen, expected in ((self.small, 2), (self.large, 6)):
			self.assertEqual(
				frappe.db.count("Dangjian Project", {"branch": ("like", f"{gen.prefix}%")}), expected
			)

	def test_reports_issue_the_same_number_of_queries_whatever_the_rows(self):
		from frappe.desk.query_report import run

		reports = benchmark.app_reports()
		self.assertTrue(reports)
		rows_seen = {}
		for report in reports:
			for filters in self.filter_sets():

				def call(report=report, filters=filters):
					return run(report, filters=json.dumps(filters), ignore_prepared_report=True)

				small, _small_result = self.counted(self.small.admin_user, call)
				large, large_result = self.counted(self.large.admin_user, call)
				rows_seen[report] = rows_seen.get(report, 0) + len(large_result["result"])
				self.assertEqual(
					small,
					large,
					f"{report} {filters}: {small} queries for 2 projects, {large} for 6 — a query per row?",
				)
		# the comparison means something only when the reports had rows to show
		for report, rows in rows_seen.items():
			self.assertGreater(rows, 0, f"{report} showed no rows for the 6-project company")

	def test_number_cards_issue_the_same_number_of_queries(self):
		for card in benchmark.number_cards():
			if card.get("type") != "Custom" or not card.get("method"):
				continue
			method = frappe.get_attr(card["method"])
			small, _ = self.counted(self.small.admin_user, method)
			large, _ = self.counted(self.large.admin_user, method)
			self.assertEqual(small, large, f"card {card['name']}: {small} queries vs {large}")
