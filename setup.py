"""Kept for older benches that install apps with setup.py; pyproject.toml is the source of truth."""

from setuptools import find_packages, setup

from dangjian import __version__ as version

setup(
	name="dangjian",
	version=version,
	description="党建+ project scheme for Frappe / ERPNext",
	author="dangjian developers",
	author_email="dev@dangjian.invalid",
	packages=find_packages(exclude=["tests", "tests.*"]),
	zip_safe=False,
	include_package_data=True,
	install_requires=["fonttools>=4.38"],  # the PDF fonts (dangjian/pdf_fonts.py)
)
