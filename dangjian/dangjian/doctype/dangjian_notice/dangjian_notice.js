// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

const NOTICE_METHODS = "dangjian.dangjian.doctype.dangjian_notice.dangjian_notice";

frappe.ui.form.on("Dangjian Notice", {
	setup(frm) {
		frm.set_query("organization", () => ({
			filters: { organization_type: ["in", ["Company", "Unit"]] },
		}));
	},
	onload(frm) {
		if (frm.is_new() && !frm.doc.year) {
			frm.set_value("year", new Date().getFullYear());
		}
	},
	refresh(frm) {
		frm.trigger("show_readers");
		if (frm.doc.docstatus !== 1) return;
		const onload = frm.doc.__onload || {};
		if (onload.my_read) {
			show_read(frm, onload.my_read);
			return;
		}
		// opening the published notice is reading it: the server records it for its recipients
		frappe.xcall(`${NOTICE_METHODS}.mark_read`, { notice: frm.doc.name }).then((r) => {
			if (r && r.read_on) {
				frm.doc.__onload = Object.assign(frm.doc.__onload || {}, { my_read: r.read_on });
				show_read(frm, r.read_on);
			}
		});
	},
	show_readers(frm) {
		const field = frm.get_field("readers_html");
		const rows = (frm.doc.__onload || {}).readers;
		if (!field) return;
		if (!rows) {
			field.$wrapper.empty();
			return;
		}
		const read = rows.filter((r) => r.read_on).length;
		const esc = frappe.utils.escape_html;
		const body = rows
			.map(
				(r) => `<tr>
					<td>${esc(r.branch_name || r.branch)}</td>
					<td>${esc(r.full_name || r.user)}</td>
					<td>${
						r.read_on
							? `<span class="indicator-pill green">${__("Read", null, "Dangjian Notice")}</span> ${esc(
									frappe.datetime.str_to_user(r.read_on)
							  )}`
							: `<span class="indicator-pill red">${__("Unread", null, "Dangjian Notice")}</span>`
					}</td>
				</tr>`
			)
			.join("");
		field.$wrapper.html(`
			<p class="text-muted">${__("{0} of {1} secretaries have read it.", [read, rows.length])}</p>
			<table class="table table-bordered dangjian-notice-readers">
				<thead><tr><th>${__("Branch", null, "Dangjian Notice")}</th><th>${__("Secretary", null, "Dangjian Notice")}</th><th>${__("Read On", null, "Dangjian Notice")}</th></tr></thead>
				<tbody>${body || `<tr><td colspan="3">${__("No secretary in your scope")}</td></tr>`}</tbody>
			</table>`);
	},
});

function show_read(frm, read_on) {
	frm.dashboard.set_headline(
		`<span class="indicator green dangjian-notice-read">${__("You read this notice on {0}", [
			frappe.datetime.str_to_user(read_on),
		])}</span>`
	);
}
