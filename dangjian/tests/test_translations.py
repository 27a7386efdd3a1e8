"""Every string of the app that Frappe's own extractor finds has a Simplified Chinese
translation in dangjian/translations/zh.csv (which v15 reads directly; compiled .po files
apply only after an asset build)."""

import csv
import os

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import get_messages_for_app


def zh_translations() -> dict[str, str]:
	path = os.path.join(frappe.get_app_path("dangjian"), "translations", "zh.csv")
	out = {}
	with open(path, newline="", encoding="utf-8") as f:
		for row in csv.reader(f):
			if len(row) >= 2 and row[0]:
				key = f"{row[0]}:{row[2]}" if len(row) >= 3 and row[2] else row[0]
				out[key] = row[1]
	return out


def missing_translations() -> list[tuple[str, str, str]]:
	translations = zh_translations()
	missing = []
	for entry in get_messages_for_app("dangjian"):
		path, message, context = entry[0] or "", entry[1], entry[2] if len(entry) > 2 else None
		if path.startswith("Navbar:"):
			continue  # Frappe's own navbar items, translated by Frappe
		if not context and path.startswith("DocType: "):
			# the desk translates a doctype's labels and options with the doctype as context
			context = path[len("DocType: ") :]
		if not message or not message.strip() or not any(ch.isalpha() for ch in message):
			continue
		if not any("a" <= ch.lower() <= "z" for ch in message):
			continue  # already Chinese (or only symbols): nothing to translate
		if (context and f"{message}:{context}" in translations) or message in translations:
			continue
		missing.append((path or "", message, context or ""))
	return sorted(set(missing))


class TestTranslations(FrappeTestCase):
	def test_every_string_has_a_chinese_translation(self):
		missing = missing_translations()
		self.assertEqual(
			missing,
			[],
			f"{len(missing)} strings without a zh translation, e.g. {missing[:20]}",
		)

	def test_translations_are_chinese_and_keep_placeholders(self):
		import re

		for source, target in zh_translations().items():
			source = source.split(":")[0] if source.count(":") and not source.endswith(":") else source
			self.assertTrue(target.strip(), source)
			for placeholder in re.findall(r"\{\d+\}", source):
				self.assertIn(placeholder, target, f"{source!r} -> {target!r} loses {placeholder}")
