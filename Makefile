# The two commands of the README:
#   make demo   set up and check the bundled fixture packages
#   make test   set up and run the test suite
# Both create .venv on first use; nothing is installed outside it except the
# Debian packages of scripts/install-system-deps.sh (Chromium, for the HTML test).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-11-22

.PHONY: setup system-deps demo test lint bench fixtures clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

system-deps:
	bash scripts/install-system-deps.sh

# Exit status 1 means "findings at or above --fail-on": expected for the demo's
# failing packages, so it does not fail make.
demo: setup
	$(BIN)/listguard check fixtures/packages --brand-kit fixtures/brandkit --as-of $(AS_OF) \
		--output demo-report.json --format json; test $$? -le 1
	$(BIN)/listguard check fixtures/packages --brand-kit fixtures/brandkit --as-of $(AS_OF) \
		--output demo-report.html --format html; test $$? -le 1
	$(BIN)/listguard check fixtures/packages --brand-kit fixtures/brandkit --as-of $(AS_OF); test $$? -le 1

test: setup system-deps
	$(BIN)/pytest -n auto

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core

# Rebuild the demo brand kit and packages (deterministic: the same bytes each time).
fixtures: setup
	$(BIN)/python fixtures/make_brandkit.py
	$(BIN)/listguard brandkit build fixtures/brandkit/official --kit fixtures/brandkit
	$(BIN)/python fixtures/build_fixtures.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache demo-report.json demo-report.html
