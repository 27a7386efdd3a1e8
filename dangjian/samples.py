"""A complete 党建+ application (Attachment 1, 申报表), written once for everything that makes one
without a person typing it: the Frappe tests, the demo, the trust suite (over HTTP) and, for its
text, the benchmark's generator. The browser test types its own on purpose: it is the person.

Frappe-free (the trust suite loads it by path on any Python); dates are ``datetime.date``, or ISO
text with ``as_text``.
"""

from __future__ import annotations

import datetime

TEXTS = {
	"innovation_goals": "以党建引领安全生产，实现全年零事故。",
	"innovation_content": "设立党员先锋岗，党员带头开展隐患排查。",
	"innovation_measures": "每月开展一次党员安全示范活动。",
	"branch_meeting_resolution": "支部会议一致同意申报本项目。",
	"branch_opinion": "同意申报。",
}


def application(branch: str, year: int, apply_on: datetime.date, as_text: bool = False, **values) -> dict:
	"""Every field a branch fills before it applies (项目名称 to 支部意见), with a team member, a
	feasibility activity ten days before ``apply_on`` and the branch meeting three days before;
	``values`` replace any of them."""
	doc = {
		"doctype": "Dangjian Project",
		"project_name": "党建+安全生产先锋岗",
		"year": year,
		"branch": branch,
		"topic_area": "Unit's Internal Development",
		"principle_centre": 1,
		"lead_title": "党支部书记",
		**{
			field: TEXTS[field] for field in ("innovation_goals", "innovation_content", "innovation_measures")
		},
		"team": [{"member_name": "张磊", "title": "主值班员", "team_role": "Member"}],
		"feasibility_activities": [
			feasibility_activity(apply_on - datetime.timedelta(days=10), 12, 8, "召开座谈会听取党员意见。")
		],
		"branch_meeting_date": apply_on - datetime.timedelta(days=3),
		"branch_meeting_attendance": 15,
		"branch_meeting_resolution": TEXTS["branch_meeting_resolution"],
		"branch_opinion": TEXTS["branch_opinion"],
	}
	doc.update(values)
	return _as_text(doc) if as_text else doc


def feasibility_activity(
	on: datetime.date, participants: int, opinions: int, summary: str, kind: str = "Symposium"
) -> dict:
	"""One row of 可行性论证 (a symposium, an opinion form …)."""
	return {
		"activity_type": kind,
		"activity_date": on,
		"participants": participants,
		"opinions_collected": opinions,
		"summary": summary,
	}


def _as_text(value):
	if isinstance(value, datetime.date):
		return value.isoformat()
	if isinstance(value, dict):
		return {key: _as_text(item) for key, item in value.items()}
	if isinstance(value, list):
		return [_as_text(item) for item in value]
	return value
