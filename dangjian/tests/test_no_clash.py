"""The app hides or changes nothing of the other apps on its site (Frappe, ERPNext, HRMS…).

1. Every name the app adds (doctypes, roles, reports, workspace, print formats, number cards,
   dashboard charts, notifications, e-mail templates, workflows, custom fields, web routes) is
   listed, carries the app's name (DESIGN.md: names are global in a shared site) and belongs to no
   other installed app: no other app's module holds a record or a source folder of that name.
2. The app's zh translations give no other wording for a source text that another installed app
   translates (Frappe's translations are merged app by app, the later one winning: a plain row of
   ours would change ERPNext's screens). On a plain Frappe site this checks against Frappe; on an
   ERPNext site against ERPNext (and HRMS) too.
"""

import csv
import os

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import ballot_invitations, scope
from dangjian.integrations import erpnext
from dangjian.setup.notifications import NOTIFICATIONS
from dangjian.setup.workflow import EMAIL_TEMPLATES, WORKFLOWS

APP = "dangjian"
MODULE = "Dangjian"
# the two doctypes DESIGN.md names without the prefix (the party organisation is the app's own);
# the app's notifications are named by its Chinese name, 党建+
UNPREFIXED = ("Party Organization", "Party Organization Member")
MODULE_DOCTYPES = ("DocType", "Report", "Workspace", "Print Format", "Number Card", "Dashboard Chart")


def app_names() -> dict[str, list[str]]:
	"""Every named record the app adds to a site, by doctype."""
	names = {
		doctype: frappe.get_all(doctype, filters={"module": MODULE}, pluck="name")
		for doctype in MODULE_DOCTYPES
	}
	names["Role"] = list(scope.APP_ROLES)
	names["Notification"] = [spec["name"] for spec in NOTIFICATIONS]
	names["Email Template"] = [name for name, _subject, _text in EMAIL_TEMPLATES.values()] + [
		ballot_invitations.TEMPLATE
	]
	names["Workflow"] = list(WORKFLOWS)
	names["Custom Field"] = erpnext.custom_field_names()
	return names


def web_routes(app: str) -> set[str]:
	www = os.path.join(frappe.get_app_path(app), "www")
	routes = set()
	for folder, _dirs, files in os.walk(www):
		for file in files:
			stem, ext = os.path.splitext(file)
			if ext in (".html", ".md", ".py") and not stem.startswith("_"):
				route = os.path.relpath(os.path.join(folder, stem), www).replace(os.sep, "/")
				routes.add(route.removesuffix("/index").replace("_", "-") if ext == ".py" else route)
	return routes


def other_apps() -> list[str]:
	return [app for app in frappe.get_installed_apps() if app != APP]


def zh_rows() -> dict[str, str]:
	path = os.path.join(frappe.get_app_path(APP), "translations", "zh.csv")
	rows = {}
	with open(path, newline="", encoding="utf-8") as f:
		for row in csv.reader(f):
			if len(row) >= 2 and row[0]:
				rows[f"{row[0]}:{row[2]}" if len(row) >= 3 and row[2] else row[0]] = row[1].strip()
	return rows


def other_translations(app: str, lang: str = "zh") -> dict[str, str]:
	from frappe.gettext.translate import get_translations_from_mo
	from frappe.translate import get_translations_from_csv

	translations = dict(get_translations_from_csv(lang, app) or {})
	translations.update(get_translations_from_mo(lang, app) or {})
	return translations


def translation_clashes() -> list[tuple[str, str, str, str]]:
	"""Rows of ours that differ from what the site would show without the app: the other apps'
	translations merged in their install order, the later winning (as Frappe merges them)."""
	ours = zh_rows()
	merged: dict[str, tuple[str, str]] = {}
	for app in other_apps():
		for key, text in other_translations(app).items():
			if text and text.strip():
				merged[key] = (app, text.strip())
	clashes = []
	for key, text in ours.items():
		if key in merged and merged[key][1] != text:
			clashes.append((merged[key][0], key, text, merged[key][1]))
	return sorted(clashes)


class TestNoClash(FrappeTestCase):
	def test_every_name_is_the_apps_own(self):
		names = app_names()
		for doctype in ("DocType", "Role", "Report", "Workspace", "Print Format", "Number Card", "Workflow"):
			self.assertTrue(names[doctype], f"the app adds no {doctype}? the list is wrong")
		for doctype, records in names.items():
			for name in records:
				if doctype == "Custom Field":
					self.assertIn(
						name.split("-")[0], names["DocType"], f"{name} sits on another app's doctype"
					)
					continue
				self.assertTrue(
					name.startswith(("Dangjian", "党建+"))
					or name in UNPREFIXED
					or (doctype == "Workspace" and name == MODULE),
					f"{doctype} {name!r} does not carry the app's name",
				)

	def test_no_name_belongs_to_another_app(self):
		names = app_names()
		clashes = []
		for app in other_apps():
			modules = frappe.get_module_list(app)
			for doctype in MODULE_DOCTYPES:
				for name in names[doctype]:
					for module in modules:
						folder = os.path.join(
							frappe.get_module_path(module), frappe.scrub(doctype), frappe.scrub(name)
						)
						if os.path.exists(folder):
							clashes.append((app, doctype, name, folder))
			for doctype in ("Notification", "Email Template", "Workflow"):
				for name in names[doctype]:
					owner = (
						frappe.db.get_value(doctype, name, "module")
						if frappe.get_meta(doctype).has_field("module")
						else None
					)
					if owner and owner in modules:
						clashes.append((app, doctype, name, owner))
			hooks = frappe.get_hooks(app_name=app)
			fixtures = str(hooks.get("fixtures") or "")
			for role in names["Role"]:
				if role in fixtures:
					clashes.append((app, "Role", role, "fixtures"))
			routes = (
				web_routes(app) if os.path.isdir(os.path.join(frappe.get_app_path(app), "www")) else set()
			)
			for route in web_routes(APP):
				if route in routes:
					clashes.append((app, "route", route, "www"))
		# a role of the app's is used only by the app's doctypes
		for role in names["Role"]:
			for parent in frappe.get_all("DocPerm", filters={"role": role}, pluck="parent", distinct=True):
				if parent not in names["DocType"]:
					clashes.append(("?", "Role", role, f"DocPerm on {parent}"))
		# another app's custom fields and property setters leave the app's doctypes alone
		for doctype in ("Custom Field", "Property Setter"):
			field = "dt" if doctype == "Custom Field" else "doc_type"
			for row in frappe.get_all(
				doctype, filters={field: ("in", names["DocType"])}, fields=["name", "module"]
			):
				if row.module != MODULE:
					clashes.append(("?", doctype, row.name, row.module))
		for route in web_routes(APP):
			self.assertTrue(route.startswith("dangjian-"), route)
			page = frappe.db.get_value("Web Page", {"route": route})
			if page:
				clashes.append(("?", "Web Page", page, route))
		self.assertTrue(web_routes(APP))
		self.assertEqual(clashes, [])

	def test_zh_translations_keep_other_apps_wording(self):
		self.assertIn("frappe", other_apps())
		self.assertTrue(zh_rows())
		self.assertTrue(other_translations("frappe"), "Frappe's zh translations were not found")
		clashes = translation_clashes()
		self.assertEqual(
			clashes,
			[],
			f"{len(clashes)} rows of dangjian/translations/zh.csv change another app's wording "
			"(give the row the app's doctype as context): "
			+ "; ".join(
				f"{app}: {key!r} -> ours {ours!r}, theirs {theirs!r}"
				for app, key, ours, theirs in clashes[:40]
			),
		)
