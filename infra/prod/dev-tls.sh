#!/usr/bin/env bash
# Makes a self-signed TLS certificate for 127.0.0.1 and localhost, for `make prod` and the
# deploy tests only (browsers warn about it; a server uses a real one, docs/deploy/).
#   dev-tls.sh [DIR]   writes DIR/dev-cert.pem and DIR/dev-key.pem (default .local/tls), once
set -euo pipefail
dir="${1:-$(cd "$(dirname "$0")/../.." && pwd)/.local/tls}"
if [[ -s "$dir/dev-cert.pem" && -s "$dir/dev-key.pem" ]]; then exit 0; fi
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
  -subj "/CN=farm-platform development" \
  -addext "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" \
  -keyout "$dir/dev-key.pem" -out "$dir/dev-cert.pem" 2>/dev/null
chmod 600 "$dir/dev-key.pem"
echo "    dev TLS certificate: $dir/dev-cert.pem"
