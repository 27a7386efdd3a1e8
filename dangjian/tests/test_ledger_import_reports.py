"""An imported result in the reports: a project imported from an earlier ledger as evaluated is
in the company's history — the Evaluation Results count it as the Branch Assessment and the
Commendation List do — and is marked there as imported, never as an evaluation held in the app.
A project imported as accepted and evaluated in the app afterwards counts once, as the app's."""

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.report.dangjian_branch_assessment.dangjian_branch_assessment import (
	execute as branch_assessment,
)
from dangjian.dangjian.report.dangjian_commendation_list.dangjian_commendation_list import (
	execute as commendation_list,
)
from dangjian.dangjian.report.dangjian_evaluation_results.dangjian_evaluation_results import (
	execute as evaluation_results,
)
from dangjian.tests.ledger_workbooks import (
	build,
	dry_run,
	errors,
	evaluation_row,
	import_actors,
	new_import,
	project_row,
	run_import,
)
from dangjian.tests.utils import PANEL, as_user, open_evaluation, paper_ballot

YEAR = 2024
UNIT_COUNTS = ("evaluated", "imported", "stars_5", "stars_4", "stars_3", "qualified", "exemplary")


class TestImportedResultsInReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.lang = frappe.local.lang
		frappe.local.lang = "en"
		cls.a = import_actors("LX")
		n = cls.a.names
		unit, branch = n["unit_a"], n["branch_a1"]
		cls.before = cls.results_of_unit_a()
		workbook = build(
			[
				project_row("LX1", "LX先锋岗", YEAR, unit, branch, stars=4, grade="Exemplary", top_ten=1),
				project_row("LX2", "LX责任区", YEAR, unit, branch, stars=3, grade="Commended"),
				project_row("LX3", "LX帮扶", YEAR, unit, cls.a.tree.branch_a2, "Accepted"),
			],
			evaluation=[
				evaluation_row(
					"LX1",
					acceptance_rounds=1,
					evaluators=7,
					satisfaction_rate=90,
					weighted_total=85,
					document_number="党委〔2025〕8号",
					top_ten_rank=1,
				),
				# LX2: a panel none of whom was satisfied (a rate of 0 is a rate), and no total
				evaluation_row("LX2", evaluators=3, satisfaction_rate=0),
			],
		)
		batch = dry_run(new_import(cls.a.company_admin, cls.a.tree.company, workbook), cls.a.company_admin)
		assert batch.status == "Checked", [p.message for p in errors(batch)]
		cls.batch = run_import(batch, cls.a.company_admin)
		assert cls.batch.status == "Imported", cls.batch.failure
		cls.projects = dict(
			frappe.get_all(
				"Dangjian Project",
				filters={"ledger_import": cls.batch.name},
				fields=["import_source_reference", "name"],
				as_list=True,
			)
		)

	@classmethod
	def tearDownClass(cls):
		frappe.local.lang = cls.lang
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	@classmethod
	def results_of_unit_a(cls, **filters) -> frappe._dict:
		"""The Evaluation Results' row of unit A (zeros when it has none), as its approver sees it."""
		with as_user(cls.a.approver_a):
			data = evaluation_results({"year": YEAR, "unit": cls.a.tree.unit_a, **filters})[1]
		row = next((r for r in data if r.group_value == cls.a.names["unit_a"]), None)
		return row or frappe._dict(dict.fromkeys(UNIT_COUNTS, 0), average_total=None)

	def grown(self, after, before=None) -> dict:
		before = before or self.before
		return {key: after[key] - before[key] for key in UNIT_COUNTS}

	def test_the_imported_results_are_counted_and_marked_as_imported(self):
		with as_user(self.a.approver_a):
			_columns, data, message, chart, summary = evaluation_results(
				{"year": YEAR, "unit": self.a.tree.unit_a}
			)
		row = next(r for r in data if r.group_value == self.a.names["unit_a"])
		self.assertEqual(
			self.grown(row),
			{
				"evaluated": 2,
				"imported": 2,
				"stars_5": 0,
				"stars_4": 1,
				"stars_3": 1,
				"qualified": 2,
				"exemplary": 1,
			},
		)
		if not self.before.evaluated:
			# the ledger's total where it gave one (85); LX2's blank total is not a 0
			self.assertEqual(row.average_total, 85)
		# the auditor is told, in the columns, the summary and the message
		self.assertIn("imported", [c["fieldname"] for c in _columns])
		summary = {item["label"]: item["value"] for item in summary}
		self.assertEqual(summary["Imported from Earlier Ledgers"], row.imported)
		self.assertIn(f"{row.imported} of these {row.evaluated} results were imported", message)
		self.assertEqual(sum(sum(d["values"]) for d in chart["data"]["datasets"]), row.evaluated)

	def test_by_topic_area(self):
		with as_user(self.a.approver_a):
			data = evaluation_results({"year": YEAR, "unit": self.a.tree.unit_a, "group_by": "Topic Area"})[1]
		row = next(r for r in data if r.group_value == "Unit's Internal Development")
		self.assertGreaterEqual(row.imported, 2)
		self.assertGreaterEqual(row.stars_4, 1)

	def test_the_imported_evaluators_are_a_row_of_their_own(self):
		with as_user(self.a.approver_a):
			data = evaluation_results(
				{"year": YEAR, "unit": self.a.tree.unit_a, "group_by": "Evaluator Category"}
			)[1]
		imported = [r for r in data if r.imported]
		self.assertEqual(len(imported), 1)
		row = imported[0]
		# 7 at 90 % and 3 at 0 %: (630 + 0) / 10
		self.assertEqual((row.evaluators, row.satisfaction_rate, row.imported), (10, 63, 2))
		self.assertIsNone(row.avg_benefit)
		self.assertIn("Categories Not Recorded", row.group_value)

	def test_an_imported_project_evaluated_in_the_app_counts_once_as_the_apps(self):
		frappe.db.savepoint("evaluated_here")
		try:
			self.evaluate_in_the_app(self.projects["LX3"])  # imported as Accepted
		finally:
			frappe.db.rollback(save_point="evaluated_here")

	def evaluate_in_the_app(self, project: str):
		evaluation = open_evaluation(self.a, project)
		for ballot in PANEL:
			paper_ballot(self.a, evaluation.name, *ballot)
		with as_user(self.a.approver_a):
			frappe.get_doc("Dangjian Evaluation", evaluation.name).submit()
		self.assertEqual(frappe.db.get_value("Dangjian Project", project, "stars"), 5)
		after = self.results_of_unit_a()
		growth = self.grown(after)
		self.assertEqual((growth["evaluated"], growth["imported"], growth["stars_5"]), (3, 2, 1))
		with as_user(self.a.approver_a):
			data = evaluation_results(
				{"year": YEAR, "unit": self.a.tree.unit_a, "group_by": "Evaluator Category"}
			)[1]
		# the panel's five by category; the imported row still only the ledgers' ten
		self.assertGreaterEqual(sum(r.evaluators for r in data if not r.imported), len(PANEL))
		self.assertEqual([r.evaluators for r in data if r.imported], [10])

	def test_scope(self):
		for user in (self.a.approver_b, self.a.secretary_b):
			with as_user(user):
				data = evaluation_results({"year": YEAR})[1]
			self.assertNotIn(self.a.names["unit_a"], [r.group_value for r in data], user)
			with as_user(user):
				data = evaluation_results({"year": YEAR, "group_by": "Evaluator Category"})[1]
			self.assertFalse([r for r in data if r.imported], user)

	def test_the_other_reports_show_the_imported_results_as_imported(self):
		with as_user(self.a.approver_a):
			rows = {r.project: r for r in commendation_list({"year": YEAR})[1]}
			assessment = {r.branch: r for r in branch_assessment({"year": YEAR})[1]}
		first = rows[self.projects["LX1"]]
		self.assertEqual((first.stars, first.top_ten, first.top_ten_rank), (4, 1, 1))
		self.assertEqual(first.document_number, "党委〔2025〕8号")
		self.assertEqual(first.ledger_import, self.batch.name)
		self.assertEqual(rows[self.projects["LX2"]].ledger_import, self.batch.name)
		self.assertEqual(assessment[self.a.tree.branch_a1].best_stars, 4)
		self.assertEqual(assessment[self.a.tree.branch_a1].first_acceptance, 1)  # LX1: one round
