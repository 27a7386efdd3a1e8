# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""A report's Excel export made by a real RQ job (dangjian.report_jobs): the approver asks for
the Project Ledger of a year, the job is queued on the ``long`` queue, a separate process runs
it as an RQ worker does, and the workbook lands as a private File with a bell entry in the
approver's language; its rows are the approver's scope only (the report's own), its header the
report's Chinese columns. The worker sees only committed data, so this class commits its tree
and removes everything it made afterwards."""

import io
import os

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_job
from openpyxl import load_workbook

from dangjian import report_jobs
from dangjian.tests.test_unit_year_packs import run_queued_job
from dangjian.tests.utils import as_user, make_actors, make_project

PREFIX = "RJB"
LEDGER = "Dangjian Project Ledger"


class TestReportJobs(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors(PREFIX)
		frappe.db.set_value("User", cls.a.approver_a, "language", "zh")
		cls.mine = make_project(cls.a.tree.branch_a1, project_name="RJB 本单位项目")
		cls.other = make_project(cls.a.tree.branch_b1, project_name="RJB 外单位项目")
		cls.year = cls.mine.year
		frappe.db.commit()  # nosemgrep: the worker reads the data from its own connection

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in frappe.get_all(
			"File", {"attached_to_doctype": "Report", "owner": cls.a.approver_a}, pluck="name"
		):
			frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		frappe.db.delete("Notification Log", {"for_user": cls.a.approver_a})
		frappe.db.delete("Access Log", {"user": cls.a.approver_a})
		for project in (cls.mine, cls.other):
			frappe.delete_doc("Dangjian Project", project.name, force=True, ignore_permissions=True)
		users = [value for key, value in cls.a.items() if key != "tree"]
		frappe.db.delete("User Permission", {"user": ("in", users)})
		tree = cls.a.tree
		for org in (tree.branch_a2, tree.general, tree.branch_a1, tree.branch_b1, tree.unit_a, tree.unit_b):
			frappe.delete_doc("Party Organization", org, force=True, ignore_permissions=True)
		frappe.delete_doc("Party Organization", tree.company, force=True, ignore_permissions=True)
		for user in users:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: undo what setUpClass committed
		super().tearDownClass()

	def run_job(self, job_id: str) -> str:
		return run_queued_job(self, job_id)

	def test_the_approver_gets_the_ledger_of_their_unit_in_the_bell(self):
		approver = self.a.approver_a
		filters = {"year": self.year, "status": ""}
		with as_user(approver):
			answer = report_jobs.enqueue_report_export(LEDGER, frappe.as_json(filters))
		self.assertEqual(answer, {"queue": "long"})
		job_id = report_jobs.job_id(LEDGER, {"year": self.year}, approver)  # empty filters dropped
		self.assertEqual(self.run_job(job_id), "finished")
		frappe.db.rollback()  # see the worker's commit
		logs = frappe.get_all(
			"Notification Log", {"for_user": approver}, ["subject", "document_type", "document_name"]
		)
		self.assertEqual(len(logs), 1, logs)
		self.assertEqual(logs[0].document_type, "File")
		self.assertIn("项目管理台账的 Excel 导出已完成：共 1 行", logs[0].subject)  # in Chinese
		file = frappe.get_doc("File", logs[0].document_name)
		self.assertEqual((file.is_private, file.owner), (1, approver))
		self.assertTrue(file.file_name.endswith(f"-{self.year}.xlsx"), file.file_name)
		sheet = load_workbook(io.BytesIO(file.get_content()), read_only=True).active
		rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
		self.assertGreaterEqual(len(rows), 2, rows)
		self.assertIn("项目名称", rows[0])  # the report's columns, in Chinese
		text = "\n".join(" ".join(str(c) for c in row if c is not None) for row in rows[1:])
		self.assertIn(self.mine.project_name, text)
		self.assertNotIn(self.other.project_name, text)  # the other unit is not the approver's
		self.assertTrue(
			frappe.db.exists("Access Log", {"user": approver, "report_name": LEDGER, "file_type": "Excel"})
		)

	def test_a_long_export_does_not_make_the_report_prepared_for_everyone(self):
		"""Frappe turns a report that runs longer than 15 s into a Prepared Report for every user
		(15.44: after the run, outside developer mode; 15.70: a timer during it). Both look at the
		Report's ``prepared_report`` when the run starts: the job's run has it set, in the job
		only, the desk's has not; the stored Report is unchanged."""
		from unittest.mock import patch

		from frappe.core.doctype.report.report import Report
		from frappe.desk.query_report import run

		execute = Report.execute_script_report
		seen = []

		def watched(report, filters):
			seen.append(report.prepared_report)
			return execute(report, filters)

		made = []
		try:
			with patch.object(Report, "execute_script_report", watched):
				with as_user(self.a.approver_a):
					run(LEDGER, filters={"year": self.year})
				made.append(report_jobs.make_report_export(LEDGER, {"year": self.year}, self.a.approver_a))
		finally:
			for name in made:  # the workbook on disk too: the worker's would get another name
				os.remove(frappe.get_doc("File", name).get_full_path())
			frappe.set_user("Administrator")
			# its File and bell entry hold locks the other tests' worker would wait on until the
			# transaction ends (a rollback to a savepoint keeps them); setUpClass has committed
			frappe.db.rollback()
		self.assertEqual(seen, [0, 1])
		self.assertEqual(frappe.db.get_value("Report", LEDGER, "prepared_report"), 0)

	def test_refused_without_the_report_or_outside_the_app(self):
		with as_user("Guest"), self.assertRaises(frappe.PermissionError):
			report_jobs.enqueue_report_export(LEDGER, "{}")
		with as_user(self.a.approver_a), self.assertRaises(frappe.ValidationError):
			report_jobs.enqueue_report_export("Addresses And Contacts", "{}")
		with as_user(self.a.approver_a), self.assertRaises(frappe.ValidationError):
			report_jobs.enqueue_report_export(LEDGER, "[1, 2]")
		for user in ("Guest", self.a.approver_a):
			self.assertIsNone(get_job(report_jobs.job_id(LEDGER, {}, user)))
