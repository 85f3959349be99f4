# Shared by the infra scripts: paths, versions and how to say what is happening.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"            # git-ignored: tools, state, generated dev keys
TOOLS="$LOCAL/tools"
FERRETDB_VERSION="v1.24.2"
FERRETDB_BIN="$TOOLS/ferretdb-$FERRETDB_VERSION"
UV_VERSION="0.13.9"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
skip() { printf '    %s\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Waits until URL/readyz answers 200 (curl options may follow the timeout), for at most
# TIMEOUT_S seconds and only while process PID lives. Prints why it gave up; returns 1 then.
wait_until_ready() {
  local url=$1 pid=$2 timeout_s=$3
  shift 3
  local deadline=$((SECONDS + timeout_s))
  until curl -fsS "$@" -o /dev/null "$url/readyz" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || return 1
    if ((SECONDS > deadline)); then
      printf '\033[31mThe platform is not ready after %ss: %s\033[0m\n' "$timeout_s" \
        "$(curl -sS "$@" "$url/readyz" 2>&1 || true)"
      return 1
    fi
    sleep 0.5
  done
}

uv_bin() {
  if command -v uv >/dev/null 2>&1; then command -v uv; else echo "$TOOLS/uv/bin/uv"; fi
}

# Host:port of each process `make run` starts, overridable like the services' own settings.
declare -A PORTS=(
  [store]="${FERRETDB_LISTEN_ADDR:-127.0.0.1:27017}"
  [mail]="127.0.0.1:${MAIL_PORT:-1025}"
  [auth]="${AUTH_HOST:-127.0.0.1}:${AUTH_PORT:-8001}"
  [core]="${CORE_HOST:-127.0.0.1}:${CORE_PORT:-8002}"
  [gateway]="${GATEWAY_HOST:-127.0.0.1}:${GATEWAY_PORT:-8000}"
  [shell]="127.0.0.1:${SHELL_PORT:-4100}"
  [fragments]="127.0.0.1:${FRAGMENTS_PORT:-4101}"
)

# The fragments of this checkout: every mfe-<name>/ folder whose package.json has a
# "fragment" block (the shell's has none), so adding a fragment edits no platform file.
# In development the one fragment host serves each under /fragments/<name>/. Fills FRAGMENTS.
FRAGMENTS=()
load_fragments() {
  local name
  while read -r name; do FRAGMENTS+=("$name"); done < <(node -e '
    for (const file of process.argv.slice(1)) {
      if (require(file).fragment) console.log(file.split("/").at(-2).slice("mfe-".length));
    }' "$ROOT"/mfe-*/package.json)
}
