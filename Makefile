# Astral: two commands for a new user — `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# The services of this machine (PostgreSQL, Redis, RabbitMQ); CI=true requires them.
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/astral
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/15
SERVICES_BROKER_URL ?= redis://127.0.0.1:6379/14
SERVICES_RESULT_BACKEND ?= redis://127.0.0.1:6379/13
EMBEDDED_ENV := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND
SERVICES_ENV := env DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) \
	CELERY_BROKER_URL=$(SERVICES_BROKER_URL) CELERY_RESULT_BACKEND=$(SERVICES_RESULT_BACKEND)

.PHONY: run test chromium test-embedded test-services python-check install install-dev migrate seed worker beat lint format check-deploy clean

python-check:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
		echo "Astral needs Python >= 3.12 (Django 6); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "Install 3.12 (e.g. 'pyenv install 3.12') or run: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }

$(VENV)/bin/python: | python-check
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
.deps-runtime.stamp: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	@touch $@

.deps-dev.stamp: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ .deps-runtime.stamp

install: python-check .deps-runtime.stamp
install-dev: python-check .deps-dev.stamp

# The development targets run with DEBUG on (and so the development secret key) unless the
# environment says otherwise; with DJANGO_DEBUG=false the settings require DJANGO_SECRET_KEY.
run seed migrate worker beat: export DJANGO_DEBUG ?= true

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --if-empty

run: seed
	@echo ""
	@echo "  Astral is starting on http://$(HOST):$(PORT)/"
	@echo "  Coach UI:  http://$(HOST):$(PORT)/            login: coach / astral-demo"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/      login: admin / astral-demo"
	@echo "  API docs:  http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev chromium test-embedded test-services

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# The embedded default: SQLite, local-memory cache, eager Celery.
test-embedded: install-dev
	$(EMBEDDED_ENV) $(PY) -m pytest

# The real path: PostgreSQL, Redis and a Celery worker. Required (a failure, never a skip)
# when CI=true; elsewhere it runs when the services answer.
test-services: install-dev
	@if [ "$$CI" = "true" ] || $(PY) scripts/services_up.py --quiet; then \
		echo "== test suite against PostgreSQL + Redis + Celery broker (browser tests ran in the embedded pass, but those marked services) =="; \
		$(SERVICES_ENV) ASTRAL_REQUIRE_SERVICES=1 $(PY) -m pytest -m "not browser or services"; \
	else \
		echo "== PostgreSQL/Redis not reachable: services pass skipped (CI=true makes this a failure) =="; \
	fi

worker: install
	$(PY) -m celery -A astral worker --loglevel=info

beat: install
	$(PY) -m celery -A astral beat --loglevel=info

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: install
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_HTTPS=true \
		DJANGO_HSTS_SECONDS=31536000 DJANGO_ALLOWED_HOSTS=astral.example.com EMAIL_HOST=smtp.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .deps-*.stamp staticfiles
