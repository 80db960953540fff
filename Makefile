# netmob: two commands on a fresh machine.
#   make demo   set up .venv and run the main job
#   make test   set up .venv (and Chromium for browser tests) and run the tests
#   make check  types, lint and the fast tests: the development loop (CI runs it first)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# A Python >= 3.12: on PATH, else pyenv's versions.
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[23]*/bin/python3 2>/dev/null | sort -r); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: demo test check docs-check typecheck lint bench setup browser clean baseline screenshots dictionary docs

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "netmob needs Python 3.12 or newer; none found on PATH or in pyenv" >&2; exit 2; }
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own download does not work here),
# and solara's front-end files from npm, so that `netmob app` works without a CDN.
browser: setup
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped (and fail under .ci/run)" >&2; }
	@$(PY) -m netmob.app.assets || echo "warning: netmob app will need a CDN for its page" >&2

# 50 replicates, each drawing its own parameters: enough for the spread across draws
# (2.5th to 97.5th percentile) to rest on more than one draw at each end (docs/FINDINGS.md)
demo: setup
	$(VENV)/bin/netmob compare baseline genie plans connecting_people \
	  --people 2000 --weeks 104 --replicates 50 --seed 1 --workers 2 --out results/demo

test: setup browser
	@echo "make test leaves out the full-size check of the pages' printed outputs: make docs-check"
	$(VENV)/bin/pytest -q -n 2 --dist loadfile -m "not docs"

screenshots: browser  # the README's pictures of the app and the report, into docs/img/
	NETMOB_SCREENSHOTS=1 $(VENV)/bin/pytest -q tests/test_app_browser.py tests/test_compare.py -k "browser or chromium"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy reads netmob.* from a netmob/ tree of links (the folders keep their short names here)
TYPECHECK := $(VENV)/typecheck
typecheck: setup
	@mkdir -p $(TYPECHECK)/netmob
	@for d in sim experiments analysis app cli scenarios; do ln -sfn ../../../$$d $(TYPECHECK)/netmob/$$d; done
	cd $(TYPECHECK) && ../bin/mypy --config-file ../../pyproject.toml -p netmob.sim -p netmob.experiments

# The development loop: types, lint, then the tests that need no browser, cluster or long run.
check: typecheck lint
	$(VENV)/bin/pytest -q -n 2 --dist loadfile -m "not slow and not browser and not cluster"

docs: setup  # the outputs README.md and docs/PLACE.md show, made by the commands they show
	$(PY) docs/generate.py

docs-check: setup  # every output README.md and docs/PLACE.md show, run again at its size
	$(VENV)/bin/pytest -q -m docs tests/test_docs.py

dictionary: setup  # docs/DATA.md, the data dictionary, from the code (netmob columns)
	$(VENV)/bin/netmob columns --markdown > docs/DATA.md

bench: setup
	$(PY) benchmarks/run.py

baseline: setup
	$(PY) tests/update_baseline.py

clean:
	rm -rf $(VENV) results .pytest_cache
