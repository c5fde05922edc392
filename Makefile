# pdvsolutions — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := pdvsolutions

.PHONY: run test install install-test translations db demo chromium lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations:
	$(BIN)/python scripts/i18n.py compile

db: install translations
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo load

## Run the platform on http://127.0.0.1:5000 (SQLite in instance/, demo data loaded).
run: demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Debian's chromium for the browser tests (installed when missing and we may install packages).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null || \
	    { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get install -y chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed: browser tests will be skipped (failed when CI=true)"; fi; }

## Run the whole suite: unit, web, access, browser and PostgreSQL tests.
test: install-test translations chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check pdvsolutions tests

.PHONY: prod
## Production stack on loopback: gunicorn (4 workers) + PostgreSQL (pdv_prod) + Redis. See docs/production.md.
prod: install translations
	$(BIN)/python scripts/prodstack.py $(PROD_ARGS)
