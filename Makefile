# Dampingi: `make run` to try it locally, `make test` to run the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CLIENTS ?= 300
DEMO_SEED ?= 2026
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/dampingi
# Local trial only: a fixed secret key and cookies over plain http on 127.0.0.1.
LOCAL := DAMPINGI_LOCAL_TRIAL=1 DJANGO_SECURE_COOKIES=0

.PHONY: run test test-sqlite test-postgres test-browser check venv system-deps screenshots bench messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Debian packages: gettext compiles translations, chromium drives the browser tests.
system-deps:
	@scripts/system-deps.sh

locale/id/LC_MESSAGES/django.mo: locale/id/LC_MESSAGES/django.po
	$(LOCAL) $(MANAGE) compilemessages --locale id --ignore '.venv' >/dev/null

run: venv system-deps locale/id/LC_MESSAGES/django.mo
	$(LOCAL) $(MANAGE) migrate --noinput
	$(LOCAL) $(MANAGE) load_reference_data
	$(LOCAL) $(MANAGE) seed_demo --clients $(DEMO_CLIENTS) --seed $(DEMO_SEED) --if-empty
	$(LOCAL) $(MANAGE) collectstatic --noinput >/dev/null
	@$(LOCAL) $(MANAGE) demo_accounts
	@# The background-task worker (reminders, e-mail) runs beside the web server and stops with it.
	$(LOCAL) $(MANAGE) run_huey --quiet & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(LOCAL) $(MANAGE) runserver $(HOST):$(PORT)

# The whole suite: static checks, then every test on SQLite and on PostgreSQL.
test: venv system-deps locale/id/LC_MESSAGES/django.mo check test-sqlite test-postgres

check:
	$(VENV)/bin/ruff check .
	$(LOCAL) $(MANAGE) makemigrations --check --dry-run
	scripts/check-messages.sh

test-sqlite:
	$(VENV)/bin/pytest -q

test-postgres:
	scripts/ensure-postgres.sh
	DATABASE_URL=$(TEST_POSTGRES_URL) $(VENV)/bin/pytest -q

# Only the browser journeys (headless Chromium), e.g. while working on templates.
test-browser: venv system-deps
	$(VENV)/bin/pytest -q -m browser

# Regenerate docs/screenshots/ from the browser journeys.
screenshots: venv system-deps locale/id/LC_MESSAGES/django.mo
	DAMPINGI_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest -q -m browser tests/browser/test_screenshots.py tests/browser/test_instruments_journey.py tests/browser/test_referral_journey.py

# The scale benchmark (on demand, never in CI): builds or reuses PostgreSQL databases of 10k, 100k and
# 1M clients and measures the main pages over HTTP (gunicorn + locust). See docs/performance.md.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
bench: venv locale/id/LC_MESSAGES/django.mo
	$(PIP) install --quiet -r requirements-bench.txt
	scripts/ensure-postgres.sh
	$(LOCAL) $(MANAGE) collectstatic --noinput >/dev/null
	BENCH_PG=$(BENCH_PG) PY=$(PY) bench/run.sh

messages: venv
	$(LOCAL) $(MANAGE) makemessages --locale id --no-obsolete --no-location --ignore '.venv/*' --ignore 'staticfiles/*'
	$(LOCAL) $(MANAGE) compilemessages --locale id --ignore '.venv' >/dev/null

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*
