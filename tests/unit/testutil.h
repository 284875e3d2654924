/* tests/unit/testutil.h: what several unit tests need.
 *
 * tu_tmpdir_setup / tu_tmpdir_teardown are cmocka group fixtures that make
 * and remove a private temporary folder, tu_dir; tu_path() names a file in
 * it, tu_store() makes a store there. tu_luhn_digit() is the test oracle for personnummer check digits,
 * written the textbook way and independently of src/domain/pnr.c.
 */
#ifndef KNOD_TESTS_TESTUTIL_H
#define KNOD_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

extern char tu_dir[64];

/* cmocka group fixtures: make / remove tu_dir. */
int tu_tmpdir_setup(void **state);
int tu_tmpdir_teardown(void **state);

/* "<tu_dir>/<name>" into out. */
void tu_path(char *out, size_t cap, const char *name);

/* A new store "<tu_dir>/<name>" with every migration (the test fails if it
 * cannot be made); with geography, the reference regions and
 * municipalities installed as `knod init` installs them. */
struct store;
struct store *tu_store(const char *name, bool geography);

/* The first written form of any of the n known 12-digit personnummer in
 * buf[0..len), or NULL: the ten digits YYMMDDNNNC (inside the twelve too),
 * and YYMMDD-NNNC / YYMMDD+NNNC (inside YYYYMMDD-NNNC too). The result
 * points into a static buffer. */
const char *tu_pnr_leaked(const void *buf, size_t len, const char *const *known, size_t n);

/* The Luhn digit for the nine digits YYMMDDNNN. */
char tu_luhn_digit(const char *nine);

/* How the import sessions of a test find the stored persons: the
 * environment's KNOD_IMPORT_PERSONS ("auto", "preload", "lookup"; unset:
 * auto) as an enum reg_persons_load, for reg_import_options.persons. The
 * import suites run once in each mode (tests/meson.build). */
int tu_persons_load(void);

#endif /* KNOD_TESTS_TESTUTIL_H */
