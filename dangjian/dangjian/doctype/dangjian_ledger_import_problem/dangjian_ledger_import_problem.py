# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianLedgerImportProblem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cell: DF.Data | None
		column_label: DF.Data | None
		message: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		row_no: DF.Int
		severity: DF.Literal["Error", "Warning"]
		sheet: DF.Data | None
	# end: auto-generated types

	pass
