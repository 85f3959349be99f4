#!/usr/bin/env bash
# `make prod`: the whole platform in production mode on this host. Every service runs under
# gunicorn with uvicorn workers and production settings, behind nginx with TLS (a self-signed
# certificate) and HTTP/2 on https://127.0.0.1:8443, with Redis sharing rate limits and live
# events between worker processes. Ctrl-C stops everything.
#
# Ports and folders follow the environment (PROD_HTTPS_PORT, PROD_HTTP_PORT, GATEWAY_PORT,
# AUTH_PORT, CORE_PORT, SHELL_PORT, REDIS_PORT, FERRETDB_LISTEN_ADDR, PROD_STATE_DIR,
# MONGODB_URI); anything from infra/prod/platform.env.example may be set too.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
# Only `create-admin` reads it: one left exported must not sit in every service's environment.
unset AUTH_ADMIN_PASSWORD

STATE="$(mkdir -p "${PROD_STATE_DIR:-$LOCAL/prod}" && cd "${PROD_STATE_DIR:-$LOCAL/prod}" && pwd)"
TLS_DIR="${PROD_TLS_DIR:-$LOCAL/tls}"
export PROD_HTTPS_PORT="${PROD_HTTPS_PORT:-8443}" PROD_HTTP_PORT="${PROD_HTTP_PORT:-8080}"
export GATEWAY_PORT="${GATEWAY_PORT:-8000}" AUTH_PORT="${AUTH_PORT:-8001}"
export CORE_PORT="${CORE_PORT:-8002}" SHELL_PORT="${SHELL_PORT:-4100}"
export REDIS_PORT="${REDIS_PORT:-6379}"
export NGINX_DIR="$STATE/nginx" PATH="$ROOT/.venv/bin:$PATH"
public="https://127.0.0.1:$PROD_HTTPS_PORT"

for tool in nginx redis-server openssl; do
  command -v "$tool" >/dev/null || die "$tool is missing: run 'make setup-prod' (Debian: apt-get install $tool)"
done

generated_secret() {  # generated_secret NAME: a random value kept in $STATE/secrets.env
  local file="$STATE/secrets.env"
  touch "$file" && chmod 600 "$file"
  grep -q "^$1=" "$file" || echo "$1=$(openssl rand -hex 32)" >>"$file"
  grep "^$1=" "$file" | cut -d= -f2-
}

load_env_file() {  # KEY=VALUE lines (no shell quoting, as systemd and compose read them)
  local line
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
    [[ -v "${BASH_REMATCH[1]}" ]] || export "$line"
  done <"$1"
}

fragments_from_this_checkout() {  # nginx serves /fragments/<name>/ from these
  mkdir -p "$STATE/fragments"
  local dist name
  for dist in mfe-*/dist; do
    name="${dist%/dist}" && name="${name#mfe-}"
    [[ "$name" == shell ]] || ln -sfn "$ROOT/$dist" "$STATE/fragments/$name"
  done
}

infra/prod/dev-tls.sh "$TLS_DIR"
# The services trust the self-signed certificate too: core-api fetches each published fragment
# entry from the platform's own https origin to check its integrity.
trusted="${SSL_CERT_FILE:-$(python -c 'import certifi; print(certifi.where())')}"
if [[ "$trusted" != "$STATE/ca-bundle.pem" ]]; then
  cat "$trusted" "$TLS_DIR/dev-cert.pem" >"$STATE/ca-bundle.pem"
fi
export SSL_CERT_FILE="$STATE/ca-bundle.pem"
processes=(redis auth core gateway shell nginx)
if [[ -z "${MONGODB_URI:-}" ]]; then
  export FERRETDB_LISTEN_ADDR="${FERRETDB_LISTEN_ADDR:-127.0.0.1:27017}"
  export FERRETDB_DATA_DIR="${FERRETDB_DATA_DIR:-$STATE/store}"
  export MONGODB_URI="mongodb://$FERRETDB_LISTEN_ADDR"
  processes=(store "${processes[@]}")
fi

# The environment wins over $STATE/platform.env (your overrides, optional), which wins over
# these settings that follow from the ports and folders above.
if [[ -f "$STATE/platform.env" ]]; then load_env_file "$STATE/platform.env"; fi
load_env_file /dev/stdin <<ENV
AUTH_ENVIRONMENT=production
CORE_ENVIRONMENT=production
GATEWAY_ENVIRONMENT=production
AUTH_KEYS_DIR=$STATE/keys
AUTH_JWT_ISSUER=$public/api/auth
AUTH_PUBLIC_URL=$public
AUTH_RATE_LIMIT_STORAGE=async+redis://127.0.0.1:$REDIS_PORT/1
AUTH_REVOCATION_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
CORE_JWKS_URL=http://127.0.0.1:$AUTH_PORT/.well-known/jwks.json
CORE_JWT_ISSUER=$public/api/auth
CORE_FRAGMENT_ALLOWED_ORIGINS=$public
CORE_FRAGMENT_OVERRIDE_SECRET=$(generated_secret CORE_FRAGMENT_OVERRIDE_SECRET)
CORE_CURSOR_SECRET=$(generated_secret CORE_CURSOR_SECRET)
CORE_EVENTS_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
CORE_REVOCATION_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
GATEWAY_AUTH_URL=http://127.0.0.1:$AUTH_PORT
GATEWAY_CORE_URL=http://127.0.0.1:$CORE_PORT
GATEWAY_SHELL_URL=http://127.0.0.1:$SHELL_PORT
GATEWAY_JWT_ISSUER=$public/api/auth
GATEWAY_BEHIND_TLS=true
GATEWAY_ALLOWED_HOSTS=["127.0.0.1","localhost"]
GATEWAY_CORS_ORIGINS=["$public"]
GATEWAY_RATE_LIMIT_STORAGE_URL=redis://127.0.0.1:$REDIS_PORT/2
GATEWAY_REVOCATION_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
GATEWAY_METRICS_TOKEN=$(generated_secret GATEWAY_METRICS_TOKEN)
FORWARDED_ALLOW_IPS=127.0.0.1
ENV

mkdir -p "$AUTH_KEYS_DIR" && chmod 700 "$AUTH_KEYS_DIR"
python -m auth_service.cli generate-key --if-missing >/dev/null
fragments_from_this_checkout
python3 infra/nginx/render.py --out "$NGINX_DIR" --standalone \
  --https-listen "127.0.0.1:$PROD_HTTPS_PORT" --http-listen "127.0.0.1:$PROD_HTTP_PORT" \
  --server-name "127.0.0.1 localhost" --gateway "127.0.0.1:$GATEWAY_PORT" \
  --certificate "$TLS_DIR/dev-cert.pem" --certificate-key "$TLS_DIR/dev-key.pem" \
  --shell-dist "$ROOT/mfe-shell/dist" --fragments-root "$STATE/fragments" \
  --access-log /dev/stdout --error-log stderr >/dev/null
nginx -q -t -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" || die "nginx rejected $NGINX_DIR/nginx.conf"

port_args=("nginx=127.0.0.1:$PROD_HTTPS_PORT" "nginx-http=127.0.0.1:$PROD_HTTP_PORT"
  "redis=127.0.0.1:$REDIS_PORT" "auth=127.0.0.1:$AUTH_PORT" "core=127.0.0.1:$CORE_PORT"
  "gateway=127.0.0.1:$GATEWAY_PORT" "shell=127.0.0.1:$SHELL_PORT")
if [[ " ${processes[*]} " == *" store "* ]]; then port_args+=("store=$FERRETDB_LISTEN_ADDR"); fi
python3 infra/scripts/check_ports.py "${port_args[@]}" || exit 1

announce_when_ready() {
  wait_until_ready "$public" "$1" "${READY_TIMEOUT_S:-90}" -k || return 0
  # The fragments of this checkout, published the way teams do, on the platform's own origin.
  if [[ -z "${PROD_SKIP_PUBLISH:-}" ]]; then
    PUBLISH_URL="$public" FRAGMENTS_BASE_URL="$public/fragments" NODE_EXTRA_CA_CERTS="$TLS_DIR/dev-cert.pem" \
      infra/scripts/publish-fragments.sh || printf '\033[31mPublishing the fragments failed (see above)\033[0m\n'
  fi
  printf '\n\033[1;32m  Production mode is ready: open %s/\033[0m  (self-signed certificate; Ctrl-C stops everything)\n\n' "$public"
}
announce_when_ready $$ &

step "Starting ${processes[*]} (production mode)"
exec honcho start -f infra/prod/Procfile -d "$ROOT" "${processes[@]}"
