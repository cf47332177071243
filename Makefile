# Một Cửa — the two commands of the README are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test install install-dev lint messages check-messages bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up everything and run the product on its embedded default (SQLite, no services).
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo --history
	EGOV_STAFF_2FA=$${EGOV_STAFF_2FA:-false} $(PY) manage.py run_embedded

## Run the whole test suite (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL).
test: $(VENV)/.installed-dev
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## Refresh the translation catalogues (English msgids; vi translated, en = msgid) and compile them.
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --add-location file -i ".venv/*" -i "var/*"
	$(PY) manage.py makemessages -d djangojs -l vi -l en --no-obsolete --add-location file -i ".venv/*" -i "var/*" -i "static/vendor/*"
	# English is the msgids themselves: nothing fuzzy, every message its own translation.
	for f in locale/en/LC_MESSAGES/*.po; do msgattrib --no-wrap --clear-fuzzy --empty -o $$f $$f && msgen --no-wrap -o $$f $$f; done
	$(PY) manage.py compilemessages -v0 -i ".venv" -i "var"

bench: $(VENV)/.installed-dev
	$(PY) -m bench

clean:
	rm -rf var/
