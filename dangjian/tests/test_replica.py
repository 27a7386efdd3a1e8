# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""Reports and the desk home from a read replica (Frappe's ``read_from_replica``).

Runs on the site the test command makes for it (scripts/test.sh, stage "replica"): its database
on a primary MariaDB server of its own, and a second server replicating from it through the
binlog, read-only for everyone but root (scripts/replica.sh). On any other site it is skipped.

What it proves: each of the app's reports (as the desk runs them, ``frappe.desk.query_report.run``),
the workspace's number cards, the status chart, a project's history, a branch's year pack and
the experience library read from the replica and issue no query on the primary (the servers' own
``Com_select`` counters); none of them writes (a write on that path fails there, as the first
test shows); writes still go to the primary; and when the replica lags, a report still answers,
with the data the replica has — the user sees the state of a moment ago, without a warning, and
the next run after the replica catches up shows the change."""

import json
import os
import time

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from dangjian.perf import benchmark, generator

PREFIX = "RP"
STATUSES = ("Evaluated", "In Progress", "Accepted", "Acceptance Applied")


def server(port: int):
	"""A root connection to one of the two servers (its counters, its replication)."""
	return pymysql.connect(
		host="127.0.0.1",
		port=int(port),
		user="root",
		password=os.environ.get("DB_ROOT_PASSWORD", "root"),
		autocommit=True,
	)


def selects(conn) -> int:
	with conn.cursor() as cursor:
		cursor.execute("show global status like 'Com_select'")
		return int(cursor.fetchone()[1])


def as_a_new_request(call):
	"""``call`` as in a request of its own: Frappe swaps to the replica once per request (it
	keeps ``local.replica_db`` until the request ends), so each call here starts without it."""
	for attr in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)
	return call()


class TestReadReplica(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.conf.read_from_replica:
			raise __import__("unittest").SkipTest("runs on the replica site of scripts/test.sh")
		cls.primary = server(frappe.conf.db_port)
		cls.replica = server(frappe.conf.replica_db_port)
		cls.data = generator.Generator(4, seed=11, years=2, prefix=PREFIX, statuses=STATUSES)
		if not frappe.db.exists("User", cls.data.secretary_user):
			cls.data.run(lambda *args: None)
			from frappe.core.doctype.access_log.access_log import make_access_log

			make_access_log(report_name="Dangjian Project Ledger", file_type="Excel", method="Export")
			frappe.db.commit()  # nosemgrep: the replica sees committed data only
		cls.catch_up()
		# the secretary's branch, the one the generator made first
		cls.branch = frappe.db.get_value(
			"User Permission",
			{"user": cls.data.secretary_user, "allow": "Party Organization"},
			"for_value",
		)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		if hasattr(cls, "replica"):
			with cls.replica.cursor() as cursor:
				cursor.execute("start slave")
			cls.primary.close()
			cls.replica.close()
		super().tearDownClass()

	@classmethod
	def catch_up(cls, seconds: int = 60) -> None:
		"""Wait until the replica has applied everything the primary has written."""
		with cls.primary.cursor() as cursor:
			cursor.execute("select @@gtid_binlog_pos")
			position = cursor.fetchone()[0]
		with cls.replica.cursor() as cursor:
			cursor.execute("select master_gtid_wait(%s, %s)", (position, seconds))
			if cursor.fetchone()[0] != 0:
				raise AssertionError(f"the replica did not reach {position} in {seconds} s")

	def tearDown(self):
		frappe.set_user("Administrator")

	def replica_queries(self, what: str, user: str, call) -> tuple[int, object]:
		"""Run ``call`` as ``user``; assert it issued no query on the primary. Answers the number
		of queries the replica answered, and the result."""
		frappe.set_user(user)
		as_a_new_request(call)  # warm: meta, permissions, translations in Redis, as a second visit
		before = selects(self.primary), selects(self.replica)
		result = as_a_new_request(call)
		after = selects(self.primary), selects(self.replica)
		frappe.set_user("Administrator")
		self.assertEqual(after[0] - before[0], 0, f"{what}: queried the primary")
		return after[1] - before[1], result

	def on_replica_only(self, what: str, user: str, call):
		"""``replica_queries``, and the replica answered at least one query."""
		queries, result = self.replica_queries(what, user, call)
		self.assertGreater(queries, 0, f"{what}: never reached the replica")
		return result

	def test_the_replica_refuses_writes(self):
		"""The proof below means something: a write on the read path would fail."""
		write = frappe.read_only()(
			lambda: frappe.db.sql("update `tabDefaultValue` set defvalue = defvalue where 1 = 0")
		)
		with self.assertRaises(pymysql.err.OperationalError) as refused:
			as_a_new_request(write)
		self.assertIn("read-only", str(refused.exception))

	def test_reports_read_from_the_replica(self):
		from frappe.desk.query_report import run

		reports = benchmark.app_reports()
		self.assertGreaterEqual(len(reports), 6)
		year = getdate(nowdate()).year
		for user in (self.data.admin_user, self.data.approver_user, self.data.secretary_user):
			rows = 0
			frappe.set_user(user)
			allowed = [report for report in reports if frappe.get_doc("Report", report).is_permitted()]
			frappe.set_user("Administrator")
			self.assertTrue(allowed, user)
			for report in allowed:
				for filters in ({"year": year}, {"year": year - 1}):
					result = self.on_replica_only(
						f"{report} as {user}",
						user,
						lambda report=report, filters=filters: run(
							report, filters=json.dumps(filters), ignore_prepared_report=True
						),
					)
					rows += len(result["result"])
			self.assertGreater(rows, 0, f"{user} saw no rows: the comparison proved nothing")

	def test_desk_home_history_pack_and_library_read_from_the_replica(self):
		from dangjian.dangjian.dashboard_chart_source.dangjian_projects_by_status import (
			dangjian_projects_by_status as chart,
		)
		from dangjian.dangjian.doctype.dangjian_project.timeline import get_project_timeline
		from dangjian.dangjian.report.dangjian_branch_assessment.branch_year_pack import (
			get_branch_year_pack,
		)
		from dangjian.www import dangjian_library

		cards = [card for card in benchmark.number_cards() if card.get("method")]
		self.assertTrue(cards)
		for user in (self.data.admin_user, self.data.approver_user, self.data.secretary_user):
			# a card may have nothing to ask for a role (no workflow state to act on)
			queries = sum(
				self.replica_queries(card["name"], user, frappe.get_attr(card["method"]))[0] for card in cards
			)
			self.assertGreater(queries, 0, f"the cards of {user} never reached the replica")
			self.on_replica_only("status chart", user, chart.get)
			self.on_replica_only("library", user, lambda: dangjian_library.get_context(frappe._dict()))
		branch = self.branch
		project = frappe.db.get_value("Dangjian Project", {"branch": branch}, "name")
		self.assertTrue(project)
		history = self.on_replica_only(
			"history", self.data.secretary_user, lambda: get_project_timeline(project)
		)
		self.assertTrue(history)
		pack = self.on_replica_only(
			"year pack",
			self.data.secretary_user,
			lambda: get_branch_year_pack(branch, getdate(nowdate()).year),
		)
		self.assertIn("述职材料", pack)

	def test_writes_go_to_the_primary_and_a_lagging_replica_still_answers(self):
		from frappe.desk.query_report import run

		project, old_name = frappe.db.get_value(
			"Dangjian Project", {"branch": self.branch}, ["name", "project_name"]
		)
		new_name = f"{old_name} (renamed on the primary)"
		year = frappe.db.get_value("Dangjian Project", project, "year")

		def ledger_names():
			frappe.set_user(self.data.admin_user)
			result = as_a_new_request(
				lambda: run(
					"Dangjian Project Ledger", filters=json.dumps({"year": year}), ignore_prepared_report=True
				)
			)
			frappe.set_user("Administrator")
			return {row.get("project_name") for row in result["result"] if isinstance(row, dict)}

		self.assertIn(old_name, ledger_names())
		with self.replica.cursor() as cursor:
			cursor.execute("stop slave sql_thread")
		try:
			frappe.db.set_value("Dangjian Project", project, "project_name", new_name)
			frappe.db.commit()  # nosemgrep: the write, on the primary
			self.assertEqual(frappe.db.get_value("Dangjian Project", project, "project_name"), new_name)
			# lagging: the report answers, from the replica's state of a moment ago
			names = ledger_names()
			self.assertIn(old_name, names)
			self.assertNotIn(new_name, names)
		finally:
			with self.replica.cursor() as cursor:
				cursor.execute("start slave sql_thread")
		self.catch_up()
		deadline = time.monotonic() + 30
		while new_name not in ledger_names() and time.monotonic() < deadline:
			time.sleep(0.5)
		self.assertIn(new_name, ledger_names())
		frappe.db.set_value("Dangjian Project", project, "project_name", old_name)
		frappe.db.commit()  # nosemgrep: put it back
		self.catch_up()
