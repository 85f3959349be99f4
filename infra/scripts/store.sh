#!/usr/bin/env bash
# The embedded store: FerretDB with its SQLite backend, state kept in .local/data/store.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA="${FERRETDB_DATA_DIR:-$LOCAL/data/store}"
mkdir -p "$DATA"
[[ -x "$FERRETDB_BIN" ]] || die "FerretDB is not built: run 'make setup'"
exec "$FERRETDB_BIN" \
  --handler=sqlite \
  --sqlite-url="file:$DATA/" \
  --state-dir="$DATA" \
  --listen-addr="${FERRETDB_LISTEN_ADDR:-127.0.0.1:27017}" \
  --debug-addr=- \
  --telemetry=disable \
  --log-level="${FERRETDB_LOG_LEVEL:-error}"
