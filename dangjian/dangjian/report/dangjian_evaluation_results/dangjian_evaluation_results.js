// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.query_reports["Dangjian Evaluation Results"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear(),
		},
		{
			fieldname: "unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Unit", label: __("Unit") },
				{ value: "Topic Area", label: __("Topic Area") },
				{ value: "Evaluator Category", label: __("Evaluator Category") },
			],
			default: "Unit",
		},
	],
};
