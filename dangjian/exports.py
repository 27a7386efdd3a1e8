"""The name a browser gives an export of the app's reports and lists (Excel, CSV).

Frappe names the file after the report or the doctype in the user's language (项目管理台账.xlsx)
and sends it as ``Content-Disposition: filename="..."`` with the name's raw UTF-8 bytes, which
HTTP does not define: a browser may save it under a garbled name or as "download". The
``after_request`` hook below rewrites that header, for an export of the app's own reports and
doctypes only, to RFC 6266 and RFC 5987: ``attachment; filename="<ASCII name>";
filename*=UTF-8''<percent-encoded name>`` (a browser that reads ``filename*`` saves the Chinese
name; an old one falls back to the English name). The workbooks the app makes itself (the ledger
import's template and problem list) name their fallback in ``frappe.local`` and get the same.
Every other download (Frappe's own reports and lists, other apps', an ASCII name) keeps Frappe's
header untouched."""

import re
from urllib.parse import quote

import frappe

APP = "dangjian"

# the desk's export methods -> the form value naming what is exported, and whether it is a report
EXPORT_METHODS = {
	"frappe.desk.query_report.export_query": ("report_name", "Report"),
	"frappe.desk.reportview.export_query": ("doctype", "DocType"),
	"frappe.core.doctype.data_export.exporter.export_data": ("doctype", "DocType"),
}

API_METHOD = re.compile(r"^/api/(?:v\d+/)?method/([^/?]+)")
FILENAME = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)


def after_request(response=None, request=None) -> None:
	"""``after_request`` hook: an export of the app's report or doctype whose file name is not
	ASCII gets a Content-Disposition a browser reads (see the module's docstring)."""
	if response is None or request is None:
		return
	header = response.headers.get("Content-Disposition")
	if not header or "filename*" in header.lower():
		return
	fallback = getattr(frappe.local, "dangjian_download_fallback", None)
	if fallback:
		# a workbook the app makes itself (the ledger import's template and problem list) names
		# its ASCII fallback when it sends the file
		filename = header_filename(header)
		if filename and not filename.isascii():
			response.headers["Content-Disposition"] = content_disposition(filename, fallback)
		return
	method = called_method(request)
	if method not in EXPORT_METHODS:
		return
	key, kind = EXPORT_METHODS[method]
	exported = frappe.local.form_dict.get(key)
	if not isinstance(exported, str) or not is_app_record(kind, exported):
		return
	filename = header_filename(header)
	if not filename or filename.isascii():
		return
	extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
	response.headers["Content-Disposition"] = content_disposition(filename, ascii_name(exported, extension))


def called_method(request) -> str | None:
	"""The whitelisted method a request calls: ``/api/method/<name>`` or the desk's ``cmd``."""
	found = API_METHOD.match(request.path or "")
	if found:
		return found.group(1)
	cmd = frappe.local.form_dict.get("cmd")
	return cmd if isinstance(cmd, str) else None


def is_app_record(kind: str, name: str) -> bool:
	"""A report or a doctype of one of the app's modules."""
	module = frappe.db.get_value(kind, name, "module")
	return bool(module) and module in frappe.get_module_list(APP)


def header_filename(header: str) -> str | None:
	"""The file name Frappe wrote: werkzeug holds the header as Latin-1 text, so its UTF-8 bytes
	are read back as UTF-8."""
	try:
		header = header.encode("latin-1").decode("utf-8")
	except (UnicodeEncodeError, UnicodeDecodeError):
		pass
	found = FILENAME.search(header)
	if not found:
		return None
	if found.group(1) is not None:
		return re.sub(r"\\(.)", r"\1", found.group(1))
	return found.group(2).strip()


def ascii_name(name: str, extension: str) -> str:
	"""The exported report's or doctype's English name as an ASCII file name."""
	stem = re.sub(r"[^A-Za-z0-9 ._()+-]+", "_", name).strip(" ._") or "export"
	return f"{stem}.{extension}" if extension else stem


def content_disposition(filename: str, fallback: str) -> str:
	"""RFC 6266 with RFC 5987's ``filename*`` for the UTF-8 name."""
	return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
