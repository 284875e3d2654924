# knod: the two commands are `make demo` and `make check` (see README.md).
# Everything else here is a step they take, or a tool for developers.

BUILD  ?= build
ASAN   ?= build-asan
DEMO   ?= demo
FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all demo check deps deps-test build build-asan build-knod fuzz bench-csv bench-http clean format

all: build

deps:
	@sh tools/install-deps.sh

# The npm packages and Chromium of the browser and validator tests.
deps-test: deps
	@sh tools/install-npm.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release

$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: deps $(ASAN)/build.ninja
	ninja -C $(ASAN)

# The release build of the program alone (libknodcore and knod), for check.
build-knod: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) knod

# Build, create a demo store in $(DEMO)/ and run the main job.
demo: build
	@sh tools/demo.sh $(BUILD)/knod $(DEMO)

# Build with the sanitizers (and the release build of knod itself, whose
# optimiser finds other warnings; its tests are built and run in $(ASAN)
# only, which saves more than half of the release build) and run every
# suite; the last line is "N passed, N failed". KNOD_RELEASE names that
# release knod for cli_usage's walk of every subcommand's usage errors
# (tests/integration/cli_usage.sh says why). The tests' npm packages
# (deps-test: `npm ci`, mostly waiting for the network) install while
# ninja builds; npm's output shows when the builds are done.
check: deps $(ASAN)/build.ninja $(BUILD)/build.ninja
	@log=$$(mktemp); sh tools/install-npm.sh >$$log 2>&1 & npm=$$!; \
	 ninja -C $(ASAN) && ninja -C $(BUILD) knod; built=$$?; \
	 wait $$npm; npm_status=$$?; cat $$log; rm -f $$log; \
	 [ $$built -eq 0 ] && [ $$npm_status -eq 0 ]
	@KNOD_RELEASE=$(abspath $(BUILD))/knod \
	 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 python3 tests/run.py $(ASAN)

# Build every tests/fuzz/fuzz_<name>.c with clang and libFuzzer (ASan and
# UBSan on) and run each for $(FUZZ_SECONDS) s over tests/fuzz/corpus/<name>/;
# new inputs go to $(FUZZ)/corpus/<name>/, crashes to $(FUZZ)/. A developer
# tool, not part of `make check` (which runs the targets through
# tests/fuzz/driver.c instead).
$(FUZZ)/build.ninja:
	CC=clang meson setup $(FUZZ) --buildtype=debugoptimized \
	  -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=false \
	  -Dc_args=-fsanitize=fuzzer-no-link

fuzz: deps $(FUZZ)/build.ninja
	ninja -C $(FUZZ) libknodcore.a
	@set -e; for src in tests/fuzz/fuzz_*.c; do \
	  t=$$(basename $$src .c); name=$${t#fuzz_}; \
	  echo "== $$t: $(FUZZ_SECONDS) s"; \
	  clang -std=c11 -g -O1 -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -Isrc -Itests/fuzz $$src $(FUZZ)/libknodcore.a \
	    $$(pkg-config --libs sqlite3 libsodium jansson inih) -lm -lpthread \
	    -o $(FUZZ)/$$t; \
	  mkdir -p $(FUZZ)/corpus/$$name; \
	  (cd $(FUZZ) && ./$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    corpus/$$name ../tests/fuzz/corpus/$$name); \
	done

# knod's CSV reader against libcsv and sqlite3 .import (bench/csv/README.md);
# on demand only. Needs libcsv-dev.
bench-csv: build
	BUILD=$(BUILD) sh bench/csv/run.sh

# knod serve against nginx serving the same bytes, memory and freshness
# (bench/http/README.md); on demand only. Installs nginx and wrk.
bench-http: build
	bash bench/http/run.sh

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')
