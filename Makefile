# Single Online Home — the one entry point. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install assets demo serve worker migrate seed reindex test test-fast lint audit format bench clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(BIN)/.installed node_modules/.installed ## Install Python and npm dependencies into .venv and node_modules

static_build/.built: node_modules/.installed $(shell find frontend -type f)
	npm run --silent build
	touch $@

assets: static_build/.built ## Build the front-end (GOV.UK Frontend, themed per force)

migrate: install ## Apply database migrations (demo SQLite database unless DATABASE_URL is set)
	$(MANAGE) migrate --no-input

seed: migrate ## Seed the hub, three demo forces, their content and a demo user per role
	$(MANAGE) seed_demo

demo: install assets seed ## Install, build, migrate, seed and serve the demo (web + worker; Ctrl-C stops both)
	PORT=$(PORT) scripts/serve-demo.sh

serve: ## Serve the demo (web + worker) without reinstalling or reseeding
	PORT=$(PORT) scripts/serve-demo.sh

reindex: install ## Rebuild the search index (update_index: the database's, or Elasticsearch/OpenSearch's)
	$(MANAGE) update_index

worker: install ## Run the background task worker on its own
	$(MANAGE) run_worker --no-reload

test: install assets ## Run the whole test suite against PostgreSQL (and headless Chromium)
	scripts/ensure-test-services.sh
	$(BIN)/pytest -n 2 --dist worksteal --durations=15 $(PYTEST_ARGS)

lint: install ## ruff, ruff format --check, djlint, manage.py check, makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint templates home/templates forces/templates
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

audit: install ## Known vulnerabilities: pip-audit (requirements.lock) and npm audit, with security/audit-allowlist.toml; AUDIT_ARGS=--unaudited=warn
	$(BIN)/python scripts/audit.py $(AUDIT_ARGS)

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install assets ## National-scale benchmark (page cache on and off, reporting, a soak with the worker killed): .bench/results.{json,md}, throughput.png; BENCH_ARGS=--reuse-dataset
	scripts/ensure-test-services.sh
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

clean: ## Remove the demo database, built assets and media (keeps .venv and node_modules)
	rm -rf db.sqlite3 static_build static_collected media
