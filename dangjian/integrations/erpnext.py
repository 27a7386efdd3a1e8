"""Links to ERPNext's Company, Department and Employee, on sites where ERPNext is installed.

ERPNext stays an optional companion (never in ``required_apps``): the links are Custom Fields
and Property Setters that the app owns (module Dangjian). They are made when the app is
installed or migrated on a site that has ERPNext, and when ERPNext is installed later
(``after_app_install``); they are removed when the app is uninstalled and before ERPNext is
(``before_app_uninstall``), so no field ever points at a doctype that is gone.

- Party Organization: ``company`` (Link Company) and ``department`` (Link Department), set by the
  department (a secretary cannot change them: ``SECRETARY_EDITABLE``).
- The people tables (organization members, project team, acceptance group) and the evaluator's
  score: ``employee`` (Link Employee). Picking an employee fills the name and the title
  (designation) and, where it is empty, the user — through Frappe's ``fetch_from``, which the
  desk's form and every server-side save (REST API, Data Import) apply alike.

The links ignore User Permissions on Company / Department / Employee (an ERPNext employee is
usually restricted to their own Employee record): who sees an organization is decided by the
app's own scope.
"""

import frappe

MODULE = "Dangjian"
ERPNEXT = "erpnext"
ORG = "Party Organization"

# the people tables: doctype -> (the field after which the employee sits, {field: (fetched from, only if empty)})
PEOPLE_TABLES: dict[str, tuple[str, dict[str, tuple[str, bool]]]] = {
	"Party Organization Member": (
		"member_name",
		{"member_name": ("employee_name", False), "title": ("designation", False), "user": ("user_id", True)},
	),
	"Dangjian Project Team Member": (
		"member_name",
		{"member_name": ("employee_name", False), "title": ("designation", False), "user": ("user_id", True)},
	),
	"Dangjian Acceptance Group Member": (
		"member_name",
		{"member_name": ("employee_name", False), "title": ("designation", False), "user": ("user_id", True)},
	),
	"Dangjian Evaluation Score": (
		"evaluator_name",
		{"evaluator_name": ("employee_name", False), "evaluator_user": ("user_id", True)},
	),
}

EMPLOYEE_FIELD = "employee"


def custom_fields() -> dict[str, list[dict]]:
	"""The Custom Fields the app adds where ERPNext is, in ``create_custom_fields``'s shape."""
	fields = {
		ORG: [
			{
				"fieldname": "company",
				"label": "Company",
				"fieldtype": "Link",
				"options": "Company",
				"insert_after": "approving_organization",
				"ignore_user_permissions": 1,
				"description": "The ERPNext company this organization belongs to",
			},
			{
				"fieldname": "department",
				"label": "Department",
				"fieldtype": "Link",
				"options": "Department",
				"insert_after": "company",
				"ignore_user_permissions": 1,
				"description": "The ERPNext department this organization is",
			},
		]
	}
	for doctype, (after, _fetches) in PEOPLE_TABLES.items():
		fields[doctype] = [
			{
				"fieldname": EMPLOYEE_FIELD,
				"label": "Employee",
				"fieldtype": "Link",
				"options": "Employee",
				"insert_after": after,
				"ignore_user_permissions": 1,
				"in_list_view": 0,
			}
		]
	return fields


def custom_field_names() -> list[str]:
	return [f"{doctype}-{df['fieldname']}" for doctype, dfs in custom_fields().items() for df in dfs]


def property_setters() -> list[dict]:
	"""fetch_from (and fetch_if_empty) on the people tables' own fields."""
	setters = []
	for doctype, (_after, fetches) in PEOPLE_TABLES.items():
		for fieldname, (source, if_empty) in fetches.items():
			setters.append(
				{
					"doctype": doctype,
					"fieldname": fieldname,
					"property": "fetch_from",
					"value": f"{EMPLOYEE_FIELD}.{source}",
					"property_type": "Small Text",
				}
			)
			if if_empty:
				setters.append(
					{
						"doctype": doctype,
						"fieldname": fieldname,
						"property": "fetch_if_empty",
						"value": "1",
						"property_type": "Check",
					}
				)
	return setters


def erpnext_installed() -> bool:
	return ERPNEXT in frappe.get_installed_apps() and frappe.db.table_exists("Employee")


def has_links() -> bool:
	"""Whether this site has the app's ERPNext links (the fields exist)."""
	return bool(frappe.db.exists("Custom Field", {"dt": ORG, "fieldname": "company"}))


# --- the hooks -------------------------------------------------------------------------------


def after_app_install(app_name: str) -> None:
	"""Frappe's hook after any app's install: ERPNext installed after this app."""
	if app_name == ERPNEXT:
		ensure_links()


def before_app_uninstall(app_name: str) -> None:
	"""Frappe's hook before any app's uninstall: the links go before ERPNext's doctypes do."""
	if app_name == ERPNEXT:
		remove_links()


def ensure_links() -> bool:
	"""Make the Custom Fields and Property Setters where ERPNext is installed (idempotent).

	A table's schema is changed (DDL, which MariaDB commits) only where a column is missing: a
	field removed and made again in one transaction (an uninstall undone by a rollback) keeps
	its column and commits nothing."""
	if not erpnext_installed():
		return False
	from frappe.custom.doctype.custom_field.custom_field import create_custom_field

	fields = custom_fields()
	changed = set()
	previous = frappe.flags.in_create_custom_fields
	frappe.flags.in_create_custom_fields = True  # no schema update per field (below, once)
	try:
		for doctype, dfs in fields.items():
			for df in dfs:
				wanted = {**df, "module": MODULE}
				name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
				if not name:
					create_custom_field(doctype, {**wanted, "owner": "Administrator"}, ignore_validate=True)
					changed.add(doctype)
					continue
				current = frappe.db.get_value("Custom Field", name, list(wanted), as_dict=True)
				if any(str(current.get(key) or "") != str(value or "") for key, value in wanted.items()):
					frappe.db.set_value("Custom Field", name, wanted)
					changed.add(doctype)
	finally:
		frappe.flags.in_create_custom_fields = previous
	for doctype in changed:
		frappe.clear_cache(doctype=doctype)
		if any(not frappe.db.has_column(doctype, df["fieldname"]) for df in fields[doctype]):
			frappe.db.updatedb(doctype)
	for setter in property_setters():
		ensure_property_setter(**setter)
	for doctype in fields:
		frappe.clear_cache(doctype=doctype)
	return True


def ensure_property_setter(doctype, fieldname, property, value, property_type):
	name = frappe.db.get_value(
		"Property Setter",
		{"doc_type": doctype, "field_name": fieldname, "property": property, "doctype_or_field": "DocField"},
	)
	if name:
		if frappe.db.get_value("Property Setter", name, "value") != value:
			frappe.db.set_value("Property Setter", name, {"value": value, "module": MODULE})
		return
	frappe.get_doc(
		{
			"doctype": "Property Setter",
			"doctype_or_field": "DocField",
			"doc_type": doctype,
			"field_name": fieldname,
			"property": property,
			"value": value,
			"property_type": property_type,
			"module": MODULE,
			"is_system_generated": 1,
		}
	).insert(ignore_permissions=True)


def remove_links() -> None:
	"""Remove what ``ensure_links`` made (idempotent; the site's own customizations stay)."""
	for setter in property_setters():
		for name in frappe.get_all(
			"Property Setter",
			filters={
				"doc_type": setter["doctype"],
				"field_name": setter["fieldname"],
				"property": setter["property"],
				"value": setter["value"],
			},
			pluck="name",
		):
			frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
	for name in custom_field_names():
		if frappe.db.exists("Custom Field", name):
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	for doctype in custom_fields():
		frappe.clear_cache(doctype=doctype)


# --- the import: the organisation tree and its members from ERPNext -------------------------

BAD_CODE_CHARS = "/\\%?#'\"<>"
IMPORT_ROLES = ("Dangjian Administrator", "System Manager")


@frappe.whitelist()
def import_from_erpnext(company: str | None = None, dry_run: int | str | bool = 1) -> dict:
	"""Make the Party Organization tree from ERPNext's companies and departments and propose its
	members from the active employees: a company becomes a company, a top department a unit, a
	department below it a general branch (when it has departments under it) or a branch; an
	employee becomes a member of the branch or general branch of their department.

	``dry_run`` (the default) lists what would be made and makes nothing. Idempotent: what is
	already linked (an organization by its company / department, a member by their employee) is
	never made again. For the company administrator."""
	from frappe import _
	from frappe.utils import cint

	# (frappe.only_for lets everyone through in tests: the check is written out)
	if not set(IMPORT_ROLES) & set(frappe.get_roles()):
		frappe.throw(
			_("Only the company administrator can import the organisation tree from ERPNext."),
			frappe.PermissionError,
		)

	if not erpnext_installed():
		frappe.throw(
			_("ERPNext is not installed on this site: there is nothing to import."),
			title=_("Import from ERPNext"),
		)
	ensure_links()
	plan = plan_import(company)
	if not cint(dry_run):
		apply_import(plan)
	plan["dry_run"] = bool(cint(dry_run))
	return plan


def plan_import(company: str | None = None) -> dict:
	from dangjian import rules

	taken = set(frappe.get_all(ORG, pluck="name"))
	organizations: list[dict] = []
	members: list[dict] = []
	filters = {"name": company} if company else {}
	for comp in frappe.get_all(
		"Company", filters=filters, fields=["name", "company_name", "abbr"], order_by="lft asc"
	):
		root = frappe.db.get_value(
			ORG, {"company": comp.name, "department": ("is", "not set"), "organization_type": rules.COMPANY}
		)
		if not root:
			root = unique_code(comp.abbr or comp.name, taken)
			organizations.append(
				{
					"org_code": root,
					"organization_name": comp.company_name or comp.name,
					"organization_type": rules.COMPANY,
					"parent_party_organization": None,
					"company": comp.name,
					"department": None,
				}
			)
		departments = frappe.get_all(
			"Department",
			filters={"company": comp.name, "disabled": 0},
			fields=["name", "department_name", "parent_department"],
			order_by="lft asc",
		)
		by_name = {d.name: d for d in departments}
		has_children = {d.parent_department for d in departments}
		org_of: dict[str, tuple[str, str]] = {}  # department -> (organization, its type)
		kinds, parents = {root: rules.COMPANY}, {root: None}
		for dept in departments:
			parent = by_name.get(dept.parent_department)
			if parent is None:
				kind, parent_org = rules.UNIT, root
			else:
				parent_org, parent_kind = org_of[parent.name]
				if parent_kind == rules.BRANCH:
					# a branch has no children: sit beside it, under its own parent
					parent_org = parents[parent_org]
					parent_kind = kinds[parent_org]
				if parent_kind == rules.UNIT and dept.name in has_children:
					kind = rules.GENERAL_BRANCH
				else:
					kind = rules.BRANCH
			existing = frappe.db.get_value(ORG, {"department": dept.name}, ["name", "organization_type"])
			if existing:
				org_of[dept.name] = (existing[0], existing[1])
				kinds[existing[0]] = existing[1]
				parents[existing[0]] = frappe.db.get_value(ORG, existing[0], "parent_party_organization")
				continue
			code = unique_code(dept.name, taken)
			org_of[dept.name] = (code, kind)
			kinds[code], parents[code] = kind, parent_org
			organizations.append(
				{
					"org_code": code,
					"organization_name": dept.department_name or dept.name,
					"organization_type": kind,
					"parent_party_organization": parent_org,
					"company": comp.name,
					"department": dept.name,
				}
			)
		listed = set(
			frappe.get_all("Party Organization Member", filters={"employee": ("is", "set")}, pluck="employee")
		)
		for emp in frappe.get_all(
			"Employee",
			filters={"company": comp.name, "status": "Active", "department": ("in", list(org_of) or [""])},
			fields=["name", "employee_name", "designation", "user_id", "department"],
			order_by="name asc",
		):
			org, kind = org_of[emp.department]
			if emp.name in listed or kind not in (rules.BRANCH, rules.GENERAL_BRANCH):
				continue
			if emp.user_id and frappe.db.exists(
				"Party Organization Member",
				{"parent": org, "parenttype": ORG, "user": emp.user_id, "duty": "Member"},
			):
				continue
			members.append(
				{
					"organization": org,
					"employee": emp.name,
					"member_name": emp.employee_name,
					"title": emp.designation,
					"user": emp.user_id,
				}
			)
	return {"organizations": organizations, "members": members}


def unique_code(base: str, taken: set[str]) -> str:
	clean = "".join("-" if char in BAD_CODE_CHARS else char for char in (base or "").strip())[:36] or "ORG"
	code, n = clean, 1
	while code in taken:
		n += 1
		code = f"{clean}-{n}"
	taken.add(code)
	return code


def apply_import(plan: dict) -> None:
	for org in plan["organizations"]:
		doc = frappe.get_doc({"doctype": ORG, **org})
		doc.flags.ignore_permissions = True
		doc.insert()
	by_org: dict[str, list[dict]] = {}
	for member in plan["members"]:
		by_org.setdefault(member["organization"], []).append(member)
	for org, rows in by_org.items():
		doc = frappe.get_doc(ORG, org)
		for row in rows:
			doc.append(
				"members",
				{
					"member_name": row["member_name"],
					"employee": row["employee"],
					"title": row["title"],
					"user": row["user"],
					"duty": "Member",
				},
			)
		doc.flags.ignore_permissions = True
		doc.save()


# --- a new employee: a suggestion to the branch of their department --------------------------


def suggest_branch(employee, method=None) -> None:
	"""Employee ``on_update`` (ERPNext): an active employee whose department is an organization of
	the app's tree, and who is no member of any organization, is suggested to that organization's
	secretary and to the approvers of its unit (the bell), who confirm by adding them (the member
	row's Employee field, or "Import from ERPNext"). Nothing is added by itself; each department
	change is suggested once."""
	from frappe import _
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
	from frappe.translate import get_user_lang, print_language

	from dangjian import rules

	if employee.status != "Active" or not employee.department or not has_links():
		return
	before = employee.get_doc_before_save()
	if before and before.department == employee.department and before.status == employee.status:
		return
	org = frappe.db.get_value(
		ORG,
		{"department": employee.department, "disabled": 0},
		["name", "organization_name", "organization_type", "secretary", "approving_organization"],
		as_dict=True,
	)
	if not org or org.organization_type not in (rules.BRANCH, rules.GENERAL_BRANCH):
		return
	if frappe.db.exists("Party Organization Member", {"employee": employee.name}):
		return
	users = {org.secretary} if org.secretary else set()
	if org.approving_organization:
		users |= set(
			frappe.get_all(
				"Party Organization Member",
				filters={
					"parent": org.approving_organization,
					"parenttype": ORG,
					"duty": "Approver",
					"user": ("is", "set"),
				},
				pluck="user",
			)
		)
	users = sorted(u for u in users if u and frappe.db.get_value("User", u, "enabled"))
	by_language: dict[str, list[str]] = {}
	for user in users:
		by_language.setdefault(get_user_lang(user), []).append(user)
	for language, group in by_language.items():
		with print_language(language):
			subject = _(
				"New employee {0} ({1}) belongs to {2}: add them as a member if they are one."
			).format(
				frappe.bold(employee.employee_name),
				employee.designation or "",
				frappe.bold(org.organization_name),
			)
		make_notification_logs(
			frappe._dict(
				type="Alert",
				document_type=ORG,
				document_name=org.name,
				from_user=frappe.session.user,
				subject=subject,
			),
			group,
		)
