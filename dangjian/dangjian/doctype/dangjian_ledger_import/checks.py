# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Judging a ledger workbook's rows as the documents would judge them, and what the import would
make of them (the plan): the branch exists, is a branch and lies under the organization the
import is for and in the importer's scope; the year is a year of the scheme and not before the
branch was established; the status is one a project can be imported in (on record: approved, in
implementation, accepted, evaluated) and the dates, the acceptance, the stars and the grade fit
it and each other; stars are 1–5, and a grade, a commendation or a Top Ten place the settings
would not give is flagged; a project is neither twice in the file nor already in the app (year +
branch + name). Every problem is reported with its place; nothing is written here.

The lookups are made once for the whole workbook (organizations, existing projects, settings),
so that a ledger of thousands of rows is checked in a few queries."""

import re
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, nowdate

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_acceptance.dangjian_acceptance import CONCLUSIONS
from dangjian.dangjian.doctype.dangjian_ledger_import import layout
from dangjian.dangjian.doctype.dangjian_ledger_import.workbook import Problems, ReadSheet
from dangjian.dangjian.doctype.dangjian_project import dangjian_project as project_states
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings

BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)
FIRST_YEAR = 2000
TEXT_LIMIT = 140  # a Data field
PLAN_PROGRESS = re.compile(r"^(\d+)\s*/\s*(\d+)$")
PASSED = "Passed"
IN_PROGRESS_RESULTS = ("Assistance", "Adjust")  # an earlier acceptance sent it back to work


@dataclass
class Plan:
	"""What the import makes: one entry per project and per quarterly report, in file order."""

	projects: list = field(default_factory=list)  # frappe._dict(ref, row, fields)
	reports: list = field(default_factory=list)  # frappe._dict(ref, row, fields)


def import_roots(user: str | None = None) -> list[str] | None:
	"""The organizations under which ``user`` may import (None: anywhere): the companies whose
	administrator (思想政治工作部) or secretary they are, and the units whose Party-Masses Work
	Department (the Approver duty) they are in. A committee member, a secretary of a branch or
	an evaluator imports nowhere."""
	user = user or frappe.session.user
	if scope.is_unrestricted(user):
		return None
	roots = set(
		frappe.get_all(
			scope.ORG, filters={"secretary": user, "organization_type": rules.COMPANY}, pluck="name"
		)
	)
	for row in frappe.get_all(
		"Party Organization Member",
		filters={"user": user, "parenttype": scope.ORG, "duty": ("in", ("Administrator", "Approver"))},
		fields=["parent", "duty"],
	):
		roots.add(row.parent)
	return sorted(roots)


class Site:
	"""What the checks read from the site, once per workbook."""

	def __init__(self, organization: str, user: str):
		self.today = getdate(nowdate())
		self.settings = get_settings()
		self.levels = rules.levels_from_settings(self.settings)
		self.cutoffs = rules.cutoffs_from_settings(self.settings)
		self.orgs = {
			org.name: org
			for org in frappe.get_all(
				scope.ORG,
				fields=[
					"name",
					"organization_name",
					"organization_type",
					"approving_organization",
					"date_established",
					"lft",
					"rgt",
				],
			)
		}
		self.root = self.orgs.get(organization)
		roots = import_roots(user)
		self.roots = None if roots is None else [self.orgs[name] for name in roots if name in self.orgs]
		self.by_name: dict[str, list] = {}
		for org in self.orgs.values():
			self.by_name.setdefault(org.organization_name.strip(), []).append(org)

	def unit_name(self, org) -> str:
		unit = self.orgs.get(org.approving_organization or "")
		return unit.organization_name if unit else ""

	@staticmethod
	def under(org, root) -> bool:
		return bool(root) and org.lft >= root.lft and org.rgt <= root.rgt

	def in_scope(self, org) -> bool:
		return self.roots is None or any(self.under(org, root) for root in self.roots)


def check(organization: str, user: str, sheets: dict[str, ReadSheet], problems: Problems) -> Plan:
	"""The plan of the import, and every problem of the workbook's rows in ``problems``."""
	site = Site(organization, user)
	plan = Plan()
	ledger = sheets.get(layout.LEDGER)
	if not ledger:
		return plan
	projects = check_ledger(site, ledger, problems)
	evaluation = sheets.get(layout.EVALUATION)
	if evaluation:
		check_evaluation(site, evaluation, projects, problems)
	reports = sheets.get(layout.REPORTS)
	if reports:
		plan.reports = check_reports(site, reports, projects, problems)
	else:
		working = sum(1 for p in projects.values() if p.fields.get("implementation_started_on"))
		if working:
			problems.warning(
				_(
					"The workbook has no {0} sheet: the {1} projects that started implementation will have no quarterly reports in the app, and their quarters since will count as missing."
				).format(layout.sheet_title(layout.sheets()[1]), working)
			)
	# (the plan is written only when no row has an error: all or nothing)
	plan.projects = list(projects.values())
	return plan


class RowCheck:
	"""The checks of one row: its problems go to ``problems`` with the row's place; ``ok`` says
	whether the row can be imported."""

	def __init__(self, sheet: ReadSheet, row, problems: Problems):
		self.sheet, self.row, self.problems = sheet, row, problems
		self.ok = not row.bad

	def label(self, fieldname: str) -> str:
		return self.sheet.labels.get(fieldname) or fieldname

	def error(self, message: str, fieldname: str | None = None):
		self.ok = False
		self.problems.error(message, **self.sheet.where(self.row, fieldname))

	def warning(self, message: str, fieldname: str | None = None):
		self.problems.warning(message, **self.sheet.where(self.row, fieldname))

	def value(self, fieldname: str):
		return self.row.values.get(fieldname)

	def required(self, fieldname: str, why: str | None = None):
		value = self.value(fieldname)
		if value is None and fieldname not in self.row.bad:
			if why:
				self.error(_("{0} is empty: {1}").format(self.label(fieldname), why), fieldname)
			else:
				self.error(_("{0} is empty.").format(self.label(fieldname)), fieldname)
		return value

	def text(self, fieldname: str, required: bool = False) -> str | None:
		value = self.required(fieldname) if required else self.value(fieldname)
		if value is not None and len(value) > TEXT_LIMIT:
			self.error(
				_("{0} is longer than {1} characters.").format(self.label(fieldname), TEXT_LIMIT), fieldname
			)
		return value

	def empty_for(self, fieldname: str, state: str, blank=(None, 0, "")):
		"""A value the state cannot have."""
		if self.value(fieldname) not in blank:
			self.error(
				_("A project that is {0} has no {1}: leave it empty.").format(
					_(state, context=layout.PROJECT), self.label(fieldname)
				),
				fieldname,
			)

	def not_after_today(self, fieldname: str, today) -> None:
		day = self.value(fieldname)
		if day and day > today:
			self.error(
				_("{0} {1} is after today: the ledger records what has happened.").format(
					self.label(fieldname), day.isoformat()
				),
				fieldname,
			)


def mapped(check: RowCheck, fieldname: str, words: dict, unknown: str, allowed: str):
	"""The stored value of a Select written as the desk shows it; ``unknown`` ({0} the value, {1}
	the values allowed) when it is none of them."""
	value = check.value(fieldname)
	if value is None:
		return None
	found = words.get(value) or words.get(value.lower())
	if not found:
		check.error(unknown.format(value, allowed), fieldname)
	return found


def check_ledger(site: Site, sheet: ReadSheet, problems: Problems) -> dict:
	"""ref -> frappe._dict(ref, row, ok, values) for every row with a reference."""
	states = layout.project_states_map()
	topics = layout.topic_map()
	grades = layout.grade_map()
	results = layout.acceptance_map()
	importable = layout.in_words(layout.IMPORTABLE_STATES, layout.PROJECT)
	projects: dict[str, frappe._dict] = {}
	seen: dict[tuple, int] = {}
	rows = []
	for row in sheet.rows:
		c = RowCheck(sheet, row, problems)
		values = frappe._dict(doctype=layout.PROJECT)
		ref = c.text("project", required=True)
		if ref is not None:
			if ref in projects:
				c.error(
					_("Reference {0} is already used in row {1}: each project needs its own.").format(
						ref, projects[ref].row
					),
					"project",
				)
		values.project_name = c.text("project_name", required=True)
		values.lead_name = c.text("lead_name")
		branch = check_branch(site, c)
		year = check_year(site, c, branch)
		status = mapped(
			c,
			"status",
			states,
			_("{0} is not a status of a project; a project is imported as {1}."),
			importable,
		)
		if c.value("status") is None:
			c.required("status")
		if status and status not in layout.IMPORTABLE_STATES:
			c.error(
				_(
					"A project that is {0} is not imported: only projects approved and on record are ({1}). An application still under way is made again in the app."
				).format(_(status, context=layout.PROJECT), importable),
				"status",
			)
			status = None
		values.topic_area = mapped(
			c,
			"topic_area",
			topics,
			_("{0} is not a topic area; the topic areas are {1}."),
			layout.in_words(layout.select_options(layout.PROJECT, "topic_area"), layout.PROJECT),
		)
		if c.value("topic_area") is None:
			c.required("topic_area")  # the project's form requires it
		if status:
			check_dates(site, c, status, year)
			check_results(site, c, status, results, grades, values)
		progress = c.value("plan_progress")
		if progress is not None:
			found = PLAN_PROGRESS.match(progress)
			if not found or int(found.group(1)) > int(found.group(2)):
				c.error(
					_("{0} is not a plan progress such as 2/3 (steps done / steps).").format(progress),
					"plan_progress",
				)
		if branch and year and values.project_name:
			key = (year, branch.name, values.project_name)
			if key in seen:
				c.error(
					_("The same project ({0}, {1}, {2}) is already in row {3}.").format(
						year, branch.organization_name, values.project_name, seen[key]
					),
					"project_name",
				)
			else:
				seen[key] = row.number
		if branch:
			values.branch = branch.name
			values.branch_name = branch.organization_name
			values.approving_organization = branch.approving_organization
		values.year = year
		values.status = status
		values.import_source_reference = ref
		values.import_source_row = row.number
		values.imported_plan_progress = progress
		for fieldname in ("applied_on", "approved_on", "implementation_started_on", "accepted_on"):
			values[fieldname] = c.value(fieldname)
		values.last_applied_on = values.applied_on
		if values.applied_on and year:
			deadline = rules.application_deadline(
				year,
				cint(site.settings.application_deadline_month),
				cint(site.settings.application_deadline_day),
			)
			values.is_late = 1 if rules.is_late(values.applied_on, deadline) else 0
		project = frappe._dict(ref=ref, row=row.number, check=c, fields=values)
		rows.append(project)
		if ref is not None and ref not in projects:
			projects[ref] = project
	check_existing(site, sheet, rows, problems)
	return projects


def check_branch(site: Site, c: RowCheck):
	"""The branch a row names (by its name, with the unit when names repeat, or by its code),
	under the import's organization and in the importer's scope."""
	written = c.text("branch_name", required=True)
	unit = c.value("unit_name")
	if written is None:
		return None
	by_code = site.orgs.get(written)
	candidates = [by_code] if by_code else list(site.by_name.get(written, []))
	if unit and not by_code:
		candidates = [
			org
			for org in candidates
			if site.unit_name(org) == unit or (org.approving_organization or "") == unit
		]
	branches = [org for org in candidates if org.organization_type in BRANCH_TYPES]
	if not branches:
		if candidates:
			c.error(
				_("{0} is not a branch: projects are applied for by a branch or a general branch.").format(
					written
				),
				"branch_name",
			)
		elif unit:
			c.error(_("No branch named {0} exists under {1}.").format(written, unit), "branch_name")
		else:
			c.error(_("No branch named {0} exists.").format(written), "branch_name")
		return None
	inside = [org for org in branches if site.under(org, site.root)]
	if len(inside) > 1 or (not inside and len(branches) > 1 and not site.root):
		c.error(
			_(
				"Several branches are named {0}: fill in the unit, or write the branch's code instead of its name."
			).format(written),
			"branch_name",
		)
		return None
	if not inside:
		c.error(
			_("{0} is outside this import: it is not under {1}, the organization the import is for.").format(
				written, site.root.organization_name if site.root else ""
			),
			"branch_name",
		)
		return None
	branch = inside[0]
	if not site.in_scope(branch):
		c.error(
			_("{0} is outside your scope: you import only under {1}.").format(
				written,
				_(", ", context=layout.CONTEXT).join(root.organization_name for root in site.roots or []),
			),
			"branch_name",
		)
		return None
	if unit and by_code and unit not in (site.unit_name(branch), branch.approving_organization):
		c.error(
			_("{0} belongs to {1}, not to {2}.").format(written, site.unit_name(branch), unit), "unit_name"
		)
	return branch


def check_year(site: Site, c: RowCheck, branch) -> int | None:
	year = c.required("year")
	if year is None:
		return None
	last = site.today.year + project_states.MAX_YEARS_AHEAD
	if not FIRST_YEAR <= year <= last:
		c.error(
			_("Year {0} is not a year of the scheme: from {1} to {2}.").format(year, FIRST_YEAR, last), "year"
		)
		return None
	established = branch.date_established if branch else None
	if established and year < getdate(established).year:
		c.error(
			_("Year {0} is before {1} was established ({2}).").format(
				year, branch.organization_name, getdate(established).year
			),
			"year",
		)
		return None
	return year


def check_dates(site: Site, c: RowCheck, status: str, year: int | None) -> None:
	"""申报 → 审定 → 实施 → 验收, in this order, none after today, each present exactly when the
	state has it."""
	state = _(status, context=layout.PROJECT)
	why = _("a project that is {0} has it.").format(state)
	applied = c.required("applied_on", why)
	approved = c.required("approved_on", why)
	started = c.value("implementation_started_on")
	accepted = c.value("accepted_on")
	if status == project_states.APPROVED:
		c.empty_for("implementation_started_on", status)
		started = None
	else:
		c.required("implementation_started_on", why)
	if status in (project_states.ACCEPTED, project_states.EVALUATED):
		c.required("accepted_on", why)
	else:
		c.empty_for("accepted_on", status)
		accepted = None
	for fieldname in ("applied_on", "approved_on", "implementation_started_on", "accepted_on"):
		c.not_after_today(fieldname, site.today)
	if applied and year and not year - 1 <= applied.year <= year:
		c.error(
			_(
				"Applied on {0}, but the project is of {1}: a project is applied for in its year or the year before."
			).format(applied.isoformat(), year),
			"applied_on",
		)
	order = (
		("approved_on", approved, applied, _("Approved on {0}, before it was applied for on {1}.")),
		(
			"implementation_started_on",
			started,
			approved,
			_("Implementation started on {0}, before the project was approved on {1}."),
		),
		("accepted_on", accepted, started, _("Accepted on {0}, before implementation started on {1}.")),
	)
	for fieldname, later, earlier, message in order:
		if later and earlier and later < earlier:
			c.error(message.format(later.isoformat(), earlier.isoformat()), fieldname)


def check_results(site: Site, c: RowCheck, status: str, results: dict, grades: dict, values) -> None:
	"""The acceptance, the stars and grade, the commendation and the Top Ten a state has."""
	state = _(status, context=layout.PROJECT)
	evaluated = status == project_states.EVALUATED
	accepted = status in (project_states.ACCEPTED, project_states.EVALUATED)
	result = mapped(
		c,
		"acceptance_result",
		results,
		_("{0} is not an acceptance conclusion; the conclusions are {1}."),
		layout.in_words(CONCLUSIONS, layout.ACCEPTANCE),
	)
	passed = _(PASSED, context=layout.ACCEPTANCE)
	if accepted:
		if c.value("acceptance_result") is None and "acceptance_result" not in c.row.bad:
			c.error(
				_("A project that is {0} passed its acceptance: {1} must be {2}.").format(
					state, c.label("acceptance_result"), passed
				),
				"acceptance_result",
			)
		elif result and result != PASSED:
			c.error(
				_("A project that is {0} passed its acceptance: {1} must be {2}.").format(
					state, c.label("acceptance_result"), passed
				),
				"acceptance_result",
			)
	elif status == project_states.APPROVED:
		c.empty_for("acceptance_result", status)
		result = None
	elif result == PASSED:
		c.error(
			_("A project that is {0} has not passed acceptance: {1} cannot be {2}.").format(
				state, c.label("acceptance_result"), passed
			),
			"acceptance_result",
		)
	values.acceptance_result = result
	stars = c.value("stars")
	grade = mapped(
		c,
		"grade",
		grades,
		_("{0} is not a grade; the grades are {1}."),
		layout.in_words(rules.GRADES, layout.PROJECT),
	)
	commended, top_ten = cint(c.value("commended")), cint(c.value("top_ten"))
	if evaluated:
		why = _("a project that is {0} has it.").format(state)
		c.required("stars", why)
		c.required("grade", why)
		if stars is not None and not 1 <= stars <= 5:
			c.error(_("Stars must be 1 to 5, not {0}.").format(stars), "stars")
			stars = None
		if stars and grade:
			expected = rules.grade_from_stars(stars, site.levels)
			if expected != grade:
				c.warning(
					_(
						"{0} stars give the grade {1} under the current settings; the ledger says {2}. It is imported as the ledger has it."
					).format(stars, _(expected, context=layout.PROJECT), _(grade, context=layout.PROJECT)),
					"grade",
				)
		if commended and stars and stars < cint(site.settings.commended_star_level):
			c.warning(
				_(
					"Commended with {0} stars; the settings commend from {1} stars. It is imported as the ledger has it."
				).format(stars, cint(site.settings.commended_star_level)),
				"commended",
			)
		if top_ten and stars and stars < cint(site.settings.top_ten_min_stars):
			c.warning(
				_(
					"In the Top Ten with {0} stars; the settings admit candidates from {1} stars. It is imported as the ledger has it."
				).format(stars, cint(site.settings.top_ten_min_stars)),
				"top_ten",
			)
	else:
		if stars not in (None, 0) and not 1 <= stars <= 5:
			c.error(_("Stars must be 1 to 5, not {0}.").format(stars), "stars")
		else:
			c.empty_for("stars", status)
		c.empty_for("grade", status)
		for fieldname, flag in (("commended", commended), ("top_ten", top_ten)):
			if flag:
				c.error(
					_("Only an evaluated project is commended or in the Top Ten; this one is {0}.").format(
						state
					),
					fieldname,
				)
		stars, grade, commended, top_ten = 0, None, 0, 0
	values.stars = stars or 0
	values.grade = grade
	values.commended = commended
	values.top_ten = top_ten


def check_existing(site: Site, sheet: ReadSheet, rows: list, problems: Problems) -> None:
	"""A project already in the app (same year, branch and name) is not imported again."""
	branches = sorted({p.fields.branch for p in rows if p.fields.branch})
	if not branches:
		return
	existing = {}
	for project in frappe.get_all(
		layout.PROJECT,
		filters={"branch": ("in", branches)},
		fields=["name", "year", "branch", "project_name"],
	):
		existing[(cint(project.year), project.branch, project.project_name)] = project.name
	for project in rows:
		v = project.fields
		other = existing.get((cint(v.year), v.branch, v.project_name))
		if other:
			project.check.error(
				_("{0} of {1} for {2} is already in the app as {3}.").format(
					v.project_name, v.branch_name, v.year, other
				),
				"project_name",
			)


def referenced(c: RowCheck, projects: dict):
	"""The ledger row a row of another sheet refers to (by the ledger's 项目 column)."""
	ref = c.text("project", required=True)
	if ref is None:
		return None
	project = projects.get(ref)
	if not project:
		c.error(_("No project with the reference {0} in the ledger sheet.").format(ref), "project")
	return project


def check_reports(site: Site, sheet: ReadSheet, projects: dict, problems: Problems) -> list:
	states = layout.report_states_map()
	importable = layout.in_words(layout.IMPORTABLE_REPORT_STATES, layout.QUARTERLY_REPORT)
	due_days = cint(site.settings.quarterly_report_due_days)
	seen: dict[tuple, int] = {}
	out = []
	for row in sheet.rows:
		c = RowCheck(sheet, row, problems)
		project = referenced(c, projects)
		year = c.required("year")
		quarter = c.required("quarter")
		submitted = c.required("first_submitted_on")
		c.not_after_today("first_submitted_on", site.today)
		status = mapped(
			c,
			"status",
			states,
			_("{0} is not a status of an imported quarterly report; it is {1}."),
			importable,
		)
		if c.value("status") is None:
			c.required("status")
		if status and status not in layout.IMPORTABLE_REPORT_STATES:
			c.error(
				_("{0} is not a status of an imported quarterly report; it is {1}.").format(
					_(status, context=layout.QUARTERLY_REPORT), importable
				),
				"status",
			)
		c.required("progress_summary")
		percent = c.required("percent_complete")
		if percent is not None and not 0 <= percent <= 100:
			c.error(
				_("Percent complete must be between 0 and 100, not {0}.").format(flt(percent)),
				"percent_complete",
			)
		if quarter is not None and quarter not in rules.QUARTERS:
			c.error(_("Quarter must be 1, 2, 3 or 4."), "quarter")
			quarter = None
		if year is not None and not FIRST_YEAR <= year <= site.today.year:
			c.error(
				_("Year {0} is not a year of the scheme: from {1} to {2}.").format(
					year, FIRST_YEAR, site.today.year
				),
				"year",
			)
			year = None
		started = project.fields.implementation_started_on if project else None
		if project and project.fields.status and not started:
			c.error(
				_("The project of row {0} is {1}: it has no quarterly reports.").format(
					project.row, _(project.fields.status, context=layout.PROJECT)
				),
				"project",
			)
		if year and quarter and started:
			problem = rules.quarter_is_reportable(year, quarter, started, site.today)
			if problem == "before_start":
				c.error(
					_(
						"{0} Q{1} is not after the quarter implementation started in ({2}): the first report is for the quarter after it."
					).format(year, quarter, started.isoformat()),
					"quarter",
				)
			elif problem == "future":
				c.error(
					_("{0} Q{1} has not begun: report on the current quarter or an earlier one.").format(
						year, quarter
					),
					"quarter",
				)
		if year and quarter and submitted and submitted < rules.quarter_start(year, quarter):
			c.error(
				_("Submitted on {0}, before {1} Q{2} began.").format(submitted.isoformat(), year, quarter),
				"first_submitted_on",
			)
		if project and year and quarter:
			key = (project.ref, year, quarter)
			if key in seen:
				c.error(
					_("The report of {0} Q{1} of this project is already in row {2}.").format(
						year, quarter, seen[key]
					),
					"quarter",
				)
			else:
				seen[key] = row.number
		if not c.ok:
			continue
		due = rules.quarterly_report_due_date(year, quarter, due_days)
		out.append(
			frappe._dict(
				ref=project.ref,
				row=row.number,
				fields=frappe._dict(
					doctype=layout.QUARTERLY_REPORT,
					year=year,
					quarter=str(quarter),
					status=status,
					first_submitted_on=submitted,
					due_date=due,
					is_late=1 if rules.is_late(submitted, due) else 0,
					percent_complete=flt(percent),
					progress_summary=c.value("progress_summary"),
					problems=c.value("problems"),
					next_quarter_plan=c.value("next_quarter_plan"),
					supervision_comment=c.value("supervision_comment"),
					import_source_row=row.number,
				),
			)
		)
	return out


def check_evaluation(site: Site, sheet: ReadSheet, projects: dict, problems: Problems) -> None:
	"""The acceptance rounds, evaluation totals, commendation document number and Top Ten rank,
	kept on the project as the ledger's."""
	seen: dict[str, int] = {}
	for row in sheet.rows:
		c = RowCheck(sheet, row, problems)
		project = referenced(c, projects)
		if project:
			if project.ref in seen:
				c.error(
					_("This project's acceptance and evaluation is already in row {0}.").format(
						seen[project.ref]
					),
					"project",
				)
			seen[project.ref] = row.number
		v = project.fields if project else frappe._dict()
		state = _(v.status or "", context=layout.PROJECT)
		rounds = c.value("acceptance_rounds")
		if rounds is not None:
			if rounds < 1:
				c.error(
					_("{0} must be a whole number of at least 1.").format(c.label("acceptance_rounds")),
					"acceptance_rounds",
				)
			elif project and v.status and not v.acceptance_result:
				c.error(
					_("The project of row {0} is {1}: it has not been through acceptance.").format(
						project.row, state
					),
					"acceptance_rounds",
				)
		totals = ("evaluators", "satisfaction_rate", "weighted_total")
		if project and v.status and v.status != project_states.EVALUATED:
			for fieldname in totals:
				if c.value(fieldname) is not None:
					c.error(
						_(
							"The project of row {0} is {1}, not evaluated: it has no evaluation totals."
						).format(project.row, state),
						fieldname,
					)
		if c.value("evaluators") is not None and c.value("evaluators") < 1:
			c.error(
				_("{0} must be a whole number of at least 1.").format(c.label("evaluators")), "evaluators"
			)
		if (
			c.value("evaluators") is not None
			and c.value("satisfaction_rate") is None
			and "satisfaction_rate" not in c.row.bad
		):
			# the evaluators count in the Evaluation Results with the rate they gave: a blank
			# rate would be read as 0 (none satisfied)
			c.error(
				_(
					"{0} is given without {1}: fill in the rate its evaluators gave (0 if none was satisfied), or leave {0} empty."
				).format(c.label("evaluators"), c.label("satisfaction_rate")),
				"satisfaction_rate",
			)
		for fieldname in ("satisfaction_rate", "weighted_total"):
			number = c.value(fieldname)
			if number is not None and not 0 <= number <= 100:
				c.error(
					_("{0} must be between 0 and 100, not {1}.").format(c.label(fieldname), number),
					fieldname,
				)
		total = c.value("weighted_total")
		if total is not None and 0 <= total <= 100 and v.stars:
			stars = rules.stars_from_total(total, site.cutoffs)
			if stars != v.stars:
				c.warning(
					_(
						"A weighted total of {0} gives {1} stars under the current cut-offs; the ledger gives {2}. The stars are imported as the ledger has them."
					).format(total, stars, v.stars),
					"weighted_total",
				)
		number = c.text("document_number")
		if number is not None and project and v.status and not v.commended:
			c.error(
				_(
					"The project of row {0} is not commended in the ledger sheet: it has no commendation document number."
				).format(project.row),
				"document_number",
			)
		rank = c.value("top_ten_rank")
		if rank is not None:
			if rank < 1:
				c.error(
					_("{0} must be a whole number of at least 1.").format(c.label("top_ten_rank")),
					"top_ten_rank",
				)
			elif project and v.status and not v.top_ten:
				c.error(
					_(
						"The project of row {0} is not in the Top Ten in the ledger sheet: it has no Top Ten rank."
					).format(project.row),
					"top_ten_rank",
				)
		if not project or not c.ok:
			continue
		v.imported_acceptance_rounds = rounds or 0
		v.imported_evaluators = c.value("evaluators") or 0
		v.imported_satisfaction_rate = flt(c.value("satisfaction_rate"))
		v.imported_weighted_total = flt(total)
		v.imported_document_number = number
		v.imported_top_ten_rank = rank or 0
