-- Dangjian Commendation List: the year's commended, exemplary and Top Ten projects.
-- Rows in the report's order (Top Ten first by rank, then stars, then project).
select
	p.name as project,
	p.project_name,
	u.organization_name as unit_name,
	p.branch_name,
	p.stars,
	p.commended,
	c.document_number,
	p.top_ten,
	t.rank as top_ten_rank,
	if(p.stars >= %(exemplary)s, 1, 0) as exemplary
from `tabDangjian Project` p
join `tabParty Organization` o on o.name = p.branch
left join `tabParty Organization` u on u.name = p.approving_organization
left join `tabDangjian Commendation` c on c.name = p.commendation
left join `tabDangjian Top Ten Candidate` t on t.parent = p.top_ten_selection and t.project = p.name
where p.year = %(year)s and p.status = 'Evaluated'
	and (p.commended = 1 or p.top_ten = 1 or p.stars >= %(exemplary)s)
	and (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` up
		join `tabParty Organization` a on a.name = up.for_value
		where up.user = %(user)s and up.allow = 'Party Organization'
			and o.lft >= a.lft and o.rgt <= a.rgt))
order by p.top_ten desc, t.rank, p.stars desc, p.name
