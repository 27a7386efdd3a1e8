"""The organisation tree and its people through Frappe's own Data Import, as the desk runs it:
a Data Import saved by the user, the file attached to it, the import run (synchronously, as
Frappe's own tests run it). Frappe's importer commits after every row and rolls back a row that
fails, so this class commits its records and removes them afterwards."""

import csv
import io
import json

import frappe
from frappe.core.doctype.data_import.data_import import download_template, start_import
from frappe.core.doctype.data_import.importer import get_df_for_column_header
from frappe.tests.test_api import FrappeAPITestCase, make_request
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.setup.data_import import DATA_IMPORT
from dangjian.tests.utils import add_member, api_token, as_user, make_org, make_user, set_secretary

PREFIX = "OI"
ORG = "Party Organization"


class OrganizationImportCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_fixtures(cls)

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


def make_fixtures(cls) -> None:
	"""A company with two units, their approvers, its administrator, a branch secretary and
	the people an import names (committed)."""
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
	# a name twice in the company: a general branch in each unit
	cls.general_a = make_org("OIUA-G", "General Branch", cls.unit_a, name="OI同名总支").name
	cls.general_b = make_org("OIUB-G", "General Branch", cls.unit_b, name="OI同名总支").name
	# people found by e-mail or mobile number (one stored with country code and dashes); one
	# mobile number that two users have (stored two ways)
	cls.person1 = zh_user("oi-person1", mobile_no="13911110001")
	cls.person2 = zh_user("oi-person2", mobile_no="+86 139-1111-0002")
	cls.twin1 = zh_user("oi-twin1", mobile_no="13911110009")
	cls.twin2 = zh_user("oi-twin2", mobile_no="+86 13911110009")
	frappe.db.commit()


def zh_user(login: str, **fields) -> str:
	user = make_user(login)
	values = {"language": "zh", **fields}
	if any(frappe.db.get_value("User", user, key) != value for key, value in values.items()):
		doc = frappe.get_doc("User", user)
		doc.update(values)
		doc.save(ignore_permissions=True)
	return user


def cleanup():
	# (a new snapshot: what other connections committed, the REST requests' records too)
	frappe.db.commit()
	for name in frappe.get_all(DATA_IMPORT, filters={"owner": ("like", "oi-%")}, pluck="name"):
		frappe.db.delete("Data Import Log", {"data_import": name})
		frappe.delete_doc(DATA_IMPORT, name, ignore_permissions=True, force=True)
	for name in frappe.get_all("File", filters={"file_name": ("like", "oi-import-%")}, pluck="name"):
		frappe.delete_doc("File", name, ignore_permissions=True, force=True)
	orgs = frappe.get_all(
		ORG, filters={"name": ("like", f"{PREFIX}%")}, fields=["name", "lft"], order_by="lft desc"
	)
	for org in orgs:
		for attempt in (1, 2):
			try:
				frappe.delete_doc(ORG, org.name, ignore_permissions=True, force=True)
				frappe.db.commit()
				break
			except frappe.TimestampMismatchError:
				# a worker of the bench (scripts/setup.sh starts one) saved a member's contact
				# at the same moment: once more, from what it committed
				frappe.db.rollback()
				if attempt == 2:
					raise


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

	# the template's Chinese headers (上级组织: the parent's link column, which takes a code)
	HEADER = ["组织名称", "组织编码", "组织类型", "上级组织"]

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
					["组织编码", "组织名称"],
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


class TestReferences(OrganizationImportCase):
	"""Parents by code, by a path of names or by a unique name; people by account, e-mail or
	mobile number; the import columns are plain text, so a parent made by an earlier row of the
	same file is found (Frappe's importer refuses a whole file whose link column names a record
	that does not exist yet)."""

	# the template's Chinese headers: the import columns of the parent and the people
	HEADER = [
		"组织名称",
		"组织编码",
		"组织类型",
		"上级组织编码或路径",
		"书记账号、邮箱或手机号",
		"姓名 (成员)",
		"账号、邮箱或手机号 (成员)",
		"职责 (成员)",
	]

	def import_rows(self, user, rows):
		logs = run(new_import(user, csv_content([self.HEADER, *rows])), user)
		return logs, {row: log for log in logs for row in log.rows}

	def test_the_tree_and_its_people(self):
		logs, _rows = self.import_rows(
			self.admin,
			[
				# by the company's name (unique); people by e-mail and by mobile number
				[
					"OI第四单位",
					"OIUD",
					"Unit",
					"OI集团公司",
					self.person1,
					"张三",
					"oi-person1@djtest.invalid",
					"Party Committee",
				],
				["", "", "", "", "", "李四", "139 1111 0002", "Approver"],
				# by a path through the unit the first row made
				[
					"OI第四单位第一支部",
					"OIUD-B1",
					"Branch",
					"OI集团公司/OI第四单位",
					"+86 139-1111-0001",
					"",
					self.person2,
					"Member",
				],
				# by code, and by a path where the last name alone is ambiguous
				["OI第一单位第九支部", "OIUA-B9", "Branch", self.unit_a, "", "", "", ""],
				["OI同名总支第一支部", "OIUB-G-B1", "Branch", "OI第二单位／OI同名总支", "", "", "", ""],
			],
		)
		self.assertEqual([log.success for log in logs], [1, 1, 1, 1], [log.text for log in logs])
		self.assertEqual(logs[0].rows, [2, 3])
		unit = frappe.get_doc(ORG, "OIUD")
		self.assertEqual(unit.parent_party_organization, self.company)
		self.assertEqual(unit.secretary, self.person1)
		self.assertEqual(
			[(row.member_name, row.user, row.duty) for row in unit.members],
			[("张三", self.person1, "Party Committee"), ("李四", self.person2, "Approver")],
		)
		branch = frappe.get_doc(ORG, "OIUD-B1")
		self.assertEqual(branch.parent_party_organization, "OIUD")
		self.assertEqual(branch.secretary, self.person1)
		# a member given by account only takes the user's name
		self.assertEqual(
			[(row.member_name, row.user) for row in branch.members],
			[(frappe.db.get_value("User", self.person2, "full_name"), self.person2)],
		)
		self.assertEqual(frappe.db.get_value(ORG, "OIUA-B9", "parent_party_organization"), self.unit_a)
		self.assertEqual(frappe.db.get_value(ORG, "OIUB-G-B1", "parent_party_organization"), self.general_b)
		# the import columns are not kept
		self.assertFalse(unit.parent_ref or unit.secretary_ref or unit.members[0].user_ref)
		# the positions give the scope and the roles, as any save does
		self.assertIn(scope.ROLE_APPROVER, frappe.get_roles(self.person2))
		self.assertTrue(frappe.db.exists("User Permission", {"user": self.person1, "for_value": "OIUD-B1"}))

	def test_an_unknown_or_ambiguous_parent(self):
		logs, by_row = self.import_rows(
			self.admin,
			[
				["OI孤儿支部", "OIUA-B8", "Branch", "OI集团公司/不存在的单位", "", "", "", ""],
				["OI同名支部", "OIUA-B7", "Branch", "OI同名总支", "", "", "", ""],
				["OI正常支部", "OIUA-B6", "Branch", "OI集团公司/OI第一单位/OI同名总支", "", "", "", ""],
			],
		)
		self.assertEqual([log.success for log in logs], [0, 0, 1], [log.text for log in logs])
		self.assertIn(
			"OI孤儿支部：找不到上级组织 OI集团公司/不存在的单位；请填写上级组织的编码，或用 / 连接的名称路径",
			by_row[2].text,
		)
		self.assertIn(
			"OI同名支部：上级组织 OI同名总支 不明确，有 2 个组织与之相符（OIUA-G, OIUB-G）", by_row[3].text
		)
		self.assertFalse(frappe.db.exists(ORG, "OIUA-B8") or frappe.db.exists(ORG, "OIUA-B7"))
		self.assertEqual(frappe.db.get_value(ORG, "OIUA-B6", "parent_party_organization"), self.general_a)

	def test_an_unknown_or_ambiguous_person(self):
		logs, by_row = self.import_rows(
			self.admin,
			[
				["OI甲支部", "OIUA-B5", "Branch", self.unit_a, "13900000000", "", "", ""],
				["OI乙支部", "OIUA-B4", "Branch", self.unit_a, "", "赵六", "nobody@djtest.invalid", "Member"],
				["OI丙支部", "OIUA-B3", "Branch", self.unit_a, "13911110009", "", "", ""],
			],
		)
		self.assertEqual([log.success for log in logs], [0, 0, 0], [log.text for log in logs])
		self.assertIn("OI甲支部 的书记：找不到账号、邮箱或手机号为 13900000000 的用户", by_row[2].text)
		self.assertIn(
			"OI乙支部 的成员第 1 行：找不到账号、邮箱或手机号为 nobody@djtest.invalid 的用户", by_row[3].text
		)
		self.assertIn("OI丙支部 的书记：手机号 13911110009 对应 2 个用户，请改填账号或邮箱", by_row[4].text)
		self.assertFalse(frappe.db.get_all(ORG, filters={"name": ("in", ["OIUA-B5", "OIUA-B4", "OIUA-B3"])}))

	def test_the_links_take_a_path_or_a_mobile_number_through_the_api_too(self):
		with as_user(self.approver_a):
			doc = frappe.get_doc(
				{
					"doctype": ORG,
					"organization_name": "OI接口支部",
					"org_code": "OIUA-G-B2",
					"organization_type": "Branch",
					"parent_party_organization": "OI第一单位/OI同名总支",
					"secretary": "139-1111-0001",
				}
			).insert()
		self.assertEqual((doc.parent_party_organization, doc.secretary), (self.general_a, self.person1))
		frappe.db.commit()


class TestChineseHeaders(OrganizationImportCase):
	def template(self, user: str, lang: str = "zh") -> list[list[str]]:
		"""The blank template the desk downloads for ``user`` (every column the template's
		picker offers), read back."""
		meta = frappe.get_meta(ORG)
		picked = {
			ORG: ["name"] + [df.fieldname for df in pickable(meta) if df.fieldtype != "Table"],
			"members": ["name"]
			+ [df.fieldname for df in pickable(frappe.get_meta("Party Organization Member"))],
		}
		with as_user(user):
			frappe.local.lang = lang
			download_template(ORG, json.dumps(picked), "blank_template", file_type="CSV")
		return list(csv.reader(io.StringIO(frappe.response["result"])))

	def test_the_template_has_chinese_headers_for_a_zh_user(self):
		header = self.template(self.approver_a)[0]
		self.assertGreater(len(header), 20, header)
		for column in header:
			# every column is Chinese but Frappe's ID column (the record's name)
			self.assertTrue(
				column in ("ID", "ID (成员)") or any("\u4e00" <= char <= "\u9fff" for char in column), column
			)
		for column in (
			"组织名称",
			"组织编码",
			"组织类型",
			"上级组织",
			"上级组织编码或路径",
			"书记",
			"书记账号、邮箱或手机号",
			"分管领导账号、邮箱或手机号",
			"姓名 (成员)",
			"职务 (成员)",
			"职责 (成员)",
			"账号、邮箱或手机号 (成员)",
		):
			self.assertIn(column, header)
		# and each maps back to its field
		frappe.local.lang = "zh"
		frappe.cache.hdel("data_import_column_header_map", ORG)
		unmatched = [column for column in header if not get_df_for_column_header(ORG, column)]
		self.assertEqual(unmatched, [])

	def test_the_chinese_template_imports_whoever_built_frappes_header_map(self):
		"""Frappe caches its header map per doctype in the language of whoever built it first
		(a background job: English); the app's map holds the Chinese labels too."""
		header = self.template(self.admin)[0]
		frappe.cache.hdel("data_import_column_header_map", ORG)
		frappe.local.lang = "en"
		self.assertIsNone(get_df_for_column_header(ORG, "组织编码"))  # Frappe's map, in English
		row = {column: "" for column in header}
		row.update(
			{
				"组织名称": "OI模板单位",
				"组织编码": "OIUT",
				"组织类型": "Unit",
				"上级组织编码或路径": "OI集团公司",
				"书记账号、邮箱或手机号": "13911110001",
				"姓名 (成员)": "张三",
				"职务 (成员)": "党委委员",
				"职责 (成员)": "Party Committee",
				"账号、邮箱或手机号 (成员)": "oi-person2@djtest.invalid",
			}
		)
		doc = new_import(self.admin, csv_content([header, [row[column] for column in header]]))
		logs = run(doc, self.admin)
		self.assertEqual([log.success for log in logs], [1], [log.text for log in logs])
		unit = frappe.get_doc(ORG, "OIUT")
		self.assertEqual(
			(unit.organization_name, unit.parent_party_organization, unit.secretary),
			("OI模板单位", self.company, self.person1),
		)
		self.assertEqual(
			[(row.member_name, row.title, row.duty, row.user) for row in unit.members],
			[("张三", "党委委员", "Party Committee", self.person2)],
		)

	def test_a_workbook_with_a_mobile_number_as_a_number(self):
		from frappe.utils.xlsxutils import make_xlsx

		rows = [
			["组织名称", "组织编码", "组织类型", "上级组织编码或路径", "书记账号、邮箱或手机号"],
			["OI表格支部", "OIUA-BX", "Branch", "OI第一单位", 13911110001],
		]
		doc = new_import(self.approver_a, make_xlsx(rows, "Sheet1").getvalue(), extension="xlsx")
		logs = run(doc, self.approver_a)
		self.assertEqual([log.success for log in logs], [1], [log.text for log in logs])
		self.assertEqual(frappe.db.get_value(ORG, "OIUA-BX", "secretary"), self.person1)


def pickable(meta) -> list:
	"""The fields the desk's template dialog offers (frappe/data_import/data_exporter.js)."""
	from frappe.model import no_value_fields

	return [
		df
		for df in meta.fields
		if (df.fieldtype not in no_value_fields or df.fieldtype == "Table")
		and df.fieldname not in ("lft", "rgt")
		and not df.is_virtual
	]


class TestThroughTheAPI(FrappeAPITestCase):
	"""The same refusals through the REST API (the rows of docs/bad-inputs.csv): the request runs
	on its own connection, so the records are committed and removed afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_fixtures(cls)
		cls.token = api_token(cls.approver_a)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		cleanup()
		frappe.db.commit()
		super().tearDownClass()

	def insert(self, **fields):
		data = {
			"organization_name": "OI接口坏输入支部",
			"org_code": "OIUA-API",
			"organization_type": "Branch",
			"parent_party_organization": "OIUA",
			**fields,
		}
		response = make_request(
			target=self.TEST_CLIENT.post,
			args=(self.resource(ORG),),
			# (Frappe picks an API key's language before it knows the user: from the header)
			kwargs={"json": data, "headers": {"Authorization": self.token, "Accept-Language": "zh-CN,zh"}},
		)
		messages = json.loads(response.json.get("_server_messages") or "[]")
		return response, message_text(messages[0]) if messages else ""

	def test_refusals(self):
		for fields, status, fragment in (
			({"parent_party_organization": "OIUB"}, 403, "OIUB 超出您的权限范围（OI第一单位）"),
			({"parent_ref": "不存在的公司/不存在的单位"}, 417, "找不到上级组织 不存在的公司/不存在的单位"),
			({"secretary_ref": "13900000000"}, 417, "找不到账号、邮箱或手机号为 13900000000 的用户"),
		):
			with self.subTest(fields=fields):
				response, message = self.insert(**fields)
				self.assertEqual(response.status_code, status, response.text[:300])
				self.assertIn(fragment, message)
				frappe.db.commit()  # see what the request's connection committed
				self.assertFalse(frappe.db.exists(ORG, "OIUA-API"))
		# and the same request in scope, with the people by mobile number, is taken
		response, message = self.insert(parent_ref="OI集团公司/OI第一单位", secretary_ref="13911110001")
		self.assertEqual(response.status_code, 200, message)
		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value(ORG, "OIUA-API", ["parent_party_organization", "secretary"]),
			(self.unit_a, self.person1),
		)
