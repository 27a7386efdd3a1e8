"""The suite's own users and records on the trust site, created over the REST API and removed
afterwards, so the suite can run again."""

import datetime
import json
import zoneinfo

from client import PASSWORD, Client


def _load_samples():
	"""dangjian/samples.py by path: the suite runs on any Python, without the app's package."""
	import importlib.util
	import os

	path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dangjian", "samples.py")
	spec = importlib.util.spec_from_file_location("dangjian_samples", path)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


samples = _load_samples()

DOMAIN = "dangjian.test"
NO_ROLE = "trust.norole@dangjian.test"
NO_SCOPE = "trust.noscope@dangjian.test"
FIXTURE_PREFIX = "TRUST fixture"

SUBJECTS = {
	"secretary": f"secretary1@{DOMAIN}",
	"member": f"member1@{DOMAIN}",
	"approver": f"approver1@{DOMAIN}",
	"committee": f"committee1@{DOMAIN}",
	"evaluator": f"evaluator1@{DOMAIN}",
	"administrator": f"admin@{DOMAIN}",
	"no_role": NO_ROLE,
	"no_scope": NO_SCOPE,
	"other_secretary": f"secretary5@{DOMAIN}",
	"other_approver": f"approver2@{DOMAIN}",
}

BRANCH = "U01-B01"
UNIT = "U01"


def ensure_users(admin: Client) -> None:
	ensure_user(admin, NO_ROLE, user_type="Website User")
	ensure_user(admin, NO_SCOPE, roles=("Dangjian Branch Secretary",))


def ensure_user(admin: Client, email: str, roles=(), user_type: str = "System User") -> None:
	"""A user of the suite with the suite's password, created when missing."""
	if admin.doc("User", email).ok:
		return
	r = admin.insert(
		{
			"doctype": "User",
			"email": email,
			"first_name": email.split("@")[0],
			"send_welcome_email": 0,
			"user_type": user_type,
			"new_password": PASSWORD,
			"roles": [{"role": role} for role in roles],
		}
	)
	if not r.ok:
		raise RuntimeError(f"cannot create {email}: {r.errors()[:500]}")


def first(admin: Client, doctype, filters, order_by="name asc") -> str:
	r = admin.get(
		f"/api/resource/{doctype}",
		filters=json.dumps(filters),
		limit_page_length=1,
		order_by=order_by,
	)
	if not r.ok or not r.data:
		raise RuntimeError(f"the demo has no {doctype} with {filters}: run bench --site SITE dangjian-demo")
	return r.data[0]["name"]


def demo_targets(admin: Client) -> dict[str, tuple[str, str]]:
	"""The demo records the matrix checks, all of branch U01-B01 / unit U01 unless named."""
	project = first(admin, "Dangjian Project", [["branch", "=", BRANCH], ["status", "=", "In Progress"]])
	evaluated = first(admin, "Dangjian Project", [["branch", "=", BRANCH], ["status", "=", "Evaluated"]])
	evaluation = first(admin, "Dangjian Evaluation", [["project", "=", evaluated], ["docstatus", "=", 1]])
	return {
		"org:branch": ("Party Organization", BRANCH),
		"settings": ("Dangjian Settings", "Dangjian Settings"),
		"project:in_progress": ("Dangjian Project", project),
		"project:evaluated": ("Dangjian Project", evaluated),
		"project:adjusting": (
			"Dangjian Project",
			first(admin, "Dangjian Project", [["branch", "=", BRANCH], ["status", "=", "Adjusting"]]),
		),
		"qr:reviewed": (
			"Dangjian Quarterly Report",
			first(admin, "Dangjian Quarterly Report", [["branch", "=", BRANCH], ["docstatus", "=", 1]]),
		),
		"acceptance:passed": (
			"Dangjian Acceptance",
			first(admin, "Dangjian Acceptance", [["project", "=", evaluated], ["status", "=", "Passed"]]),
		),
		"acceptance:applied_u02": (
			"Dangjian Acceptance",
			first(admin, "Dangjian Acceptance", [["status", "=", "Applied"], ["docstatus", "=", 0]]),
		),
		"evaluation": ("Dangjian Evaluation", evaluation),
		"score": (
			"Dangjian Evaluation Score",
			first(admin, "Dangjian Evaluation Score", [["evaluation", "=", evaluation]]),
		),
		"spot_check": ("Dangjian Spot Check", first(admin, "Dangjian Spot Check", [["branch", "=", BRANCH]])),
		"commendation": (
			"Dangjian Commendation",
			first(admin, "Dangjian Commendation", [["unit", "=", UNIT], ["docstatus", "=", 1]]),
		),
		"top_ten": ("Dangjian Top Ten Selection", first(admin, "Dangjian Top Ten Selection", [])),
		"exchange": (
			"Dangjian Exchange Activity",
			first(admin, "Dangjian Exchange Activity", [["organizer", "=", UNIT]]),
		),
		# the company's call for applications of this year, and secretary2's (U01-B02) reading of it
		"notice": (
			"Dangjian Notice",
			first(admin, "Dangjian Notice", [["organization", "=", "C01"], ["docstatus", "=", 1]]),
		),
		"notice_read": (
			"Dangjian Notice Read",
			first(admin, "Dangjian Notice Read", [["user", "=", f"secretary2@{DOMAIN}"]]),
		),
		# the phone ballot the demo issued on the evaluated project's evaluation (never used)
		"ballot": ("Dangjian Ballot", first(admin, "Dangjian Ballot", [["evaluation", "=", evaluation]])),
	}


def ledger_import_targets(admin: Client) -> dict[str, tuple[str, str]]:
	"""Two draft ledger imports (历史台账导入) with no workbook, one for unit U01 and one for the
	company C01: the matrix's targets for who reads, changes and runs an import's steps. Made by
	the Administrator when missing and kept (a draft's steps refuse without a workbook, so the
	probes leave them as they are)."""
	out = {}
	for key, organization in (("ledger_import:unit", UNIT), ("ledger_import:company", "C01")):
		filters = [
			["organization", "=", organization],
			["status", "=", "Draft"],
			["owner", "=", "Administrator"],
		]
		r = admin.list("Dangjian Ledger Import", filters, fields=["name"], limit=1)
		if r.ok and r.data:
			out[key] = ("Dangjian Ledger Import", r.data[0]["name"])
			continue
		r = admin.insert({"doctype": "Dangjian Ledger Import", "organization": organization})
		if not r.ok:
			raise RuntimeError(f"cannot make a ledger import for {organization}: {r.errors()[:500]}")
		out[key] = ("Dangjian Ledger Import", r.data["name"])
	return out


_time_zone = None


def use_site_clock(admin: Client) -> None:
	"""Dates as the site counts them: near midnight this machine's day (UTC here) and the site's
	(Asia/Shanghai by default) differ, and a plan starting "yesterday" would be refused."""
	global _time_zone
	r = admin.method("frappe.client.get_single_value", doctype="System Settings", field="time_zone")
	if not r.ok or not r.message:
		raise RuntimeError(f"cannot read the site's time zone: {r.errors()[:300]}")
	_time_zone = zoneinfo.ZoneInfo(r.message)


def today() -> datetime.date:
	if _time_zone is None:
		raise RuntimeError("fixtures.use_site_clock(admin) first: dates are the site's")
	return datetime.datetime.now(_time_zone).date()


def project_payload(title: str, year: int) -> dict:
	day = today()
	return samples.application(
		BRANCH,
		year,
		day - datetime.timedelta(days=2),
		as_text=True,
		project_name=title,
		topic_area="Grassroots Organization Building",
		principle_basics=1,
		innovation_goals="信任测试：形成可复制的工作方法。",
		innovation_content="信任测试的项目内容。",
		innovation_measures="一、成立项目组；二、每月推进；三、每季度报告。",
		team=[{"member_name": "张磊", "title": "党员", "team_role": "Member", "responsibility": "具体实施"}],
		feasibility_activities=[
			samples.feasibility_activity(day - datetime.timedelta(days=20), 10, 5, "座谈会。")
		],
		branch_meeting_attendance=12,
		branch_meeting_resolution="同意申报。",
		paper_copies_received=1,
		signed_and_stamped=1,
		email_received_on=day,
	)


def plan_values() -> dict:
	start = today()
	deadline = start + datetime.timedelta(days=300)
	return {
		"plan_goals": "目标要求。",
		"plan_measures": "主要措施。",
		"plan_approach": "推进方式。",
		"plan_organisational_measures": "组织措施。",
		"plan_expected_goals": "预期目标。",
		"expected_effect": "效果预测。",
		"planned_input_amount": 1000,
		"planned_input_description": "活动经费",
		"completion_deadline": str(deadline),
		"plan_steps": [
			{
				"step_title": "动员部署",
				"content": "动员会",
				"owner_name": "支部书记",
				"start_date": str(start),
				"end_date": str(start + datetime.timedelta(days=30)),
			},
			{
				"step_title": "全面实施",
				"content": "推进",
				"owner_name": "项目组",
				"start_date": str(start + datetime.timedelta(days=31)),
				"end_date": str(deadline),
			},
		],
	}


def current_quarter() -> tuple[int, int]:
	day = today()
	return day.year, (day.month - 1) // 3 + 1


def cleanup(admin: Client) -> None:
	"""Remove what an earlier run of the suite left (an interrupted run included)."""
	projects = admin.list("Dangjian Project", [["project_name", "like", f"{FIXTURE_PREFIX}%"]]).data or []
	for p in projects:
		name = p["name"]
		for dt in ("Dangjian Evaluation Score", "Dangjian Quarterly Report", "Dangjian Acceptance"):
			field = "project"
			for row in admin.list(dt, [[field, "=", name]], fields=["name", "docstatus"]).data or []:
				if row["docstatus"] == 1:
					admin.method("frappe.client.cancel", doctype=dt, name=row["name"])
		for dt in ("Dangjian Quarterly Report", "Dangjian Acceptance"):
			rows = admin.list(dt, [["project", "=", name]], fields=["name", "amended_from"]).data or []
			# amendments first
			for row in sorted(rows, key=lambda r: not r.get("amended_from")):
				admin.remove(dt, row["name"])
		admin.remove("Dangjian Project", name)
	rows = (
		admin.list(
			"Dangjian Quarterly Report",
			[["progress_summary", "like", f"{FIXTURE_PREFIX}%"]],
			fields=["name", "docstatus", "amended_from"],
		).data
		or []
	)
	for row in rows:
		if row["docstatus"] == 1:
			admin.method("frappe.client.cancel", doctype="Dangjian Quarterly Report", name=row["name"])
	for row in sorted(rows, key=lambda r: not r.get("amended_from")):
		admin.remove("Dangjian Quarterly Report", row["name"])
	for row in admin.list("Party Organization", [["org_code", "like", "TRUST%"]]).data or []:
		admin.remove("Party Organization", row["name"])
