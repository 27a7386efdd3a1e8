# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection import get_candidates
from dangjian.tests.utils import add_member, make_actors, make_user


def scores(judge, project, value, judge_branch=None, recused=0):
	row = {"judge": judge, "project": project, "judge_branch": judge_branch, "recused": recused}
	if not recused:
		row.update(
			{
				f"score_{c}": value
				for c in ("concept", "implementation", "materials", "report", "presentation")
			}
		)
	return row


class TestDangjianTopTenSelection(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("TT")
		t = cls.a.tree
		cls.admin = make_user("tt-admin")
		add_member(t.company, cls.admin, "Administrator")
		cls.p1 = evaluated(t.branch_a1, 2026, 5, accepted_on="2026-03-20")
		cls.p2 = evaluated(t.branch_a2, 2026, 4, accepted_on="2026-03-10")
		cls.p3 = evaluated(t.branch_b1, 2026, 4, accepted_on="2026-03-01")
		cls.low = evaluated(t.branch_b1, 2026, 2)
		cls.judges = [make_user(f"tt-judge-{i}") for i in range(3)]
		settings = frappe.get_single("Dangjian Settings")
		settings.top_ten_size = 2
		settings.save()

	def tearDown(self):
		frappe.set_user("Administrator")

	def selection(self, score_rows, **fields):
		frappe.set_user(self.admin)
		try:
			candidates = get_candidates(self.a.tree.company, 2026)
			doc = frappe.get_doc(
				{
					"doctype": "Dangjian Top Ten Selection",
					"company": self.a.tree.company,
					"year": 2026,
					"candidates": candidates,
					"scores": score_rows,
					**fields,
				}
			).insert()
			return frappe.get_doc(doc.doctype, doc.name)
		finally:
			frappe.set_user("Administrator")

	def test_candidates_are_the_years_evaluated_projects_at_the_minimum(self):
		frappe.set_user(self.admin)
		names = [row["project"] for row in get_candidates(self.a.tree.company, 2026)]
		self.assertEqual(set(names), {self.p1, self.p2, self.p3})

	def test_ranking_with_recusal_and_a_tie_then_submit_and_cancel(self):
		j1, j2, j3 = self.judges
		rows = [
			scores(j1, self.p1, 90),
			scores(j2, self.p1, 80),
			# p2 and p3 tie on the average (85) and on stars (4): the earlier acceptance (p3) wins
			scores(j1, self.p2, 85),
			scores(j2, self.p2, 85),
			scores(j1, self.p3, 80),
			scores(j2, self.p3, 90),
			# judge 3 is from p2's branch: recused there, scores the others
			scores(j3, self.p2, None, judge_branch=self.a.tree.branch_a2, recused=1),
			scores(j3, self.p1, 85, judge_branch=self.a.tree.branch_a2),
		]
		doc = self.selection(rows)
		ranked = sorted(doc.candidates, key=lambda r: r.rank)
		# p1 leads on stars among the three at 85; p3 beats p2 by its earlier acceptance
		self.assertEqual([r.project for r in ranked], [self.p1, self.p3, self.p2])
		self.assertEqual([r.selected for r in ranked], [1, 1, 0])
		self.assertEqual(ranked[0].average_score, 85)  # p1: (90 + 80 + 85) / 3
		self.assertEqual(next(r for r in doc.candidates if r.project == self.p2).judges, 2)
		recusal = next(r for r in doc.scores if r.recused)
		self.assertFalse(recusal.weighted)
		self.assertFalse(recusal.score_concept)
		frappe.set_user(self.admin)
		doc.submit()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Dangjian Project", self.p1, "top_ten"), 1)
		self.assertEqual(frappe.db.get_value("Dangjian Project", self.p2, "top_ten"), 0)
		frappe.set_user(self.admin)
		frappe.get_doc(doc.doctype, doc.name).cancel()
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Dangjian Project", self.p1, ["top_ten", "top_ten_selection"]), (0, None)
		)

	def test_judge_scoring_their_own_branch_is_refused(self):
		before = frappe.db.count("Dangjian Top Ten Selection")
		with self.assertRaises(frappe.ValidationError) as caught:
			self.selection([scores(self.judges[0], self.p2, 90, judge_branch=self.a.tree.branch_a2)])
		self.assertIn("judge's own branch", str(caught.exception))
		self.assertEqual(frappe.db.count("Dangjian Top Ten Selection"), before)

	def test_out_of_range_score_is_refused(self):
		with self.assertRaises(frappe.ValidationError) as caught:
			self.selection([scores(self.judges[0], self.p1, 101)])
		self.assertIn("between 0 and 100", str(caught.exception))

	def test_fewer_candidates_than_places_is_said_plainly(self):
		settings = frappe.get_single("Dangjian Settings")
		settings.top_ten_size = 10
		settings.save()
		frappe.clear_messages()
		doc = self.selection([])
		self.assertEqual(doc.top_n, 10)
		self.assertTrue(all(r.selected for r in doc.candidates))
		self.assertIn("Only 3 candidates for 10 places", str(frappe.get_message_log()))
		settings.top_ten_size = 2
		settings.save()
