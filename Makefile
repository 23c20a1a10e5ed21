# careerguide: the single entry point for people and CI.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON_FOR_VENV := $(shell command -v python3.13 2>/dev/null || command -v python3.12 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test serve lint screenshots bench backup restore clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "careerguide needs Python 3.13 or 3.12 (Django 6.1 needs >= 3.12)."; \
		echo "Neither python3.13 nor python3.12 was found on PATH: install one (pyenv install 3.13) and retry."; \
		exit 1; fi
	@$(PYTHON_FOR_VENV) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "$(PYTHON_FOR_VENV) is older than 3.12; careerguide needs 3.12 or newer."; exit 1; }
	test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Mail the task worker sends links to this server: DJANGO_SITE_URL follows PORT unless given.
run: export DJANGO_SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_content
	@# One task worker beside the development server (it sends the queued mail), stopped with it.
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; \
		DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, spread over the machine's cores (TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# nginx on 127.0.0.1:$(PORT) in front of gunicorn on a unix socket (deploy/serve.sh,
# deploy/nginx.conf) and one task worker (db_worker: the mail queue); Ctrl-C stops them all.
# Workers: cores + 1, or WEB_CONCURRENCY; TASK_WORKER=0 starts no task worker.
serve: install
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || \
		{ echo "make serve runs nginx in front of gunicorn: apt-get install -y nginx"; exit 1; }
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) deploy/serve.sh

# Load benchmark on PostgreSQL (own database careerguide_bench) through nginx and gunicorn with
# wrk and Locust; writes docs/PERFORMANCE.md. Sizes and durations: BENCH_* variables, see
# bench/run.py.
bench: install
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r careerguide tracks audits accounts reminders

screenshots: install
	DJANGO_DEBUG=1 $(PY) scripts/screenshots.py

# PostgreSQL backups (DATABASE_URL must be a postgres:// URL): `make backup` writes
# backups/careerguide-<UTC timestamp>.dump; `make restore FILE=backups/careerguide-....dump`.
backup:
	scripts/backup.sh

restore:
	scripts/restore.sh $(FILE)

clean:
	rm -rf $(VENV) staticfiles
