"""What the documents hanging off a project (quarterly reports, acceptances, evaluations) share:
reading their project and noticing a workflow state change."""

import frappe
from frappe import _

PROJECT_FIELDS = ("project_name", "branch", "approving_organization", "status")


def load_project(doc, *extra_fields: str) -> frappe._dict:
	"""Copy the project's name, branch and approving organization onto ``doc`` and return the
	project's values (``PROJECT_FIELDS`` and ``extra_fields``)."""
	project = frappe.db.get_value(
		"Dangjian Project", doc.project, [*PROJECT_FIELDS, *extra_fields], as_dict=True
	)
	if not project:
		frappe.throw(_("Project {0} does not exist.").format(frappe.bold(doc.project)))
	doc.project_name = project.project_name
	doc.branch = project.branch
	doc.approving_organization = project.approving_organization
	return project


def status_transition(doc, initial: str = "Draft") -> tuple[str | None, str] | None:
	"""(old, new) workflow state when this save moves an existing document to another state,
	else None."""
	before = doc.get_doc_before_save()
	old = before.status if before else None
	new = doc.status or initial
	if doc.is_new() or old == new:
		return None
	return old, new
