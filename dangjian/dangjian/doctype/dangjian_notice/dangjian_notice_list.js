// Copyright (c) 2026, dangjian developers
// License: MIT. See license.txt

// A secretary's list marks each published notice sent to them 已读 or 未读 (their own reading,
// from the server, fetched again on every refresh); everyone else sees the usual status.
frappe.listview_settings["Dangjian Notice"] = {
	refresh(listview) {
		frappe
			.xcall("dangjian.dangjian.doctype.dangjian_notice.dangjian_notice.my_notices")
			.then((notices) => {
				notices = notices || {};
				const changed =
					JSON.stringify(notices) !== JSON.stringify(listview.dangjian_my_notices || {});
				listview.dangjian_my_notices = notices;
				if (changed) listview.render_list();
			});
	},
	get_indicator(doc) {
		const mine = (window.cur_list && cur_list.dangjian_my_notices) || {};
		if (doc.docstatus !== 1 || !(doc.name in mine)) return;
		return mine[doc.name]
			? [__("Read", null, "Dangjian Notice"), "green", "docstatus,=,1"]
			: [__("Unread", null, "Dangjian Notice"), "red", "docstatus,=,1"];
	},
};
