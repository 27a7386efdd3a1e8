// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Quarterly Report", {
	setup(frm) {
		frm.set_query("project", () => ({
			// a project reports in these states (frappe.boot.dangjian, see dangjian/boot.py)
			filters: { status: ["in", (frappe.boot.dangjian || {}).reporting_states || []] },
		}));
	},
	refresh(frm) {
		if (frm.doc.is_flagged) {
			frm.dashboard.add_comment(
				__("Flagged for the approver: {0}", [frappe.utils.escape_html(frm.doc.flag_reasons || "")]),
				"orange",
				true
			);
		}
		if (frm.doc.is_late) {
			frm.dashboard.add_comment(__("Submitted after the due date {0}.", [frappe.datetime.str_to_user(frm.doc.due_date)]), "red", true);
		}
	},
});
