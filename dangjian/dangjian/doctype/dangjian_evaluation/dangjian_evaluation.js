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
			frm.add_custom_button(__("Issue Ballots"), () => dangjian_issue_ballots(frm));
			frm.set_intro(
				__("Evaluators with an account submit their own scores; enter paper ballots for the others. Submit the evaluation once the panel is complete ({0} scores, {1} masses' representatives).", [
					frm.doc.min_evaluators,
					frm.doc.min_masses_representatives,
				]),
				"blue"
			);
		}
		if (!frm.is_new()) {
			dangjian_ballot_progress(frm);
		}
	},
});

// Phone ballots (dangjian.ballots): issued / used per category against the panel minimums
function dangjian_ballot_progress(frm) {
	frappe.call("dangjian.ballots.ballot_progress", { evaluation: frm.doc.name }).then((r) => {
		const p = r.message;
		if (!p || !p.issued) return;
		const esc = frappe.utils.escape_html;
		const rows = p.rows
			.map((row) => `<tr><td>${esc(row.label)}</td><td>${row.issued}</td><td>${row.used}</td></tr>`)
			.join("");
		const short = p.score_count < p.min_evaluators || p.masses_count < p.min_masses_representatives;
		const html = `<table class="table table-sm table-bordered dj-ballot-progress" style="max-width: 480px; margin-bottom: 6px;">
			<thead><tr><th>${esc(__("Evaluator Category"))}</th><th>${esc(__("Ballots Issued"))}</th><th>${esc(
				__("Ballots Used")
			)}</th></tr></thead>
			<tbody>${rows}<tr><th>${esc(__("All Categories"))}</th><th>${p.issued}</th><th>${p.used}</th></tr></tbody>
			</table>
			<div class="${short ? "text-warning" : "text-success"}">${esc(
				__("Panel: {0} of {1} scores, {2} of {3} masses' representatives.", [
					p.score_count,
					p.min_evaluators,
					p.masses_count,
					p.min_masses_representatives,
				])
			)}</div>`;
		frm.dashboard.parent.find(".dj-ballot-section").remove();
		frm.dashboard.add_section(html, __("Phone Ballots"), "custom dj-ballot-section");
	});
}

function dangjian_issue_ballots(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Issue Ballots"),
		fields: [
			{
				fieldname: "category",
				fieldtype: "Select",
				label: __("Evaluator Category"),
				options: [
					{ value: "Party Member", label: __("Party Member") },
					{ value: "Cadre", label: __("Cadre") },
					{ value: "Masses Representative", label: __("Masses Representative") },
				],
				reqd: 1,
			},
			{ fieldname: "count", fieldtype: "Int", label: __("Anonymous Ballots"), default: 1 },
			{
				fieldname: "invitees",
				fieldtype: "Small Text",
				label: __("Or Named Invitees"),
				description: __(
					"One a line: the name, then a mobile number, an e-mail or both (optional), separated by commas. The ballot is sent to them by e-mail, and by SMS when the site has an SMS gateway."
				),
			},
		],
		primary_action_label: __("Issue Ballots"),
		primary_action(values) {
			const invitees = (values.invitees || "")
				.split("\n")
				.map((line) => line.split(/[,，]/).map((part) => part.trim()))
				.filter((parts) => parts[0])
				.map(([name, ...contacts]) => ({
					invitee_name: name,
					email: contacts.find((c) => c.includes("@")) || "",
					mobile: contacts.find((c) => c && !c.includes("@")) || "",
				}));
			frappe
				.call({
					method: "dangjian.ballots.issue_ballots",
					args: {
						evaluation: frm.doc.name,
						category: values.category,
						count: values.count,
						invitees: invitees.length ? invitees : null,
					},
					freeze: true,
				})
				.then((r) => {
					dialog.hide();
					dangjian_show_ballots(frm, r.message || []);
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

function dangjian_show_ballots(frm, issued) {
	const esc = frappe.utils.escape_html;
	// what each named invitee was sent (dangjian.ballot_invitations), or why nothing
	const ways = { email: __("E-mail", null, "Dangjian Ballot"), sms: __("SMS", null, "Dangjian Ballot") };
	const sep = (frappe.boot.lang || "").startsWith("zh") ? "、" : ", ";
	const sent = (b) =>
		(b.sent || []).length
			? esc(__("Sent by {0}", [b.sent.map((way) => ways[way] || way).join(sep)]))
			: `<span class="text-danger">${esc(b.not_sent || "")}</span>`;
	const named = issued.some((b) => b.invitee_name);
	const rows = issued
		.map(
			(b) =>
				`<tr><td>${esc(b.category_label)}</td><td>${esc(b.invitee_name || "")}</td><td style="word-break: break-all;"><a href="${esc(
					b.url
				)}" target="_blank" rel="noreferrer">${esc(b.url)}</a></td>${
					named ? `<td class="dj-ballot-sent">${b.invitee_name ? sent(b) : ""}</td>` : ""
				}</tr>`
		)
		.join("");
	// the invitees who got no message: the issuer hands them their slips
	const unsent = issued.filter((b) => b.invitee_name && !(b.sent || []).length);
	const unsent_note = unsent.length
		? `<div class="alert alert-warning dj-ballots-not-sent">${esc(
				__("These invitees got no message; hand them their printed slips: {0}", [
					unsent.map((b) => b.invitee_name).join(sep),
				])
		  )}</div>`
		: "";
	const dialog = frappe.msgprint({
		title: __("Ballots Issued"),
		indicator: "orange",
		wide: true,
		message: `<p>${esc(
			__("Copy these links now: each is shown only once and cannot be shown again. Anyone with a link can cast its one vote.")
		)}</p>
		${unsent_note}
		<table class="table table-sm table-bordered"><thead><tr><th>${esc(__("Evaluator Category"))}</th><th>${esc(
			__("Invitee Name")
		)}</th><th>${esc(__("Link"))}</th>${
			named ? `<th>${esc(__("Message", null, "Dangjian Ballot"))}</th>` : ""
		}</tr></thead><tbody>${rows}</tbody></table>
		<textarea class="form-control" rows="4" readonly>${esc(issued.map((b) => b.url).join("\n"))}</textarea>
		<button class="btn btn-default btn-sm dj-print-sheet" style="margin-top: 8px;">${esc(__("Print QR Sheet"))}</button>`,
	});
	dialog.$wrapper.find(".dj-print-sheet").on("click", () => {
		// opened within the click, so that no pop-up blocker stops it; filled when the sheet comes
		const sheet = window.open("", "_blank");
		frappe
			.call({
				method: "dangjian.ballots.ballot_sheet",
				args: { evaluation: frm.doc.name, urls: issued.map((b) => b.url) },
				freeze: true,
			})
			.then((r) => {
				sheet.document.open();
				sheet.document.write(r.message);
				sheet.document.close();
			})
			.catch(() => sheet.close());
	});
}
