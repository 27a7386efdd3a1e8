# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Writing an import's records, and taking them away again.

A project is written at the state its ledger shows, as a record of what happened before the app:
not through the workflow (whose first state is a draft, and whose steps would claim to have been
taken in the app by whoever imports), and without a Version or a Workflow comment. Its derived
fields are set as the controller sets them (branch name, approving unit, 三办), its dates,
lateness, acceptance, stars, grade, commendation and Top Ten as the ledger has them, and it
carries its batch, source file, row and reference; who imported and when are the batch's. A
quarterly report is written likewise (a reviewed one submitted), marked with its batch and row.
Once written, each is a record like any other: a new quarterly report, an acceptance, an
evaluation go through the app's own steps.

Undoing takes away exactly the batch's records, and only while nobody has added to them: a
record of the app that refers to an imported project (a quarterly report, an acceptance, an
evaluation, a spot check, a commendation or Top Ten row, an exchange activity, a comment, a
file, an assignment) or a change to an imported record after its import stops it, naming
them."""

import frappe
from frappe import _
from frappe.utils import get_datetime

from dangjian import ownership
from dangjian.dangjian.doctype.dangjian_ledger_import import layout

PROGRESS_EVERY = 200
# what a later step leaves on a record besides a link to it: doctype -> (its reference fields)
TRACES = {
	"Comment": ("reference_doctype", "reference_name"),
	"File": ("attached_to_doctype", "attached_to_name"),
	"ToDo": ("reference_type", "reference_name"),
	"Version": ("ref_doctype", "docname"),
}


def insert_directly(doc) -> None:
	"""Insert ``doc`` as ``Document.insert`` does, without its controller, its workflow or its
	hooks: named by its naming series, stamped with the importing user and the time."""
	doc.set("__islocal", True)
	doc._set_defaults()
	doc.set_user_and_timestamp()
	doc.set_docstatus()
	doc.set_new_name()
	doc.set_parent_in_children()
	doc._validate_length()
	doc._validate_selects()
	ownership.check_types(doc)
	doc.db_insert()
	for child in doc.get_all_children():
		child.db_insert()


def write(batch, plan, progress=None) -> tuple[int, int]:
	"""The plan's projects and quarterly reports, in file order; (projects, reports) written."""
	total = len(plan.projects) + len(plan.reports) or 1
	done = 0
	source = batch.file_name
	names: dict[str, frappe._dict] = {}
	for project in plan.projects:
		values = dict(project.fields)
		values.update(ledger_import=batch.name, import_source_file=source)
		doc = frappe.get_doc(values)
		# 三办 as the controller sets them: the approving unit leads and supervises
		doc.set_three_offices()
		insert_directly(doc)
		names[project.ref] = frappe._dict(
			name=doc.name,
			project_name=doc.project_name,
			branch=doc.branch,
			approving_organization=doc.approving_organization,
		)
		done += 1
		if progress and done % PROGRESS_EVERY == 0:
			progress(done, total)
	for report in plan.reports:
		project = names[report.ref]
		values = dict(report.fields)
		values.update(
			ledger_import=batch.name,
			project=project.name,
			project_name=project.project_name,
			branch=project.branch,
			approving_organization=project.approving_organization,
			docstatus=1 if values["status"] == "Reviewed" else 0,
		)
		values["unique_key"] = f"{project.name}:{values['year']}:Q{values['quarter']}"
		insert_directly(frappe.get_doc(values))
		done += 1
		if progress and done % PROGRESS_EVERY == 0:
			progress(done, total)
	return len(plan.projects), len(plan.reports)


# --- undo ---------------------------------------------------------------------------------------


def batch_records(batch_name: str) -> tuple[list[str], list[str]]:
	projects = frappe.get_all(layout.PROJECT, filters={"ledger_import": batch_name}, pluck="name")
	reports = frappe.get_all(layout.QUARTERLY_REPORT, filters={"ledger_import": batch_name}, pluck="name")
	return projects, reports


def project_links() -> list[tuple[str, str]]:
	"""(doctype, field) of every link to a project, child tables included."""
	links = frappe.get_all(
		"DocField",
		filters={"fieldtype": "Link", "options": layout.PROJECT},
		fields=["parent", "fieldname"],
	)
	links += frappe.get_all(
		"Custom Field",
		filters={"fieldtype": "Link", "options": layout.PROJECT},
		fields=["dt as parent", "fieldname"],
	)
	return sorted(
		{
			(row.parent, row.fieldname)
			for row in links
			if not frappe.get_meta(row.parent).issingle and frappe.db.table_exists(row.parent)
		}
	)


def later_work(batch, limit: int = 20) -> list[str]:
	"""What was added to the batch's records after the import, in words (empty: nothing)."""
	projects, reports = batch_records(batch.name)
	if not projects:
		return []
	found: list[str] = []
	own = set(reports)
	imported_on = get_datetime(batch.imported_on)
	for doctype, fieldname in project_links():
		meta = frappe.get_meta(doctype)
		fields = ["name", fieldname]
		if meta.istable:
			fields += ["parent", "parenttype"]
		for row in frappe.get_all(
			doctype, filters={fieldname: ("in", projects)}, fields=fields, limit=limit + 1
		):
			if doctype == layout.QUARTERLY_REPORT and row.name in own:
				continue
			record = (row.parenttype, row.parent) if meta.istable else (doctype, row.name)
			found.append(
				_("{0} {1} refers to the imported project {2}").format(
					_(record[0]), record[1], row.get(fieldname)
				)
			)
	for doctype, names in ((layout.PROJECT, projects), (layout.QUARTERLY_REPORT, reports)):
		if not names:
			continue
		for row in frappe.get_all(
			doctype,
			filters={"name": ("in", names), "modified": (">", imported_on)},
			fields=["name", "modified_by"],
			limit=limit + 1,
		):
			found.append(
				_("{0} {1} was changed after the import by {2}").format(
					_(doctype), row.name, frappe.utils.get_fullname(row.modified_by)
				)
			)
		for trace, (doctype_field, name_field) in TRACES.items():
			for row in frappe.get_all(
				trace,
				filters={doctype_field: doctype, name_field: ("in", names)},
				fields=["name", f"{name_field} as record"],
				limit=limit + 1,
			):
				found.append(_("{0} {1} was added to {2}").format(_(trace), row.name, row.record))
		if len(found) > limit:
			break
	return found[: limit + 1]


def remove(batch) -> tuple[int, int]:
	"""Delete the batch's records (their rows and child rows); (projects, reports) removed."""
	projects, reports = batch_records(batch.name)
	for doctype, names in ((layout.QUARTERLY_REPORT, reports), (layout.PROJECT, projects)):
		if not names:
			continue
		for child in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(child.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
	return len(projects), len(reports)
