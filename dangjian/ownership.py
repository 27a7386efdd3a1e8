"""Who may set each field of the app's records, in which state, through every door.

One mechanism for every app doctype, run on the server before the controller's own ``validate``
(a ``before_validate`` hook), so that it holds for the desk, the REST API, ``frappe.client.*``,
Data Import and workflow actions alike:

1. **Typed values.** Dates, numbers, yes/no fields and tables must hold what their type says;
   anything else is refused with a message naming the field (never a database error). A number
   typed as text is checked after the controller, whose own message (a score "must be a number
   from 0 to 100") comes first.
2. **System fields.** A field marked ``read_only`` in the doctype JSON is the system's: the
   workflow, a linked document or the controller sets it. A user's save that changes it, or a new
   record that gives it anything but its default, is refused, naming the field. Sending back the
   stored value unchanged (as the desk's form does) is not a change. Exceptions: the workflow
   state field (moved only along the workflow's transitions, which Frappe and the controllers
   check), ``fetch_from`` fields (Frappe fetches them again from the link on every save),
   ``amended_from`` (Frappe checks it) and the ``DERIVED`` fields below.
3. **Whose field.** ``OWNERS`` names, per doctype, the roles that write its fields: the record's
   authors (the branch) and, field by field, the judges (the department, the committee). A user
   who holds none of a field's roles may not change it.
4. **Whose state.** In each workflow state only the state's editing role (the Workflow's "Only
   Allow Edit For", read from the site's Workflow, the one truth) changes the record; others may
   only move it along a transition.
5. **Links in scope.** A changed link to a scoped record (a project, an organization) must be one
   the user can read.
6. **Delete.** A record that has left its workflow's first state is on record: nobody but
   Administrator deletes it (it is returned, cancelled or withdrawn, and kept).

What is not a user's write: Administrator, and the app's own code, which saves with
``ignore_permissions`` (a flag a request cannot set) or writes with ``db_set``.
"""

import datetime
import json

import frappe
from frappe import _
from frappe.model import default_fields, no_value_fields
from frappe.utils import cint, flt, getdate

from dangjian import scope, workflows

BRANCH = (scope.ROLE_BRANCH_SECRETARY,)
APPROVER = (scope.ROLE_APPROVER,)
COMMITTEE = (scope.ROLE_PARTY_COMMITTEE,)

# doctype -> (the roles that author the record, {field: the roles that write it instead})
OWNERS: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
	"Dangjian Project": (
		BRANCH,
		{
			# the department reviews (and accepts a late application); the committee approves
			"late_acceptance_reason": APPROVER,
			"review_opinion": APPROVER,
			"committee_opinion": COMMITTEE,
			"return_reason": APPROVER + COMMITTEE,
			# roll-out of an exemplary project to other organizations: recorded by the department
			"adoptions": APPROVER + (scope.ROLE_ADMINISTRATOR,),
		},
	),
	"Dangjian Quarterly Report": (
		BRANCH,
		{"supervision_comment": APPROVER, "return_reason": APPROVER},
	),
	"Dangjian Acceptance": (
		BRANCH,
		{
			field: APPROVER
			for field in (
				"group_members",
				"method_hearing",
				"hearing_notes",
				"method_visit",
				"visit_notes",
				"method_materials",
				"materials_notes",
				"findings",
				"conclusion",
				"acceptance_report",
				"assisting_party",
				"assistance_measures",
				"reacceptance_date",
				"adjustment_notes",
				"return_reason",
			)
		},
	),
}

# Read-only fields of child rows that a form helper fills from the linked record and the
# controller sets again from it on every save: what the user sends there is never stored.
DERIVED: dict[str, frozenset[str]] = {
	"Dangjian Commendation Project": frozenset(
		("project_name", "branch_name", "stars", "grade", "exemplary")
	),
	"Dangjian Top Ten Candidate": frozenset(
		("project_name", "branch", "branch_name", "unit", "stars", "accepted_on")
		+ ("average_score", "judges", "rank", "selected")
	),
	"Dangjian Top Ten Score": frozenset(("judge_name", "recused", "weighted")),
	"Dangjian Acceptance Self Check": frozenset(("plan_step", "step_idx")),
	"Dangjian Quarterly Report Step": frozenset(("plan_step", "step_idx")),
}
ALWAYS_ALLOWED = frozenset(("amended_from",))

DATE_TYPES = ("Date", "Datetime")
INT_TYPES = ("Int", "Check")
FLOAT_TYPES = ("Float", "Currency", "Percent")


class FieldNotYours(frappe.PermissionError):
	pass


# --- the hooks ---------------------------------------------------------------------------------


def before_validate(doc, method=None):
	"""doc_events hook: typed values always; ownership for a user's write."""
	# numbers typed as text are left to the controller's own message first (validate below)
	check_types(doc, number_text=False)
	if is_system_write(doc):
		return
	before = doc.get_doc_before_save()
	check_stored_in_scope(doc, before)
	base = before or frappe.new_doc(doc.doctype)
	state_field = workflows.state_field(doc.doctype)
	changed = changed_fields(doc, base, skip=state_field)
	if doc.is_new():
		check_initial_state(doc, state_field)
	elif state_field:
		if changed:
			check_state_editor(doc, before, state_field, changed)
		check_state_docstatus(doc, before, state_field)
	for fieldname in changed:
		check_field_owner(doc, fieldname)
	check_links_in_scope(doc, base, changed)


def check_stored_in_scope(doc, before) -> None:
	"""A write is checked against the record as stored too: Frappe checks a save against the
	record as changed, so without this a user could take another branch's record into their own
	scope (its branch changed to theirs) without ever being able to read it."""
	if before is None or frappe.has_permission(doc.doctype, "read", doc=before):
		return
	frappe.throw(
		_("{0} {1} is outside your scope: you cannot change it.").format(
			_(doc.doctype), frappe.bold(doc.name)
		),
		frappe.PermissionError,
		title=_("Outside Your Scope"),
	)


def before_update_after_submit(doc, method=None):
	"""doc_events hook: the fields a submitted record still lets Frappe change (its workflow
	state, who reviewed it) are the system's too; Frappe runs no before_validate for them."""
	before_validate(doc, method)


def validate(doc, method=None):
	"""doc_events hook, after the controller's validate: a number typed as text that no
	controller message caught ("twelve" in an attendance count) is refused, never stored as 0."""
	check_types(doc)


def on_trash(doc, method=None):
	"""doc_events hook: a record that has left its workflow's first state is kept."""
	if frappe.session.user == "Administrator" or frappe.flags.in_uninstall:
		return
	state_field = workflows.state_field(doc.doctype)
	if not state_field:
		return
	first = workflows.first_state(doc.doctype)
	state = doc.get(state_field)
	if doc.docstatus != 0 or (state and state != first):
		frappe.throw(
			_("{0} {1} is {2}: it is on record and cannot be deleted.").format(
				_(doc.doctype),
				frappe.bold(doc.name),
				frappe.bold(_(state or "Submitted", context=doc.doctype)),
			),
			frappe.PermissionError,
			title=_("Cannot Delete"),
		)


def is_system_write(doc) -> bool:
	return bool(
		frappe.session.user == "Administrator"
		or doc.flags.ignore_permissions
		or frappe.flags.in_install
		or frappe.flags.in_migrate
		or frappe.flags.in_patch
	)


# --- 1. typed values ---------------------------------------------------------------------------


def check_types(doc, number_text: bool = True) -> None:
	for row in (doc, *doc.get_all_children()):
		for df in row.meta.fields:
			if df.fieldtype in no_value_fields and df.fieldtype != "Table":
				continue
			value = row.get(df.fieldname)
			if value in (None, ""):
				continue
			if not number_text and isinstance(value, str) and df.fieldtype in INT_TYPES + FLOAT_TYPES:
				continue
			problem = type_problem(df.fieldtype, value)
			if problem:
				refuse_type(doc, row, df, value, problem)


def type_problem(fieldtype: str, value) -> str | None:
	"""Why ``value`` cannot be stored in a field of ``fieldtype`` (None when it can)."""
	if fieldtype in DATE_TYPES:
		if isinstance(value, datetime.date):
			return None
		if not isinstance(value, str):
			return "date"
		# (parsed here, not with frappe's getdate, which would also leave its own message behind)
		from dateutil import parser

		try:
			parser.parse(value)
		except (ValueError, OverflowError):
			return "date"
		return None
	if fieldtype in INT_TYPES or fieldtype in FLOAT_TYPES:
		if isinstance(value, bool):
			# yes/no is a Check's own value; a number is not a yes/no
			return None if fieldtype == "Check" else "number"
		if isinstance(value, int | float):
			if fieldtype == "Check" and value not in (0, 1):
				return "check"
			return None
		if isinstance(value, str):
			try:
				number = float(value.replace(",", "")) if fieldtype in FLOAT_TYPES else int(value)
			except ValueError:
				return "check" if fieldtype == "Check" else "number"
			if fieldtype == "Check" and number not in (0, 1):
				return "check"
			return None
		return "check" if fieldtype == "Check" else "number"
	if fieldtype in ("Data", "Small Text", "Text", "Text Editor", "Long Text", "Select", "Link", "Attach"):
		if isinstance(value, dict | list):
			return "text"
	return None


def refuse_type(doc, row, df, value, problem: str) -> None:
	label = field_label(row, df.fieldname)
	shown = frappe.bold(json.dumps(value, ensure_ascii=False, default=str)[:80])
	messages = {
		"date": _("{0}: {1} is not a date; enter a date such as 2026-04-30."),
		"number": _("{0}: {1} is not a number."),
		"check": _("{0}: {1} is not a yes/no value; send 1 or 0."),
		"text": _("{0}: {1} is not text."),
	}
	frappe.throw(messages[problem].format(label, shown), title=_("Invalid Value"))


def field_label(row, fieldname: str) -> str:
	label = frappe.bold(_(row.meta.get_label(fieldname), context=row.doctype))
	if row.get("parentfield"):
		return _("{0} row {1}").format(frappe.bold(_(row.meta.name)), row.idx) + " " + label
	return label


# --- 2 and 3. who sets each field --------------------------------------------------------------


def comparable(df, value):
	if df.fieldtype in INT_TYPES:
		return cint(value)
	if df.fieldtype in FLOAT_TYPES:
		return flt(value, 6)
	if df.fieldtype == "Date":
		return str(getdate(value)) if value else ""
	if df.fieldtype == "Datetime":
		return str(frappe.utils.get_datetime(value)) if value else ""
	return "" if value is None else str(value)


def changed_fields(doc, base, skip: str | None = None) -> list[str]:
	"""The fields (tables included) whose value this save changes, compared with the stored
	record, or for a new record with its defaults; a system field changed inside a table row is
	refused here, naming the row."""
	changed = []
	for df in doc.meta.fields:
		if df.fieldname == skip or (df.fieldtype in no_value_fields and df.fieldtype != "Table"):
			continue
		if df.fieldtype in ("Table", "Table MultiSelect"):
			if rows_changed(doc, base, df):
				changed.append(df.fieldname)
		elif comparable(df, doc.get(df.fieldname)) != comparable(df, base.get(df.fieldname)):
			changed.append(df.fieldname)
	return changed


def rows_changed(doc, base, df) -> bool:
	stored = {row.name: row for row in base.get(df.fieldname) or [] if row.name}
	meta = frappe.get_meta(df.options)
	sent = doc.get(df.fieldname) or []
	changed = len(sent) != len(stored)
	new_row = None
	for row in sent:
		old = stored.get(row.name) if row.name else None
		if not old:
			# a new row is compared with a row as Frappe makes it (its defaults)
			new_row = new_row or frappe.new_doc(df.options, parent_doc=doc, parentfield=df.fieldname)
			old = new_row
		for child_df in meta.fields:
			if child_df.fieldtype in no_value_fields or child_df.fieldname in default_fields:
				continue
			new_value = comparable(child_df, row.get(child_df.fieldname))
			old_value = comparable(child_df, old.get(child_df.fieldname))
			if new_value == old_value:
				continue
			changed = True
			if is_system_field(meta, child_df):
				refuse_system_field(row, child_df.fieldname)
	return changed


def is_system_field(meta, df) -> bool:
	return bool(
		df.read_only
		and not df.fetch_from
		and df.fieldname not in ALWAYS_ALLOWED
		and df.fieldname not in DERIVED.get(meta.name, ())
	)


def refuse_system_field(row, fieldname: str) -> None:
	frappe.throw(
		_("{0} is set by the system (the workflow, a linked document or the app), not by hand.").format(
			field_label(row, fieldname)
		),
		FieldNotYours,
		title=_("Not Yours to Change"),
	)


def check_field_owner(doc, fieldname: str) -> None:
	df = doc.meta.get_field(fieldname)
	if df.fieldtype not in ("Table", "Table MultiSelect") and is_system_field(doc.meta, df):
		refuse_system_field(doc, fieldname)
	if doc.doctype not in OWNERS:
		return
	authors, fields = OWNERS[doc.doctype]
	owners = fields.get(fieldname, authors)
	if set(owners) & set(frappe.get_roles()):
		return
	frappe.throw(
		_("{0} is written by {1}; you cannot change it.").format(
			field_label(doc, fieldname), " / ".join(frappe.bold(_(role)) for role in owners)
		),
		FieldNotYours,
		title=_("Not Yours to Change"),
	)


# --- 4. whose state ----------------------------------------------------------------------------


def check_initial_state(doc, state_field: str | None) -> None:
	if not state_field:
		return
	state, first = doc.get(state_field), workflows.first_state(doc.doctype)
	if state and state != first:
		frappe.throw(
			_("A new {0} starts as {1}, not {2}.").format(
				_(doc.doctype),
				frappe.bold(_(first, context=doc.doctype)),
				frappe.bold(_(state, context=doc.doctype)),
			),
			FieldNotYours,
			title=_("Invalid Status"),
		)


def check_state_docstatus(doc, before, state_field: str) -> None:
	"""A state is entered only as the Workflow says: a submitted state by submitting, a cancelled
	one by cancelling (the workflow action does both). A state sent by hand that the record's
	docstatus does not match (a reviewed report set to Cancelled and left submitted) is refused."""
	state = doc.get(state_field)
	if not before or state == before.get(state_field):
		return
	expected = workflows.doc_status(doc.doctype, state)
	if expected is not None and expected != doc.docstatus:
		frappe.throw(
			_("{0} cannot be set to {1} this way: use the workflow action.").format(
				frappe.bold(doc.name), frappe.bold(_(state, context=doc.doctype))
			),
			FieldNotYours,
			title=_("Invalid Status"),
		)


def check_state_editor(doc, before, state_field: str, changed: list[str]) -> None:
	"""What the record says while it is in a state is changed by that state's editor only."""
	state = before.get(state_field) if before else None
	editor = workflows.editor(doc.doctype, state)
	if not editor or editor in frappe.get_roles():
		return
	frappe.throw(
		_("While {0} is {1}, only {2} changes it (you changed {3}).").format(
			frappe.bold(doc.name),
			frappe.bold(_(state, context=doc.doctype)),
			frappe.bold(_(editor)),
			", ".join(field_label(doc, field) for field in changed[:5]),
		),
		FieldNotYours,
		title=_("Not Yours to Change"),
	)


# --- 5. links in scope -------------------------------------------------------------------------


def check_links_in_scope(doc, base, changed: list[str]) -> None:
	"""A link the user sets (on the record or in its rows) to a record they cannot read is
	refused: nobody writes a project or an organization outside their scope into their own
	record."""
	from dangjian.doctypes import SCOPED_DOCTYPES

	def check(row, df, value):
		# (a fetched or system-set link is the app's, not the user's)
		if df.read_only or df.fetch_from or df.options not in SCOPED_DOCTYPES or not value:
			return
		if not frappe.db.exists(df.options, value):
			return  # Frappe's link check (or the controller) says it does not exist
		if not frappe.has_permission(df.options, "read", value):
			frappe.throw(
				_("{0}: {1} is outside your scope.").format(
					field_label(row, df.fieldname), frappe.bold(value)
				),
				frappe.PermissionError,
				title=_("Outside Your Scope"),
			)

	for fieldname in changed:
		df = doc.meta.get_field(fieldname)
		if df.fieldtype == "Link":
			check(doc, df, doc.get(fieldname))
		elif df.fieldtype in ("Table", "Table MultiSelect"):
			stored = {row.name: row for row in base.get(fieldname) or [] if row.name}
			for row in doc.get(fieldname) or []:
				old = stored.get(row.name)
				for child_df in row.meta.get_link_fields():
					value = row.get(child_df.fieldname)
					if not old or old.get(child_df.fieldname) != value:
						check(row, child_df, value)
