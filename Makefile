# Everything runs from the course root (this folder). A fresh Linux machine needs Python 3.11, 3.12 or
# 3.13 and make (docs/install.md).
# PYTHON: the interpreter that makes .venv; by default the first of python3, python3.13, python3.12 and
# python3.11 that is a supported version (PYTHON=/path/to/python make setup picks another).
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
  $$p -c '$(SUPPORTED)' >/dev/null 2>&1 && { command -v $$p; exit; }; done; echo python3)
endif
VENV ?= .venv
BIN := $(VENV)/bin
GRADER_STAMP := $(VENV)/.grader-installed
STAMP := $(VENV)/.installed
NO_PYTHON := Python 3.11, 3.12 or 3.13 is needed: install one (e.g. apt install python3.12-venv, or pyenv) \
  and run make setup again, or PYTHON=/path/to/python make setup
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# What grading needs from the system: bubblewrap, which sandboxes every student kernel (Debian or Fedora).
GRADING_PACKAGES := bubblewrap
# What only the tests need (Debian packages, each installed when its program is missing): chromium and
# chromium-driver open the offline book and the feedback pages and drive JupyterHub (test-hub);
# postgresql is the database server of the gradebook-on-PostgreSQL tests (tests/test_scale.py); npm
# installs the hub's proxy, configurable-http-proxy (test-hub, below).
TEST_PACKAGES := chromium chromium-driver postgresql nodejs npm

.PHONY: bubblewrap system grader setup demo release test book times bench-sandbox bench-grade bench-cluster \
	bench-scale clean test-hub lock

## what grading needs from the system, bubblewrap (checked every time: a venv can outlive a machine)
bubblewrap:
	@command -v bwrap >/dev/null || { \
	  echo "installing $(GRADING_PACKAGES), the grading sandbox"; \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(GRADING_PACKAGES) >/dev/null; \
	  elif command -v dnf >/dev/null; then $(SUDO) dnf install -y -q $(GRADING_PACKAGES); \
	  else echo "install bubblewrap (bwrap) with your package manager and run make again"; exit 1; fi; }

## what the tests need too: bubblewrap, chromium, chromium-driver, postgresql, npm (checked every time)
system: bubblewrap
	@missing=$$(echo $$(command -v chromium >/dev/null || echo chromium) \
	  $$(command -v chromedriver >/dev/null || echo chromium-driver) \
	  $$(ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo postgresql) \
	  $$(command -v npm >/dev/null || echo nodejs npm)); \
	[ -z "$$missing" ] || { \
	  echo "installing the Debian packages the tests need: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; }

# every package at the version the tests ran on, on every supported Python: deploy/grader-constraints.txt
# (make lock writes it; tests/test_pythons.py installs it on 3.12 and 3.13 and grades the sample class)
LOCK := deploy/grader-constraints.txt
PIP := $(BIN)/python -m pip install --quiet -c $(LOCK)
# the venv (kept if it works: `rm -rf $(VENV)` to make it again with another Python), pip, the learner
# package, the grader and nbgrader: what `course` needs to release and grade, nothing for the tests
$(GRADER_STAMP): pyproject.toml learner/pyproject.toml $(LOCK)
	@if $(BIN)/python -m pip --version >/dev/null 2>&1; then \
	  version=$$($(BIN)/python -c 'import platform; print(platform.python_version())'); \
	  $(BIN)/python -c '$(SUPPORTED)' || { \
	    echo "$(VENV) is Python $$version, which the grader does not run on: rm -rf $(VENV) and run make setup again"; exit 1; }; \
	  echo "$(VENV): Python $$version, kept (rm -rf $(VENV) to make it again with another Python)"; \
	else \
	  $(PYTHON) -c '$(SUPPORTED)' 2>/dev/null || { \
	    version=$$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null) \
	      && echo "$(PYTHON) is Python $$version."; \
	    echo "$(NO_PYTHON)"; exit 1; }; \
	  echo "$(VENV): Python $$($(PYTHON) -c 'import platform; print(platform.python_version())') ($(PYTHON))"; \
	  $(PYTHON) -m venv $(VENV) || { \
	    echo "$(PYTHON) cannot make a virtual environment: on Debian or Ubuntu, apt install python3-venv (python3.X-venv for python3.X) and run make setup again"; \
	    exit 1; }; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PIP) -e ./learner
	$(PIP) -e .
	touch $@
# and the tools of the tests, the book and the cluster (extras of pyproject.toml)
$(STAMP): $(GRADER_STAMP) pyproject.toml $(LOCK)
	$(PIP) -e '.[test,book,cluster]'
	touch $@

## install the learner package (learner/) and the grader (this folder) with nbgrader into .venv, and bubblewrap
grader: bubblewrap $(GRADER_STAMP)

## the same and the test tools: the grader's extras test, book and cluster
setup: bubblewrap $(STAMP)

## release the course, grade the built-in sample class, print the score table (installs only what grading needs)
demo: grader
	$(BIN)/course demo

## regenerate release/ from source/ (commit the result)
release: setup
	$(BIN)/course release

## the whole test suite, 2 workers; then the course on a real JupyterHub (test-hub, below)
test: setup system
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q
	$(MAKE) --no-print-directory test-hub

## the offline book: every notebook of the course as HTML in build/book/ (solutions collapsed), opened in your browser
book: setup
	$(BIN)/course book --open

## how long each notebook takes to execute end to end
times: setup
	$(BIN)/python benchmarks/notebook_times.py

## what the kernel sandbox costs per submission (sandbox on vs off, same run)
bench-sandbox: setup
	$(BIN)/python benchmarks/sandbox_overhead.py

## course grade vs stock nbgrader autograde on a 200-submission class: throughput, memory, same grades?
bench-grade: setup
	$(BIN)/python benchmarks/grade_class.py 200

## growth: course grade, export and report on classes of 200, 1,000 and 2,000 submissions (~15 min on 2 cores)
bench-scale: setup
	$(BIN)/python benchmarks/grade_scale.py

## course grade through Dask (a local scheduler and workers) and on PostgreSQL, against local cores and SQLite
bench-cluster: setup
	$(BIN)/python benchmarks/cluster_overhead.py 100

## write deploy/grader-constraints.txt from .venv (after changing a pin in pyproject.toml and `make setup`);
## LOCK_ALSO="build/pythons/v313/bin/python …" joins the environments of other Pythons (deploy/lock.py)
lock: $(VENV)/.hub-installed
	$(BIN)/python deploy/lock.py $(foreach p,$(LOCK_ALSO),--also $(p))

## remove grading output (submissions, gradebook, reference cache)
clean:
	rm -rf submitted autograded feedback gradebook.db .grading-cache grading-status grades.csv

## the course on a real JupyterHub, end to end in headless Chromium (tests/hub/, docs/hub.md)
HUB_PROXY := build/hub-proxy/node_modules/.bin/configurable-http-proxy
HUB_STUDENT_ENV := build/hub-student-env
$(VENV)/.hub-installed: $(STAMP) pyproject.toml $(LOCK)
	$(PIP) -e '.[hub]'
	touch $@
$(HUB_PROXY): deploy/proxy/package.json deploy/proxy/package-lock.json
	mkdir -p build/hub-proxy && cp deploy/proxy/package.json deploy/proxy/package-lock.json build/hub-proxy/
	cd build/hub-proxy && npm ci --no-audit --no-fund --silent
	touch $@
$(HUB_STUDENT_ENV)/.installed: deploy/student-requirements.txt $(VENV)/.hub-installed
	PYTHON=$(PYTHON) deploy/student-env.sh $(HUB_STUDENT_ENV) "$$($(BIN)/python -c 'from course.bundle import learner_wheel; print(learner_wheel("."))')"
	touch $@
test-hub: setup system $(VENV)/.hub-installed $(HUB_PROXY) $(HUB_STUDENT_ENV)/.installed
	$(HUB_STUDENT_ENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall \
	  "$$($(BIN)/python -c 'from course.bundle import learner_wheel; print(learner_wheel("."))')"
	COURSE_TEST_HUB=1 $(BIN)/python -m pytest tests/hub -q -p no:xdist -p no:cacheprovider
