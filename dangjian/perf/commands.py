"""Bench commands of the performance kit: ``dangjian-generate`` and ``dangjian-benchmark``.

Registered in ``dangjian/commands.py`` with::

        from dangjian.perf.commands import commands as perf_commands

        commands += perf_commands
"""

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("dangjian-generate")
@click.option("--projects", type=int, default=2000, help="Projects over ten years (branches: projects / 10)")
@click.option("--seed", type=int, default=1, help="Random seed: the same seed gives the same data")
@click.option("--today", default=None, help="The day the data set is generated as of (YYYY-MM-DD)")
@click.option("--clear", "clear_first", is_flag=True, help="Remove an earlier generated data set first")
@pass_context
def dangjian_generate(context, projects, seed, today, clear_first):
	"""Bulk-generate a realistic 党建+ data set for benchmarks (organisation code prefix PF)."""
	from frappe.utils import getdate

	from dangjian.perf import generator

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		if clear_first and generator.exists():
			generator.clear(log=click.echo)
		# streamed, committed after each year: memory and transaction size do not grow with it
		counts = generator.generate(
			projects, seed, getdate(today) if today else None, log=click.echo, commit=True
		)
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(f"Generated on {site}:")
	for doctype, count in sorted(counts.items()):
		click.echo(f"  {doctype:32} {count}")


@click.command("dangjian-benchmark")
@click.option("--runs", type=int, default=5, help="Timed runs per report (the median is shown)")
@click.option(
	"--user",
	default=None,
	help="Run as this user: admin, approver, secretary (the generated ones) or a user's name "
	"(default: admin)",
)
@click.option("--three-users", is_flag=True, help="Run as admin, then approver, then secretary")
@click.option(
	"--json",
	"json_path",
	default=None,
	help="Also write the results to this JSON file (with --three-users: to bench-<user>.json in "
	"this directory)",
)
@pass_context
def dangjian_benchmark(context, runs, user, three_users, json_path):
	"""Time every report and number card against its hand-written SQL floor."""
	from dangjian.perf import benchmark

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if three_users:
			benchmark.run_users(runs=runs, json_dir=json_path)
		else:
			benchmark.run(runs=runs, user=user, json_path=json_path)
	finally:
		frappe.destroy()


@click.command("dangjian-benchmark-import")
@click.option("--projects", type=int, default=5000, help="Projects in the workbook (one per branch and year)")
@click.option("--seed", type=int, default=1, help="Random seed")
@click.option("--keep", is_flag=True, help="Keep the imported tree and records (clear() removes them)")
@click.option("--json", "json_path", default=None, help="Also write the results to this JSON file")
@pass_context
def dangjian_benchmark_import(context, projects, seed, keep, json_path):
	"""Time the ledger import: a workbook of PROJECTS projects and 4 × as many quarterly reports,
	dry run, import and undo (organisation code prefix PI)."""
	from dangjian.perf import ledger_import

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		ledger_import.run(projects=projects, seed=seed, keep=keep, json_path=json_path, log=click.echo)
	finally:
		frappe.destroy()


commands = [dangjian_generate, dangjian_benchmark, dangjian_benchmark_import]
