"""Who sees what: a user's scope is the set of Party Organizations they hold a position in,
recorded as Frappe's own User Permissions on Party Organization (a unit's permission covers
everything below it, because Party Organization is a tree).

Positions come from the organization records: the ``secretary`` field and each members row
with a user. Saving an organization grants the User Permission and the matching app role to
each user who holds a position there, and takes them away from a user who no longer does
(a role only when no other organization still gives it).

Frappe fails open: a user with no User Permission on a doctype sees every record of it. The
permission hooks here close that gap: a user with an app role but no scope sees nothing.
"""

import frappe
from frappe import _

from dangjian import rules

ORG = "Party Organization"

ROLE_BRANCH_SECRETARY = "Dangjian Branch Secretary"
ROLE_BRANCH_MEMBER = "Dangjian Branch Member"
ROLE_APPROVER = "Dangjian Approver"
ROLE_PARTY_COMMITTEE = "Dangjian Party Committee"
ROLE_EVALUATOR = "Dangjian Evaluator"
ROLE_ADMINISTRATOR = "Dangjian Administrator"

APP_ROLES = (
	ROLE_BRANCH_SECRETARY,
	ROLE_BRANCH_MEMBER,
	ROLE_APPROVER,
	ROLE_PARTY_COMMITTEE,
	ROLE_EVALUATOR,
	ROLE_ADMINISTRATOR,
)

# users who see everything whatever their User Permissions
UNRESTRICTED_ROLES = ("System Manager",)

DUTY_ROLES = {
	"Member": ROLE_BRANCH_MEMBER,
	"Approver": ROLE_APPROVER,
	"Party Committee": ROLE_PARTY_COMMITTEE,
	"Evaluator": ROLE_EVALUATOR,
	"Administrator": ROLE_ADMINISTRATOR,
}

SECRETARY_ROLES = {
	rules.BRANCH: ROLE_BRANCH_SECRETARY,
	rules.GENERAL_BRANCH: ROLE_BRANCH_SECRETARY,
	rules.UNIT: ROLE_PARTY_COMMITTEE,
	rules.COMPANY: ROLE_ADMINISTRATOR,
}

# the organization types a duty can be held in
DUTY_TYPES = {
	"Member": (rules.BRANCH, rules.GENERAL_BRANCH),
	"Approver": (rules.UNIT,),
	"Party Committee": (rules.UNIT,),
	"Evaluator": rules.ORGANIZATION_TYPES,
	"Administrator": (rules.COMPANY,),
}


def positions_of_doc(doc) -> dict[str, set[str]]:
	"""user -> roles, for the positions one organization record gives."""
	out: dict[str, set[str]] = {}
	if not doc:
		return out
	if doc.get("secretary") and doc.get("organization_type") in SECRETARY_ROLES:
		out.setdefault(doc.secretary, set()).add(SECRETARY_ROLES[doc.organization_type])
	for row in doc.get("members") or []:
		if row.get("user") and row.get("duty") in DUTY_ROLES:
			out.setdefault(row.user, set()).add(DUTY_ROLES[row.duty])
	return out


def roles_held_elsewhere(user: str, exclude_org: str) -> set[str]:
	"""The app roles a user's positions in other organizations give."""
	roles = set()
	for org in frappe.get_all(
		ORG, filters={"secretary": user, "name": ("!=", exclude_org)}, fields=["organization_type"]
	):
		if org.organization_type in SECRETARY_ROLES:
			roles.add(SECRETARY_ROLES[org.organization_type])
	for row in frappe.get_all(
		"Party Organization Member",
		filters={"user": user, "parenttype": ORG, "parent": ("!=", exclude_org)},
		fields=["duty"],
	):
		if row.duty in DUTY_ROLES:
			roles.add(DUTY_ROLES[row.duty])
	return roles


APP_MODULE = "Dangjian"


def keep_position_roles(user_doc, method=None) -> None:
	"""User validate hook. On an ERP site users get a Role Profile, and Frappe resets their roles
	to the profile on every save (and a Module Profile their blocked modules): the roles an
	organization position gave would vanish at the next save. The roles the user's positions give
	are put back, and the app's module is not blocked for them, so a position holds whatever
	profile user management applies. Only those: an app role given by hand to a profiled user
	goes, as Frappe means it to."""
	if user_doc.name in ("Administrator", "Guest") or user_doc.is_new():
		return
	profiled = user_doc.get("role_profile_name") or user_doc.get("role_profiles")
	if not (profiled or user_doc.get("module_profile")):
		return
	roles = roles_held_elsewhere(user_doc.name, exclude_org="")
	if not roles:
		return
	have = {row.role for row in user_doc.get("roles") or []}
	user_doc.append_roles(*sorted(roles - have))
	if user_doc.get("module_profile"):
		user_doc.set("block_modules", [row for row in user_doc.block_modules if row.module != APP_MODULE])


def sync_organization_scope(doc, before=None) -> None:
	"""Grant and revoke what one organization's positions give, comparing the record with
	what it was before (``before`` is None for a new record, ``doc`` None when deleted)."""
	org = (doc or before).name
	now = positions_of_doc(doc)
	was = positions_of_doc(before)

	for user, roles in now.items():
		grant_user_permission(user, org)
		add_roles(user, roles)

	for user, roles in was.items():
		if user not in now:
			revoke_user_permission(user, org)
		lost = roles - now.get(user, set())
		if lost:
			remove_roles(user, lost - roles_held_elsewhere(user, org))


def grant_user_permission(user: str, org: str) -> None:
	if frappe.db.exists("User Permission", {"user": user, "allow": ORG, "for_value": org}):
		return
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": user,
			"allow": ORG,
			"for_value": org,
			"apply_to_all_doctypes": 1,
			"hide_descendants": 0,
			"is_default": 0,
		}
	).insert(ignore_permissions=True)


def revoke_user_permission(user: str, org: str) -> None:
	for name in frappe.get_all(
		"User Permission", filters={"user": user, "allow": ORG, "for_value": org}, pluck="name"
	):
		frappe.delete_doc("User Permission", name, ignore_permissions=True, force=True)


def add_roles(user: str, roles: set[str]) -> None:
	missing = set(roles) - set(frappe.get_roles(user))
	if not missing or not frappe.db.exists("User", user):
		return
	user_doc = frappe.get_doc("User", user)
	for role in sorted(missing):
		user_doc.append("roles", {"role": role})
	user_doc.flags.ignore_permissions = True
	user_doc.save(ignore_permissions=True)


def remove_roles(user: str, roles: set[str]) -> None:
	if not roles or not frappe.db.exists("User", user):
		return
	user_doc = frappe.get_doc("User", user)
	kept = [row for row in user_doc.roles if row.role not in roles]
	if len(kept) == len(user_doc.roles):
		return
	user_doc.set("roles", kept)
	user_doc.save(ignore_permissions=True)


def clear_scope_cache() -> None:
	"""User Permissions on a tree include the node's descendants, and Frappe caches that
	list per user: any change to the tree makes every cached list stale."""
	frappe.cache.delete_value("user_permissions")


# --- reading a user's scope --------------------------------------------------------------------


def is_unrestricted(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(set(frappe.get_roles(user)) & set(UNRESTRICTED_ROLES))


def allowed_organizations(user: str | None = None) -> list[str] | None:
	"""The organizations a user may see (their positions and everything below them), or None
	for a user who is not restricted."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	user = user or frappe.session.user
	if is_unrestricted(user):
		return None
	return sorted({perm.doc for perm in get_user_permissions(user).get(ORG, [])})


def has_no_scope(user: str | None = None) -> bool:
	"""An app user with no position anywhere: sees nothing (Frappe itself would show all)."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	user = user or frappe.session.user
	if is_unrestricted(user):
		return False
	# asked on every permission check: not the sorted list of a company's 20,000 organisations
	return not get_user_permissions(user).get(ORG)


def permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""List filter for every app doctype: nothing for an app user without scope; otherwise
	Frappe's own User Permission filtering applies."""
	if has_no_scope(user):
		return "1=0"
	return ""


def has_permission(doc, ptype=None, user=None, debug=False):
	if has_no_scope(user):
		return False
	return None


def ensure_in_scope(org: str | None, user: str | None = None, what: str | None = None) -> None:
	"""Refuse an action on an organization outside the user's scope."""
	allowed = allowed_organizations(user)
	if allowed is None or not org or org in allowed:
		return
	frappe.throw(
		_("{0} is outside your scope: you can act only within {1}.").format(
			frappe.bold(what or org), ", ".join(frappe.bold(name) for name in allowed) or _("no organization")
		),
		frappe.PermissionError,
		title=_("Outside Your Scope"),
	)


# a scope of more organisations than this (a company administrator's) is read whole: reading
# every organisation is then the better plan, and the span below made MariaDB choose a worse one
SPAN_UP_TO = 2_000


def scope_condition(org: str = "o", user: str | None = None) -> tuple[str, dict]:
	"""A SQL condition that the Party Organization row aliased ``org`` is in the user's scope,
	and its parameters: the organizations of the user's User Permissions and, unless the
	permission hides them, everything below them (the nested set), as Frappe's
	``get_user_permissions`` has it — but in the query, so that no list of names travels with
	it. ``1=1`` for an unrestricted user; a user with no User Permission matches nothing."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	user = user or frappe.session.user
	if is_unrestricted(user):
		return "1=1", {}
	exact = (
		"exists (select 1 from `tabUser Permission` scope_perm"
		" join `tabParty Organization` scope_root on scope_root.name = scope_perm.for_value"
		" where scope_perm.user = %(scope_user)s and scope_perm.allow = 'Party Organization'"
		f" and {org}.lft >= scope_root.lft and {org}.rgt <= scope_root.rgt"
		f" and (scope_perm.hide_descendants = 0 or {org}.name = scope_root.name))"
	)
	# Frappe's cached list of the user's organisations (their subtrees) says how wide the scope is
	if len(get_user_permissions(user).get(ORG) or ()) > SPAN_UP_TO:
		return exact, {"scope_user": user}
	# first the span of the user's subtrees (from the lowest lft to the highest rgt of their
	# positions, two constant subqueries), which the lft index serves: a branch secretary's
	# organisations are then a few index entries, not every organisation of the group tested
	# one by one (~70 ms of each of their pages at 200,000 projects); the EXISTS is the exact test
	bound = (
		"(select {0}(scope_span.{1}) from `tabUser Permission` scope_span_perm"
		" join `tabParty Organization` scope_span on scope_span.name = scope_span_perm.for_value"
		" where scope_span_perm.user = %(scope_user)s and scope_span_perm.allow = 'Party Organization')"
	)
	return (
		f"({org}.lft between {bound.format('min', 'lft')} and {bound.format('max', 'rgt')} and {exact})",
		{"scope_user": user},
	)


def unit_condition(
	org: str = "o", unit: str | None = None, alias: str = "scope_unit", in_scope: bool = False
) -> tuple[str, dict]:
	"""A SQL condition that the Party Organization row aliased ``org`` lies in ``unit``'s subtree
	(the unit itself included), and its parameters; ``1=1`` without a unit, nothing for an
	unknown unit. With ``in_scope``, also nothing for a unit outside the user's scope."""
	if not unit:
		return "1=1", {}
	params = {alias: unit}
	also = ""
	if in_scope:
		condition, values = scope_condition(alias)
		also = f" and {condition}"
		params.update(values)
	return (
		f"exists (select 1 from `tabParty Organization` {alias} where {alias}.name = %({alias})s"
		f" and {org}.lft >= {alias}.lft and {org}.rgt <= {alias}.rgt{also})",
		params,
	)


def limit_to_scope(query, branch_field, unit: str | None = None):
	"""Limit a ``frappe.qb`` query to the branches the user may see and, when a unit is given,
	to that unit's subtree. ``frappe.qb`` applies no row permissions by itself, so every Script
	Report of the app built with it scopes its query through this: the branch joined to the
	nested set, and the very conditions of ``scope_condition`` and ``unit_condition`` (the one
	place the scope is written), their values escaped into the text. An app user without scope,
	or an unknown unit, gets no rows."""
	from pypika.terms import LiteralValue

	conditions = [
		(condition, params)
		for condition, params in (scope_condition("scope_org"), unit_condition("scope_org", unit))
		if condition != "1=1"
	]
	if not conditions:
		return query
	org = frappe.qb.DocType(ORG).as_("scope_org")
	query = query.join(org).on(org.name == branch_field)
	for condition, params in conditions:
		query = query.where(LiteralValue(frappe.db.mogrify(condition, params)))
	return query


# --- conflicts of interest -----------------------------------------------------------------------


def branch_people(branch: str) -> set[str]:
	"""The users of a branch's own side: its secretary, its leader in charge (分管领导) and the
	members recorded on it with an account."""
	org = frappe.db.get_value(ORG, branch, ["secretary", "leader_in_charge"], as_dict=True) or {}
	people = {org.get("secretary"), org.get("leader_in_charge")}
	people |= set(
		frappe.get_all(
			"Party Organization Member",
			filters={"parenttype": ORG, "parent": branch, "user": ("is", "set")},
			pluck="user",
		)
	)
	return {user for user in people if user}


def ensure_not_own_branch(branch: str | None, user: str | None, what: str) -> None:
	"""No one scores, inspects or judges a project of their own branch."""
	if not branch or not user or user == "Administrator":
		return
	if user in branch_people(branch):
		frappe.throw(
			_("{0} belongs to {1}, the branch of this project, and cannot {2} it.").format(
				frappe.bold(frappe.utils.get_fullname(user)), frappe.bold(branch), what
			),
			frappe.PermissionError,
			title=_("Conflict of Interest"),
		)
