"""The app beside ERPNext: the Company / Department / Employee links and the import of the
organisation tree from ERPNext. On a site without ERPNext the links must be absent and the import
refused; the ERPNext tests skip there with a message. On an ERPNext site the company, its
departments and employees are made through ERPNext's own documents.

Making and removing Custom Fields alters tables (MariaDB commits), so the ERPNext records here
are made once and found again (idempotent factories), like the app's other factories."""

import unittest

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.integrations import erpnext
from dangjian.tests.utils import make_org, make_user

COMPANY = "党建测试集团ERP"
ABBR = "DJERP"
NO_ERPNEXT = "ERPNext is not installed on this site: the ERPNext tests run on an ERPNext site"


def has_erpnext() -> bool:
	return erpnext.erpnext_installed()


def make_company() -> str:
	if not frappe.db.exists("Company", COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": COMPANY,
				"abbr": ABBR,
				"default_currency": "CNY",
				"country": "China",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return COMPANY


def make_department(name: str, parent: str | None = None, is_group: int = 0) -> str:
	existing = frappe.db.get_value("Department", {"department_name": name, "company": COMPANY})
	if existing:
		return existing
	root = frappe.db.get_value("Department", {"parent_department": ("is", "not set"), "is_group": 1})
	return (
		frappe.get_doc(
			{
				"doctype": "Department",
				"department_name": name,
				"company": COMPANY,
				"parent_department": parent or root,
				"is_group": is_group,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_designation(name: str) -> str:
	if not frappe.db.exists("Designation", name):
		frappe.get_doc({"doctype": "Designation", "designation_name": name}).insert(ignore_permissions=True)
	return name


def make_employee(first_name: str, department: str, designation: str, login: str | None = None) -> str:
	existing = frappe.db.get_value("Employee", {"first_name": first_name, "company": COMPANY})
	if existing:
		return existing
	user = make_user(login, first_name) if login else None
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first_name,
				"gender": "Male"
				if frappe.db.exists("Gender", "Male")
				else frappe.get_all("Gender", pluck="name")[0],
				"date_of_birth": "1985-05-01",
				"date_of_joining": "2015-07-01",
				"company": COMPANY,
				"department": department,
				"designation": make_designation(designation),
				"status": "Active",
				"user_id": user,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestWithoutERPNext(FrappeTestCase):
	"""Where ERPNext is absent, nothing of it shows: no links, and the import says why."""

	def test_no_links_and_the_import_is_refused(self):
		if has_erpnext():
			raise unittest.SkipTest("ERPNext is installed on this site: TestERPNextLinks covers it")
		self.assertFalse(erpnext.ensure_links())
		names = erpnext.custom_field_names()
		self.assertTrue(names)
		for name in names:
			self.assertFalse(frappe.db.exists("Custom Field", name), name)
		self.assertFalse(frappe.get_meta("Party Organization").has_field("company"))
		with self.assertRaises(frappe.ValidationError) as caught:
			erpnext.import_from_erpnext(dry_run=1)
		self.assertIn("ERPNext", str(caught.exception))
		# hooks for other apps' install and uninstall do nothing here
		erpnext.after_app_install("some_other_app")
		erpnext.before_app_uninstall("some_other_app")
		self.assertFalse(erpnext.has_links())


class TestERPNextLinks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not has_erpnext():
			raise unittest.SkipTest(NO_ERPNEXT)
		erpnext.ensure_links()
		make_company()
		cls.unit_dept = make_department("党建测试一部", is_group=1)
		cls.branch_dept = make_department("党建测试一支部", parent=cls.unit_dept)
		cls.branch_dept_2 = make_department("党建测试二支部", parent=cls.unit_dept)
		cls.emp_secretary = make_employee("党建测试甲", cls.branch_dept, "党建测试支部书记", "erp-emp-a")
		cls.emp_member = make_employee("党建测试乙", cls.branch_dept, "党建测试工程师", "erp-emp-b")
		cls.emp_plain = make_employee("党建测试丙", cls.branch_dept_2, "党建测试工程师")
		frappe.db.commit()

	def test_links_are_the_apps_and_follow_erpnext(self):
		for name in erpnext.custom_field_names():
			self.assertEqual(frappe.db.get_value("Custom Field", name, "module"), "Dangjian", name)
			self.assertTrue(frappe.db.get_value("Custom Field", name, "ignore_user_permissions"), name)
		meta = frappe.get_meta("Party Organization")
		self.assertEqual(meta.get_field("company").options, "Company")
		self.assertEqual(meta.get_field("department").options, "Department")
		for doctype in erpnext.PEOPLE_TABLES:
			self.assertEqual(frappe.get_meta(doctype).get_field("employee").options, "Employee", doctype)
		# ERPNext uninstalled: the links go first; installed again: they are back
		erpnext.before_app_uninstall("erpnext")
		self.assertFalse(erpnext.has_links())
		self.assertFalse(frappe.get_meta("Party Organization").has_field("company"))
		self.assertFalse(
			frappe.db.exists(
				"Property Setter", {"doc_type": "Party Organization Member", "property": "fetch_from"}
			)
		)
		erpnext.after_app_install("erpnext")
		self.assertTrue(erpnext.has_links())
		self.assertEqual(
			frappe.get_meta("Party Organization Member").get_field("member_name").fetch_from,
			"employee.employee_name",
		)

	def test_an_employee_fills_the_member_row_through_the_api(self):
		from frappe.client import insert

		company = make_org("ERPT-C", "Company", company=COMPANY)
		unit = make_org("ERPT-U", "Unit", company.name, company=COMPANY, department=self.unit_dept)
		self.assertEqual(frappe.db.get_value("Party Organization", unit.name, "department"), self.unit_dept)
		frappe.db.delete("Party Organization", {"name": "ERPT-B"})
		branch = insert(
			{
				"doctype": "Party Organization",
				"org_code": "ERPT-B",
				"organization_name": "ERP 测试支部",
				"organization_type": "Branch",
				"parent_party_organization": unit.name,
				"department": self.branch_dept,
				"members": [{"employee": self.emp_member, "duty": "Member", "is_party_member": 1}],
			}
		)
		row = branch["members"][0]
		employee = frappe.db.get_value(
			"Employee", self.emp_member, ["employee_name", "designation", "user_id"], as_dict=True
		)
		self.assertEqual(row["member_name"], employee.employee_name)
		self.assertEqual(row["title"], employee.designation)
		self.assertEqual(row["user"], employee.user_id)
		self.assertTrue(employee.user_id)
		# the position gives the member the app's role and scope, as a typed member's would
		self.assertIn("Dangjian Branch Member", frappe.get_roles(employee.user_id))
		self.assertTrue(
			frappe.db.exists(
				"User Permission",
				{"user": employee.user_id, "allow": "Party Organization", "for_value": "ERPT-B"},
			)
		)

	def test_import_dry_run_then_create_then_nothing(self):
		# the tree of the test company starts empty (a previous run's may have been committed)
		while root := frappe.db.get_value(
			"Party Organization", {"company": COMPANY}, ["lft", "rgt"], as_dict=True, order_by="lft asc"
		):
			for name in frappe.get_all(
				"Party Organization",
				filters={"lft": (">=", root.lft), "rgt": ("<=", root.rgt)},
				pluck="name",
				order_by="lft desc",
			):
				frappe.delete_doc("Party Organization", name, ignore_permissions=True, force=True)
		dry = erpnext.import_from_erpnext(company=COMPANY, dry_run=1)
		self.assertTrue(dry["dry_run"])
		planned = {o["department"]: o for o in dry["organizations"]}
		root = [o for o in dry["organizations"] if o["organization_type"] == "Company"]
		before = frappe.db.count("Party Organization")
		self.assertEqual(len(root), 1)
		self.assertEqual(planned[self.unit_dept]["organization_type"], "Unit")
		self.assertEqual(planned[self.unit_dept]["parent_party_organization"], root[0]["org_code"])
		self.assertEqual(planned[self.branch_dept]["organization_type"], "Branch")
		self.assertEqual(planned[self.branch_dept_2]["organization_type"], "Branch")
		proposed = {m["employee"]: m for m in dry["members"]}
		self.assertEqual(
			{proposed[e]["organization"] for e in (self.emp_secretary, self.emp_member)},
			{planned[self.branch_dept]["org_code"]},
		)
		self.assertIn(self.emp_plain, proposed)
		self.assertEqual(proposed[self.emp_plain]["member_name"], "党建测试丙")
		self.assertEqual(proposed[self.emp_plain]["title"], "党建测试工程师")
		# the dry run made nothing
		self.assertEqual(frappe.db.count("Party Organization"), before)
		self.assertFalse(frappe.db.exists("Party Organization", {"department": self.branch_dept_2}))

		done = erpnext.import_from_erpnext(company=COMPANY, dry_run=0)
		self.assertFalse(done["dry_run"])
		self.assertEqual(frappe.db.count("Party Organization"), before + len(dry["organizations"]))
		branch = frappe.get_doc("Party Organization", {"department": self.branch_dept_2})
		self.assertEqual(branch.organization_type, "Branch")
		self.assertEqual(branch.company, COMPANY)
		unit = frappe.db.get_value(
			"Party Organization", {"department": self.unit_dept}, ["name", "organization_type"]
		)
		self.assertEqual(branch.parent_party_organization, unit[0])
		self.assertEqual(unit[1], "Unit")
		if root:
			self.assertEqual(
				frappe.db.get_value("Party Organization", unit[0], "parent_party_organization"),
				root[0]["org_code"],
			)
		self.assertEqual(
			[(m.employee, m.member_name, m.duty) for m in branch.members],
			[(self.emp_plain, "党建测试丙", "Member")],
		)

		again = erpnext.import_from_erpnext(company=COMPANY, dry_run=1)
		self.assertEqual((again["organizations"], again["members"]), ([], []))
		count = frappe.db.count("Party Organization")
		erpnext.import_from_erpnext(company=COMPANY, dry_run=0)
		self.assertEqual(frappe.db.count("Party Organization"), count)

	def test_import_is_for_the_company_administrator(self):
		user = make_user("erp-import-nobody", roles=("Dangjian Branch Secretary",))
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				erpnext.import_from_erpnext(company=COMPANY, dry_run=1)
		finally:
			frappe.set_user("Administrator")

	def test_a_new_employee_is_suggested_to_the_branch_of_their_department(self):
		erpnext.import_from_erpnext(company=COMPANY, dry_run=0)
		branch = frappe.db.get_value("Party Organization", {"department": self.branch_dept_2})
		secretary = make_user("erp-branch2-secretary")
		doc = frappe.get_doc("Party Organization", branch)
		doc.secretary = secretary
		doc.save(ignore_permissions=True)
		for name in frappe.get_all("Employee", filters={"first_name": "党建测试丁"}, pluck="name"):
			frappe.db.delete("Party Organization Member", {"employee": name})
			frappe.delete_doc("Employee", name, ignore_permissions=True, force=True)
		employee = make_employee("党建测试丁", self.branch_dept_2, "党建测试工程师")
		logs = frappe.get_all(
			"Notification Log",
			filters={"for_user": secretary, "document_type": "Party Organization", "document_name": branch},
			pluck="subject",
		)
		self.assertEqual(len([s for s in logs if "党建测试丁" in s]), 1, logs)
		# suggested once: saving the employee again says nothing new
		frappe.get_doc("Employee", employee).save(ignore_permissions=True)
		again = frappe.get_all(
			"Notification Log",
			filters={"for_user": secretary, "document_type": "Party Organization", "document_name": branch},
			pluck="subject",
		)
		self.assertEqual(len(again), len(logs))
		# nothing is added by itself: the suggestion waits for the branch to confirm
		self.assertFalse(frappe.db.exists("Party Organization Member", {"employee": employee}))
		frappe.delete_doc("Employee", employee, ignore_permissions=True, force=True)
