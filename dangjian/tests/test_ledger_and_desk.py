# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The project ledger (项目管理台账), the branch assessment (支部党建考评), the workspace's number
cards and charts, the branch's year pack (述职材料) and the experience library (典型经验库) on one
prepared data set, as users of different scopes, with exact rows and totals.

The data set (tree LD: company → unit A (general branch G → branch A2; branch A1), unit B
(branch B1)), all of year 2026:
- P1, branch A1: implementation from 2026-01-12; 1 of 2 plan steps done; the 2026 Q2 report
  submitted on time and reviewed, Q3 submitted late, Q4 (due 2027-01-10) never submitted; a
  qualified spot check.
- P2, branch A1: implementation from 2026-02-02, passed its first acceptance on 2026-06-20
  (no quarter had ended), then evaluated 4 stars, exemplary, commended and Top Ten.
- P3, branch B1: applied late (2026-05-10), not reviewed yet; an unqualified spot check.
- Branches G and A2: no project.
Most checks run at 2027-02-01, when P1's Q4 report is overdue.
"""

import os
import shutil
import subprocess
import tempfile

import frappe
from frappe.tests.utils import FrappeTestCase

from dangjian import dashboard, scope
from dangjian.dangjian.doctype.dangjian_commendation.test_dangjian_commendation import evaluated
from dangjian.dangjian.report.dangjian_branch_assessment import branch_year_pack
from dangjian.dangjian.report.dangjian_branch_assessment.dangjian_branch_assessment import (
	execute as assessment,
)
from dangjian.dangjian.report.dangjian_project_ledger.dangjian_project_ledger import execute as ledger
from dangjian.tests import utils
from dangjian.tests.test_print_formats import A4, PDF_TOOLS, embedded_fonts, normalize
from dangjian.tests.utils import (
	accepted_project,
	act,
	add_member,
	count_queries,
	frozen,
	in_progress_project,
	make_actors,
	make_project,
	make_user,
	quarterly_report_fields,
)
from dangjian.www import dangjian_library

NOW = "2027-02-01 10:00:00"
YEAR = 2026
NAMES = {
	"company": "能源集团",
	"unit_a": "第一发电厂",
	"unit_b": "第二发电厂",
	"general": "检修党总支",
	"branch_a1": "运行一值党支部",
	"branch_a2": "检修二班党支部",
	"branch_b1": "燃料党支部",
}
ATTACK = "<script>alert(1)</script>"


def run_as(user, fn, when=NOW):
	with utils.as_user(user), frozen(when):
		return fn()


def report(actors, project: str, quarter: int, on: str, review_on: str | None = None) -> str:
	"""A quarterly report of ``project`` submitted by the branch on ``on`` (and reviewed)."""
	with frozen(on):
		frappe.set_user(actors.secretary_a)
		try:
			doc = frappe.get_doc(quarterly_report_fields(project, YEAR, quarter)).insert()
		finally:
			frappe.set_user("Administrator")
		doc = act(doc, "Submit", actors.secretary_a)
	if review_on:
		with frozen(review_on):
			act(doc, "Review", actors.approver_a, supervision_comment="进展良好，继续推进。")
	return doc.name


def spot_check(unit: str, project, result: str, user: str, on: str) -> str:
	with frozen(on):
		frappe.set_user(user)
		try:
			doc = frappe.get_doc(
				{
					"doctype": "Dangjian Spot Check",
					"approving_organization": unit,
					"year": YEAR,
					"branch": project.branch,
					"project": project.name,
					"items_checked": "申报表、签字盖章、可行性论证记录",
					"findings": "抽检记录。",
					"result": result,
				}
			).insert()
			doc.submit()
			return doc.name
		finally:
			frappe.set_user("Administrator")


class TestLedgerAndDesk(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = a = make_actors("LD")
		t = a.tree
		for key, name in NAMES.items():
			frappe.db.set_value("Party Organization", t[key], "organization_name", name)
		cls.admin = make_user("ld-company-admin")
		add_member(t.company, cls.admin, "Administrator")
		cls.member = make_user("ld-member-a1")
		add_member(t.branch_a1, cls.member, "Member")
		cls.no_scope = make_user("ld-no-scope", roles=(scope.ROLE_APPROVER,))
		cls.outsider = make_user("ld-outsider")

		cls.p1 = in_progress_project(a, on="2026-01-12", project_name="党员先锋岗护航安全生产")
		steps = frappe.get_doc("Dangjian Project", cls.p1.name).plan_steps
		frappe.db.set_value("Dangjian Plan Step", steps[0].name, "step_status", "Done")
		cls.q2 = report(a, cls.p1.name, 2, on="2026-07-05", review_on="2026-07-08")
		cls.q3 = report(a, cls.p1.name, 3, on="2026-10-15")
		spot_check(t.unit_a, cls.p1, "Qualified", a.approver_a, "2026-03-01")

		p2 = accepted_project(a, on="2026-02-02", accept_on="2026-06-20", project_name="班组安全积分制")
		frappe.db.set_value(
			"Dangjian Project",
			p2.name,
			{"status": "Evaluated", "stars": 4, "grade": "Exemplary", "commended": 1, "top_ten": 1},
		)
		cls.p2 = frappe.get_doc("Dangjian Project", p2.name)

		with frozen("2026-05-10"):
			p3 = make_project(t.branch_b1, year=YEAR, project_name="燃料管理创新")
			act(p3, "Apply", a.secretary_b)
		frappe.db.set_value("Dangjian Project", p3.name, "project_name", f"燃料管理{ATTACK}创新")
		cls.p3 = frappe.get_doc("Dangjian Project", p3.name)
		spot_check(t.unit_b, cls.p3, "Unqualified", a.approver_b, "2026-06-01")

		# for the experience library: an earlier Top Ten project of unit B and a merely
		# qualified one of unit A, and a draft of next year
		cls.top_ten_b = evaluated(t.branch_b1, 2025, 3, project_name="燃料精细化管理")
		frappe.db.set_value("Dangjian Project", cls.top_ten_b, "top_ten", 1)
		cls.qualified = evaluated(t.branch_a2, 2025, 2)
		cls.draft = make_project(t.branch_a2, year=YEAR + 1).name
		cls.public_file = attach(cls.p2.name, "先锋岗照片.txt", is_private=0)
		cls.private_file = attach(cls.p2.name, "内部名单.txt", is_private=1)
		cls.tmp = tempfile.mkdtemp(prefix="dangjian-pack-")

	@classmethod
	def tearDownClass(cls):
		shutil.rmtree(cls.tmp, ignore_errors=True)
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- the project ledger ---------------------------------------------------------------------

	def ledger(self, user, **filters):
		return run_as(user, lambda: ledger(filters))

	def test_ledger_rows_for_the_unit_approver(self):
		_columns, data, _message, _chart, summary = self.ledger(self.a.approver_a, year=YEAR)
		self.assertEqual([r.project for r in data], [self.p1.name, self.p2.name])
		keys = (
			"year",
			"unit_name",
			"branch_name",
			"topic_area",
			"status",
			"plan_progress",
			"last_report",
			"overdue",
			"acceptance_result",
			"accepted_on",
			"stars",
			"grade",
			"commended",
			"top_ten",
		)
		self.assertEqual(
			[tuple(str(r.get(k) or "") for k in keys) for r in data],
			[
				(
					"2026",
					"第一发电厂",
					"运行一值党支部",
					"Unit's Internal Development",
					"In Progress",
					"1/2",
					"2026 Q3 Submitted",
					"1",  # 2026 Q4, due 2027-01-10
					"",
					"",
					"",
					"",
					"",
					"",
				),
				(
					"2026",
					"第一发电厂",
					"运行一值党支部",
					"Unit's Internal Development",
					"Evaluated",
					"0/2",
					"",
					"",
					"Passed",
					"2026-06-20",
					"4",
					"Exemplary",
					"1",
					"1",
				),
			],
		)
		self.assertEqual([s["value"] for s in summary], [2, 1, 1])

	def test_ledger_rows_per_scope(self):
		def projects(user, **filters):
			return [r.project for r in self.ledger(user, year=YEAR, **filters)[1]]

		both = [self.p1.name, self.p2.name]
		self.assertEqual(projects(self.a.secretary_a), both)
		self.assertEqual(projects(self.member), both)
		self.assertEqual(projects(self.a.secretary_b), [self.p3.name])
		self.assertEqual(projects(self.a.approver_b), [self.p3.name])
		self.assertEqual(projects(self.admin), [*both, self.p3.name])
		self.assertEqual(projects("Administrator", unit=self.a.tree.company), [*both, self.p3.name])
		self.assertEqual(projects(self.no_scope), [])
		_c, data, _m, _ch, summary = self.ledger(self.a.secretary_b, year=YEAR)
		self.assertEqual(data[0].project_name, f"燃料管理{ATTACK}创新")  # the desk escapes it
		self.assertEqual((data[0].status, data[0].overdue), ("Applied", 0))
		self.assertEqual([s["value"] for s in summary], [1, 0, 0])

	def test_ledger_filters(self):
		def projects(**filters):
			return [r.project for r in self.ledger(self.a.approver_a, **{"year": YEAR, **filters})[1]]

		t = self.a.tree
		self.assertEqual(projects(unit=t.unit_a), [self.p1.name, self.p2.name])
		self.assertEqual(projects(unit=t.general), [])  # its subtree has no project
		self.assertEqual(projects(branch=t.branch_a1, status="In Progress"), [self.p1.name])
		self.assertEqual(projects(grade="Exemplary"), [self.p2.name])
		self.assertEqual(projects(topic_area="Party Care Mechanism"), [])
		# a unit and a branch outside it; another unit; a branch out of scope; no data that year;
		# an unknown unit: no rows, never an error
		self.assertEqual(projects(unit=t.unit_a, branch=t.branch_b1), [])
		self.assertEqual(projects(unit=t.unit_b), [])
		self.assertEqual(projects(branch=t.branch_b1), [])
		self.assertEqual(projects(year=2001), [])
		self.assertEqual(projects(unit="NO-SUCH-UNIT"), [])
		self.assertEqual(self.ledger(self.no_scope, unit=t.unit_a)[1], [])

	# --- the branch assessment ------------------------------------------------------------------

	def assessment(self, user, **filters):
		return run_as(user, lambda: assessment({"year": YEAR, **filters}))

	def test_assessment_rows_and_composite_for_the_unit_approver(self):
		_columns, data, message, chart, summary = self.assessment(self.a.approver_a)
		keys = (
			"branch_name",
			"unit_name",
			"applied",
			"minimum_met",
			"on_time_applications",
			"approved",
			"reports_on_time",
			"reports_late",
			"reports_missing",
			"first_acceptance",
			"best_stars",
			"spot_qualified",
			"spot_basically",
			"spot_unqualified",
			"commended",
			"top_ten",
			"composite",
		)
		self.assertEqual(
			[tuple(r[k] for k in keys) for r in data],
			[
				# no project: 0 + 30 (no report due) + 0 + 0 + 10 (not spot-checked)
				("检修党总支", "第一发电厂", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40.0),
				("检修二班党支部", "第一发电厂", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40.0),
				# 20 + 1/3 × 30 + 20 + 4 × 4 + 10
				("运行一值党支部", "第一发电厂", 2, 1, 2, 2, 1, 1, 1, 1, 4, 1, 0, 0, 1, 1, 76.0),
			],
		)
		self.assertEqual([s["value"] for s in summary], [3, 2, 52.0])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [40.0, 40.0, 76.0])
		self.assertEqual(chart["data"]["labels"], ["检修党总支", "检修二班党支部", "运行一值党支部"])
		for weight in ("20", "30", "× 4", "10"):
			self.assertIn(weight, message)

	def test_assessment_per_scope_and_filters(self):
		t = self.a.tree

		def rows(user, **filters):
			return [(r.branch, r.composite) for r in self.assessment(user, **filters)[1]]

		# applied late, nothing due, an unqualified spot check: 20 + 30 + 0 + 0 + 0
		self.assertEqual(rows(self.a.secretary_b), [(t.branch_b1, 50.0)])
		self.assertEqual(rows(self.a.secretary_a), [(t.branch_a1, 76.0)])
		self.assertEqual(
			rows(self.admin),
			[(t.general, 40.0), (t.branch_a2, 40.0), (t.branch_a1, 76.0), (t.branch_b1, 50.0)],
		)
		self.assertEqual(rows(self.a.approver_a, unit=t.unit_a), rows(self.a.approver_a))
		# no branch under the general branch applied: red rows
		self.assertEqual(rows(self.a.approver_a, unit=t.general), [(t.general, 40.0), (t.branch_a2, 40.0)])
		self.assertEqual(rows(self.no_scope), [])
		self.assertEqual(rows(self.a.approver_a, unit=t.unit_b), [])
		self.assertEqual(rows(self.a.approver_a, year=2001), [])
		self.assertEqual(rows(self.a.approver_a, unit="NO-SUCH-UNIT"), [])

	# --- the number cards and charts --------------------------------------------------------------

	def card(self, user, method, when=NOW):
		return run_as(user, lambda: getattr(dashboard, method)()["value"], when)

	def test_number_cards_per_user(self):
		in_2026 = "2026-12-01 10:00:00"
		# a draft Q4 report waits for the secretary of branch A1
		with frozen(in_2026):
			with self.set_user(self.a.secretary_a):
				frappe.get_doc(quarterly_report_fields(self.p1.name, YEAR, 4)).insert()
		users = (
			self.a.approver_a,
			self.a.approver_b,
			self.a.secretary_a,
			self.a.secretary_b,
			self.a.committee_a,
			self.admin,
			self.no_scope,
		)
		expected = {
			"projects_this_year": (2, 1, 2, 1, 2, 3, 0),
			# approver A: the Q3 report to review; approver B: P3 to review; secretary A: the draft
			"waiting_for_my_action": (1, 1, 1, 0, 0, 0, 0),
			"exemplary_projects": (1, 0, 1, 0, 1, 1, 0),
		}
		for method, values in expected.items():
			self.assertEqual(tuple(self.card(u, method, in_2026) for u in users), values, method)
		# Q4 2026 is overdue from 2027-01-11 (a draft is no submission)
		self.assertEqual(
			tuple(self.card(u, "overdue_quarterly_reports") for u in users), (1, 0, 1, 0, 1, 1, 0)
		)
		self.assertEqual(self.card(self.a.approver_a, "overdue_quarterly_reports", in_2026), 0)

	def test_charts_per_user(self):
		from frappe.desk.doctype.dashboard_chart.dashboard_chart import get

		from dangjian.dangjian.dashboard_chart_source.dangjian_projects_by_status import (
			dangjian_projects_by_status as by_status,
		)

		def chart(user, name):
			# the status chart has its own source (its legend translated), the other is Frappe's
			source = by_status.get if name == "Dangjian Projects by Status" else get
			data = run_as(user, lambda: source(chart_name=name, refresh=1)) or {}
			return dict(
				zip(data.get("labels", []), data.get("datasets", [{}])[0].get("values", []), strict=False)
			)

		self.assertEqual(
			chart(self.a.approver_a, "Dangjian Projects by Status"),
			{"In Progress": 1, "Evaluated": 2, "Draft": 1},
		)
		self.assertEqual(
			chart(self.a.secretary_b, "Dangjian Projects by Status"), {"Applied": 1, "Evaluated": 1}
		)
		self.assertEqual(chart(self.a.approver_a, "Dangjian Star Distribution"), {4: 1, 2: 1})
		self.assertEqual(chart(self.a.approver_b, "Dangjian Star Distribution"), {3: 1})
		self.assertEqual(chart(self.no_scope, "Dangjian Projects by Status"), {})

	def test_workspace_links_exist(self):
		workspace = frappe.get_doc("Workspace", "Dangjian")
		self.assertEqual((workspace.public, workspace.module, workspace.title), (1, "Dangjian", "Dangjian"))
		doctypes = {s.link_to for s in workspace.shortcuts if s.type == "DocType"}
		reports = {s.link_to for s in workspace.shortcuts if s.type == "Report"}
		self.assertEqual(len(doctypes), 12)
		self.assertEqual(len(reports), 6)
		for name in doctypes:
			self.assertTrue(frappe.db.exists("DocType", name), name)
		for name in reports:
			self.assertTrue(frappe.db.exists("Report", name), name)
		for row in workspace.links:
			if row.type == "Link":
				self.assertTrue(frappe.db.exists(row.link_type, row.link_to), row.link_to)
		self.assertEqual(
			sorted(c.number_card_name for c in workspace.number_cards),
			[
				"Dangjian Exemplary Projects",
				"Dangjian Overdue Quarterly Reports",
				"Dangjian Projects This Year",
				"Dangjian Unread Notices",
				"Dangjian Waiting for My Action",
			],
		)
		for card in workspace.number_cards:
			self.assertTrue(card.number_card_name.startswith("Dangjian "))
		self.assertEqual(
			sorted(c.chart_name for c in workspace.charts),
			["Dangjian Projects by Status", "Dangjian Star Distribution"],
		)

	# --- the branch's year pack ---------------------------------------------------------------------

	def pack_html(self, user, branch, year=YEAR):
		return run_as(user, lambda: branch_year_pack.get_branch_year_pack(branch, year))

	def test_year_pack_content(self):
		html = self.pack_html(self.a.secretary_a, self.a.tree.branch_a1)
		for text in (
			"运行一值党支部2026年度党建+项目述职材料",
			"第一发电厂",
			"党员先锋岗护航安全生产",
			"班组安全积分制",
			"实施中",
			"已完成1/2步",
			"2026年第2季度",
			"2026年第3季度",
			"逾期",
			"缺报：2026年第4季度",
			"验收通过",
			"★★★★☆",
			"典型示范",
			"按时1份，逾期1份，缺报1份",
			"合格1次，基本合格0次，不合格0次",
			"<b>76</b>",
		):
			self.assertIn(text, html)

	def test_year_pack_escapes_and_covers_a_branch_without_projects(self):
		html = self.pack_html(self.a.secretary_b, self.a.tree.branch_b1)
		self.assertNotIn(ATTACK, html)
		self.assertIn("燃料管理&lt;script&gt;alert(1)&lt;/script&gt;创新", html)
		self.assertIn("逾期申报", html)
		empty = self.pack_html(self.a.approver_a, self.a.tree.branch_a2)
		self.assertIn("检修二班党支部2026年度党建+项目述职材料", empty)
		self.assertIn("本年度未申报党建+项目", empty)
		self.assertIn("未达标", empty)

	def test_year_pack_permission(self):
		t = self.a.tree
		for user, branch in (
			(self.a.secretary_b, t.branch_a1),
			(self.a.approver_b, t.branch_a2),
			(self.no_scope, t.branch_a1),
			(self.outsider, t.branch_a1),
			("Guest", t.branch_a1),
		):
			with self.assertRaises(frappe.PermissionError, msg=(user, branch)):
				self.pack_html(user, branch)
		with self.assertRaises(frappe.ValidationError):
			self.pack_html(self.a.approver_a, t.unit_a)  # not a branch
		self.assertIn("运行一值党支部", self.pack_html(self.admin, t.branch_a1))

	def test_year_pack_pdf_is_a4_with_cjk_text(self):
		missing = [tool for tool in (*PDF_TOOLS, "pdfinfo") if not shutil.which(tool)]
		if missing:
			self.skipTest("PDF checks need " + ", ".join(missing))

		def download():
			branch_year_pack.download_branch_year_pack(self.a.tree.branch_a1, str(YEAR))
			return frappe._dict(frappe.local.response)

		response = run_as(self.a.approver_a, download)
		self.assertEqual(response.type, "pdf")
		# what left the app is on record: who, which branch's pack, as what
		self.assertTrue(
			frappe.db.exists(
				"Access Log",
				{
					"user": self.a.approver_a,
					"reference_document": self.a.tree.branch_a1,
					"method": "Export",
					"file_type": "PDF",
				},
			)
		)
		self.assertEqual(response.filename, f"dangjian-branch-year-pack-{self.a.tree.branch_a1}-2026.pdf")
		path = os.path.join(self.tmp, "pack.pdf")
		with open(path, "wb") as f:
			f.write(response.filecontent)
		info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
		self.assertRegex(info, r"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)")
		self.assertTrue(
			any("CJK" in font["name"] and font["emb"] == "yes" for font in embedded_fonts(path)),
			embedded_fonts(path),
		)
		text = normalize(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout)
		for expected in (
			"运行一值党支部2026年度党建+项目述职材料",
			"党员先锋岗护航安全生产",
			"缺报：2026年第4季度",
			"综合得分",
		):
			self.assertIn(normalize(expected), text)

	# --- the experience library -----------------------------------------------------------------------

	def library(self, user):
		return run_as(user, lambda: dangjian_library.get_context(frappe._dict()))

	def test_library_lists_exactly_the_exemplary_and_top_ten_projects(self):
		mine = {self.p1.name, self.p2.name, self.p3.name, self.top_ten_b, self.qualified, self.draft}
		for user in (self.a.secretary_b, self.a.approver_a, self.member, "Administrator"):
			context = self.library(user)
			shown = [p for p in context.projects if p.name in mine]
			# company-wide: newest year first
			self.assertEqual([p.name for p in shown], [self.p2.name, self.top_ten_b], user)
		p2 = next(p for p in self.library(self.a.secretary_b).projects if p.name == self.p2.name)
		self.assertEqual((p2.unit_name, p2.branch_name, p2.stars), ("第一发电厂", "运行一值党支部", 4))
		self.assertIn("经验收组验收", p2.acceptance.acceptance_report)
		# its evidence, private files too (the library serves them, see test_library)
		urls = [f.file_url for f in p2.evidence]
		self.assertIn(self.public_file, urls)
		self.assertIn(self.private_file, urls)

	def test_library_refuses_outsiders_and_users_without_scope_and_sends_guests_to_log_in(self):
		with self.assertRaises(frappe.Redirect):
			self.library("Guest")
		for user in (self.outsider, self.no_scope):
			with self.assertRaises(frappe.PermissionError, msg=user):
				self.library(user)

	def test_library_page_escapes_and_links_files_through_the_library(self):
		frappe.db.set_value("Dangjian Project", self.p2.name, "innovation_goals", f"目标{ATTACK}")
		context = self.library(self.a.approver_a)
		html = frappe.render_template("dangjian/templates/includes/dangjian_library_projects.html", context)
		self.assertNotIn(ATTACK, html)
		self.assertIn("目标&lt;script&gt;", html)
		# every file through the library's own download, never by its address
		for url in (self.public_file, self.private_file):
			name = frappe.db.get_value("File", {"file_url": url})
			self.assertIn(f"dangjian.www.dangjian_library.evidence?file={name}", html)
			self.assertNotIn(f'href="{url}"', html)
		self.assertNotIn(frappe.db.get_value("Dangjian Project", self.qualified, "project_name") + "<", html)

	# --- query counts ---------------------------------------------------------------------------------

	def test_reports_issue_the_same_number_of_queries_for_1_and_4_projects(self):
		b = make_actors("LQ")

		def counts():
			frappe.set_user(b.approver_a)
			try:
				with frozen(NOW):
					out = []
					for run in (
						lambda: ledger({"year": YEAR, "unit": b.tree.unit_a}),
						lambda: assessment({"year": YEAR, "unit": b.tree.unit_a}),
						lambda: branch_year_pack.get_branch_year_pack(b.tree.branch_a1, YEAR),
					):
						run()  # warm the caches
						with count_queries() as queries:
							run()
						out.append(len(queries))
					return out
			finally:
				frappe.set_user("Administrator")

		first = in_progress_project(b, on="2026-01-12")
		report(b, first.name, 2, on="2026-07-05")
		one = counts()
		for on in ("2026-01-13", "2026-01-14"):
			other = in_progress_project(b, on=on)
			report(b, other.name, 2, on="2026-07-06")
		with frozen("2026-03-01"):
			act(make_project(b.tree.branch_a2, year=YEAR), "Apply", make_secretary(b.tree.branch_a2))
		self.assertEqual(frappe.db.count("Dangjian Project", {"branch": ("like", "LQ%")}), 4)
		self.assertEqual(counts(), one)


def make_secretary(branch: str) -> str:
	from dangjian.tests.utils import set_secretary

	user = make_user(f"{branch.lower()}-sec")
	set_secretary(branch, user)
	return user


def attach(project: str, file_name: str, is_private: int) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": "佐证材料".encode(),
			"is_private": is_private,
			"attached_to_doctype": "Dangjian Project",
			"attached_to_name": project,
		}
	).insert(ignore_permissions=True)
	return doc.file_url
