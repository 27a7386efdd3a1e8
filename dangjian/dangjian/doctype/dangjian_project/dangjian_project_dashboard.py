from frappe import _


def get_data():
	return {
		"fieldname": "project",
		"transactions": [
			{"label": _("Implementation"), "items": ["Dangjian Quarterly Report"]},
			{"label": _("Acceptance"), "items": ["Dangjian Acceptance"]},
			{"label": _("Evaluation"), "items": ["Dangjian Evaluation", "Dangjian Evaluation Score"]},
		],
	}
