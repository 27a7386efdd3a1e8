#!/usr/bin/env bash
# One command from a new Debian/Ubuntu machine to a running site with the app and its demo data:
# system packages, MariaDB and Redis, a Frappe v15 bench (from upstream, or an existing bench, or
# a local Frappe checkout), a site, the app linked from this checkout, the demo, a web server.
#
#   scripts/setup.sh                      # everything, bench at $HOME/frappe-bench
#   DANGJIAN_BENCH=/path/to/bench scripts/setup.sh     # use (or create) that bench
#   FRAPPE_PATH=/path/to/frappe scripts/setup.sh       # bench init from a local Frappe v15 checkout
#
# Other settings: DANGJIAN_SITE (default dangjian.test), DB_ROOT_PASSWORD (default root, set on a
# fresh MariaDB), DANGJIAN_PORT (default: the bench's webserver_port, 8000), SKIP_APT=1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${DANGJIAN_BENCH:-$HOME/frappe-bench}
SITE=${DANGJIAN_SITE:-dangjian.test}
DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-root}
FRAPPE_PATH=${FRAPPE_PATH:-https://github.com/frappe/frappe}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
started_at=$(date +%s)

step() { printf '\n==> %s\n' "$*"; }

# --- 1. system packages -----------------------------------------------------------------------
if [ "${SKIP_APT:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
	step "System packages (MariaDB, Redis, wkhtmltopdf, CJK fonts, poppler, Chromium, Node.js)"
	packages=(git curl python3-dev python3-venv python3-pip pkg-config libmariadb-dev
		mariadb-server mariadb-client redis-server wkhtmltopdf xfonts-75dpi fonts-noto-cjk fontconfig poppler-utils
		chromium chromium-driver)
	# a machine that has Node.js 18+ with npm (NodeSource's, say) keeps it: Debian's npm
	# conflicts with NodeSource's nodejs
	node_ok || packages+=(nodejs npm)
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi
node_ok || { echo "setup: Node.js 18 or newer with npm is needed (install it, or let setup use apt-get)" >&2; exit 1; }
command -v yarn >/dev/null 2>&1 || $SUDO npm install -g yarn >/dev/null
if ! command -v bench >/dev/null 2>&1; then
	# Debian's own Python refuses a system-wide pip install (PEP 668)
	python3 -m pip install -q frappe-bench 2>/dev/null || python3 -m pip install -q --break-system-packages frappe-bench
fi

# --- 2. MariaDB for Frappe (utf8mb4) ------------------------------------------------------------
step "MariaDB"
if [ -d /etc/mysql/mariadb.conf.d ] && [ ! -f /etc/mysql/mariadb.conf.d/99-frappe.cnf ]; then
	$SUDO tee /etc/mysql/mariadb.conf.d/99-frappe.cnf >/dev/null <<'EOF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci

[mysql]
default-character-set = utf8mb4
EOF
	$SUDO service mariadb restart >/dev/null 2>&1 || true
fi
$SUDO service mariadb start >/dev/null 2>&1 || (mysqld_safe >/dev/null 2>&1 &)
for _ in $(seq 1 30); do mysqladmin ping >/dev/null 2>&1 && break; sleep 1; done
# bench connects over TCP, where the socket's "any password" does not apply: check that way
if ! db_tcp_login "$DB_ROOT_PASSWORD"; then
	# a fresh MariaDB: root logs in by socket only. Give it the password bench will use and keep
	# the socket login the system's maintenance scripts rely on.
	$SUDO mysql --protocol=socket -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;"
	db_tcp_login "$DB_ROOT_PASSWORD" || {
		echo "setup: MariaDB root cannot log in over TCP with DB_ROOT_PASSWORD; set DB_ROOT_PASSWORD to its password" >&2
		exit 1
	}
fi

# --- 3. the bench ---------------------------------------------------------------------------
if [ ! -d "$BENCH/apps/frappe" ]; then
	step "bench init $BENCH (Frappe version-15 from $FRAPPE_PATH)"
	launch=$(mktemp -d)
	mkdir -p "$launch/sites"
	# bench refuses to run as root unless the current folder's common_site_config names the user
	echo "{\"frappe_user\": \"$(id -un)\"}" >"$launch/sites/common_site_config.json"
	(cd "$launch" && bench init --frappe-path "$FRAPPE_PATH" --frappe-branch version-15 --no-backups \
		--python "$(command -v python3)" "$BENCH")
	(cd "$BENCH" && bench setup requirements --dev --python)
fi
# new-site needs pkg_resources (setuptools < 81); the browser test drives Chromium with Selenium
"$BENCH/env/bin/python" -c "import pkg_resources, selenium" 2>/dev/null ||
	"$BENCH/env/bin/pip" install -q 'setuptools<81' selenium
cd "$BENCH"
if ! grep -q frappe_user sites/common_site_config.json; then
	python3 - <<PY
import json
path = "sites/common_site_config.json"
conf = json.load(open(path))
conf["frappe_user"] = "$(id -un)"
json.dump(conf, open(path, "w"), indent=1)
PY
fi

step "The app (apps/dangjian -> $ROOT)"
if [ ! -e apps/dangjian ]; then
	ln -s "$ROOT" apps/dangjian
fi
"$BENCH/env/bin/python" -c "import dangjian" 2>/dev/null || "$BENCH/env/bin/pip" install -q -e apps/dangjian
add_app_line sites/apps.txt dangjian

step "Redis"
"$ROOT/scripts/services.sh" start

# --- 4. the site and the demo ----------------------------------------------------------------
if [ ! -d "sites/$SITE" ]; then
	step "Site $SITE"
	bench new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" --admin-password admin
fi
grep -qE "^127\.0\.0\.1[[:space:]].*\b$SITE\b" /etc/hosts || echo "127.0.0.1 $SITE" | $SUDO tee -a /etc/hosts >/dev/null
if ! bench --site "$SITE" execute frappe.get_installed_apps | grep -q '"dangjian"'; then
	step "install-app dangjian"
	bench --site "$SITE" install-app dangjian
else
	bench --site "$SITE" migrate
fi
bench build --app dangjian >/dev/null 2>&1 || true
# the reminders and escalations (督办) run from the scheduler
bench --site "$SITE" enable-scheduler >/dev/null
# no `bench use`: with a current site, `bench serve` serves that one site for every host name

step "Demo data"
bench --site "$SITE" dangjian-demo --password Dangjian@2026

# --- 5. serve it ------------------------------------------------------------------------------
PORT=${DANGJIAN_PORT:-$("$BENCH/env/bin/python" -c "import json;print(json.load(open('sites/common_site_config.json')).get('webserver_port', 8000))")}
if ! curl -s -o /dev/null "http://127.0.0.1:$PORT/api/method/ping"; then
	step "Web server on port $PORT (log: $BENCH/logs/dangjian-serve.log)"
	nohup bench serve --port "$PORT" >"$BENCH/logs/dangjian-serve.log" 2>&1 &
	nohup bench worker >"$BENCH/logs/dangjian-worker.log" 2>&1 &
fi
if ! pgrep -f -- "frappe.* schedule" >/dev/null; then
	step "Scheduler (log: $BENCH/logs/dangjian-schedule.log)"
	nohup bench schedule >"$BENCH/logs/dangjian-schedule.log" 2>&1 &
	for _ in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/method/ping" && break; sleep 0.5; done
fi

cat <<EOF

党建+ is running: http://$SITE:$PORT   (also http://127.0.0.1:$PORT)
Log in as Administrator / admin, or as one of the demo users above (password Dangjian@2026),
for example secretary1@dangjian.test (branch secretary), approver1@dangjian.test (党群工作部),
committee1@dangjian.test (党委), admin@dangjian.test (思想政治工作部).
Run the tests with: scripts/test.sh
EOF
echo "setup: done in $(($(date +%s) - started_at)) s"
