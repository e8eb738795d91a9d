# youjie — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/youjie
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run install migrate demo test lint typecheck imports pytest pytest-sqlite pytest-sqlite-nobrowser pytest-browser pytest-postgres test-clocks bench bench-postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/mypy .

imports: install
	$(BIN)/lint-imports

pytest-sqlite: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest

# `make test` splits the SQLite pass: everything but the browser journeys beside the PostgreSQL
# pass, then the journeys alone (a journey's timeouts are for a machine not running two suites).
pytest-sqlite-nobrowser: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -m "not browser"

pytest-browser: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -m browser

# Runs the suite again on PostgreSQL when it is reachable; writes var/postgres-pass on success
# so that .ci/run can insist that the pass happened.
pytest-postgres: install
	@rm -f var/postgres-pass; mkdir -p var
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL pass ($(PG_TEST_URL)) =="; \
		YOUJIE_VAR_DIR=$(CURDIR)/var/postgres-run DATABASE_URL=$(PG_TEST_URL) DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -m "not browser" && touch var/postgres-pass; \
	else \
		echo "== PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL pass skipped =="; \
	fi

# The two databases' passes side by side on the machine's two cores (its own var directory for
# the PostgreSQL pass: uploads and the notification log apart), each one's output printed whole
# when it ends; then the browser journeys. A pass that fails fails `make test`.
pytest: install
	@mkdir -p var
	@$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite-nobrowser pytest-postgres
	@$(MAKE) --no-print-directory pytest-browser

# Tests hold at any hour (CONVENTIONS rule 17): the SQLite pass again with the clock moved to
# 01:00, 13:00 and 16:00 UTC (00:00 in Beijing, where "today" changes) of tomorrow (conftest.py).
CLOCKS ?= 01:00 13:00 16:00
test-clocks: install
	@set -e; day=$$(date -u -d tomorrow +%F); for at in $(CLOCKS); do \
		echo "== the SQLite pass at $$day $$at UTC =="; \
		YOUJIE_TEST_CLOCK=$${day}T$$at:00+00:00 DJANGO_SETTINGS_MODULE=config.settings.test \
			$(BIN)/python -m pytest; \
	done

test: lint typecheck imports pytest

bench: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python bench/run.py
	# The daily bulletin over 10,000 petition matters, in a scratch database (target ≤ 2 s).
	$(BIN)/python bench/petitions_bulletin.py
	# The city dashboard and its campaign's page over 10,000 matters (target p95 ≤ 100 ms).
	$(BIN)/python bench/petitions_dashboard.py
	# The court figures' API over 100,000 cases (p95 ≤ 100 ms) and the big screen's refresh (≤ 50 ms).
	$(BIN)/python bench/court_figures.py

# The same workloads on a PostgreSQL copy of the benchmark's data (bench/to_postgres.py).
BENCH_PG_URL ?= postgresql://postgres@127.0.0.1:5432/youjie_bench
bench-postgres: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python bench/run.py --postgres $(BENCH_PG_URL)
	# The three scratch-database benchmarks, each in its own PostgreSQL database created and dropped
	# through the maintenance database `postgres` of BENCH_PG_URL's server (bench/scratch.py).
	$(BIN)/python bench/petitions_bulletin.py --postgres $(dir $(BENCH_PG_URL))postgres
	$(BIN)/python bench/petitions_dashboard.py --postgres $(dir $(BENCH_PG_URL))postgres
	$(BIN)/python bench/court_figures.py --postgres $(dir $(BENCH_PG_URL))postgres

clean:
	rm -rf var/staticfiles var/test-artifacts
