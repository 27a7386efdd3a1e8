# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianTopTenCandidate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		accepted_on: DF.Date | None
		average_score: DF.Float
		branch: DF.Link | None
		branch_name: DF.Data | None
		judges: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		project: DF.Link
		project_name: DF.Data | None
		rank: DF.Int
		selected: DF.Check
		stars: DF.Int
		unit: DF.Link | None
	# end: auto-generated types
	pass
