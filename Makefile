# FundSim — the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing (libxlsxwriter-dev; for tests, Python's openpyxl
# and jsonschema), build, then run.

SWIFT      ?= swift
CONFIG     ?= debug
BIN        := .build/$(CONFIG)/fundsim
PYTHON     ?= python3
SCENARIOS  ?= scenarios

.PHONY: all setup test-deps build run test bench fuzz catalog clean

all: build

# Install libxlsxwriter-dev when pkg-config cannot find xlsxwriter: as root
# directly, otherwise through sudo; say clearly what to do when neither works.
setup:
	@if pkg-config --exists xlsxwriter 2>/dev/null; then :; else \
	  echo "fundsim setup: libxlsxwriter not found by pkg-config; installing libxlsxwriter-dev"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; \
	  else echo "fundsim setup: error: need root or sudo to run 'apt-get install libxlsxwriter-dev pkg-config'." >&2; \
	       echo "  Install them yourself (or ask an administrator), then run make again." >&2; exit 1; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "fundsim setup: error: no apt-get here; install libxlsxwriter (>= 1.1) and pkg-config with your package manager." >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libxlsxwriter-dev pkg-config \
	    || { echo "fundsim setup: error: 'apt-get install libxlsxwriter-dev pkg-config' failed (see above)." >&2; exit 1; }; \
	  pkg-config --exists xlsxwriter || { echo "fundsim setup: error: xlsxwriter still not visible to pkg-config." >&2; exit 1; }; \
	fi

# Python readers the tests use to check workbooks independently of libxlsxwriter.
test-deps:
	@$(PYTHON) -c 'import openpyxl, jsonschema, yaml' 2>/dev/null || { \
	  echo "fundsim setup: installing Python packages openpyxl, jsonschema and PyYAML"; \
	  $(PYTHON) -m pip install --quiet openpyxl jsonschema pyyaml 2>/dev/null \
	  || $(PYTHON) -m pip install --quiet --break-system-packages openpyxl jsonschema pyyaml 2>/dev/null \
	  || { [ "$$(id -u)" = 0 ] && SUDO="" || SUDO=sudo; $$SUDO apt-get install -y -qq python3-openpyxl python3-jsonschema python3-yaml; } \
	  || { echo "fundsim setup: error: could not install openpyxl, jsonschema and PyYAML for $(PYTHON)." >&2; exit 1; }; }

build: setup
	$(SWIFT) build -c $(CONFIG) --product fundsim

run: build
	@mkdir -p output
	$(BIN) run $(SCENARIOS) --output output

test: setup test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

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
