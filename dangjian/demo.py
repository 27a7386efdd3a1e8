"""A realistic demo: one company, two units, a general branch, seven branches with Chinese
names, and a user for each role scoped by User Permissions. Running it twice duplicates
nothing (every record is looked up by its code or e-mail first).

Run it with ``bench --site SITE dangjian-demo``. The demo users keep their accounts when the
app is uninstalled.
"""

import frappe

from dangjian import rules, scope

# the password the quick start gives its own throwaway site (scripts/setup.sh passes it with
# --password); otherwise every demo user gets a random one
DEMO_PASSWORD = "Dangjian@2026"
DOMAIN = "dangjian.test"
# The site's own IT administrator, as every real ERPNext site has one. Frappe makes the first
# System User of a completed site a System Manager when no one else is; without this account
# that would be the demo's company administrator, who must have the app's role only.
SITE_MANAGER = "sysadmin"

# code, name, type, parent, established
ORGANIZATIONS = (
	("C01", "示范能源集团公司", rules.COMPANY, None, "2001-07-01"),
	("U01", "第一发电公司", rules.UNIT, "C01", "2003-05-20"),
	("U02", "第二工程公司", rules.UNIT, "C01", "2006-09-12"),
	("U01-G01", "第一发电公司机关党总支", rules.GENERAL_BRANCH, "U01", "2008-03-01"),
	("U01-B01", "运行一值党支部", rules.BRANCH, "U01", "2009-06-30"),
	("U01-B02", "检修部党支部", rules.BRANCH, "U01", "2010-04-15"),
	("U01-G01-B01", "机关第一党支部", rules.BRANCH, "U01-G01", "2011-01-10"),
	("U01-G01-B02", "机关第二党支部", rules.BRANCH, "U01-G01", "2011-01-10"),
	("U02-B01", "项目一部党支部", rules.BRANCH, "U02", "2012-07-01"),
	("U02-B02", "项目二部党支部", rules.BRANCH, "U02", "2013-07-01"),
	("U02-B03", "物资部党支部", rules.BRANCH, "U02", "2015-03-18"),
)

# login, full name, what they are
USERS = (
	("admin", "郑思远", "公司思想政治工作部 (Dangjian Administrator)"),
	("approver1", "王建华", "第一发电公司党群工作部 (Dangjian Approver)"),
	("approver2", "李红梅", "第二工程公司党群工作部 (Dangjian Approver)"),
	("committee1", "赵国强", "第一发电公司党委 (Dangjian Party Committee)"),
	("committee2", "孙丽娟", "第二工程公司党委 (Dangjian Party Committee)"),
	("secretary1", "陈志刚", "运行一值党支部书记 (Dangjian Branch Secretary)"),
	("secretary2", "刘海燕", "检修部党支部书记 (Dangjian Branch Secretary)"),
	("secretary3", "周明", "机关第一党支部书记 (Dangjian Branch Secretary)"),
	("secretary4", "吴静", "机关第二党支部书记 (Dangjian Branch Secretary)"),
	("secretary5", "郭伟", "项目一部党支部书记 (Dangjian Branch Secretary)"),
	("secretary6", "何丽", "项目二部党支部书记 (Dangjian Branch Secretary)"),
	("secretary7", "马骏", "物资部党支部书记 (Dangjian Branch Secretary)"),
	("member1", "林晓东", "运行一值党支部党员 (Dangjian Branch Member)"),
	("evaluator1", "黄文", "第一发电公司评估人 (Dangjian Evaluator)"),
)

SECRETARIES = {
	"U01-B01": "secretary1",
	"U01-B02": "secretary2",
	"U01-G01-B01": "secretary3",
	"U01-G01-B02": "secretary4",
	"U02-B01": "secretary5",
	"U02-B02": "secretary6",
	"U02-B03": "secretary7",
}

# org, login (None: a member without an account), name, title, duty
MEMBERS = (
	("C01", "admin", "郑思远", "思想政治工作部主任", "Administrator"),
	("U01", "approver1", "王建华", "党群工作部主任", "Approver"),
	("U01", "committee1", "赵国强", "党委书记", "Party Committee"),
	("U01", "evaluator1", "黄文", "工会副主席", "Evaluator"),
	("U02", "approver2", "李红梅", "党群工作部主任", "Approver"),
	("U02", "committee2", "孙丽娟", "党委副书记", "Party Committee"),
	("U01-B01", "member1", "林晓东", "值长", "Member"),
	("U01-B01", None, "张磊", "主值班员", "Member"),
	("U01-B01", None, "杨帆", "副值班员", "Member"),
	("U01-B02", None, "徐强", "检修班长", "Member"),
	("U02-B01", None, "朱琳", "项目经理", "Member"),
)


def email(login: str) -> str:
	return f"{login}@{DOMAIN}"


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
	from dangjian.demo_lifecycle import make_projects

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
