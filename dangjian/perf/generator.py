"""A realistic 党建+ data set at a chosen scale, reproducible from a seed, for benchmarks.

One company, ~50 units (each with a general branch), ``projects / 10`` branches and ten years
of projects (one per branch and year, a few branches skip a year), each at a lifecycle state
consistent with its year: quarterly reports (~4 per implemented project), acceptances, spot
checks, evaluations with their evaluator scores and category results, commendations and the
company's Top Ten.

Rows are bulk-inserted with the columns the documents' controllers would produce (derived
fields included: approving organization, lateness, due dates, unique keys, stars and grade
from ``rules.evaluate``), and the naming series are moved past the generated names so that
documents made afterwards through the desk do not collide.

Everything made here carries the organization code prefix ``PF`` and the user domain
``perf.invalid``; ``clear()`` removes it.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict

import frappe

from dangjian import rules, samples

PREFIX = "PF"
DOMAIN = "perf.invalid"
ADMIN_USER = f"perf-admin@{DOMAIN}"
SECRETARY_USER = f"perf-secretary@{DOMAIN}"
APPROVER_USER = f"perf-approver@{DOMAIN}"
EVALUATOR_USERS = [f"perf-evaluator{i}@{DOMAIN}" for i in range(1, 4)]
YEARS = 10
UNITS = 50

NUMERIC_TYPES = {"Int", "Check", "Float", "Currency", "Percent"}
TOPICS = (
	"Grassroots Organization Building",
	"Unit's Internal Development",
	"Party Care Mechanism",
	"Member Education, Management and Service",
	"New Vehicles for Party Activities",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
THEMES = (
	"安全生产先锋岗",
	"党员责任区",
	"志愿服务队",
	"技术攻关组",
	"红色课堂",
	"结对帮扶",
	"清廉建设",
	"青年突击队",
)


# rows held in Python before they are written: the generator streams, its memory does not grow
# with the data set (see Generator.run)
CHUNK_ROWS = 5000
INSERTED = "__inserted"  # set on a row once written (not a column: bulk_insert leaves it out)


class Rows:
	"""Rows per doctype, written in bulk (``flush``) with the columns their meta defines, a chunk
	at a time: ``pending`` says how many are waiting."""

	def __init__(self, now: datetime.datetime, rng: random.Random, prefix: str):
		self.now = now
		self.rng = rng
		self.prefix = prefix.lower()
		self.serial = 0
		self.pending = 0
		self.by_doctype: dict[str, list[dict]] = defaultdict(list)
		self.written: dict[str, int] = defaultdict(int)
		self.seconds: dict[str, float] = defaultdict(float)
		self.columns: dict[str, tuple[set, dict]] = {}

	def unique_name(self, rng: random.Random | None = None) -> str:
		"""A hash-like name (as for child rows and hash-named documents) that cannot collide:
		a running number with a random tail."""
		self.serial += 1
		return f"{self.prefix}{self.serial:07x}{(rng or self.rng).getrandbits(12):03x}"

	def add(self, doctype: str, row: dict, when=None) -> dict:
		stamp = when or self.now
		if isinstance(stamp, datetime.date) and not isinstance(stamp, datetime.datetime):
			stamp = datetime.datetime.combine(stamp, datetime.time(9, 0))
		row.setdefault("creation", stamp)
		row.setdefault("modified", stamp)
		row.setdefault("owner", "Administrator")
		row.setdefault("modified_by", "Administrator")
		row.setdefault("docstatus", 0)
		row.setdefault("idx", 0)
		self.by_doctype[doctype].append(row)
		self.pending += 1
		return row

	def child(
		self,
		doctype: str,
		parent: dict,
		parenttype: str,
		parentfield: str,
		rows: list[dict],
		rng: random.Random | None = None,
	):
		for idx, row in enumerate(rows, start=1):
			row.update(
				name=self.unique_name(rng),
				parent=parent["name"],
				parenttype=parenttype,
				parentfield=parentfield,
				idx=idx,
				docstatus=parent["docstatus"],
			)
			self.add(doctype, row, parent["creation"])

	def table(self, doctype: str) -> tuple[set, dict]:
		"""The table's columns and each numeric column's default (0; None for the others)."""
		if doctype not in self.columns:
			meta = frappe.get_meta(doctype)
			defaults = {
				df.fieldname: 0 for df in meta.fields if df.fieldtype in NUMERIC_TYPES and df.fieldname
			}
			self.columns[doctype] = (set(frappe.db.get_table_columns(doctype)), defaults)
		return self.columns[doctype]

	def flush(self, log=None):
		"""Write the waiting rows and forget them (each is marked ``INSERTED`` for whoever still
		holds it: a later change to it is then an UPDATE)."""
		for doctype, rows in self.by_doctype.items():
			if not rows:
				continue
			started = time.monotonic()
			columns, defaults = self.table(doctype)
			keys = [k for k in dict.fromkeys(k for row in rows for k in row) if k in columns]
			values = ([row.get(k, defaults.get(k)) for k in keys] for row in rows)
			frappe.db.bulk_insert(doctype, keys, values, chunk_size=CHUNK_ROWS)
			for row in rows:
				row[INSERTED] = True
			self.written[doctype] += len(rows)
			self.seconds[doctype] += time.monotonic() - started
			if log:
				log(f"  {doctype}: {len(rows)} rows ({time.monotonic() - started:.1f}s)")
		self.by_doctype.clear()
		self.pending = 0


class Generator:
	def __init__(
		self,
		projects: int,
		seed: int = 1,
		today: datetime.date | None = None,
		years: int = YEARS,
		prefix: str = PREFIX,
		statuses: tuple[str, ...] | None = None,
	):
		self.projects = projects
		self.years = years
		self.prefix = prefix
		# a fixed cycle of project states instead of random ones (small test sets)
		self.statuses = statuses
		low = prefix.lower()
		self.admin_user = ADMIN_USER if prefix == PREFIX else f"{low}-admin@{DOMAIN}"
		self.approver_user = APPROVER_USER if prefix == PREFIX else f"{low}-approver@{DOMAIN}"
		self.secretary_user = SECRETARY_USER if prefix == PREFIX else f"{low}-secretary@{DOMAIN}"
		# another prefix draws other names from the same seed
		self.rng = random.Random(seed if prefix == PREFIX else f"{prefix}:{seed}")
		# the commendations' and Top Ten's rows, made between projects, draw their names from
		# another generator: the projects are those an earlier, unstreamed version made
		self.incentive_rng = random.Random(f"{prefix}:{seed}:incentives")
		self.today = today or frappe.utils.getdate(frappe.utils.nowdate())  # the site's day
		self.rows = Rows(datetime.datetime.combine(self.today, datetime.time(8, 0)), self.rng, prefix)
		self.settings = frappe.get_single("Dangjian Settings").as_dict()
		self.due_days = int(self.settings.quarterly_report_due_days or 10)
		self.series: dict[str, int] = defaultdict(int)
		self.counts: dict[str, int] = defaultdict(int)
		self.secretary_branch: str | None = None
		self.approver_unit: str | None = None

	# --- helpers --------------------------------------------------------------------------------

	def hash(self) -> str:
		return self.rows.unique_name()

	def person(self) -> str:
		return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(("", *GIVEN))

	def next_name(self, prefix: str, digits: int, doctype: str | None = None) -> str:
		"""The next name of a naming series. The first time a prefix is used it continues the
		site's series, as the documents' autoname would, and goes past any name of ``doctype``
		already taken (a site whose series row was lost, e.g. by a test's clean-up). Without
		``doctype`` the prefix is new (it names a project made here): no look-up."""
		if prefix not in self.series:
			current = 0
			if doctype:
				current = cint_sql(f"select current from `tabSeries` where name = {frappe.db.escape(prefix)}")
				taken = frappe.db.sql(
					f"select name from `tab{doctype}` where name like %s order by name desc limit 1",
					(prefix.replace("%", "\\%").replace("_", "\\_") + "_" * digits,),
				)
				if taken and taken[0][0][len(prefix) :].isdigit():
					current = max(current, int(taken[0][0][len(prefix) :]))
			self.series[prefix] = current
		self.series[prefix] += 1
		return f"{prefix}{self.series[prefix]:0{digits}d}"

	def day_between(self, start: datetime.date, days: int) -> datetime.date:
		return start + datetime.timedelta(days=self.rng.randint(0, max(days, 0)))

	def add(self, doctype: str, row: dict, when=None) -> dict:
		self.counts[doctype] += 1
		return self.rows.add(doctype, row, when)

	# --- organisation ---------------------------------------------------------------------------

	def make_tree(self):
		branches = max(self.projects // self.years, 1)
		units = min(UNITS, branches)
		start = cint_sql("select coalesce(max(rgt), 0) from `tabParty Organization`")
		company = {
			"org_code": f"{self.prefix}C",
			"organization_name": "性能测试集团公司",
			"organization_type": "Company",
		}
		company["children"] = []
		self.units, self.branches = [], []
		for u in range(1, units + 1):
			unit = {
				"org_code": f"{self.prefix}U{u:02d}",
				"organization_name": f"第{u}分公司",
				"organization_type": "Unit",
				"children": [],
			}
			company["children"].append(unit)
			self.units.append(unit)
			general = {
				"org_code": f"{self.prefix}U{u:02d}-G",
				"organization_name": f"第{u}分公司机关党总支",
				"organization_type": "General Branch",
				"children": [],
			}
			unit["children"].append(general)
		for b in range(branches):
			unit = self.units[b % units]
			n = b // units + 1
			general = unit["children"][0]
			# every fourth branch sits under the unit's general branch
			parent = general if n % 4 == 0 else unit
			branch = {
				"org_code": f"{unit['org_code']}-B{n:03d}",
				"organization_name": f"{unit['organization_name']}第{n}党支部",
				"organization_type": "Branch",
				"children": [],
				"unit": unit["org_code"],
			}
			parent["children"].append(branch)
			self.branches.append(branch)

		counter = [start]

		def visit(node, parent, unit_code):
			counter[0] += 1
			node["lft"] = counter[0]
			for child in node["children"]:
				visit(child, node, node["org_code"] if node["organization_type"] == "Unit" else unit_code)
			counter[0] += 1
			node["rgt"] = counter[0]
			established = datetime.date(2010 + self.rng.randint(0, 5), self.rng.randint(1, 12), 1)
			self.add(
				"Party Organization",
				{
					"name": node["org_code"],
					"org_code": node["org_code"],
					"organization_name": node["organization_name"],
					"organization_type": node["organization_type"],
					"parent_party_organization": parent["org_code"] if parent else None,
					"old_parent": parent["org_code"] if parent else None,
					# the nearest unit above (a unit approves its own; see party_organization.py)
					"approving_organization": unit_code,
					"date_established": established,
					"disabled": 0,
					"is_group": 0 if node["organization_type"] == "Branch" else 1,
					"lft": node["lft"],
					"rgt": node["rgt"],
				},
				established,
			)

		visit(company, None, None)
		self.org_names = {
			row["name"]: row["organization_name"] for row in self.rows.by_doctype["Party Organization"]
		}
		self.company = company["org_code"]

	# --- users ----------------------------------------------------------------------------------

	def make_users(self):
		from dangjian import scope

		def user(email, name, roles):
			if not frappe.db.exists("User", email):
				frappe.get_doc(
					{
						"doctype": "User",
						"email": email,
						"first_name": name,
						"send_welcome_email": 0,
						"user_type": "System User",
						"new_password": "Perf@2026",
					}
				).insert(ignore_permissions=True)
			doc = frappe.get_doc("User", email)
			missing = [r for r in roles if r not in {row.role for row in doc.roles}]
			if missing:
				doc.add_roles(*missing)

		def permit(email, org):
			scope.grant_user_permission(email, org)

		user(self.admin_user, "性能测试管理员", [scope.ROLE_ADMINISTRATOR])
		permit(self.admin_user, self.company)
		user(self.approver_user, "性能测试审批人", [scope.ROLE_APPROVER])
		# the approver of a unit, and the secretary of a branch, with a project waiting for them
		# this year (made after the projects, so the choice can see them)
		unit = self.approver_unit or self.units[0]["org_code"]
		branch = self.secretary_branch or self.branches[0]["org_code"]
		permit(self.approver_user, unit)
		user(self.secretary_user, "性能测试书记", [scope.ROLE_BRANCH_SECRETARY])
		permit(self.secretary_user, branch)
		for email in EVALUATOR_USERS:
			user(email, "性能测试评估人", [scope.ROLE_EVALUATOR])
			permit(email, self.company)
		# the branch's secretary, as the organization record would say
		frappe.db.set_value(
			"Party Organization",
			branch,
			"secretary",
			self.secretary_user,
			update_modified=False,
		)
		scope.clear_scope_cache()

	# --- projects -------------------------------------------------------------------------------

	def pick_status(self, year: int) -> str:
		if self.statuses:
			self.status_turn = getattr(self, "status_turn", -1) + 1
			return self.statuses[self.status_turn % len(self.statuses)]
		age = self.today.year - year
		r = self.rng.random()
		if age == 0:
			table = (
				(0.08, "Draft"),
				(0.16, "Applied"),
				(0.22, "Reviewed"),
				(0.26, "Returned"),
				(0.40, "Approved"),
				(1.00, "In Progress"),
			)
		elif age == 1:
			table = (
				(0.02, "Returned"),
				(0.55, "In Progress"),
				(0.62, "Under Assistance"),
				(0.66, "Adjusting"),
				(0.80, "Acceptance Applied"),
				(0.90, "Accepted"),
				(1.00, "Evaluated"),
			)
		elif age == 2:
			table = (
				(0.02, "Returned"),
				(0.12, "In Progress"),
				(0.16, "Under Assistance"),
				(0.18, "Adjusting"),
				(0.25, "Acceptance Applied"),
				(0.40, "Accepted"),
				(1.00, "Evaluated"),
			)
		else:
			table = ((0.02, "Returned"), (0.04, "Under Assistance"), (0.10, "Accepted"), (1.00, "Evaluated"))
		for limit, status in table:
			if r < limit:
				return status
		return table[-1][1]

	def make_projects(self, year_done=None):
		"""Year by year, branch by branch in the order of their codes (so a unit's branches come
		together): the rows are written a chunk at a time, a unit's commendation once its
		branches are done, the Top Ten once the year is. Held in Python meanwhile: the waiting
		rows (at most about ``CHUNK_ROWS``), the unit's commended projects and the year's best
		twenty, never the data set."""
		settings = self.settings
		first_year = self.today.year - self.years + 1
		per_year = max(self.projects // self.years, 1)
		for year in range(first_year, self.today.year + 1):
			deadline = rules.application_deadline(
				year,
				int(settings.application_deadline_month or 4),
				int(settings.application_deadline_day or 30),
			)
			# one project per branch and year, up to the scale's projects per year
			branches = list(self.branches)
			self.rng.shuffle(branches)
			unit, commended, best = None, [], []
			for branch in sorted(branches[:per_year], key=lambda b: b["org_code"]):
				if branch["unit"] != unit:
					self.commend(unit, year, commended)
					unit, commended = branch["unit"], []
				self.evaluated = []
				self.make_project(year, branch, deadline)
				for project in self.evaluated:
					if project["stars"] >= self.levels["commended"]:
						commended.append(project)
					best.append(project)
				if len(best) > 4 * self.top_size:
					best = self.best(best)
				if self.rows.pending >= CHUNK_ROWS:
					self.write()
			self.commend(unit, year, commended)
			self.top_ten(year, self.best(best))
			self.write()
			if year_done:
				year_done(year)

	def make_project(self, year: int, branch: dict, deadline: datetime.date):
		rng = self.rng
		status = self.pick_status(year)
		unit = branch["unit"]
		if year == self.today.year:
			# the first branch with an application to submit this year, the first unit with one to
			# review: the benchmark's secretary and approver act on them
			if status in ("Draft", "Returned") and not self.secretary_branch:
				self.secretary_branch = branch["org_code"]
			if status == "Applied" and not self.approver_unit:
				self.approver_unit = unit
		name = self.next_name(f"DJXM-{year}-", 4, "Dangjian Project")
		created = datetime.date(year, 1, 5) + datetime.timedelta(days=rng.randint(0, 60))
		lead = self.person()
		project = {
			"name": name,
			"project_name": f"党建+{rng.choice(THEMES)}({branch['organization_name'][-6:]})",
			"year": year,
			"branch": branch["org_code"],
			"branch_name": branch["organization_name"],
			"status": status,
			"approving_organization": unit,
			"leading_organization": unit,
			"undertaking_organization": branch["org_code"],
			"supervising_organization": unit,
			"topic_area": rng.choice(TOPICS),
			"principle_centre": 1,
			"principle_people": rng.randint(0, 1),
			"principle_basics": rng.randint(0, 1),
			"principle_innovation": rng.randint(0, 1),
			"lead_name": lead,
			"lead_title": "党支部书记",
			**{
				field: samples.TEXTS[field]
				for field in ("innovation_goals", "innovation_content", "innovation_measures")
			},
			"branch_meeting_date": created + datetime.timedelta(days=7),
			"branch_meeting_attendance": rng.randint(8, 40),
			"branch_meeting_resolution": samples.TEXTS["branch_meeting_resolution"],
			"branch_opinion": samples.TEXTS["branch_opinion"],
			"return_count": 0,
			"docstatus": 0,
		}
		self.add("Dangjian Project", project, created)
		self.rows.child(
			"Dangjian Project Team Member",
			project,
			"Dangjian Project",
			"team",
			[{"member_name": self.person(), "title": "党员", "team_role": "Member"}],
		)
		self.rows.child(
			"Dangjian Feasibility Activity",
			project,
			"Dangjian Project",
			"feasibility_activities",
			[
				{
					"activity_type": rng.choice(
						("Special Research", "Symposium", "Opinion Form", "Field Visit")
					),
					"activity_date": created,
					"participants": rng.randint(5, 30),
					"opinions_collected": rng.randint(3, 20),
					"summary": "听取党员意见。",
				}
			],
		)
		if status == "Draft":
			self.plan_steps(project, None)
			return

		# applied: on time mostly, a tenth late (lateness decided by the first application)
		applied = (
			deadline + datetime.timedelta(days=rng.randint(1, 40))
			if rng.random() < 0.1
			else deadline - datetime.timedelta(days=rng.randint(0, 80))
		)
		applied = min(applied, self.today)
		project.update(
			applied_on=applied,
			last_applied_on=applied,
			is_late=1 if rules.is_late(applied, deadline) else 0,
			paper_copies_received=2,
			signed_and_stamped=1,
			email_received_on=applied,
		)
		if project["is_late"]:
			project["late_acceptance_reason"] = "因生产任务繁重,经党委同意延期申报。"
		if status == "Applied":
			self.plan_steps(project, None)
			return
		reviewed = min(applied + datetime.timedelta(days=rng.randint(2, 10)), self.today)
		if status == "Returned":
			project.update(return_reason="请补充可行性论证材料。", returned_on=reviewed, return_count=1)
			self.plan_steps(project, None)
			return
		project.update(review_opinion="材料齐全,同意。", reviewed_on=reviewed)
		if status == "Reviewed":
			self.plan_steps(project, None)
			return
		approved = min(reviewed + datetime.timedelta(days=rng.randint(2, 10)), self.today)
		project.update(
			committee_opinion="同意立项。",
			approved_on=approved,
			filing_number=self.next_name(f"BA-{unit}-{year}-", 3),  # a generated unit: a new series
			completion_deadline=rules.add_months(approved, 18),
			plan_goals="全年零事故,党员示范作用明显。",
			plan_measures="设岗定责,定期评比。",
			plan_approach="支部领办,党员承办。",
			plan_organisational_measures="成立项目组。",
			plan_expected_goals="形成可推广经验。",
			expected_effect="提升班组安全水平。",
			planned_input_amount=rng.randint(1, 20) * 1000,
		)
		if status == "Approved":
			self.plan_steps(project, approved)
			return
		started = min(approved + datetime.timedelta(days=rng.randint(5, 30)), self.today)
		project["implementation_started_on"] = started
		self.spot_check(project, applied)

		# how long implementation lasts: about a year, ending in acceptance when the state says so
		planned_end = rules.add_months(started, rng.randint(10, 14))
		finished = status in ("Acceptance Applied", "Accepted", "Evaluated")
		end = min(planned_end, self.today - datetime.timedelta(days=30)) if finished else self.today
		if end < started:
			end = started
		self.plan_steps(project, started, done=finished)
		self.quarterly_reports(project, started, end, in_progress=not finished)
		project["modified"] = datetime.datetime.combine(end, datetime.time(17, 0))

		if status in ("In Progress",):
			return
		if status in ("Under Assistance", "Adjusting"):
			conclusion = "Assistance" if status == "Under Assistance" else "Adjust"
			concluded = self.acceptance(project, end, conclusion, attempt=1)
			project["acceptance_result"] = conclusion
			if conclusion == "Adjust":
				project["adjusting_since"] = concluded
			return
		if status == "Acceptance Applied":
			self.acceptance(project, end, None, attempt=1)
			return
		attempt = 1
		if rng.random() < 0.1:
			self.acceptance(project, end - datetime.timedelta(days=60), "Assistance", attempt=1)
			attempt = 2
		concluded = self.acceptance(project, end, "Passed", attempt=attempt)
		project.update(acceptance_result="Passed", accepted_on=concluded)
		if status == "Evaluated":
			self.evaluation(project, concluded)

	def plan_steps(self, project: dict, start: datetime.date | None, done: bool = False):
		start = start or datetime.date(int(project["year"]), 5, 1)
		steps = []
		for i, title in enumerate(("调研部署", "组织实施", "总结提升"), start=1):
			begin = rules.add_months(start, 4 * (i - 1))
			status = "Done" if done or rules.add_months(begin, 4) < self.today else "In Progress"
			if project["status"] in ("Draft", "Applied", "Reviewed", "Returned", "Approved"):
				status = "Not Started"
			steps.append(
				{
					"step_title": title,
					"content": f"{title}阶段的工作。",
					"owner_name": self.person(),
					"start_date": begin,
					"end_date": rules.add_months(begin, 4),
					"step_status": status,
				}
			)
		self.rows.child("Dangjian Plan Step", project, "Dangjian Project", "plan_steps", steps)

	def quarterly_reports(self, project: dict, started, end, in_progress: bool):
		rng = self.rng
		year, quarter = rules.next_quarter(*rules.quarter_of(started))
		percent = 0
		while rules.quarter_start(year, quarter) <= end:
			due = rules.quarterly_report_due_date(year, quarter, self.due_days)
			ended = rules.quarter_end(year, quarter) < self.today
			current = not ended
			r = rng.random()
			if current and r < 0.7:
				break  # the current quarter: most branches have not written yet
			if ended and due < self.today and r < 0.05:
				year, quarter = rules.next_quarter(year, quarter)
				continue  # missing
			late = ended and r > 0.85
			first = None
			if ended:
				first = (
					due + datetime.timedelta(days=rng.randint(1, 30))
					if late
					else due - datetime.timedelta(days=rng.randint(0, 15))
				)
				if first > self.today:
					first = None
			percent = min(100, percent + rng.randint(15, 30))
			if first is None:
				status, docstatus = "Draft", 0
			elif (self.today - first).days < 20 and rng.random() < 0.5:
				status, docstatus = "Submitted", 0
			elif rng.random() < 0.02:
				status, docstatus = "Returned", 0
			else:
				status, docstatus = "Reviewed", 1
			name = self.next_name(f"DJJB-{year}-Q{quarter}-", 5, "Dangjian Quarterly Report")
			report = {
				"name": name,
				"project": project["name"],
				"project_name": project["project_name"],
				"branch": project["branch"],
				"approving_organization": project["approving_organization"],
				"year": year,
				"quarter": str(quarter),
				"status": status,
				"docstatus": docstatus,
				"due_date": due,
				"is_late": 1 if first and rules.is_late(first, due) else 0,
				"percent_complete": percent,
				"progress_summary": f"{year}年第{quarter}季度按计划推进,完成{percent}%。",
				"problems": "无。",
				"next_quarter_plan": "继续推进。",
				"first_submitted_on": first,
				"unique_key": f"{project['name']}:{year}:Q{quarter}",
			}
			if status in ("Reviewed", "Returned"):
				report["reviewed_on"] = min(first + datetime.timedelta(days=rng.randint(1, 10)), self.today)
				report["supervision_comment"] = "进展良好。"
				if status == "Returned":
					report["return_reason"] = "请补充佐证材料。"
					report.pop("reviewed_on")
			when = first or rules.quarter_end(year, quarter)
			self.add("Dangjian Quarterly Report", report, when)
			self.rows.child(
				"Dangjian Quarterly Report Step",
				report,
				"Dangjian Quarterly Report",
				"steps",
				[
					{"plan_step": title, "step_idx": i, "step_status": "In Progress"}
					for i, title in enumerate(("调研部署", "组织实施", "总结提升"), start=1)
				],
			)
			year, quarter = rules.next_quarter(year, quarter)

	def spot_check(self, project: dict, applied):
		if self.rng.random() >= 0.15:
			return
		checked = min(applied + datetime.timedelta(days=self.rng.randint(10, 40)), self.today)
		year = int(project["year"])
		self.add(
			"Dangjian Spot Check",
			{
				"name": self.next_name(f"DJCJ-{year}-", 4, "Dangjian Spot Check"),
				"approving_organization": project["approving_organization"],
				"year": year,
				"branch": project["branch"],
				"branch_name": project["branch_name"],
				"project": project["name"],
				"project_name": project["project_name"],
				"items_checked": "申报表、会议记录",
				"findings": "材料基本齐全。",
				"result": self.rng.choice(
					("Qualified", "Qualified", "Qualified", "Basically Qualified", "Unqualified")
				),
				"check_date": checked,
				"unique_key": project["name"],
				"docstatus": 1,
			},
			checked,
		)

	def acceptance(self, project, end, conclusion, attempt: int):
		rng = self.rng
		applied = min(end, self.today)
		concluded = min(applied + datetime.timedelta(days=rng.randint(5, 25)), self.today)
		status = {None: "Applied", "Passed": "Passed", "Assistance": "Assistance", "Adjust": "Adjust"}[
			conclusion
		]
		row = {
			"name": self.next_name(f"DJYS-{project['name']}-", 2),
			"project": project["name"],
			"project_name": project["project_name"],
			"branch": project["branch"],
			"approving_organization": project["approving_organization"],
			"status": status,
			"attempt_no": attempt,
			"applied_on": applied,
			"project_status_before": "In Progress",
			"summary_report": "对照项目方案逐一自查,目标全部完成。",
			"docstatus": 1 if conclusion else 0,
		}
		if conclusion:
			row.update(
				method_hearing=1,
				method_visit=1,
				method_materials=1,
				findings="项目按计划完成。" if conclusion == "Passed" else "进展不理想。",
				conclusion=conclusion,
				acceptance_report="同意通过验收。" if conclusion == "Passed" else None,
				concluded_on=concluded,
			)
			if conclusion == "Assistance":
				row.update(assisting_party="党群工作部", assistance_measures="挂牌帮扶。")
			if conclusion == "Adjust":
				row["adjustment_notes"] = "重新论证可行性。"
		self.add("Dangjian Acceptance", row, applied)
		self.rows.child(
			"Dangjian Acceptance Group Member",
			row,
			"Dangjian Acceptance",
			"group_members",
			[
				{"member_name": self.person(), "title": "组长", "is_leader": 1},
				{"member_name": self.person(), "title": "组员", "is_leader": 0},
				{"member_name": self.person(), "title": "组员", "is_leader": 0},
			],
		)
		self.rows.child(
			"Dangjian Acceptance Self Check",
			row,
			"Dangjian Acceptance",
			"self_check",
			[
				{"plan_step": title, "step_idx": i, "result": "Done"}
				for i, title in enumerate(("调研部署", "组织实施", "总结提升"), start=1)
			],
		)
		return concluded

	def evaluation(self, project, accepted):
		rng = self.rng
		settings = self.settings
		year = int(project["year"])
		evaluated_on = min(accepted + datetime.timedelta(days=rng.randint(10, 60)), self.today)
		name = self.next_name(f"DJPG-{year}-", 4, "Dangjian Evaluation")
		# the project's quality decides how its evaluators score it
		quality = rng.gauss(78, 9)
		scores = []
		count = rng.randint(8, 12)
		for i in range(count):
			category = rules.MASSES if i < 3 else rng.choice((rules.PARTY_MEMBER, rules.CADRE))
			q = quality + rng.gauss(0, 6)
			vote = rules.SATISFIED if q > 75 else rules.BASICALLY_SATISFIED if q > 62 else rules.UNSATISFIED
			scores.append(
				rules.Score(
					category,
					vote,
					float(max(0, min(100, round(q + rng.gauss(0, 4))))),
					float(max(0, min(100, round(q + rng.gauss(0, 4))))),
				)
			)
		snapshot = {
			field: settings.get(field)
			for field in (
				*rules.INDICATOR_WEIGHT_FIELDS,
				"count_basically_satisfied",
				*rules.CUTOFF_FIELDS,
				*rules.LEVEL_FIELDS,
				"min_evaluators",
				"min_masses_representatives",
			)
		}
		result = rules.evaluate(scores, snapshot)
		stars = result["stars"]
		evaluation = {
			"name": name,
			"project": project["name"],
			"project_name": project["project_name"],
			"branch": project["branch"],
			"approving_organization": project["approving_organization"],
			"year": year,
			"evaluation_date": evaluated_on,
			"evaluated_by": self.approver_user,
			"score_count": result["count"],
			"masses_count": result["masses_count"],
			"satisfaction_rate": result["satisfaction_rate"],
			"avg_benefit": result["benefit"],
			"avg_replicability": result["replicability"],
			"weighted_total": result["total"],
			"stars": stars,
			"stars_display": "★" * stars + "☆" * (5 - stars),
			"grade": result["grade"],
			"formula": f"Weighted total = {result['total']}",
			"docstatus": 1,
			**snapshot,
		}
		self.add("Dangjian Evaluation", evaluation, evaluated_on)
		self.rows.child(
			"Dangjian Evaluation Category Result",
			evaluation,
			"Dangjian Evaluation",
			"category_results",
			rules.category_result_rows(result),
		)
		for i, score in enumerate(scores):
			online = i < len(EVALUATOR_USERS) and rng.random() < 0.5
			score_name = self.hash()
			who = EVALUATOR_USERS[i] if online else None
			evaluator_name = self.person() + str(i)
			self.add(
				"Dangjian Evaluation Score",
				{
					"name": score_name,
					"evaluation": name,
					"project": project["name"],
					"project_name": project["project_name"],
					"branch": project["branch"],
					"evaluator_name": evaluator_name,
					"evaluator_user": who,
					"is_paper_ballot": 0 if online else 1,
					"category": score.category,
					"satisfaction_vote": score.vote,
					"benefit_score": score.benefit,
					"replicability_score": score.replicability,
					"entered_by": who or self.approver_user,
					"unique_key": f"{name}:{who or 'paper:' + evaluator_name}",
					"docstatus": 1,
				},
				evaluated_on,
			)
		project.update(stars=stars, grade=result["grade"])
		self.evaluated.append(project)

	# --- incentives -----------------------------------------------------------------------------

	def best(self, projects: list[dict]) -> list[dict]:
		"""The Top Ten's candidates among ``projects``: the best stars, then the first names."""
		return sorted(projects, key=lambda p: (-p["stars"], p["name"]))[: self.top_size * 2]

	def mark(self, projects: list[dict], **values):
		"""Set ``values`` on projects: on the row when it is still waiting, in the table when it
		was written (one UPDATE)."""
		written = [p["name"] for p in projects if p.get(INSERTED)]
		for p in projects:
			p.update(values)
		if written:
			assignments = ", ".join(f"`{field}` = %({field})s" for field in values)
			frappe.db.sql(
				f"update `tabDangjian Project` set {assignments} where name in %(names)s",
				{**values, "names": tuple(written)},
			)

	def commend(self, unit: str | None, year: int, projects: list[dict]):
		"""The unit's commendation of the year's projects at or above the commended level."""
		if not unit or not projects or year >= self.today.year:
			return
		levels = self.levels
		name = self.next_name(f"DJBZ-{year}-", 3, "Dangjian Commendation")
		dated = datetime.date(year + 1, 1, 15)
		doc = {
			"name": name,
			"title": f"{year}年度党建+项目表彰",
			"unit": unit,
			"unit_name": self.org_names[unit],
			"year": year,
			"document_number": f"{unit}党〔{year + 1}〕{self.series[f'DJBZ-{year}-']}号",
			"document_date": dated,
			"docstatus": 1,
		}
		self.add("Dangjian Commendation", doc, dated)
		self.rows.child(
			"Dangjian Commendation Project",
			doc,
			"Dangjian Commendation",
			"projects",
			[
				{
					"project": p["name"],
					"project_name": p["project_name"],
					"branch_name": p["branch_name"],
					"stars": p["stars"],
					"grade": p["grade"],
					"exemplary": 1 if p["stars"] >= levels["exemplary"] else 0,
				}
				for p in projects
			],
			self.incentive_rng,
		)
		self.mark(projects, commended=1, commendation=name)

	def top_ten(self, year: int, candidates: list[dict]):
		"""The company's Top Ten of the year among its best twenty evaluated projects."""
		size = self.top_size
		if year >= self.today.year or not candidates:
			return
		name = self.next_name(f"DJSJ-{year}-", 2, "Dangjian Top Ten Selection")
		dated = datetime.date(year + 1, 1, 20)
		doc = {
			"name": name,
			"company": self.company,
			"company_name": "性能测试集团公司",
			"year": year,
			"top_n": size,
			"min_stars": int(self.settings.top_ten_min_stars or 3),
			"docstatus": 1,
		}
		self.add("Dangjian Top Ten Selection", doc, dated)
		rows = []
		for rank, p in enumerate(candidates, start=1):
			rows.append(
				{
					"project": p["name"],
					"project_name": p["project_name"],
					"branch": p["branch"],
					"branch_name": p["branch_name"],
					"unit": p["approving_organization"],
					"stars": p["stars"],
					"accepted_on": p["accepted_on"],
					"average_score": round(95 - rank * 0.7, 2),
					"judges": 7,
					"rank": rank,
					"selected": 1 if rank <= size else 0,
				}
			)
		self.rows.child(
			"Dangjian Top Ten Candidate",
			doc,
			"Dangjian Top Ten Selection",
			"candidates",
			rows,
			self.incentive_rng,
		)
		self.mark(candidates[:size], top_ten=1, top_ten_selection=name)

	# --- naming series --------------------------------------------------------------------------

	def update_series(self):
		"""Move the site's naming series past the names given, and forget the series of one
		project (its acceptances): they are not used again."""
		if self.series:
			frappe.db.sql(
				"""insert into `tabSeries` (name, current) values {}
				on duplicate key update current = greatest(current, values(current))""".format(
					", ".join(["(%s, %s)"] * len(self.series))
				),
				[value for item in self.series.items() for value in item],
			)
		for prefix in [p for p in self.series if p.startswith("DJYS-")]:
			del self.series[prefix]

	def write(self):
		self.rows.flush()
		self.update_series()

	def run(self, log=print, year_done=None) -> dict:
		"""Make the data set, streaming: rows are written a chunk at a time as they are made
		(``CHUNK_ROWS``), so the memory used does not grow with the number of projects.
		``year_done(year)`` is called after each year is written (the command commits there)."""
		started = time.monotonic()
		self.levels = rules.levels_from_settings(self.settings)
		self.top_size = int(self.settings.top_ten_size or 10)
		self.make_tree()
		self.write()

		def done(year):
			log(f"  {year} written ({time.monotonic() - started:.0f}s)")
			if year_done:
				year_done(year)

		self.make_projects(done)
		self.make_users()
		for doctype, rows in sorted(self.rows.written.items()):
			log(f"  {doctype}: {rows} rows ({self.rows.seconds[doctype]:.1f}s inserting)")
		log(f"generated in {time.monotonic() - started:.1f}s")
		frappe.clear_cache()
		return dict(self.counts)


def cint_sql(query: str) -> int:
	value = frappe.db.sql(query)
	return int(value[0][0] or 0) if value else 0


def exists(prefix: str = PREFIX) -> bool:
	return bool(frappe.db.exists("Party Organization", f"{prefix}C"))


def generate(
	projects: int,
	seed: int = 1,
	today: datetime.date | None = None,
	log=print,
	years: int = YEARS,
	prefix: str = PREFIX,
	statuses: tuple[str, ...] | None = None,
	commit: bool = False,
) -> dict:
	"""Make the data set; refuses when one with the prefix is there (``clear()`` it first).
	``commit``: commit after each year (the command; a test leaves it to its rollback)."""
	if exists(prefix):
		frappe.throw(f"A generated data set is already on this site ({prefix}C); clear it first.")
	year_done = (lambda year: frappe.db.commit()) if commit else None
	return Generator(projects, seed, today, years, prefix, statuses).run(log, year_done)


GENERATED_DOCTYPES = {
	# doctype: (child doctypes, the filter that picks the generated rows)
	"Dangjian Evaluation Score": ((), "branch like 'PF%%'"),
	"Dangjian Evaluation": (("Dangjian Evaluation Category Result",), "branch like 'PF%%'"),
	"Dangjian Quarterly Report": (("Dangjian Quarterly Report Step",), "branch like 'PF%%'"),
	"Dangjian Acceptance": (
		("Dangjian Acceptance Group Member", "Dangjian Acceptance Self Check"),
		"branch like 'PF%%'",
	),
	"Dangjian Spot Check": ((), "branch like 'PF%%'"),
	"Dangjian Commendation": (("Dangjian Commendation Project",), "unit like 'PF%%'"),
	"Dangjian Top Ten Selection": (("Dangjian Top Ten Candidate",), "company like 'PF%%'"),
	"Dangjian Project": (
		("Dangjian Project Team Member", "Dangjian Feasibility Activity", "Dangjian Plan Step"),
		"branch like 'PF%%'",
	),
	"Party Organization": ((), "name like 'PF%%'"),
}


def clear(log=print) -> None:
	"""Remove the generated data set (rows and the perf users' permissions)."""
	for doctype, (children, condition) in GENERATED_DOCTYPES.items():
		for child in children:
			frappe.db.sql(
				f"""delete c from `tab{child}` c join `tab{doctype}` p on p.name = c.parent
				where c.parenttype = %s and p.{condition}""",
				(doctype,),
			)
		frappe.db.sql(f"delete from `tab{doctype}` where {condition}")
		log(f"  cleared {doctype}")
	frappe.db.sql("delete from `tabUser Permission` where user like %s", (f"%@{DOMAIN}",))
	frappe.clear_cache()
