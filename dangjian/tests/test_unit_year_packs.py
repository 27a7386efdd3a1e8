# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""A unit's year packs in one ZIP, made by a real RQ job: the approver asks, the job is queued
on the ``long`` queue, a separate process runs it as an RQ worker does (Frappe's
``execute_job``: its own connection, its own commit), and the ZIP lands as a private File on the
unit with a bell entry for the approver. The worker sees only committed data, so this class
commits its tree and removes everything it made afterwards."""

import io
import os
import subprocess
import sys
import zipfile

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import create_job_id, get_job

from dangjian.dangjian.report.dangjian_branch_assessment import unit_year_packs
from dangjian.tests.utils import as_user, make_actors

PREFIX = "YPK"
YEAR = 2026
# run one queued job, by its id, through RQ's own worker in a process of its own
RUN_JOB = """
import sys
import time
import frappe
from frappe.utils.background_jobs import get_redis_conn
from rq import Queue, SimpleWorker
from rq.job import Job

frappe.init(site=sys.argv[1], sites_path=".")
conn = get_redis_conn()
frappe.destroy()
job = Job.fetch(sys.argv[2], connection=conn)
queue = Queue(job.origin, connection=conn)
# taken off the queue here, unless a worker of the bench took it first: then wait for it
if queue.remove(job):
	SimpleWorker([queue], connection=conn).perform_job(job, queue)
for _ in range(600):
	if job.get_status(refresh=True) in ("finished", "failed"):
		break
	time.sleep(1)
status = job.get_status(refresh=True)
if status == "failed":
	result = job.latest_result()
	print((result and result.exc_string) or job.exc_info, file=sys.stderr)
print(status)
"""


def run_queued_job(test_case, job_id: str) -> str:
	"""Run the queued job ``job_id`` through RQ's own worker in a process of its own (see
	RUN_JOB); answers its final status."""
	test_case.assertIsNotNone(get_job(job_id), "the job was not queued")
	result = subprocess.run(
		[sys.executable, "-c", RUN_JOB, frappe.local.site, create_job_id(job_id)],
		cwd=os.path.join(get_bench_path(), "sites"),
		capture_output=True,
		text=True,
		timeout=600,
	)
	test_case.assertEqual(result.returncode, 0, result.stderr[-2000:])
	status = result.stdout.strip().splitlines()[-1]
	if status == "failed":  # the job's traceback, for the test that did not expect it
		sys.stderr.write(result.stderr[-4000:])
	return status


class TestUnitYearPacks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.a = make_actors(PREFIX)
		# the bell speaks the approver's language, whatever the site's
		frappe.db.set_value("User", cls.a.approver_a, "language", "zh")
		frappe.db.commit()  # nosemgrep: the worker reads the tree from its own connection

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in frappe.get_all("File", {"attached_to_name": cls.a.tree.unit_a}, pluck="name"):
			frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		frappe.db.delete("Notification Log", {"for_user": cls.a.approver_a})
		frappe.db.delete("Access Log", {"reference_document": cls.a.tree.unit_a})
		users = [value for key, value in cls.a.items() if key != "tree"]
		frappe.db.delete("User Permission", {"user": ("in", users)})
		tree = cls.a.tree
		for org in (tree.branch_a2, tree.general, tree.branch_a1, tree.branch_b1, tree.unit_a, tree.unit_b):
			frappe.delete_doc("Party Organization", org, force=True, ignore_permissions=True)
		frappe.delete_doc("Party Organization", tree.company, force=True, ignore_permissions=True)
		for user in users:
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: undo what setUpClass committed
		super().tearDownClass()

	def run_job(self, user: str) -> str:
		return run_queued_job(self, unit_year_packs.job_id(self.a.tree.unit_a, YEAR, user))

	def test_the_approver_gets_a_zip_of_every_branch_in_the_bell(self):
		tree, approver = self.a.tree, self.a.approver_a
		with as_user(approver):
			answer = unit_year_packs.enqueue_unit_year_packs(tree.unit_a, YEAR)
		self.assertEqual(answer, {"branches": 3, "queue": "long"})
		self.assertEqual(self.run_job(approver), "finished")
		frappe.db.rollback()  # see the worker's commit
		logs = frappe.get_all(
			"Notification Log", {"for_user": approver}, ["subject", "document_type", "document_name"]
		)
		self.assertEqual(len(logs), 1, logs)
		self.assertEqual(logs[0].document_type, "File")
		self.assertIn("3 个支部", logs[0].subject)  # in the approver's language
		file = frappe.get_doc("File", logs[0].document_name)
		self.assertEqual((file.is_private, file.attached_to_name, file.owner), (1, tree.unit_a, approver))
		with zipfile.ZipFile(io.BytesIO(file.get_content())) as archive:
			names = archive.namelist()
			# tree order: the general branch, its branch, then the unit's own branch
			self.assertEqual(
				names,
				[
					f"001 {tree.general} 组织.pdf",
					f"002 {tree.branch_a2} 组织.pdf",
					f"003 {tree.branch_a1} 组织.pdf",
				],
			)
			for name in names:
				self.assertTrue(archive.read(name).startswith(b"%PDF"), name)
		self.assertTrue(
			frappe.db.exists("Access Log", {"reference_document": tree.unit_a, "file_type": "ZIP"})
		)

	def test_refused_outside_scope_and_without_branches(self):
		tree = self.a.tree
		for user, unit in (
			(self.a.approver_b, tree.unit_a),
			(self.a.secretary_a, tree.unit_a),
			("Guest", tree.unit_a),
		):
			with as_user(user), self.assertRaises(frappe.PermissionError, msg=(user, unit)):
				unit_year_packs.enqueue_unit_year_packs(unit, YEAR)
			self.assertIsNone(get_job(unit_year_packs.job_id(unit, YEAR, user)))
		with as_user(self.a.approver_a), self.assertRaises(frappe.ValidationError):
			unit_year_packs.enqueue_unit_year_packs(tree.unit_a, "not a year")
