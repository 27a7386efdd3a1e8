"""The one sample application (dangjian/samples.py) the tests, the demo and the trust suite build
their projects from."""

import datetime as dt

from conftest import load

samples = load("samples")


def test_a_complete_application_dated_before_it_is_applied_for():
	doc = samples.application("B1", 2027, dt.date(2027, 4, 20))
	for field in (
		"project_name",
		"topic_area",
		"lead_title",
		"innovation_goals",
		"innovation_content",
		"innovation_measures",
		"branch_meeting_resolution",
		"branch_opinion",
	):
		assert doc[field], field
	assert (doc["year"], doc["branch"], doc["principle_centre"]) == (2027, "B1", 1)
	assert doc["team"] and doc["feasibility_activities"]
	assert doc["feasibility_activities"][0]["activity_date"] == dt.date(2027, 4, 10)
	assert doc["branch_meeting_date"] == dt.date(2027, 4, 17)


def test_values_replace_and_text_dates_for_http():
	doc = samples.application("B1", 2027, dt.date(2027, 4, 20), as_text=True, project_name="另一个")
	assert doc["project_name"] == "另一个"
	assert doc["branch_meeting_date"] == "2027-04-17"
	assert doc["feasibility_activities"][0]["activity_date"] == "2027-04-10"
