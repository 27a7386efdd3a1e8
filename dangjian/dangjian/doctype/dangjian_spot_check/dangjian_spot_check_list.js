// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.listview_settings["Dangjian Spot Check"] = {
	add_fields: ["result", "docstatus"],
	get_indicator(doc) {
		const colours = { Qualified: "green", "Basically Qualified": "orange", Unqualified: "red" };
		if (doc.docstatus === 1 && colours[doc.result]) {
			return [__(doc.result, null, "Dangjian Spot Check"), colours[doc.result], "result,=," + doc.result];
		}
	},
	onload(listview) {
		if (!frappe.model.can_create("Dangjian Spot Check")) return;
		listview.page.add_inner_button(__("Propose a random sample"), () => propose_sample(listview));
	},
};

function propose_sample(listview) {
	const dialog = new frappe.ui.Dialog({
		title: __("Propose a random sample"),
		fields: [
			{
				fieldname: "unit",
				fieldtype: "Link",
				label: __("Unit", null, "Dangjian Spot Check"),
				options: "Party Organization",
				reqd: 1,
				get_query: () => ({ filters: { organization_type: "Unit", disabled: 0 } }),
			},
			{
				fieldname: "year",
				fieldtype: "Int",
				label: __("Year", null, "Dangjian Spot Check"),
				reqd: 1,
				default: frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear(),
			},
			{
				fieldname: "sample_size",
				fieldtype: "Int",
				label: __("Sample Size", null, "Dangjian Spot Check"),
				reqd: 1,
				default: 1,
				description: __("Drawn at random among the unit's projects of the year that have been applied for and have no spot check yet; a draft spot check is created for each."),
			},
		],
		primary_action_label: __("Create Drafts"),
		primary_action(values) {
			frappe.call({
				method: "dangjian.dangjian.doctype.dangjian_spot_check.dangjian_spot_check.create_sample",
				args: values,
				freeze: true,
				callback({ message }) {
					dialog.hide();
					const names = message || [];
					frappe.msgprint({
						title: __("Random Sample"),
						indicator: "green",
						message: __("{0} draft spot checks created: {1}", [
							names.length,
							names.map((name) => frappe.utils.get_form_link("Dangjian Spot Check", name, true)).join(", "),
						]),
					});
					listview.refresh();
				},
			});
		},
	});
	dialog.show();
}
