#!/usr/bin/env bash
# Runs a command with the settings of an environment file, read the way systemd and compose
# read it (KEY=VALUE lines taken literally: no shell quoting, so values may hold spaces, & or <):
#   infra/prod/with-env.sh /etc/farm-platform/platform.env .venv/bin/python -m auth_service.cli generate-key
# Variables already set in the environment win over the file.
set -euo pipefail
file="${1:?usage: with-env.sh ENV_FILE COMMAND [ARG...]}"
shift
[[ -r "$file" ]] || { echo "cannot read $file" >&2; exit 66; }
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
  [[ -v "${BASH_REMATCH[1]}" ]] || export "$line"
done <"$file"
exec "$@"
