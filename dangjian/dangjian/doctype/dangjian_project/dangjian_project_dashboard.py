from frappe import _


def get_data():
	return {
		"fieldname": "project",
		"transactions": [
			{"label": _("Implementation"), "items": ["Dangjian Quarterly Report"]},
		],
	}
