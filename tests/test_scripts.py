"""The shell pieces the README's two commands rely on (scripts/lib.sh), run with bash."""

import pathlib
import subprocess

LIB = pathlib.Path(__file__).resolve().parents[1] / "scripts" / "lib.sh"


def run(script: str, **env) -> subprocess.CompletedProcess:
	return subprocess.run(
		["/bin/bash", "-c", f". {LIB}; {script}"],
		capture_output=True,
		text=True,
		env={"PATH": "/usr/bin:/bin", **env},
	)


def test_add_app_line_after_a_last_line_without_newline(tmp_path):
	# a fresh bench writes sites/apps.txt without a trailing newline
	apps = tmp_path / "apps.txt"
	apps.write_text("frappe")
	assert run(f"add_app_line {apps} dangjian").returncode == 0
	assert apps.read_text().splitlines() == ["frappe", "dangjian"]


def test_add_app_line_is_idempotent_and_keeps_other_apps(tmp_path):
	apps = tmp_path / "apps.txt"
	apps.write_text("frappe\nerpnext\n")
	run(f"add_app_line {apps} dangjian")
	run(f"add_app_line {apps} dangjian")
	assert apps.read_text().splitlines() == ["frappe", "erpnext", "dangjian"]


def test_add_app_line_on_an_empty_file(tmp_path):
	apps = tmp_path / "apps.txt"
	apps.write_text("")
	run(f"add_app_line {apps} dangjian")
	assert apps.read_text() == "dangjian\n"


def fake_node(tmp_path, version: str, npm: bool = True) -> str:
	bin_dir = tmp_path / "bin"
	bin_dir.mkdir()
	node = bin_dir / "node"
	node.write_text(f'#!/bin/sh\necho "{version.split(".")[0]}"\n')
	node.chmod(0o755)
	if npm:
		(bin_dir / "npm").write_text("#!/bin/sh\n")
		(bin_dir / "npm").chmod(0o755)
	return str(bin_dir)


def test_node_ok_keeps_a_present_node_18_or_newer(tmp_path):
	assert run("node_ok", PATH=fake_node(tmp_path, "20.20.2")).returncode == 0


def test_node_ok_refuses_an_old_node_or_one_without_npm(tmp_path):
	old = tmp_path / "old"
	old.mkdir()
	assert run("node_ok", PATH=fake_node(old, "16.1.0")).returncode != 0
	nonpm = tmp_path / "nonpm"
	nonpm.mkdir()
	assert run("node_ok", PATH=fake_node(nonpm, "20.1.0", npm=False)).returncode != 0


def test_db_tcp_login_asks_over_tcp(tmp_path):
	# bench connects over TCP, where Debian's socket login (any password) does not apply: the
	# check must ask the same way
	bin_dir = tmp_path / "bin"
	bin_dir.mkdir()
	log = tmp_path / "args"
	(bin_dir / "mysql").write_text(f'#!/bin/sh\necho "$@" > {log}\nexit 1\n')
	(bin_dir / "mysql").chmod(0o755)
	assert run("db_tcp_login secret", PATH=f"{bin_dir}:/usr/bin:/bin").returncode != 0
	args = log.read_text()
	assert "--protocol=tcp" in args and "-h 127.0.0.1" in args and "-psecret" in args


def test_site_is_current_compares_the_fingerprint(tmp_path):
	site = tmp_path / "sites" / "s.test"
	site.mkdir(parents=True)
	(site / "site_config.json").write_text('{\n "dangjian_fingerprint": "abc123"\n}')
	assert run(f"site_is_current {tmp_path} s.test abc123").returncode == 0
	assert run(f"site_is_current {tmp_path} s.test other").returncode != 0
	assert run(f"site_is_current {tmp_path} missing.test abc123").returncode != 0
