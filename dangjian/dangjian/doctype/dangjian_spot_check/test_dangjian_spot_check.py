# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import random

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from dangjian.dangjian.doctype.dangjian_spot_check.dangjian_spot_check import (
	DuplicateSpotCheck,
	create_sample,
	sample_candidates,
)
from dangjian.tests.utils import act, make_actors, make_project, make_user, set_secretary

DOCTYPE = "Dangjian Spot Check"


def applied_project(branch: str, secretary: str, **fields):
	doc = make_project(branch, **fields)
	act(doc, "Apply", secretary)
	return frappe.get_doc("Dangjian Project", doc.name)


class TestDangjianSpotCheck(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("SK")
		cls.secretary_a2 = make_user("sk-sec-a2")
		set_secretary(cls.a.tree.branch_a2, cls.secretary_a2)
		cls.year = getdate(nowdate()).year + 1

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_check(self, user, project, unit=None, branch=None, submit=False, **fields):
		"""A spot check made by ``user``; time is the real time, so the project's year is the
		factories' default (next year)."""
		with self.set_user(user):
			doc = frappe.get_doc(
				{
					"doctype": DOCTYPE,
					"approving_organization": unit or self.a.tree.unit_a,
					"year": project.year,
					"branch": branch or project.branch,
					"project": project.name,
					"items_checked": "申报表、签字盖章、可行性论证记录、支部会议记录",
					"findings": "材料齐全，论证充分。",
					**fields,
				}
			).insert()
			if submit:
				doc.submit()
			return doc

	def assert_refused(self, exc, fragment, user, project, **kwargs):
		before = frappe.db.count(DOCTYPE)
		with self.assertRaises(exc) as caught:
			self.new_check(user, project, **kwargs)
		self.assertIn(fragment, str(caught.exception))
		self.assertEqual(frappe.db.count(DOCTYPE), before, "nothing saved")
		return caught.exception

	# --- creation -------------------------------------------------------------------------------

	def test_approver_checks_an_applied_project(self):
		project = applied_project(self.a.tree.branch_a1, self.a.secretary_a)
		doc = self.new_check(self.a.approver_a, project, result="Qualified", submit=True)
		self.assertEqual(doc.docstatus, 1)
		self.assertTrue(doc.name.startswith(f"DJCJ-{project.year}-"))
		self.assertEqual(doc.checked_by, self.a.approver_a)
		self.assertEqual(getdate(doc.check_date), getdate(nowdate()))
		self.assertEqual(
			(doc.branch_name, doc.project_name), (f"{self.a.tree.branch_a1} 组织", project.project_name)
		)

		# the branch's secretary reads their branch's spot checks, not another's
		frappe.set_user(self.a.secretary_a)
		self.assertIn(doc.name, frappe.get_list(DOCTYPE, pluck="name"))
		self.assertFalse(frappe.has_permission(DOCTYPE, "write", doc=doc.name))
		frappe.set_user(self.a.secretary_b)
		self.assertNotIn(doc.name, frappe.get_list(DOCTYPE, pluck="name"))
		self.assertFalse(frappe.has_permission(DOCTYPE, doc=doc.name))

	def test_result_is_required_to_submit(self):
		project = applied_project(self.a.tree.branch_a1, self.a.secretary_a)
		with self.assertRaises(frappe.ValidationError) as caught:
			self.new_check(self.a.approver_a, project, submit=True)
		self.assertIn("Record the result", str(caught.exception))
		self.assertFalse(frappe.db.exists(DOCTYPE, {"project": project.name, "docstatus": 1}))

	def test_project_of_another_branch_is_refused(self):
		project = applied_project(self.a.tree.branch_a2, self.secretary_a2)
		self.assert_refused(
			frappe.ValidationError,
			"choose a project of the checked branch",
			self.a.approver_a,
			project,
			branch=self.a.tree.branch_a1,
		)

	def test_branch_outside_the_unit_is_refused(self):
		project = applied_project(self.a.tree.branch_b1, self.a.secretary_b)
		# even unrestricted, unit A does not spot-check unit B's branch
		self.assert_refused(
			frappe.ValidationError, "is not under", "Administrator", project, unit=self.a.tree.unit_a
		)

	def test_draft_project_is_refused(self):
		project = make_project(self.a.tree.branch_a1)
		self.assert_refused(frappe.ValidationError, "still a draft", self.a.approver_a, project)

	def test_second_spot_check_is_refused_naming_the_first(self):
		project = applied_project(self.a.tree.branch_a1, self.a.secretary_a)
		first = self.new_check(self.a.approver_a, project, result="Basically Qualified", submit=True)
		error = self.assert_refused(
			DuplicateSpotCheck, first.name, self.a.approver_a, project, result="Qualified"
		)
		self.assertIn("already has spot check", str(error))

		# cancelled, it frees the project for the amended check
		with self.set_user(self.a.approver_a):
			frappe.get_doc(DOCTYPE, first.name).cancel()
			amended = frappe.copy_doc(frappe.get_doc(DOCTYPE, first.name))
			amended.docstatus = 0
			amended.amended_from = first.name
			amended.result = "Qualified"
			amended.insert()
			amended.submit()
		self.assertEqual(amended.name, f"{first.name}-1")
		self.assertEqual(
			frappe.get_all(DOCTYPE, filters={"project": project.name, "docstatus": 1}, pluck="name"),
			[amended.name],
		)

	def test_approver_of_another_unit_is_refused(self):
		project = applied_project(self.a.tree.branch_a1, self.a.secretary_a)
		self.assert_refused(frappe.PermissionError, "", self.a.approver_b, project)
		# the scope check itself, when the branch is not what stops them
		with self.set_user(self.a.approver_b):
			doc = frappe.get_doc(
				{
					"doctype": DOCTYPE,
					"approving_organization": self.a.tree.unit_a,
					"year": project.year,
					"branch": project.branch,
					"project": project.name,
				}
			)
			before = frappe.db.count(DOCTYPE)
			with self.assertRaises(frappe.PermissionError) as caught:
				doc.run_method("validate")
			self.assertIn("outside your scope", str(caught.exception))
		self.assertEqual(frappe.db.count(DOCTYPE), before)

	def test_branch_secretary_cannot_create(self):
		project = applied_project(self.a.tree.branch_a1, self.a.secretary_a)
		self.assert_refused(frappe.PermissionError, "", self.a.secretary_a, project)


class TestSpotCheckSample(FrappeTestCase):
	"""随机抽样 on a tree of its own, so that the candidates are known."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("SS")
		cls.secretary_a2 = make_user("ss-sec-a2")
		set_secretary(cls.a.tree.branch_a2, cls.secretary_a2)
		cls.year = getdate(nowdate()).year + 1
		a1, a2, b1 = cls.a.tree.branch_a1, cls.a.tree.branch_a2, cls.a.tree.branch_b1
		cls.candidates = sorted(
			[applied_project(a1, cls.a.secretary_a).name for _ in range(3)]
			+ [applied_project(a2, cls.secretary_a2).name for _ in range(2)]
		)
		# never sampled: a draft, another unit's project, another year's project
		cls.draft = make_project(a1).name
		cls.other_unit = applied_project(b1, cls.a.secretary_b).name
		cls.other_year = applied_project(a1, cls.a.secretary_a, year=cls.year - 1).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def sample(self, user, size, seed=None, unit=None):
		with self.set_user(user):
			return create_sample(unit or self.a.tree.unit_a, self.year, size, seed)

	@staticmethod
	def projects_of(names):
		return [frappe.db.get_value(DOCTYPE, name, "project") for name in names]

	def test_sample_is_reproducible_and_never_repeats_a_project(self):
		self.assertEqual([p.name for p in sample_candidates(self.a.tree.unit_a, self.year)], self.candidates)

		frappe.db.savepoint("before_sample")
		first = self.projects_of(self.sample(self.a.approver_a, 2, seed=7))
		frappe.db.rollback(save_point="before_sample")
		again = self.sample(self.a.approver_a, 2, seed=7)
		self.assertEqual(self.projects_of(again), first, "the same seed draws the same projects")
		self.assertEqual(first, random.Random(7).sample(self.candidates, 2))

		for name in again:
			doc = frappe.get_doc(DOCTYPE, name)
			self.assertEqual(
				(doc.docstatus, doc.approving_organization, doc.year, doc.checked_by),
				(0, self.a.tree.unit_a, self.year, self.a.approver_a),
			)

		# a larger sample takes what is left: the other applied projects of unit A's year
		rest = self.projects_of(self.sample(self.a.approver_a, 10, seed=1))
		self.assertEqual(sorted(first + rest), self.candidates)
		self.assertEqual(len(set(first + rest)), len(self.candidates))
		for excluded in (self.draft, self.other_unit, self.other_year):
			self.assertFalse(frappe.db.exists(DOCTYPE, {"project": excluded}))

		# then there is nothing left to sample
		before = frappe.db.count(DOCTYPE)
		with self.assertRaises(frappe.ValidationError) as caught:
			self.sample(self.a.approver_a, 1)
		self.assertIn("Nothing to sample", str(caught.exception))
		self.assertEqual(frappe.db.count(DOCTYPE), before)

	def test_sample_size_below_one_is_refused(self):
		before = frappe.db.count(DOCTYPE)
		for size in (0, -3):
			with self.assertRaises(frappe.ValidationError) as caught:
				self.sample(self.a.approver_a, size)
			self.assertIn("at least 1", str(caught.exception))
		self.assertEqual(frappe.db.count(DOCTYPE), before)

	def test_sample_needs_create_permission_and_the_unit_in_scope(self):
		before = frappe.db.count(DOCTYPE)
		with self.assertRaises(frappe.PermissionError):
			self.sample(self.a.secretary_a, 1)
		with self.assertRaises(frappe.PermissionError) as caught:
			self.sample(self.a.approver_b, 1)
		self.assertIn("outside your scope", str(caught.exception))
		self.assertEqual(frappe.db.count(DOCTYPE), before)
