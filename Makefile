# Quick start: `make demo` and `make test` on a fresh machine (Python 3.11+ as python3).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench conformance clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "disputedesk needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## demo: install and replay the worked examples as readable tables
demo: $(VENV)/.installed
	$(BIN)/disputedesk replay --format table tests/scenarios

## test: install with the test extras, lint, and run every test
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

## bench: performance figures (not part of `make test`); BENCH_ARGS=--quick for a short run
bench: $(VENV)/.installed
	@for script in benchmarks/*.py; do \
	  case "$$script" in */_*) continue;; esac; \
	  echo "== $$script"; $(BIN)/python "$$script" $(BENCH_ARGS) || exit 1; \
	done

## conformance: the worked examples in ../shared/scenarios, when that folder is there
conformance: $(VENV)/.installed
	$(PYTHON) ../shared/scenarios/check.py --replay '$(BIN)/disputedesk replay' ../shared/scenarios

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis src/*.egg-info
