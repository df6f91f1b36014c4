# The course's commands. `make course` opens the course; `make test` runs every test.
# Both create the isolated environment in .venv first if it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: course test setup labs execute bench clean help

help:
	@echo "make course   set up .venv (first time only) and open the course in JupyterLab"
	@echo "make test     set up .venv (first time only) and run every test"
	@echo "make labs     rebuild labs/ from solutions/"
	@echo "make execute  re-execute notebooks/ and solutions/ and store their outputs"
	@echo "make bench    print speed measurements"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml scripts/lab-settings.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Run: make PYTHON=/path/to/python3.11 ...")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp scripts/lab-settings.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

course: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/00_course_map.ipynb

test: $(STAMP)
	$(PY) -m pytest -rs

labs: $(STAMP)
	$(PY) scripts/build_labs.py

execute: $(STAMP)
	$(PY) scripts/execute_notebooks.py

bench: $(STAMP)
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) build test-artifacts *.egg-info
