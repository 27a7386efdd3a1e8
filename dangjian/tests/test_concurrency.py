"""Saving while someone else saves (dangjian.controllers.concurrency): a copy read before another user's
committed save is refused, never written back. The other user runs in a thread with its own
database connection, so this class commits its records and removes them afterwards."""

import threading

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.tests.utils import make_project, make_tree

PREFIX = "CC"


def save_elsewhere(site: str, project: str, team_member: str) -> None:
	"""Another user's save of the project, committed on another connection."""
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Dangjian Project", project)
		doc.append("team", {"member_name": team_member, "title": "党员", "team_role": "Member"})
		doc.save()
		frappe.db.commit()
	finally:
		frappe.destroy()


class TestConcurrentSaves(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		tree = make_tree(PREFIX)
		cls.project = make_project(tree.branch_a1).name
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.delete_doc("Dangjian Project", cls.project, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def other_user_saves(self, member: str) -> None:
		thread = threading.Thread(target=save_elsewhere, args=(frappe.local.site, self.project, member))
		thread.start()
		thread.join()

	def team(self) -> list[str]:
		return frappe.get_all(
			"Dangjian Project Team Member",
			filters={"parent": self.project},
			pluck="member_name",
			order_by="idx",
		)

	def test_stale_copy_is_refused_and_the_other_save_kept(self):
		frappe.db.rollback()
		mine = frappe.get_doc("Dangjian Project", self.project)  # this transaction's snapshot
		self.other_user_saves("王五")
		# loading for a save (as the REST API's PUT and every save do) sees the newer row
		with self.assertRaises(frappe.TimestampMismatchError):
			frappe.get_doc("Dangjian Project", self.project, for_update=True)
		mine.innovation_goals = "覆盖他人的保存"
		with self.assertRaises(frappe.TimestampMismatchError):
			mine.save()
		frappe.db.rollback()
		self.assertIn("王五", self.team())
		self.assertNotEqual(
			frappe.db.get_value("Dangjian Project", self.project, "innovation_goals"), "覆盖他人的保存"
		)

	def test_fresh_copy_saves(self):
		frappe.db.rollback()
		self.other_user_saves("赵六")
		frappe.db.rollback()
		doc = frappe.get_doc("Dangjian Project", self.project, for_update=True)
		self.assertIn("赵六", [row.member_name for row in doc.team])
		doc.innovation_goals = "在最新版本上保存"
		doc.save()
		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value("Dangjian Project", self.project, "innovation_goals"), "在最新版本上保存"
		)
		self.assertIn("赵六", self.team())
