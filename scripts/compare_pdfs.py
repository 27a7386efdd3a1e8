"""Compare two folders of PDFs written by scripts/pdf_snapshot.py: the text of each (pdftotext
-layout) and each page as an image (pdftoppm, 60 dpi). Exits 1 when any differs or there was
nothing to compare.

    python3 scripts/compare_pdfs.py /tmp/pdf-before /tmp/pdf-after
"""

import hashlib
import os
import subprocess
import sys

before, after = sys.argv[1], sys.argv[2]
same_text = same_img = 0
diffs = []
pages_total = 0
for f in sorted(os.listdir(before)):
	a, b = f"{before}/{f}", f"{after}/{f}"
	ta = subprocess.run(["pdftotext", "-layout", a, "-"], capture_output=True).stdout
	tb = subprocess.run(["pdftotext", "-layout", b, "-"], capture_output=True).stdout
	if ta == tb and len(ta) > 100:
		same_text += 1
	else:
		diffs.append(("text", f))
	imgs = {}
	for tag, p in (("a", a), ("b", b)):
		d = f"/tmp/cmp-{tag}"
		subprocess.run(["rm", "-rf", d])
		os.makedirs(d)
		subprocess.run(["pdftoppm", "-r", "60", "-png", p, f"{d}/p"], check=True)
		imgs[tag] = [hashlib.md5(open(f"{d}/{x}", "rb").read()).hexdigest() for x in sorted(os.listdir(d))]
	pages_total += len(imgs["a"])
	if imgs["a"] and imgs["a"] == imgs["b"]:
		same_img += 1
	else:
		diffs.append(("image", f, len(imgs["a"]), len(imgs["b"])))
print(
	f"{len(os.listdir(before))} PDFs, {pages_total} pages: same text {same_text}, same page images {same_img}, differences {diffs}"
)
sys.exit(1 if diffs or not same_text else 0)
