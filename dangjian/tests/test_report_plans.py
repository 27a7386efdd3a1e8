"""The plans of the reports' own statements: no full scan of the score or quarterly report tables.

On a small generated data set (dangjian.perf.generator, 60 projects, rolled back with the test
class), each of the app's Script Reports is run as the desk runs it
(``frappe.desk.query_report.run``) as the generated company administrator with the benchmark's
filters (and the ledger's other ways of opening: every year, the overdue card's view), and so is
each workspace number card. Every SELECT the app issued on its own tables is captured (Frappe's
own statements around the call — the Report document, its roles, DocShare — name none of them)
and EXPLAINed. Issue 19, item 3: at 200,000 projects no report may read the whole of
`tabDangjian Evaluation Score` or `tabDangjian Quarterly Report`.

What is asserted: every step of those plans on the two tables either uses an index or could
(``possible_keys`` not empty). Not ``type != ALL`` alone: on a table of a few hundred rows
MariaDB may read the whole table where at scale it uses the index, and which it does depends on
InnoDB's sampled statistics — in this very test, Quarterly Progress's grouped reports were read
through ``project`` in one run and whole (``possible_keys: project,year``) in another, on the
same generated set. Neither ``max_seeks_for_key = 1`` changed that, nor could ``ANALYZE TABLE`` be used
(it commits, and the generated rows must roll back). Whether an index applies depends on the
statement and the table's indexes only, so it is stable at any size; the benchmark checks the
chosen plans (``type``) at 20,000 projects, where the choice is the one that matters.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from dangjian.perf import benchmark, generator, plans

# the reports that read none of the app's tables (Frappe's Access Log)
NOT_APP_TABLES = {"Dangjian Access Log"}


def filter_sets(today) -> list[tuple[str, dict]]:
	sets = list(benchmark.benchmark_filters(today).items())
	sets += [
		("Dangjian Project Ledger", {"all_years": 1}),
		("Dangjian Project Ledger", {"all_years": 1, "overdue_only": 1}),
		("Dangjian Evaluation Results", {"year": today.year - 2, "group_by": "Evaluator Category"}),
		("Dangjian Evaluation Results", {"year": today.year - 2, "group_by": "Topic Area"}),
	]
	return sets


class TestReportPlans(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.gen = generator.Generator(60, seed=3, prefix="RP")
		cls.gen.run(lambda *args: None)

	def tearDown(self):
		frappe.set_user("Administrator")

	def captured(self, call) -> list[tuple[str, object]]:
		frappe.set_user(self.gen.admin_user)
		call()  # warm: meta, settings, translations
		with benchmark.count_queries() as log:
			call()
		frappe.set_user("Administrator")
		return plans.own_selects(log.queries)

	def check(self, what: str, statements) -> set[str]:
		"""Fails on a full scan of a watched table that no index could serve; answers the watched
		tables the statements read."""
		scans = plans.full_scans(statements, indexless_only=True)
		self.assertEqual(scans, [], f"{what}: a full scan no index can serve")
		return {table for query, values in statements for table, _step in plans.watched_steps(query, values)}

	def test_the_data_set_is_there(self):
		self.assertEqual(frappe.db.count("Dangjian Project", {"branch": ("like", "RP%")}), 60)
		for table in plans.WATCHED:
			rows = frappe.db.sql(f"select count(*) from `{table}` where branch like 'RP%%'")[0][0]
			self.assertGreater(rows, 50, table)

	def test_reports_can_use_indexes_on_the_score_and_quarterly_report_tables(self):
		from frappe.desk.query_report import run

		today = getdate(nowdate())
		reports = set(benchmark.app_reports())
		self.assertTrue(reports)
		checked, seen = 0, set()
		for report, filters in filter_sets(today):
			self.assertIn(report, reports)

			def call(report=report, filters=filters):
				return run(report, filters=json.dumps(filters), ignore_prepared_report=True)

			statements = self.captured(call)
			if report not in NOT_APP_TABLES:
				self.assertTrue(statements, f"{report} {filters}: no statement of its own captured")
			seen |= self.check(f"{report} {filters}", statements)
			checked += len(statements)
		# every report of the app was run, and the quarterly reports were read by some of them
		self.assertEqual({report for report, _f in filter_sets(today)}, reports - NOT_APP_TABLES)
		self.assertGreaterEqual(checked, len(filter_sets(today)))
		self.assertIn("tabDangjian Quarterly Report", seen)

	def test_number_cards_can_use_indexes(self):
		cards = [c for c in benchmark.number_cards() if c.get("type") == "Custom" and c.get("method")]
		self.assertTrue(cards)
		checked, seen = 0, set()
		for card in cards:
			statements = self.captured(frappe.get_attr(card["method"]))
			seen |= self.check(f"card {card['name']}", statements)
			checked += len(statements)
		self.assertGreater(checked, 0)
		self.assertIn("tabDangjian Quarterly Report", seen)  # the overdue card

	def test_a_full_scan_is_caught(self):
		"""The check fails where it should: statements that can only read the whole table, by its
		name and by an alias."""
		for query in (
			"select count(*) from `tabDangjian Quarterly Report` where progress_summary like %s",
			"select count(*) from `tabDangjian Evaluation Score` s where s.evaluator_name like %s",
		):
			with self.assertRaises(AssertionError):
				self.check("a scan", [(query, ("%x%",))])
