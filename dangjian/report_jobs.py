# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""A report's Excel export as a background job: at company scope a year of the ledger (or
every year) is tens of thousands of rows, more than a request should carry. The job runs on the
``long`` queue as the user who asked (the report's scope and Frappe's checks are theirs), runs
the report as the desk runs it (``frappe.desk.query_report.generate_report_result``), writes
the workbook as the desk's own export does (``build_xlsx_data`` + ``make_xlsx``: the same
columns, in the user's language, so the Ledger Import reads it back), keeps it as a private
File, logs the export in the Access Log and tells the user in the bell with the file's link. Progress is shown in the
desk (``frappe.publish_progress``).

Asking twice for the same report and filters while a job runs starts no second job."""

import hashlib

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from dangjian.security import APP_REPORTS, log_export

QUEUE = "long"
TIMEOUT = 3600
TITLE = "Export to Excel in the Background"
JOB = "dangjian.report_jobs.make_report_export"
# the app's reports but the access log (an auditor's, read on the desk)
REPORTS = tuple(name for name in APP_REPORTS if name != "Dangjian Access Log")


def clean_filters(filters) -> dict:
	filters = frappe.parse_json(filters) if filters else {}
	if not isinstance(filters, dict):
		frappe.throw(_("The report's filters are not valid."), title=_(TITLE))
	return {key: value for key, value in filters.items() if value not in (None, "", [])}


def ensure_can_export(report_name: str) -> None:
	if report_name not in REPORTS:
		frappe.throw(
			_("{0} is not a report of the 党建+ app.").format(frappe.bold(report_name)), title=_(TITLE)
		)
	report = frappe.get_doc("Report", report_name)
	if not report.is_permitted():
		frappe.throw(
			_("You are not allowed to see the report {0}.").format(frappe.bold(_(report_name))),
			frappe.PermissionError,
		)
	frappe.permissions.can_export(report.ref_doctype, raise_exception=True)


def job_id(report_name: str, filters: dict, user: str) -> str:
	digest = hashlib.sha1(frappe.as_json(filters, indent=None).encode()).hexdigest()[:12]
	return f"dangjian-report-export::{report_name}::{digest}::{user}"


def export_filename(report_name: str, filters: dict) -> str:
	"""The report's name and year: the one asked for, else the current year, which each of the
	reports shows without a year; every year only when asked (the ledger's ``all_years``, which
	wins over the year the desk keeps in its hidden filter)."""
	if cint(filters.get("all_years")):
		return f"{_(report_name)}-{_('All Years')}.xlsx"
	year = cint(filters.get("year")) or getdate(nowdate()).year
	return f"{_(report_name)}-{year}.xlsx"


@frappe.whitelist(methods=["POST"])
def enqueue_report_export(report_name: str, filters=None) -> dict:
	"""Start the export of ``report_name`` with ``filters`` (as the report's page has them)."""
	ensure_can_export(report_name)
	filters = clean_filters(filters)
	user = frappe.session.user
	frappe.enqueue(
		JOB,
		queue=QUEUE,
		timeout=TIMEOUT,
		job_id=job_id(report_name, filters, user),
		deduplicate=True,
		report_name=report_name,
		filters=filters,
		user=user,
	)
	return {"queue": QUEUE}


def make_report_export(report_name: str, filters: dict, user: str) -> str:
	"""The job: the workbook of the report for ``user``. Answers the File's name."""
	from frappe.desk.query_report import build_xlsx_data, generate_report_result, get_report_doc
	from frappe.utils.xlsxutils import make_xlsx

	from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import WHOLE_LEDGER

	frappe.set_user(user)
	frappe.local.lang = frappe.db.get_value("User", user, "language") or frappe.db.get_default("lang")
	title = _(TITLE)
	ensure_can_export(report_name)
	frappe.publish_progress(5, title=title, description=_(report_name))
	# the ledger's every year in one workbook, not the page the desk shows
	frappe.flags[WHOLE_LEDGER] = True
	# as frappe.desk.query_report.run runs it (get_report_doc checks the user's access), but
	# without its Prepared Report branch and with the report marked prepared in this job only:
	# Frappe makes a report that ran longer than 15 s a Prepared Report for every user
	# (Report.execute_script_report), and a whole company's workbook is expected to be long
	report = get_report_doc(report_name)
	report.prepared_report = 1
	try:
		data = frappe._dict(generate_report_result(report, filters, user))
	finally:
		frappe.flags.pop(WHOLE_LEDGER, None)  # this run only, wherever it is called from
	frappe.publish_progress(60, title=title, description=_(report_name))
	rows, widths = build_xlsx_data(data, [], 0, ignore_visible_idx=True)
	content = make_xlsx(rows, "Query Report", column_widths=widths).getvalue()
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": export_filename(report_name, filters),
			"is_private": 1,
			"content": content,
			"attached_to_doctype": "Report",
			"attached_to_name": report_name,
		}
	).insert(ignore_permissions=True)
	log_export(report_name=report_name, filters=filters, file_type="Excel")
	frappe.publish_progress(100, title=title)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"document_type": "File",
			"document_name": file.name,
			"subject": _("The Excel export of {0} is ready: {1} rows.").format(
				_(report_name), len(data.result or [])
			),
		}
	).insert(ignore_permissions=True)
	return file.name
