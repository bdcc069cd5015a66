# make demo: set up .venv and run the main job on the pilot network.
# make test: set up .venv and run every test (installs Debian's chromium for browser tests and
# Debian's postgresql for the workspace's tests, which start and stop their own server).
# make docs: the documentation site in site/ (built by make test too, strict).
# make bench: benchmarks (never part of make test).
# make fuzz: the property tests of every reader with many random inputs (FUZZ_EXAMPLES each),
# and every command on SMALL_NETWORKS generated small networks.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test docs bench fuzz clean browser postgres
FUZZ_EXAMPLES ?= 3000
SMALL_NETWORKS ?= 300

# Debian's Chromium and its driver for the browser tests, when missing (root, or sudo).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# Debian's PostgreSQL server programs for the workspace's tests, when missing.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	fi

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kumenet demo -o demo-output

# The suite runs on both cores (pytest-xdist), a test file's tests on one worker: each worker
# has its own session fixtures (scorer cache, PostgreSQL server, snapshots), servers pick free ports.
test: $(STAMP) browser postgres
	KUMENET_REQUIRE_BROWSER=1 KUMENET_REQUIRE_POSTGRES=1 $(PY) -m pytest -q -n 2 --dist loadfile

# The documentation site (MkDocs Material + mkdocstrings) in site/: open site/index.html, it
# works offline. make test builds it too, --strict (tests/test_docs.py).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict -q
	@echo "wrote site/index.html"

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz KUMENET_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider \
		tests/graph/test_fuzz.py tests/graph/test_numbers.py
	KUMENET_SMALL_NETWORKS=$(SMALL_NETWORKS) $(PY) -m pytest -q -p no:cacheprovider \
		tests/test_small_networks.py

bench: $(STAMP) browser
	$(PY) bench/bench_load.py
	$(PY) bench/bench_metrics.py
	$(PY) bench/bench_match.py
	$(PY) bench/bench_match_default.py
	$(PY) bench/bench_map.py
	$(PY) bench/bench_portal.py

clean:
	rm -rf $(VENV) demo-output bench/work .pytest_cache site
