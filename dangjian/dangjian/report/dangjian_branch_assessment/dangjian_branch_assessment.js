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
		dangjian.add_background_export(report);
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
		// every branch of a unit: a ZIP made in the background, announced in the bell
		report.page.add_inner_button(__("Year Packs of a Unit (ZIP)"), () => {
			frappe.prompt(
				[
					{
						fieldname: "unit",
						label: __("Unit", null, "Dangjian Branch Assessment"),
						fieldtype: "Link",
						options: "Party Organization",
						reqd: 1,
						default: report.get_filter_value("unit"),
						get_query: () => ({ filters: { organization_type: "Unit" } }),
					},
					{
						fieldname: "year",
						label: __("Year", null, "Dangjian Branch Assessment"),
						fieldtype: "Int",
						reqd: 1,
						default: report.get_filter_value("year") || new Date().getFullYear(),
					},
				],
				(values) =>
					frappe
						.xcall(
							"dangjian.dangjian.report.dangjian_branch_assessment.unit_year_packs.enqueue_unit_year_packs",
							values
						)
						.then((answer) =>
							frappe.msgprint(
								__(
									"The year packs of {0} branches are being made in the background; the bell will tell you when the ZIP is ready.",
									[answer.branches]
								)
							)
						),
				__("Year Packs of a Unit (ZIP)"),
				__("Start")
			);
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, dangjian.as_link(column), data);
		if (data && !data.minimum_met && ["branch_name", "applied"].includes(column.fieldname)) {
			value = `<span style="color: var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
