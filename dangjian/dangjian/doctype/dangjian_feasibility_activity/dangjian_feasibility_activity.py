# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianFeasibilityActivity(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activity_date: DF.Date
		activity_type: DF.Literal["Special Research", "Symposium", "Opinion Form", "Field Visit"]
		evidence: DF.Attach | None
		opinions_collected: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		participants: DF.Int
		summary: DF.SmallText | None
	# end: auto-generated types
	pass
