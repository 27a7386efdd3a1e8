"""The app's layout, read without Frappe: no import cycle among the app's own modules, no module
imports hooks.py, the doctype lists live in one Frappe-free module."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
APP = ROOT / "dangjian"


def module_name(path: pathlib.Path) -> str:
	parts = list(path.relative_to(ROOT).with_suffix("").parts)
	if parts[-1] == "__init__":
		parts = parts[:-1]
	return ".".join(parts)


def app_modules() -> dict[str, pathlib.Path]:
	return {module_name(p): p for p in APP.rglob("*.py") if "node_modules" not in p.parts}


def imports_of(path: pathlib.Path, modules: dict[str, pathlib.Path]) -> set[str]:
	"""The app modules a file imports (at any level: a function's import counts too)."""
	found = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		names = []
		if isinstance(node, ast.Import):
			names = [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
		for name in names:
			while name and name not in modules:
				name = name.rpartition(".")[0]
			if name and name.startswith("dangjian"):
				found.add(name)
	return found


def graph() -> dict[str, set[str]]:
	modules = app_modules()
	edges = {}
	for name, path in modules.items():
		if ".tests." in f".{name}." or name.split(".")[-1].startswith("test_"):
			continue
		# a package's own __init__ importing nothing but itself is no edge
		edges[name] = {m for m in imports_of(path, modules) if m != name and not name.startswith(m + ".")}
	return edges


def test_there_are_modules_to_check():
	edges = graph()
	assert len(edges) > 40 and sum(len(v) for v in edges.values()) > 40


def test_no_import_cycle():
	edges = graph()
	state: dict[str, int] = {}
	cycles = []

	def visit(node, stack):
		state[node] = 1
		for nxt in sorted(edges.get(node, ())):
			if nxt not in edges:
				continue
			if state.get(nxt) == 1:
				cycles.append(stack[stack.index(nxt) :] + [nxt])
			elif not state.get(nxt):
				visit(nxt, [*stack, nxt])
		state[node] = 2

	for node in sorted(edges):
		if not state.get(node):
			visit(node, [node])
	assert cycles == []


def test_no_module_imports_hooks():
	importers = sorted(name for name, deps in graph().items() if "dangjian.hooks" in deps)
	assert importers == []


def test_the_doctype_lists_are_frappe_free():
	tree = ast.parse((APP / "doctypes.py").read_text(encoding="utf-8"))
	assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
