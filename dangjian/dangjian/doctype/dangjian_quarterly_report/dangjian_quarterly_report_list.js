frappe.listview_settings["Dangjian Quarterly Report"] = {
	add_fields: ["is_flagged", "is_late", "status"],
	get_indicator(doc) {
		if (doc.is_flagged && doc.status === "Submitted") {
			return [__("Flagged"), "orange", "is_flagged,=,1"];
		}
		if (doc.is_late) {
			return [__("Late"), "red", "is_late,=,1"];
		}
	},
};
