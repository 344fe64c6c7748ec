# Everything a fresh clone needs: `make test` and `make demo` build the environments themselves.
# The newest environment is upgraded when pyproject.toml changes and on the first run of each
# day (users get upstream releases the day they come out, so must the suite); the lowest one
# only when pyproject.toml or its constraints change.
PYTHON ?= python3
VENV   ?= .venv
LOWEST ?= .venv-lowest
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
LOWEST_STAMP = $(LOWEST)/.installed
TODAY  := $(shell date -u +%Y-%m-%d)
DAY     = $(VENV)/.day-$(TODAY)
# pip 25.1+ installs PEP 735 dependency groups (`--group`).
NEW_VENV = $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
	|| { echo "Python 3.10+ is required"; exit 1; }; \
	test -x $(1)/bin/python || $(PYTHON) -m venv $(1); \
	$(1)/bin/python -m pip install --quiet --upgrade 'pip>=25.1'

.PHONY: install test lint typecheck pytest pytest-lowest suites browser demo bench soak clean \
	messages-extract messages-update messages-compile

# The project with every extra and the development tools, at their newest allowed versions.
$(STAMP): pyproject.toml $(DAY)
	$(call NEW_VENV,$(VENV))
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[all]' --group dev
	touch $(STAMP)

$(DAY):
	mkdir -p $(VENV)
	rm -f $(VENV)/.day-*
	touch $@

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

# Each suite starts by naming the versions it runs against (the ones upstream releases change).
WATCHED  = msgspec|httpx|anyio|starlette|uvicorn|rich|python-multipart|fpdf2|pyjwt|platformdirs
VERSIONS = $(1)/bin/python -m pip freeze --exclude-editable 2>/dev/null | grep -iE '^($(WATCHED))==' | tr '\n' ' '

pytest: $(STAMP)
	@echo "newest dependencies: $$($(call VERSIONS,$(VENV)))"
	$(BIN)/pytest -q

# The whole suite against the lowest versions pyproject.toml allows.
pytest-lowest: $(LOWEST_STAMP)
	@echo "lowest dependencies: $$($(call VERSIONS,$(LOWEST)))"
	$(LOWEST)/bin/pytest -q -p no:cacheprovider

# Both suites run whatever the first one gives, and the last lines say which failed: a failure
# in the newest environment is never hidden behind a green run of the lowest (nor the reverse).
test: lint typecheck suites

suites: $(STAMP) $(LOWEST_STAMP) browser
	@bash scripts/suites.sh "$(MAKE)"

# The dashboard's browser tests drive Debian's Chromium (through Playwright's Python API, in
# the test group): installed here when running as root, as CI does. Elsewhere without it
# they skip saying how to get it, except under CI=true, where they fail.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "browser tests: no Chromium (as root: apt-get install chromium)"; \
	fi

# The demo's sandbox database is .demo/sandbox.db (TIIME_SANDBOX_DB to put it elsewhere).
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
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_mcp.py
	$(BIN)/python benchmarks/bench_async.py
	$(BIN)/python benchmarks/bench_reconcile.py
	$(BIN)/python benchmarks/bench_sync.py

# 20,000 mixed calls through the SDK at 10% chaos, then an audit of the sandbox's database
# (bounded: the calls, and no new call after 900 s; loopback only). Exits 1 on a violation.
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --calls 20000 --chaos 0.1 --seed 20 --time-cap 900

# Message catalogs (tiime.i18n): one gettext domain per area, each extracted from its own
# sources into a template (.pot, not kept), merged into the French catalog (.po, kept), and
# compiled (.mo, not kept: the build compiles them too, hatch_build.py).
LOCALES  = src/tiime/i18n/locales
PYBABEL  = $(BIN)/pybabel
EXTRACT  = $(PYBABEL) extract -F babel.cfg --no-location --sort-output \
	--project tiime --copyright-holder "The tiime developers"

messages-extract: $(STAMP)
	$(EXTRACT) -o $(LOCALES)/tiime.pot src/tiime/cli src/tiime/i18n
	$(EXTRACT) -o $(LOCALES)/dashboard.pot src/tiime/dashboard
	$(EXTRACT) -o $(LOCALES)/sandbox.pot src/tiime/sandbox

messages-update: messages-extract
	for domain in tiime dashboard sandbox; do \
		$(PYBABEL) update --no-fuzzy-matching --ignore-obsolete -D $$domain \
			-i $(LOCALES)/$$domain.pot -d $(LOCALES) -l fr || exit 1; \
	done

messages-compile: $(STAMP)
	for domain in tiime dashboard sandbox; do \
		$(PYBABEL) compile --statistics -d $(LOCALES) -D $$domain -l fr || exit 1; \
	done

clean:
	rm -rf $(VENV) $(LOWEST) .demo .mypy_cache .pytest_cache .ruff_cache dist
