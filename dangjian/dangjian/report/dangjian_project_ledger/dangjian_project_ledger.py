# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""项目管理台账 / 项目库: every project with its unit, branch, topic, lead, status, the dates it
was applied for, approved and started, plan progress, last quarterly report and overdue flag,
acceptance, stars, grade, commendation and Top Ten. Its Excel export is also the layout in which
a company's earlier ledger is imported (Dangjian Ledger Import): an imported project without plan
steps shows the plan progress its ledger showed.

Scope and filters are in the query: one statement whatever the number of rows (the scope is
an EXISTS on the user's User Permissions over the organisation nested set, see
``scope.scope_condition``)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, getdate, nowdate
from pypika.terms import Case

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_acceptance.dangjian_acceptance import (
	CONCLUSIONS as ACCEPTANCE_RESULTS,
)
from dangjian.dangjian.doctype.dangjian_project.dangjian_project import REPORTING_STATES
from dangjian.dangjian.doctype.dangjian_settings.dangjian_settings import get_settings
from dangjian.dangjian.report import overdue_sql
from dangjian.dangjian.report.columns import columns
from dangjian.filters import report_filters

REPORT = "Dangjian Project Ledger"

# every year (全部年度) comes a page at a time: at group scale it is hundreds of thousands of
# projects, more than a browser's table or one request should hold. The whole every-year ledger
# is the background Excel export's (dangjian.report_jobs), which sets ``WHOLE_LEDGER``.
PAGE_SIZE = 2_000
WHOLE_LEDGER = "dangjian_whole_ledger"


def execute(filters=None):
	filters = ledger_filters(filters)
	data, message = get_page(filters)
	return get_columns(), data, message, None, get_report_summary(data, paged=bool(message))


def get_page(filters) -> tuple[list[dict], str | None]:
	"""The rows to show and, when the ledger is paged, the message above them saying which
	projects these are and where the others are. One year is never paged."""
	if not filters.all_years or frappe.flags.get(WHOLE_LEDGER):
		return get_data(filters), None
	page = max(cint(filters.get("page")), 1)
	first = (page - 1) * PAGE_SIZE
	data = get_data(filters, limit=PAGE_SIZE + 1, offset=first)
	more = len(data) > PAGE_SIZE
	if page == 1 and not more:
		return data, None
	del data[PAGE_SIZE:]
	if not data:
		message = _("Every year: page {0} is past the last project. Page 1 starts again.").format(page)
	else:
		message = _("Every year: projects {0} to {1}, page {2}.").format(first + 1, first + len(data), page)
		if more:
			message += " " + _("The next ones are on page {0}.").format(page + 1)
	message += " " + _("Every year in one workbook: Export to Excel in the Background, in the menu.")
	return data, message


def ledger_filters(filters=None) -> frappe._dict:
	"""The ledger shows one year: the one asked for, else the current year (the desk's filter
	default; an API call without a year gets the same). Every year is shown only when the caller
	asks for it explicitly with ``all_years`` (the desk's 全部年度 tick), which then wins over a
	year also given (the desk keeps the hidden year filter at its default)."""
	filters = report_filters(filters, default_year=False)
	asked = filters.get("all_years")
	if cint(asked) or str(asked).strip().lower() in ("true", "yes"):
		filters.all_years, filters.year = 1, None
	else:
		filters.all_years, filters.year = 0, cint(filters.year) or getdate(nowdate()).year
	return filters


def label(text: str) -> str:
	return _(text, context=REPORT)


# (fieldname, label, fieldtype, width[, options]): the ledger's columns, in the order of its Excel
# export, which is also the layout a historical ledger is imported in (Dangjian Ledger Import)
COLUMNS = (
	("project", "Project", "Link", 130, "Dangjian Project"),
	("project_name", "Project Name", "Data", 200),
	("year", "Year", "Int", 60),
	("unit_name", "Unit", "Data", 120),
	("branch_name", "Branch", "Data", 140),
	("topic_area", "Topic Area", "Data", 130),
	("lead_name", "Project Lead", "Data", 90),
	("status", "Status", "Data", 100),
	("applied_on", "Applied On", "Date", 100),
	("approved_on", "Approved On", "Date", 100),
	("implementation_started_on", "Implementation Started On", "Date", 110),
	("plan_progress", "Plan Progress", "Data", 90),
	("last_report", "Last Quarterly Report", "Data", 150),
	("overdue", "Overdue Reports", "Int", 90),
	("acceptance_result", "Acceptance", "Data", 100),
	("accepted_on", "Accepted On", "Date", 100),
	("stars", "Stars", "Int", 60),
	("grade", "Grade", "Data", 90),
	("commended", "Commended", "Check", 80),
	("top_ten", "Top Ten", "Check", 70),
)


def get_columns() -> list[dict]:
	return columns(REPORT, *COLUMNS)


# the quarters overdue today of a project in implementation (the ledger's "Overdue Reports")
OVERDUE_SQL = overdue_sql.missing(
	overdue_sql.start_index("p"), overdue_sql.end_index("p"), overdue_sql.reported_subquery("p")
)

LEDGER_SQL = """
select
	p.name as project,
	p.project_name,
	p.year,
	u.organization_name as unit_name,
	p.branch_name,
	{topic_area} as topic_area,
	p.lead_name,
	{status} as status,
	p.applied_on,
	p.approved_on,
	p.implementation_started_on,
	{acceptance_result} as acceptance_result,
	p.accepted_on,
	p.stars,
	{grade} as grade,
	p.commended,
	p.top_ten,
	if(s.total, concat(coalesce(s.done, 0), '/', s.total), coalesce(p.imported_plan_progress, '')) as plan_progress,
	concat(r.last_index div 4, ' Q', r.last_index mod 4 + 1, ' ', {report_status}) as last_report,
	{overdue} as overdue
from `tabDangjian Project` p
join `tabParty Organization` o on o.name = p.branch
left join `tabParty Organization` u on u.name = p.approving_organization
left join (
	select parent, count(*) as total, sum(step_status = 'Done') as done
	from `tabDangjian Plan Step`
	where parenttype = 'Dangjian Project'
	group by parent
) s on s.parent = p.name
left join (
	select project, max(year * 4 + quarter - 1) as last_index
	from `tabDangjian Quarterly Report`
	where docstatus < 2 and first_submitted_on is not null
	group by project
) r on r.project = p.name
left join `tabDangjian Quarterly Report` lr
	on lr.project = p.name and lr.docstatus < 2 and lr.first_submitted_on is not null
		and lr.year * 4 + lr.quarter - 1 = r.last_index
where {conditions}
{having}
order by p.year desc, p.name
"""


def overdue_total() -> int:
	"""The overdue quarterly reports of the projects in the user's scope (the workspace card):
	the ledger's overdue column summed in one statement."""
	condition, params = scope.scope_condition("o")
	params.update(overdue_sql.params())
	total = frappe.db.sql(
		f"""select sum({OVERDUE_SQL}) from `tabDangjian Project` p
		join `tabParty Organization` o on o.name = p.branch
		where p.status in %(reporting_states)s and {condition}""",
		params,
	)[0][0]
	return cint(total)


def options(meta, fieldname: str) -> list[str]:
	return [value for value in (meta.get_field(fieldname).options or "").split("\n") if value]


def translated(column: str, values, context: str, params: dict) -> str:
	"""``column`` as shown in the user's language: a CASE over the values that translate to
	something else (none in English: the column itself), so that rows need no Python pass."""
	cases = []
	for value in values:
		text = _(value, context=context)
		if text != value:
			key = f"tr{len(params)}"
			params[key], params[key + "t"] = value, text
			cases.append(f"when %({key})s then %({key}t)s")
	if not cases:
		return column
	return f"(case {column} {' '.join(cases)} else {column} end)"


def get_data(filters, limit: int | None = None, offset: int = 0) -> list[dict]:
	"""One statement whatever the number of rows: the projects in scope matching the filters,
	with their plan progress, last submitted quarterly report and overdue quarters computed and
	the statuses translated in SQL: no pass over the rows in Python. ``limit`` and ``offset``: a
	page of them, in the ledger's order."""
	conditions, params = [], {}
	for condition, values in (scope.scope_condition("o"), scope.unit_condition("o", filters.unit)):
		conditions.append(condition)
		params.update(values)
	if filters.year:
		conditions.append("p.year = %(year)s")
		params["year"] = cint(filters.year)
	for field in ("branch", "status", "topic_area", "grade"):
		value = filters.get(field)
		if isinstance(value, list | tuple):
			if not value:
				return []
			conditions.append(f"p.{field} in %({field})s")
			params[field] = tuple(value)
		elif value:
			conditions.append(f"p.{field} = %({field})s")
			params[field] = value
	params.update(overdue_sql.params())
	having = ""
	if cint(filters.get("overdue_only")):
		# what the workspace's overdue card counts: projects in implementation with a report due
		conditions.append("p.status in %(reporting_states)s")
		having = "having overdue > 0"
	elif limit:
		# a page: its projects first, by the indexes alone; the plan steps and quarterly reports
		# are then read for those projects only, not summed for every project of every year
		names = frappe.db.sql(
			f"""select p.name from `tabDangjian Project` p
			join `tabParty Organization` o on o.name = p.branch
			where {" and ".join(conditions)}
			order by p.year desc, p.name limit %(limit)s offset %(offset)s""",
			{**params, "limit": cint(limit), "offset": cint(offset)},
		)
		if not names:
			return []
		conditions.append("p.name in %(page_projects)s")
		params["page_projects"] = tuple(row[0] for row in names)
		limit = None
	project_meta = frappe.get_meta("Dangjian Project")
	report_meta = frappe.get_meta("Dangjian Quarterly Report")
	sql = LEDGER_SQL.format(
		conditions=" and ".join(conditions),
		having=having,
		overdue=OVERDUE_SQL,
		status=translated("p.status", options(project_meta, "status"), "Dangjian Project", params),
		topic_area=translated(
			"coalesce(p.topic_area, '')", options(project_meta, "topic_area"), "Dangjian Project", params
		),
		grade=translated("coalesce(p.grade, '')", options(project_meta, "grade"), "Dangjian Project", params),
		acceptance_result=translated(
			"coalesce(p.acceptance_result, '')", ACCEPTANCE_RESULTS, "Dangjian Acceptance", params
		),
		report_status=translated(
			"lr.status", options(report_meta, "status"), "Dangjian Quarterly Report", params
		),
	)
	if limit:
		sql += " limit %(limit)s offset %(offset)s"
		params.update(limit=cint(limit), offset=cint(offset))
	return frappe.db.sql(sql, params, as_dict=True)


def step_counts(names: list[str]) -> dict[str, tuple[int, int]]:
	"""project -> (done, total) plan steps, for a short list of projects (the branch year pack)."""
	step = frappe.qb.DocType("Dangjian Plan Step")
	rows = (
		frappe.qb.from_(step)
		.select(
			step.parent,
			Count(step.name).as_("total"),
			Sum(Case().when(step.step_status == "Done", 1).else_(0)).as_("done"),
		)
		.where((step.parenttype == "Dangjian Project") & (step.parent.isin(names)))
		.groupby(step.parent)
		.run(as_dict=True)
	)
	return {row.parent: (cint(row.done), cint(row.total)) for row in rows}


def get_report_summary(data, paged: bool = False):
	return [
		{
			"value": len(data),
			"label": label("Projects on This Page" if paged else "Projects"),
			"datatype": "Int",
		},
		{
			"value": sum(1 for r in data if r.overdue),
			"label": label("With Overdue Reports"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"value": sum(1 for r in data if r.commended),
			"label": label("Commended"),
			"datatype": "Int",
			"indicator": "Green",
		},
	]
