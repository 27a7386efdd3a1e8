"""The organisation tree and its people through Frappe's own Data Import, as the desk runs it:
a Data Import saved by the user, the file attached to it, the import run (synchronously, as
Frappe's own tests run it). Frappe's importer commits after every row and rolls back a row that
fails, so this class commits its records and removes them afterwards."""

import csv
import io
import json

import frappe
from frappe.core.doctype.data_import.data_import import start_import
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.setup.data_import import DATA_IMPORT
from dangjian.tests.utils import add_member, as_user, make_org, make_user, set_secretary

PREFIX = "OI"
ORG = "Party Organization"


class OrganizationImportCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cleanup()
		cls.company = make_org("OIC", "Company", name="OI集团公司").name
		cls.unit_a = make_org("OIUA", "Unit", cls.company, name="OI第一单位").name
		cls.unit_b = make_org("OIUB", "Unit", cls.company, name="OI第二单位").name
		cls.branch_a1 = make_org("OIUA-B1", "Branch", cls.unit_a, name="OI第一支部").name
		cls.admin = zh_user("oi-company-admin")
		cls.approver_a = zh_user("oi-approver-a")
		cls.approver_b = zh_user("oi-approver-b")
		cls.secretary = zh_user("oi-secretary")
		add_member(cls.company, cls.admin, "Administrator")
		add_member(cls.unit_a, cls.approver_a, "Approver")
		add_member(cls.unit_b, cls.approver_b, "Approver")
		set_secretary(cls.branch_a1, cls.secretary)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		cleanup()
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		self.lang = frappe.local.lang

	def tearDown(self):
		# Frappe's importer sets the importing user's language for the rest of the request
		frappe.local.lang = self.lang
		frappe.set_user("Administrator")


def zh_user(login: str, **fields) -> str:
	user = make_user(login)
	values = {"language": "zh", **fields}
	if any(frappe.db.get_value("User", user, key) != value for key, value in values.items()):
		doc = frappe.get_doc("User", user)
		doc.update(values)
		doc.save(ignore_permissions=True)
	return user


def cleanup():
	for name in frappe.get_all(DATA_IMPORT, filters={"owner": ("like", "oi-%")}, pluck="name"):
		frappe.db.delete("Data Import Log", {"data_import": name})
		frappe.delete_doc(DATA_IMPORT, name, ignore_permissions=True, force=True)
	for name in frappe.get_all("File", filters={"file_name": ("like", "oi-import-%")}, pluck="name"):
		frappe.delete_doc("File", name, ignore_permissions=True, force=True)
	orgs = frappe.get_all(
		ORG, filters={"name": ("like", f"{PREFIX}%")}, fields=["name", "lft"], order_by="lft desc"
	)
	for org in orgs:
		frappe.delete_doc(ORG, org.name, ignore_permissions=True, force=True)


def csv_content(rows: list[list]) -> str:
	out = io.StringIO()
	csv.writer(out).writerows(rows)
	return out.getvalue()


def new_import(user: str, content: str | bytes | None = None, extension: str = "csv", **fields):
	"""A Data Import of Party Organizations saved by ``user`` and its file attached, as the desk
	does it (the record first, then the file on it)."""
	with as_user(user):
		doc = frappe.get_doc(
			{
				"doctype": DATA_IMPORT,
				"reference_doctype": ORG,
				"import_type": "Insert New Records",
				**fields,
			}
		).insert()
		if content is not None:
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"oi-import-{frappe.generate_hash(length=8)}.{extension}",
					"content": content,
					"is_private": 1,
					"attached_to_doctype": DATA_IMPORT,
					"attached_to_name": doc.name,
				}
			).insert()
			doc.import_file = file.file_url
			doc.save()
	# committed, so that the importer's rollback of a failed row keeps it (as Frappe's tests do)
	frappe.db.commit()
	return doc


def run(doc, user: str):
	"""Run the import as ``user`` (synchronously, as in Frappe's tests); the logs by row."""
	with as_user(user):
		start_import(doc.name)
	doc.reload()
	logs = frappe.get_all(
		"Data Import Log",
		filters={"data_import": doc.name},
		fields=["success", "docname", "messages", "row_indexes"],
		order_by="log_index",
	)
	for log in logs:
		log.rows = json.loads(log.row_indexes)
		log.text = " ".join(message_text(message) for message in json.loads(log.messages or "[]"))
	return logs


def message_text(message) -> str:
	"""A message the importer logged, tags removed."""
	import re

	if isinstance(message, str) and message.startswith("{"):
		message = json.loads(message)
	if isinstance(message, dict):
		message = message.get("message", "")
	return re.sub(r"<[^>]+>", "", str(message))


class TestWhoImports(OrganizationImportCase):
	def test_the_importers_use_frappes_data_import(self):
		for user in (self.admin, self.approver_a):
			with self.subTest(user=user), as_user(user):
				self.assertTrue(frappe.has_permission(DATA_IMPORT, "create"))
				self.assertTrue(frappe.has_permission(ORG, "import"))
			doc = new_import(user)
			self.assertEqual(doc.owner, user)

	def test_a_secretary_is_refused(self):
		with as_user(self.secretary):
			self.assertFalse(frappe.has_permission(ORG, "import"))
			doc = frappe.get_doc(
				{"doctype": DATA_IMPORT, "reference_doctype": ORG, "import_type": "Insert New Records"}
			)
			self.assertRaises(frappe.PermissionError, doc.insert)

	def test_only_what_their_roles_may_import(self):
		"""Frappe's server does not check the import right on the doctype; the app does."""
		with as_user(self.approver_a):
			doc = frappe.get_doc(
				{
					"doctype": DATA_IMPORT,
					"reference_doctype": "Dangjian Project",
					"import_type": "Insert New Records",
				}
			)
			self.assertRaises(frappe.PermissionError, doc.insert)

	def test_each_sees_only_their_own_imports(self):
		doc = new_import(self.approver_a)
		with as_user(self.approver_b):
			self.assertNotIn(doc.name, frappe.get_list(DATA_IMPORT, pluck="name"))
			self.assertFalse(frappe.has_permission(DATA_IMPORT, "read", doc.name))
		with as_user(self.approver_a):
			self.assertIn(doc.name, frappe.get_list(DATA_IMPORT, pluck="name"))

	def test_an_app_role_without_position_imports_nothing(self):
		no_scope = make_user("oi-no-scope", roles=(scope.ROLE_APPROVER,))
		with as_user(no_scope):
			doc = frappe.get_doc(
				{"doctype": DATA_IMPORT, "reference_doctype": ORG, "import_type": "Insert New Records"}
			)
			self.assertRaises(frappe.PermissionError, doc.insert)


class TestScope(OrganizationImportCase):
	"""The server decides: an approver within their unit, the company administrator anywhere in
	the company; a row outside fails with its message, and the other rows go on."""

	HEADER = ["organization_name", "org_code", "organization_type", "parent_party_organization"]

	def test_the_company_administrator_imports_anywhere_in_the_company(self):
		doc = new_import(
			self.admin,
			csv_content(
				[
					self.HEADER,
					["OI第三单位", "OIUC", "Unit", self.company],
					["OI第二单位第五支部", "OIUB-B5", "Branch", self.unit_b],
				]
			),
		)
		logs = run(doc, self.admin)
		self.assertEqual([log.success for log in logs], [1, 1], [log.text for log in logs])
		self.assertEqual(doc.status, "Success")
		self.assertEqual(frappe.db.get_value(ORG, "OIUC", "parent_party_organization"), self.company)
		self.assertEqual(frappe.db.get_value(ORG, "OIUB-B5", "parent_party_organization"), self.unit_b)

	def test_an_approver_imports_within_their_unit_only(self):
		doc = new_import(
			self.approver_a,
			csv_content(
				[
					self.HEADER,
					["OI第一单位第二支部", "OIUA-B2", "Branch", self.unit_a],
					["OI越权支部", "OIUB-X1", "Branch", self.unit_b],
					["OI第一单位第三支部", "OIUA-B3", "Branch", self.unit_a],
					["OI越权公司", "OIX", "Company", ""],
				]
			),
		)
		logs = run(doc, self.approver_a)
		self.assertEqual([log.success for log in logs], [1, 0, 1, 0], [log.text for log in logs])
		# Frappe's importer logs the failed row with its message and goes on with the others
		self.assertEqual(doc.status, "Partial Success")
		self.assertEqual(logs[1].rows, [3])
		self.assertIn(
			"不能在 OIUB 下新建 OI越权支部（OIUB-X1）：OIUB 超出您的权限范围（OI第一单位）", logs[1].text
		)
		self.assertIn("不能新建 OI越权公司（OIX）", logs[3].text)
		# nothing of the refused rows is written
		self.assertTrue(frappe.db.exists(ORG, "OIUA-B2"))
		self.assertTrue(frappe.db.exists(ORG, "OIUA-B3"))
		self.assertFalse(frappe.db.exists(ORG, "OIUB-X1"))
		self.assertFalse(frappe.db.exists(ORG, "OIX"))

	def test_an_approver_updates_within_their_unit_only(self):
		doc = new_import(
			self.approver_a,
			csv_content(
				[
					["org_code", "organization_name"],
					[self.branch_a1, "OI第一支部（改）"],
					[self.unit_b, "OI第二单位（改）"],
				]
			),
			import_type="Update Existing Records",
		)
		logs = run(doc, self.approver_a)
		self.assertEqual([log.success for log in logs], [1, 0], [log.text for log in logs])
		self.assertIn("不能修改组织 OIUB：它超出您的权限范围（OI第一单位）", logs[1].text)
		self.assertEqual(frappe.db.get_value(ORG, self.branch_a1, "organization_name"), "OI第一支部（改）")
		self.assertEqual(frappe.db.get_value(ORG, self.unit_b, "organization_name"), "OI第二单位")
		frappe.db.set_value(ORG, self.branch_a1, "organization_name", "OI第一支部")
		frappe.db.commit()
