# Everything runs from the course root (this folder). Python 3.11 and make are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: bubblewrap sandboxes every student kernel; chromium (+ its driver) tests the offline book;
# postgresql is the database server of the gradebook-on-PostgreSQL tests (tests/test_scale.py).
SYSTEM_PACKAGES := bubblewrap chromium chromium-driver postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: system setup demo release test book times bench-sandbox bench-grade bench-cluster bench-scale clean test-hub lock

## the Debian packages (checked every time: a venv can outlive a machine)
system:
	@command -v bwrap >/dev/null && command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	  && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian packages: $(SYSTEM_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

# every package at the version the tests ran on: deploy/grader-constraints.txt (make lock writes it)
LOCK := deploy/grader-constraints.txt
$(STAMP): pyproject.toml learner/pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e ./learner
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test,book,cluster]'
	touch $(STAMP)

## install the learner package (learner/), the grader (this folder), nbgrader and the test tools into .venv
setup: system $(STAMP)

## release the course, grade the built-in sample class, print the score table
demo: setup
	$(BIN)/course demo

## regenerate release/ from source/ (commit the result)
release: setup
	$(BIN)/course release

## the whole test suite, 2 workers; then the course on a real JupyterHub (test-hub, below)
test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q
	$(MAKE) --no-print-directory test-hub

## the offline book: the four notebooks as HTML in build/book/ (solutions collapsed), opened in your browser
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

## write deploy/grader-constraints.txt from .venv (after changing a pin in pyproject.toml and `make setup`)
lock: $(VENV)/.hub-installed
	$(BIN)/python deploy/lock.py

## remove grading output (submissions, gradebook, reference cache)
clean:
	rm -rf submitted autograded feedback gradebook.db .grading-cache grading-status grades.csv

## the course on a real JupyterHub, end to end in headless Chromium (tests/hub/, docs/hub.md)
HUB_PROXY := build/hub-proxy/node_modules/.bin/configurable-http-proxy
HUB_STUDENT_ENV := build/hub-student-env
$(VENV)/.hub-installed: $(STAMP) pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[hub]'
	touch $@
$(HUB_PROXY): deploy/proxy/package.json deploy/proxy/package-lock.json
	mkdir -p build/hub-proxy && cp deploy/proxy/package.json deploy/proxy/package-lock.json build/hub-proxy/
	cd build/hub-proxy && npm ci --no-audit --no-fund --silent
	touch $@
$(HUB_STUDENT_ENV)/.installed: deploy/student-requirements.txt $(VENV)/.hub-installed
	PYTHON=$(PYTHON) deploy/student-env.sh $(HUB_STUDENT_ENV) "$$($(BIN)/python -c 'from course.bundle import learner_wheel; print(learner_wheel("."))')"
	touch $@
test-hub: setup $(VENV)/.hub-installed $(HUB_PROXY) $(HUB_STUDENT_ENV)/.installed
	$(HUB_STUDENT_ENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall \
	  "$$($(BIN)/python -c 'from course.bundle import learner_wheel; print(learner_wheel("."))')"
	COURSE_TEST_HUB=1 $(BIN)/python -m pytest tests/hub -q -p no:xdist -p no:cacheprovider
