"""A realistic demo: one company, two units, a general branch, seven branches with Chinese
names, and a user for each role scoped by User Permissions. Running it twice duplicates
nothing (every record is looked up by its code or e-mail first).

Run it with ``bench --site SITE dangjian-demo``. The demo users keep their accounts when the
app is uninstalled.
"""

import frappe

from dangjian import scope
from dangjian.demo.people import (
	DEMO_PASSWORD,
	DOMAIN,
	MEMBERS,
	ORGANIZATIONS,
	SECRETARIES,
	SITE_MANAGER,
	USERS,
	email,
)


def reasons_not_to_run() -> list[str]:
	"""Why this site is not a throwaway demo site: users or data of its own. The command refuses
	such a site unless told ``--force`` (and then leaves its language and setup state alone)."""
	own_users = {email(login) for login, _name, _what in USERS} | {email(SITE_MANAGER)}
	reasons = []
	others = frappe.get_all(
		"User",
		filters={
			"name": ("not in", [*own_users, "Administrator", "Guest"]),
			"user_type": "System User",
			"enabled": 1,
		},
		pluck="name",
		limit=4,
	)
	if others:
		reasons.append(
			"users of its own (" + ", ".join(others[:3]) + (", ..." if len(others) > 3 else "") + ")"
		)
	organizations = frappe.get_all(
		"Party Organization",
		filters={"name": ("not in", [row[0] for row in ORGANIZATIONS])},
		pluck="name",
		limit=1,
	)
	if organizations:
		reasons.append("party organizations of its own")
	if frappe.db.table_exists("Company") and frappe.db.count("Company"):
		reasons.append("companies of its own (an ERPNext site)")
	return reasons


def what_it_changes(throwaway: bool) -> list[str]:
	lines = [
		f"adds {len(ORGANIZATIONS)} party organizations (codes C01, U01, U02, ...) and their projects at every stage",
		f"adds {len(USERS)} desk users @{DOMAIN} with the app's roles and positions",
	]
	lines.append(
		f"adds a System Manager account sysadmin@{DOMAIN} (a random password nobody is told) only when"
		" the site has no System Manager but Administrator"
	)
	if throwaway:
		lines.append("sets the site's language to Chinese and marks its setup wizard complete")
	else:
		lines.append("leaves the site's language, time zone and setup state as they are")
	return lines


def make_demo(site_language: str | None = None, password: str | None = None, commit: bool = False) -> dict:
	"""Build (or complete) the demo; returns what it made, for the command to print. With
	``site_language`` (a throwaway site) the site's language is set and its setup marked
	complete. Every demo user gets ``password``, or a random one of their own (returned)."""
	if site_language:
		frappe.db.set_single_value("System Settings", "language", site_language)
		# a demo site is ready to use: without this Frappe sends every demo user to the setup wizard
		if not frappe.db.get_single_value("System Settings", "setup_complete"):
			frappe.db.set_single_value("System Settings", "setup_complete", 1)
	# before the demo's users: else Frappe would make the first of them a System Manager
	ensure_site_manager()
	passwords = {}
	for login, full_name, _what in USERS:
		given = ensure_user(login, full_name, password=password or frappe.generate_hash(length=16))
		if given:
			passwords[email(login)] = given
	for code, name, kind, parent, established in ORGANIZATIONS:
		ensure_organization(code, name, kind, parent, established)
	for code, login in SECRETARIES.items():
		doc = frappe.get_doc("Party Organization", code)
		if doc.secretary != email(login):
			doc.secretary = email(login)
			doc.save(ignore_permissions=True)
	for code, login, name, title, duty in MEMBERS:
		doc = frappe.get_doc("Party Organization", code)
		if any(row.member_name == name and row.duty == duty for row in doc.members):
			continue
		doc.append(
			"members",
			{"member_name": name, "user": email(login) if login else None, "title": title, "duty": duty},
		)
		doc.save(ignore_permissions=True)
	if commit:
		# The positions are committed before anyone acts on them: the workflow steps below queue
		# background jobs (workflow e-mails, actions) that a running worker executes at once, and
		# a job that read the users' scope before it was committed would cache an empty one.
		frappe.db.commit()
		scope.clear_scope_cache()
	from dangjian.demo.lifecycle import make_projects

	make_projects(commit=commit)
	return {"users": [(email(login), name, what) for login, name, what in USERS], "passwords": passwords}


def ensure_site_manager() -> None:
	"""A System Manager other than Administrator, when the site has none: an account with a
	random password that nobody is told (Administrator is the way in)."""
	managers = frappe.get_all(
		"Has Role",
		filters={"role": "System Manager", "parenttype": "User", "parent": ("!=", "Administrator")},
		pluck="parent",
	)
	if frappe.get_all("User", filters={"name": ("in", managers or [""]), "enabled": 1}, limit=1):
		return
	ensure_user(
		SITE_MANAGER, "系统管理员", roles=("System Manager",), password=frappe.generate_hash(length=24)
	)


def ensure_user(login: str, full_name: str, roles=(), password: str | None = None) -> str | None:
	"""Create the user with ``password`` (returned); None when the user exists already."""
	address = email(login)
	if frappe.db.exists("User", address):
		return None
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": address,
			"first_name": full_name,
			"language": "zh",
			"send_welcome_email": 0,
			"user_type": "System User",
			"roles": [{"role": role} for role in roles],
		}
	)
	user.flags.ignore_password_policy = True
	user.insert(ignore_permissions=True)
	from frappe.utils.password import update_password

	update_password(address, password)
	return password


def ensure_organization(code, name, kind, parent, established) -> None:
	if frappe.db.exists("Party Organization", code):
		return
	frappe.get_doc(
		{
			"doctype": "Party Organization",
			"org_code": code,
			"organization_name": name,
			"organization_type": kind,
			"parent_party_organization": parent,
			"date_established": established,
		}
	).insert(ignore_permissions=True)
