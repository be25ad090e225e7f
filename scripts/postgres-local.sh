#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (15 or later: initdb, pg_ctl and postgres on PATH) on a free loopback port, for the
# PostgreSQL tests. Usage:
#   source scripts/postgres-local.sh start   # exports INTEGRATIONBUS_TEST_POSTGRES (and PG_LOCAL_DIR)
#   dotnet test --project tests/IntegrationBus.PostgreSql.Tests
#   scripts/postgres-local.sh stop           # stops the server and removes its folder (PG_LOCAL_DIR)
# As root the server runs as the 'postgres' user (PostgreSQL refuses to run as root); otherwise as you. .ci/run uses
# the same functions. The unix socket lives in the folder too, so nothing outside it is touched.
# Trust authentication on 127.0.0.1 only: never use this for anything but tests.

pg_local_run() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Ports below Linux's ephemeral range (32768-60999 by default): a port in that range can be taken at any moment as the
# local end of an outgoing connection (the tests open many), which a probe cannot foresee; the server's bind then fails.
pg_local_free_port() {
    local port
    for port in $(seq "${1:-25432}" 25532); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

pg_local_start() {
    local dir port
    dir="$(mktemp -d -t ibus-pg.XXXXXX)"
    export PG_LOCAL_DIR="$dir"   # set first, so a failed start can still be cleaned up with pg_local_stop
    chmod 755 "$dir"
    if [[ "$(id -u)" == "0" ]]; then
        chown postgres: "$dir"
    fi
    pg_local_run initdb -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    # Another server starting at the same moment may take the port between the probe and the bind: try the next one.
    local attempt next=25432
    for attempt in 1 2 3 4 5; do
        port="$(pg_local_free_port "$next")" || { echo "no free loopback port for PostgreSQL" >&2; return 1; }
        if pg_local_run pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            break
        fi
        if [[ "$attempt" == 5 ]] || ! grep -q "could not create any TCP/IP sockets" "$dir/server.log"; then
            cat "$dir/server.log" >&2
            return 1
        fi
        next=$((port + 1))
    done
    export INTEGRATIONBUS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "PostgreSQL on 127.0.0.1:$port (folder $dir)"
}

pg_local_stop() {
    local dir="${1:-${PG_LOCAL_DIR:-}}"
    [[ -n "$dir" && -d "$dir" ]] || return 0
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        pg_local_run pg_ctl -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) pg_local_start ;;
    stop) pg_local_stop "${2:-}" ;;
    *) echo "usage: source scripts/postgres-local.sh start | scripts/postgres-local.sh stop [folder]" >&2 ;;
esac
