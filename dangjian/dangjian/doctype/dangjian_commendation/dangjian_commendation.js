// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Commendation", {
	setup(frm) {
		frm.set_query("unit", () => ({ filters: { organization_type: "Unit" } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Projects"), () => {
				if (!frm.doc.unit || !frm.doc.year) {
					frappe.msgprint(__("Choose the unit and the year first."));
					return;
				}
				frappe
					.xcall("dangjian.dangjian.doctype.dangjian_commendation.dangjian_commendation.get_projects", {
						unit: frm.doc.unit,
						year: frm.doc.year,
					})
					.then((rows) => {
						frm.clear_table("projects");
						rows.forEach((row) => frm.add_child("projects", row));
						frm.refresh_field("projects");
					});
			});
		}
	},
});
