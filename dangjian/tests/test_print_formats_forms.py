"""The quarterly report, acceptance report and evaluation result sheet as A4 Chinese PDFs."""

import os
import shutil
import subprocess
import tempfile

import frappe
from frappe.tests.utils import FrappeTestCase
from pypdf import PdfReader

from dangjian.tests.test_print_formats import A4, PDF_TOOLS, embedded_fonts, normalize
from dangjian.tests.utils import act, evaluated_project, frozen, make_actors, quarterly_report_fields


class TestLifecyclePrintFormats(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("LP")
		cls.project, cls.evaluation = evaluated_project(cls.a)
		cls.tmp = tempfile.mkdtemp(prefix="dangjian-forms-")

	@classmethod
	def tearDownClass(cls):
		shutil.rmtree(cls.tmp, ignore_errors=True)
		super().tearDownClass()

	def pdf_text(self, doctype, name, print_format):
		missing = [tool for tool in PDF_TOOLS if not shutil.which(tool)]
		if missing:
			self.skipTest("PDF checks need " + ", ".join(missing))
		html = frappe.get_print(doctype, name, print_format=print_format)
		self.assertNotIn("<script>alert", html)
		path = os.path.join(self.tmp, frappe.scrub(print_format) + ".pdf")
		with open(path, "wb") as f:
			f.write(frappe.get_print(doctype, name, print_format=print_format, as_pdf=True))
		for page in PdfReader(path).pages:
			self.assertAlmostEqual(float(page.mediabox.width), A4[0], delta=2)
			self.assertAlmostEqual(float(page.mediabox.height), A4[1], delta=2)
		self.assertTrue(any("CJK" in f["name"] and f["emb"] == "yes" for f in embedded_fonts(path)))
		if os.environ.get("DANGJIAN_DOC_IMAGES") and shutil.which("pdftoppm"):
			out = os.path.join(
				os.environ["DANGJIAN_DOC_IMAGES"],
				print_format.lower().replace("dangjian ", "").replace(" ", "-"),
			)
			subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", path, out], check=True)
		return normalize(
			subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
		)

	def assert_has(self, text, *expected):
		missing = [e for e in expected if normalize(e) not in text]
		self.assertFalse(missing, f"not in the PDF: {missing}")

	def test_quarterly_report(self):
		from dangjian.tests.utils import in_progress_project

		project = in_progress_project(self.a, on="2026-04-20")
		with frozen("2026-10-05"):
			with self.set_user(self.a.secretary_a):
				doc = frappe.get_doc(quarterly_report_fields(project.name, 2026, 3)).insert()
			act(doc, "Submit", self.a.secretary_a)
		frappe.db.set_value(
			doc.doctype,
			doc.name,
			{"problems": "<script>alert(1)</script>问题", "supervision_comment": "进展良好"},
		)
		text = self.pdf_text(doc.doctype, doc.name, "Dangjian Quarterly Report")
		self.assert_has(
			text,
			"党建+项目季度进展报告",
			"第三季度",
			"计划步骤",
			"设立先锋岗",
			"本季度进展",
			"存在问题",
			"下季度计划",
			"督办意见",
			"进展良好",
			"2026年10月5日",
		)

	def test_acceptance_report(self):
		name = frappe.db.get_value("Dangjian Acceptance", {"project": self.project.name, "docstatus": 1})
		text = self.pdf_text("Dangjian Acceptance", name, "Dangjian Acceptance Report")
		self.assert_has(
			text,
			"党建+项目验收报告",
			"对照方案自查",
			"验收组",
			"王建华",
			"组长",
			"听取汇报",
			"验收结论",
			"通过验收",
			"项目验收报告",
			"签字",
		)

	def test_evaluation_result(self):
		text = self.pdf_text("Dangjian Evaluation", self.evaluation.name, "Dangjian Evaluation Result")
		self.assert_has(
			text,
			"党建+项目评估结果表",
			"群众满意率",
			"综合效益",
			"经验可推广性",
			"加权总分",
			"94.00",
			"分类评估",
			"群众代表",
			"★★★★★",
			"典型示范项目",
			"五星≥90",
		)
