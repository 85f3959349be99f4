#!/usr/bin/env bash
# Starts every process with honcho, prints the URL once the gateway is ready,
# and stops them all on Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# Only `make admin` reads it: one left exported must not sit in every service's environment.
unset AUTH_ADMIN_PASSWORD

processes=(mail auth core gateway shell fragments)
if [[ -z "${MONGODB_URI:-}" ]]; then
  processes=(store "${processes[@]}")
  export MONGODB_URI="mongodb://${PORTS[store]}"
fi
# Every process finds the others at the addresses above, whatever ports were chosen.
export GATEWAY_AUTH_URL="${GATEWAY_AUTH_URL:-http://${PORTS[auth]}}"
export GATEWAY_CORE_URL="${GATEWAY_CORE_URL:-http://${PORTS[core]}}"
export GATEWAY_SHELL_URL="${GATEWAY_SHELL_URL:-http://${PORTS[shell]}}"
export CORE_JWKS_URL="${CORE_JWKS_URL:-http://${PORTS[auth]}/.well-known/jwks.json}"
# No fragment origins to list: in development the registry admits any loopback origin at
# publish and the gateway reads each version's origin from it (docs/decisions/0014), so a
# fragment added while this runs needs no restart.
port_args=()
for name in "${processes[@]}"; do port_args+=("$name=${PORTS[$name]}"); done
python3 infra/scripts/check_ports.py "${port_args[@]}" || exit 1

url="http://${PORTS[gateway]}"
announce_when_ready() {
  wait_until_ready "$url" "$1" "${READY_TIMEOUT_S:-60}" || return 0
  infra/scripts/publish-fragments.sh || printf '\033[31mPublishing the fragments failed (see above)\033[0m\n'
  printf '\n\033[1;32m  The platform is ready: open %s/\033[0m  (Ctrl-C stops everything)\n' "$url"
  infra/scripts/demo-admin.sh || printf '\033[31mCreating the demo admin failed (see above)\033[0m\n'
  echo
}
announce_when_ready $$ &

step "Starting ${processes[*]}"
# One Procfile for everything: the fragment host finds the workspace's fragments itself.
exec "$ROOT/.venv/bin/honcho" start -f infra/Procfile -d "$ROOT" "${processes[@]}"
