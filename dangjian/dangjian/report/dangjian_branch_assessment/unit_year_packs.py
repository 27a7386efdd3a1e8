# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""A unit's year packs (述职材料) in one ZIP: one A4 PDF per branch of the unit, made by a
background job on the ``long`` queue, not in the request — two hundred branches' PDFs take
minutes. The job runs as the user who asked (the scope is theirs), shows its progress in the
desk (``frappe.publish_progress``), keeps the ZIP as a private File attached to the unit and
tells the user in the bell (a Notification Log in their language) with the file's link.

Asking twice for the same unit and year while a job runs starts no second job."""

import io
import re
import zipfile

import frappe
from frappe import _
from frappe.utils import cint
from frappe.utils.pdf import get_pdf

from dangjian import pdf_fonts, scope
from dangjian.dangjian.report.dangjian_branch_assessment.branch_year_pack import (
	BRANCH_TYPES,
	PDF_OPTIONS,
	get_branch_year_pack,
	pack_filename,
)
from dangjian.security import log_export

QUEUE = "long"
TIMEOUT = 3 * 3600
TITLE = "Branch Year Packs of a Unit"
JOB = "dangjian.dangjian.report.dangjian_branch_assessment.unit_year_packs.make_unit_year_packs"


def unit_branches(unit: str) -> list[frappe._dict]:
	"""The enabled branches of ``unit``'s subtree that the user may see, in tree order."""
	in_scope, scope_params = scope.scope_condition("o")
	in_unit, unit_params = scope.unit_condition("o", unit)
	return frappe.db.sql(
		f"""select o.name, o.organization_name from `tabParty Organization` o
		where o.organization_type in %(types)s and o.disabled = 0 and {in_scope} and {in_unit}
		order by o.lft""",
		{"types": BRANCH_TYPES, **scope_params, **unit_params},
		as_dict=True,
	)


def zip_filename(unit: str, year: int) -> str:
	return pack_filename(unit, year).replace("branch-year-pack", "unit-year-packs").replace(".pdf", ".zip")


def entry_name(index: int, branch) -> str:
	"""A PDF's name in the ZIP: its place in the tree and the branch's name (UTF-8; codes may
	repeat once made ASCII)."""
	name = re.sub(r'[\\/:*?"<>|]+', "-", branch.organization_name or branch.name)
	return f"{index + 1:03d} {name}.pdf"


def job_id(unit: str, year: int, user: str) -> str:
	return f"dangjian-unit-year-packs::{unit}::{year}::{user}"


@frappe.whitelist(methods=["POST"])
def enqueue_unit_year_packs(unit: str, year: int | str) -> dict:
	"""Start the job for ``unit`` and ``year``; answers how many branches it will pack."""
	year = cint(year)
	if not unit or not 2000 <= year <= 2100:
		frappe.throw(_("Choose a unit and a year."), title=_(TITLE))
	scope.ensure_in_scope(unit)
	frappe.has_permission("Party Organization", "read", doc=unit, throw=True)
	branches = unit_branches(unit)
	if not branches:
		frappe.throw(
			_("{0} has no party branch in your scope: there is no year pack to make.").format(
				frappe.bold(unit)
			),
			title=_(TITLE),
		)
	user = frappe.session.user
	frappe.enqueue(
		JOB,
		queue=QUEUE,
		timeout=TIMEOUT,
		job_id=job_id(unit, year, user),
		deduplicate=True,
		unit=unit,
		year=year,
		user=user,
	)
	return {"branches": len(branches), "queue": QUEUE}


def make_unit_year_packs(unit: str, year: int, user: str) -> str:
	"""The job: the ZIP of every branch's pack, as ``user``. Answers the File's name."""
	frappe.set_user(user)
	lang = frappe.db.get_value("User", user, "language") or frappe.db.get_default("lang")
	frappe.local.lang = lang
	branches = unit_branches(unit)
	title = _(TITLE)
	pdf_fonts.activate()
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
		for done, branch in enumerate(branches):
			frappe.publish_progress(
				done * 100 / len(branches), title=title, description=branch.organization_name
			)
			html = get_branch_year_pack(branch.name, year)
			archive.writestr(entry_name(done, branch), get_pdf(html, dict(PDF_OPTIONS)))
	frappe.publish_progress(100, title=title)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": zip_filename(unit, year),
			"is_private": 1,
			"content": buffer.getvalue(),
			"attached_to_doctype": scope.ORG,
			"attached_to_name": unit,
		}
	).insert(ignore_permissions=True)
	log_export(
		report_name="Dangjian Branch Assessment",
		doctype=scope.ORG,
		document=unit,
		filters={"unit": unit, "year": year, "branches": len(branches)},
		file_type="ZIP",
	)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"document_type": "File",
			"document_name": file.name,
			"subject": _("The year packs of {0} for {1} are ready: {2} branches.").format(
				unit, year, len(branches)
			),
		}
	).insert(ignore_permissions=True)
	return file.name
