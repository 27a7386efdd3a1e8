# Copyright (c) 2026, dangjian developers
# License: MIT. See license.txt
"""The fonts of the app's PDFs, chosen so that a PDF's text is the text typed.

Noto CJK draws a Kangxi radical (U+2F00–U+2FD5) or a CJK radical supplement (U+2E80–U+2EF3)
with the glyph of its ideograph: 行 and ⾏ (U+2F8F) are one glyph. wkhtmltopdf (Qt) names each
glyph in the PDF's text layer (the ToUnicode map) by the lowest code point the font maps to it, so
pdftotext, copying and searching give ⾏ for 行, ⽬ for 目, ⼀ for 一 — dozens on one form.

The cure is a copy of each font the forms use whose character map gives every glyph one code
point only, the one people type (the ideograph, ～ not 〜, – not ‒, 　 not the em space …): the
same outlines and metrics under a name of its own, "Dangjian Noto Serif CJK SC" and so on. The
forms name it first and the original next (``FAMILIES``): a character the copy no longer maps
(a radical typed as such) is drawn by the original, which names it by that very code point.

The copies are made at the first print of a site (about two seconds a font) into the site's
``private/dangjian-fonts`` with a fontconfig file that adds that folder to the system's fonts;
``activate`` points the process's wkhtmltopdf at it (FONTCONFIG_FILE) for the rest of the request
or job and puts the previous value back afterwards. Other apps' print formats do not name these
families and are printed as before. A web font (@font-face) does not do: wkhtmltopdf draws a font
it has no file of as outlines, with no text at all. When the copies cannot be made (no fontTools,
no Noto CJK) the forms print with the original fonts, as before, and the reason is logged."""

import contextlib
import fcntl
import importlib.util
import json
import os
import subprocess
from collections import defaultdict
from xml.sax.saxutils import escape

import frappe

PREFIX = "Dangjian "
# the fonts the app's forms use (family, style); each copy is named PREFIX + family
SOURCES = (
	("Noto Serif CJK SC", "Regular"),
	("Noto Serif CJK SC", "Bold"),
	("Noto Sans CJK SC", "Regular"),
	("Noto Sans CJK SC", "Bold"),
)
# the font-family lists of the app's print CSS: the copy, then the original for what it lacks
FAMILIES = {
	"serif": f'"{PREFIX}Noto Serif CJK SC", "Noto Serif CJK SC", "{PREFIX}Noto Sans CJK SC", "Noto Sans CJK SC", serif',
	"sans": f'"{PREFIX}Noto Sans CJK SC", "Noto Sans CJK SC", sans-serif',
}
# raise when the copies must be made again (a change of ``drop_code_points`` or of the names)
VERSION = 1
FOLDER = "dangjian-fonts"
# the copies, in a folder of their own inside FOLDER (fonts.conf, the manifest and fontconfig's cache
# are beside it)
FONTS = "fonts"
MANIFEST = "manifest.json"

# Kangxi radicals and the CJK radicals supplement: never the code point a glyph is named by
RADICALS = (0x2E80, 0x2FDF)
# CJK unified ideographs (the URO, extension A, the supplementary planes' extensions)
IDEOGRAPHS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x3FFFF))
# of two code points with one glyph in Noto CJK, the one a Chinese keyboard types: – (not the
# figure dash ‒), the ideographic space (not the em space), ～ (not the wave dash 〜), ／ (not the
# division slash ∕), 〈〉 (not the deprecated angle brackets), ｀
TYPED = frozenset({0x2013, 0x3000, 0xFF5E, 0xFF0F, 0x3008, 0x3009, 0xFF40})

# the fontconfig file of each site's copies, once made, and the sites where they cannot be (per
# process)
_ready: dict[str, str] = {}
_failed: set[str] = set()
# FONTCONFIG_FILE as the process had it before ``activate``
_UNSET = object()
_saved = _UNSET


def font_folder() -> str:
	return os.path.abspath(frappe.get_site_path("private", FOLDER))


def _is_ideograph(cp: int) -> bool:
	return any(low <= cp <= high for low, high in IDEOGRAPHS)


def _preference(cp: int) -> tuple[int, int]:
	"""The order in which the code points of one glyph are kept: an ideograph, what is typed,
	anything but a radical, a radical; then the lowest."""
	if _is_ideograph(cp):
		rank = 0
	elif cp in TYPED:
		rank = 1
	elif RADICALS[0] <= cp <= RADICALS[1]:
		rank = 3
	else:
		rank = 2
	return rank, cp


def drop_code_points(cmap: dict[int, str]) -> set[int]:
	"""The code points to take out of a character map (code point → glyph) so that each glyph has
	one code point left, the preferred one."""
	by_glyph = defaultdict(list)
	for cp, glyph in cmap.items():
		by_glyph[glyph].append(cp)
	drop = set()
	for cps in by_glyph.values():
		if len(cps) > 1:
			keep = min(cps, key=_preference)
			drop.update(cp for cp in cps if cp != keep)
	return drop


def derive(source: str, index: int, target: str) -> int:
	"""Write to ``target`` the font at ``index`` of ``source`` with one code point per glyph and
	its names prefixed with PREFIX; return how many code points it dropped. Only the character map
	and the names are read and rewritten (the outlines are copied as they are: seconds, not
	minutes)."""
	from fontTools.ttLib import TTFont

	font = TTFont(source, fontNumber=index, lazy=True)
	# glyph names by number, so that neither the CFF nor the post table is decompiled (and then
	# compiled again on save)
	font.setGlyphOrder([f"g{number}" for number in range(font["maxp"].numGlyphs)])
	drop = drop_code_points(font.getBestCmap())
	for table in font["cmap"].tables:
		if table.isUnicode() and hasattr(table, "cmap"):
			for cp in drop:
				table.cmap.pop(cp, None)
	names = font["name"]
	family = names.getDebugName(16) or names.getDebugName(1)
	postscript = names.getDebugName(6)
	for record in names.names:
		text = record.toUnicode()
		if record.nameID in (1, 4, 16, 18, 21):
			text = text.replace(family, PREFIX + family)
		elif record.nameID in (3, 6, 20) and postscript:
			text = text.replace(postscript, PREFIX.strip() + postscript)
		else:
			continue
		record.string = text
	font.save(target)
	font.close()
	return len(drop)


def system_fontconfig_file() -> str:
	"""The fontconfig file the process uses without the app's."""
	previous = os.environ.get("FONTCONFIG_FILE") if _saved is _UNSET else _saved
	if previous:
		return previous
	return os.path.join(os.environ.get("FONTCONFIG_PATH") or "/etc/fonts", "fonts.conf")


def _system_env() -> dict:
	env = dict(os.environ)
	env["FONTCONFIG_FILE"] = system_fontconfig_file()
	return env


def find_source(family: str, style: str) -> tuple[str, int] | None:
	"""The file and index of an installed font, asked of fontconfig (fonts-noto-cjk on Debian)."""
	try:
		listing = subprocess.run(
			["fc-list", "--format", "%{file}|%{index}|%{family}|%{style}\\n", f":family={family}"],
			capture_output=True,
			text=True,
			check=True,
			env=_system_env(),
			timeout=60,
		).stdout
	except (OSError, subprocess.SubprocessError):
		return None
	for line in sorted(listing.splitlines()):
		path, index, families, styles = (line.split("|") + ["", "", "", ""])[:4]
		if family in families.split(",") and style in styles.split(",") and os.path.exists(path):
			return path, int(index or 0)
	return None


def sources() -> list[dict]:
	"""Each font to copy: its family, style, file, index, size and time; no file when missing."""
	found = []
	for family, style in SOURCES:
		located = find_source(family, style)
		entry = {"family": family, "style": style, "file": None}
		if located:
			stat = os.stat(located[0])
			entry.update(file=located[0], index=located[1], size=stat.st_size, mtime=int(stat.st_mtime))
		found.append(entry)
	return found


def target_name(entry: dict) -> str:
	return "{}-{}.otf".format((PREFIX + entry["family"]).replace(" ", ""), entry["style"])


def fontconfig_text(folder: str) -> str:
	"""The system's configuration plus the folder of the copies (and their cache beside it: neither
	is in the scanned folder, so that writing them does not make fontconfig scan the fonts again)."""
	return (
		'<?xml version="1.0"?>\n'
		'<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
		"<!-- made by the dangjian app (dangjian/pdf_fonts.py) for its PDFs; made again when missing -->\n"
		"<fontconfig>\n"
		f"\t<dir>{escape(os.path.join(folder, FONTS))}</dir>\n"
		f"\t<cachedir>{escape(os.path.join(folder, 'cache'))}</cachedir>\n"
		f'\t<include ignore_missing="yes">{escape(system_fontconfig_file())}</include>\n'
		"</fontconfig>\n"
	)


def _read(path: str) -> str | None:
	try:
		with open(path) as f:
			return f.read()
	except OSError:
		return None


def _read_manifest(folder: str) -> dict | None:
	try:
		with open(os.path.join(folder, MANIFEST)) as f:
			return json.load(f)
	except (OSError, ValueError):
		return None


def _current(manifest: dict | None, folder: str) -> bool:
	return bool(
		manifest
		and manifest.get("version") == VERSION
		and manifest.get("fonts")
		and all(os.path.exists(os.path.join(folder, FONTS, name)) for name in manifest["fonts"])
		and os.path.exists(os.path.join(folder, "fonts.conf"))
	)


@contextlib.contextmanager
def _locked(folder: str):
	with open(os.path.join(folder, ".lock"), "w") as lock:
		fcntl.flock(lock, fcntl.LOCK_EX)
		try:
			yield
		finally:
			fcntl.flock(lock, fcntl.LOCK_UN)


def ensure(check_sources: bool = False) -> str | None:
	"""The fontconfig file of the site's copies, made when missing (or, with ``check_sources``, when
	an installed font changed); None when they cannot be made."""
	folder = font_folder()
	conf = os.path.join(folder, "fonts.conf")
	if not check_sources and _ready.get(folder) == conf and os.path.exists(conf):
		return conf
	if not check_sources and folder in _failed:
		return None
	os.makedirs(os.path.join(folder, FONTS), exist_ok=True)
	with _locked(folder):
		manifest = _read_manifest(folder)
		found = sources() if (check_sources or not _current(manifest, folder)) else None
		if found is not None and not (_current(manifest, folder) and manifest.get("sources") == found):
			if not _make(folder, found):
				# said once in the Error Log; the process tries again after a restart
				_failed.add(folder)
				return None
		text = fontconfig_text(folder)
		if _read(conf) != text:
			with open(conf + ".tmp", "w") as f:
				f.write(text)
			os.replace(conf + ".tmp", conf)
	_ready[folder] = conf
	return conf


def _make(folder: str, found: list[dict]) -> bool:
	missing = [f"{entry['family']} {entry['style']}" for entry in found if not entry["file"]]
	if importlib.util.find_spec("fontTools") is None:
		missing.append("the Python package fonttools")
	if missing:
		frappe.log_error(
			title="dangjian: PDF fonts not made",
			message="Missing: {}. The forms print with the installed fonts (apt-get install "
			"fonts-noto-cjk; pip install fonttools).".format(", ".join(missing)),
		)
		return False
	fonts = []
	for entry in found:
		name = target_name(entry)
		# made beside the fonts' folder and moved in whole
		partial = os.path.join(folder, f"{name}.{os.getpid()}.tmp")
		derive(entry["file"], entry["index"], partial)
		os.replace(partial, os.path.join(folder, FONTS, name))
		fonts.append(name)
	for name in os.listdir(os.path.join(folder, FONTS)):
		if name not in fonts:
			os.remove(os.path.join(folder, FONTS, name))
	partial = os.path.join(folder, MANIFEST + ".tmp")
	with open(partial, "w") as f:
		json.dump({"version": VERSION, "sources": found, "fonts": fonts}, f, indent=1)
	os.replace(partial, os.path.join(folder, MANIFEST))
	return True


def activate() -> str:
	"""Point wkhtmltopdf at the copies for the rest of this request or job (the app's print
	templates call it, as ``dangjian_pdf_fonts()``); returns "" to be used in a template. Never
	stops a print: without the copies the forms print with the original fonts."""
	global _saved
	try:
		conf = ensure()
	except Exception:
		frappe.log_error(title="dangjian: PDF fonts not made")
		return ""
	if not conf:
		return ""
	if os.environ.get("FONTCONFIG_FILE") != conf:
		if _saved is _UNSET:
			_saved = os.environ.get("FONTCONFIG_FILE")
		os.environ["FONTCONFIG_FILE"] = conf
	_restore_later()
	return ""


def dangjian_pdf_fonts() -> str:
	"""``activate`` under the name the print templates know it by (hooks.py, jinja)."""
	return activate()


def _restore_later() -> None:
	if frappe.flags.get("dangjian_fonts_restore"):
		return
	request = getattr(frappe.local, "request", None)
	job = getattr(frappe.local, "job", None)
	callbacks = getattr(request, "after_response", None) or getattr(job, "after_job", None)
	if callbacks is not None:
		callbacks.add(restore)
		frappe.flags.dangjian_fonts_restore = True


def restore() -> None:
	"""The process's FONTCONFIG_FILE as it was before ``activate``."""
	global _saved
	if _saved is _UNSET:
		return
	if _saved is None:
		os.environ.pop("FONTCONFIG_FILE", None)
	else:
		os.environ["FONTCONFIG_FILE"] = _saved
	_saved = _UNSET


def remove() -> None:
	"""Delete the site's copies (the app's uninstall)."""
	import shutil

	restore()
	_ready.pop(font_folder(), None)
	shutil.rmtree(font_folder(), ignore_errors=True)
