"""The demo's projects: every stage of the scheme, walked through the app's own workflows as
the demo users, at the dates they would have happened (Frappe's clock is set back for each
step, by the app's own ``at``: no development package is needed).

Each project is looked up by its branch and name first, so running the demo again adds
nothing."""

import contextlib
import datetime

import frappe
from frappe.utils import add_days, add_months, get_datetime, getdate

from dangjian import samples, workflows
from dangjian.demo.people import email

TOPICS = {
	"organization": "Grassroots Organization Building",
	"development": "Unit's Internal Development",
	"care": "Party Care Mechanism",
	"education": "Member Education, Management and Service",
	"activities": "New Vehicles for Party Activities",
}

# branch -> (secretary login, approver login, committee login)
ACTORS = {
	"U01-B01": ("secretary1", "approver1", "committee1"),
	"U01-B02": ("secretary2", "approver1", "committee1"),
	"U01-G01-B01": ("secretary3", "approver1", "committee1"),
	"U01-G01-B02": ("secretary4", "approver1", "committee1"),
	"U02-B01": ("secretary5", "approver2", "committee2"),
	"U02-B02": ("secretary6", "approver2", "committee2"),
	"U02-B03": ("secretary7", "approver2", "committee2"),
}

# (branch, year, name, topic, goal, target stage, extra)
PROJECTS = (
	# 2025: the whole cycle, one project for each star level
	(
		"U01-B01",
		2025,
		"党员先锋岗护航安全生产",
		"development",
		"以党员先锋岗带动全值安全生产零事故",
		"evaluated",
		{"benefit": 90},
	),
	(
		"U01-B02",
		2025,
		"“党建+检修”攻坚突击队",
		"development",
		"党员突击队承担重大检修攻坚任务",
		"evaluated",
		{"benefit": 70},
	),
	(
		"U01-G01-B01",
		2025,
		"机关党员进班组服务一线",
		"education",
		"机关党员定期下沉班组解决实际问题",
		"evaluated",
		{"benefit": 55},
	),
	(
		"U02-B01",
		2025,
		"项目部“红色工地”建设",
		"activities",
		"以党建品牌提升工地文明施工水平",
		"evaluated",
		{"benefit": 35},
	),
	(
		"U02-B02",
		2025,
		"党员责任区划分",
		"organization",
		"按工区划分党员责任区",
		"evaluated",
		{"benefit": 60, "unsatisfied": True},
	),
	("U01-G01-B02", 2025, "困难党员帮扶关爱行动", "care", "建立困难党员档案和结对帮扶机制", "accepted", {}),
	(
		"U02-B03",
		2025,
		"物资管理廉洁风险防控",
		"development",
		"党建引领物资采购廉洁风险防控",
		"assistance",
		{},
	),
	("U01-B01", 2025, "党员积分制管理", "education", "以积分量化党员日常表现", "adjusting", {}),
	(
		"U02-B01",
		2025,
		"青年党员技能比武",
		"education",
		"以技能比武带动青年党员成长",
		"acceptance_applied",
		{},
	),
	# 2026: the current year, every stage before acceptance
	("U01-B01", 2026, "“零违章”党员示范值", "development", "运行一值全年零违章", "in_progress_on_time", {}),
	("U01-B02", 2026, "检修质量党员承诺制", "development", "党员公开承诺检修质量", "in_progress_late", {}),
	(
		"U01-G01-B01",
		2026,
		"机关作风建设“三问”活动",
		"organization",
		"问需于基层、问计于群众、问效于服务",
		"in_progress_missing",
		{},
	),
	("U01-B02", 2026, "设备主人党员认领", "development", "党员认领关键设备", "approved", {}),
	("U01-G01-B02", 2026, "党员志愿服务队", "activities", "组建党员志愿服务队服务社区", "applied_late", {}),
	("U02-B01", 2026, "智慧党建工地", "activities", "用信息化手段推进工地党建", "reviewed", {}),
	("U02-B02", 2026, "党员安全积分", "education", "以积分促进安全行为", "returned", {}),
	("U02-B03", 2026, "供应链党建联建", "organization", "与供应商党组织联建共建", "draft", {}),
)


@contextlib.contextmanager
def at(when: str):
	"""Run one step of the story at a past local date and hour. Frappe's clock is
	``frappe.utils.data.now_datetime`` (``now()``, ``nowdate()`` and ``today()`` read it): for the
	step it reads ``when``, advancing with the real clock so that the step's writes keep their
	order. Every Frappe or app module that imported the function by name is pointed at the step's
	clock and restored afterwards."""
	import sys

	import frappe.utils.data

	real = frappe.utils.data.now_datetime
	moment = get_datetime(when)
	started = real()

	def clock():
		return moment + (real() - started)

	holders = [
		module
		for name, module in list(sys.modules.items())
		if module is not None
		and name.split(".")[0] in ("frappe", "dangjian")
		and getattr(module, "now_datetime", None) is real
	]
	for module in holders:
		module.now_datetime = clock
	try:
		yield
	finally:
		for module in holders:
			module.now_datetime = real


def as_user(login: str):
	return workflows.as_user(email(login))


def act(doctype: str, name: str, action: str, login: str, **values):
	workflows.act(doctype, name, action, email(login), **values)


def make_projects(commit: bool = False) -> int:
	"""Build the demo's projects; returns how many were made this time. With ``commit`` each
	project is committed as it is made (see ``demo.make_demo``)."""
	made = 0
	for branch, year, name, topic, goal, stage, extra in PROJECTS:
		if frappe.db.exists("Dangjian Project", {"branch": branch, "project_name": name}):
			continue
		make_project(branch, year, name, TOPICS[topic], goal, stage, extra)
		made += 1
		if commit:
			frappe.db.commit()
	if made:
		make_spot_checks()
		make_exchange_activity()
	make_incentives()
	make_notice()
	return made


def day(year: int, month: int, date: int, hour: int = 10) -> str:
	return f"{year}-{month:02d}-{date:02d} {hour:02d}:00:00"


def make_project(branch, year, name, topic, goal, stage, extra):
	secretary, approver, committee = ACTORS[branch]
	late = stage == "applied_late"
	apply_on = day(year, 5, 8) if late else day(year, 4, 12)
	with at(add_days(apply_on, -4)), as_user(secretary):
		doc = frappe.get_doc(application(branch, year, name, topic, goal, getdate(apply_on))).insert()
	project = doc.name
	if stage == "draft":
		return
	with at(apply_on):
		act("Dangjian Project", project, "Submit Application", secretary)
	if stage == "applied_late":
		return
	with at(add_days(apply_on, 5)):
		if stage == "returned":
			act(
				"Dangjian Project",
				project,
				"Return to Branch",
				approver,
				return_reason="创新措施不够具体，请细化到每月的工作安排后重新申报。",
			)
			return
		act(
			"Dangjian Project",
			project,
			"Pass Review",
			approver,
			review_opinion="立项依据充分，措施可行，同意报党委审定。",
		)
	if stage == "reviewed":
		return
	approved_on = add_days(apply_on, 10)
	with at(approved_on):
		act(
			"Dangjian Project",
			project,
			"Approve and File",
			committee,
			committee_opinion="同意立项，列入本年度党建+项目库。",
		)
	if stage == "approved":
		return
	start = getdate(add_days(approved_on, 8))
	with at(str(start) + " 09:00:00"):
		act("Dangjian Project", project, "Start Implementation", secretary, **plan(start, goal))
	# the 2025 projects report on 2025 Q3 and Q4, then apply for acceptance in March 2026
	quarters = [(year, 3), (year, 4)] if year < 2026 else [(year, 3)]
	for index, (q_year, quarter) in enumerate(quarters):
		if stage == "in_progress_missing":
			break
		quarterly_report(
			project,
			secretary,
			approver,
			q_year,
			quarter,
			late=stage == "in_progress_late" or (index == 1 and extra.get("unsatisfied")),
		)
	if stage.startswith("in_progress"):
		return
	acceptance(project, secretary, approver, stage, extra)


def application(branch, year, name, topic, goal, apply_on) -> dict:
	members = frappe.get_all(
		"Party Organization Member",
		filters={"parent": branch, "duty": "Member"},
		fields=["member_name", "title"],
		limit=3,
	) or [frappe._dict(member_name="王强", title="党员")]
	return samples.application(
		branch,
		year,
		apply_on,
		project_name=name,
		topic_area=topic,
		principle_basics=1,
		principle_innovation=topic in (TOPICS["activities"], TOPICS["development"]),
		innovation_goals=goal + "，形成可复制的工作方法。",
		innovation_content=f"围绕“{name}”，把党建工作与中心工作同谋划、同部署、同考核。",
		innovation_measures="一、成立项目组，明确目标责任；二、每月召开推进会；三、每季度向党群工作部报告进展。",
		team=[
			{
				"member_name": m.member_name,
				"title": m.title or "党员",
				"team_role": "Member",
				"responsibility": "具体实施",
			}
			for m in members
		],
		feasibility_activities=[
			samples.feasibility_activity(
				add_days(apply_on, -15), 14, 9, "召开党员和群众代表座谈会，收集意见9条。"
			),
			samples.feasibility_activity(
				add_days(apply_on, -12), 30, 21, "发放征集意见表30份，收回28份。", kind="Opinion Form"
			),
		],
		branch_meeting_date=add_days(apply_on, -5),
		branch_meeting_attendance=16,
		branch_meeting_resolution="支部委员会研究，一致同意申报本项目。",
		branch_opinion="同意申报，支部全力保障实施。",
		paper_copies_received=1,
		signed_and_stamped=1,
		email_received_on=apply_on,
	)


def plan(start: datetime.date, goal: str) -> dict:
	deadline = add_months(start, 10)
	return {
		"plan_goals": goal + "；全体党员参与率100%。",
		"plan_measures": "建立项目台账；党员分组包干；每月讲评；季度总结。",
		"plan_approach": "支部统筹、党员带头、群众参与、部门支持。",
		"plan_organisational_measures": "成立以支部书记为组长的项目组，实行目标责任制。",
		"plan_expected_goals": "形成一套可推广的工作机制，群众满意率90%以上。",
		"expected_effect": "中心工作指标明显提升。",
		"planned_input_amount": 30000,
		"planned_input_description": "活动经费、培训及宣传材料",
		"completion_deadline": deadline,
		"plan_steps": [
			{
				"step_title": "动员部署",
				"content": "召开动员会，明确分工",
				"owner_name": "支部书记",
				"start_date": start,
				"end_date": add_days(start, 30),
			},
			{
				"step_title": "全面实施",
				"content": "按方案推进各项措施",
				"owner_name": "项目组",
				"start_date": add_days(start, 31),
				"end_date": add_days(start, 240),
			},
			{
				"step_title": "总结提升",
				"content": "总结经验，形成制度",
				"owner_name": "支部书记",
				"start_date": add_days(start, 241),
				"end_date": deadline,
			},
		],
	}


def quarterly_report(project, secretary, approver, year, quarter, late=False):
	from dangjian import rules

	due = rules.quarterly_report_due_date(year, quarter, 10)
	submit_on = add_days(due, 5) if late else add_days(due, -3)
	with at(str(submit_on) + " 09:00:00"), as_user(secretary):
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Quarterly Report",
				"project": project,
				"year": year,
				"quarter": str(quarter),
				"percent_complete": min(100, 35 * (quarter if year < 2026 else 1)),
				"progress_summary": f"{year}年第{quarter}季度：按计划推进，组织专题活动{quarter + 1}次，党员参与{20 + quarter * 3}人次。",
				"problems": "个别党员参与不够主动。" if quarter % 2 else "活动形式有待丰富。",
				"next_quarter_plan": "加强督促检查，开展经验交流。",
			}
		).insert()
		steps = frappe.get_doc(doc.doctype, doc.name).steps
		rows = [row.as_dict() for row in steps]
		for row in rows[:1]:
			row["step_status"] = "Done"
			row["note"] = "已完成动员部署，会议纪要已上传。"
		for row in rows[1:2]:
			row["step_status"] = "In Progress"
		evidence = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{doc.name}-会议纪要.txt",
				"content": "会议纪要".encode(),
				"is_private": 1,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
			}
		).insert(ignore_permissions=True)
		rows[0]["evidence"] = evidence.file_url
	with at(str(submit_on) + " 09:30:00"):
		act("Dangjian Quarterly Report", doc.name, "Submit Report", secretary, steps=rows)
	with at(str(add_days(submit_on, 4)) + " 15:00:00"):
		act(
			"Dangjian Quarterly Report",
			doc.name,
			"Mark Reviewed",
			approver,
			supervision_comment="进展符合方案要求，请继续做好台账记录。",
		)


def acceptance(project, secretary, approver, stage, extra):
	apply_on = day(2026, 3, 16)
	with at(apply_on), as_user(secretary):
		steps = frappe.get_all(
			"Dangjian Plan Step", filters={"parent": project}, fields=["idx", "step_title"], order_by="idx"
		)
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Acceptance",
				"project": project,
				"summary_report": "项目按实施方案完成全部步骤，形成了可推广的工作机制，群众反映良好。",
				"self_check": [
					{
						"plan_step": s.step_title,
						"step_idx": s.idx,
						"result": "Done",
						"gap_fixed": "补充完善了活动台账。",
					}
					for s in steps
				],
			}
		).insert()
	with at(add_days(apply_on, 0)):
		act("Dangjian Acceptance", doc.name, "Apply for Acceptance", secretary)
	if stage == "acceptance_applied":
		return
	group = {
		"group_members": [
			{
				"member_name": "王建华" if approver == "approver1" else "李红梅",
				"title": "党群工作部主任",
				"is_leader": 1,
			},
			{"member_name": "周涛", "title": "党建干事", "is_leader": 0},
			{"member_name": "刘洋", "title": "职工代表", "is_leader": 0},
		],
		"method_hearing": 1,
		"hearing_notes": "听取支部书记专题汇报。",
		"method_visit": 1,
		"visit_notes": "走访党员群众12人。",
		"method_materials": 1,
		"materials_notes": "查阅项目台账、季度报告和会议记录。",
		"findings": "项目目标基本实现，资料完整。",
		"acceptance_report": "经验收组验收，该项目完成了实施方案确定的目标。",
	}
	conclude_on = add_days(apply_on, 7)
	with at(conclude_on):
		if stage == "assistance":
			act(
				"Dangjian Acceptance",
				doc.name,
				"Assign Assistance",
				approver,
				assisting_party="党群工作部",
				assistance_measures="党群工作部每月到支部指导，帮助完善台账。",
				reacceptance_date="2026-12-31",
				**group,
			)
			return
		if stage == "adjusting":
			act(
				"Dangjian Acceptance",
				doc.name,
				"Require Adjustment",
				approver,
				adjustment_notes="积分标准脱离实际，请重新论证后调整方案。",
				**group,
			)
			return
		act("Dangjian Acceptance", doc.name, "Pass Acceptance", approver, **group)
	if stage == "evaluated":
		evaluate(project, approver, extra)


def evaluate(project, approver, extra):
	benefit = extra.get("benefit", 80)
	vote = "Unsatisfied" if extra.get("unsatisfied") else "Satisfied"
	panel = (
		("党员 张伟", "Party Member"),
		("党员 李娜", "Party Member"),
		("干部 王磊", "Cadre"),
		("群众代表 赵丽", "Masses Representative"),
		("群众代表 孙强", "Masses Representative"),
		("群众代表 陈静", "Masses Representative"),
	)
	with at(day(2026, 4, 8)), as_user(approver):
		evaluation = frappe.get_doc({"doctype": "Dangjian Evaluation", "project": project}).insert()
		# a phone ballot handed out and never used (dangjian.ballots): it expired with the evaluation
		from dangjian.ballots import issue_ballots

		issue_ballots(evaluation.name, "Masses Representative", count=1)
		for name, category in panel:
			score = frappe.get_doc(
				{
					"doctype": "Dangjian Evaluation Score",
					"evaluation": evaluation.name,
					"evaluator_name": name,
					"category": category,
					"satisfaction_vote": vote,
					"benefit_score": benefit,
					"replicability_score": benefit,
					"comment": "纸质评分表录入",
				}
			).insert()
			frappe.get_doc(score.doctype, score.name).submit()
		frappe.get_doc("Dangjian Evaluation", evaluation.name).submit()


def make_spot_checks():
	if not frappe.db.exists("DocType", "Dangjian Spot Check"):
		return
	for branch, result in (("U01-B01", "Qualified"), ("U01-G01-B01", "Basically Qualified")):
		project = frappe.db.get_value(
			"Dangjian Project", {"branch": branch, "year": 2026, "status": ("!=", "Draft")}
		)
		if not project or frappe.db.exists("Dangjian Spot Check", {"project": project}):
			continue
		with at(day(2026, 5, 20)), as_user("approver1"):
			doc = frappe.get_doc(
				{
					"doctype": "Dangjian Spot Check",
					"approving_organization": "U01",
					"year": 2026,
					"branch": branch,
					"project": project,
					"items_checked": "申报表签章、支部会议记录、征集意见表",
					"findings": "材料齐全。" if result == "Qualified" else "征集意见表缺少汇总分析。",
					"result": result,
				}
			).insert()
			frappe.get_doc(doc.doctype, doc.name).submit()


def make_exchange_activity():
	if frappe.db.exists("Dangjian Exchange Activity", {"title": "党建+项目现场观摩会"}):
		return
	projects = frappe.get_all(
		"Dangjian Project",
		filters={"approving_organization": "U01", "year": 2026, "status": "In Progress"},
		pluck="name",
	)
	with at(day(2026, 9, 18)), as_user("approver1"):
		frappe.get_doc(
			{
				"doctype": "Dangjian Exchange Activity",
				"title": "党建+项目现场观摩会",
				"activity_type": "On-site Observation",
				"activity_date": "2026-09-18",
				"organizer": "U01",
				"location": "运行一值集控室",
				"participant_count": 45,
				"participants": "各支部书记、党群工作部全体人员",
				"summary": "观摩“零违章”党员示范值，交流推进经验。",
				"projects": [{"project": name} for name in projects],
			}
		).insert()


def make_incentives():
	"""The 2025 commendation of unit U01 and the company's 2025 Top Ten."""
	from dangjian.dangjian.doctype.dangjian_commendation.dangjian_commendation import get_projects
	from dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection import get_candidates

	if not frappe.db.exists("Dangjian Commendation", {"unit": "U01", "year": 2025}):
		with at(day(2026, 5, 12)), as_user("committee1"):
			projects = get_projects("U01", 2025)
			if projects:
				doc = frappe.get_doc(
					{
						"doctype": "Dangjian Commendation",
						"title": "关于表彰2025年度优秀党建+项目的决定",
						"unit": "U01",
						"year": 2025,
						"document_number": "一发党委〔2026〕15号",
						"document_date": "2026-05-12",
						"projects": [{"project": row["project"]} for row in projects],
					}
				).insert()
				frappe.get_doc(doc.doctype, doc.name).submit()
	if not frappe.db.exists("Dangjian Top Ten Selection", {"company": "C01", "year": 2025}):
		with at(day(2026, 6, 20)), as_user("admin"):
			candidates = get_candidates("C01", 2025)
			if not candidates:
				return
			judges = ("admin", "approver1", "approver2")
			scores = []
			for index, candidate in enumerate(candidates):
				for offset, judge in enumerate(judges):
					base = 95 - 4 * index - offset
					scores.append(
						{
							"judge": email(judge),
							"project": candidate["project"],
							**{
								f"score_{c}": base
								for c in ("concept", "implementation", "materials", "report", "presentation")
							},
						}
					)
			doc = frappe.get_doc(
				{
					"doctype": "Dangjian Top Ten Selection",
					"company": "C01",
					"year": 2025,
					"candidates": candidates,
					"scores": scores,
				}
			).insert()
			frappe.get_doc(doc.doctype, doc.name).submit()


NOTICE_TITLE = "关于开展{0}年度“党建+”项目申报工作的通知"
NOTICE_TEXT = """<p>各单位党委、各基层党支部：</p>
<p>为深入推进“党建+”工程，现将{0}年度“党建+”项目申报工作通知如下：</p>
<ol>
<li>各党支部围绕本单位安全生产、经营管理、改革发展等中心工作，确定1个“党建+”项目。</li>
<li>项目经支委会研究、征求党员群众意见后，填写《基层党建创新课题项目申报表》，在系统中提交申报。</li>
<li>申报截止日期为{1}，逾期申报须说明理由。</li>
</ol>
<p>附件：基层党建创新课题项目申报表（样表）</p>"""


def make_notice():
	"""The company's call for applications of this year, published by its administrator; one
	secretary (of 运行二值, U01-B02) has read it, the others have not (secretary1 reads it in the
	browser test)."""
	from dangjian.dangjian.doctype.dangjian_notice.dangjian_notice import mark_read

	year = getdate().year
	title = NOTICE_TITLE.format(year)
	if frappe.db.exists("Dangjian Notice", {"title": title}):
		return
	published = day(year, 1, 10)
	if get_datetime(published) > get_datetime():
		published = str(get_datetime())
	with at(published), as_user("admin"):
		doc = frappe.get_doc(
			{
				"doctype": "Dangjian Notice",
				"title": title,
				"year": year,
				"organization": "C01",
				"content": "-",
			}
		).insert()
		doc.content = NOTICE_TEXT.format(year, frappe.format(doc.deadline, "Date"))
		doc.submit()
	with at(str(add_days(get_datetime(published), 2))), as_user("secretary2"):
		mark_read(doc.name)
