// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Project Ledger"] = {
	filters: [
		// the current year unless the user asks for another or for every year (全部年度): every year
		// is a deliberate choice, not what the ledger opens on
		{
			fieldname: "year",
			label: __("Year", null, "Dangjian Project Ledger"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear(),
			depends_on: "eval:!doc.all_years",
		},
		{
			fieldname: "all_years",
			label: __("All Years", null, "Dangjian Project Ledger"),
			fieldtype: "Check",
		},
		{
			// every year comes 2,000 projects a page (the report's message says which)
			fieldname: "page",
			label: __("Page", null, "Dangjian Project Ledger"),
			fieldtype: "Int",
			default: 1,
			depends_on: "eval:doc.all_years",
		},
		{
			// the workspace's overdue card opens the ledger with this and every year
			fieldname: "overdue_only",
			label: __("Only With Overdue Reports", null, "Dangjian Project Ledger"),
			fieldtype: "Check",
		},
		{
			fieldname: "unit",
			label: __("Unit", null, "Dangjian Project Ledger"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
		{
			fieldname: "branch",
			label: __("Branch", null, "Dangjian Project Ledger"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: ["in", ["Branch", "General Branch"]] } }),
		},
		{
			fieldname: "status",
			label: __("Status", null, "Dangjian Project Ledger"),
			fieldtype: "Select",
			// the states of the site's Workflow (frappe.boot.dangjian, see dangjian/boot.py)
			options: ["", ...((frappe.boot.dangjian || {}).project_states || [])].map((value) => ({ value, label: __(value, null, "Dangjian Project") })),
		},
		{
			fieldname: "topic_area",
			label: __("Topic Area", null, "Dangjian Project Ledger"),
			fieldtype: "Select",
			options: ["", "Grassroots Organization Building", "Unit's Internal Development", "Party Care Mechanism", "Member Education, Management and Service", "New Vehicles for Party Activities"].map((value) => ({ value, label: __(value, null, "Dangjian Project") })),
		},
		{
			fieldname: "grade",
			label: __("Grade", null, "Dangjian Project Ledger"),
			fieldtype: "Select",
			options: ["", "Not Qualified", "Qualified", "Commended", "Exemplary"].map((value) => ({ value, label: __(value, null, "Dangjian Project") })),
		},
	],
	onload: (report) => dangjian.add_background_export(report),
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "overdue" && data && data.overdue > 0) {
			value = `<span style="color: var(--red-600); font-weight: bold">${value}</span>`;
		}
		return value;
	},
};
