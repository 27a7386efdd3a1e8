import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection import CRITERIA
from dangjian.dangjian.report.dangjian_commendation_list.dangjian_commendation_list import execute
from dangjian.tests.utils import add_member, make_actors, make_user


class TestCommendationList(FrappeTestCase):
	"""Unit A commends its 4-star and 3-star projects; the company's Top Ten (two places) takes
	unit B's 5-star project and unit A's 4-star one."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("CL")
		t = cls.a.tree
		cls.exemplary = evaluated(t.branch_a1, 2026, 4, project_name="先锋岗", accepted_on="2026-03-01")
		cls.qualified = evaluated(t.branch_a2, 2026, 2, project_name="合格项目")
		cls.commended = evaluated(t.branch_a2, 2026, 3, project_name="进班组", accepted_on="2026-03-02")
		cls.other_unit = evaluated(t.branch_b1, 2026, 5, project_name="精细化", accepted_on="2026-03-03")
		cls.no_scope = make_user("cl-no-scope", roles=(scope.ROLE_APPROVER,))

		frappe.set_user(cls.a.committee_a)
		commendation = frappe.get_doc(
			{
				"doctype": "Dangjian Commendation",
				"title": "关于表彰2026年度优秀党建+项目的决定",
				"unit": t.unit_a,
				"year": 2026,
				"document_number": "党委〔2027〕3号",
				"document_date": "2027-01-15",
				"projects": [{"project": cls.exemplary}, {"project": cls.commended}],
			}
		).insert()
		commendation.submit()
		frappe.set_user("Administrator")

		settings = frappe.get_single("Dangjian Settings")
		settings.top_ten_size = 2
		settings.save()
		admin = make_user("cl-admin")
		add_member(t.company, admin, "Administrator")
		judge = make_user("cl-judge")
		frappe.set_user(admin)
		marks = {cls.other_unit: 95, cls.exemplary: 90, cls.commended: 80}
		selection = frappe.get_doc(
			{
				"doctype": "Dangjian Top Ten Selection",
				"company": t.company,
				"year": 2026,
				"candidates": [{"project": p} for p in marks],
				"scores": [
					{"judge": judge, "project": p, **{f"score_{c}": mark for c in CRITERIA}}
					for p, mark in marks.items()
				],
			}
		).insert()
		selection.submit()
		frappe.set_user("Administrator")
		cls.document_number = commendation.document_number

	def run_as(self, user, **filters):
		with self.set_user(user):
			return execute({"year": 2026, **filters})

	def test_approver_sees_exactly_their_units_rows(self):
		columns, data, *_rest, summary = self.run_as(self.a.approver_a)
		fields = [c["fieldname"] for c in columns]
		self.assertEqual(
			[{f: row.get(f) for f in fields} for row in data],
			[
				{
					"project": self.exemplary,
					"project_name": "先锋岗",
					"unit_name": "CLUA 组织",
					"branch_name": "CLUA-B1 组织",
					"stars": 4,
					"grade": "Exemplary",
					"commended": 1,
					"document_number": self.document_number,
					"exemplary": 1,
					"top_ten": 1,
					"top_ten_rank": 2,
					"ledger_import": None,  # commended in the app, not imported
				},
				{
					"project": self.commended,
					"project_name": "进班组",
					"unit_name": "CLUA 组织",
					"branch_name": "CLUA-G-B2 组织",
					"stars": 3,
					"grade": "Commended",
					"commended": 1,
					"document_number": self.document_number,
					"exemplary": 0,
					"top_ten": 0,
					"top_ten_rank": None,
					"ledger_import": None,
				},
			],
		)
		self.assertEqual([s["value"] for s in summary], [2, 1, 1])

	def test_other_scopes(self):
		# an app role without any position: nothing
		self.assertEqual(self.run_as(self.no_scope)[1], [])
		rows = self.run_as(self.a.approver_b)[1]
		self.assertEqual(
			[(r.project, r.commended, r.exemplary, r.top_ten, r.top_ten_rank) for r in rows],
			[(self.other_unit, 0, 1, 1, 1)],
		)
		# another unit's filter does not widen the scope
		self.assertEqual(self.run_as(self.a.approver_b, unit=self.a.tree.unit_a)[1], [])
		# the company's administrator sees both units, Top Ten first in rank order
		rows = self.run_as("cl-admin@djtest.invalid")[1]
		self.assertEqual([r.project for r in rows], [self.other_unit, self.exemplary, self.commended])
