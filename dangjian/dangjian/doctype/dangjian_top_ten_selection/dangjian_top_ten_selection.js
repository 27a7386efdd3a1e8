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
			if ((frm.doc.candidates || []).length) {
				frm.add_custom_button(__("Record Recusal"), () => record_recusal(frm));
			}
		}
	},
});

// A judge does not score a project of their own branch: the recusal is kept as a row
// marked Recused, without scores.
function record_recusal(frm) {
	frappe.prompt(
		[
			{ fieldname: "judge", label: __("Judge"), fieldtype: "Link", options: "User", reqd: 1 },
			{
				fieldname: "judge_branch",
				label: __("Judge's Branch"),
				fieldtype: "Link",
				options: "Party Organization",
				ignore_user_permissions: 1,
				description: __("Leave empty to use every branch the judge holds a position in."),
			},
		],
		(values) => {
			frm.call("record_recusal", values).then((r) => {
				frm.refresh_field("scores");
				frm.dirty();
				frappe.show_alert({
					message: __("{0} recusal rows recorded; save to keep them.", [r.message || 0]),
					indicator: "green",
				});
			});
		},
		__("Record Recusal"),
		__("Record")
	);
}
