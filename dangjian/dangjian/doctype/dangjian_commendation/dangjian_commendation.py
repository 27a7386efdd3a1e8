# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from dangjian import rules, scope
from dangjian.controllers.concurrency import ChildRowsByName
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import EVALUATED
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings


class DangjianCommendation(ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_commendation_project.dangjian_commendation_project import (
			DangjianCommendationProject,
		)

		amended_from: DF.Link | None
		document_date: DF.Date
		document_number: DF.Data
		projects: DF.Table[DangjianCommendationProject]
		title: DF.Data
		unit: DF.Link
		unit_name: DF.Data | None
		year: DF.Int

	# end: auto-generated types
	def validate(self):
		self.validate_unit()
		self.validate_projects()

	def before_insert(self):
		scope.ensure_in_scope(self.unit, what=self.unit)

	def on_submit(self):
		for row in self.projects:
			# db_set, not set_value: the project's change runs its notifications (the branch is told)
			frappe.get_doc("Dangjian Project", row.project).db_set(
				{"commended": 1, "commendation": self.name}, update_modified=False
			)

	def on_cancel(self):
		for row in self.projects:
			if frappe.db.get_value("Dangjian Project", row.project, "commendation") == self.name:
				frappe.db.set_value("Dangjian Project", row.project, {"commended": 0, "commendation": None})

	def validate_unit(self):
		if frappe.db.get_value("Party Organization", self.unit, "organization_type") != rules.UNIT:
			frappe.throw(
				_("{0} is not a unit: a commendation is issued by a unit's party committee.").format(
					frappe.bold(self.unit)
				),
				title=_("Invalid Unit"),
			)

	def validate_projects(self):
		if not self.projects:
			frappe.throw(_("List at least one project to commend."), title=_("No Projects"))
		settings = get_settings()
		commended_level, exemplary_level = (
			cint(settings.commended_star_level),
			cint(settings.exemplary_star_level),
		)
		seen = set()
		names = [row.project for row in self.projects]
		projects = {
			p.name: p
			for p in frappe.get_all(
				"Dangjian Project",
				filters={"name": ("in", names)},
				fields=[
					"name",
					"project_name",
					"branch_name",
					"approving_organization",
					"year",
					"status",
					"stars",
					"grade",
					"commendation",
				],
			)
		}
		for row in self.projects:
			project = projects.get(row.project)
			if not project:
				frappe.throw(
					_("Row {0}: project {1} does not exist.").format(row.idx, frappe.bold(row.project))
				)
			label = frappe.bold(project.project_name)
			if row.project in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(row.idx, label), title=_("Duplicate Project")
				)
			seen.add(row.project)
			if project.approving_organization != self.unit:
				frappe.throw(
					_(
						"Row {0}: {1} belongs to another unit; the committee commends its own unit's projects."
					).format(row.idx, label),
					title=_("Project of Another Unit"),
				)
			if cint(project.year) != cint(self.year):
				frappe.throw(
					_("Row {0}: {1} is a project of {2}, not {3}.").format(
						row.idx, label, project.year, self.year
					),
					title=_("Project of Another Year"),
				)
			if project.status != EVALUATED:
				frappe.throw(
					_(
						"Row {0}: {1} is not evaluated yet (its status is {2}); only evaluated projects are commended."
					).format(row.idx, label, _(project.status or "Draft", context="Dangjian Project")),
					title=_("Project Not Evaluated"),
				)
			if cint(project.stars) < commended_level:
				frappe.throw(
					_(
						"Row {0}: {1} has {2} stars; commendation is for projects evaluated at {3} stars or more."
					).format(row.idx, label, cint(project.stars), commended_level),
					title=_("Below the Commended Level"),
				)
			if project.commendation and project.commendation != self.name:
				frappe.throw(
					_("Row {0}: {1} is already commended by {2}.").format(
						row.idx, label, frappe.bold(project.commendation)
					),
					title=_("Already Commended"),
				)
			row.project_name, row.branch_name = project.project_name, project.branch_name
			row.stars, row.grade = cint(project.stars), project.grade
			row.exemplary = 1 if cint(project.stars) >= exemplary_level else 0


@frappe.whitelist()
def get_projects(unit: str, year: int) -> list[dict]:
	"""The unit's evaluated projects of the year at or above the commended level."""
	frappe.has_permission("Dangjian Commendation", "create", throw=True)
	scope.ensure_in_scope(unit)
	settings = get_settings()
	rows = frappe.get_list(
		"Dangjian Project",
		filters={
			"approving_organization": unit,
			"year": cint(year),
			"status": EVALUATED,
			"stars": (">=", cint(settings.commended_star_level)),
			"commended": 0,
		},
		fields=["name as project", "project_name", "branch_name", "stars", "grade"],
		order_by="stars desc, name asc",
	)
	for row in rows:
		row["exemplary"] = 1 if cint(row["stars"]) >= cint(settings.exemplary_star_level) else 0
	return rows
