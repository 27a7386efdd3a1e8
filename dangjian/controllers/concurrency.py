"""Saving documents at the same moment without deadlocks.

Frappe syncs a document's child table on every save with ``DELETE FROM child WHERE parent = %s
AND name NOT IN (...)``. Under MariaDB's REPEATABLE READ that statement takes a gap lock on the
child table's ``parent`` index even when it deletes nothing; two branch secretaries saving their
(newest) projects at the same moment then both hold the gap at the end of the index, both insert
into it, and MariaDB kills one of them with a deadlock (a server error to the user). The trust
suite's load test made exactly that happen with seven branches writing their plans at once.

Frappe also loads the stored copy of a document before every save (and the REST API's PUT loads
the document) with ``SELECT ... FOR UPDATE`` on each child table, which takes the same gap locks.

``ChildRowsByName`` keeps Frappe's behaviour without those gap locks:
- loading for update reads the document and its rows with plain (consistent) reads and then locks
  the parent row alone; when the locked row is newer than what was read, someone saved it in the
  meantime and the save is refused with Frappe's own "modified after you opened it" error, so a
  stale copy is never written back;
- syncing a child table reads the stored row names with a plain read and deletes the rows no
  longer in the document by primary key (no gap lock); the others are updated or inserted.
The parent row lock serializes saves of one document, exactly as before.
"""

import frappe
from frappe import _
from frappe.utils import cstr


class ChildRowsByName:
	def load_from_db(self):
		if not self.flags.for_update or self.meta.issingle:
			return super().load_from_db()
		self.flags.for_update = False
		try:
			super().load_from_db()
		finally:
			self.flags.for_update = True
		latest = frappe.db.get_value(self.doctype, self.name, "modified", for_update=True, order_by=None)
		if cstr(latest) != cstr(self.modified):
			frappe.throw(
				_(
					"{0} {1} has just been changed by someone else. Please refresh to get the latest document."
				).format(_(self.doctype), self.name),
				frappe.TimestampMismatchError,
				title=_("Document Changed"),
			)
		return self

	def update_child_table(self, fieldname: str, df=None):
		df = df or self.meta.get_field(fieldname)
		rows = self.get(df.fieldname)
		if not (
			df.options in (self.flags.ignore_children_type or ())
			or frappe.get_meta(df.options).is_virtual == 1
		):
			keep = {row.name for row in rows if row.name and not row.is_new()}
			table = frappe.qb.DocType(df.options)
			stored = (
				frappe.qb.from_(table)
				.select(table.name)
				.where(table.parent == self.name)
				.where(table.parenttype == self.doctype)
				.where(table.parentfield == fieldname)
				.run(pluck=True)
			)
			stale = [name for name in stored if name not in keep]
			if stale:
				frappe.db.delete(df.options, {"name": ("in", stale)})
		for row in rows:
			row.db_update()
