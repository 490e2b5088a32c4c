# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make demo   install everything, serve the offline demo site, crawl it into data/
#   make test   install everything, then lint, type-check and run the whole test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint bench install chromium clean

demo: install
	$(BIN)/marsad demo

test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Figures, not pass/fail: see bench/README.md. Takes about half an hour on two cores.
bench: install
	$(BIN)/python bench/nlp_speed.py --profile 15
	$(BIN)/python bench/nlp_scaling.py
	$(BIN)/python bench/e2e_crawl.py --pages 1000
	$(BIN)/python bench/e2e_crawl.py --pages 10000
	$(BIN)/python bench/storage_queries.py
	$(BIN)/python bench/clustering.py

install: $(STAMP) chromium

# pip is upgraded first (older pip skips lxml's html_clean extra and trafilatura breaks).
# camel-tools goes in last and without its dependencies: nlp/ uses only its pure-Python
# normalisation functions, whose own needs (emoji, six) pyproject.toml lists; its declared
# dependencies would pull torch and, from the public index, gigabytes of CUDA.
CAMEL_TOOLS := camel-tools>=1.5,<2
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable ".[dev]"
	$(BIN)/pip install --quiet --no-deps "$(CAMEL_TOOLS)"
	touch $(STAMP)

# Playwright drives Debian's Chromium: browser downloads do not work where Marsad runs.
chromium:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
