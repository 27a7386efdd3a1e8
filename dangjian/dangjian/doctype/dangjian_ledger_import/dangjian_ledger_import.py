# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""历史台账导入: one workbook of a company's or a unit's earlier 党建+ ledger, brought in as one
batch.

1. **Dry run** (试运行, ``dry_run``): the workbook is read and every row checked as the documents
   would check it (workbook.py, checks.py); every problem is listed with its sheet, row and
   column, in the user's language, and can be downloaded. Nothing but this record is written.
2. **Import** (导入, ``start_import``): a background job (the long queue) checks the workbook
   again against the site as it is then and writes every project and quarterly report
   (writer.py), with a progress bar on the form. All or nothing for the workbook: a ledger
   imported in part would match neither the file nor the site — its branch assessment, its
   commendation list would be wrong in ways nobody sees — and the rows that went in would stop
   the corrected file at the duplicate check; so on any problem nothing is written, and the
   corrected workbook is imported whole.
3. **Undo** (撤销导入, ``undo_import``): the batch's records go, exactly those, unless work was
   added to them since (a new quarterly report, an acceptance, a comment, a change…), which is
   named.

Who: the company administrator for the whole company, a unit's Party-Masses Work Department for
its unit (``checks.import_roots``); the desk, the REST API and the whitelisted methods alike."""

import hashlib
import io

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_ledger_import import checks, layout, workbook, writer

DOCTYPE = "Dangjian Ledger Import"
PROBLEM = "Dangjian Ledger Import Problem"
DRAFT, CHECKED, HAS_PROBLEMS = "Draft", "Checked", "Has Problems"
QUEUED, IMPORTING, IMPORTED, FAILED, UNDONE = "Queued", "Importing", "Imported", "Failed", "Undone"
# an import that ran (or runs) keeps its workbook and its organization
RAN = (QUEUED, IMPORTING, IMPORTED, UNDONE)
CHECKABLE = (DRAFT, CHECKED, HAS_PROBLEMS, FAILED)
# problems kept on the record (the counts are always whole)
MAX_PROBLEMS = 1000
# a workbook up to this size is checked while the user waits; a bigger one in the background
INLINE_CHECK_BYTES = 2 * 1024 * 1024
IMPORT_TIMEOUT = 3600
SAVEPOINT = "dangjian_ledger_import"


class DangjianLedgerImport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_ledger_import_problem.dangjian_ledger_import_problem import (
			DangjianLedgerImportProblem,
		)

		checked_by: DF.Link | None
		checked_on: DF.Datetime | None
		error_count: DF.Int
		evaluation_rows: DF.Int
		failure: DF.SmallText | None
		file_hash: DF.Data | None
		file_name: DF.Data | None
		file_size: DF.Int
		import_file: DF.Attach | None
		imported_by: DF.Link | None
		imported_on: DF.Datetime | None
		imported_projects: DF.Int
		imported_reports: DF.Int
		organization: DF.Link
		organization_name: DF.Data | None
		problems: DF.Table[DangjianLedgerImportProblem]
		problems_note: DF.SmallText | None
		project_rows: DF.Int
		report_rows: DF.Int
		status: DF.Literal[
			"Draft", "Checked", "Has Problems", "Queued", "Importing", "Imported", "Failed", "Undone"
		]
		undone_by: DF.Link | None
		undone_on: DF.Datetime | None
		warning_count: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_organization()
		self.validate_workbook_change()

	def on_trash(self):
		if self.status in RAN:
			frappe.throw(
				_("Import {0} is {1}: it stays on record.").format(
					frappe.bold(self.name), frappe.bold(_(self.status, context=DOCTYPE))
				),
				frappe.PermissionError,
				title=_("Cannot Delete"),
			)

	def validate_organization(self):
		kind = frappe.db.get_value(scope.ORG, self.organization, "organization_type")
		if kind not in (rules.COMPANY, rules.UNIT):
			frappe.throw(
				_("{0} is not a company or a unit: a ledger is imported for a company or for a unit.").format(
					frappe.bold(self.organization)
				),
				title=_("Invalid Organization"),
			)
		ensure_may_import(self.organization)
		before = self.get_doc_before_save()
		if before and before.organization != self.organization:
			# Frappe judges a save by the record as changed: moving another unit's import into
			# one's own unit would pass. Whoever moves an import may import where it was, too.
			ensure_may_import(before.organization)

	def validate_workbook_change(self):
		before = self.get_doc_before_save()
		if not before or (
			before.import_file == self.import_file and before.organization == self.organization
		):
			return
		if self.status in RAN:
			frappe.throw(
				_(
					"Import {0} is {1}: its workbook and organization stay as they were. Make a new import for another workbook."
				).format(frappe.bold(self.name), frappe.bold(_(self.status, context=DOCTYPE))),
				title=_("Import Ran"),
			)
		# another workbook, or another organization: the dry run's findings are no longer its
		self.set_check_result(DRAFT, None, workbook.Problems(), checks.Plan())
		self.checked_on = self.checked_by = None

	def set_check_result(self, status, content, problems, plan, sheets=None):
		self.status = status
		self.file_hash = hashlib.sha256(content).hexdigest() if content is not None else None
		self.file_size = len(content) if content is not None else 0
		sheets = sheets or {}
		self.project_rows = len(sheets[layout.LEDGER].rows) if layout.LEDGER in sheets else 0
		self.report_rows = len(sheets[layout.REPORTS].rows) if layout.REPORTS in sheets else 0
		self.evaluation_rows = len(sheets[layout.EVALUATION].rows) if layout.EVALUATION in sheets else 0
		self.error_count, self.warning_count = problems.errors, problems.warnings
		self.set("problems", [])
		for item in problems.items[:MAX_PROBLEMS]:
			self.append("problems", item)
		total = len(problems.items)
		self.problems_note = (
			_(
				"The first {0} of {1} problems are listed: correct them and run the dry run again to see the rest."
			).format(MAX_PROBLEMS, total)
			if total > MAX_PROBLEMS
			else None
		)


# --- who may import where ------------------------------------------------------------------------


def ensure_may_import(organization: str, user: str | None = None) -> None:
	"""The company administrator imports for the company, a unit's department for its unit."""
	roots = checks.import_roots(user)
	if roots is None:
		return
	org = frappe.db.get_value(scope.ORG, organization, ["lft", "rgt"], as_dict=True)
	inside = (
		frappe.get_all(
			scope.ORG,
			filters={"name": ("in", roots), "lft": ("<=", org.lft), "rgt": (">=", org.rgt)},
			pluck="name",
		)
		if org and roots
		else []
	)
	if not inside:
		frappe.throw(
			_(
				"You cannot import a ledger for {0}: the company administrator imports for the company, a unit's Party-Masses Work Department for its unit{1}."
			).format(
				frappe.bold(organization),
				_(" (yours: {0})").format(", ".join(frappe.bold(r) for r in roots)) if roots else "",
			),
			frappe.PermissionError,
			title=_("Not Yours to Import"),
		)


def get_batch(name: str, ptype: str = "write", for_update: bool = False) -> DangjianLedgerImport:
	batch = frappe.get_doc(DOCTYPE, name, for_update=for_update)
	batch.check_permission(ptype)
	if ptype != "read":
		ensure_may_import(batch.organization)
	return batch


# --- the workbook --------------------------------------------------------------------------------


def attached_workbook(batch) -> tuple[bytes, str]:
	"""The content and name of the workbook attached to this import (a file of another record,
	even one at the same address, is not read: the import reads only what was given to it)."""
	if not batch.import_file:
		frappe.throw(_("Attach the ledger workbook (.xlsx) first."), title=_("No Workbook"))
	files = frappe.get_all(
		"File",
		filters={
			"file_url": batch.import_file,
			"attached_to_doctype": DOCTYPE,
			"attached_to_name": batch.name,
		},
		pluck="name",
		limit=1,
	)
	if not files:
		frappe.throw(
			_("The workbook {0} is not attached to this import: attach it here.").format(
				frappe.bold(batch.import_file)
			),
			title=_("No Workbook"),
		)
	file = frappe.get_doc("File", files[0])
	content = file.get_content()
	if isinstance(content, str):
		content = content.encode()
	return content, file.file_name or batch.import_file.rsplit("/", 1)[-1]


def check_workbook(batch):
	"""Read and check the attached workbook: (content, file name, sheets, problems, plan)."""
	content, file_name = attached_workbook(batch)
	problems = workbook.Problems()
	sheets = workbook.read(content, file_name, problems)
	plan = checks.check(batch.organization, frappe.session.user, sheets, problems)
	return content, file_name, sheets, problems, plan


def record_check(batch, content, file_name, sheets, problems, plan) -> None:
	status = HAS_PROBLEMS if problems.errors or layout.LEDGER not in sheets else CHECKED
	batch.set_check_result(status, content, problems, plan, sheets)
	batch.file_name = file_name
	batch.checked_on = now_datetime()
	batch.checked_by = frappe.session.user
	batch.failure = None
	batch.flags.ignore_permissions = True
	batch.save()


# --- the whitelisted steps -----------------------------------------------------------------------


@frappe.whitelist()
def dry_run(name: str) -> dict:
	"""试运行: check every row and list every problem; nothing but this record is written. A big
	workbook is checked in the background (the form reloads when it is done)."""
	batch = get_batch(name)
	if batch.status not in CHECKABLE:
		frappe.throw(
			_("Import {0} is {1}: there is nothing to check.").format(
				frappe.bold(batch.name), frappe.bold(_(batch.status, context=DOCTYPE))
			),
			title=_("Import Ran"),
		)
	content, _file_name = attached_workbook(batch)
	if len(content) > INLINE_CHECK_BYTES and not frappe.flags.in_test:
		frappe.enqueue(
			run_dry_run,
			queue="long",
			timeout=IMPORT_TIMEOUT,
			job_id=f"dangjian-ledger-check-{batch.name}",
			deduplicate=True,
			enqueue_after_commit=True,
			batch=batch.name,
		)
		return {"queued": True}
	run_dry_run(batch.name)
	batch.reload()
	return summary(batch)


def in_the_users_language() -> None:
	"""A background job speaks the language of the user who started it (a worker starts in the
	site's): the problems it lists and its progress are theirs to read."""
	if getattr(frappe.local, "job", None):
		from frappe.translate import get_user_lang

		frappe.local.lang = get_user_lang(frappe.session.user)


def run_dry_run(batch: str) -> None:
	in_the_users_language()
	doc = frappe.get_doc(DOCTYPE, batch)
	if doc.status not in CHECKABLE:
		return
	record_check(doc, *check_workbook(doc))


def summary(batch) -> dict:
	return {
		"status": batch.status,
		"errors": cint(batch.error_count),
		"warnings": cint(batch.warning_count),
		"projects": cint(batch.project_rows),
		"reports": cint(batch.report_rows),
	}


@frappe.whitelist()
def start_import(name: str) -> dict:
	"""导入: after a dry run without errors, the import runs as a background job."""
	batch = get_batch(name, for_update=True)
	if batch.status != CHECKED:
		frappe.throw(
			_("Import {0} is {1}: run the dry run, correct every error it lists, then import.").format(
				frappe.bold(batch.name), frappe.bold(_(batch.status, context=DOCTYPE))
			),
			title=_("Not Checked"),
		)
	content, _file_name = attached_workbook(batch)
	if hashlib.sha256(content).hexdigest() != batch.file_hash:
		frappe.throw(
			_("The workbook changed after the dry run: run the dry run again."), title=_("Not Checked")
		)
	batch.db_set("status", QUEUED)
	now = bool(frappe.flags.in_test)  # the tests run the job where they stand
	frappe.enqueue(
		run_import,
		queue="long",
		timeout=IMPORT_TIMEOUT,
		job_id=f"dangjian-ledger-import-{batch.name}",
		deduplicate=not now,
		enqueue_after_commit=True,
		now=now,
		batch=batch.name,
	)
	return {"status": frappe.db.get_value(DOCTYPE, batch.name, "status")}


def run_import(batch: str) -> None:
	"""The background job: check again against the site as it is now, then write everything or
	nothing."""
	if not frappe.db.exists(DOCTYPE, batch):
		return
	in_the_users_language()
	doc = frappe.get_doc(DOCTYPE, batch, for_update=True)
	if doc.status != QUEUED:
		return
	# one import at a time per company: two workbooks that hold the same project are not both
	# let through the duplicate check
	lock_company(doc.organization)
	frappe.db.savepoint(SAVEPOINT)
	try:
		content, file_name, sheets, problems, plan = check_workbook(doc)
		if problems.errors or layout.LEDGER not in sheets:
			record_check(doc, content, file_name, sheets, problems, plan)
			return

		def progress(done, total):
			frappe.publish_progress(
				done * 100 / total,
				title=_("Importing the ledger"),
				doctype=DOCTYPE,
				docname=doc.name,
				description=_("{0} of {1} records written").format(done, total),
			)

		progress(0, 1)
		projects, reports = writer.write(doc, plan, progress)
		progress(1, 1)
		doc.status = IMPORTED
		doc.imported_on = now_datetime()
		doc.imported_by = frappe.session.user
		doc.imported_projects, doc.imported_reports = projects, reports
		doc.failure = None
		doc.flags.ignore_permissions = True
		doc.save()
	except Exception as error:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.log_error(title=_("Ledger import {0} failed").format(batch))
		doc = frappe.get_doc(DOCTYPE, batch)
		doc.db_set(
			{
				"status": FAILED,
				"failure": _("Nothing was imported: {0}").format(frappe.utils.strip_html(str(error)))[:1000],
			}
		)


def lock_company(organization: str) -> None:
	org = frappe.db.get_value(scope.ORG, organization, ["lft", "rgt"], as_dict=True)
	company = frappe.get_all(
		scope.ORG,
		filters={"lft": ("<=", org.lft), "rgt": (">=", org.rgt), "organization_type": rules.COMPANY},
		pluck="name",
		limit=1,
	)
	frappe.db.get_value(scope.ORG, company[0] if company else organization, "name", for_update=True)


@frappe.whitelist()
def undo_import(name: str) -> dict:
	"""撤销导入: the batch's projects and quarterly reports go, unless work was added to them."""
	batch = get_batch(name, for_update=True)
	if batch.status != IMPORTED:
		frappe.throw(
			_("Import {0} is {1}: only an imported batch is undone.").format(
				frappe.bold(batch.name), frappe.bold(_(batch.status, context=DOCTYPE))
			),
			title=_("Nothing to Undo"),
		)
	work = writer.later_work(batch)
	if work:
		shown = work[:20]
		more = _(" … and more") if len(work) > 20 else ""
		frappe.throw(
			_("Import {0} cannot be undone: work was added to its records after it.").format(
				frappe.bold(batch.name)
			)
			+ "<ul>"
			+ "".join(f"<li>{frappe.utils.escape_html(line)}</li>" for line in shown)
			+ "</ul>"
			+ more,
			title=_("Work Added Since"),
		)
	projects, reports = writer.remove(batch)
	batch.status = UNDONE
	batch.undone_on = now_datetime()
	batch.undone_by = frappe.session.user
	batch.flags.ignore_permissions = True
	batch.save()
	return {"projects": projects, "reports": reports}


@frappe.whitelist()
def download_problems(name: str) -> None:
	"""The problems the dry run found, as a workbook."""
	batch = get_batch(name, "read")
	rows = [
		[_(label, context=PROBLEM) for label in ("Severity", "Sheet", "Row", "Column", "Cell", "Problem")]
	]
	for item in batch.problems:
		rows.append(
			[
				_(item.severity, context=PROBLEM),
				item.sheet,
				item.row_no or None,
				item.column_label,
				item.cell,
				item.message,
			]
		)
	if batch.problems_note:
		rows.append([batch.problems_note])
	send_workbook(
		_("{0} problems").format(batch.name) + ".xlsx", [(_("Problems"), rows)], f"{batch.name}-problems.xlsx"
	)


@frappe.whitelist()
def download_template() -> None:
	"""An empty workbook in the layout the import reads: the ledger's columns (those of the
	Project Ledger's Excel export) and the two optional sheets, with the date columns formatted
	as dates."""
	frappe.has_permission(DOCTYPE, "create", throw=True)
	sheets = []
	for spec in layout.sheets():
		title = layout.sheet_title(spec)
		sheets.append((title, [[layout.header(column) for column in spec.columns]], spec))
	send_workbook(_("Ledger import template") + ".xlsx", sheets, "ledger-import-template.xlsx")


def send_workbook(filename: str, sheets: list, fallback: str) -> None:
	from openpyxl import Workbook
	from openpyxl.styles import Font
	from openpyxl.utils import get_column_letter

	book = Workbook()
	book.remove(book.active)
	for title, rows, *spec in sheets:
		sheet = book.create_sheet(title[:31])
		for row in rows:
			sheet.append(row)
		for cell in sheet[1]:
			cell.font = Font(bold=True)
		if spec:
			for index, column in enumerate(spec[0].columns, start=1):
				letter = get_column_letter(index)
				sheet.column_dimensions[letter].width = 14
				if column.kind == "date":
					for row in range(2, 1002):
						sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
	out = io.BytesIO()
	book.save(out)
	frappe.response["filename"] = filename
	frappe.response["filecontent"] = out.getvalue()
	frappe.response["type"] = "binary"
	frappe.local.dangjian_download_fallback = fallback
