# The commands the README names. Each target installs what it needs first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help setup setup-test run test lint format seed bench-core bench-gateway bench-limits

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup:  ## Install what `make run` needs (skips what is present)
	@infra/scripts/setup.sh run

setup-test:
	@infra/scripts/setup.sh test

setup-prod: setup
	@infra/prod/setup-deploy.sh prod

prod: setup-prod  ## Start the platform in production mode behind nginx: https://127.0.0.1:8443 (Ctrl-C stops it)
	@infra/prod/run.sh

lint-deploy: setup-test  ## Check the deploy configs: nginx -t, systemd units, Dockerfiles, compose, Kubernetes schemas
	@.venv/bin/pytest -q tests/deploy -k 'not prod_mode and not multi_instance'

run: setup  ## Start the whole platform and print the URL (Ctrl-C stops it; SEED=1 loads demo data)
	@if [ -n "$(SEED)" ]; then $(MAKE) --no-print-directory seed & fi; infra/scripts/run.sh

SEED_TASKS ?= 5000
seed: setup  ## Load the demo organisation into the running platform (idempotent; SEED_TASKS=5000)
	@MONGODB_URI="$${MONGODB_URI:-mongodb://$${FERRETDB_LISTEN_ADDR:-127.0.0.1:27017}}" \
	  .venv/bin/python -m infra.devtools.seed --auth-url "http://$${AUTH_HOST:-127.0.0.1}:$${AUTH_PORT:-8001}" \
	  --tasks "$(SEED_TASKS)"

bench-core: setup  ## Benchmark core-api task lists and stats at 100k and 1M tasks (slow)
	@.venv/bin/python -m bench.core_bench $(BENCH_ARGS)

bench-gateway: setup  ## Benchmark a small GET: direct, through the gateway, through nginx (wrk)
	@.venv/bin/python -m bench.gateway_bench $(BENCH_ARGS)

bench-limits: setup  ## Benchmark in-memory rate limits as distinct clients grow (vs limits' storage)
	@.venv/bin/python -m bench.limits_bench $(BENCH_ARGS)

test: setup-test  ## Lint, then run every test suite against a real store and browser
	@infra/scripts/test.sh

lint: setup  ## Linters and type checks only
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && npm run lint --silent

format: setup  ## Rewrite Python files in the project's format
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

.PHONY: admin bench-auth

admin: setup  ## Create the first admin, or promote an account: make admin EMAIL=you@example.com (asks for the password)
	@test -n "$(EMAIL)" || { echo 'usage: make admin EMAIL=you@example.com' >&2; exit 2; }
	@test "$(origin PASSWORD)" != "command line" || { echo 'PASSWORD=... would show in ps: leave it out and type the password when asked' >&2; exit 2; }
	@test "$(origin AUTH_ADMIN_PASSWORD)" != "command line" || { echo 'AUTH_ADMIN_PASSWORD=... as an argument of make would show in ps: leave it out and type the password when asked' >&2; exit 2; }
	@.venv/bin/python -m auth_service.cli create-admin --email "$(EMAIL)"

bench-auth: setup  ## Benchmark sign-in, refresh and token verification (states the hasher's cost)
	@.venv/bin/python -m bench.auth_bench $(BENCH_ARGS)

.PHONY: store-copy

store-copy: setup  ## Copy all data to another store, then verify: make store-copy FROM=<uri> TO=<uri> [FORCE=1]
	@test -n "$${FROM:-}" -a -n "$${TO:-}" || { echo 'usage: make store-copy FROM=mongodb://... TO=mongodb://... [FORCE=1]' >&2; exit 2; }
	@.venv/bin/python -m platform_common.store_copy $(if $(FORCE),--force)

.PHONY: backup restore

backup: setup  ## Back up the store while the platform runs, into .local/backups/<UTC time>/
	@infra/scripts/store-data.sh backup

restore: setup  ## Put a backup back, platform stopped: make restore BACKUP=.local/backups/<time> [YES=1]
	@infra/scripts/store-data.sh restore

.PHONY: bench-lighthouse

bench-lighthouse: setup-test  ## Lighthouse mobile performance of /projects/{id}, /projects, /dashboard (median of 3)
	@.venv/bin/python -m bench.lighthouse_bench $(BENCH_ARGS)

.PHONY: new-fragment publish-fragment

new-fragment:  ## Create mfe-<NAME>/ from a template: make new-fragment NAME=reports [TEMPLATE=react|vanilla]
	@node infra/scripts/new-fragment.mjs --name "$(NAME)" --template "$(or $(TEMPLATE),react)"
	@npm install --no-audit --no-fund --loglevel=error
	@echo "Next: make publish-fragment NAME=$(NAME)  (with make run running), then open /$(NAME)"

publish-fragment:  ## Build if needed and publish one fragment to the running platform (make run serves it): make publish-fragment NAME=reports
	@test -n "$(NAME)" || { echo 'usage: make publish-fragment NAME=<name>' >&2; exit 2; }
	@infra/scripts/publish-fragments.sh "$(NAME)"
