"""Factories shared by the Frappe integration tests. Each is idempotent: it returns the
existing record when one with the same key exists."""

from contextlib import contextmanager

import frappe

from dangjian import scope, workflows
from dangjian.workflows import as_user  # the helpers here have no test case for set_user

TEST_DOMAIN = "djtest.invalid"


def make_user(login: str, full_name: str | None = None, roles: tuple[str, ...] = ()) -> str:
	email = login if "@" in login else f"{login}@{TEST_DOMAIN}"
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": full_name or login,
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		)
		user.insert(ignore_permissions=True)
	if roles:
		user = frappe.get_doc("User", email)
		missing = [role for role in roles if role not in {row.role for row in user.roles}]
		if missing:
			user.add_roles(*missing)
	return email


def make_org(code: str, kind: str, parent: str | None = None, name: str | None = None, **fields):
	if frappe.db.exists("Party Organization", code):
		return frappe.get_doc("Party Organization", code)
	doc = frappe.get_doc(
		{
			"doctype": "Party Organization",
			"org_code": code,
			"organization_name": name or f"{code} 组织",
			"organization_type": kind,
			"parent_party_organization": parent,
			**fields,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc


def make_tree(prefix: str = "T") -> frappe._dict:
	"""company → unit A (with general branch → branch A2, and branch A1) and unit B (branch B1)."""
	company = make_org(f"{prefix}C", "Company")
	unit_a = make_org(f"{prefix}UA", "Unit", company.name)
	unit_b = make_org(f"{prefix}UB", "Unit", company.name)
	general = make_org(f"{prefix}UA-G", "General Branch", unit_a.name)
	branch_a1 = make_org(f"{prefix}UA-B1", "Branch", unit_a.name)
	branch_a2 = make_org(f"{prefix}UA-G-B2", "Branch", general.name)
	branch_b1 = make_org(f"{prefix}UB-B1", "Branch", unit_b.name)
	return frappe._dict(
		company=company.name,
		unit_a=unit_a.name,
		unit_b=unit_b.name,
		general=general.name,
		branch_a1=branch_a1.name,
		branch_a2=branch_a2.name,
		branch_b1=branch_b1.name,
	)


def set_secretary(org: str, user: str) -> None:
	doc = frappe.get_doc("Party Organization", org)
	doc.secretary = user
	doc.save(ignore_permissions=True)


def add_member(org: str, user: str | None, duty: str = "Member", name: str | None = None) -> None:
	"""Give ``user`` a position; once (like make_user and make_org), so that a class whose data a
	scheduler test committed can set itself up again on the same site."""
	doc = frappe.get_doc("Party Organization", org)
	if user and any(row.user == user and row.duty == duty for row in doc.members):
		return
	doc.append("members", {"member_name": name or user or "成员", "user": user, "duty": duty})
	doc.save(ignore_permissions=True)


def outgoing_email_account() -> None:
	"""A default outgoing Email Account, so that Frappe queues the e-mails a test expects (it
	queues none without one); nothing is sent, the tests read the Email Queue."""
	if not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "Dangjian Test Outgoing",
				"email_id": "dangjian-test@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def api_token(user: str) -> str:
	"""An Authorization header for ``user`` with a new API secret (the REST test classes)."""
	doc = frappe.get_doc("User", user)
	secret = frappe.generate_hash(length=15)
	doc.api_key = doc.api_key or frappe.generate_hash(length=15)
	doc.api_secret = secret
	doc.save(ignore_permissions=True)
	return f"token {doc.api_key}:{secret}"


def user_permissions(user: str) -> set[str]:
	return set(
		frappe.get_all("User Permission", filters={"user": user, "allow": scope.ORG}, pluck="for_value")
	)


def project_fields(branch: str, year: int | None = None, **fields) -> dict:
	"""A complete application (Attachment 1) for a branch, for next year by default (so it
	is on time whatever today's date is)."""
	from frappe.utils import getdate, nowdate

	from dangjian import samples

	today = getdate(nowdate())
	return samples.application(branch, year or today.year + 1, today, **fields)


def make_project(branch: str, year: int | None = None, **fields):
	return frappe.get_doc(project_fields(branch, year, **fields)).insert(ignore_permissions=True)


# short names the tests use for the workflow actions (dangjian.setup.workflow has the real ones)
ACTIONS = {
	"Dangjian Project": {
		"Apply": "Submit Application",
		"Review": "Pass Review",
		"Return": "Return to Branch",
		"Approve": "Approve and File",
	},
	"Dangjian Quarterly Report": {
		"Submit": "Submit Report",
		"Review": "Mark Reviewed",
		"Return": "Return to Branch",
		"Cancel": "Cancel Report",
	},
	"Dangjian Acceptance": {
		"Apply": "Apply for Acceptance",
		"Return": "Return to Branch",
		"Pass": "Pass Acceptance",
		"Cancel": "Cancel Acceptance",
	},
}


def act(doc, action: str, user: str, **values):
	"""Save the given values as ``user`` and take a workflow action, as the desk does. The
	action may be given by its short name ("Apply") or its real one ("Submit Application")."""
	action = ACTIONS.get(doc.doctype, {}).get(action, action)
	return workflows.act(doc.doctype, doc.name, action, user, **values)


class Actors(frappe._dict):
	pass


def make_actors(prefix: str) -> Actors:
	"""A tree with a secretary for branch A1 and B1, an approver and a committee member for
	unit A and unit B."""
	tree = make_tree(prefix)
	low = prefix.lower()
	actors = Actors(tree=tree)
	actors.secretary_a = make_user(f"{low}-sec-a")
	actors.secretary_b = make_user(f"{low}-sec-b")
	actors.approver_a = make_user(f"{low}-appr-a")
	actors.approver_b = make_user(f"{low}-appr-b")
	actors.committee_a = make_user(f"{low}-comm-a")
	set_secretary(tree.branch_a1, actors.secretary_a)
	set_secretary(tree.branch_b1, actors.secretary_b)
	add_member(tree.unit_a, actors.approver_a, "Approver")
	add_member(tree.unit_b, actors.approver_b, "Approver")
	add_member(tree.unit_a, actors.committee_a, "Party Committee")
	return actors


def approved_project(actors: Actors, **fields):
	doc = make_project(actors.tree.branch_a1, **fields)
	act(doc, "Apply", actors.secretary_a)
	act(doc, "Review", actors.approver_a, review_opinion="材料齐全，同意。")
	return act(doc, "Approve", actors.committee_a, committee_opinion="同意立项。")


def plan_fields(start: str, deadline: str) -> dict:
	"""A complete implementation plan (Attachment 2) running from ``start`` to ``deadline``."""
	from frappe.utils import add_days

	return {
		"plan_goals": "全年实现安全生产零事故，党员先锋岗覆盖所有班组。",
		"plan_measures": "设立党员先锋岗；每月开展隐患排查；季度讲评。",
		"plan_approach": "支部统筹、党员示范、群众参与。",
		"plan_organisational_measures": "成立项目组，书记任组长。",
		"plan_expected_goals": "形成可推广的安全生产党建工作法。",
		"expected_effect": "隐患整改率100%。",
		"planned_input_amount": 20000,
		"planned_input_description": "培训与宣传经费",
		"completion_deadline": deadline,
		"plan_steps": [
			{
				"step_title": "设立先锋岗",
				"content": "选定岗位并挂牌",
				"owner_name": "张磊",
				"start_date": start,
				"end_date": add_days(start, 30),
			},
			{
				"step_title": "隐患排查",
				"content": "每月排查一次",
				"owner_name": "杨帆",
				"start_date": add_days(start, 31),
				"end_date": add_days(start, 200),
			},
		],
	}


def in_progress_project(actors: Actors, on: str = "2026-04-20", test_case=None, **fields):
	"""An approved project whose implementation started on ``on`` (time is frozen there)."""
	from frappe.utils import add_months, getdate

	year = getdate(on).year
	with frozen(on):
		doc = approved_project(actors, year=year, **fields)
		return act(
			doc,
			"Start Implementation",
			actors.secretary_a,
			**plan_fields(on, str(add_months(getdate(on), 12))),
		)


def frozen(when: str):
	"""Freeze time at a local date-time, as FrappeTestCase.freeze_time does."""
	import pytz
	from frappe.utils import get_datetime, get_system_timezone
	from freezegun import freeze_time

	moment = get_datetime(when)
	if not moment.microsecond:
		# a whole second prints without microseconds and then fails Frappe's
		# "modified after you opened it" string comparison on the next save
		moment = moment.replace(microsecond=1)
	timezone = pytz.timezone(get_system_timezone())
	return freeze_time(timezone.localize(moment).astimezone(pytz.utc))


def make_file(
	file_name: str = "evidence.txt", content: bytes = "会议记录".encode(), is_private: int = 0
) -> str:
	"""A real file on the site, for evidence fields; returns its URL."""
	doc = frappe.get_doc(
		{"doctype": "File", "file_name": file_name, "content": content, "is_private": is_private}
	).insert(ignore_permissions=True)
	return doc.file_url


def quarterly_report_fields(project: str, year: int, quarter: int, **fields) -> dict:
	values = {
		"doctype": "Dangjian Quarterly Report",
		"project": project,
		"year": year,
		"quarter": str(quarter),
		"percent_complete": 30,
		"progress_summary": f"{year}年第{quarter}季度：先锋岗挂牌，开展隐患排查{quarter}次，整改问题{quarter + 5}项。",
		"problems": "部分班组参与度不高。",
		"next_quarter_plan": "扩大先锋岗覆盖面。",
	}
	values.update(fields)
	return values


def acceptance_application(project: str, **fields) -> dict:
	"""The branch's part of an acceptance: summary and a self-check with every row done."""
	steps = frappe.get_all(
		"Dangjian Plan Step", filters={"parent": project}, fields=["idx", "step_title"], order_by="idx"
	)
	values = {
		"doctype": "Dangjian Acceptance",
		"project": project,
		"summary_report": "项目按方案全部完成：先锋岗覆盖全部班组，全年零事故。",
		"self_check": [
			{"plan_step": s.step_title, "step_idx": s.idx, "result": "Done", "gap_fixed": "补齐了排查台账。"}
			for s in steps
		],
	}
	values.update(fields)
	return values


ACCEPTANCE_GROUP = {
	"group_members": [
		{"member_name": "王建华", "title": "党群工作部主任", "is_leader": 1},
		{"member_name": "赵敏", "title": "党建干事", "is_leader": 0},
	],
	"method_hearing": 1,
	"hearing_notes": "听取支部书记汇报。",
	"method_materials": 1,
	"materials_notes": "查阅排查台账和会议记录。",
	"findings": "目标全部实现，资料齐全。",
	"acceptance_report": "经验收组验收，该项目达到预期目标，同意通过验收。",
}


def applied_acceptance(actors: Actors, project, **fields):
	with as_user(actors.secretary_a):
		doc = frappe.get_doc(acceptance_application(project.name, **fields)).insert()
	return act(doc, "Apply", actors.secretary_a)


def accepted_project(actors: Actors, on: str = "2026-04-20", accept_on: str = "2027-03-01", **fields):
	"""An in-progress project that passed acceptance on ``accept_on``."""
	project = in_progress_project(actors, on=on, **fields)
	with frozen(accept_on):
		acceptance = applied_acceptance(actors, project)
		act(acceptance, "Pass", actors.approver_a, **ACCEPTANCE_GROUP)
	return frappe.get_doc("Dangjian Project", project.name)


PANEL = (
	# name, category, vote, benefit, replicability
	("党员甲", "Party Member", "Satisfied", 90, 90),
	("党员乙", "Party Member", "Satisfied", 90, 90),
	("干部丙", "Cadre", "Satisfied", 90, 90),
	("群众丁", "Masses Representative", "Satisfied", 90, 90),
	("群众戊", "Masses Representative", "Basically Satisfied", 90, 90),
)


def open_evaluation(actors: Actors, project: str):
	with as_user(actors.approver_a):
		doc = frappe.get_doc({"doctype": "Dangjian Evaluation", "project": project}).insert()
	return frappe.get_doc(doc.doctype, doc.name)


def paper_ballot(actors: Actors, evaluation: str, name, category, vote, benefit, replicability, submit=True):
	with as_user(actors.approver_a):
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Evaluation Score",
				"evaluation": evaluation,
				"evaluator_name": name,
				"category": category,
				"satisfaction_vote": vote,
				"benefit_score": benefit,
				"replicability_score": replicability,
			}
		).insert()
		if submit:
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.submit()
	return doc


def evaluated_project(actors: Actors, panel=PANEL, **fields):
	"""An accepted project evaluated by a full panel of paper ballots."""
	project = accepted_project(actors, **fields)
	evaluation = open_evaluation(actors, project.name)
	for ballot in panel:
		paper_ballot(actors, evaluation.name, *ballot)
	with as_user(actors.approver_a):
		evaluation = frappe.get_doc("Dangjian Evaluation", evaluation.name)
		evaluation.submit()
	return frappe.get_doc("Dangjian Project", project.name), frappe.get_doc(
		"Dangjian Evaluation", evaluation.name
	)


@contextmanager
def count_queries():
	"""The SQL statements run inside the block, as FrappeTestCase.assertQueryCount counts them:
	measure a small case with it, then assert the larger one with ``self.assertQueryCount``."""
	queries = []
	orig_sql = frappe.db.__class__.sql

	def sql(self, *args, **kwargs):
		result = orig_sql(self, *args, **kwargs)
		queries.append(str(self.last_query))
		return result

	frappe.db.__class__.sql = sql
	try:
		yield queries
	finally:
		frappe.db.__class__.sql = orig_sql
