# Two commands: `make demo` runs the product on synthetic data, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit install clean bench mutants

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/trialwh demo

test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	mkdir -p $(VENV)/lint-home
	# The seeds first: models read the themes from reference.temaer when they are templated.
	TRIALWH_HOME=$(CURDIR)/$(VENV)/lint-home $(BIN)/dbt seed --quiet --full-refresh --profiles-dir . \
		--target-path $(VENV)/lint-home/target --log-path $(VENV)/lint-home/logs
	TRIALWH_HOME=$(CURDIR)/$(VENV)/lint-home $(BIN)/sqlfluff lint models macros tests/dbt

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

# The mutation check: each bug in tests/mutants/ planted in a copy must fail its tests.
mutants: $(STAMP)
	$(BIN)/python -m tests.mutants.run

clean:
	rm -rf $(VENV) target logs dbt_packages data .pytest_cache
