-- Dangjian Branch Assessment: per branch in scope, the year's applications, approvals, stars,
-- commendations; its projects' quarterly reports on time, late and missing (due quarters after
-- the one implementation started in, up to the last one whose due date has passed, the running
-- index last_due_index, or for a project that has left implementation the last that had ended when it left:
-- accepted on / the passed acceptance's date / the latest acceptance application); a first
-- acceptance passed; the year's submitted spot checks; and the composite:
-- 20 minimum met + 30 x share of due reports on time (1 when none was due) + 20 first acceptance
-- + 4 x best stars + 10 x spot-check share (qualified 1, basically 0.5; 1 without a check).
select
	o.name as branch,
	o.organization_name as branch_name,
	u.organization_name as unit_name,
	coalesce(b.applied, 0) as applied,
	if(coalesce(b.applied, 0) >= %(min_projects)s, 1, 0) as minimum_met,
	coalesce(b.on_time_applications, 0) as on_time_applications,
	coalesce(b.approved, 0) as approved,
	coalesce(b.reports_on_time, 0) as reports_on_time,
	coalesce(b.reports_late, 0) as reports_late,
	coalesce(b.reports_missing, 0) as reports_missing,
	coalesce(b.first_acceptance, 0) as first_acceptance,
	coalesce(b.best_stars, 0) as best_stars,
	coalesce(b.commended, 0) as commended,
	coalesce(b.top_ten, 0) as top_ten,
	coalesce(sc.qualified, 0) as spot_qualified,
	coalesce(sc.basically, 0) as spot_basically,
	coalesce(sc.unqualified, 0) as spot_unqualified,
	round(cast(
		20 * (coalesce(b.applied, 0) >= %(min_projects)s)
		+ 30 * if(coalesce(b.reports_on_time + b.reports_late + b.reports_missing, 0) > 0,
			b.reports_on_time / (b.reports_on_time + b.reports_late + b.reports_missing), 1)
		+ 20 * coalesce(b.first_acceptance, 0)
		+ 20 * coalesce(b.best_stars, 0) / 5
		+ 10 * if(coalesce(sc.checks, 0) > 0, (sc.qualified + 0.5 * sc.basically) / sc.checks, 1)
	as double), 1) as composite
from `tabParty Organization` o
left join `tabParty Organization` u on u.name = o.approving_organization
left join (
	select y.branch,
		count(*) as projects,
		sum(y.status != 'Draft') as applied,
		sum(y.status != 'Draft' and coalesce(y.is_late, 0) = 0) as on_time_applications,
		sum(y.status in ('Approved', 'In Progress', 'Acceptance Applied', 'Under Assistance', 'Adjusting', 'Accepted', 'Evaluated')) as approved,
		sum(y.reports_on_time) as reports_on_time,
		sum(y.reports_late) as reports_late,
		sum(y.reports_missing) as reports_missing,
		max(y.first_passed) as first_acceptance,
		max(coalesce(y.stars, 0)) as best_stars,
		sum(coalesce(y.commended, 0) != 0) as commended,
		sum(coalesce(y.top_ten, 0) != 0) as top_ten
	from (
		select x.name, x.branch, x.status, x.is_late, x.stars, x.commended, x.top_ten, x.first_passed,
			count(distinct if(coalesce(d.is_late, 0) = 0, d.year * 4 + d.quarter, null)) as reports_on_time,
			count(distinct if(coalesce(d.is_late, 0) != 0, d.year * 4 + d.quarter, null)) as reports_late,
			if(x.end_index is null, 0,
				greatest(0, x.end_index - x.start_index)
				- count(distinct if(d.year * 4 + d.quarter - 1 > x.start_index
					and d.year * 4 + d.quarter - 1 <= x.end_index, d.year * 4 + d.quarter, null))
			) as reports_missing
		from (
			select p.name, p.branch, p.status, p.is_late, p.stars, p.commended, p.top_ten,
				exists (select 1 from `tabDangjian Acceptance` a where a.project = p.name
					and a.attempt_no = 1 and a.status = 'Passed' and a.docstatus = 1) as first_passed,
				year(p.implementation_started_on) * 4 + quarter(p.implementation_started_on) - 1 as start_index,
				case
					when p.implementation_started_on is null then null
					when p.status in ('In Progress', 'Under Assistance', 'Adjusting') then %(last_due_index)s
					when p.status in ('Accepted', 'Evaluated') then least(%(last_due_index)s, coalesce(
						year(p.accepted_on) * 4 + quarter(p.accepted_on) - 2,
						(select year(a.concluded_on) * 4 + quarter(a.concluded_on) - 2
							from `tabDangjian Acceptance` a where a.project = p.name
								and a.status = 'Passed' and a.docstatus = 1
							order by a.attempt_no desc limit 1)))
					when p.status = 'Acceptance Applied' then least(%(last_due_index)s,
						(select year(max(a.applied_on)) * 4 + quarter(max(a.applied_on)) - 2
							from `tabDangjian Acceptance` a where a.project = p.name and a.status = 'Applied'
								and a.docstatus < 2 and a.applied_on is not null))
				end as end_index
			from `tabDangjian Project` p
			join `tabParty Organization` po on po.name = p.branch
			where p.year = %(year)s and (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` upp
		join `tabParty Organization` sap on sap.name = upp.for_value
		where upp.user = %(user)s and upp.allow = 'Party Organization'
			and po.lft >= sap.lft and po.rgt <= sap.rgt))
		) x
		left join `tabDangjian Quarterly Report` d on d.project = x.name and d.docstatus < 2
			and d.first_submitted_on is not null
		group by x.name
	) y
	group by y.branch
) b on b.branch = o.name
left join (
	select branch, count(*) as checks, sum(result = 'Qualified') as qualified,
		sum(result = 'Basically Qualified') as basically, sum(result = 'Unqualified') as unqualified
	from `tabDangjian Spot Check`
	where docstatus = 1 and year = %(year)s
	group by branch
) sc on sc.branch = o.name
where o.organization_type in ('Branch', 'General Branch')
	and o.disabled = 0
	and (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` up
		join `tabParty Organization` sa on sa.name = up.for_value
		where up.user = %(user)s and up.allow = 'Party Organization'
			and o.lft >= sa.lft and o.rgt <= sa.rgt))
order by o.lft
