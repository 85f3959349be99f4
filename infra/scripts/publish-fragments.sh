#!/usr/bin/env bash
# Publishes the built fragments of this repository to the registry, the way a team would:
# each with its own service account (role publisher:<name>), via `npm run publish`.
# `make run` calls it once the platform is ready. First run: registers the fragments and
# activates their versions; later runs skip versions already published (a bumped version
# is published and activated).
#
#   publish-fragments.sh              every fragment found that is built
#   publish-fragments.sh NAME|FOLDER  one fragment (`make publish-fragment NAME=...`): built
#                                     first when dist is missing or older than its sources;
#                                     the fragment host `make run` started serves it already
#                                     (it finds mfe-<name>/dist per request), checked first.
#
# Each version is published at $FRAGMENTS_BASE_URL/<name>/<version>/entry.js: the one
# fragment host of `make run` (http://127.0.0.1:$FRAGMENTS_PORT/fragments) by default, or the
# platform's own origin in `make prod`.
#
# Service-account secrets are shown once by the auth service, so they are kept in
# .local/publishers/ (git-ignored, mode 600). A registrar account with the admin role
# registers missing fragments.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

load_fragments
# One folder per store (and auth database): accounts live there, so another needs its own.
# Run from another terminal than `make run`: the same store make run starts by default.
export MONGODB_URI="${MONGODB_URI:-mongodb://${PORTS[store]}}"
store="$MONGODB_URI${AUTH_DATABASE:+|$AUTH_DATABASE}"
SECRETS="$LOCAL/publishers/$(printf '%s' "$store" | sha256sum | cut -c1-12)"
# `make prod` publishes through nginx: PUBLISH_URL=https://..., FRAGMENTS_BASE_URL=https://.../fragments
GATEWAY="${PUBLISH_URL:-http://${PORTS[gateway]}}"
FRAGMENTS_BASE_URL="${FRAGMENTS_BASE_URL:-http://${PORTS[fragments]}/fragments}"
mkdir -p "$SECRETS" && chmod 700 "$LOCAL/publishers" "$SECRETS"

credentials() {  # credentials CLIENT ROLES: prints "id secret", creating the client when missing
  local client="$1" roles="$2" file="$SECRETS/$1.json" created secret
  # Asked every time: a wiped store has lost the client even when its secret is still kept here.
  created="$("$ROOT/.venv/bin/python" -m auth_service.cli create-client --name "$client" \
    --roles "$roles" --if-missing)"
  secret="$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret ?? "")' "$created")"
  if [[ -n "$secret" ]]; then
    (umask 077 && printf '%s\n' "$created" > "$file")
  elif [[ ! -s "$file" ]]; then
    die "service account $client exists but its secret is not in $file: delete the client (DELETE /api/auth/clients/$client) and run again"
  fi
  node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(c.client_id, c.client_secret)' "$file"
}

# Builds the fragment when its dist/<version>/entry.js is missing or older than a source.
build_when_stale() {
  local folder=$1 version entry
  version="$(node -e 'console.log(require(process.argv[1]).version)' "$folder/package.json")"
  entry="$folder/dist/$version/entry.js"
  if [[ -f "$entry" ]] && [[ -z "$(find "$folder" \( -name node_modules -o -name dist -o -name tests \) -prune \
      -o -type f -newer "$entry" -print -quit)" ]]; then
    return
  fi
  step "Building $folder"
  (cd "$folder" && npm run build --silent) || die "building $folder failed (see above)"
}

# Checks that BASE_URL serves FOLDER's built version, so the registry is not sent an entry
# nobody can load.
check_served() {
  local folder=$1 base_url=$2 version
  version="$(node -e 'console.log(require(process.argv[1]).version)' "$folder/package.json")"
  curl -fsS -o /dev/null "$base_url/$version/entry.js" 2>/dev/null ||
    die "$base_url/$version/entry.js does not answer: start the platform with make run (its fragment host serves every mfe-*/dist of this checkout), or set FRAGMENTS_BASE_URL to where $folder/dist is served"
}

# The one fragment named on the command line (a name or a folder), or every one found.
folders=()
if (($#)); then
  if [[ -d "$1" ]]; then folder="$(cd "$1" && pwd)"; else folder="$ROOT/mfe-$1"; fi
  [[ -f "$folder/package.json" ]] || die "there is no fragment $1 (no $folder/package.json): create it with make new-fragment NAME=$1"
  node -e 'process.exit(require(process.argv[1]).fragment ? 0 : 1)' "$folder/package.json" ||
    die "$folder/package.json has no fragment block: it is not a fragment"
  folders=("$folder")
else
  for name in "${FRAGMENTS[@]}"; do folders+=("$ROOT/mfe-$name"); done
fi

admin="$(credentials fragment-registrar admin)"
read -r admin_id admin_secret <<<"$admin"
for folder in "${folders[@]}"; do
  folder_name="$(basename "$folder")" && folder_name="${folder_name#mfe-}"
  name="$(node -e 'console.log(require(process.argv[1]).fragment.name)' "$folder/package.json")"
  base_url="$FRAGMENTS_BASE_URL/$folder_name"
  if (($#)); then
    build_when_stale "$folder"
    check_served "$folder" "$base_url"
  elif [[ ! -d "$folder/dist" ]]; then
    skip "$folder: not built, not published"; continue
  fi
  team="$(credentials "$name-publisher" "publisher:$name")"
  read -r team_id team_secret <<<"$team"
  step "Publishing $name"
  (cd "$folder" && FRAGMENT_BASE_URL="$base_url" FRAGMENT_REGISTRY_URL="$GATEWAY/api/core" FRAGMENT_AUTH_URL="$GATEWAY/api/auth" \
    FRAGMENT_CLIENT_ID="$team_id" FRAGMENT_CLIENT_SECRET="$team_secret" \
    FRAGMENT_ADMIN_CLIENT_ID="$admin_id" FRAGMENT_ADMIN_CLIENT_SECRET="$admin_secret" \
    npm run publish --silent -- --register --activate)
done
