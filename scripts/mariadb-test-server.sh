#!/usr/bin/env bash
# Starts a throwaway MariaDB server for the tests: own data directory, 127.0.0.1 only, database `humle_test`.
# Usage: scripts/mariadb-test-server.sh start|stop [DIR]   (DIR: HUMLE_TEST_MYSQL_DIR or /tmp/humle-mariadb; port: HUMLE_TEST_MYSQL_PORT or 3307)
# Prints the URL to use as HUMLE_TEST_MYSQL_URL.
set -euo pipefail
cmd=${1:-start}
dir=${2:-${HUMLE_TEST_MYSQL_DIR:-/tmp/humle-mariadb}}
port=${HUMLE_TEST_MYSQL_PORT:-3307}
socket="$dir/mysqld.sock"

case "$cmd" in
  start)
    if [ -S "$socket" ] && mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1; then
      echo "mysql://humle:humle@127.0.0.1:$port/humle_test"; exit 0
    fi
    mkdir -p "$dir"
    user_opt=()
    [ "$(id -u)" = 0 ] && { user_opt=(--user=root); }
    if [ ! -d "$dir/data/mysql" ]; then
      mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$dir/data" --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
    fi
    mariadbd --no-defaults "${user_opt[@]}" --datadir="$dir/data" --socket="$socket" --pid-file="$dir/mysqld.pid" \
      --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
      --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=1 --innodb-lock-wait-timeout=20 \
      --max-connections=500 --log-error="$dir/error.log" >/dev/null 2>&1 &
    for _ in $(seq 1 120); do
      mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 && break
      sleep 0.5
    done
    mariadb --socket="$socket" -uroot -e "CREATE DATABASE IF NOT EXISTS humle_test; CREATE USER IF NOT EXISTS 'humle'@'127.0.0.1' IDENTIFIED BY 'humle'; GRANT ALL ON *.* TO 'humle'@'127.0.0.1'; FLUSH PRIVILEGES;"
    echo "mysql://humle:humle@127.0.0.1:$port/humle_test"
    ;;
  stop)
    [ -f "$dir/mysqld.pid" ] && kill "$(cat "$dir/mysqld.pid")" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
