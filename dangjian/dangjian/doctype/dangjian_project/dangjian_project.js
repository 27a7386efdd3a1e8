// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Project", {
	setup(frm) {
		frm.set_query("branch", () => ({
			filters: { organization_type: ["in", ["Branch", "General Branch"]], disabled: 0 },
		}));
	},
	onload(frm) {
		if (frm.is_new() && !frm.doc.year) {
			frm.set_value("year", frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear());
		}
	},
	refresh(frm) {
		const hints = {
			Draft: __("Fill in the application, the team, at least one feasibility activity and the branch meeting, write the branch sign-off opinion, save, then Submit Application."),
			Returned: __("Returned to the branch: {0}. Change the application and Submit Application again.", [frm.doc.return_reason || ""]),
			Applied: __("Waiting for the Party-Masses Work Department: write the review opinion, save, then Pass Review or Return to Branch."),
			Reviewed: __("Waiting for the party committee: write the committee opinion, save, then Approve and File or Return to Branch."),
			Approved: __("Approved and filed. Complete the implementation plan (Attachment 2) with its steps, save, then Start Implementation."),
		};
		if (hints[frm.doc.status] && !frm.is_new()) {
			frm.set_intro(hints[frm.doc.status], frm.doc.status === "Returned" ? "red" : "blue");
		}
		if (!frm.is_new()) {
			frappe
				.xcall("dangjian.dangjian.doctype.dangjian_project.timeline.get_project_timeline", { project: frm.doc.name })
				.then((events) => {
					if (!events || !events.length) return;
					const rows = events
						.map(
							(e) => `<tr><td style="white-space:nowrap">${frappe.datetime.str_to_user(e.date)}</td><td>${
								e.doctype ? `<a href="/app/${frappe.router.slug(e.doctype)}/${encodeURIComponent(e.name)}">${frappe.utils.escape_html(e.event)}</a>` : frappe.utils.escape_html(e.event)
							}</td><td>${frappe.utils.escape_html(e.who_name || "")}</td></tr>`
						)
						.join("");
					frm.dashboard.add_section(
						`<table class="table table-sm" style="margin:0"><tbody>${rows}</tbody></table>`,
						__("Project History")
					);
				});
		}
		if (frm.doc.ledger_import) {
			// a read-only mark: this project was imported at its state, its earlier steps are the ledger's
			frm.dashboard.add_comment(
				__("Imported from an earlier ledger ({0}, row {1}) by {2} on {3}: the steps before the import took place outside the app.", [
					frappe.utils.escape_html(frm.doc.import_source_file || ""),
					frm.doc.import_source_row || "",
					frappe.utils.escape_html(frappe.user.full_name(frm.doc.owner)),
					frappe.datetime.str_to_user(frm.doc.creation),
				]),
				"orange",
				true
			);
		}
		if (frm.doc.is_late) {
			frm.dashboard.add_comment(__("Applied after the deadline."), "orange", true);
		}
	},
	branch(frm) {
		if (frm.doc.branch && !frm.doc.project_lead) {
			frappe.db.get_value("Party Organization", frm.doc.branch, "secretary").then(({ message }) => {
				if (message && message.secretary) frm.set_value("project_lead", message.secretary);
			});
		}
	},
});
