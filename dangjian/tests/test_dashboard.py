import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import dashboard, scope
from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.tests.utils import (
	act,
	add_member,
	frozen,
	in_progress_project,
	make_actors,
	make_project,
	make_user,
)


class TestDashboard(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("DB")
		year = frappe.utils.getdate(frappe.utils.nowdate()).year
		cls.draft_a = make_project(cls.a.tree.branch_a1, year=year)
		applied = make_project(cls.a.tree.branch_a2, year=year)
		act(applied, "Apply", make_branch_secretary(cls.a))
		cls.draft_b = make_project(cls.a.tree.branch_b1, year=year)
		cls.exemplary = evaluated(cls.a.tree.branch_a1, 2025, 5)
		cls.running = in_progress_project(cls.a, on="2026-04-20")
		cls.no_scope = make_user("db-no-scope", roles=(scope.ROLE_APPROVER,))

	def value(self, user, method):
		with self.set_user(user):
			with frozen("2026-11-27 10:00:00"):
				return getattr(dashboard, method)()["value"]

	def test_projects_this_year_per_scope(self):
		self.assertEqual(self.value(self.a.approver_a, "projects_this_year"), 3)  # draft, applied, running
		self.assertEqual(self.value(self.a.secretary_b, "projects_this_year"), 1)
		self.assertEqual(self.value(self.no_scope, "projects_this_year"), 0)

	def test_waiting_for_my_action(self):
		# the approver: the application waiting for review
		self.assertEqual(self.value(self.a.approver_a, "waiting_for_my_action"), 1)
		# secretary B: their own draft
		self.assertEqual(self.value(self.a.secretary_b, "waiting_for_my_action"), 1)
		self.assertEqual(self.value(self.no_scope, "waiting_for_my_action"), 0)

	def test_overdue_quarterly_reports(self):
		# started 2026-04-20: Q3 2026 was due 2026-10-10 and is missing
		self.assertEqual(self.value(self.a.approver_a, "overdue_quarterly_reports"), 1)
		self.assertEqual(self.value(self.a.approver_b, "overdue_quarterly_reports"), 0)

	def test_exemplary_projects(self):
		self.assertEqual(self.value(self.a.approver_a, "exemplary_projects"), 1)
		self.assertEqual(self.value(self.a.approver_b, "exemplary_projects"), 0)

	def test_every_role_sees_the_cards_with_its_numbers(self):
		"""The workspace as Frappe builds it for each user (get_desktop_page, as the desk asks):
		the five cards (Frappe shows a Custom card only to a user who can read its document
		type), each card's number that user's own."""
		from frappe.desk.desktop import get_desktop_page

		admin = make_user("db-admin")
		add_member(self.a.tree.company, admin, "Administrator")
		expected = {
			self.a.secretary_b: {"projects_this_year": 1, "waiting_for_my_action": 1},
			self.a.approver_a: {"projects_this_year": 3, "waiting_for_my_action": 1},
			self.a.committee_a: {"projects_this_year": 3, "waiting_for_my_action": 0},
			admin: {"projects_this_year": 4},  # the whole company: both units
		}
		cards = frappe.get_all("Number Card", filters={"module": "Dangjian"}, pluck="name")
		self.assertEqual(len(cards), 5)
		for user, numbers in expected.items():
			with self.set_user(user):
				page = get_desktop_page(frappe.as_json({"name": "Dangjian", "title": "Dangjian"}))
			shown = sorted(card.number_card_name for card in page["number_cards"]["items"])
			self.assertEqual(shown, sorted(cards), user)
			for method, value in numbers.items():
				self.assertEqual(self.value(user, method), value, (user, method))
		# a Custom card's route opens the list it counts
		with self.set_user(self.a.approver_a):
			self.assertEqual(dashboard.projects_this_year()["route"], ["List", "Dangjian Project"])

	def test_the_status_chart_speaks_the_users_language(self):
		"""The workspace's status chart: the user's own projects by status, the legend in Chinese
		on a Chinese desk (a Group By chart showed the stored English state names)."""
		import re

		from dangjian.dangjian.dashboard_chart_source.dangjian_projects_by_status.dangjian_projects_by_status import (
			get,
		)

		chart = frappe.get_doc("Dashboard Chart", "Dangjian Projects by Status")
		self.assertEqual((chart.chart_type, chart.source), ("Custom", "Dangjian Projects by Status"))
		lang = frappe.local.lang
		try:
			frappe.local.lang = "zh"
			with self.set_user(self.a.approver_a):
				data = get(chart_name=chart.name)
				visible = frappe.get_list("Dangjian Project", pluck="name")
		finally:
			frappe.local.lang = lang
		self.assertTrue(data["labels"])
		self.assertEqual(len(data["labels"]), len(data["datasets"][0]["values"]))
		for label in data["labels"]:
			self.assertFalse(re.search("[A-Za-z]", label), label)
		self.assertIn("已申报", data["labels"])
		self.assertEqual(sum(data["datasets"][0]["values"]), len(visible))
		self.assertGreater(len(visible), 0)

	def test_workspace_and_cards_are_installed(self):
		workspace = frappe.get_doc("Workspace", "Dangjian")
		self.assertEqual(len(workspace.number_cards), 5)
		self.assertEqual(len(workspace.charts), 2)
		for card in workspace.number_cards:
			method = frappe.db.get_value("Number Card", card.number_card_name, "method")
			self.assertTrue(frappe.get_attr(method))


def make_branch_secretary(actors):
	from dangjian.tests.utils import set_secretary

	user = make_user("db-sec-a2")
	set_secretary(actors.tree.branch_a2, user)
	return user
