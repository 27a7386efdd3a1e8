# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The organisation tree and its people through Frappe's own Data Import.

Who: the company administrator anywhere in the company, a unit's Party-Masses Work Department
(approver) within its unit (their Data Import rights: ``dangjian.setup.data_import``). Frappe's
desk offers a user only the doctypes they have the ``import`` right on, but its server does not
check it: ``check_data_import`` does, for every Data Import saved by a user who is not a System
Manager. Each row is then inserted or saved as the user, through Party Organization's own
checks (scope, parents, duties): a row that fails is logged by Frappe's importer with its
message and the other rows go on.
"""

import frappe
from frappe import _
from frappe.permissions import can_import

from dangjian import scope
from dangjian.doctypes import SCOPED_DOCTYPES

DATA_IMPORT = "Data Import"


def check_data_import(doc, method=None) -> None:
	"""Data Import ``before_validate``: the user may import its doctype (the ``import`` right
	on that doctype, which Frappe's desk checks but its server does not); for an app doctype,
	only a user with a scope (an app role without a position acts nowhere)."""
	if doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return
	doctype = doc.reference_doctype
	if not doctype:
		return
	if not can_import(doctype):
		reason = _("You cannot import {0}: none of your roles may import it.")
	elif doctype in SCOPED_DOCTYPES and scope.has_no_scope():
		reason = _("You cannot import {0}: you hold no position in any party organization.")
	else:
		return
	frappe.throw(reason.format(frappe.bold(_(doctype))), frappe.PermissionError, title=_("Not Allowed"))
