"""Who may set each field, in which state, through every door (dangjian.ownership), and what
the record keeps: system fields, the field's owner, the state's editor, deletion, conflicts of
interest, child rows and counts in scope, typed values and report filters. Each refusal leaves
the database as it was."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import ownership, request_guard
from dangjian.tests.utils import act, add_member, make_actors, make_project, make_user, project_fields


def stored(doctype, name, field):
	return frappe.db.get_value(doctype, name, field)


class TestOwnership(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.actors = make_actors("OWN")

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def draft(self):
		return make_project(self.actors.tree.branch_a1)

	def save_as(self, user, doctype, name, **values):
		"""What a REST PUT does: load, update with the values sent, save as the user."""
		with self.set_user(user):
			doc = frappe.get_doc(doctype, name)
			doc.update(values)
			return doc.save()

	def assertRefused(self, user, doctype, name, exc=frappe.ValidationError, fragment=None, **values):
		before = frappe.get_doc(doctype, name).as_dict()
		with self.assertRaises(exc) as caught:
			self.save_as(user, doctype, name, **values)
		after = frappe.get_doc(doctype, name).as_dict()
		self.assertEqual(after.modified, before.modified)
		for field in values:
			self.assertEqual(after.get(field), before.get(field), field)
		if fragment:
			self.assertIn(fragment, str(caught.exception))
		return caught.exception

	# --- system fields ------------------------------------------------------------------------

	def test_a_branch_secretary_cannot_set_results_on_their_own_project(self):
		doc = self.draft()
		for field, value in (
			("stars", 5),
			("grade", "Exemplary"),
			("commended", 1),
			("top_ten", 1),
			("filing_number", "BA-X-1"),
			("approved_by", self.actors.committee_a),
			("applied_on", "2026-01-10"),
			("implementation_started_on", "2025-01-01"),
		):
			with self.subTest(field=field):
				self.assertRefused(
					self.actors.secretary_a,
					doc.doctype,
					doc.name,
					ownership.FieldNotYours,
					"system",
					**{field: value},
				)

	def test_a_new_draft_keeps_nothing_forged(self):
		for forged in (
			{"approved_by": self.actors.committee_a, "approved_on": "2026-01-05"},
			{"filing_number": "BA-FORGED", "stars": 5},
			{"applied_on": "2026-01-10"},
			{"is_late": 1},
			{"status": "Approved"},
		):
			with self.subTest(forged=forged), self.set_user(self.actors.secretary_a):
				count = frappe.db.count("Dangjian Project")
				with self.assertRaises(ownership.FieldNotYours):
					frappe.get_doc(project_fields(self.actors.tree.branch_a1, **forged)).insert()
				self.assertEqual(frappe.db.count("Dangjian Project"), count)

	def test_sending_back_the_stored_values_is_not_a_change(self):
		doc = self.draft()
		act(doc, "Apply", self.actors.secretary_a)
		# the desk's form sends every field back; an approver saving their opinion changes only it
		with self.set_user(self.actors.approver_a):
			sent = frappe.get_doc(doc.doctype, doc.name).as_dict()
			sent.update(review_opinion="同意。")
			frappe.get_doc(sent).save()
		self.assertEqual(stored(doc.doctype, doc.name, "review_opinion"), "同意。")

	# --- the field's owner and the state's editor ---------------------------------------------

	def test_who_writes_what_in_each_state(self):
		doc = self.draft()
		a = self.actors
		# Draft: the branch writes its application, not the department's opinion
		self.save_as(a.secretary_a, doc.doctype, doc.name, project_name="改名后的项目")
		self.assertEqual(stored(doc.doctype, doc.name, "project_name"), "改名后的项目")
		self.assertRefused(
			a.secretary_a, doc.doctype, doc.name, ownership.FieldNotYours, review_opinion="自己写的意见"
		)
		self.assertRefused(
			a.approver_a, doc.doctype, doc.name, ownership.FieldNotYours, project_name="审核人改名"
		)
		act(doc, "Apply", a.secretary_a)
		# Applied: the department writes its opinion; the branch's text is frozen for everyone
		self.assertRefused(
			a.secretary_a, doc.doctype, doc.name, ownership.FieldNotYours, project_name="申报后改名"
		)
		self.assertRefused(
			a.approver_a, doc.doctype, doc.name, ownership.FieldNotYours, project_name="审核人改名"
		)
		self.assertRefused(
			a.committee_a, doc.doctype, doc.name, ownership.FieldNotYours, review_opinion="党委代写"
		)
		self.save_as(a.approver_a, doc.doctype, doc.name, review_opinion="同意报党委审定。")
		act(doc, "Review", a.approver_a)
		# Reviewed: the committee writes its own opinion, not the department's
		self.assertRefused(
			a.committee_a, doc.doctype, doc.name, ownership.FieldNotYours, review_opinion="改写"
		)
		self.assertRefused(
			a.approver_a, doc.doctype, doc.name, ownership.FieldNotYours, committee_opinion="代写"
		)
		self.save_as(a.committee_a, doc.doctype, doc.name, committee_opinion="同意立项。")

	def test_a_submitted_quarterly_report_is_not_rewritten_while_it_waits(self):
		from dangjian.tests.utils import in_progress_project, quarterly_report_fields

		project = in_progress_project(self.actors, test_case=self)
		with self.set_user(self.actors.secretary_a):
			report = frappe.get_doc(quarterly_report_fields(project.name, 2026, 3)).insert()
		act(report, "Submit", self.actors.secretary_a)
		self.assertRefused(
			self.actors.secretary_a,
			report.doctype,
			report.name,
			ownership.FieldNotYours,
			progress_summary="改写",
		)
		self.assertRefused(
			self.actors.approver_a,
			report.doctype,
			report.name,
			ownership.FieldNotYours,
			progress_summary="代写",
		)
		self.save_as(self.actors.approver_a, report.doctype, report.name, supervision_comment="符合要求。")

	def test_a_submitted_record_keeps_its_system_fields_and_its_state(self):
		from dangjian.tests.utils import in_progress_project, quarterly_report_fields

		project = in_progress_project(self.actors, test_case=self)
		with self.set_user(self.actors.secretary_a):
			report = frappe.get_doc(quarterly_report_fields(project.name, 2026, 3)).insert()
		act(report, "Submit", self.actors.secretary_a)
		act(report, "Review", self.actors.approver_a, supervision_comment="符合要求。")
		self.assertEqual(stored(report.doctype, report.name, "docstatus"), 1)
		# what Frappe still lets change after submit (allow on submit) is the system's
		self.assertRefused(
			self.actors.approver_a,
			report.doctype,
			report.name,
			ownership.FieldNotYours,
			reviewed_by=self.actors.approver_b,
		)
		# a state sent by hand that the docstatus does not match: cancelled, yet left submitted
		self.assertRefused(
			self.actors.approver_a, report.doctype, report.name, ownership.FieldNotYours, status="Cancelled"
		)

	def test_a_transition_an_administrator_adds_in_the_desk_works(self):
		"""The site's Workflow is the one truth: a transition added to it (a branch withdraws its
		application under review) is taken like any other, and no other move is."""
		from frappe.model.workflow import apply_workflow

		from dangjian import scope
		from dangjian.setup.workflow import ensure_action

		doc = self.draft()
		act(doc, "Apply", self.actors.secretary_a)
		with self.set_user(self.actors.secretary_a), self.assertRaises(frappe.ValidationError):
			apply_workflow(frappe.get_doc(doc.doctype, doc.name), "Withdraw Application")
		ensure_action("Withdraw Application")
		workflow = frappe.get_doc("Workflow", "Dangjian Project Workflow")
		workflow.append(
			"transitions",
			{
				"state": "Applied",
				"action": "Withdraw Application",
				"next_state": "Draft",
				"allowed": scope.ROLE_BRANCH_SECRETARY,
				"allow_self_approval": 1,
			},
		)
		workflow.save()
		try:
			with self.set_user(self.actors.secretary_a):
				apply_workflow(frappe.get_doc(doc.doctype, doc.name), "Withdraw Application")
			self.assertEqual(stored(doc.doctype, doc.name, "status"), "Draft")
			# a move the Workflow does not have stays refused
			with self.set_user(self.actors.secretary_a), self.assertRaises(frappe.ValidationError):
				self.save_as(self.actors.secretary_a, doc.doctype, doc.name, status="Approved")
		finally:
			workflow.reload()
			workflow.transitions = [t for t in workflow.transitions if t.action != "Withdraw Application"]
			workflow.save()

	def test_the_desk_reads_the_states_from_the_workflow(self):
		"""The ledger's status filter and the quarterly report's project picker take their states
		from the boot (frappe.boot.dangjian), which reads the site's Workflow."""
		from frappe.boot import get_bootinfo

		from dangjian.dangjian.doctype.dangjian_project.dangjian_project import REPORTING_STATES

		states = [row.state for row in frappe.get_doc("Workflow", "Dangjian Project Workflow").states]
		self.assertIn("In Progress", states)
		with self.set_user(self.actors.secretary_a):
			boot = get_bootinfo()
		self.assertEqual(boot.dangjian["project_states"], states)
		self.assertEqual(boot.dangjian["reporting_states"], list(REPORTING_STATES))
		self.assertTrue(boot.dangjian["reporting_states"])
		for script in (
			"dangjian/dangjian/report/dangjian_project_ledger/dangjian_project_ledger.js",
			"dangjian/dangjian/doctype/dangjian_quarterly_report/dangjian_quarterly_report.js",
		):
			with open(frappe.get_app_path("dangjian", "..", script)) as f:
				source = f.read()
			self.assertIn("frappe.boot.dangjian", source, script)
			self.assertNotIn('"Under Assistance"', source, script)

	# --- delete -------------------------------------------------------------------------------

	def test_a_record_that_left_draft_is_kept(self):
		draft = self.draft()
		applied = self.draft()
		act(applied, "Apply", self.actors.secretary_a)
		with self.set_user(self.actors.secretary_a):
			with self.assertRaises(frappe.PermissionError):
				frappe.delete_doc("Dangjian Project", applied.name)
			self.assertTrue(frappe.db.exists("Dangjian Project", applied.name))
			frappe.delete_doc("Dangjian Project", draft.name)
		self.assertFalse(frappe.db.exists("Dangjian Project", draft.name))

	# --- conflicts of interest ----------------------------------------------------------------

	def test_the_evaluated_branchs_people_do_not_score_it(self):
		from dangjian.tests.utils import accepted_project, open_evaluation

		member = make_user("own-member-a")
		add_member(self.actors.tree.branch_a1, member)
		project = accepted_project(self.actors)
		evaluation = open_evaluation(self.actors, project.name)
		for user in (self.actors.secretary_a, member):
			with self.subTest(user=user), self.set_user(self.actors.approver_a):
				with self.assertRaises(frappe.PermissionError) as caught:
					frappe.get_doc(
						{
							"doctype": "Dangjian Evaluation Score",
							"evaluation": evaluation.name,
							"evaluator_user": user,
							"evaluator_name": "本支部人员",
							"category": "Party Member",
							"satisfaction_vote": "Satisfied",
							"benefit_score": 90,
							"replicability_score": 90,
						}
					).insert()
				self.assertIn("branch of this project", str(caught.exception))
		self.assertFalse(frappe.db.exists("Dangjian Evaluation Score", {"evaluation": evaluation.name}))

	# --- reading: child rows and counts -------------------------------------------------------

	def test_child_rows_and_counts_only_within_scope(self):
		from dangjian.visibility import get_count

		doc = self.draft()
		a = self.actors
		for user, sees in ((a.secretary_a, True), (a.secretary_b, False), (a.approver_b, False)):
			with self.subTest(user=user), self.set_user(user):
				rows = frappe.get_list(
					"Dangjian Project Team Member",
					filters={"parent": doc.name},
					fields=["name", "member_name"],
					parent_doctype="Dangjian Project",
				)
				self.assertEqual(bool(rows), sees, rows)
				count = get_count("Dangjian Project", json.dumps({"name": doc.name}))
				self.assertEqual(count, 1 if sees else 0)
		# the members of unit A (its approver and committee, with their accounts)
		for user, sees in ((a.approver_a, True), (a.approver_b, False), (a.secretary_b, False)):
			with self.subTest(user=user), self.set_user(user):
				members = frappe.get_list(
					"Party Organization Member",
					filters={"parent": a.tree.unit_a},
					fields=["name", "user"],
					parent_doctype="Party Organization",
				)
				self.assertEqual(bool(members), sees, members)

	def test_get_count_of_other_apps_doctypes_is_frappes_own(self):
		from frappe.client import get_count as frappe_get_count

		from dangjian.visibility import get_count

		self.assertEqual(get_count("ToDo"), frappe_get_count("ToDo"))

	def test_a_project_outside_scope_cannot_be_written_into_a_record(self):
		doc = self.draft()
		with self.set_user(self.actors.approver_b):
			count = frappe.db.count("Dangjian Exchange Activity")
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "Dangjian Exchange Activity",
						"title": "跨单位交流",
						"activity_type": "Experience Exchange",
						"activity_date": "2026-05-01",
						"organizer": self.actors.tree.unit_b,
						"projects": [{"project": doc.name}],
					}
				).insert()
			self.assertEqual(frappe.db.count("Dangjian Exchange Activity"), count)

	# --- typed values -------------------------------------------------------------------------

	def test_typed_values_are_refused_with_a_message(self):
		for fieldtype, value, problem in (
			("Date", "2026-02-30", "date"),
			("Date", "next week", "date"),
			("Date", ["2026-01-01"], "date"),
			("Float", True, "number"),
			("Int", "12a", "number"),
			("Int", [12], "number"),
			("Check", 2, "check"),
			("Data", {"a": 1}, "text"),
		):
			with self.subTest(fieldtype=fieldtype, value=value):
				self.assertEqual(ownership.type_problem(fieldtype, value), problem)
		for fieldtype, value in (
			("Date", "2026-02-28"),
			("Float", "80.5"),
			("Int", 3),
			("Check", True),
			("Data", "x"),
		):
			with self.subTest(fieldtype=fieldtype, value=value):
				self.assertIsNone(ownership.type_problem(fieldtype, value))
		with self.set_user(self.actors.secretary_a):
			with self.assertRaises(frappe.ValidationError) as caught:
				frappe.get_doc(
					project_fields(self.actors.tree.branch_a1, branch_meeting_date="2026-02-30")
				).insert()
			self.assertIn("2026-02-30", str(caught.exception))

	def test_a_table_must_arrive_as_rows(self):
		for sent in ("张三", ["张三"], {"member_name": "张三"}):
			with self.subTest(sent=sent), self.assertRaises(frappe.ValidationError):
				request_guard.check_shape("Dangjian Project", {"team": sent})
		request_guard.check_shape("Dangjian Project", {"team": [{"member_name": "张三"}]})
		self.assertEqual(
			request_guard.sent_documents("/api/resource/Dangjian Project", {"team": "x"}),
			[("Dangjian Project", {"team": "x"})],
		)
		self.assertEqual(
			request_guard.sent_documents(
				"/api/method/frappe.client.insert", {"doc": json.dumps({"doctype": "ToDo", "x": 1})}
			),
			[("ToDo", {"doctype": "ToDo", "x": 1})],
		)

	def test_report_filters_take_one_value(self):
		from frappe.desk.query_report import run

		for report, filters in (
			("Dangjian Project Ledger", {"unit": ["U01", "U02"]}),
			("Dangjian Quarterly Progress", {"branch": {"in": ["x"]}}),
			("Dangjian Branch Assessment", {"year": [2025]}),
			("Dangjian Application Compliance", {"unit": ["U01"]}),
			("Dangjian Evaluation Results", {"unit": ["U01"]}),
			("Dangjian Commendation List", {"year": "twenty"}),
		):
			with self.subTest(report=report), self.assertRaises(frappe.ValidationError):
				run(report, filters=json.dumps(filters))
