# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class PartyOrganizationMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		duty: DF.Literal["Member", "Approver", "Party Committee", "Evaluator", "Administrator"]
		is_party_member: DF.Check
		member_name: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		title: DF.Data | None
		user: DF.Link | None
		user_ref: DF.Data | None
	# end: auto-generated types
	pass
