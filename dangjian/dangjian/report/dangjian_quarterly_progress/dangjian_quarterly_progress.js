// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Quarterly Progress"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year", null, "Dangjian Quarterly Progress"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear(),
		},
		{
			fieldname: "unit",
			label: __("Unit", null, "Dangjian Quarterly Progress"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
		{
			fieldname: "branch",
			label: __("Branch", null, "Dangjian Quarterly Progress"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => {
				const filters = { organization_type: ["in", ["Branch", "General Branch"]] };
				const unit = frappe.query_report.get_filter_value("unit");
				if (unit) {
					filters.name = ["descendants of", unit];
				}
				return { filters };
			},
		},
	],
	onload: (report) => dangjian.add_background_export(report),

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && /^q[1-4]$/.test(column.fieldname)) {
			const colours = {
				[__("Missing", null, "Dangjian Quarterly Progress")]: "red",
				[__("Late", null, "Dangjian Quarterly Progress")]: "orange",
				[__("Reviewed", null, "Dangjian Quarterly Progress")]: "green",
			};
			const colour = colours[data[column.fieldname]];
			if (colour) {
				value = `<span class="indicator-pill no-indicator-dot ${colour}">${value}</span>`;
			}
		}
		return value;
	},
};
