# Python Concurrency Lab: thin wrappers. Each target creates .venv and installs the course first
# if needed; the install reruns only when pyproject.toml is newer than the last one.
#
#   make lab       open the course in JupyterLab (PORT=8888 IP=0.0.0.0 LAB_ARGS=... optional)
#   make test      run every test (PYTEST_ARGS="-k fixture" to pick some)
#   make check     the quick tier: lint, then every test that runs no nbgrader pipeline and no
#                  browser (a few minutes; run it after each change)
#   make release   regenerate release/ from source/ with nbgrader generate_assignment
#   make grade     autograde everything under submitted/ in WORKERS processes (default: usable
#                  cores + 1), each kernel in a bubblewrap sandbox, and list what could not be
#                  graded (GRADE_ARGS="--force" to regrade, GRADE_ARGS="--shard 0/4" for a slice;
#                  docs/grading-at-scale.md)
#   make student   the student bundle: release notebooks, course/, a student README and Binder
#                  files, no answers (dist/student/python-concurrency-lab/ and its .zip)
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
BWRAP := /usr/bin/bwrap
# JupyterHub's proxy, for the hub round-trip test (tests/deploy/): from npm, into the venv.
PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy
# Three pytest workers on 2 cores: grading waits on kernels and sleeps as much as it computes
# (measured: two workers kept 1.2 of 2 cores busy).
TEST_WORKERS ?= 3

# nbgrader runs the `alembic` command when it creates the gradebook: the venv comes first on PATH.
export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Assignments: folders of source/ holding a notebook. Submissions: submitted/<student>/<a>/.
ASSIGNMENTS = $(sort $(patsubst source/%/,%,$(dir $(wildcard source/*/*.ipynb))))
SUBMITTED = $(sort $(notdir $(patsubst %/,%,$(wildcard submitted/*/*/))))
AS_ROOT := $(filter 0,$(shell id -u))

.PHONY: lab test check release grade install freethreaded screenshots flake student sandbox

install: $(INSTALLED)

# Debian's python3 makes venvs only with python3-venv installed: as root, install it and retry.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { test -n "$(AS_ROOT)" && rm -rf $(VENV) \
	    && DEBIAN_FRONTEND=noninteractive apt-get update -q \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv \
	    && $(PYTHON) -m venv $(VENV); }

# Validate runs off the server's event loop (grading/validate_server.py) in place of nbgrader's
# handler. Its server config is pyproject's data-files, which an editable install skips: copy it.
SERVER_CONFIG := jupyter-config/jupyter_server_config.d/python-concurrency-lab.json
$(INSTALLED): pyproject.toml $(SERVER_CONFIG) | $(BIN)/python
	$(BIN)/python -m pip install --no-input --quiet -e '.[test]'
	install -D -m 644 $(SERVER_CONFIG) $(VENV)/etc/jupyter/jupyter_server_config.d/$(notdir $(SERVER_CONFIG))
	@touch $@

# The pip install enables nbgrader's server and lab extensions; make sure nothing disabled them.
# Validate's endpoint is this course's (see above), so nbgrader's own stays off.
$(LAB_READY): $(INSTALLED)
	jupyter server extension enable --sys-prefix nbgrader.server_extensions.formgrader \
	    nbgrader.server_extensions.assignment_list nbgrader.server_extensions.course_list \
	    grading.validate_server
	jupyter server extension disable --sys-prefix nbgrader.server_extensions.validate_assignment
	jupyter labextension enable --level=sys_prefix @jupyter/nbgrader
	@touch $@

# On one machine the exchange (Assignments tab, nbgrader release/fetch/submit) is exchange/ here;
# on a hub it is the shared folder NBGRADER_EXCHANGE names (docs/instructor-guide.md).
lab: export NBGRADER_EXCHANGE ?= $(CURDIR)/exchange
lab: $(LAB_READY)
	@mkdir -p "$$NBGRADER_EXCHANGE"
	jupyter lab --ServerApp.root_dir='$(CURDIR)' $(if $(AS_ROOT),--allow-root) \
	    $(if $(PORT),--port=$(PORT)) $(if $(IP),--ip=$(IP)) $(LAB_ARGS)

# Grading kernels run in bubblewrap (grading/sandbox.py). As root, install Debian's bubblewrap if
# it is missing; otherwise say what grading will lack (it still grades, unsandboxed, loudly).
sandbox:
	@if [ ! -x $(BWRAP) ]; then \
	    if [ -n "$(AS_ROOT)" ]; then \
	        export DEBIAN_FRONTEND=noninteractive; \
	        apt-get update -q && apt-get install -y -q bubblewrap; \
	    else \
	        echo "note: $(BWRAP) is missing, so grading kernels run unsandboxed (a submission" \
	             "could read source/ and the gradebook); install Debian's bubblewrap"; \
	    fi; \
	fi

# The free-threaded kernel is built once (about 4 minutes) and reused: the lessons are graded on it too.
$(PROXY):
	npm install --prefix $(VENV)/node --no-audit --no-fund --loglevel=error configurable-http-proxy@5

# Debian packages the tests drive: Chromium (browser tests), Slurm and munge (the job-array test),
# PostgreSQL (the gradebook-server test), bubblewrap (the grading sandbox). As root they are
# installed when missing.
test: $(INSTALLED) freethreaded $(PROXY)
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	[ -x $(BWRAP) ] || missing="$$missing bubblewrap"; \
	[ -x /usr/sbin/slurmctld ] || missing="$$missing slurm-wlm"; \
	[ -x /usr/sbin/munged ] || missing="$$missing munge"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	    if [ -n "$(AS_ROOT)" ]; then \
	        export DEBIAN_FRONTEND=noninteractive; \
	        apt-get update -q && apt-get install -y -q $$missing; \
	    else \
	        echo "note: Debian packages missing:$$missing; the tests that need them fail" \
	             "(chromium) or skip (Slurm, PostgreSQL, bubblewrap): run make test as root to install them"; \
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

# `python -m grading` grades each submission with nbgrader's own autograde, in WORKERS worker
# processes (grading waits on kernels as much as it computes: default usable cores + 1), skips
# what is already graded, then lists every notebook it could not grade, and why, and exits
# non-zero for them: never a silent 0. NBGRADER_ARGS (e.g. --force) is still passed on.
grade: $(INSTALLED) sandbox | gradebook.db
	$(BIN)/python -m grading grade $(if $(WORKERS),--workers $(WORKERS)) $(GRADE_ARGS) $(NBGRADER_ARGS)

# What students get instead of this repository, which holds every answer (scripts/student_bundle.py).
student: $(INSTALLED)
	$(BIN)/python scripts/student_bundle.py --dest dist/student

freethreaded: $(INSTALLED)
	bash scripts/freethreaded.sh '$(CURDIR)'

# Render the README's pictures from real runs (on a quiet machine; SCREENSHOT_ARGS=--no-lab skips
# the JupyterLab picture, which needs Chromium).
screenshots: $(INSTALLED)
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)

# Print how often grading gives a wrong answer while both cores are kept busy (not a test: figures).
flake: $(INSTALLED)
	$(BIN)/python benchmarks/flake_check.py $(FLAKE_ARGS)
