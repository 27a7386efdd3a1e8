-- Dangjian Quarterly Progress: each project in implementation in the year, and the state of
-- each quarter's report (Reviewed / Submitted / Late / Missing / Not Due / —).
-- past_due_N: whether today is past quarter N's due date (computed from the settings).
-- Rows in the report's order (branch name, then project).
select
	p.name as project,
	p.project_name,
	p.branch_name,
	p.status,
	case r.s1
		when 'L' then 'Late' when 'R' then 'Reviewed' when 'S' then 'Submitted'
		else case
			when not (%(year)s * 4 + 0 > year(p.implementation_started_on) * 4 + quarter(p.implementation_started_on) - 1
				and %(year)s * 4 + 0 <= coalesce((case when p.status in ('Acceptance Applied', 'Accepted', 'Evaluated') then
				case when p.accepted_on is not null
					then year(p.accepted_on) * 4 + quarter(p.accepted_on) - 1
					when r.last_quarter is not null then %(year)s * 4 + r.last_quarter - 1 end end), %(year)s * 4 + 3)) then '—'
			when %(past_due_1)s then 'Missing' else 'Not Due' end
	end as q1,
	case r.s2
		when 'L' then 'Late' when 'R' then 'Reviewed' when 'S' then 'Submitted'
		else case
			when not (%(year)s * 4 + 1 > year(p.implementation_started_on) * 4 + quarter(p.implementation_started_on) - 1
				and %(year)s * 4 + 1 <= coalesce((case when p.status in ('Acceptance Applied', 'Accepted', 'Evaluated') then
				case when p.accepted_on is not null
					then year(p.accepted_on) * 4 + quarter(p.accepted_on) - 1
					when r.last_quarter is not null then %(year)s * 4 + r.last_quarter - 1 end end), %(year)s * 4 + 3)) then '—'
			when %(past_due_2)s then 'Missing' else 'Not Due' end
	end as q2,
	case r.s3
		when 'L' then 'Late' when 'R' then 'Reviewed' when 'S' then 'Submitted'
		else case
			when not (%(year)s * 4 + 2 > year(p.implementation_started_on) * 4 + quarter(p.implementation_started_on) - 1
				and %(year)s * 4 + 2 <= coalesce((case when p.status in ('Acceptance Applied', 'Accepted', 'Evaluated') then
				case when p.accepted_on is not null
					then year(p.accepted_on) * 4 + quarter(p.accepted_on) - 1
					when r.last_quarter is not null then %(year)s * 4 + r.last_quarter - 1 end end), %(year)s * 4 + 3)) then '—'
			when %(past_due_3)s then 'Missing' else 'Not Due' end
	end as q3,
	case r.s4
		when 'L' then 'Late' when 'R' then 'Reviewed' when 'S' then 'Submitted'
		else case
			when not (%(year)s * 4 + 3 > year(p.implementation_started_on) * 4 + quarter(p.implementation_started_on) - 1
				and %(year)s * 4 + 3 <= coalesce((case when p.status in ('Acceptance Applied', 'Accepted', 'Evaluated') then
				case when p.accepted_on is not null
					then year(p.accepted_on) * 4 + quarter(p.accepted_on) - 1
					when r.last_quarter is not null then %(year)s * 4 + r.last_quarter - 1 end end), %(year)s * 4 + 3)) then '—'
			when %(past_due_4)s then 'Missing' else 'Not Due' end
	end as q4
from `tabDangjian Project` p
join `tabParty Organization` o on o.name = p.branch
left join (
	select project,
		max(case when quarter = '1' then case when first_submitted_on is null then 'N'
			when is_late = 1 then 'L' when docstatus = 1 then 'R' else 'S' end end) as s1,
		max(case when quarter = '2' then case when first_submitted_on is null then 'N'
			when is_late = 1 then 'L' when docstatus = 1 then 'R' else 'S' end end) as s2,
		max(case when quarter = '3' then case when first_submitted_on is null then 'N'
			when is_late = 1 then 'L' when docstatus = 1 then 'R' else 'S' end end) as s3,
		max(case when quarter = '4' then case when first_submitted_on is null then 'N'
			when is_late = 1 then 'L' when docstatus = 1 then 'R' else 'S' end end) as s4,
		max(cast(quarter as unsigned)) as last_quarter
	from `tabDangjian Quarterly Report`
	where year = %(year)s and docstatus < 2
	group by project
) r on r.project = p.name
where p.implementation_started_on is not null
	and p.implementation_started_on < makedate(%(year)s + 1, 1)
	and p.status in ('In Progress', 'Under Assistance', 'Adjusting',
		'Acceptance Applied', 'Accepted', 'Evaluated')
	and not (p.status in ('Acceptance Applied', 'Accepted', 'Evaluated') and r.project is null
		and (p.accepted_on is null or year(p.accepted_on) < %(year)s))
	and (%(unrestricted)s or exists (
		select 1 from `tabUser Permission` up
		join `tabParty Organization` a on a.name = up.for_value
		where up.user = %(user)s and up.allow = 'Party Organization'
			and o.lft >= a.lft and o.rgt <= a.rgt))
order by p.branch_name, p.name
