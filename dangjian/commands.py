import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("dangjian-demo")
@pass_context
def dangjian_demo(context):
	"""Build the 党建+ demo data on a site (safe to run again)."""
	from dangjian.demo import make_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		made = make_demo(site_language="zh")
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(f"Demo data ready on {site}. Users (password {made['password']}):")
	for address, name, what in made["users"]:
		click.echo(f"  {address:32} {name:6} {what}")


commands = [dangjian_demo]

from dangjian.perf.commands import commands as perf_commands

commands += perf_commands
