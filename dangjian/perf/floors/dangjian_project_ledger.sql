-- Dangjian Project Ledger: the year's projects in scope (every year's with all_years) with plan
-- progress, its last submitted quarterly report and the number of overdue quarters.
-- last_due_index: the running index (year * 4 + quarter - 1) of the last quarter whose
-- report due date has passed.
-- Rows in the report's order (year descending, then project).
select
	p.name as project,
	p.project_name,
	p.year,
	u.organization_name as unit_name,
	p.branch_name,
	p.topic_area,
	p.lead_name,
	p.status,
	p.implementation_started_on,
	p.acceptance_result,
	p.accepted_on,
	p.stars,
	p.grade,
	p.commended,
	p.top_ten,
	if(s.total, concat(s.done, '/', s.total), '') as plan_progress,
	if(r.last_index is null, '',
		concat(r.last_index div 4, ' Q', r.last_index mod 4 + 1, ' ', lr.status)) as last_report,
	if(p.status in ('In Progress', 'Under Assistance', 'Adjusting') and p.implementation_started_on is not null,
		greatest(0, %(last_due_index)s
			- (year(p.implementation_started_on) * 4 + quarter(p.implementation_started_on) - 1))
		- coalesce((
			select count(*) from `tabDangjian Quarterly Report` d
			where d.project = p.name and d.docstatus < 2 and d.first_submitted_on is not null
				and d.year * 4 + d.quarter - 1 > year(p.implementation_started_on) * 4
					+ quarter(p.implementation_started_on) - 1
				and d.year * 4 + d.quarter - 1 <= %(last_due_index)s), 0),
		0) as overdue
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
where (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` up
		join `tabParty Organization` a on a.name = up.for_value
		where up.user = %(user)s and up.allow = 'Party Organization'
			and o.lft >= a.lft and o.rgt <= a.rgt))
	and (%(all_years)s or p.year = %(year)s)
order by p.year desc, p.name
