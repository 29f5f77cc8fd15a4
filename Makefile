# Accord: `make run` to try it, `make test` to check it. See README.md.
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# Parallel test processes (pytest-xdist); the suite is sized for a 2-core machine.
TEST_WORKERS ?= 2
# Development defaults; a production deployment sets its own environment and does not use make.
export DEBUG ?= 1

.PHONY: install run serve-prod test lint format lock messages bench schedules

install: $(VENV)/.installed

$(VENV)/.installed: requirements/dev.txt
	@test -x $(BIN)/python || { py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

run: install
	$(BIN)/python manage.py compile_catalogs
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py setup_schedules
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	PORT=$(PORT) $(BIN)/python scripts/run.py

# The production shape on this machine: gunicorn (2 workers) and two django-q2 clusters on
# DATABASE_URL and REDIS_URL, DEBUG off (docs/deploy.md). Ctrl-C stops everything.
serve-prod: install
	DEBUG=0 $(BIN)/python scripts/serve_prod.py

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@echo "bandit: medium and high findings (reviewed ones are marked nosec, see docs/security.md)"
	@bash -o pipefail -c '$(BIN)/bandit --quiet --severity-level medium -c pyproject.toml -r . 2>&1 | { grep -v "nosec encountered" || true; }'
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@echo "bandit: medium and high findings (reviewed ones are marked nosec, see docs/security.md)"
	@bash -o pipefail -c '$(BIN)/bandit --quiet --severity-level medium -c pyproject.toml -r . 2>&1 | { grep -v "nosec encountered" || true; }'

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin dependencies after editing pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe pyproject.toml -o requirements/base.txt
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev pyproject.toml -o requirements/dev.txt

# Extract translatable strings for Accord's languages (needs GNU gettext), then compile them.
messages: install
	mkdir -p locale
	$(BIN)/python manage.py makemessages -l th -l zh_Hans -l ru -l ar --ignore=.venv --ignore=static/vendor --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compile_catalogs

bench: install
	$(BIN)/python manage.py bench $(BENCH_ARGS)
