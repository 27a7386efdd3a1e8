// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Access Log"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date", null, "Dangjian Access Log"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -1) },
		{ fieldname: "to_date", label: __("To Date", null, "Dangjian Access Log"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "user", label: __("User"), fieldtype: "Link", options: "User" },
	],
};
