# Python Concurrency Lab: thin wrappers. Each target creates .venv and installs the course first
# if needed; the install reruns only when pyproject.toml is newer than the last one.
#
#   make lab       open the course in JupyterLab (PORT=8888 IP=0.0.0.0 LAB_ARGS=... optional)
#   make test      run every test (PYTEST_ARGS="-k fixture" to pick some)
#   make check     the quick tier: lint, then every test that runs no nbgrader pipeline and no
#                  browser (a few minutes; run it after each change)
#   make release   regenerate release/ from source/ with nbgrader generate_assignment
#   make grade     autograde everything under submitted/ and list what could not be graded
#                  (NBGRADER_ARGS=--force to regrade)
#   make freethreaded  build a free-threaded CPython 3.13 kernel (docs/free-threaded.md)
#   make screenshots   render the README's pictures from real runs into docs/images/
#   make flake     grade the solutions 30 times and run the race probes 10,000 times under load
#                  (about an hour; FLAKE_ARGS="--runs 5 --probe-runs 500" for a quick look)

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed
LAB_READY := $(VENV)/.lab-extensions
CHROMIUM := /usr/bin/chromium
# JupyterHub's proxy, for the hub round-trip test (tests/deploy/): from npm, into the venv.
PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy
# Two pytest workers: grading waits on kernels and sleeps as much as it computes.
TEST_WORKERS ?= 2

# nbgrader runs the `alembic` command when it creates the gradebook: the venv comes first on PATH.
export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Assignments: folders of source/ holding a notebook. Submissions: submitted/<student>/<a>/.
ASSIGNMENTS = $(sort $(patsubst source/%/,%,$(dir $(wildcard source/*/*.ipynb))))
SUBMITTED = $(sort $(notdir $(patsubst %/,%,$(wildcard submitted/*/*/))))
AS_ROOT := $(filter 0,$(shell id -u))

.PHONY: lab test check release grade install freethreaded screenshots flake

install: $(INSTALLED)

# Debian's python3 makes venvs only with python3-venv installed: as root, install it and retry.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { test -n "$(AS_ROOT)" && rm -rf $(VENV) \
	    && DEBIAN_FRONTEND=noninteractive apt-get update -q \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv \
	    && $(PYTHON) -m venv $(VENV); }

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --no-input --quiet -e '.[test]'
	@touch $@

# The pip install enables nbgrader's server and lab extensions; make sure nothing disabled them.
$(LAB_READY): $(INSTALLED)
	jupyter server extension enable --sys-prefix nbgrader.server_extensions.formgrader \
	    nbgrader.server_extensions.validate_assignment nbgrader.server_extensions.assignment_list \
	    nbgrader.server_extensions.course_list
	jupyter labextension enable --level=sys_prefix @jupyter/nbgrader
	@touch $@

# On one machine the exchange (Assignments tab, nbgrader release/fetch/submit) is exchange/ here;
# on a hub it is the shared folder NBGRADER_EXCHANGE names (docs/instructor-guide.md).
lab: export NBGRADER_EXCHANGE ?= $(CURDIR)/exchange
lab: $(LAB_READY)
	@mkdir -p "$$NBGRADER_EXCHANGE"
	jupyter lab --ServerApp.root_dir='$(CURDIR)' $(if $(AS_ROOT),--allow-root) \
	    $(if $(PORT),--port=$(PORT)) $(if $(IP),--ip=$(IP)) $(LAB_ARGS)

# The free-threaded kernel is built once (about 4 minutes) and reused: the lessons are graded on it too.
$(PROXY):
	npm install --prefix $(VENV)/node --no-audit --no-fund --loglevel=error configurable-http-proxy@5

test: $(INSTALLED) freethreaded $(PROXY)
	@if [ ! -x $(CHROMIUM) ]; then \
	    if [ -n "$(AS_ROOT)" ]; then \
	        export DEBIAN_FRONTEND=noninteractive; \
	        apt-get update -q && apt-get install -y -q chromium; \
	    else \
	        echo "note: $(CHROMIUM) is missing, so the browser tests will fail;" \
	             "install Debian's chromium (or run make test as root)"; \
	    fi; \
	fi
	$(BIN)/python -m pytest -p no:cacheprovider --durations=10 -n $(TEST_WORKERS) --dist loadgroup tests/ $(PYTEST_ARGS)

check: $(INSTALLED)
	$(BIN)/python -m ruff check course grading tests benchmarks scripts nbgrader_config.py
	$(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS) -m "not pipeline and not browser" \
	    tests/ $(PYTEST_ARGS)

release: $(INSTALLED)
	@test -n "$(ASSIGNMENTS)" || echo "source/ holds no assignment yet"
	@set -e; for a in $(ASSIGNMENTS); do \
	    echo "generate_assignment $$a"; \
	    nbgrader generate_assignment "$$a" --force --log-level=WARN; \
	done
	@# release/ holds generated folders only: drop those whose source assignment is gone.
	@for d in release/*/; do \
	    [ -d "$$d" ] || continue; \
	    case " $(ASSIGNMENTS) " in *" $$(basename "$$d") "*) ;; *) echo "remove $$d"; rm -rf "$$d";; esac; \
	done

# autograde needs the assignments in the gradebook, which generate_assignment puts there.
gradebook.db: | $(INSTALLED)
	$(MAKE) --no-print-directory release

# `python -m grading` runs nbgrader autograde per assignment, then lists every notebook it could
# not grade, and why, and exits non-zero for them: never a silent 0.
grade: $(INSTALLED) | gradebook.db
	$(BIN)/python -m grading $(NBGRADER_ARGS)

freethreaded: $(INSTALLED)
	bash scripts/freethreaded.sh '$(CURDIR)'

# Render the README's pictures from real runs (on a quiet machine; SCREENSHOT_ARGS=--no-lab skips
# the JupyterLab picture, which needs Chromium).
screenshots: $(INSTALLED)
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)

# Print how often grading gives a wrong answer while both cores are kept busy (not a test: figures).
flake: $(INSTALLED)
	$(BIN)/python benchmarks/flake_check.py $(FLAKE_ARGS)
