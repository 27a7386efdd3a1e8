# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate

from dangjian import rules, scope
from dangjian.controllers.concurrency import ChildRowsByName
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import EVALUATED
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

CRITERIA = ("concept", "implementation", "materials", "report", "presentation")
BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)


# --- the rules as plain functions ----------------------------------------------------------------


def weighted_score(scores: dict, weights: dict) -> float:
	"""Σ score × weight / 100 over the five criteria, to two decimals."""
	return round(sum(flt(scores.get(c)) * flt(weights.get(c)) for c in CRITERIA) / 100.0, 2)


def ranking_key(candidate) -> tuple:
	"""Highest average first; then more stars; then the earlier acceptance; then the project name."""
	return (
		-flt(candidate.get("average_score")),
		-cint(candidate.get("stars")),
		getdate(candidate.get("accepted_on") or "9999-12-31"),
		candidate.get("project_name") or "",
	)


def rank(candidates: list, top_n: int) -> list:
	"""The candidates in ranking order, each given its rank and whether it is selected."""
	ranked = sorted(candidates, key=ranking_key)
	for position, candidate in enumerate(ranked, start=1):
		candidate.rank = position
		candidate.selected = 1 if position <= cint(top_n) else 0
	return ranked


def branches_of(users) -> dict[str, set[str]]:
	"""The branches (and general branches) each user belongs to as secretary, leader in
	charge or member: the projects a judge must not score. Two queries whatever the number
	of users."""
	users = sorted({u for u in users if u})
	out = {user: set() for user in users}
	if not users:
		return out
	for org in frappe.get_all(
		"Party Organization",
		filters={"organization_type": ("in", BRANCH_TYPES)},
		or_filters={"secretary": ("in", users), "leader_in_charge": ("in", users)},
		fields=["name", "secretary", "leader_in_charge"],
	):
		for user in (org.secretary, org.leader_in_charge):
			if user in out:
				out[user].add(org.name)
	org = frappe.qb.DocType("Party Organization")
	member = frappe.qb.DocType("Party Organization Member")
	for row in (
		frappe.qb.from_(member)
		.join(org)
		.on(org.name == member.parent)
		.select(member.user, member.parent)
		.where(member.parenttype == "Party Organization")
		.where(member.user.isin(users))
		.where(org.organization_type.isin(BRANCH_TYPES))
		.run(as_dict=True)
	):
		out[row.user].add(row.parent)
	return out


class DangjianTopTenSelection(ChildRowsByName, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from dangjian.dangjian.doctype.dangjian_top_ten_candidate.dangjian_top_ten_candidate import (
			DangjianTopTenCandidate,
		)
		from dangjian.dangjian.doctype.dangjian_top_ten_score.dangjian_top_ten_score import (
			DangjianTopTenScore,
		)

		amended_from: DF.Link | None
		candidates: DF.Table[DangjianTopTenCandidate]
		company: DF.Link
		company_name: DF.Data | None
		min_stars: DF.Int
		scores: DF.Table[DangjianTopTenScore]
		top_n: DF.Int
		weight_concept: DF.Float
		weight_implementation: DF.Float
		weight_materials: DF.Float
		weight_presentation: DF.Float
		weight_report: DF.Float
		year: DF.Int

	# end: auto-generated types
	def validate(self):
		self.validate_company()
		self.set_settings_snapshot()
		self.validate_one_per_year()
		self.validate_candidates()
		self.validate_scores()
		self.rank_candidates()

	def before_insert(self):
		scope.ensure_in_scope(self.company, what=self.company)

	def on_update(self):
		if self.docstatus == 0 and 0 < len(self.candidates) < cint(self.top_n):
			frappe.msgprint(
				_(
					"Only {0} candidates for {1} places: all of them are selected, and the Top Ten has fewer than {1} projects this year."
				).format(len(self.candidates), cint(self.top_n)),
				title=_("Fewer Candidates than Places"),
				indicator="orange",
			)

	def before_submit(self):
		self.validate_complete()

	def on_submit(self):
		for row in self.candidates:
			if row.selected:
				# db_set: the project's change runs its notifications (the branch is told)
				frappe.get_doc("Dangjian Project", row.project).db_set(
					{"top_ten": 1, "top_ten_selection": self.name}, update_modified=False
				)

	def on_cancel(self):
		for row in self.candidates:
			if frappe.db.get_value("Dangjian Project", row.project, "top_ten_selection") == self.name:
				frappe.db.set_value(
					"Dangjian Project", row.project, {"top_ten": 0, "top_ten_selection": None}
				)

	# --- validate steps ----------------------------------------------------------------------

	def validate_company(self):
		if frappe.db.get_value("Party Organization", self.company, "organization_type") != rules.COMPANY:
			frappe.throw(
				_("{0} is not a company.").format(frappe.bold(self.company)), title=_("Invalid Company")
			)

	def set_settings_snapshot(self):
		"""The size, the minimum stars and the weights are copied once, when the selection is
		first saved, so a later change of the settings does not change this result."""
		if self.top_n:
			return
		settings = get_settings()
		self.top_n = cint(settings.top_ten_size)
		self.min_stars = cint(settings.top_ten_min_stars)
		for name in CRITERIA:
			self.set(f"weight_{name}", flt(settings.get(f"top_ten_weight_{name}")))

	def validate_one_per_year(self):
		other = frappe.db.get_value(
			"Dangjian Top Ten Selection",
			{"company": self.company, "year": self.year, "docstatus": 1, "name": ("!=", self.name)},
		)
		if other:
			frappe.throw(
				_("{0} already has a submitted Top Ten for {1}: {2}.").format(
					frappe.bold(self.company), self.year, frappe.bold(other)
				),
				frappe.DuplicateEntryError,
				title=_("Top Ten Already Selected"),
			)

	def validate_candidates(self):
		"""Each candidate is one of the year's evaluated projects of the company at the minimum
		stars; what ranks it (stars, acceptance date) is read from the project, not the form."""
		if not self.candidates:
			return
		projects = {
			p.name: p
			for p in frappe.get_all(
				"Dangjian Project",
				filters={"name": ("in", [row.project for row in self.candidates])},
				fields=[
					"name",
					"project_name",
					"branch",
					"branch_name",
					"approving_organization",
					"year",
					"status",
					"stars",
					"accepted_on",
				],
			)
		}
		company = frappe.db.get_value("Party Organization", self.company, ["lft", "rgt"], as_dict=True)
		inside = set(
			frappe.get_all(
				"Party Organization",
				filters={
					"name": ("in", list({p.branch for p in projects.values()})),
					"lft": (">", company.lft),
					"rgt": ("<", company.rgt),
				},
				pluck="name",
			)
		)
		seen = set()
		for row in self.candidates:
			project = projects.get(row.project)
			if not project:
				frappe.throw(
					_("Candidate row {0}: project {1} does not exist.").format(
						row.idx, frappe.bold(row.project)
					),
					title=_("Invalid Candidate"),
				)
			label = frappe.bold(project.project_name)
			if row.project in seen:
				frappe.throw(
					_("Candidate row {0}: {1} is listed twice.").format(row.idx, label),
					title=_("Duplicate Candidate"),
				)
			seen.add(row.project)
			if project.branch not in inside:
				frappe.throw(
					_("Candidate row {0}: {1} is not a project of {2}.").format(
						row.idx, label, frappe.bold(self.company)
					),
					title=_("Invalid Candidate"),
				)
			if cint(project.year) != cint(self.year):
				frappe.throw(
					_("Candidate row {0}: {1} is a project of {2}, not {3}.").format(
						row.idx, label, project.year, self.year
					),
					title=_("Invalid Candidate"),
				)
			if project.status != EVALUATED or cint(project.stars) < cint(self.min_stars):
				frappe.throw(
					_(
						"Candidate row {0}: {1} is not a candidate: the Top Ten is chosen from evaluated projects with at least {2} stars."
					).format(row.idx, label, cint(self.min_stars)),
					title=_("Invalid Candidate"),
				)
			row.update(
				{
					"project_name": project.project_name,
					"branch": project.branch,
					"branch_name": project.branch_name,
					"unit": project.approving_organization,
					"stars": cint(project.stars),
					"accepted_on": project.accepted_on,
				}
			)

	def validate_scores(self):
		candidates = {row.project: row for row in self.candidates}
		positions = branches_of(row.judge for row in self.scores)
		weights = {name: self.get(f"weight_{name}") for name in CRITERIA}
		seen = set()
		for row in self.scores:
			candidate = candidates.get(row.project)
			if not candidate:
				frappe.throw(
					_("Score row {0}: {1} is not a candidate.").format(row.idx, frappe.bold(row.project)),
					title=_("Invalid Score"),
				)
			label = frappe.bold(candidate.project_name)
			key = (row.judge, row.project)
			if key in seen:
				frappe.throw(
					_("Score row {0}: {1} has already scored {2}.").format(
						row.idx, frappe.bold(row.judge), label
					),
					title=_("Duplicate Score"),
				)
			seen.add(key)
			own = positions.get(row.judge, set())
			if not row.judge_branch and candidate.branch in own:
				row.judge_branch = candidate.branch
			own_branch = candidate.branch in own or (
				row.judge_branch and row.judge_branch == candidate.branch
			)
			if row.recused:
				self.validate_recusal(row, label, own_branch)
				continue
			if own_branch:
				frappe.throw(
					_(
						"Score row {0}: {1} is a project of the judge's own branch; the judge does not score it. Remove the row and use Record Recusal."
					).format(row.idx, label),
					title=_("Judge Must Recuse"),
				)
			for name in CRITERIA:
				value = row.get(f"score_{name}")
				field = frappe.bold(_(row.meta.get_label(f"score_{name}"), context=row.doctype))
				if value is None or value == "":
					frappe.throw(
						_("Score row {0}: {1} for {2} is missing.").format(row.idx, field, label),
						title=_("Invalid Score"),
					)
				if not 0 <= flt(value) <= 100:
					frappe.throw(
						_("Score row {0}: {1} for {2} must be between 0 and 100, not {3}.").format(
							row.idx, field, label, value
						),
						title=_("Invalid Score"),
					)
			row.weighted = weighted_score({name: row.get(f"score_{name}") for name in CRITERIA}, weights)

	def validate_recusal(self, row, label, own_branch):
		"""A recusal row records that a judge did not score a project of their own branch."""
		if not own_branch:
			frappe.throw(
				_(
					"Score row {0}: a recusal is recorded only for a project of the judge's own branch, and {1} is not one."
				).format(row.idx, label),
				title=_("Invalid Recusal"),
			)
		# a Float column stores an empty score as 0
		if any(flt(row.get(f"score_{name}")) for name in CRITERIA):
			frappe.throw(
				_("Score row {0}: the judge recused from {1}; leave its scores empty.").format(
					row.idx, label
				),
				title=_("Invalid Recusal"),
			)
		row.weighted = None

	def rank_candidates(self):
		by_project = {}
		for row in self.scores:
			if not row.recused:
				by_project.setdefault(row.project, []).append(flt(row.weighted))
		for row in self.candidates:
			values = by_project.get(row.project, [])
			row.judges = len(values)
			row.average_score = round(rules.mean(values), 2) if values else 0
		rank(self.candidates, self.top_n)

	def validate_complete(self):
		if not self.candidates:
			frappe.throw(
				_("There are no candidates: use Get Candidates before submitting."),
				title=_("No Candidates"),
			)
		unscored = [row.project_name for row in self.candidates if not row.judges]
		if unscored:
			frappe.throw(
				_("No judge has scored {0} yet: every candidate needs at least one score.").format(
					", ".join(frappe.bold(name) for name in unscored)
				),
				title=_("Scoring Not Finished"),
			)

	# --- actions from the form -----------------------------------------------------------------

	@frappe.whitelist()
	def record_recusal(self, judge: str, judge_branch: str | None = None) -> int:
		"""Record that ``judge`` does not score the candidates of their own branch (the given
		one, or every branch the judge holds a position in): a recused row without scores for
		each, replacing a score the judge may already have entered. Returns how many rows."""
		if self.docstatus != 0:
			frappe.throw(_("A submitted selection cannot be changed."), title=_("Not Allowed"))
		self.check_permission("create" if self.is_new() else "write")
		branches = {judge_branch} if judge_branch else branches_of([judge]).get(judge, set())
		if not branches:
			frappe.throw(
				_("{0} holds no position in a branch: enter the judge's branch.").format(frappe.bold(judge)),
				title=_("Branch Unknown"),
			)
		existing = {row.project: row for row in self.scores if row.judge == judge}
		count = 0
		for candidate in self.candidates:
			if candidate.branch not in branches:
				continue
			row = existing.get(candidate.project) or self.append(
				"scores", {"judge": judge, "project": candidate.project}
			)
			row.judge_branch = candidate.branch
			row.recused = 1
			row.weighted = None
			for name in CRITERIA:
				row.set(f"score_{name}", None)
			count += 1
		if not count:
			frappe.msgprint(
				_("No candidate is a project of {0}: nothing to recuse.").format(
					", ".join(frappe.bold(b) for b in sorted(branches))
				),
				indicator="orange",
			)
		return count


@frappe.whitelist()
def get_candidates(company: str, year: int) -> list[dict]:
	"""The year's evaluated projects of the company with at least the settings' minimum stars."""
	frappe.has_permission("Dangjian Top Ten Selection", "create", throw=True)
	scope.ensure_in_scope(company)
	bounds = frappe.db.get_value("Party Organization", company, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return []
	project = frappe.qb.DocType("Dangjian Project")
	org = frappe.qb.DocType("Party Organization")
	return (
		frappe.qb.from_(project)
		.join(org)
		.on(org.name == project.branch)
		.select(
			project.name.as_("project"),
			project.project_name,
			project.branch,
			project.branch_name,
			project.approving_organization.as_("unit"),
			project.stars,
			project.accepted_on,
		)
		.where(org.lft > bounds.lft)
		.where(org.rgt < bounds.rgt)
		.where(project.year == cint(year))
		.where(project.status == EVALUATED)
		.where(project.stars >= cint(get_settings().top_ten_min_stars))
		.orderby(project.stars, order=frappe.qb.desc)
		.orderby(project.accepted_on)
		.orderby(project.name)
		.run(as_dict=True)
	)
