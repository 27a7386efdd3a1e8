// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Evaluation", {
	setup(frm) {
		frm.set_query("project", () => ({ filters: { status: "Accepted" } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Add Paper Ballot"), () => {
				frappe.new_doc("Dangjian Evaluation Score", { evaluation: frm.doc.name });
			});
			frm.add_custom_button(__("Use Current Star Rule"), () => {
				frm.call("use_current_star_rule").then((r) => {
					const { before, after, rule_after } = r.message;
					frm.reload_doc();
					frappe.msgprint({
						title: __("Computed with the current rule"),
						indicator: before.stars === after.stars ? "blue" : "orange",
						message:
							__("Before: {0} stars, total {1}. Now: {2} stars, total {3}.", [
								before.stars,
								before.total,
								after.stars,
								after.total,
							]) + (rule_after.length ? "<br>" + rule_after.map(frappe.utils.escape_html).join("<br>") : ""),
					});
				});
			});
			frm.set_intro(
				__("Evaluators with an account submit their own scores; enter paper ballots for the others. Submit the evaluation once the panel is complete ({0} scores, {1} masses' representatives).", [
					frm.doc.min_evaluators,
					frm.doc.min_masses_representatives,
				]),
				"blue"
			);
		}
	},
});
