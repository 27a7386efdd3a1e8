// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.treeview_settings["Party Organization"] = {
	get_tree_nodes: "dangjian.dangjian.doctype.party_organization.party_organization.get_children",
	root_label: __("Party Organization"),
	title: __("Party Organization Tree"),
	breadcrumb: __("Dangjian"),
	fields: [
		{ fieldtype: "Data", fieldname: "organization_name", label: __("Organization Name"), reqd: true },
		{ fieldtype: "Data", fieldname: "org_code", label: __("Organization Code"), reqd: true },
		{
			fieldtype: "Select",
			fieldname: "organization_type",
			label: __("Organization Type"),
			options: ["Unit", "General Branch", "Branch"].map((value) => ({ value, label: __(value, null, "Party Organization") })),
			reqd: true,
		},
	],
	ignore_fields: ["parent_party_organization"],
	onload(treeview) {
		treeview.make_tree();
	},
};
