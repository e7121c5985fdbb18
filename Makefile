# Everyday verbs of the JMDC portal. Each target sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run stack test lint bench clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The browser's chart bundle (vega, vega-lite, vega-embed) comes from the pinned vl-convert-python
# (lib/charts.py), written into the static files, not committed and never fetched from a CDN.
CHART_BUNDLE := static/vendor/vega/vega-bundle.js
$(CHART_BUNDLE): $(BIN)/.installed
	$(BIN)/python manage.py build_chart_bundle

setup: $(BIN)/.installed $(CHART_BUNDLE)

## run: install, migrate, load the catalogue, serve on http://127.0.0.1:8000/ with a Celery
## worker and beat on the embedded broker (ops/run.py); Ctrl-C stops both
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_catalogue
	$(BIN)/python ops/run.py $(HOST):$(PORT)

## stack: the production topology natively (PostgreSQL+q3c, Redis, gunicorn, Celery worker
## and beat, DEBUG=0) on http://127.0.0.1:8000/; Ctrl-C stops it. See ops/stack.
stack: setup
	ops/stack run

## test: install and run the whole suite (DATABASE_URL selects the database)
test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff, formatting, the direction of imports between the parts (import-linter, the
## contract in pyproject.toml), the type hints of the models, the curation services and lib/
## (mypy with django-stubs, [tool.mypy] in pyproject.toml), and no model change without its
## migration
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

## bench: the benchmarks of bench/, each as a ratio against a named baseline
bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
