# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt

"""The branch hears the outcome of its own project: Frappe Notifications (the bell, and e-mail as
each user's Notification Settings allow), created at install and on migrate when missing and never
overwritten, so that an administrator may edit or disable them in the desk.

Each goes to the people of the branch named on the document (the secretary who applied, the
project lead; for a quarterly report, who submitted it): never to a role at large, so never
outside their scope. Subjects and messages are Chinese, as the scheme's documents are."""

import frappe

PROJECT = "Dangjian Project"
REPORT = "Dangjian Quarterly Report"

PROJECT_LINK = (
	'<p><a href="/app/dangjian-project/{{ doc.name }}">{{ doc.project_name }}（{{ doc.name }}）</a></p>'
)
REPORT_LINK = '<p><a href="/app/dangjian-quarterly-report/{{ doc.name }}">{{ doc.project_name }} {{ doc.year }}年第{{ doc.quarter }}季度进展报告</a></p>'

NOTIFICATIONS = (
	{
		"name": "党建+：申报被退回",
		"document_type": PROJECT,
		"value_changed": "status",
		"condition": 'doc.status == "Returned"',
		"recipients": ("applied_by", "project_lead"),
		"subject": "党建+项目申报被退回：{{ doc.project_name }}",
		"message": PROJECT_LINK
		+ "<p>退回原因：{{ doc.return_reason or '' }}</p><p>请按意见修改后重新申报。</p>",
	},
	{
		"name": "党建+：立项审定备案",
		"document_type": PROJECT,
		"value_changed": "status",
		"condition": 'doc.status == "Approved"',
		"recipients": ("applied_by", "project_lead"),
		"subject": "党建+项目已审定备案：{{ doc.project_name }}（{{ doc.filing_number or '' }}）",
		"message": PROJECT_LINK + "<p>单位党委已审定并备案，备案编号 {{ doc.filing_number or '' }}。</p>"
		"<p>请制定实施方案、开始实施，并按季度报送进展报告。</p>",
	},
	{
		"name": "党建+：验收结论",
		"document_type": PROJECT,
		"value_changed": "status",
		"condition": 'doc.status in ("Accepted", "Under Assistance", "Adjusting")',
		"recipients": ("applied_by", "project_lead"),
		"subject": "党建+项目验收结论：{{ doc.project_name }}，"
		'{{ {"Accepted": "通过验收", "Under Assistance": "重点挂牌帮扶", "Adjusting": "重新论证调整"}[doc.status] }}',
		"message": PROJECT_LINK
		+ '{% if doc.status == "Accepted" %}<p>项目已通过验收，下一步由评估单位组织星级评估。</p>'
		'{% elif doc.status == "Under Assistance" %}<p>项目列为重点挂牌帮扶：请按验收组的意见整改，'
		"整改后再次申请验收。</p>"
		"{% else %}<p>项目需重新论证调整：请调整实施方案后恢复实施。</p>{% endif %}",
	},
	{
		"name": "党建+：星级评定",
		"document_type": PROJECT,
		"value_changed": "status",
		"condition": 'doc.status == "Evaluated"',
		"recipients": ("applied_by", "project_lead"),
		"subject": "党建+项目星级评定：{{ doc.project_name }}，{{ doc.stars }}星",
		"message": PROJECT_LINK + '<p>评定星级：{{ "★" * (doc.stars or 0) }}（{{ doc.stars }}星），评定等次：'
		'{{ {"Not Qualified": "不合格", "Qualified": "合格项目", "Commended": "表彰项目", '
		'"Exemplary": "典型示范项目"}.get(doc.grade, doc.grade or "") }}。</p>',
	},
	{
		"name": "党建+：获单位党委表彰",
		"document_type": PROJECT,
		"value_changed": "commended",
		"condition": "doc.commended",
		"recipients": ("applied_by", "project_lead"),
		"subject": "党建+项目获单位党委表彰：{{ doc.project_name }}",
		"message": PROJECT_LINK
		+ "<p>项目被单位党委发文表彰（{{ doc.commendation or '' }}），{{ doc.stars }}星。</p>",
	},
	{
		"name": "党建+：入选十佳",
		"document_type": PROJECT,
		"value_changed": "top_ten",
		"condition": "doc.top_ten",
		"recipients": ("applied_by", "project_lead"),
		"subject": "党建+项目入选公司年度十佳：{{ doc.project_name }}",
		"message": PROJECT_LINK + "<p>项目入选{{ doc.year }}年度公司十佳党建+项目。</p>",
	},
	{
		"name": "党建+：季度报告被退回",
		"document_type": REPORT,
		"value_changed": "status",
		"condition": 'doc.status == "Returned"',
		"recipients": ("submitted_by", "owner"),
		"subject": "季度进展报告被退回：{{ doc.project_name }} {{ doc.year }}年第{{ doc.quarter }}季度",
		"message": REPORT_LINK + "<p>退回原因：{{ doc.return_reason or '' }}</p><p>请补充后重新提交。</p>",
	},
	{
		"name": "党建+：季度报告已审阅",
		"document_type": REPORT,
		"value_changed": "status",
		"condition": 'doc.status == "Reviewed"',
		"recipients": ("submitted_by", "owner"),
		"subject": "季度进展报告已审阅：{{ doc.project_name }} {{ doc.year }}年第{{ doc.quarter }}季度",
		"message": REPORT_LINK + "<p>督办意见：{{ doc.supervision_comment or '无' }}</p>",
	},
)


def ensure_notifications() -> None:
	"""Create the app's notifications that the site does not have; leave the others as they are
	(an administrator's edits, a disabled one)."""
	for spec in NOTIFICATIONS:
		if frappe.db.exists("Notification", spec["name"]):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Notification",
				"name": spec["name"],
				"enabled": 1,
				"channel": "System Notification",
				"event": "Value Change",
				"document_type": spec["document_type"],
				"value_changed": spec["value_changed"],
				"condition": spec["condition"],
				"subject": spec["subject"],
				"message_type": "HTML",
				"message": spec["message"],
				"recipients": [{"receiver_by_document_field": field} for field in spec["recipients"]],
			}
		)
		doc.insert(ignore_permissions=True, set_name=spec["name"])


def remove_notifications() -> None:
	"""At uninstall: the notifications on the app's doctypes (theirs would point at nothing)."""
	for name in frappe.get_all(
		"Notification", filters={"document_type": ("in", [PROJECT, REPORT])}, pluck="name"
	):
		frappe.delete_doc("Notification", name, ignore_permissions=True, force=True)
