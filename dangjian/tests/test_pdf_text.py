# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt
"""A printed form's text is the text typed: every print format of the app, and the branch year
pack, rendered to PDF by wkhtmltopdf and read back with pdftotext, give the characters stored —
行 and not the Kangxi radical ⾏ (U+2F8F), 目 and not ⽬, 一 and not ⼀, 支 and not ⽀ — so that
copying from a PDF and searching an archive of them find what was typed (dangjian/pdf_fonts.py).

The text is compared as extracted: no Unicode normalisation (no NFKC), only the white space the
layout puts in (line breaks in a cell, spaces between columns) taken out of both sides.

wkhtmltopdf loads the print CSS from the site's own address, so the site must be served."""

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import pdf_fonts
from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection import get_candidates
from dangjian.dangjian.report.dangjian_branch_assessment import branch_year_pack
from dangjian.tests.test_print_formats import PDF_TOOLS, embedded_fonts
from dangjian.tests.utils import (
	ACCEPTANCE_GROUP,
	act,
	add_member,
	as_user,
	evaluated_project,
	frozen,
	in_progress_project,
	make_actors,
	make_user,
	quarterly_report_fields,
)

YEAR = 2026
# Kangxi radicals (U+2F00–U+2FDF) and the CJK radicals supplement (U+2E80–U+2EFF): what Noto CJK's
# shared glyphs made of 行, 目, 一, 支 … in the PDFs' text
RADICAL_RANGES = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))
# the ideographs a Kangxi radical stands for (一 丨 丶 … 龠): the ones the stored text must contain
# for the test to mean anything
RADICAL_IDEOGRAPHS = {unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
MUST_CONTAIN = "行目一支长见门车"

UNIT = "第一发电厂"
BRANCH = "运行一值党支部"
PROJECT = "“一支部一品牌”先锋行动"
LEAD = "王一行"
GOALS = "目标：一年内党员先锋岗覆盖全部班组，1～3月完成首批挂牌。"
REPORT_PROJECT = "党员身边无事故行动"
REPORT_PROBLEMS = "部分班组行动目标不够具体，长效机制有待完善。"
REPORT_PLAN = "每月一次讲评，开展车间见面会。"
COMMENDATION_TITLE = "关于表彰2026年度一支部先锋行动项目的决定"
COMMENDATION_NUMBER = "党委〔2027〕1号"
QUICK_PROJECT = "门前三包车间见行动"


def radicals(text: str) -> list[str]:
	return sorted({c for c in text if any(low <= ord(c) <= high for low, high in RADICAL_RANGES)})


def squeeze(text: str) -> str:
	"""Without white space: a cell's line breaks and the spaces between columns are layout."""
	return re.sub(r"\s+", "", text)


class TestPdfText(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tmp = tempfile.mkdtemp(prefix="dangjian-pdf-text-")
		cls.a = a = make_actors("PX")
		frappe.db.set_value("Party Organization", a.tree.unit_a, "organization_name", UNIT)
		frappe.db.set_value("Party Organization", a.tree.branch_a1, "organization_name", BRANCH)
		report_project = in_progress_project(a, on=f"{YEAR}-04-20", project_name=REPORT_PROJECT)
		with frozen(f"{YEAR}-10-05 09:00:00"):
			with as_user(a.secretary_a):
				report = frappe.get_doc(
					quarterly_report_fields(
						report_project.name, YEAR, 3, problems=REPORT_PROBLEMS, next_quarter_plan=REPORT_PLAN
					)
				).insert()
			act(report, "Submit", a.secretary_a)
		project, evaluation = evaluated_project(
			a, project_name=PROJECT, lead_name=LEAD, innovation_goals=GOALS
		)
		acceptance = frappe.db.get_value("Dangjian Acceptance", {"project": project.name, "docstatus": 1})
		quick = evaluated(a.tree.branch_a2, YEAR, 5, project_name=QUICK_PROJECT)
		commendation = frappe.get_doc(
			{
				"doctype": "Dangjian Commendation",
				"title": COMMENDATION_TITLE,
				"unit": a.tree.unit_a,
				"year": YEAR,
				"document_number": COMMENDATION_NUMBER,
				"document_date": f"{YEAR + 1}-01-15",
				"projects": [{"project": quick}],
			}
		).insert(ignore_permissions=True)
		admin = make_user("px-admin")
		add_member(a.tree.company, admin, "Administrator")
		with as_user(admin):
			candidates = get_candidates(a.tree.company, YEAR)
		top_ten = frappe.get_doc(
			{
				"doctype": "Dangjian Top Ten Selection",
				"company": a.tree.company,
				"year": YEAR,
				"candidates": candidates,
			}
		).insert(ignore_permissions=True)
		# each print format of the app: the document it prints and strings stored in it (or in
		# what it shows of its links) that must come back from the PDF as they are
		cls.cases = {
			"Dangjian Application Form": (
				"Dangjian Project",
				project.name,
				[
					PROJECT,
					LEAD,
					GOALS,
					BRANCH,
					"每月开展一次党员安全示范活动。",
					"设立党员先锋岗，党员带头开展隐患排查。",
				],
			),
			"Dangjian Implementation Plan": (
				"Dangjian Project",
				project.name,
				[PROJECT, LEAD, "支部统筹、党员示范、群众参与。", "每月排查一次", "设立先锋岗"],
			),
			"Dangjian Quarterly Report": (
				"Dangjian Quarterly Report",
				report.name,
				[REPORT_PROJECT, REPORT_PROBLEMS, REPORT_PLAN, BRANCH],
			),
			"Dangjian Acceptance Report": (
				"Dangjian Acceptance",
				acceptance,
				[PROJECT, ACCEPTANCE_GROUP["findings"], ACCEPTANCE_GROUP["hearing_notes"], BRANCH],
			),
			"Dangjian Evaluation Result": ("Dangjian Evaluation", evaluation.name, [PROJECT, BRANCH]),
			"Dangjian Commendation List": (
				"Dangjian Commendation",
				commendation.name,
				[COMMENDATION_NUMBER, QUICK_PROJECT],
			),
			"Dangjian Top Ten List": ("Dangjian Top Ten Selection", top_ten.name, [PROJECT, QUICK_PROJECT]),
		}

	@classmethod
	def tearDownClass(cls):
		shutil.rmtree(cls.tmp, ignore_errors=True)
		frappe.set_user("Administrator")
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")
		missing = [tool for tool in PDF_TOOLS if not shutil.which(tool)]
		if missing:
			self.skipTest(
				"PDF checks need {} (apt-get install wkhtmltopdf poppler-utils)".format(", ".join(missing))
			)

	# --- helpers ---------------------------------------------------------------------------------

	def write(self, name: str, pdf: bytes) -> str:
		path = os.path.join(self.tmp, frappe.scrub(name) + ".pdf")
		with open(path, "wb") as f:
			f.write(pdf)
		return path

	def assert_text_is_typed(self, path: str, stored: list[str]):
		"""(a) no radical in the PDF's text, (b) each stored string in it verbatim, drawn with the
		app's copy of Noto CJK."""
		text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
		self.assertTrue(text.strip(), f"no text in {path}")
		self.assertFalse(radicals(text), f"radicals in the PDF's text of {path}: {radicals(text)}\n{text}")
		flat = squeeze(text)
		missing = [value for value in stored if squeeze(value) not in flat]
		self.assertFalse(missing, f"not in the PDF's text of {path}: {missing}\n{text}")
		fonts = [font["name"] for font in embedded_fonts(path) if font["emb"] == "yes"]
		self.assertTrue(
			any(name.startswith(pdf_fonts.PREFIX.strip()) for name in fonts),
			f"the app's copy of Noto CJK is not embedded in {path}: {fonts}",
		)

	# --- tests -----------------------------------------------------------------------------------

	def test_every_print_format_of_the_app_is_checked(self):
		modules = frappe.get_all("Module Def", filters={"app_name": "dangjian"}, pluck="name")
		formats = set(frappe.get_all("Print Format", filters={"module": ("in", modules)}, pluck="name"))
		self.assertTrue(formats)
		self.assertEqual(set(self.cases), formats)

	def test_the_stored_text_has_the_characters_that_went_wrong(self):
		stored = "".join(value for _doctype, _name, values in self.cases.values() for value in values)
		self.assertFalse(set(MUST_CONTAIN) - set(stored))
		self.assertGreaterEqual(len(RADICAL_IDEOGRAPHS & set(stored)), 10)

	def test_print_formats_give_the_text_typed(self):
		for print_format, (doctype, name, stored) in sorted(self.cases.items()):
			with self.subTest(print_format=print_format):
				pdf = frappe.get_print(doctype, name, print_format=print_format, as_pdf=True)
				self.assert_text_is_typed(self.write(print_format, pdf), stored)

	def test_each_glyph_keeps_the_code_point_typed(self):
		cmap = {
			0x884C: "行",
			0x2F8F: "行",  # ⾏ KANGXI RADICAL WALK
			0x2EC5: "见",  # ⻅ CJK RADICAL C-SIMPLIFIED SEE
			0x89C1: "见",
			0x2012: "dash",  # ‒ figure dash
			0x2013: "dash",  # – en dash
			0x301C: "tilde",  # 〜 wave dash
			0xFF5E: "tilde",  # ～ fullwidth tilde
			0x2003: "space",  # em space
			0x3000: "space",  # ideographic space
			0x2022: "bullet",
			0x2027: "bullet",
			0x41: "A",
		}
		self.assertEqual(pdf_fonts.drop_code_points(cmap), {0x2F8F, 0x2EC5, 0x2012, 0x301C, 0x2003, 0x2027})

	def test_the_copies_map_each_glyph_once_and_no_radical(self):
		from fontTools.ttLib import TTFont

		pdf_fonts.ensure()
		folder = os.path.join(pdf_fonts.font_folder(), pdf_fonts.FONTS)
		copies = sorted(os.listdir(folder))
		self.assertEqual(len(copies), len(pdf_fonts.SOURCES))
		for name in copies:
			font = TTFont(os.path.join(folder, name), lazy=True)
			font.setGlyphOrder([f"g{number}" for number in range(font["maxp"].numGlyphs)])
			cmap = font.getBestCmap()
			glyphs = list(cmap.values())
			self.assertEqual(len(glyphs), len(set(glyphs)), name)
			self.assertIn(ord("行"), cmap, name)
			self.assertNotIn(0x2F8F, cmap, name)
			self.assertEqual(font["name"].getDebugName(1).split(" ")[0], pdf_fonts.PREFIX.strip(), name)
			font.close()

	def test_the_fonts_are_for_the_request_that_prints_only(self):
		"""wkhtmltopdf is pointed at the copies until the request ends: a print of another app later
		in the same process finds the system's fonts only."""
		from frappe.utils import CallbackManager

		had_request = hasattr(frappe.local, "request")
		previous_request, previous_flag = (
			getattr(frappe.local, "request", None),
			frappe.flags.dangjian_fonts_restore,
		)
		pdf_fonts.restore()
		before = os.environ.get("FONTCONFIG_FILE")
		frappe.local.request = frappe._dict(after_response=CallbackManager())
		frappe.flags.dangjian_fonts_restore = False
		try:
			pdf_fonts.activate()
			conf = pdf_fonts.ensure()
			self.assertTrue(conf and os.path.exists(conf))
			self.assertEqual(os.environ.get("FONTCONFIG_FILE"), conf)
			with open(conf) as f:
				self.assertIn(f"<dir>{pdf_fonts.font_folder()}/{pdf_fonts.FONTS}</dir>", f.read())
			frappe.local.request.after_response.run()
			self.assertEqual(os.environ.get("FONTCONFIG_FILE"), before)
		finally:
			if had_request:
				frappe.local.request = previous_request
			else:
				del frappe.local.request
			frappe.flags.dangjian_fonts_restore = previous_flag

	def test_branch_year_pack_gives_the_text_typed(self):
		def download():
			branch_year_pack.download_branch_year_pack(self.a.tree.branch_a1, str(YEAR))
			return frappe._dict(frappe.local.response)

		with as_user(self.a.approver_a):
			response = download()
		self.assertEqual(response.type, "pdf")
		path = self.write("branch year pack", response.filecontent)
		self.assert_text_is_typed(path, [BRANCH, PROJECT, REPORT_PROJECT])
