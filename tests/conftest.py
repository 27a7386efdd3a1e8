"""The bench-free suite: plain pytest, no Frappe. It imports the app's pure modules by path so
that it runs on a machine without Frappe installed."""

import importlib.util
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def load(name: str):
	"""Import dangjian/<name>.py on its own, without the dangjian package (whose hooks need
	Frappe)."""
	module_name = f"dangjian_pure_{name}"
	if module_name in sys.modules:
		return sys.modules[module_name]
	spec = importlib.util.spec_from_file_location(module_name, ROOT / "dangjian" / f"{name}.py")
	module = importlib.util.module_from_spec(spec)
	sys.modules[module_name] = module
	spec.loader.exec_module(module)
	return module
