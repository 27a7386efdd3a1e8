#!/usr/bin/env bash
# A rehearsal of a new machine, to run at will before claiming that the README's two commands
# work: a new bench directory, a MariaDB whose root logs in by socket only (as Debian installs
# it), a fresh `bench init` (whose sites/apps.txt has no trailing newline) and the Node.js already
# on the machine; then both README commands, start to finish, each timed, with their last lines.
#
#   scripts/rehearse.sh                       # bench in a new folder under /tmp
#   FRAPPE_PATH=/path/to/frappe scripts/rehearse.sh     # where GitHub cannot be reached
#   REHEARSAL_RUNS=2 scripts/rehearse.sh      # run both commands twice (nothing breaks twice)
#
# What it changes on the machine: it stops the bench processes (web, worker, scheduler, the
# bench Redis servers) that hold the ports a new bench uses, resets MariaDB's root to socket-only
# login (setup.sh then gives it the password again, keeping the socket login) and leaves the new
# bench where it made it (the path is printed). Your own bench is not touched; start it again
# with `bench start` or scripts/setup.sh.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${DANGJIAN_BENCH:-/tmp/dangjian-rehearsal-$(date +%Y%m%d-%H%M%S)/frappe-bench}
RUNS=${REHEARSAL_RUNS:-1}
OUT=$(dirname "$BENCH")/rehearsal
mkdir -p "$OUT"

say() { printf '\n##### %s\n' "$*"; }

say "a new machine: bench $BENCH"
if [ -e "$BENCH" ]; then
	echo "rehearse: $BENCH exists; name a new folder in DANGJIAN_BENCH" >&2
	exit 2
fi
# nothing of another bench answers on the ports a new bench takes
pkill -f "frappe.utils.bench_helper frappe" 2>/dev/null
pkill -f "redis-server .*:1[13]000" 2>/dev/null
for port in 11000 13000; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1; done
sleep 1
if command -v mysql >/dev/null 2>&1 && mysqladmin --protocol=socket ping >/dev/null 2>&1; then
	# as Debian installs it: root by socket only, no password over TCP
	mysql --protocol=socket -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket; FLUSH PRIVILEGES;"
	if mysql --protocol=tcp -h 127.0.0.1 -uroot -proot -e "select 1" >/dev/null 2>&1; then
		echo "rehearse: MariaDB root still logs in over TCP with a password" >&2
		exit 1
	fi
	echo "MariaDB: root logs in by socket only"
else
	echo "MariaDB: not installed or not running (setup.sh installs and starts it)"
fi
echo "Node.js already present: $(node --version 2>/dev/null || echo none), npm $(npm --version 2>/dev/null || echo none)"

status=0
for run in $(seq 1 "$RUNS"); do
	say "run $run: scripts/setup.sh"
	t0=$(date +%s)
	DANGJIAN_BENCH=$BENCH "$ROOT/scripts/setup.sh" >"$OUT/setup-$run.log" 2>&1
	setup_rc=$?
	setup_s=$(($(date +%s) - t0))
	tail -8 "$OUT/setup-$run.log"
	if [ "$run" = 1 ] && [ -f "$BENCH/sites/apps.txt" ]; then
		if grep -qv -x -E 'frappe|dangjian|erpnext|hrms' "$BENCH/sites/apps.txt"; then
			echo "rehearse: sites/apps.txt has a broken line:"
			cat "$BENCH/sites/apps.txt"
			status=1
		fi
	fi
	say "run $run: scripts/test.sh"
	t0=$(date +%s)
	CI=true DANGJIAN_BENCH=$BENCH "$ROOT/scripts/test.sh" >"$OUT/test-$run.log" 2>&1
	test_rc=$?
	test_s=$(($(date +%s) - t0))
	sed -n '/^=== summary/,$p' "$OUT/test-$run.log"
	say "run $run: setup.sh exit $setup_rc in ${setup_s}s; test.sh exit $test_rc in ${test_s}s"
	[ "$setup_rc" -eq 0 ] && [ "$test_rc" -eq 0 ] || status=1
done
echo "logs: $OUT"
exit $status
