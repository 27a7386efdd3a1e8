import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_project.timeline import get_project_timeline
from dangjian.tests.utils import evaluated_project, make_actors


class TestTimeline(FrappeTestCase):
	def test_history_in_order_with_who(self):
		a = make_actors("TL")
		project, _evaluation = evaluated_project(a)
		frappe.set_user(a.secretary_a)
		try:
			events = get_project_timeline(project.name)
		finally:
			frappe.set_user("Administrator")
		texts = [e["event"] for e in events]
		for fragment in (
			"Applied for approval",
			"Reviewed by",
			"Approved and filed",
			"Implementation started",
			"Acceptance 1: Passed",
			"Evaluated: 5 stars",
		):
			self.assertTrue(any(fragment in t for t in texts), (fragment, texts))
		dates = [e["date"] for e in events]
		self.assertEqual(dates, sorted(dates))
		applied = next(e for e in events if "Applied for approval" in e["event"])
		self.assertEqual(applied["who"], a.secretary_a)

	def test_other_branch_cannot_read_the_history(self):
		a = make_actors("TM")
		from dangjian.tests.utils import make_project

		project = make_project(a.tree.branch_a1)
		frappe.set_user(a.secretary_b)
		try:
			with self.assertRaises(frappe.PermissionError):
				get_project_timeline(project.name)
		finally:
			frappe.set_user("Administrator")
