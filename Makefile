# The front door: `make demo` runs the product with demo data, `make test` runs the suite.
# Both set up everything they need on a fresh clone (Python 3.11, make and npm).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo test schema bench bench-dashboard bench-progress lint format migrate seed worker mailer beat clean

install: $(BIN)/.synced node_modules/.installed var/.made

# The embedded default keeps its SQLite file, static root and Celery queue here.
var/.made:
	mkdir -p var/static var/media var/celery/queue var/celery/processed var/celery/control
	@touch $@

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

demo: seed
	HOST=$(HOST) PORT=$(PORT) scripts/demo.sh

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The HR API's OpenAPI schema as committed, for integrators and for the drift test in
# `make test`: run after changing an endpoint, a serializer or api/schema.py.
schema: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file api/openapi.yaml

# Every page of every role, the busiest under load and the jobs, on the database as it is:
# gunicorn on loopback in production mode (nothing is left changed).
bench: migrate
	$(BIN)/python manage.py bench $(BENCH_ARGS)

# Times the sponsor pages on years of synthetic data (rolled back afterwards).
bench-dashboard: migrate
	$(BIN)/python manage.py bench_dashboard $(BENCH_ARGS)

# Times the progress sweep over 10,000 synthetic enrolments (rolled back afterwards).
bench-progress: migrate
	$(BIN)/python manage.py bench_progress $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	# djlint exits 1 when it changed a file, which is what formatting is for.
	-$(BIN)/djlint templates --reformat --quiet

# Two kinds of worker, so a hung mail server never holds up reminders: `worker` runs the
# jobs, `mailer` sends email. Queue names carry CELERY_QUEUE_PREFIX, as the settings do.
Q := $(CELERY_QUEUE_PREFIX)
JOB_QUEUES := $(Q)default,$(Q)reminders,$(Q)progress,$(Q)rollups

worker: install
	$(BIN)/celery -A talentdev worker -n jobs@%h -Q $(JOB_QUEUES) --loglevel=info

mailer: install
	$(BIN)/celery -A talentdev worker -n mail@%h -Q $(Q)email --loglevel=info

beat: install
	$(BIN)/celery -A talentdev beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
