# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianTopTenScore(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		judge: DF.Link
		judge_branch: DF.Link | None
		judge_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		project: DF.Link
		recused: DF.Check
		score_concept: DF.Float
		score_implementation: DF.Float
		score_materials: DF.Float
		score_presentation: DF.Float
		score_report: DF.Float
		weighted: DF.Float
	# end: auto-generated types
	pass
