#!/usr/bin/env bash
# Everything `make test` runs: linters, Python tests on the real store, Vitest.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
failed=()

run() {  # run NAME COMMAND...: runs one suite and remembers a failure
  step "$1"
  shift
  "$@"
  local status=$?
  if ((status == 5)); then
    echo "no tests were collected: a suite that tests nothing is a failure"
  fi
  ((status == 0)) || failed+=("$*")
}

run "Lint Python (ruff)" .venv/bin/ruff check .
run "Check Python formatting (ruff format)" .venv/bin/ruff format --check .
run "Type-check Python (mypy)" .venv/bin/mypy libs/platform-common/platform_common services/auth/auth_service \
  services/core-api/core_api gateway/gateway
run "Type-check the benchmarks (mypy)" .venv/bin/mypy -p bench
run "Python tests (pytest, real store)" .venv/bin/pytest libs services gateway tests ${PYTEST_ARGS:-}
run "Frontend tests (vitest)" npm test --silent

if ((${#failed[@]})); then
  printf '\033[31mFailed:\033[0m\n'; printf '  %s\n' "${failed[@]}"
  exit 1
fi
step "All checks passed"
