# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.tests.utils import (
	ACCEPTANCE_GROUP,
	acceptance_application,
	act,
	applied_acceptance,
	frozen,
	in_progress_project,
	make_actors,
	plan_fields,
)


class TestDangjianAcceptance(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("AC")

	def setUp(self):
		self.project = in_progress_project(self.a, on="2026-04-20")

	def tearDown(self):
		frappe.set_user("Administrator")

	def project_status(self):
		return frappe.db.get_value("Dangjian Project", self.project.name, "status")

	def test_self_check_rows_come_from_the_plan(self):
		frappe.set_user(self.a.secretary_a)
		doc = frappe.get_doc({"doctype": "Dangjian Acceptance", "project": self.project.name}).insert()
		self.assertEqual([row.plan_step for row in doc.self_check], ["设立先锋岗", "隐患排查"])
		self.assertEqual(doc.attempt_no, 1)

	def test_pass_makes_the_project_accepted(self):
		with frozen("2027-03-01"):
			acceptance = applied_acceptance(self.a, self.project)
			self.assertEqual(acceptance.status, "Applied")
			self.assertEqual(acceptance.docstatus, 0)
			self.assertEqual(self.project_status(), "Acceptance Applied")
			acceptance = act(acceptance, "Pass", self.a.approver_a, **ACCEPTANCE_GROUP)
		self.assertEqual(
			(acceptance.status, acceptance.docstatus, acceptance.conclusion), ("Passed", 1, "Passed")
		)
		project = frappe.get_doc("Dangjian Project", self.project.name)
		self.assertEqual(
			(project.status, project.acceptance_result, str(project.accepted_on)),
			("Accepted", "Passed", "2027-03-01"),
		)
		# the project's timeline records the step
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": project.name, "comment_type": "Workflow", "content": "Accepted"}
			)
		)

	def test_return_sends_the_application_back(self):
		acceptance = applied_acceptance(self.a, self.project)
		with self.assertRaises(frappe.ValidationError):
			act(acceptance, "Return", self.a.approver_a)
		acceptance = act(acceptance, "Return", self.a.approver_a, return_reason="总结报告过于简略。")
		self.assertEqual(acceptance.status, "Returned")
		self.assertEqual(self.project_status(), "In Progress")
		acceptance = act(acceptance, "Apply", self.a.secretary_a, summary_report="详细总结：……")
		self.assertEqual(self.project_status(), "Acceptance Applied")

	def test_assistance_then_a_later_attempt_passes(self):
		acceptance = applied_acceptance(self.a, self.project)
		with self.assertRaises(frappe.ValidationError) as caught:
			act(acceptance, "Assign Assistance", self.a.approver_a, **ACCEPTANCE_GROUP)
		self.assertIn("重点挂牌帮扶", str(caught.exception))
		act(
			acceptance,
			"Assign Assistance",
			self.a.approver_a,
			assisting_party="党群工作部 王建华",
			assistance_measures="每月到支部指导一次。",
			reacceptance_date="2027-06-30",
			**ACCEPTANCE_GROUP,
		)
		self.assertEqual(self.project_status(), "Under Assistance")
		second = applied_acceptance(self.a, self.project)
		self.assertEqual(second.attempt_no, 2)
		act(second, "Pass", self.a.approver_a, **ACCEPTANCE_GROUP)
		self.assertEqual(self.project_status(), "Accepted")
		attempts = frappe.get_all(
			"Dangjian Acceptance",
			filters={"project": self.project.name},
			fields=["attempt_no", "status"],
			order_by="attempt_no",
		)
		self.assertEqual([(a.attempt_no, a.status) for a in attempts], [(1, "Assistance"), (2, "Passed")])

	def test_adjust_reopens_plan_and_feasibility_and_resumes(self):
		with frozen("2027-03-01"):
			acceptance = applied_acceptance(self.a, self.project)
			act(
				acceptance,
				"Require Adjustment",
				self.a.approver_a,
				adjustment_notes="重新论证可行性。",
				**ACCEPTANCE_GROUP,
			)
		self.assertEqual(self.project_status(), "Adjusting")
		with frozen("2027-03-10"):
			# resuming without a new feasibility record is refused
			with self.assertRaises(frappe.ValidationError) as caught:
				act(self.project, "Resume Implementation", self.a.secretary_a)
			self.assertIn("new feasibility study", str(caught.exception))
			project = frappe.get_doc("Dangjian Project", self.project.name)
			activities = [row.as_dict() for row in project.feasibility_activities]
			activities.append(
				{
					"activity_type": "Symposium",
					"activity_date": "2027-03-08",
					"participants": 10,
					"summary": "重新论证",
				}
			)
			plan = plan_fields("2026-04-20", "2027-12-31")
			project = act(
				project,
				"Resume Implementation",
				self.a.secretary_a,
				feasibility_activities=activities,
				**plan,
			)
		self.assertEqual(project.status, "In Progress")
		self.assertEqual(str(project.completion_deadline), "2027-12-31")

	def test_plan_is_fixed_while_in_progress(self):
		project = frappe.get_doc("Dangjian Project", self.project.name)
		frappe.set_user(self.a.secretary_a)
		project.plan_goals = "改写的目标"
		with self.assertRaises(frappe.ValidationError) as caught:
			project.save()
		self.assertIn("plan is fixed", str(caught.exception))

	def test_unanswered_or_unexplained_self_check_is_refused(self):
		fields = acceptance_application(self.project.name)
		fields["self_check"][0]["result"] = ""
		with self.set_user(self.a.secretary_a):
			doc = frappe.get_doc(fields).insert()
		with self.assertRaises(frappe.ValidationError) as caught:
			act(doc, "Apply", self.a.secretary_a)
		self.assertIn("unanswered", str(caught.exception))
		self.assertEqual(self.project_status(), "In Progress")
		rows = [row.as_dict() for row in frappe.get_doc(doc.doctype, doc.name).self_check]
		rows[0]["result"] = "Not Done"
		with self.assertRaises(frappe.ValidationError) as caught:
			act(doc, "Apply", self.a.secretary_a, self_check=rows)
		self.assertIn("Explain why", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Dangjian Acceptance", doc.name, "status"), "Draft")

	def test_group_needs_two_people_and_one_leader(self):
		acceptance = applied_acceptance(self.a, self.project)
		group = dict(
			ACCEPTANCE_GROUP, group_members=[{"member_name": "王建华", "title": "主任", "is_leader": 1}]
		)
		with self.assertRaises(frappe.ValidationError) as caught:
			act(acceptance, "Pass", self.a.approver_a, **group)
		self.assertIn("at least two people", str(caught.exception))
		group = dict(
			ACCEPTANCE_GROUP,
			group_members=[
				{"member_name": "甲", "title": "主任", "is_leader": 0},
				{"member_name": "乙", "title": "干事", "is_leader": 0},
			],
		)
		with self.assertRaises(frappe.ValidationError) as caught:
			act(acceptance, "Pass", self.a.approver_a, **group)
		self.assertIn("exactly one leader", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Dangjian Acceptance", acceptance.name, "docstatus"), 0)
		self.assertEqual(self.project_status(), "Acceptance Applied")

	def test_applying_for_a_project_not_in_progress_is_refused(self):
		frappe.db.set_value("Dangjian Project", self.project.name, "status", "Approved")
		with self.set_user(self.a.secretary_a):
			doc = frappe.get_doc(acceptance_application(self.project.name)).insert()
		with self.assertRaises(frappe.ValidationError) as caught:
			act(doc, "Apply", self.a.secretary_a)
		self.assertIn("In Progress or Under Assistance", str(caught.exception))

	def test_second_open_attempt_is_refused(self):
		applied_acceptance(self.a, self.project)
		before = frappe.db.count("Dangjian Acceptance")
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(acceptance_application(self.project.name)).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.count("Dangjian Acceptance"), before)

	def test_applicant_cannot_conclude(self):
		from dangjian.tests.utils import add_member

		add_member(self.a.tree.unit_a, self.a.secretary_a, "Approver")
		acceptance = applied_acceptance(self.a, self.project)
		# Frappe's workflow refuses it first ("Self approval is not allowed"); the controller would too
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			act(acceptance, "Pass", self.a.secretary_a, **ACCEPTANCE_GROUP)
		self.assertEqual(self.project_status(), "Acceptance Applied")

	def test_cancelling_a_pass_reverts_the_project(self):
		acceptance = applied_acceptance(self.a, self.project)
		acceptance = act(acceptance, "Pass", self.a.approver_a, **ACCEPTANCE_GROUP)
		act(acceptance, "Cancel", self.a.approver_a)
		project = frappe.get_doc("Dangjian Project", self.project.name)
		self.assertEqual((project.status, project.acceptance_result), ("In Progress", None))

	def test_group_member_from_the_inspected_branch_is_refused(self):
		acceptance = applied_acceptance(self.a, self.project)
		group = dict(
			ACCEPTANCE_GROUP,
			group_members=[
				{"member_name": "王建华", "title": "主任", "is_leader": 1},
				{"member_name": "支部书记", "user": self.a.secretary_a, "title": "书记", "is_leader": 0},
			],
		)
		with self.assertRaises(frappe.ValidationError) as caught:
			act(acceptance, "Pass", self.a.approver_a, **group)
		self.assertIn("branch under inspection", str(caught.exception))
		self.assertEqual(self.project_status(), "Acceptance Applied")

	def test_approver_of_another_unit_cannot_conclude(self):
		acceptance = applied_acceptance(self.a, self.project)
		with self.assertRaises(frappe.PermissionError):
			act(acceptance, "Pass", self.a.approver_b, **ACCEPTANCE_GROUP)
		self.assertEqual(frappe.db.get_value("Dangjian Acceptance", acceptance.name, "docstatus"), 0)

	def test_a_passed_project_cannot_be_concluded_again(self):
		first = applied_acceptance(self.a, self.project)
		act(first, "Pass", self.a.approver_a, **ACCEPTANCE_GROUP)
		# a second attempt forced past the application rules is still refused at the conclusion
		with self.set_user(self.a.secretary_a):
			second = frappe.get_doc(acceptance_application(self.project.name)).insert()
		second = frappe.get_doc(second.doctype, second.name)
		second.db_set("status", "Applied")
		with self.assertRaises(frappe.ValidationError) as caught:
			act(second, "Pass", self.a.approver_a, **ACCEPTANCE_GROUP)
		self.assertIn("cannot be concluded again", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Dangjian Project", self.project.name, "status"), "Accepted")

	def test_adjust_then_resume_then_pass(self):
		with frozen("2027-03-01"):
			acceptance = applied_acceptance(self.a, self.project)
			act(
				acceptance,
				"Require Adjustment",
				self.a.approver_a,
				adjustment_notes="重新论证。",
				**ACCEPTANCE_GROUP,
			)
		with frozen("2027-03-10"):
			project = frappe.get_doc("Dangjian Project", self.project.name)
			activities = [row.as_dict() for row in project.feasibility_activities]
			activities.append(
				{"activity_type": "Field Visit", "activity_date": "2027-03-09", "summary": "实地走访"}
			)
			act(
				project,
				"Resume Implementation",
				self.a.secretary_a,
				feasibility_activities=activities,
				**plan_fields("2026-04-20", "2027-12-31"),
			)
		with frozen("2027-11-01"):
			second = applied_acceptance(self.a, self.project)
			self.assertEqual(second.attempt_no, 2)
			act(second, "Pass", self.a.approver_a, **ACCEPTANCE_GROUP)
		self.assertEqual(self.project_status(), "Accepted")
