"""/dangjian-action: the page a workflow e-mail's action links to (dangjian.workflow_email). It
asks for the opinion or reason the action needs; the form posts to
``dangjian.workflow_email.act``. No login is needed: the signed link is the credential, as in
Frappe's own workflow e-mails, and it stops working when the document leaves the state."""

import frappe

from dangjian.workflow_email import page_context

no_cache = 1


def get_context(context):
	query = frappe.safe_decode(getattr(frappe.request, "query_string", b"") or b"")
	context.update(page_context(query))
	context.no_cache = 1
	context.show_sidebar = False
	return context
