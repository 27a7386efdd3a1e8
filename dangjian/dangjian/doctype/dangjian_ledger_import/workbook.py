# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Reading a ledger workbook: the file (an .xlsx of at most 10 MB, nothing else), its sheets
(layout.py), their headers and their cells, each typed as its column wants. Everything that
makes the workbook unreadable or a cell ambiguous is a problem with its place (sheet, row,
column, cell): a merged cell, a formula (its value depends on the spreadsheet that computed
it), a date typed as text, a number where a date belongs, an empty sheet, a header that is
not the ledger's. Nothing here reads or writes the site: checks.py judges the values."""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

import frappe
from frappe import _

from dangjian.dangjian.doctype.dangjian_ledger_import import layout

MAX_BYTES = 10 * 1024 * 1024
# an .xlsx is a zip: what it unpacks to is bounded too (a small file may unpack to gigabytes)
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
# the export may put its filters above the headers: the header row is looked for this far down
HEADER_SEARCH_ROWS = 20
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003)
ERROR = "Error"
WARNING = "Warning"
WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


class Problems:
	"""The problems found, in the order found, each with its place."""

	def __init__(self):
		self.items: list[frappe._dict] = []

	def add(self, severity, message, sheet=None, row=None, column=None, cell=None):
		self.items.append(
			frappe._dict(
				severity=severity,
				sheet=sheet or "",
				row_no=row or 0,
				column_label=column or "",
				cell=cell or "",
				message=message,
			)
		)

	def error(self, message, **where):
		self.add(ERROR, message, **where)

	def warning(self, message, **where):
		self.add(WARNING, message, **where)

	@property
	def errors(self) -> int:
		return sum(1 for item in self.items if item.severity == ERROR)

	@property
	def warnings(self) -> int:
		return sum(1 for item in self.items if item.severity == WARNING)


@dataclass
class Row:
	number: int  # the row's number in Excel
	values: dict = field(default_factory=dict)  # fieldname -> typed value (None when empty)
	cells: dict = field(default_factory=dict)  # fieldname -> coordinate (B7)
	bad: set = field(default_factory=set)  # fieldnames whose cell could not be read


@dataclass
class ReadSheet:
	spec: layout.Sheet
	title: str  # as the workbook names it
	labels: dict  # fieldname -> its header as written
	rows: list

	def where(self, row: Row, fieldname: str | None = None) -> dict:
		"""The place of a row's cell, for a problem."""
		return {
			"sheet": self.title,
			"row": row.number,
			"column": self.labels.get(fieldname) if fieldname else None,
			"cell": row.cells.get(fieldname) if fieldname else None,
		}


def size_in_mb(size: int) -> str:
	return f"{size / 1024 / 1024:.1f}"


def check_file(content: bytes, file_name: str, problems: Problems) -> bool:
	"""An .xlsx workbook of at most MAX_BYTES; anything else is refused before it is opened."""
	name = (file_name or "").strip()
	extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
	if extension == "xls" or content[:8] == OLE_MAGIC:
		problems.error(
			_(
				"{0} is an Excel 97–2003 workbook (.xls). Open it in Excel, save it as an Excel Workbook (.xlsx) and attach that."
			).format(name)
		)
		return False
	if extension == "csv":
		problems.error(
			_(
				"{0} is a CSV file: it keeps no dates or numbers, only text, so the ledger could be read wrongly. Attach the ledger as an Excel Workbook (.xlsx)."
			).format(name)
		)
		return False
	if extension != "xlsx":
		problems.error(
			_("{0} is not an Excel Workbook (.xlsx): attach the ledger as an .xlsx file.").format(name)
		)
		return False
	if len(content) > MAX_BYTES:
		problems.error(
			_(
				"{0} is {1} MB; a ledger workbook may be at most {2} MB. Split it into several workbooks (by year or by unit) and import each."
			).format(name, size_in_mb(len(content)), MAX_BYTES // 1024 // 1024)
		)
		return False
	if content[:4] != XLSX_MAGIC:
		problems.error(
			_("{0} is named .xlsx but is not an Excel Workbook: save it again from Excel as .xlsx.").format(
				name
			)
		)
		return False
	try:
		with zipfile.ZipFile(io.BytesIO(content)) as archive:
			entries = archive.infolist()
			names = {entry.filename for entry in entries}
			unpacked = sum(entry.file_size for entry in entries)
	except zipfile.BadZipFile:
		problems.error(
			_("{0} is damaged and cannot be opened as an Excel Workbook: save it again from Excel.").format(
				name
			)
		)
		return False
	if "xl/workbook.xml" not in names:
		problems.error(
			_("{0} is named .xlsx but is not an Excel Workbook: save it again from Excel as .xlsx.").format(
				name
			)
		)
		return False
	if unpacked > MAX_UNPACKED_BYTES:
		problems.error(
			_("{0} unpacks to {1} MB, more than a ledger can hold ({2} MB): it is not read.").format(
				name, size_in_mb(unpacked), MAX_UNPACKED_BYTES // 1024 // 1024
			)
		)
		return False
	return True


def read(content: bytes, file_name: str, problems: Problems) -> dict[str, ReadSheet]:
	"""The workbook's sheets that could be read, by layout key ({} when the file is refused)."""
	if not check_file(content, file_name, problems):
		return {}
	from openpyxl import load_workbook

	try:
		# not read-only: merged cells are known only to a fully loaded sheet; not data-only: a
		# formula must be seen as one
		workbook = load_workbook(io.BytesIO(content), data_only=False)
	except Exception as error:
		problems.error(
			_("{0} cannot be read as an Excel Workbook ({1}): save it again from Excel as .xlsx.").format(
				file_name, str(error)[:200]
			)
		)
		return {}
	specs = layout.sheets()
	worksheets = workbook.worksheets
	if not worksheets:
		problems.error(_("{0} has no sheet.").format(file_name))
		return {}
	found: dict[str, ReadSheet] = {}
	titles = {}
	for spec in specs:
		if not spec.first:
			for word in layout.words(spec.title, layout.CONTEXT):
				titles[word.lower()] = spec
	for index, worksheet in enumerate(worksheets):
		if index == 0:
			spec = specs[0]
		else:
			spec = titles.get(worksheet.title.strip().lower())
			if not spec:
				problems.warning(
					_(
						"Sheet {0} is not a sheet of the ledger workbook and is not read (the sheets read are the first one, the ledger, and {1})."
					).format(
						worksheet.title,
						layout.in_words([s.title for s in specs if not s.first], layout.CONTEXT),
					),
					sheet=worksheet.title,
				)
				continue
			if spec.key in found:
				problems.error(
					_("Sheet {0} is a second {1} sheet: keep one.").format(
						worksheet.title, layout.sheet_title(spec)
					),
					sheet=worksheet.title,
				)
				continue
		sheet = read_sheet(worksheet, spec, problems)
		if sheet:
			found[spec.key] = sheet
	return found


def header_lookup(spec: layout.Sheet) -> dict[str, layout.Column]:
	lookup = {}
	for column in spec.columns:
		for word in layout.words(column.label, column.context):
			lookup[word] = column
			lookup[word.lower()] = column
	return lookup


def cell_text(value) -> str:
	return "" if value is None else str(value).strip()


def find_header(worksheet, lookup) -> int | None:
	"""The row of the headers: the first of the top rows most of whose filled cells are headers
	of the sheet (rows above it, such as the filters an export may list, are not read)."""
	for number, values in enumerate(
		worksheet.iter_rows(min_row=1, max_row=min(worksheet.max_row, HEADER_SEARCH_ROWS), values_only=True),
		start=1,
	):
		texts = [cell_text(value) for value in values if cell_text(value)]
		known = [text for text in texts if text in lookup or text.lower() in lookup]
		if len(known) >= 2 and len(known) * 2 >= len(texts):
			return number
	return None


def is_empty(worksheet) -> bool:
	if worksheet.max_row <= 1 and worksheet.max_column <= 1:
		return cell_text(worksheet.cell(1, 1).value) == ""
	return not any(cell_text(value) for row in worksheet.iter_rows(values_only=True) for value in row)


def read_sheet(worksheet, spec: layout.Sheet, problems: Problems) -> ReadSheet | None:
	title = worksheet.title
	if is_empty(worksheet):
		problems.error(
			_("Sheet {0} is empty: the {1} sheet needs its header row and at least one row.").format(
				title, layout.sheet_title(spec)
			),
			sheet=title,
		)
		return None
	refused = False
	for merged in sorted(worksheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
		problems.error(
			_(
				"Cells {0} are merged: a merged cell leaves the rows it spans without a value. Unmerge them and fill in every row."
			).format(merged.coord),
			sheet=title,
			row=merged.min_row,
			cell=merged.coord.split(":")[0],
		)
		refused = True
	if refused:
		return None
	lookup = header_lookup(spec)
	header_row = find_header(worksheet, lookup)
	expected = [layout.header(column) for column in spec.columns if column.header_required]
	if header_row is None:
		problems.error(
			_(
				"Sheet {0} has no header row of the {1} sheet: its first row must hold the column headers {2}."
			).format(title, layout.sheet_title(spec), ", ".join(expected)),
			sheet=title,
			row=1,
		)
		return None
	columns: dict[int, layout.Column] = {}
	labels: dict[str, str] = {}
	headers = next(worksheet.iter_rows(min_row=header_row, max_row=header_row))
	for cell in headers:
		text = cell_text(cell.value)
		if not text:
			continue
		column = lookup.get(text) or lookup.get(text.lower())
		if not column:
			problems.error(
				_("Column {0} is not a column of the {1} sheet; its columns are {2}.").format(
					text,
					layout.sheet_title(spec),
					", ".join(layout.header(c) for c in spec.columns),
				),
				sheet=title,
				row=header_row,
				column=text,
				cell=cell.coordinate,
			)
			refused = True
			continue
		if column.fieldname in labels:
			problems.error(
				_("Column {0} appears twice.").format(text),
				sheet=title,
				row=header_row,
				column=text,
				cell=cell.coordinate,
			)
			refused = True
			continue
		columns[cell.column] = column
		labels[column.fieldname] = text
	missing = [
		layout.header(column)
		for column in spec.columns
		if column.header_required and column.fieldname not in labels
	]
	if missing:
		problems.error(
			_("The {0} sheet lacks the columns {1}: the headers must be those of the template.").format(
				layout.sheet_title(spec), ", ".join(missing)
			),
			sheet=title,
			row=header_row,
		)
		refused = True
	if refused:
		return None
	sheet = ReadSheet(spec, title, labels, [])
	for cells in worksheet.iter_rows(min_row=header_row + 1):
		row = read_row(sheet, cells, columns, problems)
		if row:
			sheet.rows.append(row)
			if len(sheet.rows) > MAX_ROWS:
				problems.error(
					_("Sheet {0} has more than {1} rows: split the ledger into several workbooks.").format(
						title, MAX_ROWS
					),
					sheet=title,
				)
				return None
	if not sheet.rows:
		problems.error(
			_("Sheet {0} is empty: it has its headers but no rows.").format(title),
			sheet=title,
			row=header_row,
		)
		return None
	return sheet


def read_row(sheet: ReadSheet, cells, columns: dict, problems: Problems) -> Row | None:
	"""A row's typed values; None for a row with nothing in it."""
	if not any(cell_text(cell.value) for cell in cells if cell.column in columns):
		return None
	row = Row(cells[0].row)
	for cell in cells:
		column = columns.get(cell.column)
		if not column:
			continue
		row.cells[column.fieldname] = cell.coordinate
		where = {
			"sheet": sheet.title,
			"row": row.number,
			"column": sheet.labels[column.fieldname],
			"cell": cell.coordinate,
		}
		if cell.data_type == "f":
			problems.error(
				_(
					"{0} holds a formula ({1}): its value depends on the spreadsheet that computed it. Replace it by its value (Copy, then Paste Special → Values)."
				).format(cell.coordinate, cell_text(getattr(cell.value, "text", cell.value))[:60]),
				**where,
			)
			row.bad.add(column.fieldname)
			row.values[column.fieldname] = None
			continue
		value, problem = typed(cell.value, column.kind)
		if problem:
			problems.error(problem, **where)
			row.bad.add(column.fieldname)
		row.values[column.fieldname] = value
	return row


def typed(value, kind: str):
	"""(value as the column's kind wants it, or None; why it cannot be, or None)."""
	if value is None or (isinstance(value, str) and not value.strip()):
		return None, None
	shown = cell_text(value)[:60]
	if kind == "date":
		if isinstance(value, datetime.datetime):
			return value.date(), None
		if isinstance(value, datetime.date):
			return value, None
		if isinstance(value, str):
			return None, _(
				"{0} is text, not a date: type the date as a date (such as 2025-04-12) in a cell formatted as a date."
			).format(shown)
		if isinstance(value, int | float) and not isinstance(value, bool):
			return None, _(
				"{0} is a number, not a date: format the cell as a date and enter the date."
			).format(shown)
		return None, _("{0} is not a date.").format(shown)
	if isinstance(value, datetime.date | datetime.time) and kind != "text":
		return None, _("{0} is a date where a number belongs.").format(shown)
	if kind == "int":
		if isinstance(value, bool):
			return None, _("{0} is not a whole number.").format(shown)
		if isinstance(value, int):
			return value, None
		if isinstance(value, float) and value.is_integer():
			return int(value), None
		if isinstance(value, str) and WHOLE_NUMBER.match(value.strip()):
			return int(value.strip()), None
		return None, _("{0} is not a whole number.").format(shown)
	if kind == "number":
		if isinstance(value, int | float) and not isinstance(value, bool):
			return float(value), None
		if isinstance(value, str):
			try:
				return float(value.strip().rstrip("%").replace(",", "")), None
			except ValueError:
				pass
		return None, _("{0} is not a number.").format(shown)
	if kind == "check":
		if isinstance(value, bool):
			return int(value), None
		if isinstance(value, int | float) and value in (0, 1):
			return int(value), None
		text = cell_text(value).lower()
		yes = {"1", "yes", "y", _("Yes").lower(), "是"}
		no = {"0", "no", "n", _("No").lower(), "否"}
		if text in yes:
			return 1, None
		if text in no:
			return 0, None
		return None, _("{0} is not a yes/no value: write 1 or 0.").format(shown)
	# text
	if isinstance(value, float) and value.is_integer():
		return str(int(value)), None
	if isinstance(value, datetime.datetime):
		return value.date().isoformat(), None
	return cell_text(value), None
