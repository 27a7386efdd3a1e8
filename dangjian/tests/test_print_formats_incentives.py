"""The commendation list (表彰名单) and the Top Ten list (十佳党建+项目名单) as A4 Chinese PDFs."""

import os
import shutil
import subprocess
import tempfile

import frappe
from frappe.tests.utils import FrappeTestCase
from pypdf import PdfReader

from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection import get_candidates
from dangjian.tests.test_print_formats import A4, PDF_TOOLS, embedded_fonts, normalize
from dangjian.tests.utils import add_member, make_actors, make_user


class TestIncentivePrintFormats(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("IP")
		t = cls.a.tree
		cls.p1 = evaluated(t.branch_a1, 2026, 5, project_name="党员先锋岗护航安全生产")
		cls.p2 = evaluated(t.branch_a2, 2026, 3, project_name="机关党员进班组<script>alert(1)</script>")
		cls.tmp = tempfile.mkdtemp(prefix="dangjian-incentives-")

	@classmethod
	def tearDownClass(cls):
		shutil.rmtree(cls.tmp, ignore_errors=True)
		super().tearDownClass()

	def pdf(self, doctype, name, print_format):
		missing = [tool for tool in PDF_TOOLS if not shutil.which(tool)]
		if missing:
			self.skipTest("PDF checks need " + ", ".join(missing))
		path = os.path.join(self.tmp, frappe.scrub(print_format) + ".pdf")
		with open(path, "wb") as f:
			f.write(frappe.get_print(doctype, name, print_format=print_format, as_pdf=True))
		for page in PdfReader(path).pages:
			self.assertAlmostEqual(float(page.mediabox.width), A4[0], delta=2)
			self.assertAlmostEqual(float(page.mediabox.height), A4[1], delta=2)
		self.assertTrue(any("CJK" in f["name"] and f["emb"] == "yes" for f in embedded_fonts(path)))
		text = normalize(
			subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
		)
		return path, text

	def test_commendation_list(self):
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Commendation",
				"title": "关于表彰2026年度优秀党建+项目的决定",
				"unit": self.a.tree.unit_a,
				"year": 2026,
				"document_number": "党委〔2027〕3号",
				"document_date": "2027-01-15",
				"projects": [{"project": self.p1}, {"project": self.p2}],
			}
		).insert(ignore_permissions=True)
		html = frappe.get_print(doc.doctype, doc.name, print_format="Dangjian Commendation List")
		self.assertNotIn("<script>alert(1)</script>", html)
		self.assertIn(
			"&lt;script&gt;", html.replace("&amp;", "&")
		)  # stored escaped by Frappe, escaped again here
		_path, text = self.pdf(doc.doctype, doc.name, "Dangjian Commendation List")
		for expected in (
			"表彰名单",
			"党委〔2027〕3号",
			"2027年1月15日",
			"党员先锋岗护航安全生产",
			"典型示范",
			"★★★★★",
			"序号",
			"党支部",
			"项目名称",
		):
			self.assertIn(normalize(expected), text)

	def test_top_ten_list(self):
		admin = make_user("ip-admin")
		add_member(self.a.tree.company, admin, "Administrator")
		with self.set_user(admin):
			candidates = get_candidates(self.a.tree.company, 2026)
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Top Ten Selection",
				"company": self.a.tree.company,
				"year": 2026,
				"candidates": candidates,
			}
		).insert(ignore_permissions=True)
		path, text = self.pdf(doc.doctype, doc.name, "Dangjian Top Ten List")
		for expected in (
			"2026年度",
			"十佳党建+项目",
			"名次",
			"平均得分",
			"党员先锋岗护航安全生产",
			"评选依据",
			"验收日期早者在前",
		):
			self.assertIn(normalize(expected), text)
		if os.environ.get("DANGJIAN_WRITE_DOC_IMAGES") and shutil.which("pdftoppm"):
			subprocess.run(
				["pdftoppm", "-png", "-r", "70", "-singlefile", path, "/tmp/top-ten-list"], check=True
			)
