"""典型经验库: the exemplary and Top Ten projects, company-wide, for logged-in users of the
app — the promotion (推广) the scheme asks for. Nothing of a project that has not been
evaluated appears; a guest is sent to log in. Searchable by year, unit and topic (the page's
query string). The evidence files of the projects and of their passed acceptance, private ones
included, are served by ``evidence`` to the users who may see the library — and only those files:
a user's own scope would refuse another unit's private file."""

from urllib.parse import urlencode

import frappe
from frappe import _

from dangjian import scope

no_cache = 1
PROJECT = "Dangjian Project"
EVIDENCE_DOCTYPES = (PROJECT, "Dangjian Acceptance")

PROJECT_FIELDS = [
	"name",
	"project_name",
	"year",
	"topic_area",
	"branch_name",
	"approving_organization",
	"stars",
	"grade",
	"top_ten",
	"innovation_goals",
	"innovation_measures",
	"plan_measures",
	"expected_effect",
]


@frappe.read_only()
def get_context(context):
	user = frappe.session.user
	if user == "Guest":
		# to the login page, and back here afterwards
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": "/dangjian-library"})
		raise frappe.Redirect
	if not may_see_library(user):
		frappe.throw(
			_("The experience library is for the users of the 党建+ scheme."), frappe.PermissionError
		)
	context.no_cache = 1
	context.title = _("Experience Library")
	projects = library_projects()
	search = frappe._dict(
		year=frappe.form_dict.get("year") or "",
		unit=frappe.form_dict.get("unit") or "",
		topic=frappe.form_dict.get("topic") or "",
	)
	context.search = search
	context.years = sorted({str(p.year) for p in projects}, reverse=True)
	context.units = sorted(
		{(p.approving_organization, p.unit_name) for p in projects if p.approving_organization}
	)
	context.topics = [
		(t, _(t, context=PROJECT)) for t in sorted({p.topic_area for p in projects if p.topic_area})
	]
	context.projects = [
		p
		for p in projects
		if (not search.year or str(p.year) == str(search.year))
		and (not search.unit or p.approving_organization == search.unit)
		and (not search.topic or p.topic_area == search.topic)
	]
	context.total = len(projects)
	return context


def may_see_library(user: str) -> bool:
	"""System Managers, and users of the app who hold a position somewhere (an app role with no
	scope sees nothing anywhere in the app, this page included)."""
	if scope.is_unrestricted(user):
		return True
	return bool(set(frappe.get_roles(user)) & set(scope.APP_ROLES)) and not scope.has_no_scope(user)


def library_projects() -> list[dict]:
	projects = frappe.get_all(
		"Dangjian Project",
		filters={"status": "Evaluated"},
		or_filters={"grade": "Exemplary", "top_ten": 1},
		fields=PROJECT_FIELDS,
		order_by="year desc, top_ten desc, stars desc, name asc",
	)
	if not projects:
		return []
	names = [p.name for p in projects]
	units = dict(
		frappe.get_all(
			"Party Organization",
			filters={"name": ("in", list({p.approving_organization for p in projects}))},
			fields=["name", "organization_name"],
			as_list=True,
		)
	)
	reports = {
		row.project: row
		for row in frappe.get_all(
			"Dangjian Acceptance",
			filters={"project": ("in", names), "status": "Passed", "docstatus": 1},
			fields=["project", "name", "summary_report", "acceptance_report"],
		)
	}
	adoptions: dict[str, list] = {}
	for row in frappe.get_all(
		"Dangjian Project Adoption",
		filters={"parent": ("in", names), "parenttype": "Dangjian Project"},
		fields=["parent", "adopted_by", "adopted_on", "institutional_document"],
		order_by="idx",
	):
		adoptions.setdefault(row.parent, []).append(row)
	evidence: dict[str, list] = {}
	acceptance_names = [r.name for r in reports.values()]
	for row in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": ("in", EVIDENCE_DOCTYPES),
			"attached_to_name": ("in", names + acceptance_names),
		},
		fields=["name", "attached_to_name", "file_name", "file_url"],
		order_by="creation asc",
	):
		evidence.setdefault(row.attached_to_name, []).append(row)
	by_acceptance = {r.name: r.project for r in reports.values()}
	for project in projects:
		project.unit_name = units.get(project.approving_organization, "")
		project.acceptance = reports.get(project.name)
		project.adoptions = adoptions.get(project.name, [])
		acceptance = project.acceptance.name if project.acceptance else None
		project.evidence = evidence.get(project.name, []) + [
			f
			for name, files in evidence.items()
			if by_acceptance.get(name) == project.name and name == acceptance
			for f in files
		]
	return projects


def library_files(projects: list[dict] | None = None) -> set[str]:
	"""The File names the library shows (and ``evidence`` serves)."""
	projects = library_projects() if projects is None else projects
	return {f.name for p in projects for f in p.evidence}


@frappe.whitelist()
def evidence(file: str):
	"""An evidence file of a library project, public or private, to a user who may see the
	library (as the page links it); any other file is refused."""
	user = frappe.session.user
	if user == "Guest" or not may_see_library(user):
		raise frappe.PermissionError(_("The experience library is for the users of the 党建+ scheme."))
	if not isinstance(file, str) or file not in library_files():
		raise frappe.PermissionError(_("This file is not in the experience library."))
	doc = frappe.get_doc("File", file)
	frappe.local.response.filename = doc.file_name
	frappe.local.response.filecontent = doc.get_content()
	frappe.local.response.type = "download"
