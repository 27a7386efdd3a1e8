import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.tests.utils import make_actors, make_project, make_user
from dangjian.www import dangjian_library


class TestExperienceLibrary(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("EL")
		t = cls.a.tree
		cls.exemplary = evaluated(t.branch_a1, 2025, 5, innovation_goals="<script>alert(1)</script>先锋岗")
		cls.top_ten = evaluated(t.branch_b1, 2025, 3)
		frappe.db.set_value("Dangjian Project", cls.top_ten, "top_ten", 1)
		cls.qualified = evaluated(t.branch_a2, 2025, 2)
		cls.draft_exemplary = make_project(t.branch_a1, year=2026).name
		frappe.db.set_value("Dangjian Project", cls.draft_exemplary, "grade", "Exemplary")

	def context_as(self, user):
		with self.set_user(user):
			return dangjian_library.get_context(frappe._dict())

	def test_lists_exactly_the_exemplary_and_top_ten_projects_company_wide(self):
		context = self.context_as(self.a.secretary_b)
		names = {p.name for p in context.projects}
		self.assertIn(self.exemplary, names)
		self.assertIn(self.top_ten, names)
		self.assertNotIn(self.qualified, names)
		self.assertNotIn(self.draft_exemplary, names)

	def test_guests_and_users_without_an_app_role_are_refused(self):
		with self.assertRaises(frappe.PermissionError):
			self.context_as("Guest")
		outsider = make_user("el-outsider")
		with self.assertRaises(frappe.PermissionError):
			self.context_as(outsider)

	def test_markup_is_escaped(self):
		with self.set_user(self.a.approver_a):
			context = dangjian_library.get_context(frappe._dict())
			html = frappe.render_template(
				"dangjian/templates/includes/dangjian_library_projects.html", context
			)
		self.assertNotIn("<script>alert(1)</script>", html)
		self.assertIn("先锋岗", html)
