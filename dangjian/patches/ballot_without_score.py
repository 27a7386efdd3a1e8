"""A used ballot no longer leads to its vote: sites made when an anonymous ballot kept a link to
its score lose that column (removing the field from the DocType leaves the column and its
values in the table, still readable through the REST API)."""

import frappe


def execute():
	if frappe.db.has_column("Dangjian Ballot", "score"):
		frappe.db.sql_ddl("alter table `tabDangjian Ballot` drop column `score`")
