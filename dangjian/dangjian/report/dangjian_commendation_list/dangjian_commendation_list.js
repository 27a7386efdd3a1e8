// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Commendation List"] = {
	filters: [
		{ fieldname: "year", label: __("Year", null, "Dangjian Commendation List"), fieldtype: "Int", reqd: 1, default: new Date().getFullYear() - 1 },
		{
			fieldname: "unit",
			label: __("Unit", null, "Dangjian Commendation List"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
	],
	onload: (report) => dangjian.add_background_export(report),
};
