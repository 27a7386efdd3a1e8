# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.utils import cint, cstr
from frappe.utils.nestedset import NestedSet

from dangjian import rules, scope
from dangjian.controllers.concurrency import ChildRowsByName

# the fields a branch secretary may change on their own organization
SECRETARY_EDITABLE = {"members", "contact_email", "date_established", "leader_in_charge"}


class PartyOrganization(ChildRowsByName, NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.party_organization_member.party_organization_member import (
			PartyOrganizationMember,
		)

		approving_organization: DF.Link | None
		contact_email: DF.Data | None
		date_established: DF.Date | None
		disabled: DF.Check
		is_group: DF.Check
		leader_in_charge: DF.Link | None
		leader_ref: DF.Data | None
		lft: DF.Int
		members: DF.Table[PartyOrganizationMember]
		old_parent: DF.Link | None
		org_code: DF.Data
		organization_name: DF.Data
		organization_type: DF.Literal["", "Company", "Unit", "General Branch", "Branch"]
		parent_party_organization: DF.Link | None
		parent_ref: DF.Data | None
		rgt: DF.Int
		secretary: DF.Link | None
		secretary_ref: DF.Data | None
	# end: auto-generated types
	nsm_parent_field = "parent_party_organization"

	def check_permission(self, permtype="read", permlevel=None):
		"""Frappe's User Permissions cover existing records only: a new organization's name is
		in nobody's scope yet. Creating one is allowed to a user whose role may create and who
		holds the parent in scope (a company root: the company administrator). A user whose role
		may create or write but who acts outside their scope is told so, naming the organization
		(a Data Import logs the message against the row)."""
		if self.flags.ignore_permissions:
			return super().check_permission(permtype, permlevel)
		if permtype == "create" and self.is_new() and frappe.has_permission(self.doctype, "create"):
			if self.parent_party_organization:
				allowed = scope.allowed_organizations()
				if allowed is None or self.parent_party_organization in allowed:
					return
				frappe.throw(
					_("{0} ({1}) cannot be created under {2}: {2} is outside your scope ({3}).").format(
						frappe.bold(self.organization_name or ""),
						self.org_code or "",
						frappe.bold(self.parent_party_organization),
						scope_description(),
					),
					frappe.PermissionError,
					title=_("Outside Your Scope"),
				)
			if scope.ROLE_ADMINISTRATOR in frappe.get_roles():
				return
			frappe.throw(
				_(
					"{0} ({1}) cannot be created: an organization without a parent is a company, which only the company administrator creates; give a unit or a branch its parent organization."
				).format(frappe.bold(self.organization_name or ""), self.org_code or ""),
				frappe.PermissionError,
				title=_("Outside Your Scope"),
			)
		if (
			permtype == "write"
			and not self.is_new()
			and frappe.has_permission(self.doctype, "write")
			and not self.has_permission("write")
		):
			frappe.throw(
				_("{0} cannot be changed: it is outside your scope ({1}).").format(
					frappe.bold(self.name), scope_description()
				),
				frappe.PermissionError,
				title=_("Outside Your Scope"),
			)
		super().check_permission(permtype, permlevel)

	def insert(self, *args, **kwargs):
		self.resolve_references(links=not (self.flags.ignore_links or kwargs.get("ignore_links")))
		return super().insert(*args, **kwargs)

	def save(self, *args, **kwargs):
		self.resolve_references(links=not self.flags.ignore_links)
		return super().save(*args, **kwargs)

	def resolve_references(self, links: bool = True):
		"""The parent given by code or by path, people by account, e-mail or mobile (the import's
		columns, and the links themselves) become the records they name, before Frappe checks
		the links and the permission (dangjian.organization_import)."""
		from dangjian.organization_import import resolve_references

		resolve_references(self, links)

	def autoname(self):
		self.org_code = (self.org_code or "").strip()
		self.name = self.org_code

	def validate(self):
		self.clean_values()
		self.validate_code()
		self.validate_parent()
		self.set_is_group()
		self.set_approving_organization()
		self.validate_members()
		self.validate_changes_in_scope()

	def on_update(self):
		super().on_update()
		scope.clear_scope_cache()
		scope.sync_organization_scope(self, self.get_doc_before_save())

	def on_trash(self):
		super().on_trash(allow_root_deletion=True)
		scope.sync_organization_scope(None, self)
		scope.clear_scope_cache()

	def after_rename(self, old, new, merge=False):
		super().after_rename(old, new, merge)
		scope.clear_scope_cache()

	def clean_values(self):
		self.organization_name = (self.organization_name or "").strip()
		if self.org_code:
			self.org_code = self.org_code.strip()

	def validate_code(self):
		code = self.org_code or ""
		if not code or any(char in code for char in "/\\%?#'\"<>") or len(code) > 40:
			frappe.throw(
				_(
					"Code {0} is not valid: use up to 40 letters, digits, '-' or '_' (for example U01-B03)."
				).format(frappe.bold(code or _("(empty)"))),
				title=_("Invalid Code"),
			)

	def validate_parent(self):
		parent = self.parent_party_organization
		if parent and parent == self.name:
			frappe.throw(_("An organization cannot be its own parent."), title=_("Invalid Parent"))
		parent_type = frappe.db.get_value(scope.ORG, parent, "organization_type") if parent else None
		if parent and not parent_type:
			frappe.throw(_("Parent organization {0} does not exist.").format(frappe.bold(parent)))
		if not rules.parent_type_allowed(self.organization_type, parent_type):
			expected = {
				rules.COMPANY: _("A company has no parent organization; remove the parent."),
				rules.UNIT: _("A unit must sit under a company."),
				rules.GENERAL_BRANCH: _("A general branch must sit under a unit."),
				rules.BRANCH: _("A branch must sit under a unit or a general branch."),
			}[self.organization_type]
			frappe.throw(
				_("{0} cannot sit under {1}. {2}").format(
					frappe.bold(self.organization_name),
					frappe.bold(type_label(parent_type) if parent_type else _("nothing")),
					expected,
				),
				title=_("Invalid Parent"),
			)
		if (
			not self.is_new()
			and self.organization_type == rules.BRANCH
			and frappe.db.exists(scope.ORG, {"parent_party_organization": self.name})
		):
			frappe.throw(
				_(
					"{0} has organizations under it, so it cannot be a branch: a branch cannot have children."
				).format(frappe.bold(self.organization_name)),
				title=_("Invalid Organization Type"),
			)

	def set_is_group(self):
		self.is_group = 0 if self.organization_type == rules.BRANCH else 1

	def set_approving_organization(self):
		if self.organization_type == rules.COMPANY:
			self.approving_organization = None
			return
		if self.organization_type == rules.UNIT:
			self.approving_organization = self.name
			return
		if self.approving_organization:
			approver_type = frappe.db.get_value(scope.ORG, self.approving_organization, "organization_type")
			if approver_type != rules.UNIT:
				frappe.throw(
					_("The approving organization {0} must be a unit, not a {1}.").format(
						frappe.bold(self.approving_organization),
						type_label(approver_type) if approver_type else _("missing record"),
					),
					title=_("Invalid Approving Organization"),
				)
			return
		self.approving_organization = rules.nearest_of_type(self.ancestor_types(), rules.UNIT)
		if not self.approving_organization:
			frappe.throw(
				_(
					"{0} has no unit above it, so no Party-Masses Work Department can approve its projects. Put it under a unit or choose an approving organization."
				).format(frappe.bold(self.organization_name)),
				title=_("No Approving Organization"),
			)

	def ancestor_types(self) -> list[tuple[str, str]]:
		"""(name, type) of the ancestors, nearest first, read from the parent chain (the
		nested set of a new or moved record is not up to date yet)."""
		out, seen, parent = [], set(), self.parent_party_organization
		while parent and parent not in seen:
			seen.add(parent)
			row = frappe.db.get_value(
				scope.ORG, parent, ["name", "organization_type", "parent_party_organization"], as_dict=True
			)
			if not row:
				break
			out.append((row.name, row.organization_type))
			parent = row.parent_party_organization
		return out

	def validate_members(self):
		seen = set()
		for row in self.members:
			allowed_types = scope.DUTY_TYPES.get(row.duty, ())
			if self.organization_type not in allowed_types:
				frappe.throw(
					_("Row {0}: the duty {1} cannot be held in a {2}; it belongs in a {3}.").format(
						row.idx,
						frappe.bold(_(row.duty, context="Party Organization Member")),
						type_label(self.organization_type),
						" / ".join(type_label(kind) for kind in allowed_types),
					),
					title=_("Invalid Duty"),
				)
			if row.user:
				key = (row.user, row.duty)
				if key in seen:
					frappe.throw(
						_("Row {0}: {1} is already listed with the duty {2}.").format(
							row.idx,
							frappe.bold(row.user),
							frappe.bold(_(row.duty, context="Party Organization Member")),
						),
						title=_("Duplicate Member"),
					)
				seen.add(key)

	def validate_changes_in_scope(self):
		"""Approvers manage the tree below their unit; a secretary only their own members;
		a new company root is for the company administrator."""
		user = frappe.session.user
		if scope.is_unrestricted(user) or self.flags.ignore_permissions:
			return
		roles = set(frappe.get_roles(user))
		if self.is_new():
			if not self.parent_party_organization:
				if scope.ROLE_ADMINISTRATOR not in roles:
					frappe.throw(
						_("Only the company administrator can create a company."), frappe.PermissionError
					)
				return
			scope.ensure_in_scope(self.parent_party_organization, user)
			return
		before = self.get_doc_before_save()
		changed = {
			df.fieldname
			for df in self.meta.fields
			if df.fieldtype not in ("Section Break", "Column Break", "Table")
			and before
			and normalized(df, before.get(df.fieldname)) != normalized(df, self.get(df.fieldname))
		}
		if before and [row.as_dict(no_default_fields=True) for row in before.members] != [
			row.as_dict(no_default_fields=True) for row in self.members
		]:
			changed.add("members")
		changed -= {"lft", "rgt", "is_group", "old_parent", "modified"}
		if not roles & {scope.ROLE_APPROVER, scope.ROLE_ADMINISTRATOR}:
			forbidden = changed - SECRETARY_EDITABLE
			if forbidden:
				frappe.throw(
					_(
						"You can change only the members, contact e-mail, leader in charge and date established of your organization; ask the Party-Masses Work Department to change {0}."
					).format(
						", ".join(
							frappe.bold(_(self.meta.get_label(name), context=self.doctype))
							for name in sorted(forbidden)
						)
					),
					frappe.PermissionError,
				)
		if "parent_party_organization" in changed and self.parent_party_organization:
			scope.ensure_in_scope(self.parent_party_organization, user)


def type_label(kind: str) -> str:
	return _(kind, context="Party Organization")


def scope_description(user: str | None = None) -> str:
	"""The organizations the user holds a position in (their scope is these and what lies
	below them), by name."""
	roots = frappe.get_all(
		"User Permission",
		filters={"user": user or frappe.session.user, "allow": scope.ORG},
		pluck="for_value",
	)
	names = frappe.get_all(
		scope.ORG, filters={"name": ("in", roots or [""])}, pluck="organization_name", order_by="lft"
	)
	return ", ".join(names) or _("no organization")


def normalized(df, value):
	if df.fieldtype in ("Check", "Int"):
		return cint(value)
	return cstr(value or "")


@frappe.whitelist()
def get_children(doctype, parent=None, is_root=False, **filters):
	"""Tree view: the children of a node the user can see (roots when no parent)."""
	fields = ["name as value", "organization_name as title", "is_group as expandable", "organization_type"]
	if not parent or parent == doctype or is_root:
		allowed = scope.allowed_organizations()
		if allowed is None:
			return frappe.get_list(
				doctype,
				fields=fields,
				filters={"parent_party_organization": ("is", "not set")},
				order_by="lft",
			)
		# the topmost organizations of the user's scope
		rows = frappe.get_list(
			doctype,
			fields=[*fields, "parent_party_organization"],
			filters={"name": ("in", allowed)},
			order_by="lft",
		)
		return [row for row in rows if row.parent_party_organization not in allowed]
	return frappe.get_list(
		doctype, fields=fields, filters={"parent_party_organization": parent}, order_by="lft"
	)
