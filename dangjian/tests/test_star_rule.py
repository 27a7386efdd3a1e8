"""The star rule on a site: the default rule gives the demo its stars, a custom rule gives the
stars computed by hand, a rule that cannot be right is refused with the settings unchanged, the
what-if agrees with a direct recomputation, and an evaluation keeps the rule it was computed with."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from dangjian import demo, rules, star_rule
from dangjian.ownership import FieldNotYours
from dangjian.tests import utils
from dangjian.tests.utils import (
	accepted_project,
	evaluated_project,
	make_actors,
	open_evaluation,
	paper_ballot,
)

RULE = {
	"star_total_formula": "masses_satisfaction_rate * 0.5 + benefit * 0.5",
	"star_condition_3": "masses_satisfaction_rate >= 60",
}
# the standard panel with one masses' representative unsatisfied: masses 50 %, overall 80 %, scores 90
PANEL = (*utils.PANEL[:4], ("群众戊", "Masses Representative", "Unsatisfied", 90, 90))


def set_rule(**fields):
	settings = frappe.get_single("Dangjian Settings")
	for field in rules.STAR_RULE_FIELDS:
		settings.set(field, fields.get(field) or "")
	settings.save()


def stored_scores(evaluation: str) -> list:
	return [
		rules.Score(row.category, row.satisfaction_vote, flt(row.benefit_score), flt(row.replicability_score))
		for row in frappe.get_all(
			"Dangjian Evaluation Score",
			filters={"evaluation": evaluation, "docstatus": 1},
			fields=["category", "satisfaction_vote", "benefit_score", "replicability_score"],
			order_by="name",
		)
	]


class TestStarRule(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(set_rule)

	def test_the_default_rule_gives_the_demo_its_stars(self):
		demo.make_demo()
		settings = frappe.get_single("Dangjian Settings")
		self.assertEqual([settings.get(field) or "" for field in rules.STAR_RULE_FIELDS], [""] * 5)
		evaluations = frappe.get_all(
			"Dangjian Evaluation",
			filters={"docstatus": 1},
			fields=["name", "project", "stars", "weighted_total"],
		)
		self.assertGreaterEqual(len(evaluations), 3)
		facts = star_rule.project_facts(e.project for e in evaluations)
		custom = {**settings.as_dict(), **RULE}
		for evaluation in evaluations:
			doc = frappe.get_doc("Dangjian Evaluation", evaluation.name)
			scores = stored_scores(evaluation.name)
			self.assertTrue(scores, evaluation.name)
			result = rules.evaluate(
				scores, doc.settings_used(), facts[evaluation.project], star_rule.safe_evaluator
			)
			self.assertEqual(
				(result["stars"], result["total"]), (evaluation.stars, evaluation.weighted_total)
			)
			# Frappe's safe_eval and the bench-free evaluator agree on a custom rule
			self.assertEqual(
				rules.evaluate(scores, custom, facts[evaluation.project], star_rule.safe_evaluator),
				rules.evaluate(scores, custom, facts[evaluation.project]),
			)

	def test_a_custom_rule_gives_the_stars_computed_by_hand_and_stays_with_the_result(self):
		set_rule(**RULE)
		actors = make_actors("SRA")
		project, evaluation = evaluated_project(actors, panel=PANEL)
		# by the weights: 80 × 0.4 + 90 × 0.3 + 90 × 0.3 = 86 (4 stars); by the rule: 50 × 0.5 + 90 × 0.5
		# = 70, which reaches 3 stars' cut-off but not its condition (masses 50 % < 60 %): 2 stars
		self.assertEqual(
			(evaluation.weighted_total, evaluation.stars, evaluation.grade), (70, 2, "Qualified")
		)
		self.assertEqual((project.stars, project.grade), (2, "Qualified"))
		self.assertEqual(evaluation.star_total_formula, RULE["star_total_formula"])
		self.assertEqual(evaluation.star_condition_3, RULE["star_condition_3"])
		self.assertEqual((evaluation.late_reports, evaluation.acceptance_rounds), (0, 1))
		self.assertIn("70", evaluation.formula)
		self.assertIn(star_rule.rule_in_words(RULE)[1], evaluation.formula)

		# the printed result sheet carries the rule
		html = frappe.get_print("Dangjian Evaluation", evaluation.name, "Dangjian Evaluation Result")
		for words in ("总分（按星级规则公式）", "星级规则公式得出的总分", "各星级另须满足星级规则所列条件"):
			self.assertIn(words, html)

		# a new rule never changes a submitted evaluation
		set_rule(star_condition_5="late_reports == 0")
		kept = frappe.get_doc("Dangjian Evaluation", evaluation.name)
		self.assertEqual(
			(kept.weighted_total, kept.stars, kept.star_total_formula), (70, 2, RULE["star_total_formula"])
		)
		self.assertRaises(frappe.ValidationError, kept.use_current_star_rule)

	def test_an_open_evaluation_takes_the_current_rule_and_shows_the_difference(self):
		actors = make_actors("SRB")
		project = accepted_project(actors)
		evaluation = open_evaluation(actors, project.name)
		for ballot in PANEL:
			paper_ballot(actors, evaluation.name, *ballot)
		evaluation = frappe.get_doc("Dangjian Evaluation", evaluation.name)
		evaluation.save()
		self.assertEqual((evaluation.weighted_total, evaluation.stars), (86, 4))

		set_rule(**RULE)
		with self.set_user(actors.approver_a):
			doc = frappe.get_doc("Dangjian Evaluation", evaluation.name)
			# the snapshot is the system's: not even the approver sets it by hand
			doc.star_total_formula = "100"
			self.assertRaises(FieldNotYours, doc.save)
			answer = frappe.get_doc("Dangjian Evaluation", evaluation.name).use_current_star_rule()
		self.assertEqual(answer["before"], {"total": 86, "stars": 4, "grade": "Exemplary"})
		self.assertEqual(answer["after"], {"total": 70, "stars": 2, "grade": "Qualified"})
		self.assertEqual((answer["rule_before"], answer["rule_after"]), ([], star_rule.rule_in_words(RULE)))
		saved = frappe.get_doc("Dangjian Evaluation", evaluation.name)
		self.assertEqual(
			(saved.weighted_total, saved.stars, saved.star_condition_3), (70, 2, RULE["star_condition_3"])
		)

		# outside the branch's scope the method is refused
		with self.set_user(actors.approver_b):
			self.assertRaises(
				frappe.PermissionError,
				frappe.get_doc("Dangjian Evaluation", evaluation.name).use_current_star_rule,
			)

	def test_a_rule_that_cannot_be_right_is_refused_and_nothing_is_saved(self):
		set_rule(star_condition_5="late_reports == 0")
		before = frappe.get_single("Dangjian Settings").as_dict()
		cases = [
			("star_total_formula", "benefit *", "cannot be read"),
			("star_total_formula", "benefit + bonus", "bonus"),
			("star_total_formula", "benefit.real", ".real"),
			("star_total_formula", "__import__('os').system('true')", ".system"),
			("star_total_formula", "__import__('os')", "__import__"),
			("star_total_formula", "__builtins__", "__builtins__"),
			("star_total_formula", "benefit * 2", "from 0 to 200"),
			("star_total_formula", "benefit / count", "divide by zero"),
			("star_total_formula", "+".join(["benefit"] * 60), "too long"),
			("star_condition_4", "benefit + 1", "must be a condition"),
		]
		for field, text, fragment in cases:
			settings = frappe.get_single("Dangjian Settings")
			settings.set(field, text)
			settings.set("cutoff_2_star", 65)
			with self.assertRaises(frappe.ValidationError, msg=text) as caught:
				settings.save()
			self.assertIn(fragment, str(caught.exception), text)
			after = frappe.get_single("Dangjian Settings").as_dict()
			for name in (*rules.STAR_RULE_FIELDS, "cutoff_2_star", "modified"):
				self.assertEqual(after[name], before[name], f"{text}: {name} must not be saved")
		self.assertEqual(len(cases), 10)

		# levels that do not increase are refused too, with the rule left as it was
		settings = frappe.get_single("Dangjian Settings")
		settings.update({"cutoff_4_star": 95, "star_condition_4": "total > 1"})
		self.assertRaises(frappe.ValidationError, settings.save)
		self.assertEqual(frappe.get_single("Dangjian Settings").star_condition_4 or "", "")

	def test_the_what_if_matches_a_direct_recomputation(self):
		demo.make_demo()
		year = 2025
		proposed = {
			"star_total_formula": "min(100, benefit + 5)",
			"star_condition_3": "satisfaction_rate >= 95",
		}
		with self.set_user(demo.email("admin")):
			answer = star_rule.what_if(year, frappe.as_json(proposed))
		evaluations = frappe.get_all(
			"Dangjian Evaluation", filters={"docstatus": 1, "year": year}, fields=["name", "project"]
		)
		self.assertGreaterEqual(len(evaluations), 3)
		self.assertEqual(answer["evaluations"], len(evaluations))
		settings = frappe.get_single("Dangjian Settings").as_dict()
		facts = star_rule.project_facts(e.project for e in evaluations)
		expected = {"in_force": dict.fromkeys(range(1, 6), 0), "proposed": dict.fromkeys(range(1, 6), 0)}
		changed = set()
		for evaluation in evaluations:
			scores = stored_scores(evaluation.name)
			now = rules.evaluate(scores, settings, facts[evaluation.project])
			then = rules.evaluate(scores, {**settings, **proposed}, facts[evaluation.project])
			expected["in_force"][now["stars"]] += 1
			expected["proposed"][then["stars"]] += 1
			if (now["stars"], now["total"]) != (then["stars"], then["total"]):
				changed.add(evaluation.name)
		self.assertEqual(answer["counts"], expected)
		self.assertEqual({row["evaluation"] for row in answer["changed"]}, changed)
		self.assertTrue(changed)
		self.assertEqual(answer["proposed_rule"], star_rule.rule_in_words(proposed))
		# nothing was saved
		self.assertEqual(frappe.get_single("Dangjian Settings").star_total_formula or "", "")

		# a proposed rule that cannot be right is refused; a user who may not change the settings is refused
		with self.set_user(demo.email("admin")):
			self.assertRaises(
				frappe.ValidationError, star_rule.what_if, year, {"star_total_formula": "count"}
			)
		with self.set_user(demo.email("approver1")):
			self.assertRaises(frappe.PermissionError, star_rule.what_if, year, proposed)
