# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class DangjianBallot(Document):
	"""A one-time voting token of an evaluation (dangjian.ballots). Only the server writes
	ballots: ``dangjian.ballots.issue_ballots`` creates them, a vote marks one used. The secret
	of the link is never stored, only its SHA-256 (``token_hash``)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		branch: DF.Link | None
		category: DF.Literal["", "Party Member", "Cadre", "Masses Representative"]
		email: DF.Data | None
		evaluation: DF.Link
		invitee_name: DF.Data | None
		mobile: DF.Data | None
		project_name: DF.Data | None
		status: DF.Literal["Issued", "Used"]
		token_hash: DF.Data | None
		used_on: DF.Date | None
		user: DF.Link | None

	# end: auto-generated types
	def validate(self):
		if self.is_new() and not self.flags.issued_by_server:
			frappe.throw(
				_("Ballots are issued from the evaluation form (Issue Ballots), not created by hand."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)
		if not self.token_hash or len(self.token_hash) != 64:
			frappe.throw(_("A ballot needs its token."), title=_("Not Allowed"))
