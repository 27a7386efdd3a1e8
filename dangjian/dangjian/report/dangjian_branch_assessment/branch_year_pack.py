# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""述职材料: a branch's year of 党建+ in one printable document, for the secretary's annual
report (述职) — the branch, its projects (status, plan progress, quarterly reports, acceptance
attempts, stars, grade, commendation, Top Ten) and the year's assessment figures from the
Branch Assessment report.

The document is Chinese whatever the reader's language (it is an official paper): the fixed
text is in the template, the values a Select holds are translated with ``lang="zh"``. The
branch must be in the user's scope. A fixed number of queries whatever the number of
projects and reports."""

import re

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate
from frappe.utils.pdf import get_pdf

from dangjian import pdf_fonts, rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import DRAFT
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.report.dangjian_branch_assessment.dangjian_branch_assessment import (
	WEIGHTS,
	get_data,
	implementation_ends,
	missing_quarters,
)
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import step_counts

TEMPLATE = "dangjian/templates/branch_year_pack.html"
LANG = "zh"
BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)
# A4 portrait whatever Print Settings say
PDF_OPTIONS = {
	"page-size": "A4",
	"orientation": "Portrait",
	"margin-top": "18mm",
	"margin-bottom": "18mm",
	"margin-left": "18mm",
	"margin-right": "18mm",
}

PROJECT_FIELDS = [
	"name",
	"project_name",
	"status",
	"topic_area",
	"lead_name",
	"lead_title",
	"applied_on",
	"is_late",
	"approved_on",
	"filing_number",
	"implementation_started_on",
	"completion_deadline",
	"acceptance_result",
	"accepted_on",
	"stars",
	"grade",
	"commended",
	"commendation",
	"top_ten",
]


@frappe.whitelist()
@frappe.read_only()
def get_branch_year_pack(branch: str, year: int | str) -> str:
	"""The HTML of the branch's year pack (述职材料)."""
	return frappe.render_template(TEMPLATE, get_pack_context(branch, year))


@frappe.whitelist()
def download_branch_year_pack(branch: str, year: int | str) -> None:
	"""The branch's year pack as an A4 PDF download."""
	html = get_branch_year_pack(branch, year)
	from dangjian.security import log_export

	log_export(
		report_name="Dangjian Branch Assessment",
		doctype="Party Organization",
		document=branch,
		filters={"branch": branch, "year": year},
		file_type="PDF",
	)
	frappe.local.response.filename = pack_filename(branch, year)
	# the fonts whose PDF text is the text typed (行, not the radical ⾏)
	pdf_fonts.activate()
	frappe.local.response.filecontent = get_pdf(html, dict(PDF_OPTIONS))
	frappe.local.response.type = "pdf"


def pack_filename(branch: str, year) -> str:
	# Frappe's PDF response mangles non-ASCII file names: keep it ASCII
	code = re.sub(r"[^A-Za-z0-9_-]+", "-", branch or "").strip("-") or "branch"
	return f"dangjian-branch-year-pack-{code}-{cint(year)}.pdf"


def zh(value: str | None, doctype: str) -> str:
	"""A Select value in Chinese, in its doctype's context."""
	return _(value, lang=LANG, context=doctype) if value else ""


def check_branch(branch: str, year: int) -> frappe._dict:
	if not branch or not year:
		frappe.throw(_("Choose a branch and a year."), title=_("Branch Year Pack"))
	# scope first: whether a branch outside it exists is not the user's business
	scope.ensure_in_scope(branch)
	org = frappe.db.get_value(
		"Party Organization",
		branch,
		["name", "organization_name", "organization_type", "approving_organization", "secretary"],
		as_dict=True,
	)
	if not org or org.organization_type not in BRANCH_TYPES:
		frappe.throw(
			_("{0} is not a party branch: the year pack is made for a branch.").format(frappe.bold(branch)),
			title=_("Branch Year Pack"),
		)
	frappe.has_permission("Party Organization", "read", doc=branch, throw=True)
	return org


def get_pack_context(branch: str, year) -> dict:
	year = cint(year)
	org = check_branch(branch, year)
	unit_name = (
		frappe.db.get_value("Party Organization", org.approving_organization, "organization_name")
		if org.approving_organization
		else ""
	)
	secretary_name = (
		frappe.db.get_value("User", org.secretary, "full_name") or org.secretary if org.secretary else ""
	)
	rows = get_data(frappe._dict(year=year, branch=branch))
	assessment = rows[0] if rows else None
	settings = get_settings()
	projects = frappe.get_all(
		"Dangjian Project",
		filters={"branch": branch, "year": year, "status": ("!=", DRAFT)},
		fields=PROJECT_FIELDS,
		order_by="name asc",
	)
	names = [p.name for p in projects]
	steps = step_counts(names) if names else {}
	reports = reports_by_project(names)
	acceptances = acceptances_by_project(names)
	left_on = implementation_ends(projects, [a for rows in acceptances.values() for a in rows])
	evaluations = evaluations_by_project(names)
	commendations = commendations_of([p.commendation for p in projects if p.commendation])
	today = getdate(nowdate())
	due_days = cint(settings.quarterly_report_due_days)
	for project in projects:
		done, total = steps.get(project.name, (0, 0))
		project.steps_done, project.steps_total = done, total
		project.status_label = zh(project.status, "Dangjian Project")
		project.topic_label = zh(project.topic_area, "Dangjian Project")
		project.grade_label = zh(project.grade, "Dangjian Project")
		project.acceptance_label = zh(project.acceptance_result, "Dangjian Acceptance")
		project.reports = reports.get(project.name, [])
		submitted = {(cint(r.year), cint(r.quarter)) for r in project.reports if r.submitted}
		project.missing_quarters = missing_quarters(
			project, submitted, today, due_days, left_on.get(project.name)
		)
		project.acceptances = acceptances.get(project.name, [])
		project.evaluation = evaluations.get(project.name)
		project.commendation_doc = commendations.get(project.commendation)
	return {
		"title": f"{org.organization_name or branch}{year}年度党建+项目述职材料",
		"branch": org,
		"branch_name": org.organization_name or branch,
		"unit_name": unit_name or "",
		"secretary_name": secretary_name or "",
		"year": year,
		"today": today,
		"minimum": cint(settings.min_projects_per_branch),
		"projects": projects,
		"assessment": assessment,
		"weights": WEIGHTS,
		"star_points": WEIGHTS["stars"] // 5,
	}


def reports_by_project(names: list[str]) -> dict[str, list]:
	if not names:
		return {}
	out: dict[str, list] = {}
	for row in frappe.get_all(
		"Dangjian Quarterly Report",
		filters={"project": ("in", names), "docstatus": ("<", 2)},
		fields=[
			"name",
			"project",
			"year",
			"quarter",
			"status",
			"due_date",
			"first_submitted_on",
			"is_late",
			"percent_complete",
			"reviewed_on",
		],
		order_by="year asc, quarter asc",
	):
		row.status_label = zh(row.status, "Dangjian Quarterly Report")
		row.submitted = bool(row.first_submitted_on)
		out.setdefault(row.project, []).append(row)
	return out


def acceptances_by_project(names: list[str]) -> dict[str, list]:
	if not names:
		return {}
	out: dict[str, list] = {}
	for row in frappe.get_all(
		"Dangjian Acceptance",
		filters={"project": ("in", names), "docstatus": ("<", 2)},
		fields=[
			"name",
			"project",
			"attempt_no",
			"status",
			"docstatus",
			"applied_on",
			"conclusion",
			"concluded_on",
		],
		order_by="attempt_no asc",
	):
		row.status_label = zh(row.status, "Dangjian Acceptance")
		out.setdefault(row.project, []).append(row)
	return out


def evaluations_by_project(names: list[str]) -> dict[str, frappe._dict]:
	if not names:
		return {}
	return {
		row.project: row
		for row in frappe.get_all(
			"Dangjian Evaluation",
			filters={"project": ("in", names), "docstatus": 1},
			fields=["project", "evaluation_date", "score_count", "satisfaction_rate", "weighted_total"],
		)
	}


def commendations_of(names: list[str]) -> dict[str, frappe._dict]:
	if not names:
		return {}
	return {
		row.name: row
		for row in frappe.get_all(
			"Dangjian Commendation",
			filters={"name": ("in", list(set(names)))},
			fields=["name", "document_number", "document_date"],
		)
	}
