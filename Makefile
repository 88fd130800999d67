# The two commands a new machine needs: `make run` (the demo building) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test bench lint translations system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

translations: $(STAMP)
	$(BIN)/python tools/i18n.py compile

system-deps:
	@tools/system_deps.sh $(SYSTEM_DEPS)

run: SYSTEM_DEPS = mosquitto
run: $(STAMP) translations system-deps
	$(BIN)/python tools/run_demo.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: SYSTEM_DEPS = mosquitto chromium node sqlite3 postgresql
test: $(STAMP) translations system-deps lint tests/js/node_modules/.installed
	$(BIN)/python -m pytest

# Mozilla's ical.js (Thunderbird's parser) reads our feeds and invitations in the tests.
tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --silent
	@touch $@

bench: SYSTEM_DEPS = mosquitto
bench: $(STAMP) translations system-deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
