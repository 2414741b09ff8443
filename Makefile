# FundSim — the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing (libxlsxwriter-dev; for tests, LibreOffice, Gnumeric and
# Python's openpyxl, jsonschema, PyYAML, python-calamine and pandas), build, then run.

SWIFT      ?= swift
CONFIG     ?= debug
BIN        := .build/$(CONFIG)/fundsim
PYTHON     ?= python3
SCENARIOS  ?= scenarios

# What the test suite needs besides Swift, as `program:Debian package` (`a|b:package` when either program will
# do) and `Python module:pip package`.
# Tests/TestSupport/ExternalTools.swift names the same tools; a test checks the two lists agree.
TEST_PROGRAMS        := soffice|libreoffice:libreoffice-calc-nogui ssconvert:gnumeric
TEST_PYTHON_PACKAGES := openpyxl:openpyxl jsonschema:jsonschema yaml:pyyaml python_calamine:python-calamine pandas:pandas

.PHONY: all setup test-deps build run test test-quick bench fuzz catalog clean

all: build

# Installs the Debian packages in shell variable $(1): as root directly, otherwise through sudo;
# says clearly what to do when neither works. The one place make calls apt-get.
define apt_install
if [ "$$(id -u)" = 0 ]; then SUDO=""; \
elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; \
else echo "fundsim setup: error: need root or sudo to run 'apt-get install$(1)'." >&2; \
     echo "  Install them yourself (or ask an administrator), then run make again." >&2; exit 1; fi; \
if ! command -v apt-get >/dev/null 2>&1; then \
  echo "fundsim setup: error: no apt-get here; install$(1) with your package manager, then run make again." >&2; exit 1; fi; \
$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$(1) >/dev/null \
  || { echo "fundsim setup: error: 'apt-get install$(1)' failed (see above)." >&2; exit 1; }
endef

# Install libxlsxwriter-dev when pkg-config cannot find xlsxwriter.
setup:
	@if pkg-config --exists xlsxwriter 2>/dev/null; then :; else \
	  PKGS=" libxlsxwriter-dev pkg-config"; \
	  echo "fundsim setup: libxlsxwriter not found by pkg-config; installing$$PKGS"; \
	  $(call apt_install,$$PKGS); \
	  pkg-config --exists xlsxwriter || { echo "fundsim setup: error: xlsxwriter still not visible to pkg-config." >&2; exit 1; }; \
	fi

# Everything the tests use to check workbooks independently of libxlsxwriter: LibreOffice and Gnumeric
# recalculate them, Python's readers read them. Only what is missing is installed, so this is quick
# when nothing is.
test-deps:
	@PKGS=""; \
	for pair in $$(echo '$(TEST_PROGRAMS)'); do \
	  found=""; for prog in $$(echo $${pair%%:*} | tr '|' ' '); do command -v $$prog >/dev/null 2>&1 && found=1; done; \
	  [ -n "$$found" ] || PKGS="$$PKGS $${pair#*:}"; \
	done; \
	command -v $(PYTHON) >/dev/null 2>&1 || PKGS="$$PKGS python3 python3-pip"; \
	if [ -n "$$PKGS" ]; then echo "fundsim setup: installing$$PKGS for the tests"; $(call apt_install,$$PKGS); fi; \
	missing() { $(PYTHON) -c "import importlib.util as u, sys; \
	  print(''.join(' ' + p for m, p in (a.split(':') for a in sys.argv[1:]) if u.find_spec(m) is None), end='')" \
	  $(TEST_PYTHON_PACKAGES); }; \
	PIP=$$(missing); \
	if [ -n "$$PIP" ]; then \
	  echo "fundsim setup: installing Python packages$$PIP for $(PYTHON)"; \
	  if ! $(PYTHON) -m pip --version >/dev/null 2>&1; then PKGS=" python3-pip"; $(call apt_install,$$PKGS); fi; \
	  $(PYTHON) -m pip install --quiet $$PIP 2>/dev/null \
	    || $(PYTHON) -m pip install --quiet --break-system-packages $$PIP; \
	  PIP=$$(missing); \
	  if [ -n "$$PIP" ]; then echo "fundsim setup: error: $(PYTHON) still cannot import$$PIP; install them with pip and run make again." >&2; exit 1; fi; \
	fi

build: setup
	$(SWIFT) build -c $(CONFIG) --product fundsim

run: build
	@mkdir -p output
	$(BIN) run $(SCENARIOS) --output output

# The whole suite, every test run: what it needs is installed first.
test: setup test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# For someone who asks to skip the tests needing LibreOffice, Gnumeric or Python: they show as skipped.
test-quick: setup
	$(SWIFT) build --build-tests
	FUNDSIM_SKIP_EXTERNAL=1 $(SWIFT) test --skip-build

# scenarios/README.md is generated, never typed: regenerate it after changing a scenario.
catalog: build
	$(BIN) catalog $(SCENARIOS) > $(SCENARIOS)/README.md

bench: setup
	$(SWIFT) build -c release --product fundsim
	bash Benchmarks/run.sh

# Fuzz the loader and engine with mutated scenarios and rosters (FUZZ_COUNT inputs; a crash leaves its input in .fuzz-current).
FUZZ_COUNT ?= 100000
fuzz: setup
	$(SWIFT) build -c release --product fundsim-fuzz
	.build/release/fundsim-fuzz --count $(FUZZ_COUNT) --seed $${FUZZ_SEED:-1} --current .fuzz-current \
	  scenarios/*.yaml Tests/FundSimTests/Fixtures/errors/*.yaml Tests/FundSimTests/Fixtures/rosters/*.csv

clean:
	rm -rf .build output/*.xlsx output/*.csv output/*.json
