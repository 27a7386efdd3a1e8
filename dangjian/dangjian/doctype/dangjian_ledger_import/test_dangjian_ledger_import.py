"""The ledger import end to end: the dry run writes nothing, the import writes every project at
its ledger's state (marked as imported, no workflow step claimed) in a background job with its
progress, all or nothing; later steps work on an imported project; undo takes exactly the batch,
and refuses once work was added, naming it."""

import datetime
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_ledger_import import writer
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import execute as ledger
from dangjian.tests.ledger_workbooks import (
	build,
	counts,
	dry_run,
	errors,
	evaluation_row,
	import_actors,
	new_import,
	project_row,
	report_row,
	run_import,
	undo,
)
from dangjian.tests.utils import (
	ACCEPTANCE_GROUP,
	acceptance_application,
	act,
	as_user,
	plan_fields,
	quarterly_report_fields,
)

D = datetime.date


class TestLedgerImport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = import_actors("LI")
		frappe.local.lang = "zh"

	@classmethod
	def tearDownClass(cls):
		frappe.local.lang = "en"
		super().tearDownClass()

	def workbook(self, tag: str, **extra):
		"""Four projects at the four importable states, with reports and evaluation totals."""
		n, t = self.a.names, self.a.tree
		projects = [
			project_row(f"{tag}1", f"{tag}先锋岗", 2024, n["unit_a"], n["branch_a1"], top_ten=1),
			project_row(f"{tag}2", f"{tag}责任区", 2025, n["unit_a"], n["branch_a1"], "In Progress"),
			project_row(f"{tag}3", f"{tag}志愿队", 2025, n["unit_b"], n["branch_b1"], "Approved"),
			project_row(f"{tag}4", f"{tag}帮扶", 2024, n["unit_a"], t["branch_a2"], "Accepted"),
		]
		reports = [
			report_row(f"{tag}1", 2024, 3, D(2024, 10, 8)),
			report_row(f"{tag}2", 2025, 3, D(2025, 10, 9)),
			report_row(f"{tag}2", 2025, 4, D(2026, 1, 20), status="Submitted"),
		]
		evaluation = [
			evaluation_row(
				f"{tag}1",
				acceptance_rounds=1,
				evaluators=7,
				satisfaction_rate=90,
				weighted_total=85,
				document_number="党委〔2025〕3号",
				top_ten_rank=2,
			),
			evaluation_row(f"{tag}4", acceptance_rounds=2),
		]
		return build(projects, reports, evaluation, **extra)

	def imported(self, tag: str):
		batch = new_import(self.a.company_admin, self.a.tree.company, self.workbook(tag))
		batch = dry_run(batch, self.a.company_admin)
		self.assertEqual(batch.status, "Checked", [p.message for p in errors(batch)])
		return run_import(batch, self.a.company_admin)

	def projects_of(self, batch) -> dict:
		return {
			p.import_source_reference: p
			for p in frappe.get_all(
				"Dangjian Project", filters={"ledger_import": batch.name}, fields=["*"], order_by="name"
			)
		}

	def test_dry_run_checks_and_writes_nothing(self):
		before = counts()
		batch = new_import(self.a.company_admin, self.a.tree.company, self.workbook("DR"))
		batch = dry_run(batch, self.a.company_admin)
		self.assertEqual(batch.status, "Checked", [p.message for p in errors(batch)])
		self.assertEqual((batch.project_rows, batch.report_rows, batch.evaluation_rows), (4, 3, 2))
		self.assertEqual(batch.error_count, 0)
		after = counts()
		self.assertEqual(after["Dangjian Project"], before["Dangjian Project"])
		self.assertEqual(after["Dangjian Quarterly Report"], before["Dangjian Quarterly Report"])

	def test_projects_are_written_at_their_state_and_marked_as_imported(self):
		progress = []
		with patch("frappe.publish_progress", side_effect=lambda *a, **k: progress.append(a[0])):
			batch = self.imported("IM")
		self.assertEqual(batch.status, "Imported", batch.failure)
		self.assertEqual((batch.imported_projects, batch.imported_reports), (4, 3))
		self.assertEqual(batch.imported_by, self.a.company_admin)
		self.assertEqual(progress[0], 0)
		self.assertEqual(progress[-1], 100)
		projects = self.projects_of(batch)
		evaluated, running, approved, accepted = (projects[f"IM{i}"] for i in range(1, 5))
		self.assertEqual(
			(evaluated.status, evaluated.stars, evaluated.grade, evaluated.commended, evaluated.top_ten),
			("Evaluated", 4, "Exemplary", 1, 1),
		)
		self.assertEqual(str(evaluated.applied_on), "2024-04-10")
		self.assertEqual(str(evaluated.approved_on), "2024-04-25")
		self.assertEqual(str(evaluated.accepted_on), "2025-03-10")
		self.assertEqual(evaluated.acceptance_result, "Passed")
		self.assertEqual(evaluated.imported_document_number, "党委〔2025〕3号")
		self.assertEqual((evaluated.imported_top_ten_rank, evaluated.imported_evaluators), (2, 7))
		self.assertEqual(evaluated.approving_organization, self.a.tree.unit_a)
		self.assertEqual(evaluated.leading_organization, self.a.tree.unit_a)
		self.assertEqual(evaluated.undertaking_organization, self.a.tree.branch_a1)
		self.assertEqual(running.status, "In Progress")
		self.assertEqual(approved.status, "Approved")
		self.assertIsNone(approved.implementation_started_on)
		self.assertEqual((accepted.status, accepted.imported_acceptance_rounds), ("Accepted", 2))
		for project in projects.values():
			self.assertEqual(project.ledger_import, batch.name)
			self.assertEqual(project.import_source_file, batch.file_name)
			self.assertTrue(project.import_source_file.startswith("ledger"))
			self.assertTrue(project.import_source_row >= 2)
			self.assertEqual(project.owner, self.a.company_admin)
			# who applied, reviewed or approved is not known: nobody is named
			self.assertFalse(project.applied_by or project.approved_by or project.reviewed_by)
		# no step of the workflow is claimed to have happened in the app
		names = [p.name for p in projects.values()]
		self.assertFalse(
			frappe.get_all("Version", filters={"ref_doctype": "Dangjian Project", "docname": ("in", names)})
		)
		self.assertFalse(
			frappe.get_all(
				"Comment", filters={"reference_doctype": "Dangjian Project", "reference_name": ("in", names)}
			)
		)
		reports = frappe.get_all(
			"Dangjian Quarterly Report",
			filters={"ledger_import": batch.name},
			fields=["project", "year", "quarter", "status", "docstatus", "is_late", "first_submitted_on"],
			order_by="year, quarter",
		)
		self.assertEqual(len(reports), 3)
		by_quarter = {(r.project, r.year, r.quarter): r for r in reports}
		late = by_quarter[(running.name, 2025, "4")]
		self.assertEqual((late.status, late.docstatus, late.is_late), ("Submitted", 0, 1))
		reviewed = by_quarter[(running.name, 2025, "3")]
		self.assertEqual((reviewed.status, reviewed.docstatus, reviewed.is_late), ("Reviewed", 1, 0))
		# the ledger shows them, in the approver's scope
		with self.set_user(self.a.approver_a):
			rows = {r.project: r for r in ledger({"all_years": 1})[1]}
		self.assertIn(evaluated.name, rows)
		self.assertNotIn(approved.name, rows)  # unit B's
		self.assertEqual(rows[evaluated.name].plan_progress, "3/3")
		self.assertTrue(rows[running.name].last_report.startswith("2025 Q4"))

	def test_the_history_says_imported(self):
		from dangjian.dangjian.doctype.dangjian_project.timeline import get_project_timeline

		batch = self.imported("HI")
		project = self.projects_of(batch)["HI1"]
		events = [e["event"] for e in get_project_timeline(project.name)]
		self.assertTrue(any("导入" in e and batch.name in e for e in events), events)
		self.assertTrue(any(e.startswith("申报") or "原台账" in e for e in events), events)

	def test_later_steps_work_on_an_imported_project(self):
		batch = self.imported("LS")
		project = self.projects_of(batch)["LS2"]  # In Progress since 2025-05-06
		a = self.a
		# a new quarterly report, submitted and reviewed as any other
		with as_user(a.secretary_a):
			report = frappe.get_doc(quarterly_report_fields(project.name, 2026, 1)).insert()
		act(report, "Submit", a.secretary_a)
		report = act(
			frappe.get_doc(report.doctype, report.name), "Review", a.approver_a, supervision_comment="好。"
		)
		self.assertEqual(report.status, "Reviewed")
		# the plan the ledger did not carry is recorded once, then the acceptance
		with as_user(a.secretary_a):
			doc = frappe.get_doc("Dangjian Project", project.name)
			doc.update(plan_fields("2025-05-06", "2026-05-06"))
			doc.save()
		with as_user(a.secretary_a):
			doc = frappe.get_doc("Dangjian Project", project.name)
			doc.plan_steps[0].step_title = "改过的步骤"
			self.assertRaises(frappe.ValidationError, doc.save)
		with as_user(a.secretary_a):
			acceptance = frappe.get_doc(acceptance_application(project.name)).insert()
		act(acceptance, "Apply", a.secretary_a)
		act(frappe.get_doc(acceptance.doctype, acceptance.name), "Pass", a.approver_a, **ACCEPTANCE_GROUP)
		self.assertEqual(frappe.db.get_value("Dangjian Project", project.name, "status"), "Accepted")
		# and now the batch is not undone: the work is named
		with self.assertRaises(frappe.ValidationError) as refused:
			undo(batch, a.company_admin)
		message = str(refused.exception)
		self.assertIn(report.name, message)
		self.assertIn(acceptance.name, message)
		self.assertEqual(len(self.projects_of(batch)), 4)

	def test_undo_takes_exactly_the_batch(self):
		other = self.imported("UO")
		batch = self.imported("UN")
		before = counts()
		batch = undo(batch, self.a.company_admin)
		self.assertEqual(batch.status, "Undone")
		self.assertEqual(batch.undone_by, self.a.company_admin)
		self.assertEqual(self.projects_of(batch), {})
		self.assertFalse(frappe.get_all("Dangjian Quarterly Report", filters={"ledger_import": batch.name}))
		after = counts()
		self.assertEqual(after["Dangjian Project"], before["Dangjian Project"] - 4)
		self.assertEqual(after["Dangjian Quarterly Report"], before["Dangjian Quarterly Report"] - 3)
		self.assertEqual(len(self.projects_of(other)), 4)
		# an undone import stays on record and is not imported again
		self.assertRaises(frappe.ValidationError, run_import, batch, self.a.company_admin)
		with as_user(self.a.company_admin):
			self.assertRaises(frappe.PermissionError, frappe.delete_doc, batch.doctype, batch.name)

	def test_a_failure_while_writing_leaves_nothing(self):
		before = counts()
		real = writer.insert_directly
		calls = []

		def failing(doc):
			calls.append(doc.doctype)
			if len(calls) == 3:
				raise frappe.ValidationError("磁盘已满")
			real(doc)

		batch = new_import(self.a.company_admin, self.a.tree.company, self.workbook("FA"))
		batch = dry_run(batch, self.a.company_admin)
		with patch.object(writer, "insert_directly", failing):
			batch = run_import(batch, self.a.company_admin)
		self.assertEqual(batch.status, "Failed")
		self.assertIn("磁盘已满", batch.failure)
		self.assertEqual(self.projects_of(batch), {})
		self.assertEqual(counts()["Dangjian Project"], before["Dangjian Project"])

	def test_the_import_checks_again_and_needs_a_clean_dry_run(self):
		batch = new_import(self.a.company_admin, self.a.tree.company, self.workbook("CA"))
		self.assertRaises(frappe.ValidationError, run_import, batch, self.a.company_admin)
		batch = dry_run(batch, self.a.company_admin)
		# the same projects are imported by another batch in the meantime
		self.imported("CA")
		batch = run_import(batch, self.a.company_admin)
		self.assertEqual(batch.status, "Has Problems")
		self.assertEqual(self.projects_of(batch), {})
		self.assertTrue(
			any("已在系统中" in p.message for p in errors(batch)), [p.message for p in batch.problems]
		)

	def test_another_workbook_needs_another_dry_run(self):
		from dangjian.tests.ledger_workbooks import attach

		batch = new_import(self.a.company_admin, self.a.tree.company, self.workbook("WB"))
		batch = dry_run(batch, self.a.company_admin)
		self.assertEqual(batch.status, "Checked")
		with as_user(self.a.company_admin):
			batch.import_file = attach(batch.name, self.workbook("WC"), "other.xlsx")
			batch.save()
		self.assertEqual(batch.status, "Draft")
		self.assertFalse(batch.file_hash)
		self.assertRaises(frappe.ValidationError, run_import, batch, self.a.company_admin)

	def test_a_background_job_speaks_the_language_of_its_user(self):
		from dangjian.dangjian.doctype.dangjian_ledger_import import dangjian_ledger_import as ledger_import

		n = self.a.names
		bad = build([project_row("BG1", "BG先锋岗", 2024, n["unit_a"], n["branch_a1"], stars=7)])
		batch = new_import(self.a.company_admin, self.a.tree.company, bad)
		frappe.db.set_value("User", self.a.company_admin, "language", "zh")
		frappe.cache.hdel("lang", self.a.company_admin)
		frappe.local.lang = "en"  # a worker starts in the site's language
		frappe.local.job = frappe._dict(user=self.a.company_admin)
		try:
			with as_user(self.a.company_admin):
				ledger_import.run_dry_run(batch.name)
		finally:
			del frappe.local.job
			frappe.local.lang = "zh"
			frappe.cache.hdel("lang", self.a.company_admin)
		batch = frappe.get_doc(batch.doctype, batch.name)
		self.assertIn("星级应为 1 至 5，不能是 7。", [p.message for p in errors(batch)])
