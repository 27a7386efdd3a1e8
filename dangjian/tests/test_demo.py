import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import demo, scope


class TestDemo(FrappeTestCase):
	def counts(self):
		return {
			doctype: frappe.db.count(doctype)
			for doctype in (
				"Party Organization",
				"Party Organization Member",
				"User",
				"User Permission",
				"Has Role",
			)
		}

	def test_demo_builds_the_tree_and_users_and_runs_twice_without_duplicates(self):
		demo.make_demo()
		first = self.counts()
		demo.make_demo()
		self.assertEqual(self.counts(), first)

		kinds = dict(
			frappe.get_all(
				"Party Organization",
				filters={"name": ("in", [o[0] for o in demo.ORGANIZATIONS])},
				fields=["name", "organization_type"],
				as_list=True,
			)
		)
		types = [row[2] for row in demo.ORGANIZATIONS]
		self.assertGreaterEqual(types.count("Unit"), 2)
		self.assertGreaterEqual(types.count("General Branch"), 1)
		self.assertGreaterEqual(types.count("Branch"), 6)
		self.assertEqual(len(kinds), len(demo.ORGANIZATIONS))

		roles_seen = set()
		for login, _name, _what in demo.USERS:
			roles_seen |= set(frappe.get_roles(demo.email(login))) & set(scope.APP_ROLES)
		self.assertEqual(roles_seen, set(scope.APP_ROLES))

		self.assertEqual(set(scope.allowed_organizations(demo.email("secretary1"))), {"U01-B01"})
		approver_scope = set(scope.allowed_organizations(demo.email("approver1")))
		self.assertIn("U01-G01-B02", approver_scope)
		self.assertNotIn("U02-B01", approver_scope)
		self.assertEqual(len(scope.allowed_organizations(demo.email("admin"))), len(demo.ORGANIZATIONS))

	def test_demo_users_get_the_password_given_or_a_random_one_each(self):
		from frappe.utils.password import check_password

		demo.make_demo()
		new = (demo.email("member1"), demo.email("evaluator1"))

		def remake(**kwargs):
			for user in new:
				frappe.delete_doc("User", user, ignore_permissions=True, force=True)
			return demo.make_demo(**kwargs)

		# the quick start's throwaway site: the password given
		made = remake(password=demo.DEMO_PASSWORD)
		self.assertEqual(made["passwords"], dict.fromkeys(new, demo.DEMO_PASSWORD))
		self.assertEqual(check_password(new[0], demo.DEMO_PASSWORD), new[0])
		# otherwise a random one each, returned to be written down; existing users keep theirs
		made = remake()
		self.assertEqual(set(made["passwords"]), set(new))
		first, second = (made["passwords"][user] for user in new)
		self.assertNotEqual(first, second)
		self.assertNotEqual(first, demo.DEMO_PASSWORD)
		self.assertEqual(check_password(new[0], first), new[0])
		# the recreated accounts get their positions' roles back (as saving the organizations does)
		for org in ("U01-B01", "U01"):
			frappe.get_doc("Party Organization", org).save(ignore_permissions=True)

	def test_each_demo_user_has_exactly_the_roles_the_design_gives(self):
		demo.make_demo()
		expected = {
			"admin": {scope.ROLE_ADMINISTRATOR},
			"approver1": {scope.ROLE_APPROVER},
			"committee1": {scope.ROLE_PARTY_COMMITTEE},
			"secretary1": {scope.ROLE_BRANCH_SECRETARY},
			"member1": {scope.ROLE_BRANCH_MEMBER},
			"evaluator1": {scope.ROLE_EVALUATOR},
		}
		for login, roles in expected.items():
			with self.subTest(login=login):
				held = set(frappe.get_roles(demo.email(login))) - {"All", "Guest", "Desk User"}
				self.assertEqual(held, roles)

	def test_a_site_with_users_or_data_of_its_own_is_not_a_throwaway(self):
		from dangjian.tests.utils import make_user

		# a desk user (one without a desk role is a Website User, whom the guard leaves alone)
		someone = make_user("demo-guard-someone", roles=(scope.ROLE_APPROVER,))
		self.assertEqual(frappe.db.get_value("User", someone, "user_type"), "System User")
		reasons = demo.reasons_not_to_run()
		self.assertTrue(any("users of its own" in reason for reason in reasons), reasons)
		self.assertIn("leaves the site's language", " ".join(demo.what_it_changes(throwaway=False)))

	def test_demo_has_every_stage_of_the_scheme(self):
		demo.make_demo()
		statuses = set(
			frappe.get_all("Dangjian Project", filters={"branch": ("like", "U0%")}, pluck="status")
		)
		for status in (
			"Draft",
			"Applied",
			"Reviewed",
			"Approved",
			"Returned",
			"In Progress",
			"Acceptance Applied",
			"Under Assistance",
			"Adjusting",
			"Accepted",
			"Evaluated",
		):
			self.assertIn(status, statuses)
		stars = set(
			frappe.get_all(
				"Dangjian Project", filters={"status": "Evaluated", "branch": ("like", "U0%")}, pluck="stars"
			)
		)
		self.assertEqual(stars, {1, 2, 3, 4, 5})
		self.assertTrue(frappe.db.exists("Dangjian Project", {"is_late": 1, "branch": ("like", "U0%")}))
		self.assertTrue(
			frappe.db.exists("Dangjian Quarterly Report", {"is_late": 1, "project": ("like", "DJXM-%")})
		)
		# an in-progress project with its 2026 Q3 report missing
		missing = frappe.get_all(
			"Dangjian Project", filters={"status": "In Progress", "year": 2026}, pluck="name"
		)
		reported = set(
			frappe.get_all(
				"Dangjian Quarterly Report", filters={"year": 2026, "quarter": "3"}, pluck="project"
			)
		)
		self.assertTrue(set(missing) - reported)
