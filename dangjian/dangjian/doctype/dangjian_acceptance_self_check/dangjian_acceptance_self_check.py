# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianAcceptanceSelfCheck(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		evidence: DF.Attach | None
		gap_fixed: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		plan_step: DF.Data | None
		reason_not_done: DF.SmallText | None
		result: DF.Literal["", "Done", "Partly Done", "Not Done"]
		step_idx: DF.Int
	# end: auto-generated types
	pass
