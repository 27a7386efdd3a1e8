#!/usr/bin/env bash
# The trust suite over HTTP: creates the site trust.dangjian with the demo when missing, makes
# sure a web server serves it on loopback, then runs trust/suite.py with the bench's Python.
#
#   DANGJIAN_BENCH   the bench (default $HOME/frappe-bench)
#   TRUST_SITE       the site (default trust.dangjian)
#   TRUST_LOAD       load-test size: threads x requests (default small; e.g. TRUST_LOAD=large)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${DANGJIAN_BENCH:-$HOME/frappe-bench}
SITE=${TRUST_SITE:-trust.dangjian}
cd "$BENCH" || { echo "TRUST: skipped, no bench at $BENCH"; exit 0; }
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
site_for_run "$ROOT" "$BENCH" "$SITE" "${DB_ROOT_PASSWORD:-root}" /tmp/trust-new-site.log demo ||
	{ tail -20 /tmp/trust-new-site.log; echo "TRUST: 0 passed, 1 failed (site creation)"; exit 1; }
# the site follows this checkout's doctypes and reports
bench --site "$SITE" migrate >/tmp/trust-migrate.log 2>&1 || { tail -20 /tmp/trust-migrate.log; echo "TRUST: 0 passed, 1 failed (migrate)"; exit 1; }
# a web server of its own, started from this checkout's code (a long-running dev server may
# hold code older than the checkout), served as production serves Frappe: gunicorn with a few
# worker processes (bench setup supervisor), not the single-process development server, whose
# one Python thread at a time would measure the development server rather than the app (the
# ballot load test). TRUST_PORT names a server already listening to use instead.
port=${TRUST_PORT:-8002}
started=""
if ! curl -s -o /dev/null "http://127.0.0.1:$port/api/method/ping"; then
	(cd sites && exec "$BENCH/env/bin/gunicorn" -b "127.0.0.1:$port" -w "${TRUST_WORKERS:-3}" -t 120 \
		--preload frappe.app:application) >/tmp/trust-serve.log 2>&1 &
	started=$!
	for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$port/api/method/ping" && break; sleep 0.5; done
fi
TRUST_URL="http://$SITE:$port" "$BENCH/env/bin/python" "$ROOT/trust/suite.py"
rc=$?
if [ -n "$started" ]; then kill "$started" 2>/dev/null; wait "$started" 2>/dev/null; fi
exit $rc
