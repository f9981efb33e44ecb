# warmintro tasks. `make help` lists them. Every target does its own set-up.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := api/static/vendor/cytoscape.min.js
HOST   ?= 127.0.0.1
PORT   ?= 8000
export WARMINTRO_DATA_DIR ?= $(CURDIR)/data

.DEFAULT_GOAL := help
.PHONY: help install vendor-web run demo test test-fast check lint typecheck pytest neo4j-start neo4j-stop neo4j-provision \
        compose-check browser fuzz bench bench-planner bench-team bench-store bench-workers bench-http-team bench-import bench-api bench-neo4j eval-lint schema clean

help: ## List the targets and what they do
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found: install Python 3.11 (e.g. apt-get install python3.11 python3.11-venv)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(VENDOR): web/package.json web/package-lock.json scripts/vendor_web.sh
	@bash scripts/vendor_web.sh

vendor-web: $(VENDOR) ## Fetch Cytoscape.js (pinned in web/package-lock.json) into api/static/vendor/

install: $(STAMP) $(VENDOR) ## Create the virtualenv, install warmintro and the page's JS library

run: $(STAMP) $(VENDOR) ## Build the demo workspace (first time) and serve the API at http://$(HOST):$(PORT)
	WARMINTRO_GRAPHIQL=$${WARMINTRO_GRAPHIQL:-true} $(BIN)/warmintro demo --host $(HOST) --port $(PORT)

test: check ## Everything CI runs: set-up, ruff, mypy --strict, pytest (real Neo4j, real Chromium)

check: $(STAMP) $(VENDOR) neo4j-provision browser compose-check lint typecheck pytest

test-fast: $(STAMP) $(VENDOR) lint typecheck ## The quick lane: no Java, no browser (unit, contract and e2e on the embedded store)
	$(BIN)/pytest -m "not neo4j and not browser"

lint: $(STAMP) ## ruff lint and format check, and the import layering contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP) ## mypy --strict over every package
	$(BIN)/mypy

pytest: $(STAMP) ## The pytest suite (starts and stops its own Neo4j)
	$(BIN)/pytest

neo4j-provision: $(STAMP) ## Download and unpack Neo4j 5.26 from Maven Central (cached)
	$(BIN)/python scripts/neo4j_server.py provision

neo4j-start: $(STAMP) ## Start a dev Neo4j on a free loopback port; prints WARMINTRO_NEO4J_* lines
	@$(BIN)/python scripts/neo4j_server.py start --name dev

neo4j-stop: $(STAMP) ## Stop the dev Neo4j and remove its run directory
	@$(BIN)/python scripts/neo4j_server.py stop --name dev

browser: ## Make sure Debian's Chromium is installed for the browser tests
	@bash scripts/ensure_chromium.sh

compose-check: ## Validate docker-compose.yml (needs only the compose client, no engine)
	@bash scripts/compose_check.sh

bench: bench-planner bench-team bench-store bench-workers bench-http-team bench-import bench-api bench-neo4j ## All benchmarks (figures go to BENCHMARKS.md by hand)

bench-planner: $(STAMP) ## Planner latency vs networkx.bidirectional_dijkstra at 10k/100k/1M edges
	$(BIN)/python scripts/bench_planner.py --edges 10000 100000 1000000

bench-team: $(STAMP) ## Planner on pooled-team graphs (100k/1M ties): memory, build, snapshot, p50/p99 at 3 and 6 hops, exhaustive check
	$(BIN)/python scripts/bench_team.py --ties 100000 1000000 --queries 150

bench-store: $(STAMP) ## Embedded store at 1M ties: write, build, start from the snapshot, a 10k write under load
	$(BIN)/python scripts/bench_store.py --ties 1000000 --dir .cache/bench-store-1000000

bench-workers: $(STAMP) ## A write seen by every worker of serve --workers 2 on the 1M store (after bench-store)
	test -f .cache/bench-store-1000000/warmintro.db || $(BIN)/python scripts/bench_store.py --ties 1000000 --dir .cache/bench-store-1000000
	$(BIN)/python scripts/bench_workers.py --dir .cache/bench-store-1000000

bench-http-team: $(STAMP) ## trustedPath/introducers over HTTP, 1M pooled-team ties, 2 workers (needs Debian wrk)
	$(BIN)/python scripts/bench_http_team.py --ties 1000000 --seconds 15 --queries 300 --workers 2

bench-import: $(STAMP) ## LinkedIn import rate on a 30k-connection, 100k-message export
	$(BIN)/python scripts/bench_import.py

bench-api: $(STAMP) ## GraphQL req/s and latency under wrk, 1M-edge graph (needs Debian wrk)
	$(BIN)/python scripts/bench_api.py --edges 1000000 --seconds 20

bench-neo4j: $(STAMP) neo4j-provision ## Neo4j import rate and query latency next to the embedded backend
	$(BIN)/python scripts/bench_neo4j.py --edges 1000000 --pairs 200

fuzz: $(STAMP) ## schemathesis against the GraphQL schema, admin and member keys (>= 2,000 requests)
	$(BIN)/python scripts/fuzz_api.py --requests 2000

eval-lint: $(STAMP) ## Precision and recall of the outreach linter on the labelled set
	$(BIN)/python scripts/eval_lint.py

schema: $(STAMP) ## Re-export schema.graphql from the Strawberry schema
	$(BIN)/python scripts/export_schema.py

clean: ## Remove caches and the virtualenv (keeps data/ and the Neo4j download)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
