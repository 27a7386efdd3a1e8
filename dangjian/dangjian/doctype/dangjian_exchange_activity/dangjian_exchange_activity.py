# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

from frappe.model.document import Document

from dangjian.concurrency import ChildRowsByName


class DangjianExchangeActivity(ChildRowsByName, Document):
	pass
