# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase


class TestDangjianSettings(FrappeTestCase):
	def assert_refused(self, fragments, **values):
		before = frappe.get_single("Dangjian Settings").as_dict()
		doc = frappe.get_single("Dangjian Settings")
		doc.update(values)
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.save()
		message = str(caught.exception)
		for fragment in fragments:
			self.assertIn(fragment, message)
		after = frappe.get_single("Dangjian Settings").as_dict()
		for field in values:
			self.assertEqual(after[field], before[field], f"{field} must not be saved")
		return message

	def test_install_sets_the_scheme_defaults(self):
		settings = frappe.get_single("Dangjian Settings")
		self.assertEqual((settings.application_deadline_month, settings.application_deadline_day), (4, 30))
		self.assertEqual(settings.min_projects_per_branch, 1)
		self.assertEqual(settings.quarterly_report_due_days, 10)
		self.assertEqual(
			(settings.weight_satisfaction, settings.weight_benefit, settings.weight_replicability),
			(40, 30, 30),
		)
		self.assertEqual(
			(settings.cutoff_5_star, settings.cutoff_4_star, settings.cutoff_3_star, settings.cutoff_2_star),
			(90, 80, 70, 60),
		)
		self.assertEqual(
			(settings.qualified_star_level, settings.commended_star_level, settings.exemplary_star_level),
			(2, 3, 4),
		)
		self.assertEqual((settings.min_evaluators, settings.min_masses_representatives), (5, 2))
		self.assertEqual(settings.top_ten_size, 10)
		self.assertEqual(settings.max_months_to_completion, 24)
		self.assertEqual(settings.application_reminder_days, 7)
		self.assertEqual(settings.count_basically_satisfied, 1)

	def test_non_increasing_cut_off_is_refused_naming_the_fields(self):
		self.assert_refused(["4-Star Cut-off", "3-Star Cut-off", "strictly increase"], cutoff_3_star=80)

	def test_cut_off_out_of_range_is_refused(self):
		self.assert_refused(["5-Star Cut-off", "between 0 and 100"], cutoff_5_star=120)

	def test_weights_not_summing_to_100_are_refused(self):
		self.assert_refused(["Weight of Satisfaction Rate", "add up to 100", "110"], weight_satisfaction=50)

	def test_top_ten_weights_not_summing_to_100_are_refused(self):
		self.assert_refused(["Weight of Concept", "add up to 100"], top_ten_weight_presentation=25)

	def test_star_level_outside_1_5_is_refused(self):
		self.assert_refused(["Exemplary Star Level", "from 1 to 5"], exemplary_star_level=6)

	def test_star_levels_out_of_order_are_refused(self):
		self.assert_refused(
			["Commended Star Level", "cannot be lower than"], qualified_star_level=4, commended_star_level=3
		)

	def test_impossible_deadline_is_refused(self):
		self.assert_refused(["Application Deadline Day", "month 4"], application_deadline_day=31)

	def test_several_problems_are_reported_together(self):
		message = self.assert_refused(
			["strictly increase", "add up to 100"], cutoff_4_star=95, weight_benefit=10
		)
		self.assertIn("<br>", message)

	def test_consistent_change_is_saved(self):
		doc = frappe.get_single("Dangjian Settings")
		doc.update(
			{"cutoff_5_star": 95, "weight_satisfaction": 50, "weight_benefit": 25, "weight_replicability": 25}
		)
		doc.save()
		self.assertEqual(frappe.db.get_single_value("Dangjian Settings", "cutoff_5_star"), 95)
		# back to the scheme's values for the other tests of this class
		doc.update(
			{"cutoff_5_star": 90, "weight_satisfaction": 40, "weight_benefit": 30, "weight_replicability": 30}
		)
		doc.save()
