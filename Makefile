# Ladder: the commands a developer or a council's IT team needs. GNU make; needs only python3.
#   make run     serve the app on http://localhost:8501
#   make test    validate the shipped bank strictly, then run the whole test suite (it
#                installs axe-core from npm for the accessibility test, when npm is there)
#   make lint    ruff check + ruff format --check + mypy (the typed core; CI runs it)
#   make bench   run every benchmark in bench/ (fails if any budget is missed)
#   make bench-quick  the same benchmarks at small sizes (budgets printed, not enforced);
#                make test runs them too (tests/unit/test_bench_quick.py)
#   make clean   remove .venv and caches (never data/)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON := python3
VENV := .venv
BIN := $(VENV)/bin
# Override on the command line, e.g. `make run PORT=8502 ADDRESS=0.0.0.0`;
# RUN_ARGS passes more Streamlit flags, e.g. RUN_ARGS="--server.baseUrlPath ladder".
PORT := 8501
ADDRESS := 127.0.0.1
RUN_ARGS :=

# The one definition of how Ladder is served. tests/e2e reads it through `make print-run-command`.
STREAMLIT_RUN := $(strip $(BIN)/python -m ui.serve run app.py --server.headless true \
	--server.address $(ADDRESS) --server.port $(PORT) --browser.gatherUsageStats false $(RUN_ARGS))

.PHONY: help run test lint bench bench-quick clean print-run-command

help:
	@echo "make run     serve Ladder on http://localhost:$(PORT)"
	@echo "make test    check the shipped bank (strict) and run all tests"
	@echo "make lint    ruff check, ruff format --check and mypy"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make bench-quick  the benchmarks at small sizes (as make test runs them)"
	@echo "make clean   remove .venv and caches (keeps data/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

# The dev requirements include the runtime ones, so this stamp also satisfies `make run`.
$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.installed-run $@

run: $(VENV)/.installed-run
	mkdir -p -m 700 data
	exec $(STREAMLIT_RUN)

# axe-core for the accessibility test, pinned by tests/a11y/package-lock.json. Without npm
# the test skips (fails under LADDER_REQUIRE_BROWSER=1; .ci/run installs npm).
AXE := tests/a11y/node_modules/axe-core/axe.min.js

$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility test needs axe-core (apt-get install npm)"; fi

test: $(VENV)/.installed-dev $(AXE)
	$(BIN)/python -m questions check --strict
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# BENCH_ARGS passes flags to every benchmark (bench-quick sets --quick).
BENCH_ARGS :=

bench: $(VENV)/.installed-dev
	@status=0; found=0; \
	for f in bench/bench_*.py; do \
		[ -e "$$f" ] || continue; found=1; \
		echo "== $$f"; \
		PYTHONPATH=. $(BIN)/python "$$f" $(BENCH_ARGS) || { echo "FAILED: $$f"; status=1; }; \
	done; \
	[ $$found = 1 ] || { echo "no benchmarks found (bench/bench_*.py)"; exit 1; }; \
	exit $$status

bench-quick:
	@$(MAKE) --no-print-directory bench BENCH_ARGS=--quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
	find . -path ./data -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

print-run-command:
	@echo '$(STREAMLIT_RUN)'
