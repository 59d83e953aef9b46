# Everyday commands of the Duret public-procurement suite (see README.md).
PYTHON ?= python3
BENCH_SIZE ?=

.PHONY: help install demo sandbox test test-odoo test-pytest lint format bench bench-smoke clean

help:
	@echo "make install      Python packages of the suite and its tests (Odoo 17 itself: see README)"
	@echo "make demo         build the French demo database duret_demo and serve it on :8069"
	@echo "make sandbox      serve the local HTTP doubles of the remote APIs on :8899"
	@echo "make test         the whole test suite (Odoo tests, tours, pytest)"
	@echo "make lint         ruff check and format check"
	@echo "make bench        benchmarks at full size (BENCH_SIZE=N to change)"

install:
	$(PYTHON) -m pip install -r requirements-test.txt

demo:
	$(PYTHON) -m tests.demo

sandbox:
	$(PYTHON) -m tests.sandbox --port 8899

test:
	tests/run

test-odoo:
	tests/run --odoo-only

test-pytest:
	tests/run --pytest-only

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
