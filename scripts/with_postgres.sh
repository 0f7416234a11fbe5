#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster.
#
#   scripts/with_postgres.sh CMD [ARGS...]
#
# Starts a fresh cluster (initdb in a temp dir, as the unprivileged `postgres`
# user, created if missing; random free port on 127.0.0.1; socket in the temp
# dir), exports
#   CONFLICTLENS_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/postgres
# runs CMD, then stops and deletes the cluster whatever happens, and exits with
# CMD's status.  If the server binaries are missing it tries
# `apt-get install -y postgresql` (as root); if that is impossible it runs CMD
# without the variable (PostgreSQL tests then skip with a reason).
# PostGIS is used when its extension is installed (postgresql-NN-postgis-3).
set -u

log() { echo "with_postgres: $*" >&2; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null)"
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

run_without_pg() {
  log "$1; running without PostgreSQL (its tests will skip)"
  unset CONFLICTLENS_TEST_PG_URL
  "${CMD[@]}"
  exit $?
}

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
CMD=("$@")

BINDIR="$(find_bindir)" || BINDIR=""
if [ -z "$BINDIR" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL server not found; installing it with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 \
      || run_without_pg "apt-get install postgresql failed"
    BINDIR="$(find_bindir)" || run_without_pg "no initdb after installing"
    # PostGIS is optional: try it, carry on without it
    PGMAJOR="$("$BINDIR/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PGMAJOR-postgis-3" >&2 \
      || log "PostGIS not installed; spatial filters use latitude/longitude columns"
  else
    run_without_pg "PostgreSQL server binaries not found and cannot install them"
  fi
fi

# initdb refuses to run as root: use an unprivileged user.
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres 2>/dev/null \
      || run_without_pg "cannot create the postgres user"
  fi
  RUNAS=(runuser -u postgres --)
fi

BASE="${TMPDIR:-/tmp}"
# the postgres user must be able to reach the cluster directory
if [ "${#RUNAS[@]}" -gt 0 ] && ! "${RUNAS[@]}" test -x "$BASE" 2>/dev/null; then
  BASE=/tmp
fi
TMP="$(mktemp -d "$BASE/conflictlens-pg.XXXXXX")" || run_without_pg "mktemp failed"
chmod 700 "$TMP"
[ "${#RUNAS[@]}" -gt 0 ] && chown postgres "$TMP"
DATA="$TMP/data"

cleanup() {
  if [ -f "$DATA/postmaster.pid" ]; then
    "${RUNAS[@]}" "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 ))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

if ! "${RUNAS[@]}" "$BINDIR/initdb" -D "$DATA" -A trust -U postgres --no-sync -E UTF8 >"$TMP/initdb.log" 2>&1; then
  cat "$TMP/initdb.log" >&2
  run_without_pg "initdb failed"
fi
STARTED=""
for _ in 1 2 3; do
  PORT="$(free_port)"
  if "${RUNAS[@]}" "$BINDIR/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 30 \
       -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
       start >/dev/null 2>&1; then
    STARTED=1
    break
  fi
done
if [ -z "$STARTED" ]; then
  cat "$TMP/server.log" >&2 2>/dev/null
  run_without_pg "the server did not start"
fi

export CONFLICTLENS_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($TMP)"
"${CMD[@]}"
STATUS=$?
exit $STATUS
