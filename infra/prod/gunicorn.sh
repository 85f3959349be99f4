#!/usr/bin/env bash
# Runs one platform process under gunicorn with uvicorn workers, the production process model:
#   gunicorn.sh auth|core|gateway|shell|<fragment>   (or FARM_PROCESS=auth gunicorn.sh)
# where <fragment> is any mfe-<fragment>/ folder with a build (dashboard, admin, ...).
# Address and worker count come from the service's own variables (AUTH_HOST, AUTH_PORT,
# AUTH_WORKERS, ...); everything else from infra/prod/gunicorn.conf.py's GUNICORN_* variables.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name="${1:-${FARM_PROCESS:?usage: gunicorn.sh auth|core|gateway|shell|<fragment>}}"
default_workers="${WEB_CONCURRENCY:-2}"

case "$name" in
  auth)
    app="auth_service.app:create_app()"
    bind="${AUTH_HOST:-127.0.0.1}:${AUTH_PORT:-8001}"
    workers="${AUTH_WORKERS:-$default_workers}" ;;
  core)
    app="core_api.app:create_app()"
    bind="${CORE_HOST:-127.0.0.1}:${CORE_PORT:-8002}"
    workers="${CORE_WORKERS:-$default_workers}" ;;
  gateway)
    app="gateway.app:create_app()"
    bind="${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8000}"
    workers="${GATEWAY_WORKERS:-$default_workers}"
    # The gateway is the first hop after nginx: it takes the client's address and scheme
    # from nginx's X-Forwarded-* headers (only from FORWARDED_ALLOW_IPS).
    export GUNICORN_PROXY_HEADERS="${GUNICORN_PROXY_HEADERS:-true}" ;;
  *)
    upper="${name^^}" && upper="${upper//-/_}"
    dist_var="${upper}_DIST" port_var="${upper}_PORT"
    dist="${!dist_var:-$root/mfe-$name/dist}"
    if [[ ! "$name" =~ ^[a-z0-9-]+$ || ! -d "$dist" ]]; then
      echo "unknown process '$name': expected auth, core, gateway, shell or a built fragment (mfe-$name/dist)" >&2
      exit 64
    fi
    # Containers set FRAGMENT_HOST_PORT; on a host the fragment's own dev port is the default.
    port="${FRAGMENT_HOST_PORT:-${!port_var:-}}"
    if [[ -z "$port" && "$name" == shell ]]; then port=4100; fi
    if [[ -z "$port" ]]; then
      port="$(python3 -c 'import json, sys, urllib.parse; print(urllib.parse.urlsplit(json.load(open(sys.argv[1]))["fragment"]["baseUrl"]).port)' "$root/mfe-$name/package.json")"
    fi
    app="platform_common.fragment_host:create_app()"
    bind="${FRAGMENT_HOST_HOST:-127.0.0.1}:$port"
    workers=1
    export FRAGMENT_HOST_NAME="$name"
    export FRAGMENT_HOST_DIRECTORY="$dist" ;;
esac

export GUNICORN_BIND="$bind" WEB_CONCURRENCY="$workers" FARM_PROCESS="$name"
exec gunicorn --config "$here/gunicorn.conf.py" --name "$name" "$app"
