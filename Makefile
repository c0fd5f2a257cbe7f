# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard articles/locale/*/LC_MESSAGES/django.po))

.PHONY: run test messages makemessages

run: $(VENV)/.installed messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_launch_content
	$(MANAGE) create_local_admin
	@echo "Admin: http://127.0.0.1:8000/tr/admin/ (or /he/admin/, /en/admin/)"
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# Interface translations: compiled from the committed .po catalogues.
messages: $(CATALOGUES)

%.mo: %.po
	msgfmt --check -o $@ $<

# After changing interface text: refresh the catalogues, then translate the new entries.
makemessages: $(VENV)/.installed
	$(MANAGE) makemessages --locale tr --locale he --locale en --no-obsolete --add-location file
