# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt
"""The two print formats of the scheme: 附件1 基层党建创新课题项目申报表 and 附件2 基层党建创新课题
项目实施方案, rendered to PDF by wkhtmltopdf and read back with poppler-utils and pypdf.

wkhtmltopdf loads the print CSS from the site's own address, so the site must be served (the
test command, scripts/test.sh, does that)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import fmt_money, getdate
from pypdf import PdfReader

from dangjian.tests.utils import approved_project, make_actors, make_project, plan_fields

APPLICATION_FORM = "Dangjian Application Form"
IMPLEMENTATION_PLAN = "Dangjian Implementation Plan"
PDF_TOOLS = ("wkhtmltopdf", "pdftotext", "pdffonts")
A4 = (595, 842)

# Noto CJK draws some ideographs and radicals with one glyph, and wkhtmltopdf (Qt 4) names a
# glyph in the PDF text layer by its lowest code point: 目 is extracted as ⽬ (U+2F6C), 长 as ⻓
# (U+2ED3). Kangxi radicals fold back with NFKC, the CJK radicals supplement with this table.
RADICALS = str.maketrans(
	"⺟⺠⺰⻁⻅⻆⻉⻋⻑⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯⻰⻱⻲⻳",
	"母民纟虎见角贝车長长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾斉齐齿竜龙龜亀龟",
)

APPLICATION = {
	"project_name": "“党建+安全生产”党员先锋岗创建",
	"lead_name": "陈志刚",
	"lead_title": "党支部书记",
	"team": [
		{"member_name": "林晓东", "title": "值长", "team_role": "Deputy Lead"},
		{"member_name": "张磊", "title": "主值班员", "team_role": "Member"},
	],
	"innovation_goals": "以党建引领安全生产，实现全年零事故。\n党员先锋岗覆盖全部班组。",
	"innovation_content": "设立党员先锋岗和党员责任区。",
	"innovation_measures": "每月开展一次党员安全示范活动。",
	"branch_opinion": "经支部委员会研究，同意申报。",
}


def normalize(text: str) -> str:
	"""Text as a reader means it: radicals folded to ideographs, no white space."""
	text = "".join(unicodedata.normalize("NFKC", c) if 0x2F00 <= ord(c) <= 0x2FDF else c for c in text)
	return re.sub(r"\s+", "", text.translate(RADICALS))


def cn_date(value) -> str:
	value = getdate(value)
	return f"{value.year}年{value.month}月{value.day}日"


def embedded_fonts(path: str) -> list[dict]:
	"""pdffonts' table as dicts; its columns are as wide as the dashes under the header."""
	lines = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout.splitlines()
	header, dashes, rows = lines[0], lines[1], lines[2:]
	spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
	names = [header[start:end].strip() for start, end in spans]
	return [
		{name: row[start:end].strip() for name, (start, end) in zip(names, spans, strict=True)}
		for row in rows
	]


class TestPrintFormats(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("PF")
		doc = approved_project(cls.a, **APPLICATION)
		year = doc.year
		doc.update(plan_fields(f"{year}-01-04", f"{year}-12-31"))
		doc.save(ignore_permissions=True)
		cls.project = frappe.get_doc("Dangjian Project", doc.name)
		cls.tmp = tempfile.mkdtemp(prefix="dangjian-print-")

	@classmethod
	def tearDownClass(cls):
		shutil.rmtree(cls.tmp, ignore_errors=True)
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	# --- helpers ---------------------------------------------------------------------------------

	def render_pdf(self, print_format: str) -> str:
		missing = [tool for tool in PDF_TOOLS if not shutil.which(tool)]
		if missing:
			self.skipTest(
				"PDF checks need {} on the PATH (apt-get install wkhtmltopdf poppler-utils)".format(
					", ".join(missing)
				)
			)
		pdf = frappe.get_print("Dangjian Project", self.project.name, print_format=print_format, as_pdf=True)
		path = os.path.join(self.tmp, frappe.scrub(print_format) + ".pdf")
		with open(path, "wb") as f:
			f.write(pdf)
		return path

	def assert_a4_with_cjk_font(self, path: str):
		for number, page in enumerate(PdfReader(path).pages, start=1):
			size = (float(page.mediabox.width), float(page.mediabox.height))
			self.assertAlmostEqual(size[0], A4[0], delta=2, msg=f"page {number} is not A4: {size}")
			self.assertAlmostEqual(size[1], A4[1], delta=2, msg=f"page {number} is not A4: {size}")
		fonts = embedded_fonts(path)
		self.assertTrue(
			any("Noto" in font["name"] and "CJK" in font["name"] and font["emb"] == "yes" for font in fonts),
			f"no embedded Noto CJK font in {[(font['name'], font['emb']) for font in fonts]}",
		)

	def pdf_text(self, path: str, layout: bool = False) -> str:
		"""The PDF's text in pdftotext's reading order, or with `layout` line by line as printed: a
		table row then reads left to right whatever a label spanning several rows does (in reading
		order pdftotext may put that label in the middle of a row)."""
		command = ["pdftotext", *(["-layout"] if layout else []), path, "-"]
		return normalize(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

	def assert_contains_all(self, text: str, expected):
		missing = [value for value in expected if normalize(value) not in text]
		self.assertFalse(missing, f"not in the PDF text: {missing}\n{text}")

	def org_name(self, code: str) -> str:
		return frappe.db.get_value("Party Organization", code, "organization_name")

	# --- tests -----------------------------------------------------------------------------------

	def test_application_form_pdf_is_a4_with_cjk_text_and_the_project_values(self):
		doc = self.project
		path = self.render_pdf(APPLICATION_FORM)
		self.assert_a4_with_cjk_font(path)
		text = self.pdf_text(path)
		self.assert_contains_all(
			text,
			[
				"基层党建创新课题项目申报表",
				"申报单位",
				"（章）",
				"项目名称",
				"项目负责人",
				"姓名",
				"职务",
				# two-line labels, one line each: the text layer may put the cell beside in between
				"项目组",
				"成员及职务",
				"创新目标",
				"创新内容",
				"创新措施",
				"党支部",
				"审签意见",
				"所在单位党委",
				"审核评定意见",
				"签字（章）",
				"此表一式两份，报一份，留存一份",
			],
		)
		self.assertTrue(doc.filing_number and doc.applied_on and doc.approved_on)
		self.assert_contains_all(
			text,
			[
				doc.project_name,
				doc.lead_name,
				doc.lead_title,
				*[row.member_name for row in doc.team],
				*[row.title for row in doc.team],
				doc.innovation_goals,
				doc.innovation_content,
				doc.innovation_measures,
				doc.branch_opinion,
				doc.committee_opinion,
				f"备案号：{doc.filing_number}",
				self.org_name(doc.approving_organization),
				doc.branch_name,
				cn_date(doc.applied_on),
				cn_date(doc.approved_on),
			],
		)

	def test_implementation_plan_pdf_is_a4_with_cjk_text_and_the_plan(self):
		doc = self.project
		path = self.render_pdf(IMPLEMENTATION_PLAN)
		self.assert_a4_with_cjk_font(path)
		text = self.pdf_text(path)
		self.assert_contains_all(
			text,
			[
				"基层党建创新课题项目实施方案",
				"一、项目名称",
				"二、项目负责人",
				"三、目标要求",
				"四、主要措施",
				"五、完成时限",
				"推进方式",
				"组织措施",
				"预期目标",
				"项目投入",
				"效果预测",
				"实施步骤",
			],
		)
		self.assertEqual(len(doc.plan_steps), 2)
		self.assert_contains_all(
			text,
			[
				doc.project_name,
				doc.lead_name,
				doc.plan_goals,
				doc.plan_measures,
				doc.plan_approach,
				doc.plan_organisational_measures,
				doc.plan_expected_goals,
				doc.expected_effect,
				fmt_money(doc.planned_input_amount, precision=2) + "元",
				doc.planned_input_description,
				cn_date(doc.completion_deadline),
				"领办：" + self.org_name(doc.leading_organization),
				"承办：" + self.org_name(doc.undertaking_organization),
				"督办：" + self.org_name(doc.supervising_organization),
				*[row.step_title for row in doc.plan_steps],
				*[row.content for row in doc.plan_steps],
				*[row.owner_name for row in doc.plan_steps],
				*[cn_date(row.start_date) for row in doc.plan_steps],
				*[cn_date(row.end_date) for row in doc.plan_steps],
			],
		)

	def test_forms_are_a4_whatever_the_print_settings(self):
		with change_settings("Print Settings", {"pdf_page_size": "Letter"}):
			for print_format in (APPLICATION_FORM, IMPLEMENTATION_PLAN):
				self.assert_a4_with_cjk_font(self.render_pdf(print_format))

	def test_user_text_is_escaped_never_markup(self):
		attack = "<script>alert(1)</script><b>x</b>"
		escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
		year = self.project.year
		doc = make_project(
			self.a.tree.branch_a1,
			plan_steps=[{"step_title": "设岗", "start_date": f"{year}-01-04", "end_date": f"{year}-02-28"}],
		)
		# straight into the database: Frappe's save escapes <script> itself, an import or a patch
		# may not, and the templates must not depend on either
		frappe.db.set_value(
			"Dangjian Project",
			doc.name,
			{
				"project_name": f"项目{attack}",
				"innovation_goals": f"第一行{attack}\n第二行",
				"lead_title": attack,
				"plan_goals": attack,
			},
			update_modified=False,
		)
		frappe.db.set_value(
			"Dangjian Project Team Member", doc.team[0].name, {"member_name": attack, "title": attack}
		)
		frappe.db.set_value(
			"Dangjian Plan Step", doc.plan_steps[0].name, {"step_title": attack, "content": attack}
		)
		for print_format in (APPLICATION_FORM, IMPLEMENTATION_PLAN):
			html = frappe.get_print("Dangjian Project", doc.name, print_format=print_format)
			self.assertNotIn("alert(1)</script>", html, print_format)
			self.assertNotIn("<b>x</b>", html, print_format)
			self.assertIn(escaped, html, print_format)
			self.assertIn("基层党建创新课题项目", html, print_format)

		html = frappe.get_print("Dangjian Project", doc.name, print_format=APPLICATION_FORM)
		labels = html.replace("<br>", "")
		for label in ("项目组成员及职务", "党支部审签意见", "所在单位党委审核评定意见"):
			self.assertIn(label, labels)
		# a draft is not yet filed nor signed: blank date lines to fill in by hand, no filing number
		self.assertNotIn("备案号", html)
		self.assertIn("年　　月　　日", html)
		# the line break typed in a Text field survives (shown by white-space: pre-wrap)
		self.assertIn(f"第一行{escaped}\n第二行", html)

	def test_application_form_is_the_default_and_both_formats_ship_their_template(self):
		self.assertEqual(frappe.get_meta("Dangjian Project").default_print_format, APPLICATION_FORM)
		for name in (APPLICATION_FORM, IMPLEMENTATION_PLAN):
			folder = frappe.get_app_path("dangjian", "dangjian", "print_format", frappe.scrub(name))
			with open(os.path.join(folder, frappe.scrub(name) + ".json"), encoding="utf-8") as f:
				record = json.load(f)
			with open(os.path.join(folder, frappe.scrub(name) + ".html"), encoding="utf-8") as f:
				template = f.read()
			self.assertEqual(
				(
					record["doc_type"],
					record["standard"],
					record["print_format_type"],
					record["custom_format"],
				),
				("Dangjian Project", "Yes", "Jinja", 1),
			)
			# Frappe renders the .html file; the JSON copy is what "Duplicate" starts from
			self.assertEqual(record["html"], template, f"{name}: JSON html out of sync with the .html file")
			self.assertTrue(frappe.db.exists("Print Format", {"name": name, "doc_type": "Dangjian Project"}))
