"""Ledger workbooks for the import's tests, built with openpyxl as a department would fill in the
template (or as the Project Ledger's Excel export writes them), and the helpers that attach one to
a new import and run its steps."""

import datetime
import io

import frappe
from frappe import _

from dangjian.dangjian.doctype.dangjian_ledger_import import dangjian_ledger_import as ledger_import
from dangjian.dangjian.doctype.dangjian_ledger_import import layout
from dangjian.tests.utils import add_member, as_user, make_actors, make_user

DOCTYPE = ledger_import.DOCTYPE
# the Select columns a workbook writes in the desk's Chinese words: fieldname -> its context
WORDS = {
	"status": layout.PROJECT,
	"topic_area": layout.PROJECT,
	"grade": layout.PROJECT,
	"acceptance_result": layout.ACCEPTANCE,
}


def zh(value, context):
	return _(value, lang="zh", context=context) if isinstance(value, str) and value else value


def project_row(ref, name, year, unit, branch, status="Evaluated", **values) -> dict:
	"""A row of the ledger sheet, by fieldname, with the stored values (Evaluated, Passed…): a
	complete record of its state, dates in the project's year."""
	row = {
		"project": ref,
		"project_name": name,
		"year": year,
		"unit_name": unit,
		"branch_name": branch,
		"topic_area": "Unit's Internal Development",
		"lead_name": "张磊",
		"status": status,
		"applied_on": datetime.date(year, 4, 10),
		"approved_on": datetime.date(year, 4, 25),
		"implementation_started_on": datetime.date(year, 5, 6),
		"plan_progress": "3/3",
		"last_report": "",
		"overdue": 0,
		"acceptance_result": "Passed",
		"accepted_on": datetime.date(year + 1, 3, 10),
		"stars": 4,
		"grade": "Exemplary",
		"commended": 1,
		"top_ten": 0,
	}
	if status in ("Approved", "In Progress"):
		row.update(acceptance_result="", accepted_on=None, stars=0, grade="", commended=0, top_ten=0)
	if status == "Approved":
		row.update(implementation_started_on=None, plan_progress="")
	if status == "Accepted":
		row.update(stars=0, grade="", commended=0, top_ten=0)
	row.update(values)
	return row


def report_row(ref, year, quarter, submitted, status="Reviewed", **values) -> dict:
	row = {
		"project": ref,
		"year": year,
		"quarter": quarter,
		"first_submitted_on": submitted,
		"status": status,
		"percent_complete": 25 * quarter,
		"progress_summary": f"{year}年第{quarter}季度：按计划推进。",
		"problems": "",
		"next_quarter_plan": "继续推进。",
		"supervision_comment": "按期完成。" if status == "Reviewed" else "",
	}
	row.update(values)
	return row


def evaluation_row(ref, **values) -> dict:
	row = {"project": ref}
	row.update(values)
	return row


def cell(fieldname: str, value, context: str | None = None):
	if context == layout.QUARTERLY_REPORT:
		return zh(value, context) if fieldname == "status" else value
	if fieldname in WORDS:
		return zh(value, WORDS[fieldname])
	return value


def build(projects, reports=None, evaluation=None, tweak=None, first_title=None) -> bytes:
	"""An .xlsx in the import's layout: the ledger sheet (its export's Chinese headers) and the
	optional sheets when rows are given; ``tweak(workbook)`` spoils it for the bad-input tests."""
	from openpyxl import Workbook

	book = Workbook()
	specs = {spec.key: spec for spec in layout.sheets()}
	sheet = book.active
	sheet.title = first_title or layout.sheet_title(specs[layout.LEDGER])
	spec = specs[layout.LEDGER]
	sheet.append([layout.header(column) for column in spec.columns])
	for row in projects:
		sheet.append([cell(c.fieldname, row.get(c.fieldname)) for c in spec.columns])
	for key, rows, context in (
		(layout.REPORTS, reports, layout.QUARTERLY_REPORT),
		(layout.EVALUATION, evaluation, None),
	):
		if rows is None:
			continue
		spec = specs[key]
		extra = book.create_sheet(layout.sheet_title(spec))
		extra.append([layout.header(column) for column in spec.columns])
		for row in rows:
			extra.append([cell(c.fieldname, row.get(c.fieldname), context) for c in spec.columns])
	if tweak:
		tweak(book)
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


def attach(batch: str, content: bytes, file_name: str = "ledger.xlsx") -> str:
	"""Attach ``content`` to the import as the desk's upload does; the file's URL."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": content,
			"is_private": 1,
			"attached_to_doctype": DOCTYPE,
			"attached_to_name": batch,
			"attached_to_field": "import_file",
		}
	).insert(ignore_permissions=True)
	return file.file_url


def new_import(user: str, organization: str, content: bytes, file_name: str = "ledger.xlsx"):
	"""An import made by ``user`` for ``organization`` with the workbook attached."""
	with as_user(user):
		batch = frappe.get_doc({"doctype": DOCTYPE, "organization": organization}).insert()
		url = attach(batch.name, content, file_name)
		batch = frappe.get_doc(DOCTYPE, batch.name)
		batch.import_file = url
		batch.save()
	return frappe.get_doc(DOCTYPE, batch.name)


def dry_run(batch, user: str):
	with as_user(user):
		ledger_import.dry_run(batch.name)
	return frappe.get_doc(DOCTYPE, batch.name)


def run_import(batch, user: str):
	with as_user(user):
		ledger_import.start_import(batch.name)
	return frappe.get_doc(DOCTYPE, batch.name)


def undo(batch, user: str):
	with as_user(user):
		ledger_import.undo_import(batch.name)
	return frappe.get_doc(DOCTYPE, batch.name)


def errors(batch) -> list:
	return [p for p in batch.problems if p.severity == "Error"]


def import_actors(prefix: str):
	"""The test tree with a company administrator besides the branch and unit people."""
	actors = make_actors(prefix)
	actors.company_admin = make_user(f"{prefix.lower()}-company-admin")
	add_member(actors.tree.company, actors.company_admin, "Administrator")
	actors.names = {
		key: frappe.db.get_value("Party Organization", code, "organization_name")
		for key, code in actors.tree.items()
	}
	return actors


def counts() -> dict:
	return {
		doctype: frappe.db.count(doctype)
		for doctype in ("Dangjian Project", "Dangjian Quarterly Report", "Version", "Comment")
	}
