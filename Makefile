# make demo: set up .venv and run the main job on the pilot network.
# make test: set up .venv and run every test (installs Debian's chromium for browser tests).
# make bench: benchmarks (never part of make test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kumenet demo -o demo-output

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/bench_load.py
	$(PY) bench/bench_metrics.py
	$(PY) bench/bench_match.py

clean:
	rm -rf $(VENV) demo-output bench/work .pytest_cache
