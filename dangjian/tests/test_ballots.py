"""Ballots on the phone (dangjian.ballots): issued on an open evaluation, voted once on the page
without a login, through the desk's own validation; refused when used, expired, forged or sent
to another evaluation; invisible to guests; the secret never stored."""

import base64
import hashlib
import re
import threading
from urllib.parse import parse_qs, urlsplit

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request
from frappe.website.serve import get_response

from dangjian import ballots
from dangjian.tests.utils import (
	PANEL,
	accepted_project,
	add_member,
	make_actors,
	make_user,
	open_evaluation,
	paper_ballot,
)
from dangjian.workflows import as_user

BALLOT = "Dangjian Ballot"
SCORE = "Dangjian Evaluation Score"
CATEGORIES = ("Party Member", "Cadre", "Masses Representative")


def secret_of(url: str) -> str:
	return parse_qs(urlsplit(url).query)["t"][0]


class TestBallots(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("BL")
		cls.admin = make_user("bl-company-admin")
		add_member(cls.a.tree.company, cls.admin, "Administrator")
		cls.project = accepted_project(cls.a, project_name="手机投票测试项目甲")
		cls.evaluation = open_evaluation(cls.a, cls.project.name).name
		other = accepted_project(cls.a, project_name="手机投票测试项目乙")
		cls.other_evaluation = open_evaluation(cls.a, other.name).name

	def setUp(self):
		self.lang = frappe.local.lang
		frappe.local.lang = "zh"
		frappe.local.request_ip = self.ip = "127.0.0.1"
		frappe.cache.delete(ballots.failed_key())

	def tearDown(self):
		frappe.local.lang = self.lang
		frappe.local.request = None
		frappe.cache.delete(ballots.failed_key())
		frappe.set_user("Administrator")

	# --- helpers ---------------------------------------------------------------------------------

	def issue(self, category: str, count: int = 1, evaluation: str | None = None, **kwargs) -> list:
		with as_user(self.a.approver_a):
			return ballots.issue_ballots(evaluation or self.evaluation, category, count=count, **kwargs)

	def open_page(self, url: str) -> str:
		parts = urlsplit(url)
		frappe.set_user("Guest")
		set_request(method="GET", path=parts.path, query_string=parts.query)
		frappe.local.request_ip = "127.0.0.1"
		frappe.local.form_dict = frappe._dict(parse_qs(parts.query) and {"t": secret_of(url)})
		response = get_response()
		self.assertEqual(response.status_code, 200)
		return frappe.safe_decode(response.get_data())

	def post(self, url_or_secret: str, **values) -> frappe._dict:
		"""POST the page's form as a guest: what the page said."""
		secret = secret_of(url_or_secret) if "?t=" in url_or_secret else url_or_secret
		frappe.set_user("Guest")
		set_request(method="POST", path="/api/method/dangjian.ballots.vote")
		frappe.local.request_ip = self.ip
		frappe.local.form_dict = frappe._dict(cmd="dangjian.ballots.vote", t=secret, **values)
		frappe.local.response = frappe._dict()
		frappe.local.message_title = frappe.local.message = None
		ballots.vote(t=secret, **values)
		context = frappe.local.response.get("context") or {}
		frappe.set_user("Administrator")
		return frappe._dict(
			title=frappe.local.message_title,
			html=frappe.local.message or "",
			colour=context.get("indicator_color"),
		)

	def vote(self, url: str, vote="Satisfied", benefit=90, replicability=80, **extra) -> frappe._dict:
		values = {
			"satisfaction_vote": vote,
			"benefit_score": str(benefit),
			"replicability_score": str(replicability),
			"evaluation": extra.pop("evaluation", self.evaluation),
			**extra,
		}
		confirm = self.post(url, **values)
		if "dj-vote-error" in confirm.html:
			return confirm
		self.assertIn("dj-vote-confirm", confirm.html, "a confirmation comes before the vote")
		return self.post(url, confirm="1", **values)

	def scores(self, evaluation: str | None = None) -> int:
		return frappe.db.count(SCORE, {"evaluation": evaluation or self.evaluation, "docstatus": 1})

	def assert_refused(self, result, fragment: str):
		self.assertIn("dj-vote-error", result.html)
		self.assertIn(fragment, result.html)
		self.assertNotEqual(result.colour, "green")

	# --- the whole path -----------------------------------------------------------------------------

	def score_names(self) -> set:
		return set(frappe.get_all(SCORE, filters={"evaluation": self.evaluation}, pluck="name"))

	def test_three_categories_vote_and_the_results_move(self):
		before = frappe.get_doc("Dangjian Evaluation", self.evaluation)
		names_before = self.score_names()
		issued = [self.issue(category)[0] for category in CATEGORIES]
		self.assertEqual(len(issued), 3)
		for row in issued:
			self.assertIn("/dangjian-vote?t=", row["url"])

		html = self.open_page(issued[0]["url"])
		for text in ("手机投票测试项目甲", "满意", "基本满意", "不满意", "综合效益", "经验可推广性", "党员"):
			self.assertIn(text, html)
		self.assertIn('name="viewport"', html)
		self.assertIn('max="100"', html)

		votes = (("Satisfied", 90, 80), ("Basically Satisfied", 80, 70), ("Unsatisfied", 60, 50))
		for row, (vote, benefit, replicability) in zip(issued, votes, strict=True):
			done = self.vote(row["url"], vote, benefit, replicability)
			self.assertEqual(done.colour, "green", done.html)
			self.assertIn("手机投票测试项目甲", done.html)

		self.assertEqual(self.scores() - before.score_count, 3)
		evaluation = frappe.get_doc("Dangjian Evaluation", self.evaluation)
		self.assertEqual(evaluation.score_count, before.score_count + 3)
		self.assertEqual(evaluation.masses_count, before.masses_count + 1)
		label = ballots.phone_ballot_label()
		for row in issued:
			ballot = frappe.get_doc(BALLOT, row["ballot"])
			self.assertEqual(ballot.status, "Used")
			self.assertTrue(ballot.used_on)
		new = [frappe.get_doc(SCORE, name) for name in self.score_names() - names_before]
		self.assertEqual(
			sorted((s.docstatus, s.category, s.satisfaction_vote, s.benefit_score) for s in new),
			sorted(
				(1, category, vote, benefit)
				for category, (vote, benefit, _r) in zip(CATEGORIES, votes, strict=True)
			),
		)
		for score in new:
			self.assertTrue(score.evaluator_name.startswith(label + " "))
			self.assertFalse(score.evaluator_user)
			self.assertEqual((score.is_paper_ballot, score.entered_by), (1, ballots.VOTE_USER))

		progress = ballots.ballot_progress(self.evaluation)
		self.assertGreaterEqual(progress["used"], 3)
		self.assertEqual([r["category"] for r in progress["rows"]], list(CATEGORIES))

		# used: refused, nothing changes
		count = self.scores()
		again = self.vote(issued[0]["url"])
		self.assert_refused(again, "已使用")
		self.assertEqual(self.scores(), count)
		self.assertIn("已使用", self.open_page(issued[0]["url"]))

	def test_named_ballot_does_not_lead_to_its_vote(self):
		row = self.issue("Cadre", invitees=[{"invitee_name": "王五", "mobile": "13800000000"}])[0]
		self.assertEqual(row["invitee_name"], "王五")
		self.assertEqual(self.vote(row["url"]).colour, "green")
		ballot = frappe.get_doc(BALLOT, row["ballot"])
		self.assertEqual(ballot.status, "Used")
		self.assertFalse(frappe.db.exists(SCORE, {"evaluator_name": ("like", "%王五%")}))

	# --- the secret ballot: nothing maps a used ballot to its vote ----------------------------------

	def test_a_used_ballot_does_not_lead_to_its_vote(self):
		"""The issuer sees which ballots were used, never which score each became: no link either
		way, no issuer on the score, no time of the vote on the ballot, no Version of the ballot,
		no log naming it, nothing through the REST API's reads."""
		for kwargs in ({"count": 1}, {"invitees": [{"invitee_name": "赵六", "email": "zl@example.com"}]}):
			row = self.issue("Masses Representative", **kwargs)[0]
			secret = secret_of(row["url"])
			token = hashlib.sha256(secret.encode()).hexdigest()
			issued = frappe.db.sql(f"select * from `tab{BALLOT}` where name=%s", row["ballot"], as_dict=True)[
				0
			]
			names_before = self.score_names()
			logs = {dt: frappe.db.count(dt) for dt in ("Error Log", "Access Log")}
			self.assertEqual(self.vote(row["url"]).colour, "green")
			(score_name,) = self.score_names() - names_before
			score = frappe.db.sql(f"select * from `tab{SCORE}` where name=%s", score_name, as_dict=True)[0]
			ballot = frappe.db.sql(f"select * from `tab{BALLOT}` where name=%s", row["ballot"], as_dict=True)[
				0
			]

			# the ballot: used, the day only, its row otherwise as issued
			self.assertEqual((ballot.status, str(ballot.used_on)), ("Used", frappe.utils.nowdate()))
			self.assertFalse(frappe.db.has_column(BALLOT, "score"), "a ballot keeps no link to a score")
			self.assertEqual((ballot.modified, ballot.modified_by), (issued.modified, issued.modified_by))
			self.assertEqual(
				{k: v for k, v in ballot.items() if k not in ("status", "used_on")},
				{k: v for k, v in issued.items() if k not in ("status", "used_on")},
			)
			self.assertNotIn(score_name, [str(v) for v in ballot.values()])
			self.assertFalse(
				frappe.get_all("Version", filters={"ref_doctype": BALLOT, "docname": row["ballot"]})
			)

			# the score: written by the neutral user, nothing of the ballot or its issuer
			self.assertEqual((score.owner, score.modified_by, score.entered_by), (ballots.VOTE_USER,) * 3)
			self.assertNotEqual(ballots.VOTE_USER, self.a.approver_a)
			values = " ".join(str(v) for v in score.values())
			for trace in (row["ballot"], token, secret, "赵六", "zl@example.com", self.a.approver_a):
				self.assertNotIn(trace, values)
			for version in frappe.get_all(
				"Version", filters={"ref_doctype": SCORE, "docname": score_name}, fields=["owner", "data"]
			):
				self.assertEqual(version.owner, ballots.VOTE_USER)
				for trace in (row["ballot"], token, self.a.approver_a):
					self.assertNotIn(trace, version.data)
			# no log of the vote names the ballot
			for doctype, count in logs.items():
				new_entries = frappe.db.count(doctype) - count
				if not new_entries:
					continue
				for entry in frappe.get_all(
					doctype, fields=["*"], order_by="creation desc", limit=new_entries
				):
					text = frappe.as_json(entry)
					for trace in (row["ballot"], token, secret, score_name):
						self.assertNotIn(trace, text, doctype)

			# the issuer's reads, as the REST API makes them
			with as_user(self.a.approver_a):
				listed = frappe.get_list(BALLOT, filters={"name": row["ballot"]}, fields=["*"])
				read = frappe.get_doc(BALLOT, row["ballot"]).as_dict()
			self.assertEqual(len(listed), 1)
			for shown in (listed[0], read):
				self.assertEqual(shown["status"], "Used")
				self.assertNotIn(score_name, [str(v) for v in shown.values()])
				self.assertNotIn("score", shown)

	def test_a_ballot_of_the_company_administrator_votes(self):
		"""The score is written by the neutral user once the issuer's right is checked: a ballot
		issued by the company administrator (who issues, but enters no scores) votes too."""
		with as_user(self.admin):
			row = ballots.issue_ballots(self.evaluation, "Party Member", count=1)[0]
		self.assertEqual(self.vote(row["url"]).colour, "green")
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Used")

	def test_a_logged_in_voter_keeps_their_session(self):
		row = self.issue("Cadre")[0]
		user = self.a.secretary_b
		set_request(method="POST", path="/api/method/dangjian.ballots.vote")
		frappe.local.request_ip = "127.0.0.1"
		frappe.set_user(user)
		frappe.local.session.sid = "a-session-id"
		frappe.local.session.data = frappe._dict(csrf_token="a-csrf-token")
		frappe.local.form_dict = frappe._dict(cmd="dangjian.ballots.vote")
		frappe.local.response = frappe._dict()
		values = {"satisfaction_vote": "Satisfied", "benefit_score": "70", "replicability_score": "70"}
		ballots.vote(t=secret_of(row["url"]), evaluation=self.evaluation, confirm="1", **values)
		self.assertEqual(frappe.local.response.get("context", {}).get("indicator_color"), "green")
		self.assertEqual(
			(frappe.session.user, frappe.local.session.sid, frappe.local.session.data.csrf_token),
			(user, "a-session-id", "a-csrf-token"),
		)
		self.assertEqual(frappe.local.form_dict.cmd, "dangjian.ballots.vote")
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Used")

	def test_the_secret_is_not_stored(self):
		row = self.issue("Party Member")[0]
		secret = secret_of(row["url"])
		self.assertGreaterEqual(len(secret), 40)
		stored = frappe.db.sql(f"select * from `tab{BALLOT}` where name=%s", row["ballot"], as_dict=True)[0]
		self.assertEqual(stored.token_hash, hashlib.sha256(secret.encode()).hexdigest())
		self.assertFalse([value for value in stored.values() if value and secret in str(value)])

	# --- refusals --------------------------------------------------------------------------------

	def test_a_failed_post_counts_once_against_the_ip(self):
		self.assert_refused(self.post("y" * 43, evaluation=self.evaluation), "无效")
		self.assertEqual(ballots.failed_count(), 1)

	def test_forged_and_altered_tokens_are_refused(self):
		row = self.issue("Party Member")[0]
		secret = secret_of(row["url"])
		count = self.scores()
		altered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
		for token in (altered, "x" * 43, ""):
			self.assert_refused(self.vote(token), "无效")
		self.assertEqual(self.scores(), count)
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
		self.assertIn("无效", self.open_page("/dangjian-vote?t=" + altered))

	def test_a_token_of_one_evaluation_cannot_vote_on_another(self):
		row = self.issue("Cadre")[0]
		count, other = self.scores(), self.scores(self.other_evaluation)
		refused = self.vote(row["url"], evaluation=self.other_evaluation)
		self.assert_refused(refused, "另一")
		self.assertEqual((self.scores(), self.scores(self.other_evaluation)), (count, other))
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")

	def test_out_of_range_scores_are_refused_with_the_desks_message(self):
		row = self.issue("Masses Representative")[0]
		count = self.scores()
		for benefit, replicability in ((120, 50), (-1, 50), (50, "abc")):
			refused = self.post(
				row["url"],
				evaluation=self.evaluation,
				satisfaction_vote="Satisfied",
				benefit_score=str(benefit),
				replicability_score=str(replicability),
				confirm="1",
			)
			self.assert_refused(refused, str(benefit if benefit != 50 else replicability))
			# the desk's own words
			with as_user(self.a.approver_a):
				with self.assertRaises(frappe.ValidationError) as desk:
					paper_ballot(
						self.a, self.evaluation, "桌面", "Cadre", "Satisfied", benefit, replicability
					)
			frappe.clear_messages()
			desk_message = frappe.utils.strip_html(str(desk.exception))
			self.assertIn(frappe.utils.escape_html(desk_message), refused.html)
		refused = self.post(
			row["url"], evaluation=self.evaluation, benefit_score="50", replicability_score="50", confirm="1"
		)
		self.assert_refused(refused, "满意")
		self.assertEqual(self.scores(), count)
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")

	def test_repeated_wrong_tokens_on_the_vote_endpoint_are_logged_then_refused(self):
		row = self.issue("Cadre")[0]
		frappe.local.request_ip = self.ip = "10.77.0.2"
		frappe.cache.delete(ballots.failed_key())
		before = frappe.db.count("Error Log", {"method": ("like", "Dangjian ballot%")})
		count = self.scores()
		secret = secret_of(row["url"])
		wrong = [secret[:-1] + ("A" if secret[-1] != "A" else "B"), "z" * 43]
		for i in range(ballots.FAILED_LIMIT):
			refused = self.post(wrong[i % 2], evaluation=self.evaluation, confirm="1")
			self.assert_refused(refused, "无效")
		self.assertEqual(ballots.failed_count(), ballots.FAILED_LIMIT)
		# the counter ends with its window
		self.assertTrue(0 < frappe.cache.ttl(ballots.failed_key()) <= ballots.FAILED_WINDOW)
		logged = frappe.get_all(
			"Error Log",
			filters={"method": ("like", "Dangjian ballot%")},
			fields=["method", "error"],
			order_by="creation desc",
			limit=2,
		)
		self.assertEqual(frappe.db.count("Error Log", {"method": ("like", "Dangjian ballot%")}), before + 2)
		self.assertIn("blocked", logged[0].method)
		self.assertIn("10.77.0.2", logged[0].error)
		for entry in logged:
			self.assertNotIn(secret, entry.error)
		# now even the right token is refused from that address, and nothing is written
		blocked = self.vote(row["url"])
		self.assert_refused(blocked, "过多")
		self.assertEqual(self.scores(), count)
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
		frappe.local.request_ip = "10.77.0.2"
		frappe.cache.delete(ballots.failed_key())
		# another address is not blocked
		frappe.local.request_ip = "10.77.0.3"
		self.assertEqual(ballots.find_ballot(secret).name, row["ballot"])

	def test_limits_let_a_meeting_of_200_vote_in_a_minute(self):
		meeting = 200 * 2  # each voter posts twice: check, then confirm
		self.assertGreaterEqual(ballots.IP_LIMIT, meeting)
		self.assertGreaterEqual(ballots.EVALUATION_LIMIT, meeting)
		self.assertGreaterEqual(ballots.MAX_BALLOTS, 200)
		# and guessing stays bounded far below
		self.assertLessEqual(ballots.FAILED_LIMIT, 100)

	def test_an_over_long_comment_is_refused_not_cut(self):
		row = self.issue("Cadre")[0]
		count = self.scores()
		refused = self.vote(row["url"], comment="意" * (ballots.COMMENT_LENGTH + 1))
		self.assert_refused(refused, f"意见最多 {ballots.COMMENT_LENGTH} 个字")
		self.assertIn("意" * (ballots.COMMENT_LENGTH + 1), refused.html, "what was typed is shown again")
		self.assertEqual(self.scores(), count)
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
		self.assertEqual(self.vote(row["url"], comment="意" * ballots.COMMENT_LENGTH).colour, "green")

	def test_guessing_is_logged_and_then_refused(self):
		row = self.issue("Cadre")[0]
		frappe.local.request_ip = "10.77.0.1"
		frappe.cache.delete(ballots.failed_key())
		logs = frappe.db.count("Error Log", {"method": ("like", "Dangjian ballot%")})
		for i in range(ballots.FAILED_LIMIT):
			with self.assertRaises(ballots.BallotRefused):
				ballots.find_ballot(f"guess-{i:040d}")
		self.assertEqual(frappe.db.count("Error Log", {"method": ("like", "Dangjian ballot%")}), logs + 2)
		with self.assertRaises(ballots.BallotRefused) as blocked:
			ballots.find_ballot(secret_of(row["url"]))
		self.assertIn("过多", str(blocked.exception))
		frappe.cache.delete(ballots.failed_key())
		frappe.local.request_ip = "127.0.0.1"
		self.assertEqual(ballots.find_ballot(secret_of(row["url"])).name, row["ballot"])

	def test_posts_per_evaluation_are_limited(self):
		row = self.issue("Cadre")[0]
		key = frappe.cache.make_key(f"dangjian-ballot-evaluation:{self.evaluation}")
		frappe.cache.setex(key, 60, ballots.EVALUATION_LIMIT)
		try:
			refused = self.vote(row["url"])
		finally:
			frappe.cache.delete(key)
		self.assert_refused(refused, "过多")
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
		self.assertEqual(self.vote(row["url"]).colour, "green")

	def test_deleting_a_draft_evaluation_takes_its_unused_ballots(self):
		project = accepted_project(self.a, project_name="手机投票测试项目丁")
		evaluation = open_evaluation(self.a, project.name).name
		names = [row["ballot"] for row in self.issue("Cadre", count=2, evaluation=evaluation)]
		with as_user(self.a.approver_a):
			frappe.delete_doc("Dangjian Evaluation", evaluation)
		self.assertFalse(frappe.db.exists(BALLOT, {"name": ("in", names)}))

	# --- who issues, who reads --------------------------------------------------------------------

	def test_only_the_department_issues_on_an_open_evaluation(self):
		for user in (self.a.secretary_a, self.a.approver_b, "Guest"):
			with as_user(user), self.assertRaises(frappe.PermissionError):
				ballots.issue_ballots(self.evaluation, "Cadre", count=1)
		with as_user(self.admin):
			self.assertEqual(len(ballots.issue_ballots(self.evaluation, "Cadre", count=2)), 2)
		with as_user(self.a.approver_a):
			with self.assertRaises(frappe.ValidationError):
				ballots.issue_ballots(self.evaluation, "Nobody", count=1)
			with self.assertRaises(frappe.ValidationError):
				ballots.issue_ballots(self.evaluation, "Cadre", count=ballots.MAX_BALLOTS + 1)
			# by hand (the REST API's insert): refused
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": BALLOT,
						"evaluation": self.evaluation,
						"category": "Cadre",
						"token_hash": "0" * 64,
					}
				).insert()

	def test_the_qr_sheet_of_ballots_just_issued(self):
		issued = self.issue("Masses Representative", count=3)
		urls = [row["url"] for row in issued]
		with as_user(self.a.approver_a):
			html = ballots.ballot_sheet(self.evaluation, urls)
		self.assertEqual(html.count("data:image/svg+xml;base64,"), 3)
		self.assertEqual(html.count('class="dj-slip"'), 3)
		self.assertIn("群众代表", html)
		self.assertIn("手机投票测试项目甲", html)
		self.assertIn("@page { size: A4", html)
		svg = re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1)
		self.assertIn("<svg", base64.b64decode(svg).decode())
		# only unused ballots of this evaluation, only for who may issue
		other = self.issue("Cadre", evaluation=self.other_evaluation)[0]["url"]
		with as_user(self.a.approver_a), self.assertRaises(frappe.ValidationError):
			ballots.ballot_sheet(self.evaluation, [*urls, other])
		with as_user(self.a.secretary_a), self.assertRaises(frappe.PermissionError):
			ballots.ballot_sheet(self.evaluation, urls)

	def test_guests_and_outsiders_cannot_list_or_read_ballots_or_scores(self):
		row = self.issue("Party Member")[0]
		names_before = self.score_names()
		self.assertEqual(self.vote(row["url"]).colour, "green")
		(score,) = self.score_names() - names_before
		with as_user(self.a.approver_a):
			self.assertIn(row["ballot"], frappe.get_list(BALLOT, pluck="name"))
			self.assertTrue(frappe.has_permission(BALLOT, "read", row["ballot"]))
			self.assertFalse(frappe.has_permission(BALLOT, "write", row["ballot"]))
		for user in ("Guest", self.a.secretary_a, self.a.approver_b):
			with as_user(user):
				for doctype, name in ((BALLOT, row["ballot"]), (SCORE, score)):
					self.assertFalse(frappe.has_permission(doctype, "read", name), (user, doctype))
					try:
						listed = frappe.get_list(doctype, pluck="name")
					except frappe.PermissionError:
						listed = []
					self.assertNotIn(name, listed, (user, doctype))

	def test_an_expired_ballot_is_refused(self):
		project = accepted_project(self.a, project_name="手机投票测试项目丙")
		evaluation = open_evaluation(self.a, project.name).name
		row = self.issue("Cadre", evaluation=evaluation)[0]
		for ballot in PANEL:
			paper_ballot(self.a, evaluation, *ballot)
		with as_user(self.a.approver_a):
			frappe.get_doc("Dangjian Evaluation", evaluation).submit()
		count = self.scores(evaluation)
		self.assert_refused(self.vote(row["url"], evaluation=evaluation), "已过期")
		self.assertEqual(self.scores(evaluation), count)
		self.assertEqual(frappe.db.get_value(BALLOT, row["ballot"], "status"), "Issued")
		with as_user(self.a.approver_a), self.assertRaises(frappe.ValidationError):
			ballots.issue_ballots(evaluation, "Cadre", count=1)


def vote_elsewhere(site: str, secret: str, evaluation: str, barrier, results: list) -> None:
	"""A phone posting the confirmed vote, on its own database connection."""
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Guest")
		barrier.wait(timeout=30)
		ballots.vote(
			t=secret,
			evaluation=evaluation,
			satisfaction_vote="Satisfied",
			benefit_score="90",
			replicability_score="85",
			confirm="1",
		)
		frappe.db.commit()
		error = re.search(r'role="alert">([^<]*)', frappe.local.message or "")
		results.append((frappe.local.message_title, error.group(1) if error else ""))
	except Exception as error:
		results.append(repr(error))
	finally:
		frappe.destroy()


class TestSimultaneousVotes(FrappeTestCase):
	"""Two posts of one ballot at the same moment count once. The phones run in threads with their
	own connections, so this class commits its records (the factories find them again on the
	next run)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors("BC")
		project = accepted_project(cls.a, project_name="手机投票并发测试项目")
		cls.evaluation = (
			frappe.db.get_value("Dangjian Evaluation", {"project": project.name, "docstatus": 0})
			or open_evaluation(cls.a, project.name).name
		)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_double_post_counts_once(self):
		with as_user(self.a.approver_a):
			row = ballots.issue_ballots(self.evaluation, "Masses Representative", count=1)[0]
		frappe.db.commit()
		before = frappe.db.count(SCORE, {"evaluation": self.evaluation, "docstatus": 1})
		barrier, results = threading.Barrier(2), []
		threads = [
			threading.Thread(
				target=vote_elsewhere,
				args=(frappe.local.site, secret_of(row["url"]), self.evaluation, barrier, results),
			)
			for _i in range(2)
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=120)
		frappe.db.rollback()  # a fresh snapshot: what the two committed
		self.assertEqual(len(results), 2, results)
		self.assertEqual(sorted(title for title, _error in results), ["感谢您的投票", "选票不可用"], results)
		self.assertIn("已使用", dict(results)["选票不可用"])
		self.assertEqual(frappe.db.count(SCORE, {"evaluation": self.evaluation, "docstatus": 1}), before + 1)
		ballot = frappe.get_doc(BALLOT, row["ballot"])
		self.assertEqual(ballot.status, "Used")
		evaluation = frappe.get_doc("Dangjian Evaluation", self.evaluation)
		self.assertEqual(evaluation.score_count, before + 1)
