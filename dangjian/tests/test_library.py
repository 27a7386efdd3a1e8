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

	def test_a_guest_is_sent_to_log_in_and_users_without_an_app_role_are_refused(self):
		with self.assertRaises(frappe.Redirect):
			self.context_as("Guest")
		self.assertEqual(frappe.local.flags.redirect_location, "/login?redirect-to=%2Fdangjian-library")
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

	def search(self, user, **query):
		"""The page with a query string (frappe.set_user empties form_dict: set it after)."""
		with self.set_user(user):
			frappe.local.form_dict = frappe._dict(query)
			try:
				return dangjian_library.get_context(frappe._dict())
			finally:
				frappe.local.form_dict = frappe._dict()

	def test_searchable_by_year_unit_and_topic(self):
		everything = self.search(self.a.secretary_b)
		self.assertGreaterEqual(len(everything.projects), 2)
		self.assertIn("2025", everything.years)
		self.assertIn(self.a.tree.unit_a, [code for code, _name in everything.units])
		by_unit = self.search(self.a.secretary_b, unit=self.a.tree.unit_b)
		self.assertEqual(
			[p.name for p in by_unit.projects if p.name in (self.exemplary, self.top_ten)], [self.top_ten]
		)
		self.assertFalse(self.search(self.a.secretary_b, year="2019").projects)
		topic = frappe.db.get_value("Dangjian Project", self.exemplary, "topic_area")
		self.assertTrue(topic)
		by_topic = self.search(self.a.secretary_b, topic=topic)
		self.assertIn(self.exemplary, [p.name for p in by_topic.projects])
		self.assertTrue(all(p.topic_area == topic for p in by_topic.projects))
		with self.set_user(self.a.secretary_b):
			html = frappe.render_template(
				"dangjian/templates/includes/dangjian_library_projects.html",
				{"projects": [], "total": 3},
			)
		self.assertIn("没有符合条件的项目", html)

	def test_private_evidence_is_served_to_library_users_only(self):
		"""Another unit's private evidence: the secretary of unit B could not open it through
		Frappe (outside their scope), the library serves it; a file of a project not in the
		library is refused, and so is a user without a position."""
		private = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "先锋岗台账.txt",
				"content": "先锋岗台账内容".encode(),
				"is_private": 1,
				"attached_to_doctype": "Dangjian Project",
				"attached_to_name": self.exemplary,
			}
		).insert(ignore_permissions=True)
		other = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "合格项目材料.txt",
				"content": b"x",
				"is_private": 1,
				"attached_to_doctype": "Dangjian Project",
				"attached_to_name": self.qualified,
			}
		).insert(ignore_permissions=True)
		with self.set_user(self.a.secretary_b):
			self.assertFalse(frappe.has_permission("File", doc=private))
			context = dangjian_library.get_context(frappe._dict())
			html = frappe.render_template(
				"dangjian/templates/includes/dangjian_library_projects.html", context
			)
			self.assertIn(f"dangjian.www.dangjian_library.evidence?file={private.name}", html)
			frappe.local.response = frappe._dict()
			dangjian_library.evidence(private.name)
			self.assertEqual(frappe.local.response.type, "download")
			self.assertEqual(frappe.local.response.filename, "先锋岗台账.txt")
			self.assertEqual(frappe.safe_decode(frappe.local.response.filecontent), "先锋岗台账内容")
			with self.assertRaises(frappe.PermissionError):
				dangjian_library.evidence(other.name)
		with self.set_user(make_user("el-outsider-2")), self.assertRaises(frappe.PermissionError):
			dangjian_library.evidence(private.name)

	def test_reached_from_the_workspace_and_the_portal_menu(self):
		workspace = frappe.get_doc("Workspace", "Dangjian")
		self.assertIn("/dangjian-library", [row.url for row in workspace.shortcuts if row.type == "URL"])
		routes = [row.route for row in frappe.get_doc("Portal Settings").menu]
		self.assertIn("/dangjian-library", routes)
