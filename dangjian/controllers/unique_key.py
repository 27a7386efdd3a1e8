"""A record with a ``unique_key`` column (one quarterly report per project and quarter, one score
per evaluator, one spot check per project): when two are inserted at the same moment, the
database's unique index decides, and the loser gets the controller's own message instead of
Frappe's generic "must be unique"."""

import frappe


class RefuseDuplicateKey:
	"""Mix in before ``Document``; the class defines ``throw_duplicate(existing_name)``."""

	def db_insert(self, *args, **kwargs):
		try:
			super().db_insert(*args, **kwargs)
		except (frappe.DuplicateEntryError, frappe.UniqueValidationError) as e:
			if "unique_key" in str(e):
				frappe.clear_last_message()
				self.throw_duplicate(frappe.db.get_value(self.doctype, {"unique_key": self.unique_key}))
			raise
