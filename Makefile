# The two quick-start commands: `make run` and `make test`. Both set everything up
# first (a virtualenv in .venv with the project installed), so a fresh clone with
# only Python 3.11 needs nothing else.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test setup lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "CMA Pipeline needs Python 3.11, found " + sys.version.split()[0]'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) manage.py migrate_all --verbosity 0
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo
	$(PY) manage.py serve

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff; the import contracts in pyproject.toml; no module of the product over 600 lines.
lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) tools/check_sizes.py

clean:
	rm -rf $(VENV) var
