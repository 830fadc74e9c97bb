# Two commands: `make run` serves the site on SQLite, `make test` runs the checks and the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Development defaults; production sets DJANGO_DEBUG=0 with a real secret key (see README).
export DJANGO_DEBUG ?= 1

.PHONY: run test test-pass test-fast install install-dev lock upgrade check-lock migrate seed lint format messages \
	browser-deps clean

# Installs come from uv.lock through uv (pinned here, installed from PyPI into .uv/, beside .venv).
# uv uses the machine's $(PYTHON) and never downloads an interpreter of its own.
UV_VERSION := 0.13.9
UV := .uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# --locked: stop, rather than install something else, when uv.lock no longer matches pyproject.toml.
# sync makes .venv exactly the lock: a package that left the lock leaves .venv too.
SYNC := $(UV) sync --locked --python $(PYTHON)

UV_STAMP := .uv/.version-$(UV_VERSION)

$(UV_STAMP):
	rm -rf .uv
	$(PYTHON) -m pip install --quiet --target .uv "uv==$(UV_VERSION)"
	touch $@

# A venv that already has the dev tools keeps them (sync would otherwise remove them).
$(VENV)/.installed: pyproject.toml uv.lock | $(UV_STAMP)
	$(SYNC) $(if $(wildcard $(VENV)/.installed-dev),--extra dev)
	touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock | $(UV_STAMP)
	$(SYNC) --extra dev
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# After editing pyproject.toml: records the new requirements in uv.lock, keeping every other pin.
lock: $(UV_STAMP)
	$(UV) lock --python $(PYTHON)

# Moves every pin to the newest release that pyproject.toml allows.
upgrade: $(UV_STAMP)
	$(UV) lock --upgrade --python $(PYTHON)

# CI: fails when pyproject.toml changed without `make lock`.
check-lock: $(UV_STAMP)
	$(UV) lock --check --python $(PYTHON)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Fixtures carry fixed primary keys: loading them again updates the same rows. loaddata writes
# no history: record_history gives the rows it wrote their point (so a first edit can be undone).
seed: migrate
	$(BIN)/python manage.py loaddata seminars participants
	$(BIN)/python manage.py record_history

run: seed
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The hooks of .pre-commit-config.yaml (ruff, django-upgrade, djangofmt, whitespace) on every file.
lint: install-dev
	$(BIN)/pre-commit run --all-files

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# PYTEST_ARGS passes options on: `make test PYTEST_ARGS="-x tests/seminars"`.
PYTEST_ARGS ?=
test: check-lock install-dev lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# One CI pass (tests/passes.py: PASS=sqlite or PASS=postgresql with DATABASE_URL), without the
# lint and lock checks that `make test` runs once. .ci/run runs both.
PASS ?= sqlite
test-pass: install-dev
	$(BIN)/python -m pytest --ci-pass $(PASS) $(PYTEST_ARGS)

# The inner loop (under 3 minutes on 2 cores): no browser, PDF, fault, PostgreSQL-only or slow
# tests (tests/passes.py SLOW_MODULES), no lint, on SQLite, spread over the cores by pytest-xdist
# (a module's tests stay in one worker, each worker has its own folders: tests/conftest.py).
test-fast: install-dev
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest -q -n auto --dist loadfile \
		-m "not browser and not pdf and not fault and not postgresql and not slow" $(PYTEST_ARGS)

# Needs GNU gettext; the compiled .mo files are committed so nobody else does.
# makemessages files each string in the nearest locale/: an app's own (seminars/locale, …) for
# its code and templates, the project's locale/ for templates/ and config/. The .po files are the
# one source of translations: edit them directly (or in Poedit/Weblate), then `make messages`
# compiles them; tests/test_catalogs.py fails while any message lacks either language.
messages: install-dev
	$(BIN)/python manage.py makemessages -l ja -l zh_Hans --no-obsolete --no-wrap \
		-i .venv -i var -i tests -i bench -i scripts -i static
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Debian's Chromium for the Playwright browser tests (root, as on CI), and CJK fonts so pages
# and screenshots show Japanese and Chinese text rather than empty boxes.
browser-deps:
	{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q .; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

clean:
	rm -rf $(VENV) .uv var .pytest_cache .ruff_cache

# --- operations (scripts/ holds the details) ---
.PHONY: backup restore audit clear-pages
# Consistent copy: pg_dump on PostgreSQL, SQLite's online backup otherwise. BACKUP=path to choose the file.
# A restore clears the public page cache (same DATABASE_URL and REDIS_URL as the site).
backup: install
	$(BIN)/python scripts/backup.py backup $(BACKUP)

restore: install
	$(BIN)/python scripts/backup.py restore $(BACKUP)

# Empty the public page cache (files in var/cache/pages, or Redis with REDIS_URL).
clear-pages: install
	$(BIN)/python manage.py clear_pages

# Known advisories in the installed dependencies.
audit: install-dev
	$(BIN)/pip-audit --skip-editable

# Benchmarks on a generated dataset in their own database; results in bench/results/.
bench: install-dev
	$(BIN)/python bench/run.py

# PDFs (seminars/takeaway/pdf.py): WeasyPrint's Pango, Debian's Noto CJK fonts (Japanese and
# Simplified Chinese glyph forms, embedded as subsets), and poppler-utils (pdffonts, pdftotext,
# pdftoppm) for the tests. `make run` works without them: the PDF links then say what is missing.
.PHONY: pdf-deps
pdf-deps:
	{ command -v pdftoppm >/dev/null && fc-list :lang=zh | grep -q "Noto Sans CJK" && \
		ldconfig -p | grep -q libpangoft2-1.0; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
		libharfbuzz-subset0 fonts-noto-cjk poppler-utils; }

# The HTML validators of tests/test_validators.py: the Nu Html Checker (vnu.jar, npm package
# vnu-jar) on Debian's Java, and html-validate on Node, both pinned in package-lock.json and
# installed into var/node. --ignore-scripts: vnu-jar's install script would download a Java
# runtime of its own. Java and Node come from Debian when missing (root, as on CI).
.PHONY: validator-deps
validator-deps:
	command -v java >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	command -v npm >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	$(MAKE) --no-print-directory var/node/.installed

var/node/.installed: package.json package-lock.json
	mkdir -p var/node
	cp package.json package-lock.json var/node/
	cd var/node && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@
