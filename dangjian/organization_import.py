# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The organisation tree and its people through Frappe's own Data Import.

Who: the company administrator anywhere in the company, a unit's Party-Masses Work Department
(approver) within its unit (their Data Import rights: ``dangjian.setup.data_import``). Frappe's
desk offers a user only the doctypes they have the ``import`` right on, but its server does not
check it: ``check_data_import`` does, for every Data Import of the app's doctypes (other
apps' imports are left as Frappe has them). Each row is then inserted or saved as the user,
through Party Organization's own checks (scope, parents, duties): a row that fails is logged by
Frappe's importer with its message and the other rows go on.

What a company's list holds is resolved to records (``resolve_references``, run by Party
Organization before Frappe checks links and permissions, in an import as through the REST API):

- **the parent** by its code, or by a path of names joined by / (公司/单位/总支: the last names
  of the chain up from the parent, as many as make it unique; a name or a code each), or by its
  name alone where that is unique;
- **people** (the secretary, the leader in charge, each member) by their user account, e-mail or
  mobile number.

Frappe's importer checks a Link column's values before the first row is written and refuses
the whole file when one is not a record's name: a path, a mobile number, or a parent made by an
earlier row of the same file. So each of these has an import column of its own, plain text
(``parent_ref``, ``secretary_ref``, ``leader_ref``, the member's ``user_ref``): hidden on the
form, in the import template under its own header, saved as the link and never kept. The link
columns take codes and accounts as Frappe does.
"""

import re

import frappe
from frappe import _
from frappe.permissions import can_import
from frappe.utils import cstr

from dangjian import scope
from dangjian.doctypes import SCOPED_DOCTYPES

DATA_IMPORT = "Data Import"


def check_data_import(doc, method=None) -> None:
	"""Data Import ``before_validate``: the user may import its doctype (the ``import`` right
	on that doctype, which Frappe's desk checks but its server does not); for an app doctype,
	only a user with a scope (an app role without a position acts nowhere). And the app's
	Chinese headers are matched whoever came first (``warm_header_map``)."""
	warm_header_map(doc.reference_doctype)
	if doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return
	doctype = doc.reference_doctype
	from dangjian.doctypes import APP_DOCTYPES

	if doctype not in APP_DOCTYPES:
		return  # ERPNext's and Frappe's own imports stay as Frappe has them
	if not can_import(doctype):
		reason = _("You cannot import {0}: none of your roles may import it.")
	elif doctype in SCOPED_DOCTYPES and scope.has_no_scope():
		reason = _("You cannot import {0}: you hold no position in any party organization.")
	else:
		return
	frappe.throw(reason.format(frappe.bold(_(doctype))), frappe.PermissionError, title=_("Not Allowed"))


# --- Chinese headers ---------------------------------------------------------------------------

HEADER_MAP = "data_import_column_header_map"
START_IMPORT = "frappe.core.doctype.data_import.data_import.start_import"


def warm_header_map(doctype: str | None) -> None:
	"""Frappe's template gives each column its label in the user's language, and its importer
	matches a header against the labels and their translations — but in the language of
	whoever built its cached map first (one map per doctype, whatever the language; a
	background job's language is English). A Chinese header would then match nothing, be
	skipped, and the rows fail for missing values. For the app's doctypes the map holds the
	labels in English, in the site's and the user's language and in Chinese, built the way
	Frappe builds it; a Data Import saved and its job started put it back in the cache."""
	from dangjian.doctypes import APP_DOCTYPES

	if doctype not in APP_DOCTYPES:
		return
	from frappe.core.doctype.data_import.importer import build_fields_dict_for_column_matching

	current = frappe.local.lang
	languages = dict.fromkeys(
		("en", current, frappe.db.get_single_value("System Settings", "language"), "zh")
	)
	merged = {}
	try:
		for lang in filter(None, languages):
			frappe.local.lang = lang
			for header, df in build_fields_dict_for_column_matching(doctype).items():
				merged.setdefault(header, df)
	finally:
		frappe.local.lang = current
	frappe.cache.hset(HEADER_MAP, doctype, merged)


def before_job(method=None, kwargs=None, **_ignored) -> None:
	"""``before_job`` hook: a Data Import's job reads its file before anything else runs."""
	if method == START_IMPORT and (kwargs or {}).get("data_import"):
		warm_header_map(frappe.db.get_value(DATA_IMPORT, kwargs["data_import"], "reference_doctype"))


# --- names, paths, accounts, e-mails and mobile numbers to records --------------------------

ORG = scope.ORG
# (import column, link field, what it names)
REFERENCES = (
	("parent_ref", "parent_party_organization", ORG),
	("secretary_ref", "secretary", "User"),
	("leader_ref", "leader_in_charge", "User"),
)
PATH_SEPARATORS = re.compile(r"\s*[/／]\s*")
MOBILE = re.compile(r"^\+?[\d\s\-()]{7,}(\.0)?$")


def resolve_references(doc, links: bool = True) -> None:
	"""Party Organization before insert and save: each import column given becomes its link
	(and is emptied), and a link that names no record is looked up the same way (not when the
	save ignores links: ``links`` false). Unknown or ambiguous: a Chinese message naming the
	organization and the value."""
	what = doc.organization_name or doc.org_code or doc.name or ""
	for column, field, target in REFERENCES:
		label = _(doc.meta.get_label(field), context=doc.doctype)
		doc.set(field, resolved(doc, column, field, target, links, what, label))
	for row in doc.get("members") or []:
		label = _("Members row {0}").format(row.idx)
		row.user = resolved(row, "user_ref", "user", "User", links, what, label)
		if row.user and not row.member_name:
			row.member_name = frappe.db.get_value("User", row.user, "full_name")


def resolved(doc, column: str, field: str, target: str, links: bool, what: str, label: str):
	"""What the import column ``column`` (else the link ``field``) names."""
	given = cstr(doc.get(column)).strip()
	doc.set(column, None)
	if not given:
		value = doc.get(field)
		if not value or not links or frappe.db.exists(target, value):
			return value
		given = cstr(value).strip()
	if target == ORG:
		return resolve_organization(given, what)
	return resolve_user(given, what, label)


def resolve_organization(value: str, what: str = "") -> str:
	"""The Party Organization a code, a path of names (or codes) joined by /, or a unique name
	gives."""
	value = cstr(value).strip()
	code = frappe.db.exists(ORG, value)
	if code:
		return code
	segments = [part for part in PATH_SEPARATORS.split(value) if part]
	matches = [
		row.name
		for row in frappe.get_all(
			ORG,
			or_filters={
				"organization_name": segments[-1] if segments else value,
				"name": segments[-1] if segments else value,
			},
			fields=["name", "parent_party_organization"],
			order_by="lft",
		)
		if ancestors_match(row.parent_party_organization, segments[:-1])
	]
	if len(matches) == 1:
		return matches[0]
	example = _("Company/Unit/Branch")
	if not matches:
		frappe.throw(
			_(
				"{0}: the parent organization {1} was not found; give its code, or its path of names joined by / (for example {2})."
			).format(frappe.bold(what), frappe.bold(value), example),
			frappe.LinkValidationError,
			title=_("Invalid Parent"),
		)
	readable = [name for name in matches if frappe.has_permission(ORG, "read", name)]
	frappe.throw(
		_(
			"{0}: the parent organization {1} is ambiguous, {2} organizations match it ({3}); give its code or a longer path (for example {4})."
		).format(frappe.bold(what), frappe.bold(value), len(matches), ", ".join(readable) or "…", example),
		frappe.LinkValidationError,
		title=_("Invalid Parent"),
	)


def ancestors_match(parent: str | None, names: list[str]) -> bool:
	"""The chain up from ``parent`` has ``names`` (nearest last), each a name or a code."""
	for name in reversed(names):
		if not parent:
			return False
		row = frappe.db.get_value(
			ORG, parent, ["organization_name", "parent_party_organization"], as_dict=True
		)
		if not row or name not in (parent, row.organization_name):
			return False
		parent = row.parent_party_organization
	return True


def resolve_user(value: str, what: str = "", label: str = "") -> str:
	"""The User an account (the user's ID or username), an e-mail or a mobile number gives."""
	value = cstr(value).strip()
	account = frappe.db.exists("User", value)
	if account:
		return account
	for field in ("username", "email"):
		found = frappe.get_all("User", filters={field: value}, pluck="name")
		if len(found) == 1:
			return found[0]
	found = users_by_mobile(value)
	if len(found) == 1:
		return found[0]
	if found:
		frappe.throw(
			_("{0}, {1}: {2} is the mobile number of {3} users; give the account or e-mail instead.").format(
				frappe.bold(what), label, frappe.bold(value), len(found)
			),
			frappe.LinkValidationError,
			title=_("Unknown User"),
		)
	frappe.throw(
		_("{0}, {1}: no user has the account, e-mail or mobile number {2}.").format(
			frappe.bold(what), label, frappe.bold(value)
		),
		frappe.LinkValidationError,
		title=_("Unknown User"),
	)


def mobile_digits(value) -> str:
	"""A mobile number's digits, without China's country code; "" for what is not one (a
	spreadsheet's number cell may arrive as 13800138000.0)."""
	value = cstr(value).strip()
	if not MOBILE.match(value):
		return ""
	digits = re.sub(r"\D", "", value.removesuffix(".0"))
	for prefix in ("0086", "86"):
		if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
			digits = digits[len(prefix) :]
	return digits


def users_by_mobile(value) -> list[str]:
	digits = mobile_digits(value)
	if not digits:
		return []
	# the digits in order, whatever separates them in the stored number; then compared exactly
	pattern = "%" + "%".join(digits[-8:]) + "%"
	return [
		user.name
		for user in frappe.get_all(
			"User", filters={"mobile_no": ("like", pattern)}, fields=["name", "mobile_no"]
		)
		if mobile_digits(user.mobile_no) == digits
	]
