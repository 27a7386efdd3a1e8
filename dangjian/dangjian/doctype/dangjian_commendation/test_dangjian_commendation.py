# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.dangjian.doctype.dangjian_commendation.dangjian_commendation import get_projects
from dangjian.tests.utils import make_actors, make_project


def evaluated(branch, year, stars, accepted_on="2026-03-20", **fields):
	"""A project put straight into the evaluated state (the evaluation itself is tested elsewhere)."""
	from dangjian import rules

	project = make_project(branch, year=year, **fields)
	frappe.db.set_value(
		"Dangjian Project",
		project.name,
		{
			"status": "Evaluated",
			"stars": stars,
			"grade": rules.grade_from_stars(stars),
			"accepted_on": accepted_on,
		},
	)
	return project.name


class TestDangjianCommendation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("CM")
		cls.year = 2026
		t = cls.a.tree
		cls.five = evaluated(t.branch_a1, cls.year, 5)
		cls.three = evaluated(t.branch_a2, cls.year, 3)
		cls.two = evaluated(t.branch_a1, cls.year, 2)
		cls.other_unit = evaluated(t.branch_b1, cls.year, 4)
		cls.other_year = evaluated(t.branch_a1, 2025, 4, accepted_on="2025-12-01")
		# accepted with stars on record but its evaluation not submitted: not yet a result
		cls.not_evaluated = make_project(t.branch_a2, year=cls.year).name
		frappe.db.set_value("Dangjian Project", cls.not_evaluated, {"status": "Accepted", "stars": 4})

	def tearDown(self):
		frappe.set_user("Administrator")

	def commendation(self, projects, user=None, **fields):
		with self.set_user(user or self.a.committee_a):
			return frappe.get_doc(
				{
					"doctype": "Dangjian Commendation",
					"title": "关于表彰2026年度优秀党建+项目的决定",
					"unit": self.a.tree.unit_a,
					"year": self.year,
					"document_number": "党委〔2027〕3号",
					"document_date": "2027-01-15",
					"projects": [{"project": p} for p in projects],
					**fields,
				}
			).insert()

	def test_get_projects_fills_the_commended_level_and_marks_exemplary(self):
		frappe.set_user(self.a.committee_a)
		rows = get_projects(self.a.tree.unit_a, self.year)
		self.assertEqual([(r["project"], r["exemplary"]) for r in rows], [(self.five, 1), (self.three, 0)])

	def test_submit_marks_and_cancel_unmarks(self):
		# the committee member fills the table from the unit's results, as the form's button does
		with self.set_user(self.a.committee_a):
			rows = get_projects(self.a.tree.unit_a, self.year)
		doc = self.commendation([row["project"] for row in rows])
		self.assertRegex(doc.name, r"^DJBZ-2026-\d{3}$")
		self.assertEqual(
			[(row.project, row.exemplary) for row in doc.projects], [(self.five, 1), (self.three, 0)]
		)
		# a second draft listing the same project, made before the first is submitted
		rival = self.commendation([self.three], document_number="党委〔2027〕4号")
		with self.set_user(self.a.committee_a):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.submit()
		for project in (self.five, self.three):
			self.assertEqual(
				frappe.db.get_value("Dangjian Project", project, ["commended", "commendation"]), (1, doc.name)
			)
		# a project already commended cannot be commended again, by a new one or the rival draft
		with self.assertRaises(frappe.ValidationError) as caught:
			self.commendation([self.five])
		self.assertIn("already commended", str(caught.exception))
		with self.set_user(self.a.committee_a):
			with self.assertRaises(frappe.ValidationError) as caught:
				frappe.get_doc(rival.doctype, rival.name).submit()
			self.assertIn("already commended", str(caught.exception))
			self.assertEqual(frappe.db.get_value(rival.doctype, rival.name, "docstatus"), 0)
			# and it is no longer offered
			self.assertEqual(get_projects(self.a.tree.unit_a, self.year), [])
			frappe.get_doc(doc.doctype, doc.name).cancel()
		for project in (self.five, self.three):
			self.assertEqual(
				frappe.db.get_value("Dangjian Project", project, ["commended", "commendation"]), (0, None)
			)

	def test_refusals_save_nothing(self):
		before = frappe.db.count("Dangjian Commendation")
		for projects, exc, fragment in (
			([self.two], frappe.ValidationError, "evaluated at 3 stars or more"),
			([self.not_evaluated], frappe.ValidationError, "is not evaluated yet"),
			# a project of another unit is outside the committee's scope: refused before it is read
			([self.other_unit], frappe.PermissionError, "outside your scope"),
			([self.other_year], frappe.ValidationError, "a project of 2025"),
			([self.five, self.five], frappe.ValidationError, "listed twice"),
			([], frappe.ValidationError, "at least one project"),
		):
			with self.assertRaises(exc) as caught:
				self.commendation(projects)
			self.assertIn(fragment, str(caught.exception))
		self.assertEqual(frappe.db.count("Dangjian Commendation"), before)

	def test_a_secretary_cannot_commend(self):
		with self.assertRaises(frappe.PermissionError):
			self.commendation([self.five], user=self.a.secretary_a)
