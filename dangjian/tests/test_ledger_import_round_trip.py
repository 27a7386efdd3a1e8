"""The round trip: the demo's Project Ledger exported to Excel with the app's own export (in
Chinese, as a department downloads it), the two optional sheets added from the demo's quarterly
reports and evaluations, the demo's projects taken away, the workbook imported by the company
administrator — and the ledger, the branch assessment and the commendation list are the source's,
row for row.

The source is the demo less its projects not on record (drafts, applications under way, projects
waiting for or between acceptances): a ledger import brings approved history only. The spot
checks stay, pointed at the imported projects: they are the department's inspections of a branch
(the branch assessment counts them by branch and year), not part of the ledger. The whole class
runs in the test's transaction and is rolled back."""

import io
import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase

from dangjian import demo
from dangjian.dangjian.doctype.dangjian_ledger_import import layout, writer
from dangjian.dangjian.report.dangjian_branch_assessment.dangjian_branch_assessment import (
	execute as branch_assessment,
)
from dangjian.dangjian.report.dangjian_commendation_list.dangjian_commendation_list import (
	execute as commendation_list,
)
from dangjian.dangjian.report.dangjian_evaluation_results.dangjian_evaluation_results import (
	GROUP_BY,
)
from dangjian.dangjian.report.dangjian_evaluation_results.dangjian_evaluation_results import (
	execute as evaluation_results,
)
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import (
	REPORT as LEDGER,
)
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import (
	execute as project_ledger,
)
from dangjian.tests.ledger_workbooks import dry_run, errors, new_import, run_import
from dangjian.tests.utils import as_user

YEARS = (2025, 2026)
PROJECT = "Dangjian Project"


def delete_records(doctype: str, names: list[str]) -> None:
	if not names:
		return
	for table in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})


def purge(projects: list[str], keep=()) -> None:
	"""Take ``projects`` away with every record that refers to them (a commendation, a Top Ten
	selection, an exchange activity whole), but the doctypes in ``keep``."""
	for doctype, fieldname in writer.project_links():
		if doctype in keep or doctype == PROJECT:
			continue
		meta = frappe.get_meta(doctype)
		if meta.istable:
			for row in frappe.get_all(
				doctype, filters={fieldname: ("in", projects)}, fields=["parenttype", "parent"], distinct=True
			):
				delete_records(row.parenttype, [row.parent])
		else:
			delete_records(
				doctype, frappe.get_all(doctype, filters={fieldname: ("in", projects)}, pluck="name")
			)
	delete_records(PROJECT, projects)


def export_ledger(user: str) -> bytes:
	"""The Project Ledger as the desk's Excel export gives it (the app's export_query)."""
	from dangjian.security import export_query

	form = frappe.local.form_dict
	with as_user(user):
		frappe.local.form_dict = frappe._dict(
			report_name=LEDGER,
			file_format_type="Excel",
			filters=json.dumps({"all_years": 1}),
			visible_idx=json.dumps([]),
			custom_columns=json.dumps([]),
		)
		try:
			export_query()
		finally:
			frappe.local.form_dict = form
	return frappe.response.pop("filecontent")


def optional_sheets(content: bytes, projects: list[str]) -> bytes:
	"""The exported workbook with the quarterly reports and the acceptance and evaluation
	totals of ``projects`` added, in the import's layout (the desk's Chinese words)."""
	from openpyxl import load_workbook

	book = load_workbook(io.BytesIO(content))
	specs = {spec.key: spec for spec in layout.sheets()}
	reports = book.create_sheet(layout.sheet_title(specs[layout.REPORTS]))
	columns = specs[layout.REPORTS].columns
	reports.append([layout.header(c) for c in columns])
	for row in frappe.get_all(
		"Dangjian Quarterly Report",
		filters={"project": ("in", projects), "docstatus": ("<", 2), "first_submitted_on": ("is", "set")},
		fields=["*"],
		order_by="project, year, quarter",
	):
		row.status = _(row.status, lang="zh", context="Dangjian Quarterly Report")
		row.quarter = int(row.quarter)
		reports.append([row.get(c.fieldname) for c in columns])
	evaluation = book.create_sheet(layout.sheet_title(specs[layout.EVALUATION]))
	columns = specs[layout.EVALUATION].columns
	evaluation.append([layout.header(c) for c in columns])
	for project in frappe.get_all(
		PROJECT,
		filters={"name": ("in", projects), "status": ("in", ("Accepted", "Evaluated"))},
		fields=[
			"name",
			"commendation",
			"top_ten_selection",
			"imported_acceptance_rounds",
			"imported_evaluators",
			"imported_satisfaction_rate",
			"imported_weighted_total",
			"imported_document_number",
			"imported_top_ten_rank",
		],
	):
		# (a project that was itself imported gives what its ledger gave)
		row = {
			"project": project.name,
			"evaluators": project.imported_evaluators or None,
			# (evaluators come with their rate, 0 included)
			"satisfaction_rate": project.imported_satisfaction_rate if project.imported_evaluators else None,
			"weighted_total": project.imported_weighted_total or None,
			"document_number": project.imported_document_number,
			"top_ten_rank": project.imported_top_ten_rank or None,
		}
		row["acceptance_rounds"] = (
			max(
				frappe.get_all(
					"Dangjian Acceptance",
					filters={"project": project.name, "docstatus": 1},
					pluck="attempt_no",
				)
				or [0]
			)
			or project.imported_acceptance_rounds
			or None
		)
		result = frappe.db.get_value(
			"Dangjian Evaluation",
			{"project": project.name, "docstatus": 1},
			["score_count", "satisfaction_rate", "weighted_total"],
			as_dict=True,
		)
		if result:
			row.update(
				evaluators=result.score_count,
				satisfaction_rate=result.satisfaction_rate,
				weighted_total=result.weighted_total,
			)
		if project.commendation:
			row["document_number"] = frappe.db.get_value(
				"Dangjian Commendation", project.commendation, "document_number"
			)
		if project.top_ten_selection:
			row["top_ten_rank"] = frappe.db.get_value(
				"Dangjian Top Ten Candidate",
				{"parent": project.top_ten_selection, "project": project.name},
				"rank",
			)
		evaluation.append([row.get(c.fieldname) for c in columns])
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


class TestLedgerRoundTrip(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.lang = frappe.local.lang
		frappe.local.lang = "zh"
		demo.make_demo()
		cls.admin = demo.email("admin")
		not_on_record = frappe.get_all(
			PROJECT, filters={"status": ("not in", layout.IMPORTABLE_STATES)}, pluck="name"
		)
		purge(not_on_record)
		cls.source_projects = frappe.get_all(PROJECT, pluck="name", order_by="name")
		cls.source = cls.reports()
		cls.workbook = optional_sheets(export_ledger(cls.admin), cls.source_projects)
		spot_checks = dict(
			frappe.get_all(
				"Dangjian Spot Check",
				filters={"project": ("in", cls.source_projects)},
				fields=["name", "project"],
				as_list=True,
			)
		)
		purge(cls.source_projects, keep=("Dangjian Spot Check",))
		batch = new_import(cls.admin, "C01", cls.workbook, "项目管理台账.xlsx")
		cls.checked = dry_run(batch, cls.admin)
		cls.batch = run_import(cls.checked, cls.admin) if cls.checked.status == "Checked" else cls.checked
		cls.imported = dict(
			frappe.get_all(
				PROJECT,
				filters={"ledger_import": cls.batch.name},
				fields=["import_source_reference", "name"],
				as_list=True,
			)
		)
		for spot_check, project in spot_checks.items():
			frappe.db.set_value("Dangjian Spot Check", spot_check, "project", cls.imported.get(project))
		cls.target = cls.reports()

	@classmethod
	def tearDownClass(cls):
		frappe.local.lang = cls.lang
		super().tearDownClass()

	@classmethod
	def reports(cls) -> dict:
		with as_user(cls.admin):
			return {
				"ledger": project_ledger({"all_years": 1})[1],
				"assessment": {year: branch_assessment({"year": year})[1] for year in YEARS},
				"commendations": {year: commendation_list({"year": year})[1] for year in YEARS},
				"results": {
					(year, group): evaluation_results({"year": year, "group_by": group})[1]
					for year in YEARS
					for group in GROUP_BY
				},
			}

	def source_names(self, rows, batch_column: str | None = None):
		"""Rows with each imported project named by the source project it came from (and without
		``batch_column``, the import batch the target's rows name)."""
		by_name = {name: ref for ref, name in self.imported.items()}
		out = []
		for row in rows:
			row = {**row, "project": by_name.get(row["project"], row["project"])}
			if batch_column:
				self.assertEqual(row.pop(batch_column), self.batch.name)
			out.append(row)
		return out

	def test_the_demo_ledger_imports_without_an_error(self):
		self.assertEqual(self.checked.status, "Checked", [p.message for p in errors(self.checked)])
		self.assertEqual(self.batch.status, "Imported", self.batch.failure)
		self.assertEqual(sorted(self.imported), self.source_projects)
		self.assertGreaterEqual(len(self.source_projects), 8)
		# every state the import takes is in the demo's ledger
		states = {row["status"] for row in self.source["ledger"]}
		self.assertEqual(states, {_(s, lang="zh", context=PROJECT) for s in layout.IMPORTABLE_STATES})
		self.assertTrue(self.batch.imported_reports)

	def test_the_ledger_matches_row_for_row(self):
		source = self.source["ledger"]
		self.assertTrue(source)
		self.assertEqual(self.source_names(self.target["ledger"]), source)

	def test_the_branch_assessment_matches_row_for_row(self):
		for year in YEARS:
			with self.subTest(year=year):
				self.assertTrue(self.source["assessment"][year])
				self.assertEqual(self.target["assessment"][year], self.source["assessment"][year])

	def test_the_commendation_list_matches_row_for_row(self):
		source = self.source["commendations"][2025]
		self.assertTrue(any(row["commended"] for row in source))
		self.assertTrue(any(row["top_ten"] and row["top_ten_rank"] for row in source))
		self.assertTrue(any(row["document_number"] for row in source))
		for year in YEARS:
			with self.subTest(year=year):
				source = [{**row} for row in self.source["commendations"][year]]
				for row in source:
					self.assertIsNone(row.pop("ledger_import"))
				# each imported row names its batch: commended before the app
				self.assertEqual(
					self.source_names(self.target["commendations"][year], "ledger_import"), source
				)

	def test_the_evaluation_results_match_and_say_imported(self):
		"""The stars, levels and average totals by unit and by topic are the source's; every
		result is counted as imported; the evaluators are one row of their own, as many as the
		source's panels, with the same satisfaction rate overall."""
		evaluated = 0
		for year in YEARS:
			for group in ("Unit", "Topic Area"):
				with self.subTest(year=year, group=group):
					source = self.source["results"][(year, group)]
					target = self.target["results"][(year, group)]
					self.assertTrue(all(row.imported == 0 for row in source))
					self.assertEqual([row.imported for row in target], [row.evaluated for row in target])
					strip = lambda rows: [{k: v for k, v in row.items() if k != "imported"} for row in rows]  # noqa: E731
					self.assertEqual(strip(target), strip(source))
					if group == "Unit":
						evaluated += sum(row.evaluated for row in source)
			with self.subTest(year=year, group="Evaluator Category"):
				source = self.source["results"][(year, "Evaluator Category")]
				target = self.target["results"][(year, "Evaluator Category")]
				if not source:
					self.assertEqual(target, [])
					continue
				self.assertEqual(len(target), 1)
				row = target[0]
				self.assertEqual(row.evaluators, sum(r.evaluators for r in source))
				overall = sum(r.satisfaction_rate * r.evaluators for r in source) / row.evaluators
				self.assertAlmostEqual(row.satisfaction_rate, overall, delta=0.5)
		self.assertTrue(evaluated, "the demo has evaluated projects")
