"""Mixins for the app's document classes, where the app goes beyond what Frappe's Document does:
saves at the same moment without deadlocks (``concurrency``), the documents hanging off a project
(``linked_documents``) and a duplicate refused by the database's unique key (``unique_key``)."""
