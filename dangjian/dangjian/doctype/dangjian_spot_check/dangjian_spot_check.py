# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""抽检: the unit's Party-Masses Work Department spot-checks the applications of its
branches. The result counts toward the branch's star rating and annual assessment, so a
project is spot-checked once (a cancelled check frees it for the amended one)."""

import random

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, nowdate

from dangjian import rules, scope
from dangjian.controllers.unique_key import RefuseDuplicateKey

DOCTYPE = "Dangjian Spot Check"
QUALIFIED = "Qualified"
BASICALLY_QUALIFIED = "Basically Qualified"
UNQUALIFIED = "Unqualified"
RESULTS = (QUALIFIED, BASICALLY_QUALIFIED, UNQUALIFIED)
BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)


class DuplicateSpotCheck(frappe.DuplicateEntryError):
	pass


class DangjianSpotCheck(RefuseDuplicateKey, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		approving_organization: DF.Link
		branch: DF.Link
		branch_name: DF.Data | None
		check_date: DF.Date
		checked_by: DF.Link | None
		findings: DF.Text | None
		items_checked: DF.SmallText | None
		project: DF.Link
		project_name: DF.Data | None
		result: DF.Literal["", "Qualified", "Basically Qualified", "Unqualified"]
		unique_key: DF.Data | None
		year: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_scope()
		self.validate_unit()
		self.validate_branch()
		self.validate_project()
		self.validate_check_date()
		self.set_checked_by()
		self.set_unique_key()
		self.validate_unique()

	def before_submit(self):
		self.validate_result()
		# the one who records the result is the checker
		self.checked_by = frappe.session.user

	def before_cancel(self):
		self.validate_scope()

	def on_cancel(self):
		# a cancelled spot check frees its project for the amended one
		self.db_set("unique_key", None)

	# --- validation -----------------------------------------------------------------------------

	def validate_scope(self):
		scope.ensure_in_scope(self.approving_organization)

	def validate_unit(self):
		if organization_type(self.approving_organization) != rules.UNIT:
			frappe.throw(
				_(
					"{0} is not a unit: spot checks are made by the Party-Masses Work Department of a unit."
				).format(frappe.bold(self.approving_organization)),
				title=_("Invalid Unit"),
			)

	def validate_branch(self):
		if organization_type(self.branch) not in BRANCH_TYPES:
			frappe.throw(
				_("{0} is not a branch: spot checks are made of a branch's project application.").format(
					frappe.bold(self.branch)
				),
				title=_("Invalid Branch"),
			)
		if not is_under(self.branch, self.approving_organization):
			frappe.throw(
				_("Branch {0} is not under {1}: a unit spot-checks only its own branches.").format(
					frappe.bold(self.branch_name or self.branch), frappe.bold(self.approving_organization)
				),
				title=_("Branch Outside the Unit"),
			)

	def validate_project(self):
		project = frappe.db.get_value(
			"Dangjian Project", self.project, ["project_name", "branch", "year", "status"], as_dict=True
		)
		if not project:
			frappe.throw(_("Project {0} does not exist.").format(frappe.bold(self.project)))
		self.project_name = project.project_name
		if project.branch != self.branch:
			frappe.throw(
				_("Project {0} belongs to {1}, not to {2}: choose a project of the checked branch.").format(
					frappe.bold(self.project), frappe.bold(project.branch), frappe.bold(self.branch)
				),
				title=_("Project of Another Branch"),
			)
		if cint(project.year) != cint(self.year):
			frappe.throw(
				_("Project {0} is for year {1}, not {2}.").format(
					frappe.bold(self.project), project.year, self.year
				),
				title=_("Invalid Year"),
			)
		if project.status == "Draft":
			frappe.throw(
				_(
					"Project {0} is still a draft: only projects the branch has applied for can be spot-checked."
				).format(frappe.bold(self.project)),
				title=_("Project Not Applied For"),
			)

	def validate_check_date(self):
		if self.check_date and getdate(self.check_date) > getdate(nowdate()):
			frappe.throw(
				_("The check date {0} is in the future: record a check that took place.").format(
					frappe.bold(frappe.format(self.check_date, "Date"))
				),
				title=_("Invalid Date", context="Dangjian Spot Check"),
			)

	def set_checked_by(self):
		if not self.checked_by:
			self.checked_by = frappe.session.user
		scope.ensure_not_own_branch(self.branch, frappe.session.user, _("spot-check"))

	def set_unique_key(self):
		if self.docstatus < 2:
			self.unique_key = self.project

	def validate_unique(self):
		other = frappe.db.get_value(
			DOCTYPE, {"unique_key": self.unique_key, "name": ("!=", self.name), "docstatus": ("<", 2)}
		)
		if other:
			self.throw_duplicate(other)

	def throw_duplicate(self, other):
		frappe.throw(
			_(
				"Project {0} already has spot check {1}: a project is spot-checked once. Open that one, or cancel it before making a new one."
			).format(frappe.bold(self.project), frappe.bold(other or "")),
			DuplicateSpotCheck,
			title=_("Already Spot-Checked"),
		)

	def validate_result(self):
		if self.result not in RESULTS:
			frappe.throw(
				_("Record the result of the spot check before submitting it."), title=_("Result Missing")
			)


def organization_type(org: str | None) -> str | None:
	return frappe.db.get_value(scope.ORG, org, "organization_type") if org else None


def is_under(org: str, ancestor: str) -> bool:
	"""Whether ``org`` is ``ancestor`` or below it in the organization tree."""
	bounds = frappe.db.get_values(scope.ORG, {"name": ("in", [org, ancestor])}, ["name", "lft", "rgt"])
	bounds = {name: (lft, rgt) for name, lft, rgt in bounds}
	if org not in bounds or ancestor not in bounds:
		return False
	return bounds[ancestor][0] <= bounds[org][0] and bounds[org][1] <= bounds[ancestor][1]


# --- 随机抽样: propose a random sample ------------------------------------------------------------


def sample_candidates(unit: str, year: int) -> list[frappe._dict]:
	"""The unit's projects of the year that have been applied for and have no spot check yet
	(a cancelled one does not count), ordered by name so that a seed reproduces a sample."""
	project = frappe.qb.DocType("Dangjian Project")
	org = frappe.qb.DocType(scope.ORG)
	parent = frappe.qb.DocType(scope.ORG).as_("unit")
	check = frappe.qb.DocType(DOCTYPE)
	checked = (
		frappe.qb.from_(check)
		.select(check.project)
		.where(check.docstatus < 2)
		.where(check.project.isnotnull())
	)
	return (
		frappe.qb.from_(project)
		.join(org)
		.on(org.name == project.branch)
		.join(parent)
		.on((parent.name == unit) & (org.lft >= parent.lft) & (org.rgt <= parent.rgt))
		.select(project.name, project.branch, project.year)
		.where(project.year == cint(year))
		.where(project.status != "Draft")
		.where(project.name.notin(checked))
		.orderby(project.name)
		.run(as_dict=True)
	)


@frappe.whitelist()
def create_sample(unit: str, year: int, sample_size: int, seed: int | None = None) -> list[str]:
	"""Draw ``sample_size`` of the unit's applied projects of ``year`` that have no spot check
	yet, at random (reproducibly with a ``seed``), and create a draft spot check for each.
	Returns the names of the drafts, in the order drawn."""
	frappe.has_permission(DOCTYPE, "create", throw=True)
	scope.ensure_in_scope(unit)
	if organization_type(unit) != rules.UNIT:
		frappe.throw(
			_(
				"{0} is not a unit: spot checks are made by the Party-Masses Work Department of a unit."
			).format(frappe.bold(unit)),
			title=_("Invalid Unit"),
		)
	sample_size, year = cint(sample_size), cint(year)
	if sample_size < 1:
		frappe.throw(
			_("The sample size must be at least 1, not {0}.").format(frappe.bold(sample_size)),
			title=_("Invalid Sample Size"),
		)

	candidates = sample_candidates(unit, year)
	if not candidates:
		frappe.throw(
			_(
				"Nothing to sample: no project of {0} for {1} has been applied for without a spot check yet."
			).format(frappe.bold(unit), frappe.bold(year)),
			title=_("Nothing to Sample"),
		)

	drawn = random.Random(seed).sample(candidates, min(sample_size, len(candidates)))
	names = []
	for project in drawn:
		doc = frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"approving_organization": unit,
				"year": year,
				"branch": project.branch,
				"project": project.name,
			}
		).insert()
		names.append(doc.name)
	return names
