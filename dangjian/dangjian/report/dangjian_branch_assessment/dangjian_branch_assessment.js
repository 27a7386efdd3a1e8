// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Branch Assessment"] = {
	filters: [
		{ fieldname: "year", label: __("Year"), fieldtype: "Int", reqd: 1, default: new Date().getFullYear() },
		{
			fieldname: "unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && !data.minimum_met && ["branch_name", "applied"].includes(column.fieldname)) {
			value = `<span style="color: var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
