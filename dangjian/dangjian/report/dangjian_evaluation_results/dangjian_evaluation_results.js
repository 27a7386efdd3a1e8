// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Evaluation Results"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year", null, "Dangjian Evaluation Results"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear(),
		},
		{
			fieldname: "unit",
			label: __("Unit", null, "Dangjian Evaluation Results"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
		{
			fieldname: "group_by",
			label: __("Group By", null, "Dangjian Evaluation Results"),
			fieldtype: "Select",
			options: [
				{ value: "Unit", label: __("Unit", null, "Dangjian Evaluation Results") },
				{ value: "Topic Area", label: __("Topic Area", null, "Dangjian Evaluation Results") },
				{ value: "Evaluator Category", label: __("Evaluator Category", null, "Dangjian Evaluation Results") },
			],
			default: "Unit",
		},
	],
	onload: (report) => dangjian.add_background_export(report),
};
