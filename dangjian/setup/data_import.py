# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Frappe's own Data Import for the app's importers (the organisation tree and its people).

Frappe's Data Import doctype is System Manager's only. The company administrator and a unit's
Party-Masses Work Department (approver) get it through Custom DocPerm rows, made at install and
on migrate and removed at uninstall, never by editing Frappe's doctype: read, write, create and
delete of **their own** Data Import records only ("If Owner"), so that nobody reads another
user's import file (a System Manager's import of users, say).

Which doctypes they may import is the ``import`` right of each doctype's own permissions
(Party Organization: the company administrator and the approver). Frappe's desk offers only
those (``frappe.boot.user.can_import``) but its server does not check it; the app does
(``dangjian.organization_import.check_data_import``). Every row is then inserted or saved as the
user, with the doctype's own permission and scope checks.

Custom DocPerm replaces a doctype's standard permissions once it has any row: Frappe's
``setup_custom_perms`` first copies the standard rows (System Manager's), as the Role
Permissions Manager does. At uninstall the app's rows go, and so does that copy when it is
still the standard rows unchanged, which leaves Data Import exactly as Frappe ships it."""

import frappe
from frappe.permissions import rights, setup_custom_perms

from dangjian import scope

DATA_IMPORT = "Data Import"
IMPORT_ROLES = (scope.ROLE_ADMINISTRATOR, scope.ROLE_APPROVER)
GRANTED = ("read", "write", "create", "delete")


def ensure_data_import_permissions() -> bool:
	"""Give the importing roles their own Data Imports (idempotent); True when a row was made."""
	made = False
	for role in IMPORT_ROLES:
		if not frappe.db.exists("Role", role):
			continue
		if frappe.db.exists("Custom DocPerm", {"parent": DATA_IMPORT, "role": role, "permlevel": 0}):
			continue
		setup_custom_perms(DATA_IMPORT)
		frappe.get_doc(
			{
				"doctype": "Custom DocPerm",
				"parent": DATA_IMPORT,
				"parenttype": "DocType",
				"parentfield": "permissions",
				"role": role,
				"permlevel": 0,
				"if_owner": 1,
				**{right: 1 for right in GRANTED},
			}
		).insert(ignore_permissions=True)
		made = True
	if made:
		frappe.clear_cache(doctype=DATA_IMPORT)
	return made


def remove_data_import_permissions() -> None:
	"""Take away what ``ensure_data_import_permissions`` gave; when what is left is Frappe's
	standard permissions copied unchanged, remove the copy too (Data Import as shipped)."""
	frappe.db.delete("Custom DocPerm", {"parent": DATA_IMPORT, "role": ("in", IMPORT_ROLES)})
	if sorted(perm_rows("Custom DocPerm")) == sorted(perm_rows("DocPerm")):
		frappe.db.delete("Custom DocPerm", {"parent": DATA_IMPORT})
	frappe.clear_cache(doctype=DATA_IMPORT)


def perm_rows(doctype: str) -> list[tuple]:
	fields = ["role", "permlevel", "if_owner", *rights]
	return [
		tuple(row.get(field) or 0 for field in fields)
		for row in frappe.get_all(doctype, filters={"parent": DATA_IMPORT}, fields=fields)
	]
