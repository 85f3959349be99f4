#!/usr/bin/env bash
# What production mode and the deployment tests need on top of `setup.sh run`; skips what is
# present. Called by setup.sh:
#   setup-deploy.sh prod   nginx and redis-server (Debian's), the dev TLS certificate
#   setup-deploy.sh test   that, plus kubeconform and kustomize (go install) and the Kubernetes
#                          JSON schemas
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
PURPOSE="${1:-prod}"
KUBECONFORM_VERSION="v0.8.0"
KUSTOMIZE_VERSION="v5.7.1"
# Oldest and newest Kubernetes the manifests are checked against (schemas from the PyPI
# package kubernetes-validate, a dev dependency: kubeconform's own download needs GitHub).
K8S_VERSIONS="${K8S_VERSIONS:-1.30.0 1.37.0}"
cd "$ROOT"

apt_install() {  # apt_install COMMAND PACKAGE
  if command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; then skip "$2: present"; return; fi
  [[ "$(id -u)" == 0 ]] || die "$1 is needed: run 'sudo apt-get install $2' and try again"
  step "Installing Debian's $2 (apt-get; its service is not started)"
  # Debian starts a service on install; this machine only needs the program.
  local policy=/usr/sbin/policy-rc.d created=""
  if [[ ! -e "$policy" ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  local status=$?
  if [[ -n "$created" ]]; then rm -f "$policy"; fi
  return $status
}

install_kubeconform() {
  if [[ -x "$TOOLS/kubeconform" ]]; then skip "kubeconform: built"; return; fi
  command -v go >/dev/null 2>&1 || die "go is needed to build kubeconform (go.dev/dl)"
  step "Building kubeconform $KUBECONFORM_VERSION (go install)"
  GOBIN="$TOOLS" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
}

install_kustomize() {  # kubectl has it built in; without kubectl, the standalone tool
  if command -v kubectl >/dev/null 2>&1; then skip "kustomize: kubectl kustomize"; return; fi
  if [[ -x "$TOOLS/kustomize" ]]; then skip "kustomize: built"; return; fi
  command -v go >/dev/null 2>&1 || die "go is needed to build kustomize (go.dev/dl)"
  step "Building kustomize $KUSTOMIZE_VERSION (go install, about a minute)"
  GOBIN="$TOOLS" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
}

install_k8s_schemas() {
  local version
  for version in $K8S_VERSIONS; do
    if [[ -d "$LOCAL/k8s-schemas/v$version" ]]; then skip "Kubernetes $version schemas: present"; continue; fi
    step "Kubernetes $version JSON schemas (from kubernetes-validate)"
    "$ROOT/.venv/bin/python" infra/k8s/schemas.py --kubernetes-version "$version" --out "$LOCAL/k8s-schemas"
  done
}

apt_install nginx nginx
apt_install redis-server redis-server
infra/prod/dev-tls.sh "$LOCAL/tls"
if [[ "$PURPOSE" == test ]]; then
  install_kubeconform
  install_kustomize
  install_k8s_schemas
fi
