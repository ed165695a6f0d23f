# The two commands a new machine needs: `make run` and `make test` (Python 3.11+ and make only).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo bench lint messages vendor clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
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

bench: install
	$(PY) bench/search_bench.py
	$(PY) bench/parts_bench.py

lint: install
	$(VENV)/bin/ruff check .

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
