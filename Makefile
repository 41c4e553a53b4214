# Everything a newcomer needs: `make run` to see the system work, `make test` to check it.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench recogniser system-deps venv web-vendor clean

run: system-deps venv web-vendor
	deploy/run-local.sh

test: system-deps venv
	$(BIN)/pytest

test-fast: venv
	$(BIN)/pytest -m "not slow"

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: system-deps venv
	$(BIN)/python -m bench

# The redaction's learned reader, trained again from the development corpora: after they
# or the rules change (tests/unit/test_redaction_learned.py says when).
recogniser: venv
	$(BIN)/python -m ingest.language.redaction.training

web-vendor: ingest/http/web/vendor/leaflet/leaflet.js

ingest/http/web/vendor/leaflet/leaflet.js: deploy/tools/vendor-web.sh
	deploy/tools/vendor-web.sh

system-deps:
	@deploy/tools/system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) .run .pytest_cache .mypy_cache .ruff_cache
