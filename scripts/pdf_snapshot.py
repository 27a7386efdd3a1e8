"""Render every print format of the app to PDF, for the first three documents of its doctype, into
PDF_OUT (default /tmp/pdf-out): a snapshot to compare before and after a change of the templates
with scripts/compare_pdfs.py. Run it on a site with the demo, its web server running (PDFs load
their CSS from the site's address):

    cd ~/frappe-bench && bench --site dangjian.test console
    >>> exec(open("<checkout>/scripts/pdf_snapshot.py").read(), globals())
    ... run("/tmp/pdf-before")
"""

import os

import frappe


def run(out: str | None = None) -> int:
	out = out or os.environ.get("PDF_OUT", "/tmp/pdf-out")
	os.makedirs(out, exist_ok=True)
	written = 0
	for print_format in frappe.get_all(
		"Print Format", filters={"module": "Dangjian"}, fields=["name", "doc_type"]
	):
		names = frappe.get_all(
			print_format.doc_type,
			filters={"docstatus": ("<", 2)},
			pluck="name",
			order_by="creation asc",
			limit=3,
		)
		for name in names:
			pdf = frappe.get_print(
				print_format.doc_type, name, print_format.name, as_pdf=True, no_letterhead=1
			)
			with open(os.path.join(out, f"{frappe.scrub(print_format.name)}--{name}.pdf"), "wb") as f:
				f.write(pdf)
			written += 1
	print(f"rendered {written} PDFs into {out}")
	return written
