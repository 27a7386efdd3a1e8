// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Application Compliance"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year", null, "Dangjian Application Compliance"),
			fieldtype: "Int",
			default: frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear(),
			reqd: 1,
		},
		{
			fieldname: "unit",
			label: __("Unit", null, "Dangjian Application Compliance"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
	],
	onload: (report) => dangjian.add_background_export(report),
	// a branch below the minimum number of applied projects is a red row
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, dangjian.as_link(column), data);
		if (data && data.minimum_met === 0) {
			value = `<span style="color: var(--red-600); font-weight: 600;">${value}</span>`;
		}
		return value;
	},
};
