# The front door. Every target bootstraps .venv itself, so a fresh clone needs only
# Python 3.10+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
PYTEST_ARGS ?=

.PHONY: help install test lint typecheck unit demo generate contract bench soak docs clean

help:
	@echo "make test      lint, type-check and run the whole test suite"
	@echo "make demo      run examples/quickstart.py (local server unless EVERRUNS_API_KEY is set)"
	@echo "make generate  regenerate models and the compact contract from $(SHARED)/openapi"
	@echo "make contract  run the contract suite against EVERRUNS_API_URL (default: a local server)"
	@echo "make bench     benchmarks: this SDK vs the raw httpx floor (and the official SDK)"
	@echo "make soak      the long fault-injection soak test"
	@echo "make docs      build the documentation site into site/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,testing,cli,docs]"
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

test: lint typecheck
	$(BIN)/pytest -q $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python -m everruns_sdk.testing run examples/quickstart.py

generate: $(STAMP)
	$(BIN)/python scripts/generate.py --shared $(SHARED)
	$(BIN)/python scripts/gen_sync.py

contract: $(STAMP)
	$(BIN)/pytest -q tests/contract $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

soak: $(STAMP)
	EVERRUNS_SOAK=1 $(BIN)/pytest -q -m soak tests/reliability $(PYTEST_ARGS)

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) site build dist .pytest_cache .mypy_cache .ruff_cache
