"""The Frappe integration suite's shared code. Importing it quiets cssutils, which Frappe's
e-mail rendering (premailer) uses and which logs a warning for every modern CSS property of
every workflow e-mail rendered inline during tests."""

import logging

try:
	import cssutils

	cssutils.log.setLevel(logging.CRITICAL)
except ImportError:  # pragma: no cover
	pass
