"""The app's entry in the website menu of a logged-in user (Portal Settings): plain data, no
Frappe import, read by hooks.py (``standard_portal_menu_items``, which Frappe syncs on migrate)
and by the installer, which adds it at install (Frappe's own sync there reads the hooks before
they include a newly installed app) and removes it at uninstall."""

PORTAL_MENU_ITEMS = [{"title": "Experience Library", "route": "/dangjian-library"}]
