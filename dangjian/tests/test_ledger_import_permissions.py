"""Who imports a ledger, where: the company administrator for the whole company, a unit's
Party-Masses Work Department (approver) for its unit only, nobody else — in the desk's
whitelisted steps and through the REST API alike."""

import datetime
import io

import frappe
from frappe.tests.test_api import FrappeAPITestCase, make_request
from frappe.tests.utils import FrappeTestCase

from dangjian import scope
from dangjian.dangjian.doctype.dangjian_ledger_import import dangjian_ledger_import as ledger_import
from dangjian.tests.ledger_workbooks import (
	DOCTYPE,
	build,
	dry_run,
	import_actors,
	new_import,
	project_row,
	run_import,
	undo,
)
from dangjian.tests.utils import add_member, api_token, as_user, make_user

D = datetime.date


def unit_rows(actors, tag: str, unit: str = "unit_a", branch: str = "branch_a1"):
	n = actors.names
	return [
		project_row(f"{tag}1", f"{tag}先锋岗", 2024, n[unit], n[branch]),
		project_row(f"{tag}2", f"{tag}责任区", 2025, n[unit], n[branch], "Approved"),
	]


def roles_without_import(actors) -> dict[str, str]:
	"""Users with a position but not the department's or the administrator's."""
	t = actors.tree
	member = make_user(f"{actors.prefix}-member")
	evaluator = make_user(f"{actors.prefix}-evaluator")
	add_member(t.branch_a1, member, "Member")
	add_member(t.unit_a, evaluator, "Evaluator")
	return {
		"secretary": actors.secretary_a,
		"committee": actors.committee_a,
		"member": member,
		"evaluator": evaluator,
	}


class TestWhoImports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = import_actors("LP")
		cls.a.prefix = "lp"
		cls.others = roles_without_import(cls.a)

	def test_the_company_administrator_imports_for_every_unit(self):
		a = self.a
		rows = unit_rows(a, "CA") + unit_rows(a, "CB", "unit_b", "branch_b1")
		batch = dry_run(new_import(a.company_admin, a.tree.company, build(rows)), a.company_admin)
		self.assertEqual(batch.status, "Checked", [p.message for p in batch.problems])
		batch = run_import(batch, a.company_admin)
		self.assertEqual(batch.imported_projects, 4)
		undo(batch, a.company_admin)

	def test_an_approver_imports_for_their_unit_only(self):
		a = self.a
		batch = dry_run(new_import(a.approver_a, a.tree.unit_a, build(unit_rows(a, "AA"))), a.approver_a)
		self.assertEqual(batch.status, "Checked", [p.message for p in batch.problems])
		self.assertEqual(run_import(batch, a.approver_a).status, "Imported")
		# not for the company, nor for another unit
		for organization in (a.tree.company, a.tree.unit_b):
			with self.subTest(organization=organization), as_user(a.approver_a):
				doc = frappe.get_doc({"doctype": DOCTYPE, "organization": organization})
				self.assertRaises(frappe.PermissionError, doc.insert)
		# nor a branch of another unit inside their own import (the catalogue has the message)
		rows = unit_rows(a, "AB", "unit_b", "branch_b1")
		batch = dry_run(new_import(a.approver_a, a.tree.unit_a, build(rows)), a.approver_a)
		self.assertEqual(batch.status, "Has Problems")

	def test_an_approver_does_not_touch_another_units_import(self):
		a = self.a
		batch = new_import(a.approver_a, a.tree.unit_a, build(unit_rows(a, "OU")))
		for step in (ledger_import.dry_run, ledger_import.start_import, ledger_import.undo_import):
			with self.subTest(step=step.__name__), as_user(a.approver_b):
				self.assertRaises(frappe.PermissionError, step, batch.name)
		with as_user(a.approver_b):
			self.assertNotIn(batch.name, frappe.get_list(DOCTYPE, pluck="name"))
			self.assertRaises(frappe.PermissionError, ledger_import.download_problems, batch.name)
		# the company administrator sees and runs it
		with as_user(a.company_admin):
			self.assertIn(batch.name, frappe.get_list(DOCTYPE, pluck="name"))
		self.assertEqual(dry_run(batch, a.company_admin).status, "Checked")

	def test_an_approver_does_not_take_another_units_import(self):
		"""A save is judged by the record as changed: another unit's department moving a draft
		import into its own unit (say, over REST) is refused, and the import stays where it was."""
		a = self.a
		batch = new_import(a.approver_a, a.tree.unit_a, build(unit_rows(a, "TK")))
		with as_user(a.approver_b):
			doc = frappe.get_doc(DOCTYPE, batch.name)
			doc.organization = a.tree.unit_b
			self.assertRaises(frappe.PermissionError, doc.save)
		self.assertEqual(frappe.db.get_value(DOCTYPE, batch.name, "organization"), a.tree.unit_a)
		# the company administrator may move it: they import for every unit
		with as_user(a.company_admin):
			doc = frappe.get_doc(DOCTYPE, batch.name)
			doc.organization = a.tree.unit_b
			doc.save()
		self.assertEqual(frappe.db.get_value(DOCTYPE, batch.name, "organization"), a.tree.unit_b)

	def test_nobody_else_imports(self):
		a = self.a
		batch = new_import(a.company_admin, a.tree.company, build(unit_rows(a, "NE")))
		for role, user in self.others.items():
			with self.subTest(role=role), as_user(user):
				doc = frappe.get_doc({"doctype": DOCTYPE, "organization": a.tree.unit_a})
				self.assertRaises(frappe.PermissionError, doc.insert)
				for step in (ledger_import.dry_run, ledger_import.start_import, ledger_import.undo_import):
					self.assertRaises(frappe.PermissionError, step, batch.name)
				self.assertRaises(frappe.PermissionError, ledger_import.download_template)
				self.assertRaises(frappe.PermissionError, frappe.get_list, DOCTYPE)

	def test_an_app_role_without_position_imports_nowhere(self):
		no_scope = make_user("lp-no-scope", roles=(scope.ROLE_APPROVER, scope.ROLE_ADMINISTRATOR))
		with as_user(no_scope):
			doc = frappe.get_doc({"doctype": DOCTYPE, "organization": self.a.tree.company})
			self.assertRaises(frappe.PermissionError, doc.insert)

	def test_the_records_written_are_the_system_s(self):
		"""The status and counts of an import are set by its steps, never by a save."""
		a = self.a
		batch = new_import(a.company_admin, a.tree.company, build(unit_rows(a, "SY")))
		with as_user(a.company_admin):
			doc = frappe.get_doc(DOCTYPE, batch.name)
			doc.status = "Checked"
			self.assertRaises(frappe.PermissionError, doc.save)
			doc = frappe.get_doc(DOCTYPE, batch.name)
			doc.imported_projects = 99
			self.assertRaises(frappe.PermissionError, doc.save)


PREFIX = "LR"


class TestWhoImportsOverREST(FrappeAPITestCase):
	"""As real users with API keys: the request runs on its own database connection, so this
	class commits its records and removes them afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cleanup()
		cls.a = import_actors(PREFIX)
		cls.a.prefix = PREFIX.lower()
		cls.others = roles_without_import(cls.a)
		users = (cls.a.company_admin, cls.a.approver_a, cls.a.approver_b, *cls.others.values())
		cls.tokens = {user: api_token(user) for user in users}
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		cleanup()
		frappe.db.commit()
		super().tearDownClass()

	def request(self, user, method, path, **kwargs):
		target = {"get": self.TEST_CLIENT.get, "post": self.TEST_CLIENT.post, "put": self.TEST_CLIENT.put}
		headers = {"Authorization": self.tokens[user]}
		return make_request(target=target[method], args=(path,), kwargs={"headers": headers, **kwargs})

	def create(self, user, organization):
		return self.request(user, "post", self.resource(DOCTYPE), json={"organization": organization})

	def attach(self, user, name, content):
		"""Upload the workbook to the import and set it, as a REST client does."""
		response = self.request(
			user,
			"post",
			self.method("upload_file"),
			data={
				"doctype": DOCTYPE,
				"docname": name,
				"fieldname": "import_file",
				"is_private": 1,
				"file": (io.BytesIO(content), "ledger.xlsx"),
			},
			content_type="multipart/form-data",
		)
		if response.status_code != 200:
			return response
		url = response.json["message"]["file_url"]
		return self.request(user, "put", self.resource(DOCTYPE, name), json={"import_file": url})

	def step(self, user, step, name):
		return self.request(
			user, "post", self.method(f"{ledger_import.__name__}.{step}"), json={"name": name}
		)

	def test_the_company_administrator_imports_over_rest(self):
		a = self.a
		rows = unit_rows(a, "RC") + unit_rows(a, "RD", "unit_b", "branch_b1")
		response = self.create(a.company_admin, a.tree.company)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json["data"]["name"]
		self.assertEqual(self.attach(a.company_admin, name, build(rows)).status_code, 200)
		response = self.step(a.company_admin, "dry_run", name)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.json["message"]["status"], "Checked", response.text)
		response = self.step(a.company_admin, "start_import", name)
		self.assertEqual(response.status_code, 200, response.text)
		# a request hands the import to the long queue; the job runs here as a worker would (on a
		# transaction of its own, which sees what the requests committed)
		self.assertEqual(response.json["message"]["status"], "Queued", response.text)
		frappe.db.rollback()
		with as_user(a.company_admin):
			ledger_import.run_import(name)
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value(DOCTYPE, name, "status"), "Imported")
		projects = self.request(
			a.company_admin,
			"get",
			self.resource("Dangjian Project"),
			query_string={"filters": frappe.as_json({"ledger_import": name}), "fields": '["name"]'},
		)
		self.assertEqual(len(projects.json["data"]), 4)

	def test_an_approver_over_rest_only_in_their_unit(self):
		a = self.a
		for organization in (a.tree.company, a.tree.unit_b):
			with self.subTest(organization=organization):
				self.assertEqual(self.create(a.approver_a, organization).status_code, 403)
		response = self.create(a.approver_a, a.tree.unit_a)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json["data"]["name"]
		self.assertEqual(self.attach(a.approver_a, name, build(unit_rows(a, "RA"))).status_code, 200)
		# another unit's department neither reads nor runs it
		self.assertEqual(self.request(a.approver_b, "get", self.resource(DOCTYPE, name)).status_code, 403)
		for step in ("dry_run", "start_import", "undo_import"):
			with self.subTest(step=step):
				self.assertEqual(self.step(a.approver_b, step, name).status_code, 403)
		self.assertEqual(self.attach(a.approver_b, name, build(unit_rows(a, "RB"))).status_code, 403)
		response = self.step(a.approver_a, "dry_run", name)
		self.assertEqual(response.json["message"]["status"], "Checked", response.text)

	def test_nobody_else_over_rest(self):
		a = self.a
		response = self.create(a.company_admin, a.tree.company)
		name = response.json["data"]["name"]
		for role, user in self.others.items():
			with self.subTest(role=role):
				self.assertEqual(self.create(user, a.tree.unit_a).status_code, 403)
				self.assertEqual(self.request(user, "get", self.resource(DOCTYPE, name)).status_code, 403)
				listed = self.request(user, "get", self.resource(DOCTYPE))
				self.assertIn(listed.status_code, (200, 403))
				if listed.status_code == 200:
					self.assertEqual(listed.json["data"], [])
				for step in ("dry_run", "start_import", "undo_import"):
					self.assertEqual(self.step(user, step, name).status_code, 403)
				template = self.request(
					user, "get", self.method(f"{ledger_import.__name__}.download_template")
				)
				self.assertEqual(template.status_code, 403)


def cleanup():
	batches = frappe.get_all(DOCTYPE, filters={"organization": ("like", f"{PREFIX}%")}, pluck="name")
	for doctype in ("Dangjian Quarterly Report", "Dangjian Project"):
		names = frappe.get_all(doctype, filters={"ledger_import": ("in", batches or [""])}, pluck="name")
		names += frappe.get_all(doctype, filters={"branch": ("like", f"{PREFIX}%")}, pluck="name")
		for table in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names or [""])})
		frappe.db.delete(doctype, {"name": ("in", names or [""])})
	for name in batches:
		frappe.db.delete("Dangjian Ledger Import Problem", {"parent": name})
		frappe.db.delete(DOCTYPE, {"name": name})
		for file in frappe.get_all(
			"File", filters={"attached_to_doctype": DOCTYPE, "attached_to_name": name}, pluck="name"
		):
			frappe.delete_doc("File", file, ignore_permissions=True, force=True)
	orgs = frappe.get_all(
		"Party Organization", filters={"name": ("like", f"{PREFIX}%")}, fields=["name"], order_by="lft desc"
	)
	for org in orgs:
		frappe.delete_doc("Party Organization", org.name, ignore_permissions=True, force=True)
