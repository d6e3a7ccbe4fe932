#!/usr/bin/env bash
# Restore test of a backup: restore a pg_dump (custom format) into a scratch database,
# migrate it with this version, start a server on it, and check that it answers with the
# dump's change-log version and (given the source database) the same record counts.
#
#   deploy/restore-check.sh DUMP [SOURCE_URL]
#     GULOU_ADMIN_URL  where to make the scratch database (default
#                      postgresql://postgres@127.0.0.1:5432/postgres)
#     PYTHON           the Python of the server's environment (default .venv/bin/python)
# Exit 0 when the restore is good. Run weekly on the latest nightly dump.
set -euo pipefail
cd "$(dirname "$0")/.."
dump=${1:?usage: deploy/restore-check.sh DUMP [SOURCE_URL]}
source_url=${2:-}
admin=${GULOU_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
py=${PYTHON:-.venv/bin/python}
db="gulou_restore_$(date +%s)_$$"
target="${admin%/*}/$db"
server_pid=
server_log=$(mktemp)
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -f "$server_log"
  psql "$admin" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
}
trap cleanup EXIT

counts() {  # one line per table: name rows
  psql "$1" -Atc "SELECT 'households', count(*) FROM households UNION ALL
                  SELECT 'residents', count(*) FROM residents UNION ALL
                  SELECT 'tickets', count(*) FROM tickets UNION ALL
                  SELECT 'ticket_events', count(*) FROM ticket_events UNION ALL
                  SELECT 'inbox_messages', count(*) FROM inbox_messages UNION ALL
                  SELECT 'staff', count(*) FROM staff UNION ALL
                  SELECT 'accounts', count(*) FROM accounts UNION ALL
                  SELECT 'change_log', count(*) FROM change_log UNION ALL
                  SELECT 'version', value FROM sync_counter"
}

start=$(date +%s)
psql "$admin" -qc "CREATE DATABASE \"$db\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target" "$dump"
echo "restored $dump in $(( $(date +%s) - start )) s"
"$py" -m server.cli migrate --db "$target"

restored=$(counts "$target")
echo "$restored" | sed 's/^/  /'
if [ -n "$source_url" ]; then
  if [ "$restored" != "$(counts "$source_url")" ]; then
    echo "restore-check: the counts differ from $source_url" >&2
    exit 1
  fi
  echo "the counts are the source's"
fi

port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Throw-away secrets, strong enough for the server's own check (it refuses weak ones).
GULOU_SECRET_KEY=$("$py" -c 'import secrets; print(secrets.token_urlsafe(48))') \
GULOU_WECHAT_SECRET=$("$py" -c 'import secrets; print(secrets.token_urlsafe(48))') \
  "$py" -m server.cli serve --db "$target" --no-migrate --no-jobs --port "$port" \
  >"$server_log" 2>&1 &
server_pid=$!
version=$(echo "$restored" | awk -F'|' '$1=="version"{print $2}')
for _ in $(seq 1 150); do
  if answer=$(curl -fsS "http://127.0.0.1:$port/api/v1/health" 2>/dev/null); then
    echo "a server on the restored database answers: $answer"
    case "$answer" in
      *"\"version\":$version"*) echo "restore-check: good"; exit 0 ;;
      *) echo "restore-check: the server's version is not the dump's ($version)" >&2; exit 1 ;;
    esac
  fi
  sleep 0.2
done
echo "restore-check: no server answered on the restored database; it said:" >&2
tail -n 20 "$server_log" >&2
exit 1
