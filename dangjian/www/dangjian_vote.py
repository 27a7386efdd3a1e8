"""/dangjian-vote?t=<secret>: the ballot of an evaluation on the phone (dangjian.ballots). No login
is needed: the one-time secret of the link is the credential; the form posts to
``dangjian.ballots.vote``."""

import frappe

from dangjian.ballots import page_context, use_page_language

no_cache = 1


def get_context(context):
	use_page_language()
	context.update(page_context(frappe.form_dict.get("t") or ""))
	context.no_cache = 1
	context.show_sidebar = False
	return context
