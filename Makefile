# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(or $(BUDGET_QA_DATA_DIR),./data)

.PHONY: install run check test eval bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11 ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@if [ -z "$$(ls -A $(DATA_DIR) 2>/dev/null)" ]; then \
		$(BIN)/budget-qa ingest eval/corpus --data-dir $(DATA_DIR); \
	fi
	$(BIN)/budget-qa serve --data-dir $(DATA_DIR)

# Static gates first: lint (with import order) and types; then the tests.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# One test process per core (files kept whole on one worker, so module fixtures are built once): the suite
# is mostly CPU-bound parsing and a serial run leaves the second core idle.
TEST_WORKERS ?= auto
test: check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/budget-qa eval --data-dir $(DATA_DIR)

clean:
	rm -rf $(VENV) build *.egg-info

# The storage, ingest, crash-safety and answering tests again, on throw-away PostgreSQL and Chroma servers
# (PostgreSQL from Debian's package; both stopped when the tests end, whatever the outcome).
.PHONY: test-servers
test-servers: $(STAMP)
	$(BIN)/python -m tests.servers.run $(SERVERS_PYTEST_ARGS)
