#!/usr/bin/env bash
# Makes sure the development platform has a demo admin to sign in with, and says how.
# The password is generated on first start and kept in .local/demo/ (git-ignored, mode 600),
# one folder per store, so every later `make run` can print it again.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

EMAIL="${DEMO_ADMIN_EMAIL:-admin@demo.example}"
DIR="$LOCAL/demo/$(printf '%s' "${MONGODB_URI:-default}" | sha256sum | cut -c1-12)"
FILE="$DIR/admin-password"
mkdir -p "$DIR" && chmod 700 "$LOCAL/demo" "$DIR"

# The store may have been wiped since the password was kept: declaring the admin again with it
# creates the account when missing and leaves an existing one (and its password) alone.
if [[ -s "$FILE" ]]; then password="$(cat "$FILE")"; else
  password="$("$ROOT/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')"
fi
outcome="$(AUTH_ADMIN_PASSWORD="$password" "$ROOT/.venv/bin/python" -m auth_service.cli create-admin --email "$EMAIL")"
if [[ ! -s "$FILE" && "$outcome" == *"password unchanged"* ]]; then
  printf '  Sign in as %s with the password it already had.\n' "$EMAIL"
  exit 0
fi
(umask 077 && printf '%s\n' "$password" > "$FILE")
printf '  Sign in as \033[1m%s\033[0m with password \033[1m%s\033[0m (kept in %s)\n' \
  "$EMAIL" "$(cat "$FILE")" "${FILE#"$ROOT"/}"
printf '  Empty dashboard? In another terminal, `make seed` loads a demo organisation (or start with `make run SEED=1`).\n'
