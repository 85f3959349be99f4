#!/usr/bin/env bash
# make backup / make restore BACKUP=<folder>: an online backup of the store through the wire
# protocol into .local/backups/<UTC timestamp>/, and putting one back (platform stopped).
# The store is MONGODB_URI when set, else the embedded FerretDB: the one `make run` started
# when it answers, else one started here on the same data folder for the duration.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PYTHON="$ROOT/.venv/bin/python"
BACKUPS="${BACKUP_DIR:-$LOCAL/backups}"

answers() {  # host:port -> whether something listens there
  (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null
}

# Runs "$@" with STORE_URI set to a store holding the platform's data.
with_store() {
  if [[ -n "${MONGODB_URI:-}" ]]; then STORE_URI="$MONGODB_URI" "$@"; return; fi
  if answers "${PORTS[store]}"; then STORE_URI="mongodb://${PORTS[store]}" "$@"; return; fi
  local port pid status=0
  port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  FERRETDB_LISTEN_ADDR="127.0.0.1:$port" infra/scripts/store.sh &
  pid=$!
  for _ in $(seq 100); do answers "127.0.0.1:$port" && break; kill -0 "$pid" || die "the store did not start"; sleep 0.2; done
  STORE_URI="mongodb://127.0.0.1:$port" "$@" || status=$?
  kill "$pid" && wait "$pid" || true
  return "$status"
}

backup() {
  [[ -z "${MONGODB_URI:-}" ]] || skip "MONGODB_URI is set: backing it up (production uses mongodump or Atlas backups: docs/deploy/backups.md)"
  "$PYTHON" -m platform_common.store_backup backup --uri "$STORE_URI" --into "$BACKUPS"
}

restore() {
  "$PYTHON" -m platform_common.store_backup restore --uri "$STORE_URI" "$BACKUP" ${YES:+--yes}
}

refuse_while_running() {
  local name
  for name in gateway auth core; do
    if answers "${PORTS[$name]}"; then
      printf 'error: the platform is running (%s answers on %s): stop `make run` first, a restore replaces its data\n' \
        "$name" "${PORTS[$name]}" >&2
      exit 2
    fi
  done
  if [[ -z "${MONGODB_URI:-}" ]] && answers "${PORTS[store]}"; then
    printf 'error: the embedded store answers on %s: stop it (and `make run`) first\n' "${PORTS[store]}" >&2
    exit 2
  fi
}

case "${1:-}" in
  backup) with_store backup ;;
  restore)
    [[ -n "${BACKUP:-}" ]] || { echo 'usage: make restore BACKUP=.local/backups/<timestamp> [YES=1]' >&2; exit 2; }
    refuse_while_running
    with_store restore ;;
  *) echo "usage: $0 backup|restore" >&2; exit 2 ;;
esac
