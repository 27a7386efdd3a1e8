"""Factories shared by the Frappe integration tests. Each is idempotent: it returns the
existing record when one with the same key exists."""

import frappe

from dangjian import scope

TEST_DOMAIN = "djtest.invalid"


def make_user(login: str, full_name: str | None = None, roles: tuple[str, ...] = ()) -> str:
	email = login if "@" in login else f"{login}@{TEST_DOMAIN}"
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": full_name or login,
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		)
		user.insert(ignore_permissions=True)
	if roles:
		user = frappe.get_doc("User", email)
		missing = [role for role in roles if role not in {row.role for row in user.roles}]
		if missing:
			user.add_roles(*missing)
	return email


def make_org(code: str, kind: str, parent: str | None = None, name: str | None = None, **fields):
	if frappe.db.exists("Party Organization", code):
		return frappe.get_doc("Party Organization", code)
	doc = frappe.get_doc(
		{
			"doctype": "Party Organization",
			"org_code": code,
			"organization_name": name or f"{code} 组织",
			"organization_type": kind,
			"parent_party_organization": parent,
			**fields,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc


def make_tree(prefix: str = "T") -> frappe._dict:
	"""company → unit A (with general branch → branch A2, and branch A1) and unit B (branch B1)."""
	company = make_org(f"{prefix}C", "Company")
	unit_a = make_org(f"{prefix}UA", "Unit", company.name)
	unit_b = make_org(f"{prefix}UB", "Unit", company.name)
	general = make_org(f"{prefix}UA-G", "General Branch", unit_a.name)
	branch_a1 = make_org(f"{prefix}UA-B1", "Branch", unit_a.name)
	branch_a2 = make_org(f"{prefix}UA-G-B2", "Branch", general.name)
	branch_b1 = make_org(f"{prefix}UB-B1", "Branch", unit_b.name)
	return frappe._dict(
		company=company.name,
		unit_a=unit_a.name,
		unit_b=unit_b.name,
		general=general.name,
		branch_a1=branch_a1.name,
		branch_a2=branch_a2.name,
		branch_b1=branch_b1.name,
	)


def set_secretary(org: str, user: str) -> None:
	doc = frappe.get_doc("Party Organization", org)
	doc.secretary = user
	doc.save(ignore_permissions=True)


def add_member(org: str, user: str | None, duty: str = "Member", name: str | None = None) -> None:
	doc = frappe.get_doc("Party Organization", org)
	doc.append("members", {"member_name": name or user or "成员", "user": user, "duty": duty})
	doc.save(ignore_permissions=True)


def user_permissions(user: str) -> set[str]:
	return set(
		frappe.get_all("User Permission", filters={"user": user, "allow": scope.ORG}, pluck="for_value")
	)
