-- Dangjian Evaluation Results (group by unit): the year's submitted evaluations per unit.
select
	u.organization_name as group_value,
	count(e.name) as evaluated,
	round(avg(e.weighted_total), 2) as average_total,
	sum(e.stars = 5) as stars_5,
	sum(e.stars = 4) as stars_4,
	sum(e.stars = 3) as stars_3,
	sum(e.stars = 2) as stars_2,
	sum(e.stars = 1) as stars_1,
	sum(e.stars >= %(qualified)s) as qualified,
	sum(e.stars >= %(commended)s) as commended,
	sum(e.stars >= %(exemplary)s) as exemplary
from `tabDangjian Evaluation` e
join `tabParty Organization` u on u.name = e.approving_organization
join `tabParty Organization` o on o.name = e.branch
where e.docstatus = 1 and e.year = %(year)s
	and (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` up
		join `tabParty Organization` a on a.name = up.for_value
		where up.user = %(user)s and up.allow = 'Party Organization'
			and o.lft >= a.lft and o.rgt <= a.rgt))
group by u.organization_name
order by u.organization_name
