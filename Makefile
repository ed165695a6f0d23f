# The two commands a new machine needs: `make run` and `make test` (Python 3.11+ and make only).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo bench lint messages vendor clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev,bench]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## The app with demo data on the embedded default: SQLite, a Celery worker with beat, no servers.
run: demo
	$(PY) manage.py run_embedded

## The whole suite: SQLite and eager Celery alone; PostgreSQL, Redis and a real worker when
## DATABASE_URL / REDIS_URL are set. Browser tests need Debian's chromium (skipped without it).
test: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0 2>/dev/null || true
	$(PY) -m pytest

## The benchmark suite (PostgreSQL, on the dataset of `make bench-data`; bench/README.md "Suite"): tables and JSON
## in bench/results/. make bench [BENCH_ARGS="--only pages,report --runs 5"]; then the parts catalogue's own bench.
bench: install
	@test -n "$$DATABASE_URL" || { echo "bench needs PostgreSQL: set DATABASE_URL (see bench/README.md)"; exit 2; }
	$(PY) -m bench.suite $(BENCH_ARGS)
	$(PY) bench/parts_bench.py

## The load benchmark (bench/README.md "Load"): 50 of the dataset's staff for 2 minutes through locust against
## gunicorn, on DATABASE_URL (the dataset of `make bench-data`) and REDIS_URL. make bench-load [LOAD_ARGS="--run-time 30s"]
.PHONY: bench-load
bench-load: install
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "bench-load needs PostgreSQL and Redis: set DATABASE_URL" \
		"(the dataset of make bench-data) and REDIS_URL (see bench/README.md)"; exit 2; }
	$(PY) -m bench.load $(LOAD_ARGS)

## The benchmark dataset (PostgreSQL only; bench/README.md "Dataset"): three sites, three years, 600,000 ROs.
## make bench-data [SCALE=0.05] [SEED=1] [RESET=1]  (RESET=1 drops the bench sites' data and rebuilds it)
.PHONY: bench-data
SCALE ?= 1.0
SEED ?= 1
bench-data: install
	@test -n "$$DATABASE_URL" || { echo "bench-data needs PostgreSQL: set DATABASE_URL, e.g." \
		"export DATABASE_URL=postgres://servicedesk:servicedesk@127.0.0.1:5432/sd_bench" \
		"(createdb sd_bench first)"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) bench/make_dataset.py --scale $(SCALE) --seed $(SEED) $(if $(RESET),--reset)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -c pyproject.toml -r . -x ./tests,./bench,./.venv,./static,./var,./locale -q

## Refresh the Chinese catalogue after adding strings (needs GNU gettext), then translate the new entries.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) manage.py makemessages -d djangojs -l zh_Hans --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

## Re-fetch the vendored front-end files from the npm registry (see static/vendor/README.md).
vendor:
	bash static/vendor/fetch.sh

clean:
	rm -rf $(VENV) var

## Backups (PostgreSQL only; docs/deploy.md "Backups"): a pg_dump -Fc of DATABASE_URL into var/backups/,
## and its restore (pg_restore --clean) into DATABASE_URL: make restore FILE=var/backups/<name>.dump CONFIRM=yes
.PHONY: backup restore
backup:
	@sh deploy/backup.sh

restore:
	@FILE="$(FILE)" CONFIRM="$(CONFIRM)" sh deploy/restore.sh
