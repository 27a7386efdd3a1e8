// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

// The app's states and choices on the desk in the app's own words. Frappe translates a workflow
// state, the "Draft" / "Submitted" / "Cancelled" of a submittable document, a Select value and a
// list's column head without context: in its own words (草案, 已批准, 取消), which ERPNext's
// screens keep, or not at all where only the app's context has the word ("Branch"). While Frappe
// draws these for one of the app's doctypes, its translation function looks first in that
// doctype's context (zh.csv: "Approved,已审定,Dangjian Project"), as the form's Select controls
// already do, and falls back to the context-free translation: the status pills of the lists
// (frappe.get_indicator, which also draws the form's head, the report view and the workspace's
// quick lists), the lists' column heads and Select columns, the sidebar's group-by counts, the
// filter tags, Select values shown as text, and child tables' labels. Frappe's own functions are
// called unchanged; other doctypes are not touched.
(function () {
	const APP = "dangjian";

	function is_app_doctype(doctype) {
		const meta = doctype && locals.DocType && locals.DocType[doctype];
		const module_app = frappe.boot && frappe.boot.module_app;
		return !!(meta && meta.module && module_app && module_app[frappe.scrub(meta.module)] === APP);
	}

	// run fn with `doctype` as the default context of __() (an explicit context is kept)
	function in_context(doctype, fn) {
		if (!is_app_doctype(doctype)) return fn();
		const translate = window.__;
		window.__ = (txt, replace, context) => translate(txt, replace, context || doctype);
		try {
			return fn();
		} finally {
			window.__ = translate;
		}
	}

	function wrap(owner, name, doctype_of) {
		const original = owner && owner[name];
		if (typeof original !== "function") return;
		owner[name] = function (...args) {
			return in_context(doctype_of.apply(this, args), () => original.apply(this, args));
		};
	}

	wrap(frappe, "get_indicator", (doc, doctype) => doctype || (doc && doc.doctype));
	wrap(frappe.views.ListView && frappe.views.ListView.prototype, "get_column_html", function (col) {
		return (col && col.df && col.df.parent) || this.doctype;
	});
	wrap(frappe.views.ListView && frappe.views.ListView.prototype, "get_header_html", function () {
		return this.doctype;
	});
	wrap(frappe.views.ListGroupBy && frappe.views.ListGroupBy.prototype, "get_dropdown_html", function () {
		return this.doctype;
	});
	wrap(frappe.ui.Filter && frappe.ui.Filter.prototype, "get_filter_button_text", function () {
		return (this.field && this.field.df && this.field.df.parent) || this.doctype;
	});
	wrap(frappe.form.formatters, "Select", (value, df) => df && df.parent);
	// a child table's label (Frappe's grid draws it without context: "Members" would read 会员,
	// ERPNext's membership word, on an ERPNext site)
	wrap(frappe.ui.form.ControlTable && frappe.ui.form.ControlTable.prototype, "refresh_input", function () {
		return this.df && this.df.parent;
	});
})();

// A report's Excel export as a background job (dangjian.report_jobs): at company scope a year of
// the ledger is more than a request should carry; the bell brings the file when it is ready.
frappe.provide("dangjian");
dangjian.add_background_export = function (report) {
	report.page.add_menu_item(__("Export to Excel in the Background"), () =>
		frappe
			.xcall("dangjian.report_jobs.enqueue_report_export", {
				report_name: report.report_name,
				filters: report.get_filter_values(false) || {},
			})
			.then(() =>
				frappe.show_alert({
					message: __("The Excel file is being made in the background; the bell will tell you when it is ready."),
					indicator: "blue",
				})
			)
	);
};

// A report's organisation column is a Data column with the doctype in its options (see
// dangjian/dangjian/report/columns.py, organization_column): shown as the link it stands for.
dangjian.as_link = function (column) {
	return column && column.fieldtype === "Data" && column.options === "Party Organization"
		? Object.assign({}, column, { fieldtype: "Link" })
		: column;
};
