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
	"""Make the Custom Fields and Property Setters where ERPNext is installed (idempotent)."""
	if not erpnext_installed():
		return False
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	fields = custom_fields()
	for dfs in fields.values():
		for df in dfs:
			df["module"] = MODULE
	create_custom_fields(fields, ignore_validate=True, update=True)
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
