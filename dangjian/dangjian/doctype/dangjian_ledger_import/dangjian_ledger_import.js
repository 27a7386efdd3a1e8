// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

const LEDGER_IMPORT = "dangjian.dangjian.doctype.dangjian_ledger_import.dangjian_ledger_import";

frappe.ui.form.on("Dangjian Ledger Import", {
	setup(frm) {
		frm.set_query("organization", () => ({
			filters: { organization_type: ["in", ["Company", "Unit"]], disabled: 0 },
		}));
	},
	refresh(frm) {
		frm.add_custom_button(__("Download Template", null, "Dangjian Ledger Import"), () => {
			window.open(`/api/method/${LEDGER_IMPORT}.download_template`);
		});
		if (frm.is_new()) {
			frm.set_intro(
				__("Choose the company or unit, save, attach the ledger workbook (.xlsx), then run the Dry Run."),
				"blue"
			);
			return;
		}
		const status = frm.doc.status;
		const intros = {
			Draft: [__("Attach the ledger workbook and run the Dry Run: it checks every row and writes nothing."), "blue"],
			"Has Problems": [
				__("The dry run found {0} errors: correct them in the workbook, attach it again and run the Dry Run again. Nothing was imported.", [frm.doc.error_count]),
				"red",
			],
			Checked: [
				__("The dry run found no error ({0} projects, {1} quarterly reports). Import writes them all, or nothing.", [frm.doc.project_rows, frm.doc.report_rows]),
				"green",
			],
			Queued: [__("The import is running in the background; this form reloads when it is done."), "blue"],
			Importing: [__("The import is running in the background; this form reloads when it is done."), "blue"],
			Imported: [
				__("{0} projects and {1} quarterly reports were imported. Undo Import takes exactly them away, while nothing was added to them.", [frm.doc.imported_projects, frm.doc.imported_reports]),
				"green",
			],
			Failed: [__("The import failed and nothing was imported: {0}", [frm.doc.failure || ""]), "red"],
			Undone: [__("This import was undone: its records were taken away."), "orange"],
		};
		if (intros[status]) frm.set_intro(...intros[status]);

		const call = (method, freeze_message) =>
			frappe
				.call({ method: `${LEDGER_IMPORT}.${method}`, args: { name: frm.doc.name }, freeze: true, freeze_message })
				.then(() => frm.reload_doc());

		if (["Draft", "Checked", "Has Problems", "Failed"].includes(status) && frm.doc.import_file) {
			frm.add_custom_button(__("Dry Run", null, "Dangjian Ledger Import"), () => {
				if (frm.is_dirty()) {
					frappe.msgprint(__("Save the import first."));
					return;
				}
				call("dry_run", __("Checking every row…"));
			}).toggleClass("btn-primary", status !== "Checked");
		}
		if (status === "Checked") {
			frm.add_custom_button(__("Import", null, "Dangjian Ledger Import"), () => {
				frappe.confirm(
					__("Import the {0} projects and {1} quarterly reports of this workbook? They are written at the state the ledger shows, all or nothing.", [frm.doc.project_rows, frm.doc.report_rows]),
					() => call("start_import", __("Starting the import…"))
				);
			}).addClass("btn-primary");
		}
		if (status === "Imported") {
			frm.add_custom_button(__("Undo Import", null, "Dangjian Ledger Import"), () => {
				frappe.confirm(
					__("Take away the {0} projects and {1} quarterly reports this import wrote?", [frm.doc.imported_projects, frm.doc.imported_reports]),
					() => call("undo_import", __("Undoing the import…"))
				);
			});
		}
		if ((frm.doc.problems || []).length) {
			frm.add_custom_button(__("Download Problems", null, "Dangjian Ledger Import"), () => {
				window.open(`/api/method/${LEDGER_IMPORT}.download_problems?name=${encodeURIComponent(frm.doc.name)}`);
			});
		}
	},
});
