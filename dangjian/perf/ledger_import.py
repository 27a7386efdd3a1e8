"""Benchmark of the ledger import (issue 18): a workbook of 5,000 projects and 20,000 quarterly
reports, in the layout of the Project Ledger's export, checked (dry run), imported (the job a
worker runs) and undone, each timed, as the generated company administrator.

The organisation is the performance kit's tree (``generator.Generator.make_tree``, prefix ``PI``:
~50 units, one branch per 10 projects) with no project of its own; the workbook gives every branch
one project a year over ten years — evaluated and accepted by turns for the older years, in
implementation for the year before last and approved for last year — with four quarterly reports
per finished project and eight per project in implementation, and the acceptance and evaluation
totals of the finished ones. Run it on a development site::

        bench --site SITE execute dangjian.perf.ledger_import.run --kwargs "{'projects': 5000}"

or ``bench --site SITE dangjian-benchmark-import`` (developer_mode). Everything it makes (the
``PI`` tree, its users ``@perf.invalid``, the import and its records) is removed at the end unless
``keep`` is given; ``clear()`` removes a kept one."""

from __future__ import annotations

import datetime
import io
import json
import random
import time

import frappe
from frappe import _

from dangjian import rules, scope
from dangjian.dangjian.doctype.dangjian_ledger_import import dangjian_ledger_import as ledger_import
from dangjian.dangjian.doctype.dangjian_ledger_import import layout
from dangjian.perf import generator

PREFIX = "PI"
YEARS = 10
D = datetime.date
FINISHED_REPORTS = 4  # Q3, Q4 of the project's year and Q1, Q2 of the next
WORKING_REPORTS = 8


def zh(value: str, context: str) -> str:
	return _(value, lang="zh", context=context) if value else value


def workbook(branches: list[dict], unit_names: dict, settings, seed: int, today: datetime.date):
	"""The ledger workbook (bytes) and its counts."""
	from openpyxl import Workbook

	rng = random.Random(f"ledger-import:{seed}")
	levels = rules.levels_from_settings(settings)
	cutoffs = rules.cutoffs_from_settings(settings)
	due_days = int(settings.quarterly_report_due_days or 10)
	last = today.year - 1
	years = range(last - YEARS + 1, last + 1)
	specs = {spec.key: spec for spec in layout.sheets()}
	book = Workbook(write_only=True)
	ledger = book.create_sheet(layout.sheet_title(specs[layout.LEDGER]))
	reports = book.create_sheet(layout.sheet_title(specs[layout.REPORTS]))
	evaluation = book.create_sheet(layout.sheet_title(specs[layout.EVALUATION]))
	for sheet, key in ((ledger, layout.LEDGER), (reports, layout.REPORTS), (evaluation, layout.EVALUATION)):
		sheet.append([layout.header(c) for c in specs[key].columns])
	counts = {"projects": 0, "reports": 0, "evaluation": 0}
	themes = generator.THEMES
	for year in years:
		for index, branch in enumerate(branches):
			ref = f"{PREFIX}-{year}-{index:04d}"
			if year == last:
				status = "Approved"
			elif year == last - 1:
				status = "In Progress"
			else:
				status = "Evaluated" if (year + index) % 2 else "Accepted"
			started = D(year, 5, 6) if status != "Approved" else None
			accepted = D(year + 1, 8, 15) if status in ("Accepted", "Evaluated") else None
			stars = rng.randint(1, 5) if status == "Evaluated" else 0
			grade = rules.grade_from_stars(stars, levels) if stars else ""
			commended = 1 if stars >= levels["commended"] else 0
			top_ten = 1 if stars == 5 and index % 7 == 0 else 0
			row = {
				"project": ref,
				"project_name": f"{themes[index % len(themes)]}（{year}）",
				"year": year,
				"unit_name": unit_names[branch["unit"]],
				"branch_name": branch["organization_name"],
				"topic_area": zh("Unit's Internal Development", layout.PROJECT),
				"lead_name": "王强",
				"status": zh(status, layout.PROJECT),
				"applied_on": D(year, 4, 10),
				"approved_on": D(year, 4, 25),
				"implementation_started_on": started,
				"plan_progress": "3/3" if accepted else ("1/3" if started else ""),
				"last_report": "",
				"overdue": 0,
				"acceptance_result": zh("Passed", layout.ACCEPTANCE) if accepted else "",
				"accepted_on": accepted,
				"stars": stars,
				"grade": zh(grade, layout.PROJECT),
				"commended": commended,
				"top_ten": top_ten,
			}
			ledger.append([row[c.fieldname] for c in specs[layout.LEDGER].columns])
			counts["projects"] += 1
			if started:
				quarters = FINISHED_REPORTS if accepted else WORKING_REPORTS
				q_year, quarter = year, 3
				for _n in range(quarters):
					due = rules.quarterly_report_due_date(q_year, quarter, due_days)
					submitted = due + datetime.timedelta(days=5 if rng.random() < 0.15 else -3)
					reviewed = submitted < today - datetime.timedelta(days=20)
					reports.append(
						[
							ref,
							q_year,
							quarter,
							submitted,
							zh("Reviewed" if reviewed else "Submitted", layout.QUARTERLY_REPORT),
							min(100, 25 * (_n + 1)),
							f"{q_year}年第{quarter}季度：按方案推进，开展活动{quarter + 1}次。",
							"",
							"继续推进。",
							"按期完成。" if reviewed else "",
						]
					)
					counts["reports"] += 1
					q_year, quarter = rules.next_quarter(q_year, quarter)
			if accepted:
				values = {"project": ref, "acceptance_rounds": 1}
				if stars:
					total = {5: 93.0, 4: 84.0, 3: 75.0, 2: 65.0, 1: 50.0}[stars]
					assert rules.stars_from_total(total, cutoffs) == stars
					values.update(
						evaluators=7,
						satisfaction_rate=round(total, 1),
						weighted_total=total,
						document_number=f"党委〔{year + 1}〕{index % 30 + 1}号" if commended else None,
						top_ten_rank=(index // 7) % 10 + 1 if top_ten else None,
					)
				evaluation.append([values.get(c.fieldname) for c in specs[layout.EVALUATION].columns])
				counts["evaluation"] += 1
	out = io.BytesIO()
	book.save(out)
	return out.getvalue(), counts


def exists() -> bool:
	return generator.exists(PREFIX)


def clear(log=print) -> None:
	"""Remove what the benchmark made: its imports and their records, the tree, its users'
	permissions."""
	batches = frappe.get_all(
		ledger_import.DOCTYPE, filters={"organization": ("like", f"{PREFIX}%")}, pluck="name"
	)
	for doctype in ("Dangjian Quarterly Report", "Dangjian Project"):
		frappe.db.sql(
			f"delete from `tab{doctype}` where ledger_import in %(batches)s or branch like %(prefix)s",
			{"batches": tuple(batches) or ("",), "prefix": f"{PREFIX}%"},
		)
	for name in batches:
		frappe.db.delete(ledger_import.PROBLEM, {"parent": name})
		frappe.db.delete("File", {"attached_to_doctype": ledger_import.DOCTYPE, "attached_to_name": name})
		frappe.db.delete(ledger_import.DOCTYPE, {"name": name})
	frappe.db.delete("Party Organization Member", {"parent": ("like", f"{PREFIX}%")})
	frappe.db.delete("Party Organization", {"name": ("like", f"{PREFIX}%")})
	frappe.db.delete("User Permission", {"for_value": ("like", f"{PREFIX}%")})
	frappe.clear_cache()
	log(f"cleared the {PREFIX} data set")


def timed(label: str, fn, log):
	started = time.monotonic()
	result = fn()
	seconds = time.monotonic() - started
	log(f"  {label}: {seconds:.1f} s")
	return seconds, result


def run(projects: int = 5000, seed: int = 1, keep: bool = False, json_path: str | None = None, log=print):
	"""Generate the tree, build the workbook, then dry run, import and undo it, timed."""
	if exists():
		clear(log)
	frappe.set_user("Administrator")
	today = frappe.utils.getdate(frappe.utils.nowdate())
	gen = generator.Generator(projects, seed, today, YEARS, PREFIX)
	gen.make_tree()
	gen.rows.flush(log)
	gen.make_users()
	admin = gen.admin_user
	company = frappe.get_doc("Party Organization", gen.company)
	company.append("members", {"member_name": "性能测试管理员", "user": admin, "duty": "Administrator"})
	company.save(ignore_permissions=True)
	scope.clear_scope_cache()
	frappe.db.commit()
	unit_names = {u["org_code"]: u["organization_name"] for u in gen.units}
	started = time.monotonic()
	content, counts = workbook(gen.branches, unit_names, gen.settings, seed, today)
	log(
		f"workbook: {counts['projects']} projects, {counts['reports']} quarterly reports, "
		f"{counts['evaluation']} acceptance and evaluation rows, {len(content) / 1024 / 1024:.1f} MB "
		f"({time.monotonic() - started:.1f} s to build)"
	)
	results = {"projects": counts["projects"], "reports": counts["reports"], "bytes": len(content)}
	try:
		frappe.set_user(admin)
		batch = frappe.get_doc({"doctype": ledger_import.DOCTYPE, "organization": gen.company}).insert()
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "ledger-5000.xlsx",
				"content": content,
				"is_private": 1,
				"attached_to_doctype": ledger_import.DOCTYPE,
				"attached_to_name": batch.name,
				"attached_to_field": "import_file",
			}
		).insert(ignore_permissions=True)
		batch.reload()
		batch.import_file = file.file_url
		batch.save()
		frappe.db.commit()
		results["dry_run_s"], _r = timed(
			"dry run (read and check)", lambda: ledger_import.run_dry_run(batch.name), log
		)
		frappe.db.commit()
		batch.reload()
		log(f"  dry run: {batch.status}, {batch.error_count} errors, {batch.warning_count} warnings")
		if batch.status != "Checked":
			raise frappe.ValidationError([p.message for p in batch.problems[:5]])
		frappe.db.set_value(ledger_import.DOCTYPE, batch.name, "status", ledger_import.QUEUED)
		frappe.db.commit()
		# the job a worker runs (start_import enqueues it on the long queue)
		results["import_s"], _r = timed("import (the job)", lambda: ledger_import.run_import(batch.name), log)
		frappe.db.commit()
		batch.reload()
		log(f"  import: {batch.status}, {batch.imported_projects} projects, {batch.imported_reports} reports")
		results["imported"] = [batch.imported_projects, batch.imported_reports]
		if batch.status != "Imported":
			raise frappe.ValidationError(batch.failure)
		results["undo_s"], _r = timed("undo", lambda: ledger_import.undo_import(batch.name), log)
		frappe.db.commit()
	finally:
		frappe.set_user("Administrator")
		if not keep:
			clear(log)
			frappe.db.commit()
	if json_path:
		with open(json_path, "w") as f:
			json.dump(results, f, indent=1)
	return results
