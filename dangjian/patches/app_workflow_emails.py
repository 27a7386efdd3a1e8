"""Sites made before the app sent its own workflow e-mails (dangjian.workflow_email): Frappe's
workflow e-mail is turned off for the app's workflows and each waiting state gets its Chinese
Email Template."""

from dangjian.setup.workflow import use_app_workflow_emails


def execute():
	use_app_workflow_emails()
