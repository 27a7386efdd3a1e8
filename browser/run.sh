#!/usr/bin/env bash
# The real browser test of the desk (browser/test_desk.py): Debian's Chromium, headless, driven
# by Selenium against a running site on loopback. Skips (exit 0) with "browser test: skipped —
# <why>" when there is no bench, no chromium/chromedriver, no selenium or no built assets;
# otherwise makes sure the site (BROWSER_SITE, default ui.dangjian, created with the demo when
# missing) and a web server for it (its own `bench --site SITE serve` on BROWSER_PORT, default
# 8011, stopped afterwards; a server already answering on that port is used as it is and must
# serve SITE, which the test checks) and a background worker (the bell's entries are jobs), runs the test and prints "browser test: N passed, M
# failed" (exit 1 on a failure). A bench's shared `bench serve` is not used: with
# serve_default_site it answers every Host name with the default site.
#
# Environment: DANGJIAN_BENCH (default $HOME/frappe-bench), BROWSER_SITE, BROWSER_PORT,
# BROWSER_DB_ROOT_PASSWORD (to create the site; default root), BROWSER_ADMIN_PASSWORD (default
# admin), CHROMIUM, CHROMEDRIVER (default /usr/bin/chromium, /usr/bin/chromedriver),
# BROWSER_SHOTS (screenshots; default /tmp/dangjian-browser/shots — BROWSER_SHOTS=docs/images
# refreshes the README's pictures), BROWSER_VERBOSE=1 for tracebacks.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# a relative BROWSER_SHOTS is relative to the checkout (the test runs from the bench)
case "${BROWSER_SHOTS:-}" in "" | /*) ;; *) export BROWSER_SHOTS="$HERE/../$BROWSER_SHOTS" ;; esac
BENCH="${DANGJIAN_BENCH:-$HOME/frappe-bench}"
SITE="${BROWSER_SITE:-ui.dangjian}"
PORT="${BROWSER_PORT:-8011}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export BROWSER_SITE="$SITE" BROWSER_PORT="$PORT" CHROMIUM CHROMEDRIVER
export BROWSER_URL="${BROWSER_URL:-http://$SITE:$PORT}"

skip() {
	echo "browser test: skipped — $*"
	exit 0
}

[ -x "$BENCH/env/bin/python" ] && [ -d "$BENCH/apps/frappe" ] || skip "no bench at $BENCH (set DANGJIAN_BENCH)"
command -v bench >/dev/null || skip "the bench command is not installed"
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (apt-get install chromium)"
[ -x "$CHROMEDRIVER" ] || skip "no chromedriver at $CHROMEDRIVER (apt-get install chromium-driver)"
PYTHON="$BENCH/env/bin/python"
"$PYTHON" -c "import selenium" 2>/dev/null || skip "selenium is not installed in $BENCH/env (bench pip install selenium)"
[ -s "$BENCH/sites/assets/assets.json" ] && [ -d "$BENCH/sites/assets/frappe/dist" ] ||
	skip "the bench's assets are not built (bench build)"
[ -e "$BENCH/sites/assets/dangjian" ] || skip "the app's assets are not linked (bench build --app dangjian)"
[ -d "$BENCH/apps/dangjian" ] || skip "the dangjian app is not in the bench"

cd "$BENCH" || exit 1

# shellcheck source=scripts/lib.sh
. "$HERE/../scripts/lib.sh"
echo -n "browser test: "
site_for_run "$HERE/.." "$BENCH" "$SITE" "${BROWSER_DB_ROOT_PASSWORD:-root}" /tmp/dangjian-browser-site.log demo || {
	echo "browser test: could not create $SITE (see /tmp/dangjian-browser-site.log)"
	exit 1
}

ping() {
	curl -s -m 5 -H "Host: $SITE" "http://127.0.0.1:$PORT/api/method/ping" | grep -q pong
}

SERVER_PID=""
WORKER_PID=""
LONG_WORKER_PID=""
stop_server() {
	# setsid made the server (and the worker) the leader of its own process group: stop that group only
	[ -n "$SERVER_PID" ] && { kill -- "-$SERVER_PID" 2>/dev/null || kill "$SERVER_PID" 2>/dev/null; }
	[ -n "$WORKER_PID" ] && { kill -- "-$WORKER_PID" 2>/dev/null || kill "$WORKER_PID" 2>/dev/null; }
	[ -n "$LONG_WORKER_PID" ] && { kill -- "-$LONG_WORKER_PID" 2>/dev/null || kill "$LONG_WORKER_PID" 2>/dev/null; }
	SERVER_PID=""
	WORKER_PID=""
	LONG_WORKER_PID=""
}
trap stop_server EXIT

# The bell's entries are made by a background job (Frappe's make_notification_logs), so a worker
# runs during the test. A test bench has no worker of its own: the queue is first emptied of the
# jobs earlier runs left there (other sites', many of them long dropped).
bench purge-jobs >/tmp/dangjian-browser-worker.log 2>&1
setsid bench worker --queue short,default,long >>/tmp/dangjian-browser-worker.log 2>&1 &
WORKER_PID=$!
# and one for the long queue alone (the ledger import's job): a worker takes the long queue only
# when short and default are empty, which on a bench whose other sites keep it busy may be never
setsid bench worker --queue long >>/tmp/dangjian-browser-worker-long.log 2>&1 &
LONG_WORKER_PID=$!
if ! ping; then
	setsid bench --site "$SITE" serve --port "$PORT" --noreload >/tmp/dangjian-browser-serve.log 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 60); do
		ping && break
		sleep 1
	done
	ping || {
		echo "browser test: the web server did not start (see /tmp/dangjian-browser-serve.log)"
		exit 1
	}
fi

"$PYTHON" "$HERE/test_desk.py"
status=$?
stop_server
exit $status
