// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Settings", {
	refresh(frm) {
		frm.set_intro(
			__("Every number of the 党建+ scheme lives here. Inconsistent values are refused when you save."),
			"blue"
		);
		if (frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Star Rule What-If"), () => dangjian_what_if(frm));
		}
	},
});

// the star rule as it stands in the form (saved or not) beside the rule in force, on a past year
function dangjian_what_if(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Star Rule What-If"),
		size: "large",
		fields: [
			{ fieldname: "year", fieldtype: "Int", label: __("Year"), reqd: 1, default: new Date().getFullYear() - 1 },
			{ fieldname: "result", fieldtype: "HTML" },
		],
		primary_action_label: __("Compare"),
		primary_action(values) {
			frappe
				.call({
					method: "dangjian.star_rule.what_if",
					args: { year: values.year, proposed: frm.doc },
					freeze: true,
				})
				.then((r) => dialog.fields_dict.result.$wrapper.html(what_if_html(r.message)));
		},
	});
	dialog.show();
}

function what_if_html(data) {
	const e = frappe.utils.escape_html;
	const stars = [5, 4, 3, 2, 1];
	let html = `<p class="dj-what-if-summary">${__("{0}: {1} submitted evaluations you may see.", [data.year, data.evaluations])}</p>`;
	if (data.proposed_rule.length) {
		html += `<p>${__("Proposed rule")}: ${data.proposed_rule.map(e).join("；")}</p>`;
	}
	html += `<table class="table table-bordered dj-what-if-counts"><thead><tr><th></th>${stars
		.map((s) => `<th>${__("{0} stars", [s])}</th>`)
		.join("")}</tr></thead><tbody>`;
	for (const [key, label] of [
		["in_force", __("Rule in force")],
		["proposed", __("Proposed rule")],
	]) {
		html += `<tr><th>${label}</th>${stars.map((s) => `<td data-stars="${s}">${data.counts[key][s]}</td>`).join("")}</tr>`;
	}
	html += "</tbody></table>";
	if (!data.changed.length) {
		return html + `<p class="dj-what-if-changed">${__("No project would change.")}</p>`;
	}
	html += `<p class="dj-what-if-changed">${__("{0} projects would change:", [data.changed.length])}</p>`;
	html += `<table class="table table-bordered"><thead><tr><th>${__("Project")}</th><th>${__("Branch", null, "Dangjian Settings")}</th><th>${__(
		"Rule in force"
	)}</th><th>${__("Proposed rule")}</th></tr></thead><tbody>`;
	for (const row of data.changed) {
		html += `<tr><td><a href="/app/dangjian-evaluation/${encodeURIComponent(row.evaluation)}">${e(row.project_name)}</a></td><td>${e(
			row.branch
		)}</td><td>${row.in_force_stars}★ (${row.in_force_total})</td><td>${row.proposed_stars}★ (${row.proposed_total})</td></tr>`;
	}
	return html + "</tbody></table>";
}
