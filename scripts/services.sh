#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL and Redis on loopback, each with its own data folder
# and port, for the test suite. `start` prints the variables to export; `stop DIR` removes them.
set -euo pipefail

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{
    console.log(s.address().port); s.close(); })'
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

start() {
  local dir PG_PORT REDIS_PORT
  PG_PORT="${ABS_TEST_PG_PORT:-$(free_port)}"
  REDIS_PORT="${ABS_TEST_REDIS_PORT:-$(free_port)}"
  dir=$(mktemp -d /tmp/abs-services.XXXXXX)
  chmod 755 "$dir"
  mkdir -p "$dir/pg" "$dir/redis"
  chown postgres:postgres "$dir/pg"
  local bin
  bin=$(pg_bin)
  runuser -u postgres -- "$bin/initdb" -D "$dir/pg/data" -U postgres -A trust >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w \
    -o "-p $PG_PORT -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
    start >/dev/null
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir/redis" --save '' \
    --appendonly no --daemonize yes --pidfile "$dir/redis/pid" --logfile "$dir/redis/log"
  for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "export ABS_SERVICES_DIR=$dir"
  echo "export TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

stop() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m immediate stop \
    >/dev/null 2>&1 || true
  [ -f "$dir/redis/pid" ] && kill "$(cat "$dir/redis/pid")" 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?usage: services.sh stop DIR}" ;;
  *) echo "usage: services.sh start | stop DIR" >&2; exit 2 ;;
esac
