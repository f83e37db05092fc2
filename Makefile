# The README's commands. `make samples` and `make test` work on a fresh Debian
# machine: they install the system packages (as root, or with sudo), create
# .venv, install propgen into it, and then do their job.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# fonts-noto-cjk: real Chinese glyphs; libharfbuzz-subset0: fast font subsetting
# (without it WeasyPrint falls back to a 5-8x slower subsetter on Chinese PDFs);
# libreoffice-writer-nogui: the tests open every DOCX in a real office suite;
# chromium, chromium-driver: the web workspace is tested in a real browser;
# qpdf: the tests check every PDF profile's structure;
# redis-server: the API's distributed mode is tested against a real Redis;
# python3-uno: the renumbering test updates a DOCX's fields through LibreOffice
# (tests/render/lo_update_fields.py);
# e2fsprogs: chattr, for the test of an immutable output file;
# pandoc: the redline is read back with --track-changes=accept|reject (tests/negotiate).
APT_PACKAGES = python3-venv fonts-noto-cjk fonts-noto-core libharfbuzz-subset0 \
               libpango-1.0-0 libpangoft2-1.0-0 libreoffice-writer-nogui poppler-utils \
               chromium chromium-driver qpdf redis-server python3-uno e2fsprogs \
               pandoc
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system samples test lint bench clean

setup: system $(BIN)/.installed

system:
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "installing system packages: $$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else echo "not a Debian system: install $(APT_PACKAGES) yourself"; fi

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@# Byte-compiled now: with PYTHONDONTWRITEBYTECODE set, an editable install would
	@# otherwise recompile propgen's modules on every start (~70 ms).
	$(BIN)/python -m compileall -q src
	touch $@

samples: setup
	$(BIN)/propgen render samples/ -o out

# One worker per core; a module's tests stay together in one worker, so its
# module-scoped fixtures are made once (tests/conftest.py says what is shared).
test: setup
	$(BIN)/pytest -q -n auto --dist loadfile

lint: setup
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
