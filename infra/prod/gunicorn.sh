#!/usr/bin/env bash
# Runs one platform process under gunicorn with uvicorn workers, the production process model:
#   gunicorn.sh auth|core|gateway|shell|fragments   (or FARM_PROCESS=auth gunicorn.sh)
# shell serves the shell's build (SHELL_DIST, default mfe-shell/dist); fragments serves every
# fragment under /fragments/<name>/ from FRAGMENTS_ROOT/<name>/ (the folder teams upload to).
# Address and worker count come from the service's own variables (AUTH_HOST, AUTH_PORT,
# AUTH_WORKERS, ...); everything else from infra/prod/gunicorn.conf.py's GUNICORN_* variables.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name="${1:-${FARM_PROCESS:?usage: gunicorn.sh auth|core|gateway|shell|fragments}}"
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
  shell | fragments)
    app="platform_common.fragment_host:create_app()"
    workers=1
    # Containers set FRAGMENT_HOST_PORT; on a host SHELL_PORT or FRAGMENTS_PORT.
    if [[ "$name" == shell ]]; then
      bind="${FRAGMENT_HOST_HOST:-127.0.0.1}:${FRAGMENT_HOST_PORT:-${SHELL_PORT:-4100}}"
      export FRAGMENT_HOST_DIRECTORY="${SHELL_DIST:-$root/mfe-shell/dist}"
    else
      bind="${FRAGMENT_HOST_HOST:-127.0.0.1}:${FRAGMENT_HOST_PORT:-${FRAGMENTS_PORT:-4101}}"
      export FRAGMENT_HOST_ROOT="${FRAGMENT_HOST_ROOT:-${FRAGMENTS_ROOT:-/srv/farm-platform/fragments}}"
    fi
    export FRAGMENT_HOST_NAME="$name" FRAGMENT_HOST_ENVIRONMENT="${FRAGMENT_HOST_ENVIRONMENT:-production}" ;;
  *)
    echo "unknown process '$name': expected auth, core, gateway, shell or fragments" >&2
    exit 64 ;;
esac

export GUNICORN_BIND="$bind" WEB_CONCURRENCY="$workers" FARM_PROCESS="$name"
exec gunicorn --config "$here/gunicorn.conf.py" --name "$name" "$app"
