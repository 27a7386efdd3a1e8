"""The demo's people and organisations: plain data, read by the demo and its lifecycle."""

from dangjian import rules

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
