"""Visibility rules beyond Frappe's User Permissions, for records that point *above* a user's scope
and for files attached to the app's records.

- A commendation is the honour list of a unit (its party committee commends the unit's projects)
  and a Top Ten selection is the company's list: both link an organization that is an ancestor of
  a branch secretary's or a unit approver's positions, which Frappe's User Permission check would
  refuse. Their organization link has ``ignore_user_permissions`` and these hooks allow the record
  to a user whose positions lie below, at, or above that organization (the honour list of their
  own unit or company) and to nobody else.
- A private file attached to an app record is listed only to users who can read that record
  (Frappe's own File list filter shows every private file attached to any doctype the user can
  read at all). Public files and files attached to other apps' doctypes are left to Frappe.
"""

import frappe
from frappe.model.db_query import DatabaseQuery

from dangjian.doctypes import CHILD_DOCTYPES, SCOPED_DOCTYPES
from dangjian.scope import ORG, is_unrestricted

# doctype -> the field holding the organization whose honour list the record is
HONOUR_FIELDS = {
	"Dangjian Commendation": "unit",
	"Dangjian Top Ten Selection": "company",
	"Dangjian Notice": "organization",
}


def _overlapping_organizations(user: str) -> str:
	"""SQL: the organizations that are an ancestor of, equal to, or below one of the user's
	positions (their User Permissions on Party Organization)."""
	return f"""select o.name from `tab{ORG}` o
		join `tab{ORG}` p on (o.lft <= p.lft and p.rgt <= o.rgt) or (p.lft <= o.lft and o.rgt <= p.rgt)
		join `tabUser Permission` up on up.for_value = p.name and up.allow = {frappe.db.escape(ORG)}
		where up.user = {frappe.db.escape(user)}"""


def honour_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_unrestricted(user) or doctype not in HONOUR_FIELDS:
		return ""
	# (a user without a position matches nothing: the subquery is empty)
	field = HONOUR_FIELDS[doctype]
	return f"`tab{doctype}`.`{field}` in ({_overlapping_organizations(user)})"


def honour_has_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if is_unrestricted(user) or doc.doctype not in HONOUR_FIELDS:
		return None
	organization = doc.get(HONOUR_FIELDS[doc.doctype])
	if not organization:
		# a new record: Frappe's role permissions decide who may create one
		return None
	found = frappe.db.sql(
		f"select 1 from ({_overlapping_organizations(user)}) x where x.name = %s limit 1", organization
	)
	return None if found else False


def file_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Private files attached to an app record: only those of records the user can read (by role,
	User Permissions and the app's own hooks), or that the user uploaded."""
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	app_doctypes = ", ".join(frappe.db.escape(dt) for dt in SCOPED_DOCTYPES)
	readable = []
	for dt in SCOPED_DOCTYPES:
		records = readable_records(dt, user)
		if records:
			readable.append(
				f"(`tabFile`.attached_to_doctype = {frappe.db.escape(dt)} and `tabFile`.attached_to_name in ({records}))"
			)
	return (
		"(`tabFile`.is_private = 0"
		" or ifnull(`tabFile`.attached_to_doctype, '') = ''"
		f" or `tabFile`.attached_to_doctype not in ({app_doctypes})"
		f" or `tabFile`.owner = {frappe.db.escape(user)}" + "".join(f" or {r}" for r in readable) + ")"
	)


def readable_records(doctype: str, user: str) -> str | None:
	"""SQL selecting the names of the ``doctype`` records ``user`` may read (by role, User
	Permissions and the app's own hooks, as Frappe's list does), or None when they may read none."""
	if not frappe.has_permission(doctype, "read", user=user):
		return None
	conditions = DatabaseQuery(doctype, user=user).build_match_conditions(as_condition=True)
	return f"select `tab{doctype}`.name from `tab{doctype}`" + (f" where {conditions}" if conditions else "")


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Rows of an app child table (team members, plan steps, members of an organization...) are
	listed only where their parent record is readable: Frappe checks only the parent doctype's
	permission for child rows, not the parent record's."""
	user = user or frappe.session.user
	if is_unrestricted(user):
		return ""
	parent = CHILD_DOCTYPES[doctype]
	records = readable_records(parent, user)
	if not records:
		return "1=0"
	return (
		f"(`tab{doctype}`.parenttype = {frappe.db.escape(parent)} and `tab{doctype}`.parent in ({records}))"
	)


@frappe.whitelist()
@frappe.read_only()
def get_count(doctype, filters=None, debug=False, cache=False):
	"""``frappe.client.get_count`` for the app's doctypes counts only what the user may list (a
	count must not confirm a record the user cannot read); other doctypes go to Frappe's own."""
	from frappe.client import get_count as frappe_get_count

	from dangjian.doctypes import APP_DOCTYPES

	if doctype not in APP_DOCTYPES:
		return frappe_get_count(doctype, filters=filters, debug=debug, cache=cache)
	from frappe.client import get_safe_filters

	parent = CHILD_DOCTYPES.get(doctype)
	return frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(`tab{doctype}`.name) as total_count"],
		order_by=None,
		parent_doctype=parent,
	)[0].get("total_count")
