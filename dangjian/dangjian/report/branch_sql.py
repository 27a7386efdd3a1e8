# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The rows the two per-branch reports (申报情况 and 支部考核) start from: the branches and general
branches in the user's scope, enabled, in tree order (alias ``o``), each with its year's submitted
spot checks counted by result (alias ``sc``: ``checks`` and one count per result, ``result_0`` …
in the order of the results' options)."""

from dangjian import rules
from dangjian.dangjian.doctype.dangjian_spot_check.dangjian_spot_check import RESULTS

BRANCH_TYPES = (rules.BRANCH, rules.GENERAL_BRANCH)
# the column of each spot-check result in ``sc``
RESULT_KEYS = {result: f"result_{i}" for i, result in enumerate(RESULTS)}

BRANCHES_WITH_SPOT_CHECKS = """left join (
	select branch, count(*) as checks, {counts}
	from `tabDangjian Spot Check`
	where docstatus = 1 and year = %(year)s
	group by branch
) sc on sc.branch = o.name
where o.organization_type in %(branch_types)s
	and o.disabled = 0
	and {conditions}
order by o.lft"""


def branches_with_spot_checks(conditions: str) -> str:
	"""The statement's tail from the spot checks' join: ``conditions`` on ``o`` (scope, unit …)."""
	return BRANCHES_WITH_SPOT_CHECKS.format(
		counts=", ".join(f"sum(result = %({key})s) as {key}" for key in RESULT_KEYS.values()),
		conditions=conditions,
	)


def params() -> dict:
	"""The tail's parameters besides ``year``."""
	return {"branch_types": BRANCH_TYPES, **{key: result for result, key in RESULT_KEYS.items()}}
