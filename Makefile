# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not slow"'.
PYTEST_ARGS ?=
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard */locale/*/LC_MESSAGES/django.po))

.PHONY: run test serve messages makemessages

run: $(VENV)/.installed messages
	$(MANAGE) migrate --no-input
	$(MANAGE) render_articles
	$(MANAGE) build_memory
	$(MANAGE) load_launch_content
	$(MANAGE) create_local_admin
	@echo "Admin: http://127.0.0.1:$(PORT)/tr/admin/ (or /he/admin/, /en/admin/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev messages node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

# Production settings on this machine: DEBUG off, gunicorn, WhiteNoise. Plain
# http on 127.0.0.1, so no HTTPS redirect or secure-only cookies here; behind a
# TLS proxy leave both at their defaults. The secret key is made once, kept in
# .secret-key, unless DJANGO_SECRET_KEY is set.
serve: $(VENV)/.installed messages
	@test -n "$$DJANGO_SECRET_KEY" -o -s .secret-key || \
		$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret-key
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}" \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
		DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" && \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py render_articles && \
	$(BIN)/python manage.py build_memory && \
	$(BIN)/python manage.py collectstatic --no-input -v 0 && \
	$(BIN)/python manage.py load_launch_content && \
	$(BIN)/python manage.py create_local_admin && \
	exec $(BIN)/gunicorn cxcs.wsgi --bind 127.0.0.1:$(PORT) --workers $${GUNICORN_WORKERS:-2}

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# The W3C HTML checker (vnu-jar, run with the machine's Java) for the HTML
# validity test. --ignore-scripts: its install script would download a Java runtime.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# Interface translations: compiled from the committed .po catalogues.
messages: $(CATALOGUES)

%.mo: %.po
	msgfmt --check -o $@ $<

# After changing interface text: refresh the catalogues, then translate the new entries.
makemessages: $(VENV)/.installed
	$(MANAGE) makemessages --locale tr --locale he --locale en --no-obsolete --add-location file
