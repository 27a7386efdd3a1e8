"""The site's Workflow documents are the one truth about states, transitions and who edits in
each state: the controllers and the ownership checks read them here (``dangjian.setup.workflow``
only creates them at install, and an administrator may change them in the desk)."""

from contextlib import contextmanager

import frappe
from frappe.model.workflow import apply_workflow, get_workflow_name


def get(doctype: str):
	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None


def state_field(doctype: str) -> str | None:
	workflow = get(doctype)
	return workflow.workflow_state_field if workflow else None


def states(doctype: str) -> list[str]:
	"""The Workflow's states in its order (none without a Workflow)."""
	workflow = get(doctype)
	return [row.state for row in workflow.states] if workflow else []


def first_state(doctype: str) -> str | None:
	workflow = get(doctype)
	return workflow.states[0].state if workflow and workflow.states else None


def editor(doctype: str, state: str | None) -> str | None:
	"""The role that edits a record in ``state`` (the Workflow's "Only Allow Edit For")."""
	workflow = get(doctype)
	return next((row.allow_edit for row in workflow.states if row.state == state), None) if workflow else None


def transitions(doctype: str) -> set[tuple[str, str]]:
	workflow = get(doctype)
	return {(row.state, row.next_state) for row in workflow.transitions} if workflow else set()


def doc_status(doctype: str, state: str | None) -> int | None:
	"""The docstatus a record has in ``state`` (0 draft, 1 submitted, 2 cancelled)."""
	workflow = get(doctype)
	row = next((row for row in workflow.states if row.state == state), None) if workflow else None
	return int(row.doc_status or 0) if row else None


def states_acted_on(doctype: str, roles) -> list[str]:
	"""The states in which one of ``roles`` has a move to make (a transition it is allowed), a
	cancellation aside: what waits for that user."""
	workflow = get(doctype)
	if not workflow:
		return []
	roles = set(roles)
	return sorted(
		{
			row.state
			for row in workflow.transitions
			if row.allowed in roles and doc_status(doctype, row.next_state) != 2
		}
	)


@contextmanager
def as_user(user: str):
	"""Act as ``user`` inside the block, then as whoever acted before (the demo's and the tests'
	helpers)."""
	before = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(before)


def act(doctype: str, name: str, action: str, user: str, **values):
	"""As the desk does for ``user``: save the values given, then take the workflow action; the
	document as it is afterwards. Fresh objects each time: Frappe renders a workflow e-mail's PDF
	with the saved object and leaves it flagged "in print", which makes a later save a no-op."""
	with as_user(user):
		if values:
			doc = frappe.get_doc(doctype, name)
			doc.update(values)
			doc.save()
		apply_workflow(frappe.get_doc(doctype, name), action)
		return frappe.get_doc(doctype, name)
