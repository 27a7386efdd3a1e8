import os

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("dangjian-demo")
@click.option(
	"--password",
	help="One password for every demo user (the quick start's throwaway site). Default: a random "
	"password for each, written to sites/SITE/private/dangjian-demo-passwords.txt.",
)
@click.option(
	"--force",
	is_flag=True,
	help="Add the demo to a site that has users or data of its own (its language, time zone and "
	"setup state are left as they are).",
)
@pass_context
def dangjian_demo(context, password=None, force=False):
	"""Build the 党建+ demo data on a throwaway site (safe to run again)."""
	from dangjian import demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		reasons = demo.reasons_not_to_run()
		if reasons and not force:
			click.echo(f"{site} is not a throwaway site: it has " + "; ".join(reasons) + ".")
			click.echo("The demo would add users and records to it. Use a new site, or --force.")
			raise SystemExit(1)
		click.echo(f"The demo on {site}:")
		for line in demo.what_it_changes(throwaway=not reasons):
			click.echo(f"  - {line}")
		made = demo.make_demo(site_language=None if reasons else "zh", password=password, commit=True)
		frappe.db.commit()
		written = write_passwords(made["passwords"]) if made["passwords"] and not password else None
	finally:
		frappe.destroy()
	click.echo(f"Demo data ready on {site}. Users:")
	for address, name, what in made["users"]:
		click.echo(f"  {address:32} {name:6} {what}")
	if password:
		click.echo("Their password is the one given with --password.")
	elif written:
		click.echo(f"Their passwords (new users only) are in {written}, readable by this account alone.")


def write_passwords(passwords: dict[str, str]) -> str:
	path = os.path.abspath(frappe.get_site_path("private", "dangjian-demo-passwords.txt"))
	os.makedirs(os.path.dirname(path), exist_ok=True)
	fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
	with os.fdopen(fd, "a", encoding="utf-8") as f:
		for user, password in passwords.items():
			f.write(f"{user}\t{password}\n")
	os.chmod(path, 0o600)
	return path


def developer_mode() -> bool:
	"""The bench's common_site_config says developer_mode (bench runs its commands in sites/)."""
	import json

	try:
		with open("common_site_config.json", encoding="utf-8") as f:
			return bool(json.load(f).get("developer_mode"))
	except (OSError, ValueError):
		return False


commands = [dangjian_demo]

# the benchmark kit's commands (dangjian-generate, dangjian-benchmark) are development tooling:
# a production bench does not get them
if developer_mode():
	from dangjian.perf.commands import commands as perf_commands

	commands += perf_commands
