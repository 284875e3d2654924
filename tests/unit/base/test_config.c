/* tests/unit/base/test_config.c: src/base/config.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

#include "base/config.h"

static void write_ini(const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/knod.ini", tu_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_defaults_without_file(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    char want[128];
    snprintf(want, sizeof want, "%s/knod.db", tu_dir);
    assert_string_equal(c.store_path, want);
    assert_int_equal(c.min_count, 5);
    assert_int_equal(c.min_denominator, 15);
    assert_int_equal(c.busy_timeout_ms, 5000);
    assert_int_equal(c.log_level, LOG_INFO);
}

static void test_written_default_reads_back_as_defaults(void **state)
{
    (void)state;
    struct config c, d;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(config_write_default(tu_dir, NULL, &err), 0);
    assert_int_equal(config_write_default(tu_dir, NULL, &err), KN_EEXIST);
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    config_defaults(&d, tu_dir);
    assert_memory_equal(&c, &d, sizeof c);
}

static void test_values_and_paths(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    write_ini("[store]\npath = other.db\nbusy_timeout_ms = 100\n"
              "[pseudonym]\nkey_file = /abs/k.key\n"
              "[disclosure]\nmin_count = 3\nmin_denominator = 20\nallow_below_floor = yes\n"
              "[log]\nlevel = debug\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    char want[128];
    snprintf(want, sizeof want, "%s/other.db", tu_dir);
    assert_string_equal(c.store_path, want);
    assert_string_equal(c.key_path, "/abs/k.key");
    assert_int_equal(c.busy_timeout_ms, 100);
    assert_int_equal(c.min_count, 3);
    assert_int_equal(c.min_denominator, 20);
    assert_true(c.allow_below_floor);
    assert_true(c.below_floor);
    assert_int_equal(c.log_level, LOG_DEBUG);
}

static void expect_error(const char *text, const char *line, const char *part)
{
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    write_ini(text);
    assert_int_equal(config_load(&c, tu_dir, &err), KN_EINPUT);
    char want[160];
    snprintf(want, sizeof want, "knod.ini:%s: ", line);
    if (strstr(err.msg, want) == NULL || strstr(err.msg, part) == NULL)
        fail_msg("message '%s' lacks '%s' or '%s'", err.msg, want, part);
}

static void test_errors_name_line_and_key(void **state)
{
    (void)state;
    expect_error("[store]\npath = a.db\ncolour = red\n", "3", "unknown setting 'colour'");
    expect_error("[stor]\npath = a.db\n", "2", "section [stor]");
    expect_error("path = a.db\n", "1", "before any [section]");
    expect_error("[disclosure]\nmin_count = five\n", "2", "bad value 'five'");
    expect_error("[disclosure]\nmin_count = 0\n", "2", "min_count");
    expect_error("[disclosure]\n\nmin_denominator = 15x\n", "3", "min_denominator");
    expect_error("[log]\nlevel = loud\n", "2", "level");
    expect_error("[store]\nthis line has no equals sign\n", "2", "not a 'name = value'");
    /* The first error is the one reported. */
    expect_error("[log]\nlevel = loud\n[x]\ny = 1\n", "2", "level");
}

/* The key file: key_file if set, else $CREDENTIALS_DIRECTORY/knod.key if
 * that is set (a systemd credential), else knod.key in the directory. */
static void test_key_file_precedence(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    char want[128];
    unsetenv("CREDENTIALS_DIRECTORY");
    /* `knod init --key FILE` writes key_file; every other default stays. */
    char ini[128];
    snprintf(ini, sizeof ini, "%s/knod.ini", tu_dir);
    unlink(ini);
    assert_int_equal(config_write_default(tu_dir, "/etc/knod/k.key", &err), 0);
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_string_equal(c.key_path, "/etc/knod/k.key");
    assert_int_equal(c.key_from, CONFIG_KEY_INI);
    assert_int_equal(c.min_count, 5);
    unlink(ini);
    assert_int_equal(config_write_default(tu_dir, "a\nb", &err), KN_EINPUT);
    assert_int_not_equal(access(ini, F_OK), 0);
    write_ini("[log]\nlevel = info\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    snprintf(want, sizeof want, "%s/knod.key", tu_dir);
    assert_string_equal(c.key_path, want);
    assert_int_equal(c.key_from, CONFIG_KEY_DEFAULT);

    setenv("CREDENTIALS_DIRECTORY", "/run/credentials/knod.service", 1);
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_string_equal(c.key_path, "/run/credentials/knod.service/knod.key");
    assert_int_equal(c.key_from, CONFIG_KEY_CREDENTIALS);

    write_ini("[pseudonym]\nkey_file = /etc/knod/knod.key\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_string_equal(c.key_path, "/etc/knod/knod.key");
    assert_int_equal(c.key_from, CONFIG_KEY_INI);

    setenv("CREDENTIALS_DIRECTORY", "relative", 1);
    write_ini("[log]\nlevel = info\n");
    assert_int_equal(config_load(&c, tu_dir, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "CREDENTIALS_DIRECTORY"));
    unsetenv("CREDENTIALS_DIRECTORY");
}

/* A repeated setting used to win silently: a second 'min_count = 1' turned
 * small-cell suppression off. It is an error naming both lines; so is a
 * repeat in a second [disclosure] section, and an indented line (which
 * inih reads as a continuation of the value before). */
static void test_repeated_setting(void **state)
{
    (void)state;
    expect_error("[disclosure]\nmin_count = 5\nmin_denominator = 15\nmin_count = 1\n", "4",
                 "'min_count' in [disclosure] is repeated (first set on line 2)");
    expect_error("[disclosure]\nmin_count = 5\n[log]\nlevel = info\n[disclosure]\n"
                 "min_count = 6\n", "6", "repeated (first set on line 2)");
    expect_error("[store]\npath = a.db\npath = b.db\n", "3", "'path' in [store] is repeated");
    expect_error("[disclosure]\nmin_count = 5\n  1\n", "3", "repeated");
}

/* The floor is the shipped default (5 and 15, docs/indicators.md): below
 * it only with allow_below_floor = yes in [disclosure], which marks the
 * config so that every use logs a warning. */
static void test_disclosure_floor(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    expect_error("[log]\nlevel = info\n[disclosure]\nmin_count = 4\n", "4",
                 "'min_count' = 4 in [disclosure] is below the floor");
    expect_error("[disclosure]\nmin_count = 5\nmin_denominator = 14\n", "3",
                 "allow_below_floor = yes");
    expect_error("[disclosure]\nmin_count = 1\nallow_below_floor = no\n", "2", "below the floor");
    expect_error("[disclosure]\nallow_below_floor = maybe\n", "2", "bad value 'maybe'");
    write_ini("[disclosure]\nmin_count = 1\nallow_below_floor = yes\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_int_equal(c.min_count, 1);
    assert_true(c.below_floor);
    /* Above the floor needs nothing, and is not marked. */
    write_ini("[disclosure]\nmin_count = 10\nmin_denominator = 50\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_false(c.below_floor);
}

/* [fhir] canonical_base: an http(s) URL without a trailing '/', by default
 * knod's own base. */
static void test_fhir_canonical_base(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    write_ini("[log]\nlevel = info\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_string_equal(c.fhir_base, "https://knod.se/fhir");
    write_ini("[fhir]\ncanonical_base = https://stats.example.org/fhir/r4\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_string_equal(c.fhir_base, "https://stats.example.org/fhir/r4");
    expect_error("[fhir]\ncanonical_base = https://x.org/fhir/\n", "2", "canonical_base");
    expect_error("[fhir]\ncanonical_base = ftp://x.org/fhir\n", "2", "canonical_base");
    expect_error("[fhir]\n\ncanonical_base = https://x.org/a b\n", "3", "canonical_base");
    expect_error("[fhir]\ncanonical_base = https://x.org/f|1\n", "2", "canonical_base");
}

/* [plausibility]: four whole-number limits, each at least 1; the shipped
 * knod.ini states the defaults; a bad, empty, negative, fractional, too
 * large or repeated value is an error naming the line and the key. */
static void test_plausibility(void **state)
{
    (void)state;
    struct config c;
    struct kn_error err = KN_ERROR_INIT;
    write_ini("[log]\nlevel = info\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_int_equal(c.plaus_max_age_years, 110);
    assert_int_equal(c.plaus_max_emergency_hours, 72);
    assert_int_equal(c.plaus_max_inpatient_days, 730);
    assert_int_equal(c.plaus_max_coercive_hours, 48);
    write_ini("[plausibility]\nmax_age_years = 30\nmax_emergency_hours = 24\n"
              "max_inpatient_days = 90\nmax_coercive_hours = 8\n");
    assert_int_equal(config_load(&c, tu_dir, &err), 0);
    assert_int_equal(c.plaus_max_age_years, 30);
    assert_int_equal(c.plaus_max_emergency_hours, 24);
    assert_int_equal(c.plaus_max_inpatient_days, 90);
    assert_int_equal(c.plaus_max_coercive_hours, 8);
    expect_error("[plausibility]\nmax_age_years = 0\n", "2", "'max_age_years' in "
                 "[plausibility] has a bad value '0'");
    expect_error("[plausibility]\nmax_age_years = 201\n", "2", "max_age_years");
    expect_error("[plausibility]\nmax_emergency_hours = -3\n", "2", "max_emergency_hours");
    expect_error("[plausibility]\n\nmax_emergency_hours = 1.5\n", "3",
                 "max_emergency_hours");
    expect_error("[plausibility]\nmax_inpatient_days =\n", "2", "max_inpatient_days");
    expect_error("[plausibility]\nmax_inpatient_days = 99999999999999999999\n", "2",
                 "max_inpatient_days");
    expect_error("[plausibility]\nmax_coercive_hours = 48 hours\n", "2",
                 "max_coercive_hours");
    expect_error("[plausibility]\nmax_coercive_hours = 4\nmax_coercive_hours = 5\n", "3",
                 "repeated (first set on line 2)");
    expect_error("[plausibility]\nmax_stay_days = 5\n", "2", "unknown setting");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_without_file),
        cmocka_unit_test(test_written_default_reads_back_as_defaults),
        cmocka_unit_test(test_values_and_paths),
        cmocka_unit_test(test_errors_name_line_and_key),
        cmocka_unit_test(test_key_file_precedence),
        cmocka_unit_test(test_repeated_setting),
        cmocka_unit_test(test_disclosure_floor),
        cmocka_unit_test(test_fhir_canonical_base),
        cmocka_unit_test(test_plausibility),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
