"""The name a browser gives an export of the app's reports and lists (dangjian.exports): over
HTTP, on the site's running web server, the desk's own export calls get a Content-Disposition
with RFC 5987's ``filename*`` that decodes to the Chinese name, and an ASCII fallback; Frappe's
own doctypes keep Frappe's header as it is."""

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.exports import content_disposition, header_filename

LEDGER = "Dangjian Project Ledger"
LEDGER_ZH = "项目管理台账"


PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parse_disposition(raw: str) -> tuple[str, dict[str, str]]:
	"""A Content-Disposition as a browser reads it (RFC 6266): the type, the parameters, and
	under "decoded" the name it saves: RFC 5987's filename* when there is one, else filename."""
	kind = raw.split(";", 1)[0].strip().lower()
	if "=" in kind:
		kind, raw = "", ";" + raw
	params = {}
	for key, value in PARAM.findall(raw):
		if value.startswith('"'):
			value = re.sub(r"\\(.)", r"\1", value[1:-1])
		params[key.lower()] = value.strip()
	extended = params.get("filename*")
	if extended:
		charset, _language, encoded = extended.split("'", 2)
		params["decoded"] = urllib.parse.unquote(encoded, encoding=charset)
	elif "filename" in params:
		params["decoded"] = params["filename"]
	return kind, params


def set_language(language: str | None) -> None:
	frappe.db.set_value("User", "Administrator", "language", language)
	frappe.db.commit()
	frappe.clear_cache(user="Administrator")


class TestHeaderHelpers(FrappeTestCase):
	def test_content_disposition_round_trip(self):
		header = content_disposition(f"{LEDGER_ZH}.xlsx", f"{LEDGER}.xlsx")
		self.assertTrue(header.isascii(), header)
		kind, params = parse_disposition(header)
		self.assertEqual(kind, "attachment")
		self.assertEqual(params["filename"], f"{LEDGER}.xlsx")
		self.assertEqual(params["decoded"], f"{LEDGER_ZH}.xlsx")
		self.assertEqual(urllib.parse.unquote(header.split("filename*=UTF-8''")[1]), f"{LEDGER_ZH}.xlsx")

	def test_frappe_header_is_read_back_as_utf8(self):
		# werkzeug holds the UTF-8 bytes Frappe wrote as Latin-1 text
		raw = f'filename="{LEDGER_ZH}.csv"'.encode().decode("latin-1")
		self.assertEqual(header_filename(raw), f"{LEDGER_ZH}.csv")
		self.assertEqual(header_filename('attachment; filename="a \\"b\\".csv"'), 'a "b".csv')


class TestExportFileNames(FrappeTestCase):
	"""The exports go through the running web server (`bench serve`), which answers this site
	by its Host header: the whole request, with the app's after_request hook, as a browser
	sends it from the desk."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		port = frappe.get_conf().get("webserver_port") or 8000
		cls.base = os.environ.get("DANGJIAN_WEB_URL", f"http://127.0.0.1:{port}").rstrip("/")
		cls.host = frappe.local.site
		cls.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
		# the desk in Chinese: Frappe names the files in the user's language (set before the
		# login, which keeps it in the session), put back afterwards
		cls.language = frappe.db.get_value("User", "Administrator", "language")
		set_language("zh")
		try:
			cls.post(
				"/api/method/login",
				{"usr": "Administrator", "pwd": os.environ.get("DANGJIAN_ADMIN_PASSWORD", "admin")},
			)
		except urllib.error.URLError as error:
			cls.server_error = f"no web server for {cls.host} at {cls.base} ({error}): start `bench serve`"
		else:
			cls.server_error = None

	@classmethod
	def tearDownClass(cls):
		set_language(cls.language)
		super().tearDownClass()

	def setUp(self):
		if self.server_error:
			if os.environ.get("CI"):
				self.fail(self.server_error)
			self.skipTest(self.server_error)

	@classmethod
	def post(cls, path: str, data: dict):
		request = urllib.request.Request(
			cls.base + path, data=urllib.parse.urlencode(data).encode(), method="POST"
		)
		request.add_header("Host", cls.host)
		response = cls.opener.open(request, timeout=120)
		return response.status, response.headers, response.read()

	def export(self, data: dict) -> tuple[str, bytes]:
		"""POST to / with the desk's `cmd`, as frappe.request.open_url_post does; the raw
		Content-Disposition (as the bytes the server sent) and the body."""
		status, headers, body = self.post("/", data)
		self.assertEqual(status, 200)
		raw = headers.get("Content-Disposition")
		self.assertTrue(raw, f"no Content-Disposition for {data}: {body[:300]!r}")
		# http.client reads header bytes as Latin-1: back to the bytes the server sent
		return raw.encode("latin-1").decode("utf-8", "replace"), body

	def assert_chinese_name(self, header: str, expected: str, fallback: str):
		self.assertTrue(header.isascii(), f"the header is not ASCII: {header!r}")
		kind, params = parse_disposition(header)
		self.assertEqual(kind, "attachment", header)
		self.assertEqual(params.get("decoded"), expected, header)
		self.assertEqual(params.get("filename"), fallback, header)

	def report_export(self, file_format: str) -> tuple[str, bytes]:
		return self.export(
			{
				"cmd": "frappe.desk.query_report.export_query",
				"report_name": LEDGER,
				"file_format_type": file_format,
				"filters": json.dumps({}),
				"visible_idx": json.dumps([]),
				"custom_columns": json.dumps([]),
			}
		)

	def list_export(self, doctype: str, file_format: str) -> tuple[str, bytes]:
		return self.export(
			{
				"cmd": "frappe.desk.reportview.export_query",
				"doctype": doctype,
				"title": doctype,
				"file_format_type": file_format,
				"fields": json.dumps([f"`tab{doctype}`.`name`"]),
				"filters": json.dumps([]),
			}
		)

	def test_ledger_excel_keeps_its_chinese_name(self):
		header, body = self.report_export("Excel")
		self.assert_chinese_name(header, f"{LEDGER_ZH}.xlsx", f"{LEDGER}.xlsx")
		self.assertTrue(body.startswith(b"PK"), "not an xlsx file")

	def test_ledger_csv_keeps_its_chinese_name(self):
		header, body = self.report_export("CSV")
		self.assert_chinese_name(header, f"{LEDGER_ZH}.csv", f"{LEDGER}.csv")
		self.assertIn("项目名称".encode(), body)

	def test_app_list_export_keeps_its_chinese_name(self):
		doctype = "Dangjian Project"
		name_zh = frappe._(doctype, lang="zh")
		self.assertFalse(name_zh.isascii(), f"{doctype} has no Chinese name")
		for file_format, extension in (("Excel", "xlsx"), ("CSV", "csv")):
			header, _body = self.list_export(doctype, file_format)
			self.assert_chinese_name(header, f"{name_zh}.{extension}", f"{doctype}.{extension}")

	def test_every_app_report_keeps_its_chinese_name(self):
		reports = frappe.get_all(
			"Report",
			filters={"module": ["in", frappe.get_module_list("dangjian")], "disabled": 0},
			pluck="name",
		)
		self.assertIn(LEDGER, reports)
		for report in reports:
			name_zh = frappe._(report, lang="zh")
			self.assertFalse(name_zh.isascii(), f"{report} has no Chinese name")
			header, _body = self.export(
				{
					"cmd": "frappe.desk.query_report.export_query",
					"report_name": report,
					"file_format_type": "CSV",
					"filters": json.dumps({}),
					"visible_idx": json.dumps([]),
				}
			)
			self.assert_chinese_name(header, f"{name_zh}.csv", f"{report}.csv")

	def test_app_data_export_keeps_its_chinese_name(self):
		# the Data Export tool's Excel file (its CSV is named after the doctype in English)
		doctype = "Dangjian Project"
		header, body = self.export(
			{
				"cmd": "frappe.core.doctype.data_export.exporter.export_data",
				"doctype": doctype,
				"file_type": "Excel",
				"select_columns": json.dumps({doctype: ["name", "project_name"]}),
				"all_doc": 1,
				"template": 0,
			}
		)
		self.assert_chinese_name(header, f"{frappe._(doctype, lang='zh')}.xlsx", f"{doctype}.xlsx")
		self.assertTrue(body.startswith(b"PK"), "not an xlsx file")

	def test_frappe_export_keeps_frappes_header(self):
		# Frappe's own doctype, with a Chinese name too: its header is Frappe's, byte for byte
		doctype = "ToDo"
		name_zh = frappe._(doctype, lang="zh")
		self.assertFalse(name_zh.isascii(), f"{doctype} has no Chinese name in Frappe")
		header, body = self.list_export(doctype, "Excel")
		self.assertEqual(header, f'filename="{name_zh}.xlsx"')
		self.assertNotIn("filename*", header)
		self.assertTrue(body.startswith(b"PK"))
