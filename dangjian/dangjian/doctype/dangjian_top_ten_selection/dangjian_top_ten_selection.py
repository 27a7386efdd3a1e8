# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import EVALUATED
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

CRITERIA = ("concept", "implementation", "materials", "report", "presentation")


class DangjianTopTenSelection(Document):
	def validate(self):
		self.validate_company()
		self.set_settings_snapshot()
		self.validate_one_per_year()
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
				indicator="orange",
				alert=True,
			)

	def on_submit(self):
		for row in self.candidates:
			if row.selected:
				frappe.db.set_value(
					"Dangjian Project", row.project, {"top_ten": 1, "top_ten_selection": self.name}
				)

	def on_cancel(self):
		for row in self.candidates:
			if frappe.db.get_value("Dangjian Project", row.project, "top_ten_selection") == self.name:
				frappe.db.set_value(
					"Dangjian Project", row.project, {"top_ten": 0, "top_ten_selection": None}
				)

	def validate_company(self):
		if frappe.db.get_value("Party Organization", self.company, "organization_type") != rules.COMPANY:
			frappe.throw(
				_("{0} is not a company.").format(frappe.bold(self.company)), title=_("Invalid Company")
			)

	def set_settings_snapshot(self):
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

	def validate_scores(self):
		candidates = {row.project: row for row in self.candidates}
		seen = set()
		for row in self.scores:
			if row.project not in candidates:
				frappe.throw(
					_("Score row {0}: {1} is not a candidate.").format(row.idx, frappe.bold(row.project)),
					title=_("Invalid Score"),
				)
			key = (row.judge, row.project)
			if key in seen:
				frappe.throw(
					_("Score row {0}: {1} has already scored {2}.").format(
						row.idx, frappe.bold(row.judge), frappe.bold(candidates[row.project].project_name)
					),
					title=_("Duplicate Score"),
				)
			seen.add(key)
			own_branch = row.judge_branch and row.judge_branch == candidates[row.project].branch
			if own_branch and not row.recused:
				frappe.throw(
					_(
						"Score row {0}: {1} is a project of the judge's own branch; the judge does not score it (mark the row Recused and leave the scores empty)."
					).format(row.idx, frappe.bold(candidates[row.project].project_name)),
					title=_("Judge Must Recuse"),
				)
			if row.recused:
				for name in CRITERIA:
					row.set(f"score_{name}", None)
				row.weighted = None
				continue
			for name in CRITERIA:
				value = row.get(f"score_{name}")
				label = frappe.bold(_(row.meta.get_label(f"score_{name}"), context=row.doctype))
				if value is None or value == "":
					frappe.throw(
						_("Score row {0}: {1} is missing.").format(row.idx, label), title=_("Invalid Score")
					)
				if not 0 <= flt(value) <= 100:
					frappe.throw(
						_("Score row {0}: {1} must be between 0 and 100, not {2}.").format(
							row.idx, label, value
						),
						title=_("Invalid Score"),
					)
			row.weighted = round(
				sum(flt(row.get(f"score_{name}")) * flt(self.get(f"weight_{name}")) for name in CRITERIA)
				/ 100.0,
				2,
			)

	def rank_candidates(self):
		by_project = {}
		for row in self.scores:
			if not row.recused:
				by_project.setdefault(row.project, []).append(flt(row.weighted))
		for row in self.candidates:
			values = by_project.get(row.project, [])
			row.judges = len(values)
			row.average_score = round(rules.mean(values), 2) if values else 0
		ranked = sorted(
			self.candidates,
			key=lambda r: (
				-flt(r.average_score),
				-cint(r.stars),
				getdate(r.accepted_on or "9999-12-31"),
				r.project_name or "",
			),
		)
		for rank, row in enumerate(ranked, start=1):
			row.rank = rank
			row.selected = 1 if rank <= cint(self.top_n) else 0


@frappe.whitelist()
def get_candidates(company: str, year: int) -> list[dict]:
	"""The year's evaluated projects of the company with at least the settings' minimum stars."""
	frappe.has_permission("Dangjian Top Ten Selection", "create", throw=True)
	scope.ensure_in_scope(company)
	bounds = frappe.db.get_value("Party Organization", company, ["lft", "rgt"], as_dict=True)
	branches = frappe.get_all(
		"Party Organization", filters={"lft": (">", bounds.lft), "rgt": ("<", bounds.rgt)}, pluck="name"
	)
	if not branches:
		return []
	return frappe.get_all(
		"Dangjian Project",
		filters={
			"branch": ("in", branches),
			"year": cint(year),
			"status": EVALUATED,
			"stars": (">=", cint(get_settings().top_ten_min_stars)),
		},
		fields=[
			"name as project",
			"project_name",
			"branch",
			"branch_name",
			"approving_organization as unit",
			"stars",
			"accepted_on",
		],
		order_by="stars desc, accepted_on asc",
	)
