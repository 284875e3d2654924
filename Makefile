# knod: the two commands are `make demo` and `make check` (see README.md).
# Everything else here is a step they take, or a tool for developers.

BUILD  ?= build
ASAN   ?= build-asan
DEMO   ?= demo

.PHONY: all demo check deps build build-asan fuzz bench-csv clean format

all: build

deps:
	@sh tools/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release

$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: deps $(ASAN)/build.ninja
	ninja -C $(ASAN)

# Build, create a demo store in $(DEMO)/ and run the main job.
demo: build
	@sh tools/demo.sh $(BUILD)/knod $(DEMO)

# Build with the sanitizers and run every suite; the last line is
# "N passed, N failed".
check: build-asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 python3 tests/run.py $(ASAN)

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')
