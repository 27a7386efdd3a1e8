#!/usr/bin/env bash
# Start (or check) the services a Frappe bench needs: MariaDB and the bench's two Redis servers.
# Usage: scripts/services.sh [start|check]   (bench: $DANGJIAN_BENCH, default $HOME/frappe-bench)
set -uo pipefail
BENCH=${DANGJIAN_BENCH:-$HOME/frappe-bench}
action=${1:-start}

mariadb_up() { mysqladmin --protocol=socket ping >/dev/null 2>&1 || mysqladmin -uroot -p"${DB_ROOT_PASSWORD:-root}" ping >/dev/null 2>&1; }

redis_ports() {
	# the ports of redis_cache and redis_queue from the bench's common_site_config.json
	python3 - "$BENCH/sites/common_site_config.json" <<'PY'
import json, sys, urllib.parse
conf = json.load(open(sys.argv[1]))
for key in ("redis_cache", "redis_queue"):
    if conf.get(key):
        print(urllib.parse.urlparse(conf[key]).port)
PY
}

start_mariadb() {
	mariadb_up && return 0
	if command -v service >/dev/null 2>&1; then service mariadb start >/dev/null 2>&1 || true; fi
	mariadb_up && return 0
	(mysqld_safe >/dev/null 2>&1 &)
	for _ in $(seq 1 30); do mariadb_up && return 0; sleep 1; done
	echo "services: MariaDB did not start" >&2
	return 1
}

start_redis() {
	local port conf
	for port in $(redis_ports); do
		redis-cli -p "$port" ping >/dev/null 2>&1 && continue
		conf=$(grep -l "^port $port" "$BENCH"/config/redis_*.conf 2>/dev/null | head -1)
		if [ -n "$conf" ]; then
			(cd "$BENCH/config" && redis-server "$conf" --daemonize yes >/dev/null)
		else
			redis-server --port "$port" --daemonize yes --save "" --appendonly no >/dev/null
		fi
		for _ in $(seq 1 20); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
		redis-cli -p "$port" ping >/dev/null 2>&1 || { echo "services: Redis on port $port did not start" >&2; return 1; }
	done
}

check() {
	mariadb_up || { echo "services: MariaDB is not running (scripts/services.sh start)"; return 1; }
	local port
	for port in $(redis_ports); do
		redis-cli -p "$port" ping >/dev/null 2>&1 || { echo "services: Redis on port $port is not running (scripts/services.sh start)"; return 1; }
	done
}

case "$action" in
	start) start_mariadb && start_redis && check ;;
	check) check ;;
	*) echo "usage: $0 [start|check]" >&2; exit 2 ;;
esac
