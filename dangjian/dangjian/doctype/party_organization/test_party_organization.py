# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian.tests.utils import make_org, make_tree


class TestPartyOrganization(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_tree("PO")

	def assert_refused(self, doc, *fragments):
		before = frappe.db.count("Party Organization")
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.insert(ignore_permissions=True)
		message = str(caught.exception)
		for fragment in fragments:
			self.assertIn(fragment, message)
		self.assertEqual(frappe.db.count("Party Organization"), before, "nothing is saved")
		return message

	def new(self, code, kind, parent=None, **fields):
		return frappe.get_doc(
			{
				"doctype": "Party Organization",
				"org_code": code,
				"organization_name": f"{code} 名称",
				"organization_type": kind,
				"parent_party_organization": parent,
				**fields,
			}
		)

	def test_record_is_named_by_its_code_so_display_names_can_repeat(self):
		first = make_org("PO-DUP1", "Branch", self.tree.unit_a, name="第一党支部")
		second = make_org("PO-DUP2", "Branch", self.tree.unit_b, name="第一党支部")
		self.assertEqual(first.name, "PO-DUP1")
		self.assertEqual(second.name, "PO-DUP2")

	def test_code_is_unique(self):
		with self.assertRaises(frappe.DuplicateEntryError):
			self.new(self.tree.branch_a1, "Branch", self.tree.unit_a).insert(ignore_permissions=True)

	def test_invalid_code_is_refused(self):
		self.assert_refused(self.new("PO/BAD", "Branch", self.tree.unit_a), "PO/BAD", "U01-B03")

	def test_branch_defaults_approving_organization_to_nearest_unit(self):
		self.assertEqual(
			frappe.db.get_value("Party Organization", self.tree.branch_a1, "approving_organization"),
			self.tree.unit_a,
		)
		# through a general branch
		self.assertEqual(
			frappe.db.get_value("Party Organization", self.tree.branch_a2, "approving_organization"),
			self.tree.unit_a,
		)
		self.assertEqual(
			frappe.db.get_value("Party Organization", self.tree.unit_b, "approving_organization"),
			self.tree.unit_b,
		)
		self.assertIsNone(
			frappe.db.get_value("Party Organization", self.tree.company, "approving_organization")
		)

	def test_approving_organization_must_be_a_unit(self):
		self.assert_refused(
			self.new("PO-AP", "Branch", self.tree.unit_a, approving_organization=self.tree.company),
			"must be a unit",
		)

	def test_explicit_approving_unit_is_kept(self):
		doc = make_org("PO-AP2", "Branch", self.tree.unit_a, approving_organization=self.tree.unit_b)
		self.assertEqual(doc.approving_organization, self.tree.unit_b)

	def test_branch_under_company_is_refused(self):
		self.assert_refused(
			self.new("PO-X1", "Branch", self.tree.company), "must sit under a unit or a general branch"
		)

	def test_branch_without_parent_has_no_approving_unit(self):
		self.assert_refused(self.new("PO-X2", "Branch"), "cannot sit under")

	def test_branch_cannot_have_children(self):
		self.assert_refused(
			self.new("PO-X3", "Branch", self.tree.branch_a1), "must sit under a unit or a general branch"
		)

	def test_existing_parent_cannot_become_a_branch(self):
		doc = frappe.get_doc("Party Organization", self.tree.general)
		doc.organization_type = "Branch"
		with self.assertRaises(frappe.ValidationError) as caught:
			doc.save(ignore_permissions=True)
		self.assertIn("a branch cannot have children", str(caught.exception))
		self.assertEqual(
			frappe.db.get_value("Party Organization", self.tree.general, "organization_type"),
			"General Branch",
		)

	def test_unit_parent_is_a_company(self):
		self.assert_refused(self.new("PO-X4", "Unit", self.tree.unit_a), "A unit must sit under a company")
		self.assert_refused(self.new("PO-X5", "Unit"), "A unit must sit under a company")

	def test_general_branch_parent_is_a_unit(self):
		self.assert_refused(self.new("PO-X6", "General Branch", self.tree.company), "must sit under a unit")

	def test_company_has_no_parent_and_several_roots_are_allowed(self):
		self.assert_refused(self.new("PO-X7", "Company", self.tree.company), "A company has no parent")
		other = make_org("PO-C2", "Company")
		self.assertFalse(other.parent_party_organization)
		self.assertGreaterEqual(
			frappe.db.count("Party Organization", {"parent_party_organization": ("is", "not set")}), 2
		)

	def test_tree_flags_and_nested_set(self):
		unit = frappe.get_doc("Party Organization", self.tree.unit_a)
		branch = frappe.get_doc("Party Organization", self.tree.branch_a2)
		self.assertEqual(unit.is_group, 1)
		self.assertEqual(branch.is_group, 0)
		self.assertTrue(unit.lft < branch.lft < branch.rgt < unit.rgt)
		descendants = frappe.db.get_descendants("Party Organization", self.tree.unit_a)
		self.assertIn(self.tree.branch_a2, descendants)
		self.assertNotIn(self.tree.branch_b1, descendants)

	def test_duty_must_fit_the_organization_type(self):
		doc = self.new("PO-X8", "Branch", self.tree.unit_a)
		doc.append("members", {"member_name": "某人", "duty": "Approver"})
		self.assert_refused(doc, "cannot be held in a Branch")
		doc = self.new("PO-X9", "Unit", self.tree.company)
		doc.append("members", {"member_name": "某人", "duty": "Administrator"})
		self.assert_refused(doc, "cannot be held in a Unit")
