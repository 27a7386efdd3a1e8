# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_evaluation_score.dangjian_evaluation_score import (
	DuplicateEvaluationScore,
)
from dangjian.tests.utils import (
	PANEL,
	accepted_project,
	add_member,
	evaluated_project,
	in_progress_project,
	make_actors,
	make_user,
	open_evaluation,
	paper_ballot,
)


class TestDangjianEvaluation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("EV")
		cls.evaluator = make_user("ev-evaluator")
		add_member(cls.a.tree.unit_a, cls.evaluator, "Evaluator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_full_panel_sets_stars_grade_and_status(self):
		project, evaluation = evaluated_project(self.a)
		# satisfaction 100 (基本满意 counted) x 40 + 90 x 30 + 90 x 30 = 94
		self.assertEqual(
			(evaluation.satisfaction_rate, evaluation.weighted_total, evaluation.stars), (100, 94, 5)
		)
		self.assertEqual(evaluation.grade, "Exemplary")
		self.assertEqual((project.status, project.stars, project.grade), ("Evaluated", 5, "Exemplary"))
		by_category = {row.category: row for row in evaluation.category_results}
		self.assertEqual(by_category["Party Member"].evaluators, 2)
		self.assertEqual(by_category["Masses Representative"].evaluators, 2)
		self.assertIn("94", evaluation.formula)
		# the exemplary project's roll-out task for the approving organization's department
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{"reference_name": evaluation.name, "allocated_to": self.a.approver_a, "status": "Open"},
			)
		)
		# through Frappe's assignment: the evaluation lists its assignee (the desk's "Assigned To")
		assigned = frappe.db.get_value(evaluation.doctype, evaluation.name, "_assign")
		self.assertIn(self.a.approver_a, frappe.parse_json(assigned or "[]"))

	def test_evaluator_submits_their_own_score(self):
		project = accepted_project(self.a)
		evaluation = open_evaluation(self.a, project.name)
		with self.set_user(self.evaluator):
			score = frappe.get_doc(
				{
					"doctype": "Dangjian Evaluation Score",
					"evaluation": evaluation.name,
					"evaluator_name": "评估人",
					"category": "Cadre",
					"satisfaction_vote": "Satisfied",
					"benefit_score": 80,
					"replicability_score": 70,
				}
			).insert()
			score = frappe.get_doc(score.doctype, score.name)
			score.submit()
			self.assertEqual((score.evaluator_user, score.is_paper_ballot), (self.evaluator, 0))
			# scoring twice is refused
			with self.assertRaises(DuplicateEvaluationScore):
				frappe.get_doc(
					{
						"doctype": "Dangjian Evaluation Score",
						"evaluation": evaluation.name,
						"evaluator_name": "评估人",
						"category": "Cadre",
						"satisfaction_vote": "Unsatisfied",
						"benefit_score": 10,
						"replicability_score": 10,
					}
				).insert()
			# and scoring for someone else too
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "Dangjian Evaluation Score",
						"evaluation": evaluation.name,
						"evaluator_name": "别人",
						"evaluator_user": self.a.secretary_a,
						"category": "Cadre",
						"satisfaction_vote": "Satisfied",
						"benefit_score": 10,
						"replicability_score": 10,
					}
				).insert()
		self.assertEqual(frappe.db.get_value("Dangjian Evaluation", evaluation.name, "score_count"), 1)

	def test_bad_scores_are_refused(self):
		project = accepted_project(self.a)
		evaluation = open_evaluation(self.a, project.name)
		before = frappe.db.count("Dangjian Evaluation Score")
		for benefit, fragment in (
			(-1, "between 0 and 100"),
			(100.5, "between 0 and 100"),
			("很好", "must be a number"),
		):
			with self.assertRaises(frappe.ValidationError) as caught:
				paper_ballot(self.a, evaluation.name, "某人", "Cadre", "Satisfied", benefit, 50)
			self.assertIn(fragment, str(caught.exception))
		with self.assertRaises(frappe.ValidationError):
			paper_ballot(self.a, evaluation.name, "某人", "", "Satisfied", 50, 50)
		with self.assertRaises(frappe.ValidationError):
			paper_ballot(self.a, evaluation.name, "某人", "Cadre", "", 50, 50)
		self.assertEqual(frappe.db.count("Dangjian Evaluation Score"), before)
		# the same paper evaluator twice
		paper_ballot(self.a, evaluation.name, "某人", "Cadre", "Satisfied", 50, 50)
		with self.assertRaises(DuplicateEvaluationScore):
			paper_ballot(self.a, evaluation.name, "某 人", "Cadre", "Satisfied", 60, 60)

	def test_too_few_scores_or_masses_representatives_refuse_submit(self):
		project = accepted_project(self.a)
		evaluation = open_evaluation(self.a, project.name)
		for ballot in PANEL[:3]:
			paper_ballot(self.a, evaluation.name, *ballot)
		paper_ballot(self.a, evaluation.name, "草稿", "Cadre", "Satisfied", 80, 80, submit=False)
		with self.set_user(self.a.approver_a):
			with self.assertRaises(frappe.ValidationError) as caught:
				frappe.get_doc("Dangjian Evaluation", evaluation.name).submit()
			message = str(caught.exception)
			self.assertIn("3 submitted scores, at least 5 needed", message)
			self.assertIn("0 masses' representatives, at least 2 needed", message)
			self.assertIn("Scores still in draft", message)
		self.assertEqual(frappe.db.get_value("Dangjian Evaluation", evaluation.name, "docstatus"), 0)
		self.assertEqual(frappe.db.get_value("Dangjian Project", project.name, "status"), "Accepted")

	def test_project_not_accepted_cannot_be_evaluated(self):
		project = in_progress_project(self.a)
		with self.assertRaises(frappe.ValidationError) as caught:
			open_evaluation(self.a, project.name)
		self.assertIn("only a project that has passed acceptance", str(caught.exception))

	def test_second_evaluation_is_refused(self):
		project, _evaluation = evaluated_project(self.a)
		frappe.db.set_value("Dangjian Project", project.name, "status", "Accepted")
		with self.assertRaises(frappe.DuplicateEntryError):
			open_evaluation(self.a, project.name)

	def test_cancel_reverts_the_project(self):
		project, evaluation = evaluated_project(self.a)
		with self.set_user(self.a.approver_a):
			frappe.get_doc("Dangjian Evaluation", evaluation.name).cancel()
		project = frappe.get_doc("Dangjian Project", project.name)
		self.assertEqual((project.status, project.stars, project.grade), ("Accepted", 0, None))
		self.assertEqual(
			frappe.db.get_value("ToDo", {"reference_name": evaluation.name}, "status"), "Cancelled"
		)
		# a new evaluation can be opened
		open_evaluation(self.a, project.name)

	def test_settings_changed_after_submission_do_not_change_the_result(self):
		project, evaluation = evaluated_project(self.a)
		settings = frappe.get_single("Dangjian Settings")
		settings.update({"cutoff_5_star": 95, "cutoff_4_star": 94.5})
		settings.save()
		evaluation = frappe.get_doc("Dangjian Evaluation", evaluation.name)
		self.assertEqual((evaluation.cutoff_5_star, evaluation.stars), (90, 5))
		self.assertEqual(frappe.db.get_value("Dangjian Project", project.name, "stars"), 5)
		settings.update({"cutoff_5_star": 90, "cutoff_4_star": 80})
		settings.save()

	def test_lower_panel_gives_fewer_stars_and_no_roll_out_task(self):
		panel = [(n, c, "Unsatisfied", 70, 70) for n, c, _v, _b, _r in PANEL]
		_project, evaluation = evaluated_project(self.a, panel=panel)
		# 0 + 21 + 21 = 42 -> 1 star
		self.assertEqual(
			(evaluation.weighted_total, evaluation.stars, evaluation.grade), (42, 1, "Not Qualified")
		)
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": evaluation.name}))

	def test_no_score_after_the_evaluation_is_submitted(self):
		_project, evaluation = evaluated_project(self.a)
		with self.assertRaises(frappe.ValidationError) as caught:
			paper_ballot(self.a, evaluation.name, "迟到者", "Cadre", "Satisfied", 50, 50)
		self.assertIn("already concluded", str(caught.exception))
