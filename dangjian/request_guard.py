"""A document of the app's sent to the server must have the shape of one: each table a list of
rows, each row an object of values. Frappe builds the document before any validation and answers
a table sent as text (or a row that is not an object) with a server error; this ``before_request``
hook refuses it first, with a message naming the field. Other apps' doctypes are left alone."""

import json
from urllib.parse import unquote

import frappe
from frappe import _

from dangjian.doctypes import APP_DOCTYPES

DOC_METHODS = {
	"frappe.client.insert": "doc",
	"frappe.client.save": "doc",
	"frappe.client.submit": "doc",
	"frappe.client.insert_many": "docs",
	"frappe.desk.form.save.savedocs": "doc",
	"frappe.model.workflow.apply_workflow": "doc",
	"run_doc_method": "docs",
}


def before_request():
	request = getattr(frappe.local, "request", None)
	if not request or request.method not in ("POST", "PUT", "PATCH"):
		return
	for doctype, doc in sent_documents(request.path, frappe.local.form_dict):
		if doctype in APP_DOCTYPES:
			check_shape(doctype, doc)


def sent_documents(path: str, form: dict) -> list[tuple[str, dict]]:
	"""(doctype, values) of each document the request sends, as far as its shape can be read."""
	parts = [unquote(p) for p in path.split("/") if p]
	if len(parts) >= 3 and parts[0] == "api" and parts[1] in ("resource", "v1") and parts[-1] != "resource":
		if parts[1] == "v1":
			parts = parts[1:]
		doctype = parts[2] if len(parts) > 2 else None
		data = form.get("data", form)
		return [(doctype, parse(data))] if doctype else []
	if len(parts) == 3 and parts[:2] == ["api", "method"] and parts[2] in DOC_METHODS:
		raw = form.get(DOC_METHODS[parts[2]])
		docs = parse(raw)
		docs = docs if isinstance(docs, list) else [docs]
		return [(d.get("doctype"), d) for d in docs if isinstance(d, dict)]
	return []


def parse(value):
	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			return value
	return value


def check_shape(doctype: str, doc) -> None:
	if not isinstance(doc, dict):
		return
	meta = frappe.get_meta(doctype)
	for df in meta.get_table_fields():
		rows = doc.get(df.fieldname)
		if rows is None:
			continue
		if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
			frappe.throw(
				_("{0} must be a list of rows, each with its fields and values.").format(
					frappe.bold(_(df.label, context=doctype))
				),
				title=_("Invalid Value"),
			)
		for row in rows:
			check_shape(df.options, row)
