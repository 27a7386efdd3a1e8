# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection import (
	CRITERIA,
	get_candidates,
	rank,
	weighted_score,
)
from dangjian.tests.utils import add_member, make_actors, make_user


def scores(judge, project, value, judge_branch=None, recused=0):
	"""A judge's row; ``value`` is one score for all five criteria or a tuple of five."""
	row = {"judge": judge, "project": project, "judge_branch": judge_branch, "recused": recused}
	if value is not None:
		values = value if isinstance(value, tuple) else (value,) * len(CRITERIA)
		row.update({f"score_{c}": v for c, v in zip(CRITERIA, values, strict=True)})
	return row


def set_settings(**values):
	settings = frappe.get_single("Dangjian Settings")
	settings.update(values)
	settings.save()


class TestTopTenRules(FrappeTestCase):
	"""The calculation and the ranking rule, without a document."""

	def test_weighted_score(self):
		weights = dict(zip(CRITERIA, (40, 15, 15, 15, 15), strict=True))
		marks = dict(zip(CRITERIA, (100, 80, 60, 40, 20), strict=True))
		self.assertEqual(weighted_score(marks, weights), 70.0)  # 40 + 12 + 9 + 6 + 3

	def test_ties_go_to_stars_then_acceptance_then_name(self):
		rows = [
			frappe._dict(
				project="a", project_name="B项目", average_score=80, stars=4, accepted_on="2026-03-01"
			),
			frappe._dict(
				project="b", project_name="A项目", average_score=80, stars=4, accepted_on="2026-03-01"
			),
			frappe._dict(project="c", project_name="丙", average_score=80, stars=5, accepted_on="2026-05-01"),
			frappe._dict(project="d", project_name="丁", average_score=80, stars=4, accepted_on="2026-02-01"),
			frappe._dict(project="e", project_name="戊", average_score=81, stars=3, accepted_on="2026-06-01"),
		]
		ranked = rank(rows, 3)
		self.assertEqual([r.project for r in ranked], ["e", "c", "d", "b", "a"])
		self.assertEqual([(r.rank, r.selected) for r in ranked], [(1, 1), (2, 1), (3, 1), (4, 0), (5, 0)])


class TestDangjianTopTenSelection(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("TT")
		t = cls.a.tree
		cls.admin = make_user("tt-admin")
		add_member(t.company, cls.admin, "Administrator")
		cls.p1 = evaluated(t.branch_a1, 2026, 5, accepted_on="2026-03-20", project_name="甲项目")
		cls.p2 = evaluated(t.branch_a2, 2026, 4, accepted_on="2026-03-10", project_name="乙项目")
		cls.p3 = evaluated(t.branch_b1, 2026, 4, accepted_on="2026-03-01", project_name="丙项目")
		cls.low = evaluated(t.branch_b1, 2026, 2)
		cls.last_year = evaluated(t.branch_b1, 2025, 5, accepted_on="2025-11-01")
		cls.judges = [make_user(f"tt-judge-{i}") for i in range(3)]
		# judge 3 is a member of branch A2: p2 is a project of their own branch
		add_member(t.branch_a2, cls.judges[2], "Member")
		set_settings(top_ten_size=2)

	def tearDown(self):
		frappe.set_user("Administrator")

	def candidates(self):
		with self.set_user(self.admin):
			return get_candidates(self.a.tree.company, 2026)

	def new_selection(self, score_rows=(), candidates=None, **fields):
		return frappe.get_doc(
			{
				"doctype": "Dangjian Top Ten Selection",
				"company": self.a.tree.company,
				"year": 2026,
				"candidates": self.candidates() if candidates is None else candidates,
				"scores": list(score_rows),
				**fields,
			}
		)

	def selection(self, score_rows=(), candidates=None, user=None, **fields):
		doc = self.new_selection(score_rows, candidates, **fields)
		with self.set_user(user or self.admin):
			doc.insert()
			return frappe.get_doc(doc.doctype, doc.name)

	def assert_refused(self, fragment, score_rows=(), candidates=None, exc=frappe.ValidationError):
		before = frappe.db.count("Dangjian Top Ten Selection")
		with self.assertRaises(exc) as caught:
			self.selection(score_rows, candidates)
		self.assertIn(fragment, str(caught.exception))
		self.assertEqual(frappe.db.count("Dangjian Top Ten Selection"), before)

	def test_candidates_are_the_years_evaluated_projects_at_the_minimum(self):
		rows = self.candidates()
		self.assertEqual([row["project"] for row in rows], [self.p1, self.p3, self.p2])
		self.assertEqual(
			{row["project"]: row["unit"] for row in rows},
			{self.p1: self.a.tree.unit_a, self.p2: self.a.tree.unit_a, self.p3: self.a.tree.unit_b},
		)

	def test_end_to_end_with_three_judges_a_recusal_and_a_tie(self):
		j1, j2, j3 = self.judges
		doc = self.new_selection(
			[
				scores(j1, self.p1, 90),
				scores(j2, self.p1, 80),
				# p2 and p3 tie on the average (85) and on stars (4): the earlier acceptance (p3) wins
				scores(j1, self.p2, 85),
				scores(j2, self.p2, (95, 75, 85, 85, 85)),
				scores(j1, self.p3, 80),
				scores(j2, self.p3, 90),
				scores(j3, self.p1, 85),
				scores(j3, self.p3, 85),
				# judge 3 had typed a score for p2, their own branch's project
				scores(j3, self.p2, 99),
			]
		)
		# Record Recusal turns it into a recusal without scores (the branch found from the
		# judge's membership)
		self.assertEqual(doc.record_recusal(j3), 1)
		with self.set_user(self.admin):
			doc.insert()
		self.assertRegex(doc.name, r"^DJSJ-2026-\d{2}$")
		self.assertEqual((doc.top_n, doc.min_stars, doc.weight_concept), (2, 3, 20))
		ranked = sorted(doc.candidates, key=lambda r: r.rank)
		# all three average 85: p1 leads on stars, p3 beats p2 by its earlier acceptance
		self.assertEqual([r.project for r in ranked], [self.p1, self.p3, self.p2])
		self.assertEqual([r.average_score for r in ranked], [85, 85, 85])
		self.assertEqual([r.selected for r in ranked], [1, 1, 0])
		self.assertEqual([r.judges for r in ranked], [3, 3, 2])
		recusal = next(r for r in doc.scores if r.recused)
		self.assertEqual(
			(recusal.judge, recusal.project, recusal.judge_branch), (j3, self.p2, self.a.tree.branch_a2)
		)
		self.assertFalse(recusal.weighted)
		self.assertFalse(any(recusal.get(f"score_{c}") for c in CRITERIA))

		# the weights were copied when the selection was first saved: a later change of the
		# settings does not change this selection's scores
		set_settings(
			top_ten_weight_concept=40,
			top_ten_weight_implementation=15,
			top_ten_weight_materials=15,
			top_ten_weight_report=15,
			top_ten_weight_presentation=15,
		)
		try:
			frappe.set_user(self.admin)
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.save()
			self.assertEqual(doc.weight_concept, 20)
			self.assertEqual(next(r for r in doc.candidates if r.project == self.p2).average_score, 85)
			doc.submit()
		finally:
			frappe.set_user("Administrator")
			set_settings(
				top_ten_weight_concept=20,
				top_ten_weight_implementation=20,
				top_ten_weight_materials=20,
				top_ten_weight_report=20,
				top_ten_weight_presentation=20,
			)
		self.assertEqual(
			frappe.db.get_value("Dangjian Project", self.p1, ["top_ten", "top_ten_selection"]), (1, doc.name)
		)
		self.assertEqual(frappe.db.get_value("Dangjian Project", self.p3, "top_ten"), 1)
		self.assertEqual(
			frappe.db.get_value("Dangjian Project", self.p2, ["top_ten", "top_ten_selection"]), (0, None)
		)

		# one submitted selection per company and year
		self.assert_refused("already has a submitted Top Ten", exc=frappe.DuplicateEntryError)

		with self.set_user(self.admin):
			frappe.get_doc(doc.doctype, doc.name).cancel()
		for project in (self.p1, self.p3):
			self.assertEqual(
				frappe.db.get_value("Dangjian Project", project, ["top_ten", "top_ten_selection"]), (0, None)
			)

	def test_record_recusal_from_the_form(self):
		"""The form's Record Recusal button calls the document method on the unsaved form."""
		from frappe.handler import run_doc_method

		doc = self.new_selection()
		frappe.set_user(self.admin)
		frappe.local.request = frappe._dict(method="POST")  # run_doc_method checks the HTTP method
		try:
			frappe.response.docs = []
			# as the desk sends an unsaved form
			docs = frappe.as_json(
				{**doc.as_dict(), "name": "new-dangjian-top-ten-selection-1", "__islocal": 1}
			)
			run_doc_method("record_recusal", docs=docs, args={"judge": self.judges[2]})
			returned = frappe.response.docs[0]
		finally:
			del frappe.local.request
			frappe.set_user("Administrator")
		self.assertEqual(frappe.response.message, 1)
		self.assertEqual(
			[(r.judge, r.project, r.judge_branch, r.recused) for r in returned.scores],
			[(self.judges[2], self.p2, self.a.tree.branch_a2, 1)],
		)

	def test_judge_scoring_their_own_branch_is_refused(self):
		j1, _j2, j3 = self.judges
		# declared on the row, or known from the judge's membership of the branch
		self.assert_refused(
			"judge's own branch", [scores(j1, self.p2, 90, judge_branch=self.a.tree.branch_a2)]
		)
		self.assert_refused("judge's own branch", [scores(j3, self.p2, 90)])

	def test_invalid_recusals_are_refused(self):
		j1, _j2, j3 = self.judges
		self.assert_refused("leave its scores empty", [scores(j3, self.p2, 90, recused=1)])
		self.assert_refused(
			"only for a project of the judge's own branch", [scores(j1, self.p1, None, recused=1)]
		)

	def test_out_of_range_and_missing_scores_are_refused(self):
		j1 = self.judges[0]
		self.assert_refused(
			"must be between 0 and 100, not 101", [scores(j1, self.p1, (90, 90, 101, 90, 90))]
		)
		self.assert_refused("Materials", [scores(j1, self.p1, (90, 90, 101, 90, 90))])
		self.assert_refused("must be between 0 and 100", [scores(j1, self.p1, -1)])
		self.assert_refused("is missing", [scores(j1, self.p1, (90, 90, 90, 90, None))])
		self.assert_refused("has already scored", [scores(j1, self.p1, 90), scores(j1, self.p1, 80)])

	def test_candidates_come_from_the_projects_not_the_form(self):
		candidates = self.candidates()
		self.assert_refused("is not a candidate", candidates=[*candidates, {"project": self.low}])
		self.assert_refused("is a project of 2025", candidates=[*candidates, {"project": self.last_year}])
		self.assert_refused("listed twice", candidates=[*candidates, {"project": self.p1}])
		# a changed star count or acceptance date in the form is replaced by the project's own
		tampered = [dict(row, stars=5, accepted_on="2020-01-01") for row in candidates]
		doc = self.selection(candidates=tampered)
		self.assertEqual(
			{r.project: (r.stars, str(r.accepted_on)) for r in doc.candidates},
			{self.p1: (5, "2026-03-20"), self.p2: (4, "2026-03-10"), self.p3: (4, "2026-03-01")},
		)

	def test_submitting_before_every_candidate_is_scored_is_refused(self):
		doc = self.selection([scores(self.judges[0], self.p1, 90)])
		frappe.set_user(self.admin)
		with self.assertRaises(frappe.ValidationError) as caught:
			frappe.get_doc(doc.doctype, doc.name).submit()
		self.assertIn("丙项目", str(caught.exception))
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "docstatus"), 0)

	def test_only_the_company_administrator_selects(self):
		with self.assertRaises(frappe.PermissionError):
			self.selection(user=self.a.committee_a)
		with self.assertRaises(frappe.PermissionError):
			self.selection(user=self.a.secretary_a)

	def test_fewer_candidates_than_places_is_said_plainly(self):
		set_settings(top_ten_size=10)
		try:
			frappe.clear_messages()
			doc = self.selection()
			self.assertEqual(doc.top_n, 10)
			self.assertTrue(all(r.selected for r in doc.candidates))
			log = frappe.get_message_log()
			self.assertIn("Only 3 candidates for 10 places", str(log))
			self.assertEqual(log[-1].get("indicator"), "orange")
		finally:
			set_settings(top_ten_size=2)
