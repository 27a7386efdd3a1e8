"""hooks.py is plain data: read it without Frappe and check what the platform relies on."""

import ast
import pathlib

HOOKS = pathlib.Path(__file__).resolve().parents[1] / "dangjian" / "hooks.py"


def assignments():
	tree = ast.parse(HOOKS.read_text())
	return [node.targets[0].id for node in tree.body if isinstance(node, ast.Assign)]


def test_no_hook_is_assigned_twice():
	names = assignments()
	assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_required_hooks_are_there():
	names = set(assignments())
	for name in ("app_name", "required_apps", "after_install", "before_uninstall", "scheduler_events"):
		assert name in names
