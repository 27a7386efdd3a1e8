-- Dangjian Application Compliance: per branch, the year's applications and spot checks.
-- Scope: the user's User Permissions on Party Organization and everything below them.
select
	o.name as branch,
	o.organization_name as branch_name,
	o.approving_organization as unit,
	u.organization_name as unit_name,
	o.secretary,
	usr.full_name as secretary_name,
	coalesce(pc.applied, 0) as applied,
	coalesce(pc.applied, 0) - coalesce(pc.late, 0) as on_time,
	coalesce(pc.late, 0) as late,
	coalesce(pc.approved, 0) as approved,
	if(coalesce(pc.applied, 0) >= %(min_projects)s, 1, 0) as minimum_met,
	coalesce(sc.checks, 0) as spot_checks,
	coalesce(sc.results, '') as spot_check_results
from `tabParty Organization` o
left join `tabParty Organization` u on u.name = o.approving_organization
left join `tabUser` usr on usr.name = o.secretary
left join (
	select branch, count(*) as applied, sum(is_late = 1) as late,
		sum(status in ('Approved', 'In Progress', 'Acceptance Applied', 'Under Assistance',
			'Adjusting', 'Accepted', 'Evaluated')) as approved
	from `tabDangjian Project`
	where year = %(year)s and status != 'Draft'
	group by branch
) pc on pc.branch = o.name
left join (
	select branch, sum(n) as checks,
		group_concat(concat(result, ' ', n)
			order by field(result, 'Qualified', 'Basically Qualified', 'Unqualified') separator ', ') as results
	from (
		select branch, result, count(*) as n
		from `tabDangjian Spot Check`
		where docstatus = 1 and year = %(year)s
		group by branch, result
	) r
	group by branch
) sc on sc.branch = o.name
where o.organization_type in ('Branch', 'General Branch')
	and o.disabled = 0
	and (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` up
		join `tabParty Organization` a on a.name = up.for_value
		where up.user = %(user)s and up.allow = 'Party Organization'
			and o.lft >= a.lft and o.rgt <= a.rgt))
order by o.lft
