# Everyday commands of the Duret public-procurement suite (see README.md).
PYTHON ?= python3
BENCH_SIZE ?=
# DEMO_SERVE=0: build the demo database, print its summary and stop (no server left running).
DEMO_SERVE ?= 1

.PHONY: help install demo sandbox test test-odoo test-pytest lint format bench bench-smoke clean \
	clean-bootstrap stop-postgres i18n upgrade-check

help:
	@echo "make demo         set up what is missing, build the French demo database duret_demo"
	@echo "                  and serve it on :8069 (DEMO_SERVE=0: build only)"
	@echo "make test         set up what is missing, then the whole test suite (tests/run)"
	@echo "make install      Python packages of the suite and its tests into $(PYTHON)"
	@echo "make sandbox      serve the local HTTP doubles of the remote APIs on :8899"
	@echo "make lint         ruff check and format check"
	@echo "make bench        benchmarks at full size (BENCH_SIZE=N to change)"
	@echo "make upgrade-check REV=<commit>"
	@echo "                  database built at REV, then -u all with this tree: all data kept?"

install:
	$(PYTHON) -m pip install -r requirements-test.txt

demo:
	$(PYTHON) -m tests.bootstrap demo $(if $(filter 0,$(DEMO_SERVE)),--no-serve)

sandbox:
	$(PYTHON) -m tests.sandbox --port 8899

test:
	$(PYTHON) -m tests.bootstrap test

test-odoo:
	$(PYTHON) -m tests.bootstrap test --odoo-only

test-pytest:
	$(PYTHON) -m tests.bootstrap test --pytest-only

lint:
	ruff check .
	ruff format --check .

format:
	ruff format .
	ruff check --fix .

bench:
	$(PYTHON) -m tests.bench $(if $(BENCH_SIZE),--size $(BENCH_SIZE))

bench-smoke:
	$(PYTHON) -m tests.bench --smoke

clean:
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# The private PostgreSQL cluster of the bootstrap, if one runs (python3 -m tests.bootstrap setup
# leaves it running for manual use).
stop-postgres:
	$(PYTHON) -c "from tests.bootstrap.postgres import PrivateCluster; PrivateCluster().stop()"

# What the bootstrap created: Odoo clone, virtual environment, private PostgreSQL cluster.
clean-bootstrap: stop-postgres
	rm -rf .bootstrap

# I18N_DB: a database with every addon installed (e.g. kept by DURET_KEEP_DB=1 tests/run)
i18n:
	$(PYTHON) -m tests.i18n_sync --database $(I18N_DB)

# REV: the revision to upgrade from (a branch's base); builds its database, seeds it, runs -u all
# with this tree and compares the suite's data (tests/upgrade_check.py); a few minutes.
upgrade-check:
	$(PYTHON) -m tests.upgrade_check --rev $(REV)
