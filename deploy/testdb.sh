#!/usr/bin/env bash
# A private PostgreSQL 15 cluster with pgvector for the tests.
#
# Usage:
#   deploy/testdb.sh start    install pgvector if needed (deploy/pgvector.sh),
#                             create the cluster if needed, start it unless it
#                             already runs, create database banban_test with
#                             the vector extension, print DATABASE_URL=...
#   deploy/testdb.sh stop     stop the cluster (pg_ctl -m fast); keeps the data
#   deploy/testdb.sh status   tell whether the cluster runs
#   deploy/testdb.sh env      print DATABASE_URL=... (does not start anything)
#
# Only the DATABASE_URL=... line goes to standard output, so a shell can use
#   export "$(deploy/testdb.sh start)"
#
# The cluster listens on 127.0.0.1 only, keeps its unix socket in the data
# directory, trusts local and loopback connections, runs with fsync on (the
# tests include crash safety) and, when started by root, runs as the postgres
# OS user.
#
# Environment:
#   BANBAN_TEST_PGDATA   data directory (default /tmp/banban-pg)
#   BANBAN_TEST_PGPORT   TCP port (default 55432)
#   BANBAN_TEST_PGBIN    PostgreSQL 15 programs (default /usr/lib/postgresql/15/bin)
set -Eeuo pipefail

PGBIN="${BANBAN_TEST_PGBIN:-/usr/lib/postgresql/15/bin}"
PGDATA="$(realpath -m "${BANBAN_TEST_PGDATA:-/tmp/banban-pg}")"
PORT="${BANBAN_TEST_PGPORT:-55432}"
DB=banban_test
URL="postgres://postgres@127.0.0.1:$PORT/$DB?sslmode=disable"
HERE="$(cd "$(dirname "$0")" && pwd)"
cd / # postgres may not be allowed into the caller's directory

log() { printf 'testdb.sh: %s\n' "$*" >&2; }
die() {
  printf 'testdb.sh: error: %s\n' "$*" >&2
  exit 1
}
trap 'die "command failed (line $LINENO): $BASH_COMMAND"' ERR

# as_pg runs a command as the cluster's OS user: postgres when we are root,
# else ourselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

psql_db() {
  local db="$1"
  shift
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$db" "$@"
}

# cluster_procs prints the PIDs of the postgres processes working in $PGDATA
# (postgres processes run in their data directory).
cluster_procs() {
  local d
  for d in /proc/[0-9]*; do
    [ "$(readlink "$d/cwd" 2>/dev/null)" = "$PGDATA" ] &&
      [[ "$(readlink "$d/exe" 2>/dev/null)" == */postgres ]] &&
      printf '%s\n' "${d#/proc/}"
  done
  return 0
}

# is_postmaster tells whether PID $1 is the postmaster of $PGDATA. A zombie is
# not (a killed postmaster may wait a while for its parent to reap it); a
# process that a non-root caller may not inspect counts as one.
is_postmaster() {
  local pid="$1" stat exe
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ] || return 1
  if ! exe="$(readlink "/proc/$pid/exe" 2>/dev/null)"; then
    [ "$(id -u)" -ne 0 ]
    return
  fi
  [[ "$exe" == */postgres ]] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$PGDATA" ]
}

# running_pid prints the postmaster's PID when the cluster in $PGDATA runs.
running_pid() {
  local pid
  [ -f "$PGDATA/postmaster.pid" ] || return 1
  pid="$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null || true)"
  is_postmaster "$pid" || return 1
  printf '%s\n' "$pid"
}

# clean_stale removes a stale postmaster.pid: one that is empty or whose
# process is gone or now some other program (usual after a reboot or a
# container restart, and postgres refuses to start on a live PID). It first
# waits for leftover postgres processes of a killed postmaster to exit, as
# starting beside them could corrupt the data.
clean_stale() {
  local pidfile="$PGDATA/postmaster.pid" pid left i
  [ -f "$pidfile" ] || return 0
  running_pid >/dev/null && return 0
  pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
  for i in $(seq 1 40); do
    left="$(cluster_procs)"
    [ -n "$left" ] || break
    sleep 0.5
  done
  [ -z "$left" ] || die "postmaster.pid in $PGDATA is stale but postgres processes still run there (PIDs: $(echo $left)): stop or kill them"
  log "removing stale $pidfile (PID '$pid' is not this cluster's postmaster)"
  rm -f "$pidfile" "$PGDATA"/.s.PGSQL.*.lock
}

# running_port prints the port the running postmaster listens on.
running_port() {
  sed -n 4p "$PGDATA/postmaster.pid"
}

# prepare_dir creates the data directory, owned by the cluster's OS user.
prepare_dir() {
  mkdir -p "$PGDATA"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PGDATA"
  fi
  chmod 700 "$PGDATA"
  as_pg test -w "$PGDATA" ||
    die "$PGDATA is not writable by $(as_pg id -un): check the modes of its parent directories"
}

# init_cluster runs initdb once and makes postgresql.conf include banban.conf,
# which start rewrites each time with the current settings.
init_cluster() {
  if [ -f "$PGDATA/PG_VERSION" ]; then
    local v
    v="$(cat "$PGDATA/PG_VERSION")"
    [ "$v" = 15 ] || die "$PGDATA holds a PostgreSQL $v cluster, not 15: remove it or set BANBAN_TEST_PGDATA"
    return
  fi
  [ -z "$(ls -A "$PGDATA")" ] || die "$PGDATA is neither empty nor a PostgreSQL cluster"
  log "initdb $PGDATA"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=trust >"$PGDATA.initdb.log" 2>&1 || {
    cat "$PGDATA.initdb.log" >&2
    die "initdb failed"
  }
  rm -f "$PGDATA.initdb.log"
  printf "\n# Settings of banban deploy/testdb.sh.\ninclude_if_exists = 'banban.conf'\n" |
    as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
}

write_settings() {
  local sock="${PGDATA//\'/\'\'}"
  as_pg tee "$PGDATA/banban.conf" >/dev/null <<EOF
# Written by deploy/testdb.sh on each start: edits here are lost.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$sock'
fsync = on
synchronous_commit = on
full_page_writes = on
logging_collector = off
EOF
}

start_server() {
  local logf="$PGDATA/server.log"
  write_settings
  log "starting PostgreSQL 15 on 127.0.0.1:$PORT (data $PGDATA, log $logf)"
  if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$logf" -w -t 120 start >/dev/null; then
    printf '%s\n' "---- last lines of $logf" >&2
    tail -n 30 "$logf" >&2 || true
    die "PostgreSQL did not start"
  fi
}

# wait_ready waits until the server accepts connections (a running server
# may still be starting or recovering after a crash).
wait_ready() {
  local i
  for i in $(seq 1 120); do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -d postgres -U postgres; then
      return 0
    fi
    sleep 0.5
  done
  die "PostgreSQL on 127.0.0.1:$PORT does not accept connections (see $PGDATA/server.log)"
}

# ensure_db creates the test database and checks that pgvector loads.
ensure_db() {
  local have v
  have="$(psql_db postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
  if [ "$have" != 1 ]; then
    log "creating database $DB"
    psql_db postgres -c "CREATE DATABASE $DB ENCODING 'UTF8' TEMPLATE template0"
  fi
  v="$(psql_db "$DB" -tA <<'EOF'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
SELECT extversion FROM pg_extension
  WHERE extname = 'vector' AND '[1,2,3]'::vector <-> '[1,2,5]'::vector = 2;
EOF
)" || die "pgvector does not work in database $DB"
  [ -n "$v" ] || die "pgvector does not work in database $DB"
  log "database $DB ready with pgvector $v"
}

cmd_start() {
  local pid
  "$HERE/pgvector.sh" >&2 || die "deploy/pgvector.sh failed"
  prepare_dir
  init_cluster
  clean_stale
  if pid="$(running_pid)"; then
    local p
    p="$(running_port)"
    [ "$p" = "$PORT" ] ||
      die "the cluster in $PGDATA runs on port $p, not $PORT: run '$0 stop' first"
    log "reusing running cluster (PID $pid) in $PGDATA"
  else
    start_server
  fi
  wait_ready
  ensure_db
  printf 'DATABASE_URL=%s\n' "$URL"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "no cluster runs in $PGDATA"
    return
  fi
  log "stopping cluster (PID $pid) in $PGDATA"
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 120 stop >/dev/null
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running: PID $pid, port $(running_port), data $PGDATA"
  else
    echo "stopped: data $PGDATA"
    exit 3
  fi
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) printf 'DATABASE_URL=%s\n' "$URL" ;;
*)
  echo "usage: $0 start|stop|status|env" >&2
  exit 2
  ;;
esac
