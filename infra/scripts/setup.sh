#!/usr/bin/env bash
# Installs what the platform needs and skips what is already there.
#   setup.sh run    what `make run` needs
#   setup.sh test   that, plus the browser for end-to-end tests
#   setup.sh check  only check that the toolchains are there
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PURPOSE="${1:-run}"
cd "$ROOT"

need() {  # need COMMAND "how to get it"
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

check_toolchains() {
  need python3 "install Python 3.11+ (apt-get install python3 python3-venv)"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11+ is required, found $(python3 --version)"
  need node "install Node.js 20+ (apt-get install nodejs npm, or nodejs.org)"
  need npm "install npm (apt-get install npm)"
  node -e 'process.exit(Number(process.versions.node.split(".")[0] < 20))' \
    || die "Node.js 20+ is required, found $(node --version)"
  if [[ -z "${MONGODB_URI:-}" ]]; then
    need go "install Go 1.24+ (go.dev/dl) to build the embedded store, or set MONGODB_URI to use your own MongoDB"
  fi
}

install_uv() {
  if [[ -x "$(uv_bin)" ]]; then skip "uv: $("$(uv_bin)" --version)"; return; fi
  step "Installing uv $UV_VERSION into .local/tools/uv"
  python3 -m venv "$TOOLS/uv"
  "$TOOLS/uv/bin/pip" install --quiet "uv==$UV_VERSION"
}

install_python_packages() {
  step "Python packages (uv sync, locked)"
  "$(uv_bin)" sync --all-packages --locked --quiet
}

install_node_packages() {
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    skip "npm packages: up to date"
  else
    step "npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build_frontends() {
  local stamp="$LOCAL/frontends.built" newest
  newest="$(find mfe-* package-lock.json \( -name node_modules -o -name dist \) -prune \
    -o -type f -newer "$stamp" -print -quit 2>/dev/null || true)"
  if [[ -f "$stamp" && -z "$newest" && -d mfe-shell/dist ]]; then
    skip "frontends: built"
  else
    step "Building the shell and fragments (vite build)"
    npm run build --workspaces --if-present --silent
    touch "$stamp"
  fi
}

build_ferretdb() {
  if [[ -n "${MONGODB_URI:-}" ]]; then skip "store: using MONGODB_URI, no embedded FerretDB"; return; fi
  if [[ -x "$FERRETDB_BIN" ]]; then skip "FerretDB $FERRETDB_VERSION: built"; return; fi
  step "Building FerretDB $FERRETDB_VERSION (SQLite backend) from the Go module proxy (about a minute)"
  local work dir
  work="$(mktemp -d)"
  dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')" \
    || die "could not download FerretDB $FERRETDB_VERSION from the Go module proxy"
  cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
  # The module zip lacks this git-ignored file and the binary panics without it.
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) \
    || die "building FerretDB failed (see the go output above)"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$work"
}

install_chromium() {
  if command -v chromium >/dev/null 2>&1; then skip "chromium: $(command -v chromium)"; return; fi
  if [[ "$(id -u)" != 0 ]]; then
    die "chromium is needed for the browser tests: run 'sudo apt-get install chromium' and try again"
  fi
  step "Installing Debian's chromium (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

install_redis() {  # the gateway's shared rate-limit test runs a throw-away redis-server
  if command -v redis-server >/dev/null 2>&1; then skip "redis-server: $(command -v redis-server)"; return; fi
  if [[ "$(id -u)" != 0 ]]; then
    skip "redis-server missing (sudo apt-get install redis-server): the shared-limits test will be skipped"
    return
  fi
  step "Installing Debian's redis-server (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}

install_jq() {  # docs/api-consumers.md's commands use curl and jq; its test runs them
  if command -v jq >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
    skip "jq and curl: $(command -v jq) $(command -v curl)"; return
  fi
  if [[ "$(id -u)" != 0 ]]; then
    die "jq and curl are needed for the API guide's test: run 'sudo apt-get install jq curl' and try again"
  fi
  step "Installing Debian's jq and curl (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq curl >/dev/null
}

generate_dev_keys() {
  if compgen -G "$LOCAL/keys/key-*.pem" >/dev/null; then skip "auth signing keys: present"; return; fi
  step "Generating development signing keys into .local/keys (git-ignored)"
  AUTH_KEYS_DIR="$LOCAL/keys" .venv/bin/python -m auth_service.cli generate-key --if-missing
}

mkdir -p "$TOOLS"
step "Setting up for '$PURPOSE' (skips what is present)"
check_toolchains
if [[ "$PURPOSE" == check ]]; then step "Toolchains present"; exit 0; fi
install_uv
install_python_packages
install_node_packages
build_frontends
build_ferretdb
generate_dev_keys
if [[ "$PURPOSE" == test ]]; then install_chromium; install_redis; install_jq; fi
if [[ "$PURPOSE" == test ]]; then infra/prod/setup-deploy.sh test; fi
step "Setup done"
