// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Spot Check", {
	setup(frm) {
		frm.set_query("approving_organization", () => ({
			filters: { organization_type: "Unit", disabled: 0 },
		}));
		frm.set_query("branch", () => {
			const filters = { organization_type: ["in", ["Branch", "General Branch"]], disabled: 0 };
			if (frm.doc.approving_organization) {
				filters.name = ["descendants of", frm.doc.approving_organization];
			}
			return { filters };
		});
		frm.set_query("project", () => {
			const filters = { status: ["!=", "Draft"] };
			if (frm.doc.branch) filters.branch = frm.doc.branch;
			if (frm.doc.year) filters.year = frm.doc.year;
			return { filters };
		});
	},
	onload(frm) {
		if (frm.is_new() && !frm.doc.year) {
			frm.set_value("year", frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear());
		}
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new() && !frm.doc.result) {
			frm.set_intro(__("Record what was checked, the findings and the result, save, then Submit."), "blue");
		}
	},
	approving_organization(frm) {
		frm.set_value("branch", null);
	},
	branch(frm) {
		frm.set_value("project", null);
	},
	project(frm) {
		if (!frm.doc.project) return;
		frappe.db.get_value("Dangjian Project", frm.doc.project, ["branch", "year"]).then(({ message }) => {
			if (!message) return;
			if (!frm.doc.branch) frm.set_value("branch", message.branch);
			if (!frm.doc.year) frm.set_value("year", message.year);
		});
	},
});
