# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document


class DangjianTopTenScore(Document):
	pass
