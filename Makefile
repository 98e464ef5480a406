# Quick start: `make demo` and `make test` on a fresh machine (Python 3.11+ as python3).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo replay-demo test browser lint bench conformance fuzz clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "disputedesk needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## demo: install, build a demo marketplace and serve the web desk on http://127.0.0.1:8000/desk/
demo: $(VENV)/.installed
	$(BIN)/disputedesk demo

## replay-demo: the worked examples replayed as readable tables
replay-demo: $(VENV)/.installed
	$(BIN)/disputedesk replay --format table tests/scenarios

## browser: Debian's Chromium (and a CJK font, for the Chinese pages' screenshots) for the
## browser tests, installed when missing and possible; and axe-core (npm) for the accessibility
## test, into $(AXE_DIR), read from there by tests/test_web_accessibility.py (never a CDN)
AXE_DIR ?= $(or $(DISPUTEDESK_AXE_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/disputedesk/axe-core)
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    { apt-get install -y -q chromium >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; }; } || \
	  echo "note: no Chromium and it cannot be installed here; the browser tests will skip"
	@[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || \
	  { [ "$$(id -u)" = 0 ] && apt-get install -y -q fonts-wqy-zenhei >/dev/null 2>&1; } || true
	@[ -e "$(AXE_DIR)/node_modules/axe-core/axe.min.js" ] || \
	  { command -v npm >/dev/null 2>&1 && mkdir -p "$(AXE_DIR)" && \
	    npm install --prefix "$(AXE_DIR)" --no-save --no-audit --no-fund --loglevel=error \
	      axe-core@4 >/dev/null; } || \
	  echo "note: axe-core could not be installed (no npm?); the accessibility test will skip"

## test: install with the test extras, lint, and run every test (browser tests included)
test: $(VENV)/.installed-test browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

## bench: performance figures (not part of `make test`); BENCH_ARGS=--quick for a short run
bench: export DISPUTEDESK_BENCH_METRICS ?= --orders 1000000 --stores 100
bench: $(VENV)/.installed
	@for script in benchmarks/*.py; do \
	  case "$$script" in */_*) continue;; esac; \
	  echo "== $$script"; $(BIN)/python "$$script" $(BENCH_ARGS) || exit 1; \
	done

## fuzz: schemathesis (every phase, every check) against `disputedesk serve` on a fresh marketplace
fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/fuzz_api.py

## catalogs: after adding a word to src/disputedesk/web/locale/desk.pot (or changing its English),
## bring every language's .po in step (new entries empty, changed ones fuzzy, until translated)
LOCALE_DIR := src/disputedesk/web/locale
catalogs: $(VENV)/.installed
	$(BIN)/pybabel update --input-file $(LOCALE_DIR)/desk.pot --output-dir $(LOCALE_DIR) \
	  --domain desk --width 100 --ignore-obsolete --previous
	@echo "then translate what is empty or fuzzy; tests/test_catalogs.py names each entry left"

## conformance: the worked examples in ../shared/scenarios, when that folder is there
conformance: $(VENV)/.installed
	$(PYTHON) ../shared/scenarios/check.py --replay '$(BIN)/disputedesk replay' ../shared/scenarios

clean:
	rm -rf $(VENV) demo test-output .pytest_cache .ruff_cache .hypothesis .schemathesis src/*.egg-info
