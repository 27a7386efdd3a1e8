import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.report.dangjian_commendation_list.dangjian_commendation_list import execute
from dangjian.tests.utils import make_actors, make_user


class TestCommendationList(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("CL")
		t = cls.a.tree
		cls.exemplary = evaluated(t.branch_a1, 2026, 4)
		cls.qualified = evaluated(t.branch_a2, 2026, 2)
		cls.commended = evaluated(t.branch_a2, 2026, 3)
		frappe.db.set_value("Dangjian Project", cls.commended, "commended", 1)
		cls.other_unit = evaluated(t.branch_b1, 2026, 5)
		cls.no_scope = make_user("cl-no-scope", roles=(scope.ROLE_APPROVER,))

	def run_as(self, user, **filters):
		frappe.set_user(user)
		try:
			return execute({"year": 2026, **filters})
		finally:
			frappe.set_user("Administrator")

	def test_approver_sees_the_units_commended_and_exemplary(self):
		_c, data, *_rest, summary = self.run_as(self.a.approver_a)
		self.assertEqual([r.project for r in data], [self.exemplary, self.commended])
		self.assertEqual([(r.exemplary, r.commended) for r in data], [(1, 0), (0, 1)])
		self.assertEqual([s["value"] for s in summary], [1, 1, 0])

	def test_other_scopes(self):
		self.assertEqual(self.run_as(self.no_scope)[1], [])
		self.assertEqual([r.project for r in self.run_as(self.a.approver_b)[1]], [self.other_unit])
		self.assertEqual(self.run_as(self.a.approver_b, unit=self.a.tree.unit_a)[1], [])
