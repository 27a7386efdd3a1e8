#!/usr/bin/env bash
# Small pieces shared by setup.sh, test.sh, trust/run.sh and browser/run.sh. Sourced, never run.
# Each is tested bench-free by tests/test_scripts.py.

# add_app_line FILE APP: add APP as a line of FILE (sites/apps.txt). A fresh bench writes
# apps.txt without a trailing newline, so a plain `echo app >> apps.txt` would glue the name
# to the last one ("frappedangjian").
add_app_line() {
	local file=$1 app=$2
	grep -qx "$app" "$file" 2>/dev/null && return 0
	if [ -s "$file" ] && [ "$(tail -c1 "$file" | od -An -c | tr -d ' ')" != '\n' ]; then
		printf '\n' >>"$file"
	fi
	printf '%s\n' "$app" >>"$file"
}

# node_ok: Node.js 18 or newer with npm is on the PATH (a machine that has one keeps it).
node_ok() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
	local major
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
	[ "${major:-0}" -ge 18 ]
}

# db_tcp_login PASSWORD: root logs in over TCP with PASSWORD, as bench does.
db_tcp_login() {
	mysql --protocol=tcp -h 127.0.0.1 -uroot -p"$1" -e "select 1" >/dev/null 2>&1
}

# code_fingerprint DIR: a hash of the app's tracked files as they are in the working tree
# (uncommitted changes included) and of the Frappe version; a site built from other code has
# another one.
code_fingerprint() {
	local dir=$1 bench=${2:-}
	{
		(cd "$dir" && git ls-files -z --cached --others --exclude-standard -- dangjian setup.py pyproject.toml |
			sort -z | xargs -0 sha1sum 2>/dev/null)
		[ -n "$bench" ] && cat "$bench/apps/frappe/frappe/__init__.py" 2>/dev/null | grep -m1 __version__
	} | sha1sum | cut -c1-16
}

# fresh_site BENCH SITE ROOT_PASSWORD LOG [demo] [FINGERPRINT]: drop SITE if it exists and make
# it anew with the app installed (and the demo), recording FINGERPRINT in its site_config. A
# test site: tests allowed, and Frappe's sign-up throttle (60 new users a minute) raised, since
# the suites make hundreds of users within minutes.
# Errors go to LOG; returns non-zero on any failure.
fresh_site() {
	local bench=$1 site=$2 password=$3 log=$4 demo=${5:-} fingerprint=${6:-}
	(
		cd "$bench" || exit 1
		if [ -d "sites/$site" ]; then
			bench drop-site "$site" --db-root-password "$password" --force --no-backup >>"$log" 2>&1
			rm -rf "sites/$site"
		fi
		bench new-site "$site" --db-root-password "$password" --admin-password admin >>"$log" 2>&1 &&
			bench --site "$site" install-app dangjian >>"$log" 2>&1 &&
			bench --site "$site" set-config allow_tests true >>"$log" 2>&1 &&
			bench --site "$site" set-config -p throttle_user_limit 1000 >>"$log" 2>&1 || exit 1
		# the site's encryption key now: Frappe writes it into site_config.json the first time a
		# password is stored, and a web worker reading that file while it is rewritten fails (500)
		bench --site "$site" execute frappe.utils.password.get_encryption_key >/dev/null 2>>"$log" || exit 1
		if [ "$demo" = "demo" ]; then
			bench --site "$site" dangjian-demo --password Dangjian@2026 >>"$log" 2>&1 || exit 1
		fi
		if grep -q "Traceback" "$log"; then exit 1; fi
		[ -z "$fingerprint" ] || bench --site "$site" set-config dangjian_fingerprint "$fingerprint" >>"$log" 2>&1
	)
}

# site_is_current BENCH SITE FINGERPRINT: SITE exists and was made by fresh_site from the code
# whose fingerprint is FINGERPRINT.
site_is_current() {
	local config="$1/sites/$2/site_config.json"
	[ -f "$config" ] && grep -q "\"dangjian_fingerprint\": \"$3\"" "$config"
}

# site_for_run CHECKOUT BENCH SITE ROOT_PASSWORD LOG [demo]: the site a test suite runs on, made
# anew from this checkout's code (with the demo), or with DANGJIAN_REUSE_SITES=1 reused when its
# fingerprint is this code's. Says which, adds the site to /etc/hosts; non-zero on failure.
site_for_run() {
	local checkout=$1 bench=$2 site=$3 password=$4 log=$5 demo=${6:-} fingerprint
	fingerprint=$(code_fingerprint "$checkout" "$bench")
	grep -qE "^127\.0\.0\.1[[:space:]].*\b$site\b" /etc/hosts 2>/dev/null || echo "127.0.0.1 $site" >>/etc/hosts
	if [ "${DANGJIAN_REUSE_SITES:-0}" = "1" ] && site_is_current "$bench" "$site" "$fingerprint"; then
		echo "$site: reused (built from this code: $fingerprint)"
		return 0
	fi
	# a site made before this code proves nothing about it
	echo "$site: made anew${demo:+ with the demo}"
	: >"$log"
	fresh_site "$bench" "$site" "$password" "$log" "$demo" "$fingerprint"
}
