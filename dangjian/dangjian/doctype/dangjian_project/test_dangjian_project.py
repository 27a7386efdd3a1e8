# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.model.workflow import WorkflowTransitionError
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from dangjian import scope
from dangjian.tests.utils import act, approved_project, make_actors, make_project, make_user, project_fields


class TestDangjianProject(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("PJ")

	def tearDown(self):
		frappe.set_user("Administrator")

	def create_as(self, user, **fields):
		with self.set_user(user):
			return frappe.get_doc(project_fields(self.a.tree.branch_a1, **fields)).insert()

	def assert_unchanged(self, name, **expected):
		values = frappe.db.get_value("Dangjian Project", name, list(expected), as_dict=True)
		self.assertEqual(dict(values), expected)

	def test_happy_path_apply_review_approve(self):
		doc = self.create_as(self.a.secretary_a)
		self.assertEqual(doc.status, "Draft")
		self.assertTrue(doc.name.startswith(f"DJXM-{doc.year}-"))
		self.assertEqual(doc.approving_organization, self.a.tree.unit_a)
		self.assertEqual(doc.project_lead, self.a.secretary_a)
		self.assertEqual(
			(doc.leading_organization, doc.undertaking_organization, doc.supervising_organization),
			(self.a.tree.unit_a, self.a.tree.branch_a1, self.a.tree.unit_a),
		)

		doc = act(doc, "Apply", self.a.secretary_a)
		self.assertEqual(doc.status, "Applied")
		self.assertEqual(doc.applied_by, self.a.secretary_a)
		self.assertEqual(getdate(doc.applied_on), getdate(nowdate()))
		# the approver is told: a Workflow Action waits for the Approver role
		self.assertTrue(
			frappe.db.exists(
				"Workflow Action", {"reference_name": doc.name, "status": "Open", "workflow_state": "Applied"}
			)
		)

		doc = act(doc, "Review", self.a.approver_a, review_opinion="材料齐全，同意上报党委。")
		self.assertEqual((doc.status, doc.reviewed_by), ("Reviewed", self.a.approver_a))

		doc = act(doc, "Approve", self.a.committee_a, committee_opinion="同意立项，予以备案。")
		self.assertEqual(doc.status, "Approved")
		self.assertEqual(doc.approved_by, self.a.committee_a)
		self.assertTrue(doc.filing_number.startswith(f"BA-{self.a.tree.unit_a}-{doc.year}-"))
		self.assertEqual(getdate(doc.approved_on), getdate(nowdate()))

	def test_second_approval_is_refused(self):
		doc = approved_project(self.a)
		with self.assertRaises(WorkflowTransitionError):
			act(doc, "Approve", self.a.committee_a)
		self.assert_unchanged(doc.name, status="Approved", filing_number=doc.filing_number)

	def test_return_from_review_needs_a_reason_and_reapply_keeps_first_date(self):
		doc = self.create_as(self.a.secretary_a)
		doc = act(doc, "Apply", self.a.secretary_a)
		first_applied = doc.applied_on
		with self.assertRaises(frappe.ValidationError) as caught:
			act(doc, "Return", self.a.approver_a)
		self.assertIn("reason for returning", str(caught.exception))
		self.assert_unchanged(doc.name, status="Applied")

		doc = act(doc, "Return", self.a.approver_a, return_reason="创新措施不够具体，请细化。")
		self.assertEqual((doc.status, doc.returned_by, doc.return_count), ("Returned", self.a.approver_a, 1))

		doc = act(
			doc, "Apply", self.a.secretary_a, innovation_measures="每周一次党员安全示范活动，每月讲评。"
		)
		self.assertEqual(doc.status, "Applied")
		self.assertEqual(doc.applied_on, first_applied)

	def test_return_from_committee(self):
		doc = self.create_as(self.a.secretary_a)
		act(doc, "Apply", self.a.secretary_a)
		act(doc, "Review", self.a.approver_a, review_opinion="同意。")
		doc = act(doc, "Return", self.a.committee_a, return_reason="预期目标需量化。")
		self.assertEqual(doc.status, "Returned")
		self.assertFalse(doc.reviewed_by)

	def test_incomplete_application_is_refused(self):
		for missing, fragment in (
			({"team": []}, "project team member"),
			({"feasibility_activities": []}, "feasibility activity"),
			({"branch_meeting_date": None}, "branch meeting date"),
			({"branch_opinion": ""}, "sign-off opinion"),
		):
			doc = self.create_as(self.a.secretary_a, **missing)
			with self.assertRaises(frappe.ValidationError) as caught:
				act(doc, "Apply", self.a.secretary_a)
			self.assertIn(fragment, str(caught.exception))
			self.assert_unchanged(doc.name, status="Draft", applied_on=None)

	def test_branch_meeting_after_the_application_date_is_refused(self):
		doc = self.create_as(self.a.secretary_a, branch_meeting_date=add_days(nowdate(), 2))
		with self.assertRaises(frappe.ValidationError) as caught:
			act(doc, "Apply", self.a.secretary_a)
		self.assertIn("branch meeting decides before the branch applies", str(caught.exception))
		self.assert_unchanged(doc.name, status="Draft")

	def test_future_feasibility_activity_is_refused(self):
		fields = project_fields(self.a.tree.branch_a1)
		fields["feasibility_activities"][0]["activity_date"] = add_days(nowdate(), 5)
		before = frappe.db.count("Dangjian Project")
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(fields).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.count("Dangjian Project"), before)

	def test_year_before_the_branch_existed_or_far_ahead_is_refused(self):
		frappe.db.set_value("Party Organization", self.a.tree.branch_a1, "date_established", "2015-06-01")
		before = frappe.db.count("Dangjian Project")
		for year, fragment in ((2014, "before"), (getdate(nowdate()).year + 3, "not valid")):
			with self.assertRaises(frappe.ValidationError) as caught:
				make_project(self.a.tree.branch_a1, year=year)
			self.assertIn(fragment, str(caught.exception))
		self.assertEqual(frappe.db.count("Dangjian Project"), before)

	def test_project_of_a_unit_is_refused(self):
		with self.assertRaises(frappe.ValidationError) as caught:
			make_project(self.a.tree.unit_a)
		self.assertIn("is not a branch", str(caught.exception))

	def test_secretary_cannot_apply_for_another_branch(self):
		with self.set_user(self.a.secretary_a):
			before = frappe.db.count("Dangjian Project")
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(project_fields(self.a.tree.branch_b1)).insert()
		self.assertEqual(frappe.db.count("Dangjian Project"), before)

	def test_approver_of_another_unit_cannot_review(self):
		doc = self.create_as(self.a.secretary_a)
		act(doc, "Apply", self.a.secretary_a)
		with self.assertRaises(frappe.PermissionError):
			act(doc, "Review", self.a.approver_b, review_opinion="越权审核")
		self.assert_unchanged(doc.name, status="Applied", reviewed_by=None)

	def test_secretary_cannot_see_another_branchs_projects(self):
		doc_b = make_project(self.a.tree.branch_b1)
		frappe.set_user(self.a.secretary_a)
		self.assertNotIn(doc_b.name, frappe.get_list("Dangjian Project", pluck="name"))
		self.assertFalse(frappe.has_permission("Dangjian Project", doc=doc_b.name))

	def test_no_one_approves_their_own_application(self):
		# a secretary who is also in the department of their unit
		both = make_user(
			"pj-both", roles=(scope.ROLE_BRANCH_SECRETARY, scope.ROLE_APPROVER, scope.ROLE_PARTY_COMMITTEE)
		)
		from dangjian.tests.utils import add_member, set_secretary

		set_secretary(self.a.tree.branch_a2, both)
		add_member(self.a.tree.unit_a, both, "Approver")
		doc = make_project(self.a.tree.branch_a2)
		act(doc, "Apply", both)
		with self.assertRaises(frappe.PermissionError):
			act(doc, "Review", both, review_opinion="自己审核自己")
		self.assert_unchanged(doc.name, status="Applied", reviewed_by=None)

	def test_reviewer_cannot_also_approve(self):
		both = make_user("pj-reviewer-committee")
		from dangjian.tests.utils import add_member

		add_member(self.a.tree.unit_a, both, "Approver")
		add_member(self.a.tree.unit_a, both, "Party Committee")
		doc = self.create_as(self.a.secretary_a)
		act(doc, "Apply", self.a.secretary_a)
		act(doc, "Review", both, review_opinion="同意。")
		with self.assertRaises(frappe.PermissionError):
			act(doc, "Approve", both, committee_opinion="同意。")
		self.assert_unchanged(doc.name, status="Reviewed", approved_by=None)

	def test_applied_application_is_frozen(self):
		doc = self.create_as(self.a.secretary_a)
		act(doc, "Apply", self.a.secretary_a)
		frappe.set_user(self.a.approver_a)
		doc = frappe.get_doc("Dangjian Project", doc.name)
		doc.innovation_goals = "审批部门改写的目标"
		# what the branch wrote is the branch's (dangjian.ownership): the reviewer cannot rewrite it
		with self.assertRaises(frappe.PermissionError) as caught:
			doc.save()
		self.assertIn("is written by", str(caught.exception))
		# nor can the branch, while it is judged (the Workflow's editor in Applied is the department)
		frappe.set_user(self.a.secretary_a)
		doc = frappe.get_doc("Dangjian Project", doc.name)
		doc.innovation_goals = "申报后改写的目标"
		with self.assertRaises(frappe.PermissionError) as caught:
			doc.save()
		self.assertIn("only", str(caught.exception))

	def test_late_application_needs_a_reason_before_review(self):
		year = getdate(nowdate()).year
		with self.freeze_time(f"{year}-05-01 09:00:00"):
			doc = make_project(
				self.a.tree.branch_a1,
				year=year,
				branch_meeting_date=f"{year}-04-20",
				feasibility_activities=[{"activity_type": "Field Visit", "activity_date": f"{year}-04-10"}],
			)
			doc = act(doc, "Apply", self.a.secretary_a)
			self.assertEqual(doc.is_late, 1)
			with self.assertRaises(frappe.ValidationError) as caught:
				act(doc, "Review", self.a.approver_a, review_opinion="同意。")
			self.assertIn("reason for accepting a late application", str(caught.exception))
			self.assert_unchanged(doc.name, status="Applied")
			doc = act(doc, "Review", self.a.approver_a, late_acceptance_reason="因抢修任务延误，同意受理。")
			self.assertEqual(doc.status, "Reviewed")

	def test_application_on_the_deadline_is_on_time(self):
		year = getdate(nowdate()).year
		with self.freeze_time(f"{year}-04-30 23:00:00"):
			doc = make_project(
				self.a.tree.branch_a1,
				year=year,
				branch_meeting_date=f"{year}-04-20",
				feasibility_activities=[{"activity_type": "Field Visit", "activity_date": f"{year}-04-10"}],
			)
			doc = act(doc, "Apply", self.a.secretary_a)
			self.assertEqual(doc.is_late, 0)
