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

.PHONY: all setup test-deps build run test test-quick bench fuzz fuzz-lf fuzz-lf-build fuzz-ci fuzz-dict catalog clean

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

# Coverage-guided fuzzing with libFuzzer (docs/fuzzing.md): loader, engine and every writer, checked by an
# oracle (no crash; validate-valid ⇒ written; no NaN or infinity written; formulas within Excel's limits).
# Built apart (--scratch-path) so that normal builds are not instrumented. FUZZ_TIME bounds the run in
# seconds; FUZZ_SANITIZE=fuzzer,address adds AddressSanitizer (slower); FUZZ_FLAGS passes libFuzzer flags
# (e.g. -fork=1 -ignore_crashes=1 to keep going after a crash). Findings land in $(FUZZ_DIR)/crashes/.
FUZZ_TIME     ?= 600
FUZZ_SANITIZE ?= fuzzer
FUZZ_DIR      ?= .fuzz
FUZZ_FLAGS    ?=
FUZZ_SCRATCH  := $(if $(findstring address,$(FUZZ_SANITIZE)),.build-fuzz-asan,.build-fuzz)
LIBFUZZ       := $(FUZZ_SCRATCH)/release/fundsim-libfuzz
LIBFUZZ_RUN    = SWIFT_BACKTRACE=enable=no $(LIBFUZZ) -dict=Sources/fundsim-libfuzz/fundsim.dict -max_len=16384 -timeout=10 \
                 -rss_limit_mb=2048 -artifact_prefix=$(FUZZ_DIR)/crashes/ -print_final_stats=1

fuzz-lf-build: setup
	$(SWIFT) build -c release --scratch-path $(FUZZ_SCRATCH) --product fundsim-libfuzz -Xswiftc -sanitize=$(FUZZ_SANITIZE) -Xswiftc -DLIBFUZZER

fuzz-lf: fuzz-lf-build
	@rm -rf $(FUZZ_DIR)/seeds && mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/crashes
	$(LIBFUZZ) --seeds $(FUZZ_DIR)/seeds
	$(LIBFUZZ_RUN) -max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

# The bounded pass CI runs (.ci/run): every seed and regression fixture through the oracle, then a fixed
# number of fuzzing runs from the seeds alone with a fixed random seed (a fresh corpus, and as much work on a
# slow machine as on a fast one; FUZZ_CI_TIME only bounds a very slow machine). Fails on any crash, hang or oracle
# violation not on the known-problem list (Sources/fundsim-libfuzz/KnownProblems.swift).
FUZZ_CI_RUNS ?= 20000
FUZZ_CI_TIME ?= 600
fuzz-ci: fuzz-lf-build
	@rm -rf $(FUZZ_DIR)/ci && mkdir -p $(FUZZ_DIR)/ci/corpus $(FUZZ_DIR)/crashes
	$(LIBFUZZ) --seeds $(FUZZ_DIR)/ci/seeds
	$(LIBFUZZ_RUN) -runs=$(FUZZ_CI_RUNS) -max_total_time=$(FUZZ_CI_TIME) -seed=20261127 $(FUZZ_DIR)/ci/corpus $(FUZZ_DIR)/ci/seeds
	@# Says (without failing) which known problems no longer show on their witness: their entries should go.
	@$(LIBFUZZ) --known | while IFS='	' read -r id issue witness summary; do \
	  if SWIFT_BACKTRACE=enable=no FUNDSIM_FUZZ_STRICT=1 $(LIBFUZZ) --replay "$$witness" >/dev/null 2>&1; then \
	    echo "fundsim-libfuzz: known problem $$id (issue $$issue) no longer shows on $$witness: delete its entry in Sources/fundsim-libfuzz/KnownProblems.swift"; \
	  else echo "fundsim-libfuzz: known problem $$id (issue $$issue) still open"; fi; \
	done

# The dictionary is generated from the code's tables; a test keeps the committed file equal to this.
fuzz-dict:
	$(SWIFT) build --product fundsim-libfuzz
	.build/debug/fundsim-libfuzz --print-dict > Sources/fundsim-libfuzz/fundsim.dict

clean:
	rm -rf .build .build-fuzz .build-fuzz-asan .fuzz output/*.xlsx output/*.csv output/*.json
