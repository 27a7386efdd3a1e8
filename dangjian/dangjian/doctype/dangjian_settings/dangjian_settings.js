// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

frappe.ui.form.on("Dangjian Settings", {
	refresh(frm) {
		frm.set_intro(
			__("Every number of the 党建+ scheme lives here. Inconsistent values are refused when you save."),
			"blue"
		);
	},
});
