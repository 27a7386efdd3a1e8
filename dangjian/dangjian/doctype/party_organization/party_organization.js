// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Party Organization", {
	setup(frm) {
		frm.set_query("parent_party_organization", () => {
			const parent_types = {
				Unit: ["Company"],
				"General Branch": ["Unit"],
				Branch: ["Unit", "General Branch"],
			}[frm.doc.organization_type];
			return { filters: { organization_type: ["in", parent_types || []] } };
		});
		frm.set_query("approving_organization", () => ({ filters: { organization_type: "Unit" } }));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Tree", null, "Party Organization"), () => frappe.set_route("Tree", "Party Organization"));
		}
	},
});
