// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Top Ten Selection", {
	setup(frm) {
		frm.set_query("company", () => ({ filters: { organization_type: "Company" } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Candidates"), () => {
				if (!frm.doc.company || !frm.doc.year) {
					frappe.msgprint(__("Choose the company and the year first."));
					return;
				}
				frappe
					.xcall("dangjian.dangjian.doctype.dangjian_top_ten_selection.dangjian_top_ten_selection.get_candidates", {
						company: frm.doc.company,
						year: frm.doc.year,
					})
					.then((rows) => {
						frm.clear_table("candidates");
						rows.forEach((row) => frm.add_child("candidates", row));
						frm.refresh_field("candidates");
					});
			});
		}
	},
});
