# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianCommendationProject(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		branch_name: DF.Data | None
		exemplary: DF.Check
		grade: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		project: DF.Link
		project_name: DF.Data | None
		stars: DF.Int
	# end: auto-generated types
	pass
