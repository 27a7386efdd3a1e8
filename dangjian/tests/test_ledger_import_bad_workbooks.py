"""The catalogue of broken ledger workbooks: each is built here, attached to an import and run
through the dry run, which refuses it with its message in Chinese at its place (sheet, row,
column or cell); the import then refuses to start, and no project or quarterly report is
written. One test per workbook."""

import datetime
import io
import os
import zipfile
from dataclasses import dataclass, field

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_ledger_import import layout
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
)
from dangjian.tests.utils import make_project

D = datetime.date
LEDGER_SHEET = "项目管理台账"
REPORT_SHEET = "季度进展报告"
EVALUATION_SHEET = "验收与评估"


@dataclass
class Case:
	name: str
	message: str  # a fragment of the Chinese message
	sheet: str | None = None
	row: int | None = None
	column: str | None = None
	cell: str | None = None
	importer: str = "company_admin"
	organization: str = "company"
	file_name: str = "ledger.xlsx"
	extra: dict = field(default_factory=dict)


def rows(a, tag: str, **values):
	"""One evaluated project of branch A1 with ``values`` over it."""
	n = a.names
	row = project_row(f"{tag}1", f"{tag}先锋岗", 2024, n["unit_a"], n["branch_a1"])
	row.update(values)
	return [row]


def header_renamed(book):
	book.active["B1"] = "项目名"


def column_removed(book):
	book.active.delete_cols(3)  # 年度


def merged(book):
	book.active.merge_cells("B2:B3")


def formula(book):
	book.active["C2"] = "=2020+4"


def padded(content: bytes, size: int) -> bytes:
	"""The workbook with an incompressible part added, so that it weighs ``size`` bytes."""
	out = io.BytesIO(content)
	with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_STORED) as archive:
		archive.writestr("xl/media/scan.bin", os.urandom(size - len(content)))
	return out.getvalue()


def workbook(case: Case, a) -> bytes:
	"""The broken workbook of each case."""
	n, t = a.names, a.tree
	tag = case.name[:6].upper()
	good = rows(a, tag)
	two = [
		*good,
		project_row(f"{tag}2", f"{tag}责任区", 2025, n["unit_a"], n["branch_a1"], "In Progress"),
	]
	if case.name == "wrong_header":
		return build(good, tweak=header_renamed)
	if case.name == "missing_column":
		return build(good, tweak=column_removed)
	if case.name == "merged_cell":
		return build(two, tweak=merged)
	if case.name == "formula_cell":
		return build(good, tweak=formula)
	if case.name == "date_as_text":
		return build(rows(a, tag, applied_on="2024年4月10日"))
	if case.name == "date_as_number":
		return build(rows(a, tag, approved_on=45406))
	if case.name == "unknown_branch":
		return build(rows(a, tag, branch_name="不存在的党支部"))
	if case.name == "branch_outside_the_import":
		return build([project_row(f"{tag}1", f"{tag}志愿队", 2025, n["unit_b"], n["branch_b1"], "Approved")])
	if case.name == "stars_seven":
		return build(rows(a, tag, stars=7))
	if case.name == "duplicate_in_file":
		twice = project_row(f"{tag}2", f"{tag}先锋岗", 2024, n["unit_a"], n["branch_a1"])
		return build([*good, twice])
	if case.name == "duplicate_of_existing":
		return build(rows(a, tag, project_name=case.extra["existing"]))
	if case.name == "empty_sheet":
		return build([])
	if case.name == "blank_sheet":
		return build(good, tweak=lambda book: book.active.delete_rows(1, 2))
	if case.name == "over_ten_mb":
		return padded(build(good), 10 * 1024 * 1024 + 4096)
	if case.name == "xls_file":
		return bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 2048
	if case.name == "csv_file":
		return "项目,项目名称,年度\nA1,先锋岗,2024\n".encode()
	if case.name == "not_a_workbook":
		return b"PK\x03\x04" + os.urandom(512)
	if case.name == "topic_missing":
		return build(rows(a, tag, topic_area=None))
	if case.name == "status_unknown":
		return build(rows(a, tag, status="进行中"))
	if case.name == "status_not_on_record":
		return build(rows(a, tag, status="Applied"))
	if case.name == "approved_before_applied":
		return build(rows(a, tag, approved_on=D(2024, 4, 1)))
	if case.name == "accepted_before_started":
		return build(rows(a, tag, accepted_on=D(2024, 5, 1)))
	if case.name == "date_after_today":
		return build(rows(a, tag, accepted_on=D(datetime.date.today().year + 1, 1, 5)))
	if case.name == "year_out_of_range":
		return build(rows(a, tag, year=1999))
	if case.name == "stars_on_a_project_not_evaluated":
		return build(
			[
				project_row(
					f"{tag}1", f"{tag}责任区", 2025, n["unit_a"], n["branch_a1"], "In Progress", stars=3
				)
			]
		)
	if case.name == "commended_not_evaluated":
		return build(
			[project_row(f"{tag}1", f"{tag}帮扶", 2024, n["unit_a"], t["branch_a2"], "Accepted", commended=1)]
		)
	if case.name == "report_of_unknown_project":
		return build(good, [report_row("NOPE", 2024, 3, D(2024, 10, 8))])
	if case.name == "report_quarter_five":
		return build(good, [report_row(f"{tag}1", 2024, 5, D(2024, 10, 8))])
	if case.name == "document_number_without_commendation":
		return build(
			rows(a, tag, commended=0),
			evaluation=[evaluation_row(f"{tag}1", document_number="党委〔2025〕3号")],
		)
	if case.name == "evaluators_without_satisfaction_rate":
		return build(rows(a, tag), evaluation=[evaluation_row(f"{tag}1", evaluators=7, weighted_total=85)])
	raise ValueError(case.name)


CASES = (
	Case("wrong_header", "“项目名”不是“项目管理台账”工作表的列", LEDGER_SHEET, 1, "项目名", "B1"),
	Case("missing_column", "缺少列：年度", LEDGER_SHEET, 1),
	Case("merged_cell", "为合并单元格", LEDGER_SHEET, 2, cell="B2"),
	Case("formula_cell", "是公式", LEDGER_SHEET, 2, "年度", "C2"),
	Case("date_as_text", "“2024年4月10日”是文字而不是日期", LEDGER_SHEET, 2, "申报日期", "I2"),
	Case("date_as_number", "“45406”是数字而不是日期", LEDGER_SHEET, 2, "审定日期", "J2"),
	Case("unknown_branch", "没有名为“不存在的党支部”的党支部", LEDGER_SHEET, 2, "党支部"),
	Case(
		"branch_outside_the_import",
		"超出本次导入的范围",
		LEDGER_SHEET,
		2,
		"党支部",
		importer="approver_a",
		organization="unit_a",
	),
	Case("stars_seven", "星级应为 1 至 5，不能是 7", LEDGER_SHEET, 2, "星级"),
	Case("duplicate_in_file", "已在第 2 行", LEDGER_SHEET, 3, "项目名称"),
	Case("duplicate_of_existing", "已在系统中", LEDGER_SHEET, 2, "项目名称"),
	Case("empty_sheet", "只有表头，没有数据行", LEDGER_SHEET, 1),
	Case("blank_sheet", "为空", LEDGER_SHEET),
	Case("over_ten_mb", "不得超过 10 MB"),
	Case("xls_file", "Excel 97–2003 工作簿（.xls）", file_name="ledger.xls"),
	Case("csv_file", "是 CSV 文件", file_name="ledger.csv"),
	Case("not_a_workbook", "无法作为 Excel 工作簿打开"),
	Case("topic_missing", "“选题方向”为空", LEDGER_SHEET, 2, "选题方向"),
	Case("status_unknown", "“进行中”不是项目状态", LEDGER_SHEET, 2, "状态"),
	Case("status_not_on_record", "的项目不导入：只导入已审定备案的项目", LEDGER_SHEET, 2, "状态"),
	Case(
		"approved_before_applied", "审定日期 2024-04-01 早于申报日期 2024-04-10", LEDGER_SHEET, 2, "审定日期"
	),
	Case(
		"accepted_before_started",
		"验收日期 2024-05-01 早于开始实施日期 2024-05-06",
		LEDGER_SHEET,
		2,
		"验收日期",
	),
	Case("date_after_today", "晚于今天", LEDGER_SHEET, 2, "验收日期"),
	Case("year_out_of_range", "年度 1999 不在党建+项目的年度范围内", LEDGER_SHEET, 2, "年度"),
	Case("stars_on_a_project_not_evaluated", "的项目没有“星级”，请留空", LEDGER_SHEET, 2, "星级"),
	Case("commended_not_evaluated", "只有已评估的项目才能表彰或入选十佳", LEDGER_SHEET, 2, "已表彰"),
	Case("report_of_unknown_project", "没有编号为“NOPE”的项目", REPORT_SHEET, 2, "项目"),
	Case("report_quarter_five", "季度", REPORT_SHEET, 2, "季度"),
	Case(
		"document_number_without_commendation",
		"未表彰，不应有表彰发文字号",
		EVALUATION_SHEET,
		2,
		"表彰发文字号",
	),
	Case(
		"evaluators_without_satisfaction_rate",
		"填写了“评估人数”却没有“满意率”",
		EVALUATION_SHEET,
		2,
		"满意率",
	),
)


class TestBadWorkbooks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = import_actors("LB")
		cls.existing = make_project(cls.a.tree.branch_a1, year=2024, project_name="已有的项目").name
		cls.lang = frappe.local.lang
		frappe.local.lang = "zh"

	@classmethod
	def tearDownClass(cls):
		frappe.local.lang = cls.lang
		super().tearDownClass()

	def refused(self, case: Case):
		if case.name == "duplicate_of_existing":
			case.extra["existing"] = "已有的项目"
		user = self.a[case.importer]
		before = counts()
		batch = new_import(user, self.a.tree[case.organization], workbook(case, self.a), case.file_name)
		batch = dry_run(batch, user)
		self.assertEqual(batch.status, "Has Problems")
		found = [p for p in errors(batch) if case.message in p.message]
		self.assertTrue(found, f"{case.name}: {[p.message for p in batch.problems]}")
		problem = found[0]
		for attribute, expected in (
			("sheet", case.sheet),
			("row_no", case.row),
			("column_label", case.column),
			("cell", case.cell),
		):
			if expected is not None:
				self.assertEqual(problem.get(attribute), expected, f"{case.name}: {problem.as_dict()}")
		self.assertEqual(batch.error_count, len(errors(batch)))
		# nothing is written, and the import does not start
		self.assertRaises(frappe.ValidationError, run_import, batch, user)
		after = counts()
		for doctype in ("Dangjian Project", "Dangjian Quarterly Report"):
			self.assertEqual(after[doctype], before[doctype], case.name)
		self.assertFalse(frappe.get_all("Dangjian Project", filters={"ledger_import": batch.name}))

	def test_the_catalogue_has_at_least_fifteen_workbooks(self):
		self.assertGreaterEqual(len(CASES), 15)
		self.assertEqual(len({case.name for case in CASES}), len(CASES))

	def test_the_problems_download_as_a_workbook(self):
		from openpyxl import load_workbook

		from dangjian.dangjian.doctype.dangjian_ledger_import import dangjian_ledger_import as ledger_import

		case = CASES[4]  # a date as text
		user = self.a.company_admin
		batch = dry_run(new_import(user, self.a.tree.company, workbook(case, self.a)), user)
		with self.set_user(user):
			ledger_import.download_problems(batch.name)
		book = load_workbook(io.BytesIO(frappe.response.pop("filecontent")))
		values = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
		self.assertEqual(values[0], ["类别", "工作表", "行", "列", "单元格", "问题"])
		self.assertIn(case.message, " ".join(str(v) for row in values[1:] for v in row))

	def test_the_template_is_the_layout_the_import_reads(self):
		from openpyxl import load_workbook

		from dangjian.dangjian.doctype.dangjian_ledger_import import dangjian_ledger_import as ledger_import

		with self.set_user(self.a.company_admin):
			ledger_import.download_template()
		book = load_workbook(io.BytesIO(frappe.response.pop("filecontent")))
		self.assertEqual(book.sheetnames, ["项目管理台账", "季度进展报告", "验收与评估"])
		headers = [c.value for c in book["项目管理台账"][1]]
		self.assertEqual(headers, [layout.header(c) for c in layout.ledger_sheet().columns])
		self.assertEqual(headers[:3], ["项目", "项目名称", "年度"])


def refusal_test(case: Case):
	def test(self):
		self.refused(case)

	test.__doc__ = f"{case.name} is refused: {case.message}"
	return test


for _case in CASES:
	setattr(TestBadWorkbooks, f"test_refused_{_case.name}", refusal_test(_case))
