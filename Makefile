# Two commands set everything up: `make demo` and `make test`. Both create the virtual
# environment on first use. torch is installed first, pinned by constraints.txt, so that
# camel-tools' dependency on it never pulls a multi-GB CUDA build.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
DEMO_DB ?= demo/workspace.db
DEMO := $(BIN)/verifier --db $(DEMO_DB)
DEMO_LEAD ?= rania.haddad
DEMO_USER ?= nour.aziz
FIXTURE := fixtures/las2024

.PHONY: install demo demo-workspace test fribidi lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@# PyICU (reviewer-name confusables) builds against the system ICU.
	@dpkg -s libicu-dev pkg-config g++ >/dev/null 2>&1 || \
		(apt-get update -q && apt-get install -y -q libicu-dev pkg-config g++)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt torch==2.13.0
	$(PIP) install -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Build (or bring up to date) the demo workspace; safe to run again: nothing is duplicated.
demo-workspace: install
	mkdir -p $(dir $(DEMO_DB))
	$(DEMO) init
	$(DEMO) --user $(DEMO_LEAD) edition load $(FIXTURE)
	for file in $(FIXTURE)/items/*; do $(DEMO) --user $(DEMO_LEAD) import "$$file" || exit 1; done
	$(DEMO) status --cities 10

# The workspace, then the review UI as a research assistant of the demo edition.
demo: demo-workspace
	$(DEMO) --user $(DEMO_USER) review

# GNU FriBidi is the independent bidi oracle of tests/display (skipped, saying so, without).
test: install fribidi
	$(BIN)/pytest -n 2 -q

fribidi:
	@command -v fribidi >/dev/null || apt-get install -y -q libfribidi-bin >/dev/null \
		|| (apt-get update -q >/dev/null && apt-get install -y -q libfribidi-bin >/dev/null) \
		|| echo "GNU FriBidi could not be installed: the bidi oracle tests will be skipped"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_rejects.py
	$(BIN)/python benchmarks/bench_import_digests.py
	$(BIN)/python benchmarks/bench_match.py
	$(BIN)/python benchmarks/bench_review.py
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_score.py
	$(BIN)/python benchmarks/bench_provenance.py
	$(BIN)/python benchmarks/bench_layout.py
	$(BIN)/python benchmarks/bench_documents.py

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
