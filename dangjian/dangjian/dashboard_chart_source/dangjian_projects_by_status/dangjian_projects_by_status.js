// the workspace's status chart: the projects in the user's scope by status, the legend in the
// user's language (a Group By chart would show the stored English state names)
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Dangjian Projects by Status"] = {
	method: "dangjian.dangjian.dashboard_chart_source.dangjian_projects_by_status.dangjian_projects_by_status.get",
	filters: [],
};
