# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""One secretary's reading of one call for applications: who and when, for the publisher and an
auditor. A record of its own, not a row of the notice: reading must not need write permission on
the (submitted) notice, and no role may create, change or delete one through the desk or the REST
API; only ``dangjian_notice.mark_read`` writes it, for the user who calls it. Its name is the
notice and the user, so the database keeps one record per pair."""

from frappe.model.document import Document


class DangjianNoticeRead(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		branch: DF.Link | None
		full_name: DF.Data | None
		notice: DF.Link
		read_on: DF.Datetime
		user: DF.Link

	# end: auto-generated types
	def autoname(self):
		self.name = f"{self.notice}:{self.user}"
