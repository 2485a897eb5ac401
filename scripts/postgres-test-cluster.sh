#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store's tests: `start DIR` makes one in DIR (a data folder
# and a socket folder, owned by the postgres user when run as root, since initdb refuses root) on a
# free port of 127.0.0.1, trusting local connections, and prints the admin URL for
# COSTWISE_TEST_POSTGRES; `stop DIR` stops it and removes DIR. .ci/run uses it; so can a developer:
#
#   export COSTWISE_TEST_POSTGRES=$(scripts/postgres-test-cluster.sh start /tmp/costwise-pg)
#   swift test --filter StoreEngineTests
#   scripts/postgres-test-cluster.sh stop /tmp/costwise-pg
set -euo pipefail

command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi
bin=${POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "$0: no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin; install the postgresql package" >&2
    exit 1
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    mkdir -p "$dir/data" "$dir/socket"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
    # A free port: ask the kernel for one, then give it to the server.
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off" \
        -l "$dir/socket/log" -w start >/dev/null || { cat "$dir/socket/log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
