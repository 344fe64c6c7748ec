# Everything a fresh clone needs: `make test` and `make demo` build the environments themselves.
# Each environment is (re)installed only when pyproject.toml (or its constraints) changes.
PYTHON ?= python3
VENV   ?= .venv
LOWEST ?= .venv-lowest
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
LOWEST_STAMP = $(LOWEST)/.installed
# pip 25.1+ installs PEP 735 dependency groups (`--group`).
NEW_VENV = $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
	|| { echo "Python 3.10+ is required"; exit 1; }; \
	test -x $(1)/bin/python || $(PYTHON) -m venv $(1); \
	$(1)/bin/python -m pip install --quiet --upgrade 'pip>=25.1'

.PHONY: install test lint typecheck pytest pytest-lowest demo bench clean

# The project with every extra and the development tools, at their newest allowed versions.
$(STAMP): pyproject.toml
	$(call NEW_VENV,$(VENV))
	$(BIN)/python -m pip install --quiet -e '.[all]' --group dev
	touch $(STAMP)

# The same project with every direct dependency at its floor, and the test tools.
$(LOWEST_STAMP): pyproject.toml constraints/lowest.txt
	$(call NEW_VENV,$(LOWEST))
	$(LOWEST)/bin/python -m pip install --quiet -c constraints/lowest.txt -e '.[all]' --group test
	touch $(LOWEST_STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

# The whole suite against the lowest versions pyproject.toml allows.
pytest-lowest: $(LOWEST_STAMP)
	$(LOWEST)/bin/pytest -q -p no:cacheprovider

test: lint typecheck pytest pytest-lowest

demo: $(STAMP)
	bash scripts/demo.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_clients.py
	$(BIN)/python benchmarks/bench_invoices.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_documents.py
	$(BIN)/python benchmarks/bench_bank.py
	$(BIN)/python benchmarks/bench_wire.py
	$(BIN)/python benchmarks/bench_sandbox_load.py

clean:
	rm -rf $(VENV) $(LOWEST) .mypy_cache .pytest_cache .ruff_cache dist
