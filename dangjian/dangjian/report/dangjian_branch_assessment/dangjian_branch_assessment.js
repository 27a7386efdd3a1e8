// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

const DANGJIAN_BRANCH_YEAR_PACK =
	"/api/method/dangjian.dangjian.report.dangjian_branch_assessment.branch_year_pack.download_branch_year_pack";

frappe.query_reports["Dangjian Branch Assessment"] = {
	filters: [
		{ fieldname: "year", label: __("Year", null, "Dangjian Branch Assessment"), fieldtype: "Int", reqd: 1, default: new Date().getFullYear() },
		{
			fieldname: "unit",
			label: __("Unit", null, "Dangjian Branch Assessment"),
			fieldtype: "Link",
			options: "Party Organization",
			get_query: () => ({ filters: { organization_type: "Unit" } }),
		},
	],
	onload(report) {
		// 述职材料: the branch's year in one PDF
		report.page.add_inner_button(__("Branch Year Pack"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Branch Year Pack"),
				fields: [
					{
						fieldname: "branch",
						label: __("Branch", null, "Dangjian Branch Assessment"),
						fieldtype: "Link",
						options: "Party Organization",
						reqd: 1,
						get_query: () => ({
							filters: { organization_type: ["in", ["Branch", "General Branch"]], disabled: 0 },
						}),
					},
					{
						fieldname: "year",
						label: __("Year", null, "Dangjian Branch Assessment"),
						fieldtype: "Int",
						reqd: 1,
						default: report.get_filter_value("year") || new Date().getFullYear(),
					},
				],
				primary_action_label: __("Download PDF", null, "Dangjian Branch Assessment"),
				primary_action(values) {
					const query = new URLSearchParams({ branch: values.branch, year: values.year });
					window.open(`${DANGJIAN_BRANCH_YEAR_PACK}?${query.toString()}`);
					dialog.hide();
				},
			});
			dialog.show();
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && !data.minimum_met && ["branch_name", "applied"].includes(column.fieldname)) {
			value = `<span style="color: var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
