// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

// Import the organisation tree and its members from ERPNext (only where ERPNext is installed,
// for the company administrator): a dry run lists what would be made, then the creation.
frappe.listview_settings["Party Organization"] = {
	onload(listview) {
		const can_import =
			frappe.boot.versions &&
			frappe.boot.versions.erpnext &&
			(frappe.user.has_role("Dangjian Administrator") || frappe.user.has_role("System Manager"));
		if (!can_import) return;
		listview.page.add_inner_button(__("Import from ERPNext"), () => dangjian_import_from_erpnext(listview));
	},
};

function dangjian_import_from_erpnext(listview) {
	const method = "dangjian.integrations.erpnext.import_from_erpnext";
	frappe.call({ method, args: { dry_run: 1 }, freeze: true }).then(({ message: plan }) => {
		const esc = frappe.utils.escape_html;
		const orgs = plan.organizations
			.map(
				(o) =>
					`<tr><td>${esc(o.organization_name)}</td><td>${esc(__(o.organization_type, null, "Party Organization"))}</td><td>${esc(o.org_code)}</td><td>${esc(o.parent_party_organization || "")}</td></tr>`
			)
			.join("");
		const members = plan.members
			.map(
				(m) =>
					`<tr><td>${esc(m.member_name)}</td><td>${esc(m.title || "")}</td><td>${esc(m.organization)}</td><td>${esc(m.user || "")}</td></tr>`
			)
			.join("");
		if (!orgs && !members) {
			frappe.msgprint(__("Everything in ERPNext is already in the organisation tree: nothing to import."));
			return;
		}
		const html = `
			<p>${__("{0} organizations and {1} members would be created:", [plan.organizations.length, plan.members.length])}</p>
			<table class="table table-bordered table-sm"><thead><tr><th>${__("Organization Name", null, "Party Organization")}</th><th>${__("Organization Type", null, "Party Organization")}</th><th>${__("Code", null, "Party Organization")}</th><th>${__("Parent Organization", null, "Party Organization")}</th></tr></thead><tbody>${orgs}</tbody></table>
			<table class="table table-bordered table-sm"><thead><tr><th>${__("Name", null, "Party Organization")}</th><th>${__("Title", null, "Party Organization")}</th><th>${__("Organization", null, "Party Organization")}</th><th>${__("User", null, "Party Organization")}</th></tr></thead><tbody>${members}</tbody></table>`;
		const dialog = new frappe.ui.Dialog({
			title: __("Import from ERPNext"),
			size: "large",
			fields: [{ fieldtype: "HTML", fieldname: "plan", options: html }],
			primary_action_label: __("Create", null, "Party Organization"),
			primary_action() {
				frappe.call({ method, args: { dry_run: 0 }, freeze: true }).then(({ message: done }) => {
					dialog.hide();
					frappe.show_alert({
						message: __("{0} organizations and {1} members created.", [
							done.organizations.length,
							done.members.length,
						]),
						indicator: "green",
					});
					listview.refresh();
				});
			},
		});
		dialog.show();
	});
}
