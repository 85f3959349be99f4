#!/usr/bin/env bash
# Publishes the built fragments of this repository to the registry, the way a team would:
# each with its own service account (role publisher:<name>), via `npm run publish`.
# `make run` calls it once the platform is ready. First run: registers the fragments and
# activates their versions; later runs skip versions already published (a bumped version
# is published and activated).
#
# Service-account secrets are shown once by the auth service, so they are kept in
# .local/publishers/ (git-ignored, mode 600). A registrar account with the admin role
# registers missing fragments.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

load_fragments
# One folder per store: accounts live in the store, so another store needs its own.
SECRETS="$LOCAL/publishers/$(printf '%s' "${MONGODB_URI:-default}" | sha256sum | cut -c1-12)"
# `make prod` publishes through nginx: PUBLISH_URL=https://..., FRAGMENTS_BASE_URL=https://.../fragments
GATEWAY="${PUBLISH_URL:-http://${PORTS[gateway]}}"
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

admin="$(credentials fragment-registrar admin)"
read -r admin_id admin_secret <<<"$admin"
for folder_name in "${FRAGMENTS[@]}"; do
  folder="mfe-$folder_name"
  if [[ ! -d "$folder/dist" ]]; then skip "$folder: not built, not published"; continue; fi
  name="$(node -e 'console.log(require(process.argv[1]).fragment.name)' "$ROOT/$folder/package.json")"
  team="$(credentials "$name-publisher" "publisher:$name")"
  read -r team_id team_secret <<<"$team"
  step "Publishing $name"
  base_url="http://${PORTS[$folder_name]}"
  if [[ -n "${FRAGMENTS_BASE_URL:-}" ]]; then base_url="$FRAGMENTS_BASE_URL/$folder_name"; fi
  (cd "$folder" && FRAGMENT_BASE_URL="$base_url" FRAGMENT_REGISTRY_URL="$GATEWAY/api/core" FRAGMENT_AUTH_URL="$GATEWAY/api/auth" \
    FRAGMENT_CLIENT_ID="$team_id" FRAGMENT_CLIENT_SECRET="$team_secret" \
    FRAGMENT_ADMIN_CLIENT_ID="$admin_id" FRAGMENT_ADMIN_CLIENT_SECRET="$admin_secret" \
    npm run publish --silent -- --register --activate)
done
