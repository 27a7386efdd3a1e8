# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianEvaluationCategoryResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		avg_benefit: DF.Float
		avg_replicability: DF.Float
		category: DF.Literal["Party Member", "Cadre", "Masses Representative"]
		evaluators: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		satisfaction_rate: DF.Percent
	# end: auto-generated types
	pass
