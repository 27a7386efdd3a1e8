# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt
"""The print formats of the lifecycle after approval: 党建+项目季度进展报告 (quarterly report),
党建+项目验收报告 (acceptance) and 党建+项目评估结果表 (evaluation), rendered to PDF by wkhtmltopdf
and read back with poppler-utils and pypdf (the helpers of test_print_formats).

wkhtmltopdf loads the print CSS from the site's own address, so the site must be served.
With DANGJIAN_WRITE_DOC_IMAGES=1 the tests also write page 1 of each PDF to docs/images/."""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import flt

from dangjian.tests import test_print_formats as base
from dangjian.tests.test_print_formats import PDF_TOOLS, cn_date
from dangjian.tests.utils import (
	ACCEPTANCE_GROUP,
	act,
	applied_acceptance,
	evaluated_project,
	frozen,
	in_progress_project,
	make_actors,
	quarterly_report_fields,
)

QUARTERLY_REPORT = "Dangjian Quarterly Report"
ACCEPTANCE_REPORT = "Dangjian Acceptance Report"
EVALUATION_RESULT = "Dangjian Evaluation Result"
FORMATS = {
	QUARTERLY_REPORT: ("Dangjian Quarterly Report", "quarterly-report.png"),
	ACCEPTANCE_REPORT: ("Dangjian Acceptance", "acceptance-report.png"),
	EVALUATION_RESULT: ("Dangjian Evaluation", "evaluation-result.png"),
}
ATTACK = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"


def score(value) -> str:
	"""A score or rate as the evaluation result sheet prints it: two decimals."""
	return f"{flt(value, 2):.2f}"


def number(value) -> str:
	"""A weight or cut-off as the sheet prints it: no trailing zeros."""
	return f"{flt(value, 2):g}"


@contextlib.contextmanager
def language(lang: str):
	"""Work as a user of the desk in ``lang``: texts the app composes when it saves (the flag reasons
	of a report, the formula of an evaluation) are stored in that language."""
	previous = frappe.local.lang
	frappe.local.lang = lang
	try:
		yield
	finally:
		frappe.local.lang = previous


class TestLifecyclePrintFormats(FrappeTestCase):
	# the PDF checks of the application form and the plan, shared
	assert_a4_with_cjk_font = base.TestPrintFormats.assert_a4_with_cjk_font
	pdf_text = base.TestPrintFormats.pdf_text
	assert_contains_all = base.TestPrintFormats.assert_contains_all

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("LC")
		# names as they read on a real form (and in the doc images)
		frappe.db.set_value("Party Organization", cls.a.tree.unit_a, "organization_name", "第一发电厂")
		frappe.db.set_value("Party Organization", cls.a.tree.branch_a1, "organization_name", "运行一值党支部")
		frappe.db.set_value("User", cls.a.approver_a, {"first_name": "周立新", "full_name": "周立新"})
		cls.tmp = tempfile.mkdtemp(prefix="dangjian-lifecycle-print-")
		with language("zh"):
			cls.report = cls.make_quarterly_report()
			cls.acceptance = cls.make_acceptance()
			cls.evaluation = cls.make_evaluation()

	@classmethod
	def tearDownClass(cls):
		shutil.rmtree(cls.tmp, ignore_errors=True)
		frappe.set_user("Administrator")
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	# --- documents ---------------------------------------------------------------------------------

	@classmethod
	def make_quarterly_report(cls):
		"""The Q3 2026 report, sent two days after its deadline, one step claimed done without
		evidence (so flagged), reviewed with a supervision comment."""
		project = in_progress_project(cls.a, on="2026-04-20", project_name="“党建+安全生产”党员先锋岗")
		with frozen("2026-10-12 09:30:00"):
			frappe.set_user(cls.a.secretary_a)
			try:
				doc = frappe.get_doc(
					quarterly_report_fields(
						project.name,
						2026,
						3,
						percent_complete=45,
						problems="部分班组参与度不高。\n隐患整改台账不够规范。",
						steps=[
							{
								"plan_step": "设立先锋岗",
								"step_idx": 1,
								"step_status": "Done",
								"note": "8个班组全部挂牌。",
							},
							{
								"plan_step": "隐患排查",
								"step_idx": 2,
								"step_status": "In Progress",
								"note": "已排查3次，整改问题8项。",
							},
						],
					)
				).insert()
			finally:
				frappe.set_user("Administrator")
			act(doc, "Submit", cls.a.secretary_a)
			act(doc, "Review", cls.a.approver_a, supervision_comment="进展较好，请补充先锋岗挂牌佐证材料。")
		return frappe.get_doc("Dangjian Quarterly Report", doc.name)

	@classmethod
	def make_acceptance(cls):
		"""A first acceptance that passed, with one step only partly done in the self-check."""
		project = in_progress_project(cls.a, on="2026-04-20", project_name="机关党员进班组")
		with frozen("2027-03-01 10:00:00"):
			doc = applied_acceptance(
				cls.a,
				project,
				self_check=[
					{
						"plan_step": "设立先锋岗",
						"step_idx": 1,
						"result": "Done",
						"gap_fixed": "补齐了挂牌照片。",
					},
					{
						"plan_step": "隐患排查",
						"step_idx": 2,
						"result": "Partly Done",
						"gap_fixed": "补录了排查台账。",
						"reason_not_done": "冬季检修停工两个月。",
					},
				],
			)
			act(doc, "Pass", cls.a.approver_a, **ACCEPTANCE_GROUP)
		return frappe.get_doc("Dangjian Acceptance", doc.name)

	@classmethod
	def make_evaluation(cls):
		_project, evaluation = evaluated_project(cls.a, project_name="党员责任区提质增效")
		return frappe.get_doc("Dangjian Evaluation", evaluation.name)

	# --- helpers -----------------------------------------------------------------------------------

	def render_pdf(self, print_format: str, name: str) -> tuple[str, str]:
		"""The PDF's path and its normalised text. Print Settings ask for Letter: the forms are A4
		whatever they say."""
		missing = [tool for tool in PDF_TOOLS if not shutil.which(tool)]
		if missing:
			self.skipTest(
				"PDF checks need {} on the PATH (apt-get install wkhtmltopdf poppler-utils)".format(
					", ".join(missing)
				)
			)
		doctype, image = FORMATS[print_format]
		with change_settings("Print Settings", {"pdf_page_size": "Letter"}):
			pdf = frappe.get_print(doctype, name, print_format=print_format, as_pdf=True)
		path = os.path.join(self.tmp, frappe.scrub(print_format) + ".pdf")
		with open(path, "wb") as f:
			f.write(pdf)
		self.assert_a4_with_cjk_font(path)
		self.write_doc_image(path, image)
		return path, self.pdf_text(path)

	def write_doc_image(self, path: str, image: str):
		if not os.environ.get("DANGJIAN_WRITE_DOC_IMAGES") or not shutil.which("pdftoppm"):
			return
		target = os.path.join(os.path.dirname(frappe.get_app_path("dangjian")), "docs", "images", image)
		subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", path, target[:-4]], check=True)
		self.assertLess(os.path.getsize(target), 300 * 1024, target)

	def org_name(self, code: str) -> str:
		return frappe.db.get_value("Party Organization", code, "organization_name")

	def branch_name(self, doc) -> str:
		return frappe.db.get_value("Dangjian Project", doc.project, "branch_name")

	def html(self, doc, print_format: str) -> str:
		return frappe.get_print(doc.doctype, doc.name, print_format=print_format)

	# --- tests -------------------------------------------------------------------------------------

	def test_quarterly_report_pdf(self):
		doc = self.report
		self.assertEqual(
			(doc.status, doc.is_late, doc.is_flagged, str(doc.first_submitted_on)),
			("Reviewed", 1, 1, "2026-10-12"),
		)
		_path, text = self.render_pdf(QUARTERLY_REPORT, doc.name)
		self.assert_contains_all(
			text,
			[
				"党建+项目季度进展报告",
				"项目名称",
				"党支部",
				"报告期",
				"报送期限",
				"报送日期",
				"计划步骤",
				"进展状态",
				"进展说明",
				"完成比例",
				"本季度进展",
				"存在问题",
				"下季度计划",
				"督办意见",
				"审核人",
				"形式主义提示",
			],
		)
		self.assert_contains_all(
			text,
			[
				doc.project_name,
				self.branch_name(doc),
				self.org_name(doc.approving_organization),
				"2026年第三季度",
				cn_date(doc.due_date),
				cn_date(doc.first_submitted_on) + "逾期",
				"设立先锋岗已完成8个班组全部挂牌。",
				"隐患排查进行中已排查3次，整改问题8项。",
				"45%",
				doc.progress_summary,
				"部分班组参与度不高。",
				"隐患整改台账不够规范。",
				doc.next_quarter_plan,
				doc.supervision_comment,
				frappe.db.get_value("User", doc.reviewed_by, "full_name"),
				cn_date(doc.reviewed_on),
				doc.flag_reasons,
			],
		)
		# the flag reasons were composed in Chinese, as a Chinese desk user's save does
		self.assertIn(base.normalize("以下步骤标为已完成但没有佐证材料"), text)
		self.assertNotIn("Done", text)

	def test_acceptance_report_pdf(self):
		doc = self.acceptance
		self.assertEqual((doc.status, doc.conclusion, doc.attempt_no), ("Passed", "Passed", 1))
		_path, text = self.render_pdf(ACCEPTANCE_REPORT, doc.name)
		self.assert_contains_all(
			text,
			[
				"党建+项目验收报告",
				"项目名称",
				"承办党支部",
				"验收次数",
				"申请日期",
				"项目实施",
				"总结报告",
				"对照方案自查",
				"计划步骤",
				"自查结果",
				"查漏补缺",
				"未完成原因",
				"验收组",
				"姓名",
				"职务",
				"验收方式",
				"验收意见",
				"验收结论",
				"验收报告",
				"验收组组长签字",
			],
		)
		leader, member = ACCEPTANCE_GROUP["group_members"]
		self.assert_contains_all(
			text,
			[
				doc.project_name,
				self.branch_name(doc),
				"第1次验收",
				cn_date(doc.applied_on),
				cn_date(doc.concluded_on),
				doc.summary_report,
				"设立先锋岗已完成补齐了挂牌照片。",
				"隐患排查部分完成补录了排查台账。",
				"冬季检修停工两个月。",
				f"{leader['member_name']}{leader['title']}组长",
				f"{member['member_name']}{member['title']}成员",
				# a label spanning rows comes out among its rows' cells: cell by cell
				"听取汇报",
				ACCEPTANCE_GROUP["hearing_notes"],
				"查看项目资料",
				ACCEPTANCE_GROUP["materials_notes"],
				doc.findings,
				"■通过验收□重点挂牌帮扶□重新论证调整",
				doc.acceptance_report,
			],
		)
		# only the methods the group used
		self.assertNotIn("调查走访", text)

	def test_acceptance_report_shows_the_details_of_assistance_or_adjustment(self):
		doc = self.acceptance
		self.addCleanup(frappe.db.rollback, save_point="lc_conclusion")
		frappe.db.savepoint("lc_conclusion")
		frappe.db.set_value(
			doc.doctype,
			doc.name,
			{
				"conclusion": "Assistance",
				"assisting_party": "机关第一党支部",
				"assistance_measures": "结对帮扶，每月督导一次。",
				"reacceptance_date": "2027-06-30",
				"adjustment_notes": "调整排查频次。",
			},
			update_modified=False,
		)
		html = self.html(doc, ACCEPTANCE_REPORT)
		for expected in (
			"□通过验收",
			"■重点挂牌帮扶",
			"□重新论证调整",
			"机关第一党支部",
			"结对帮扶，每月督导一次。",
			"2027年6月30日",
		):
			self.assertIn(expected, html)
		self.assertNotIn("调整排查频次", html)

		frappe.db.set_value(doc.doctype, doc.name, "conclusion", "Adjust", update_modified=False)
		html = self.html(doc, ACCEPTANCE_REPORT)
		for expected in ("□通过验收", "□重点挂牌帮扶", "■重新论证调整", "调整排查频次。"):
			self.assertIn(expected, html)
		self.assertNotIn("机关第一党支部", html)

	def test_evaluation_result_pdf(self):
		doc = self.evaluation
		self.assertTrue(doc.docstatus == 1 and doc.stars and doc.grade and doc.formula)
		path, text = self.render_pdf(EVALUATION_RESULT, doc.name)
		self.assert_contains_all(
			text,
			[
				"党建+项目评估结果表",
				"项目名称",
				"承办党支部",
				"评估日期",
				"评估人数",
				"其中群众代表",
				"评估指标",
				"群众满意率",
				"综合效益",
				"经验可推广性",
				"权重",
				"加权总分",
				"分类评估",
				"评估人类别",
				"满意率",
				"可推广性",
				"合计",
				"评定星级",
				"评定等次",
				"计算公式",
				"星级标准",
			],
		)
		grades = {
			"Not Qualified": "不合格",
			"Qualified": "合格项目",
			"Commended": "表彰项目",
			"Exemplary": "典型示范项目",
		}
		categories = {"Party Member": "党员", "Cadre": "干部", "Masses Representative": "群众代表"}
		self.assert_contains_all(
			text,
			[
				doc.project_name,
				self.branch_name(doc),
				cn_date(doc.evaluation_date),
				f"评估人数{doc.score_count}人",
				f"其中群众代表{doc.masses_count}人",
				f"{score(doc.weighted_total)}分",
				"★" * doc.stars + "☆" * (5 - doc.stars),
				grades[doc.grade],
				doc.formula,
				f"五星≥{number(doc.cutoff_5_star)}，四星≥{number(doc.cutoff_4_star)}，"
				f"三星≥{number(doc.cutoff_3_star)}，二星≥{number(doc.cutoff_2_star)}",
			],
		)
		# the table rows, read line by line: 评估指标 and 分类评估 span several rows
		rows = [
			f"群众满意率{score(doc.satisfaction_rate)}%{number(doc.weight_satisfaction)}%",
			f"综合效益{score(doc.avg_benefit)}分{number(doc.weight_benefit)}%",
			f"经验可推广性{score(doc.avg_replicability)}分{number(doc.weight_replicability)}%",
			*[
				categories[row.category]
				+ f"{row.evaluators}{score(row.satisfaction_rate)}%"
				+ f"{score(row.avg_benefit)}{score(row.avg_replicability)}"
				for row in doc.category_results
				if row.evaluators
			],
		]
		self.assertEqual(len(rows), 3 + len([row for row in doc.category_results if row.evaluators]))
		self.assertGreater(len(rows), 3)
		self.assert_contains_all(self.pdf_text(path, layout=True), rows)
		# the formula was composed in Chinese, as a Chinese desk user's save does
		self.assertIn(base.normalize("加权总分 =（群众满意率"), text)

	def test_evaluation_result_reads_the_cut_offs_and_grade_stored_on_the_evaluation(self):
		doc = self.evaluation
		self.addCleanup(frappe.db.rollback, save_point="lc_cutoffs")
		frappe.db.savepoint("lc_cutoffs")
		frappe.db.set_value(
			doc.doctype,
			doc.name,
			{"cutoff_5_star": 95.5, "cutoff_2_star": 55, "stars": 2, "grade": "Qualified"},
			update_modified=False,
		)
		html = self.html(doc, EVALUATION_RESULT)
		for expected in ("★★☆☆☆", "二星", "合格项目", "五星 ≥ 95.5", "二星 ≥ 55", "低于 55 为一星"):
			self.assertIn(expected, html)
		self.assertNotIn("典型示范项目", html.split("星级标准")[0])

	def test_user_text_is_escaped_never_markup(self):
		"""Straight into the database: Frappe's save escapes <script> itself, an import or a patch
		may not, and the templates must not depend on either."""
		self.addCleanup(frappe.db.rollback, save_point="lc_escape")
		frappe.db.savepoint("lc_escape")
		report, acceptance, evaluation = self.report, self.acceptance, self.evaluation
		frappe.db.set_value(
			report.doctype,
			report.name,
			{
				"project_name": f"项目{ATTACK}",
				"progress_summary": f"第一行{ATTACK}\n第二行",
				"problems": ATTACK,
				"supervision_comment": ATTACK,
				"flag_reasons": ATTACK,
			},
			update_modified=False,
		)
		frappe.db.set_value(
			"Dangjian Quarterly Report Step",
			report.steps[0].name,
			{"plan_step": ATTACK, "note": ATTACK, "step_status": "Not Started"},
		)
		frappe.db.set_value(
			acceptance.doctype,
			acceptance.name,
			{"summary_report": f"第一行{ATTACK}\n第二行", "findings": ATTACK, "hearing_notes": ATTACK},
			update_modified=False,
		)
		frappe.db.set_value(
			"Dangjian Acceptance Self Check",
			acceptance.self_check[0].name,
			{"plan_step": ATTACK, "gap_fixed": ATTACK, "reason_not_done": ATTACK},
		)
		frappe.db.set_value(
			"Dangjian Acceptance Group Member",
			acceptance.group_members[0].name,
			{"member_name": ATTACK, "title": ATTACK},
		)
		frappe.db.set_value(
			evaluation.doctype,
			evaluation.name,
			{"project_name": ATTACK, "formula": f"第一行{ATTACK}\n第二行"},
			update_modified=False,
		)
		for doc, print_format, title in (
			(report, QUARTERLY_REPORT, "党建+项目季度进展报告"),
			(acceptance, ACCEPTANCE_REPORT, "党建+项目验收报告"),
			(evaluation, EVALUATION_RESULT, "党建+项目评估结果表"),
		):
			html = self.html(doc, print_format)
			self.assertNotIn("alert(1)</script>", html, print_format)
			self.assertNotIn("<b>x</b>", html, print_format)
			self.assertIn(ESCAPED, html, print_format)
			self.assertIn(title, html, print_format)
			# the line break typed in a Text field survives, as <br>
			self.assertIn(f"第一行{ESCAPED}<br>第二行", html, print_format)
		# the step's status is shown in Chinese
		self.assertIn("未开始", self.html(report, QUARTERLY_REPORT))

	def test_formats_are_the_defaults_and_ship_their_template(self):
		for name, (doctype, _image) in FORMATS.items():
			self.assertEqual(frappe.get_meta(doctype).default_print_format, name)
			folder = frappe.get_app_path("dangjian", "dangjian", "print_format", frappe.scrub(name))
			with open(os.path.join(folder, frappe.scrub(name) + ".json"), encoding="utf-8") as f:
				record = json.load(f)
			with open(os.path.join(folder, frappe.scrub(name) + ".html"), encoding="utf-8") as f:
				template = f.read()
			self.assertEqual(
				(
					record["name"],
					record["doc_type"],
					record["module"],
					record["standard"],
					record["print_format_type"],
					record["custom_format"],
				),
				(name, doctype, "Dangjian", "Yes", "Jinja", 1),
			)
			# Frappe renders the .html file; the JSON copy is what "Duplicate" starts from
			self.assertEqual(record["html"], template, f"{name}: JSON html out of sync with the .html file")
			self.assertTrue(frappe.db.exists("Print Format", {"name": name, "doc_type": doctype}))
