#!/usr/bin/env bash
# A primary and a read replica on this machine, for the replica test: two MariaDB servers of their
# own (loopback, their own ports and data directories; the system's MariaDB is not touched), the
# replica following the primary through the binlog (GTID) and read-only for everyone but root.
#
#   scripts/replica.sh start     make both anew and start replication; prints the ports
#   scripts/replica.sh stop      stop both and remove their data
#   scripts/replica.sh status    the replica's replication threads and lag
#
#   DANGJIAN_REPLICA_DIR     where the data lives (default /tmp/dangjian-replica)
#   DANGJIAN_PRIMARY_PORT    default 3317      DANGJIAN_REPLICA_PORT   default 3318
#   DB_ROOT_PASSWORD         root's password on both (default root)
set -uo pipefail
DIR=${DANGJIAN_REPLICA_DIR:-/tmp/dangjian-replica}
PRIMARY_PORT=${DANGJIAN_PRIMARY_PORT:-3317}
REPLICA_PORT=${DANGJIAN_REPLICA_PORT:-3318}
PASSWORD=${DB_ROOT_PASSWORD:-root}
REPL_PASSWORD=replica-$$-$RANDOM

sql() { # sql NAME STATEMENTS: as root over the server's socket
	mariadb --protocol=socket -S "$DIR/$1.sock" -uroot -p"$PASSWORD" -e "$2"
}

start_server() { # start_server NAME PORT SERVER_ID EXTRA...
	local name=$1 port=$2 id=$3
	shift 3
	mkdir -p "$DIR/$name"
	mariadb-install-db --no-defaults --datadir="$DIR/$name" --user="$(id -un)" --auth-root-authentication-method=normal \
		--skip-test-db >"$DIR/$name-install.log" 2>&1 || { tail -5 "$DIR/$name-install.log"; return 1; }
	# --no-defaults: the system's my.cnf (its port, socket, bind address) is not ours
	(mariadbd --no-defaults --datadir="$DIR/$name" --port="$port" --bind-address=127.0.0.1 \
		--socket="$DIR/$name.sock" --pid-file="$DIR/$name.pid" --user="$(id -un)" --server-id="$id" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --skip-name-resolve=0 \
		--log-error="$DIR/$name.err" "$@" >/dev/null 2>&1 &)
	for _ in $(seq 1 60); do
		mariadb --protocol=socket -S "$DIR/$name.sock" -uroot -e "select 1" >/dev/null 2>&1 && break
		mariadb --protocol=socket -S "$DIR/$name.sock" -uroot -p"$PASSWORD" -e "select 1" >/dev/null 2>&1 && break
		sleep 0.5
	done
	# root with the password, over the socket and over TCP (as bench connects); not in the binlog
	mariadb --protocol=socket -S "$DIR/$name.sock" -uroot -e "SET sql_log_bin = 0;
		ALTER USER root@localhost IDENTIFIED BY '$PASSWORD';
		CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
		GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;" 2>/dev/null ||
		sql "$name" "select 1" >/dev/null || { echo "replica.sh: $name did not start (see $DIR/$name.err)"; return 1; }
}

stop_server() {
	local pid
	pid=$(cat "$DIR/$1.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
	kill -9 "$pid" 2>/dev/null
}

start() {
	stop
	mkdir -p "$DIR"
	start_server primary "$PRIMARY_PORT" 1 --log-bin="$DIR/primary/binlog" --binlog-format=ROW || return 1
	# read_only: the site's user (no SUPER) cannot write there, so a write on the read path fails
	start_server replica "$REPLICA_PORT" 2 --read-only=1 --relay-log="$DIR/replica/relay" || return 1
	sql primary "SET sql_log_bin = 0; CREATE USER repl@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
		GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1';" || return 1
	local position
	position=$(mariadb --protocol=socket -S "$DIR/primary.sock" -uroot -p"$PASSWORD" -N -e "select @@gtid_binlog_pos")
	sql replica "SET GLOBAL gtid_slave_pos = '$position';
		CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $PRIMARY_PORT, MASTER_USER = 'repl',
		MASTER_PASSWORD = '$REPL_PASSWORD', MASTER_USE_GTID = slave_pos; START SLAVE;" || return 1
	for _ in $(seq 1 30); do
		running=$(sql replica "SHOW SLAVE STATUS\G" | grep -cE "Slave_(IO|SQL)_Running: Yes")
		[ "$running" = 2 ] && break
		sleep 0.5
	done
	if [ "${running:-0}" != 2 ]; then
		echo "replica.sh: replication did not start"
		sql replica "SHOW SLAVE STATUS\G" | grep -E "Running|Error"
		return 1
	fi
	echo "replica.sh: primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT (read-only), replicating"
}

stop() {
	stop_server replica
	stop_server primary
	rm -rf "$DIR"
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	status) sql replica "SHOW SLAVE STATUS\G" | grep -E "Running|Seconds_Behind|Gtid_IO_Pos|Error" ;;
	*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
