/* tests/fuzz/fuzz.h: the interface between a fuzz target and its runners.
 *
 * A target is tests/fuzz/fuzz_<name>.c defining LLVMFuzzerTestOneInput(),
 * with seed inputs in tests/fuzz/corpus/<name>/. It is linked either with
 * libFuzzer (`make fuzz`, clang -fsanitize=fuzzer) or with
 * tests/fuzz/driver.c, a plain main() that `make check` runs under the
 * sanitizers: it feeds the corpus and a few thousand seeded mutations of
 * it, and prints TAP.
 *
 * A target must accept any bytes, must not keep state between calls (or
 * leak), and checks its invariants itself: a broken one calls abort(), so
 * both runners report it as a crash with the input that caused it.
 */
#ifndef KNOD_TESTS_FUZZ_H
#define KNOD_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Run the target on size bytes at data; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* KNOD_TESTS_FUZZ_H */
