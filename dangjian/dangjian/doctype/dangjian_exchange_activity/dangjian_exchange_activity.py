# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document

from dangjian.controllers.concurrency import ChildRowsByName


class DangjianExchangeActivity(ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_exchange_activity_project.dangjian_exchange_activity_project import (
			DangjianExchangeActivityProject,
		)

		activity_date: DF.Date
		activity_type: DF.Literal["Experience Exchange", "On-site Observation", "Promotion Meeting"]
		evidence: DF.Attach | None
		location: DF.Data | None
		organizer: DF.Link
		participant_count: DF.Int
		participants: DF.SmallText | None
		projects: DF.Table[DangjianExchangeActivityProject]
		summary: DF.Text | None
		title: DF.Data
	# end: auto-generated types
	pass
