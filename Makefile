# The README's two commands live here: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
PIP := $(BIN)/pip install --disable-pip-version-check -q

.PHONY: run test test-sqlite test-postgres lint format bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(DEV): requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	touch $(RUNTIME) $@

## run: migrate the embedded SQLite database, load the demo parks, start web + scheduler
run: $(RUNTIME)
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi demo
	$(BIN)/flask --app wsgi documents fonts
	$(BIN)/flask --app wsgi serve

## browser: Debian's chromium (and a CJK font for legible screenshots) for the console's browser tests, when missing;
## in CI a failed install fails the build (the browser tests never skip there)
CHROMIUM := /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		echo "installing Debian chromium and fonts-wqy-microhei for the browser tests"; \
		(apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei) || \
		if [ -n "$$CI" ]; then echo "chromium is required in CI" >&2; exit 1; \
		else echo "chromium could not be installed: the browser tests will be skipped" >&2; fi; \
	fi

## test: the whole suite on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set
test: $(DEV) browser
	$(BIN)/pytest --db sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL run =="; \
		$(BIN)/pytest --db postgres; \
	else \
		echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: side-by-side benchmarks (ratios printed; not part of the test suite)
bench: $(DEV) browser
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || \
		(apt-get update -q && apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei)
	$(BIN)/python bench/api.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/field_app.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
