/* tests/unit/domain/test_pnr.c: src/domain/pnr.c
 *
 * Uses Skatteverket's published test numbers (testpersonnummer and the
 * samordningsnummer example 701063-2391), and numbers built here with an
 * independent Luhn implementation as the oracle for the check digit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"

#include "domain/pnr.h"

static kn_day day(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static const kn_day *today_ref(void)
{
    static kn_day t;
    t = day(2026, 11, 23);
    return &t;
}
#define TODAY (*today_ref())

/* Build a number from a pattern holding 'C' where the check digit goes;
 * the nine digits before 'C' (skipping separators and the century) are
 * YYMMDDNNN. */
static void build(const char *pattern, char *out, size_t cap)
{
    char digits[16];
    size_t nd = 0;
    snprintf(out, cap, "%s", pattern);
    for (const char *p = pattern; *p; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    digits[nd] = '\0';
    const char *nine = digits + (nd == 11 ? 2 : 0);
    char *c = strchr(out, 'C');
    assert_non_null(c);
    *c = tu_luhn_digit(nine);
}

static void expect_valid(const char *s, kn_day today, enum pnr_kind kind,
                         const char *birth, const char *sex, const char *digits)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = pnr_parse(s, strlen(s), today, &p, &err);
    if (rc != 0)
        fail_msg("'%s' should be valid: %s", s, err.msg);
    char b[11];
    pnr_format_birth(&p, b);
    assert_string_equal(b, birth);
    assert_int_equal(p.kind, kind);
    assert_string_equal(pnr_sex_code(p.sex), sex);
    if (digits != NULL)
        assert_string_equal(p.digits, digits);
    pnr_wipe(&p);
}

static void expect_invalid(const char *s, const char *reason_part)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = pnr_parse(s, strlen(s), TODAY, &p, &err);
    if (rc == 0)
        fail_msg("'%s' should be invalid (%s)", s, reason_part);
    assert_int_equal(rc, KN_EINPUT);
    if (strstr(err.msg, reason_part) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", s, err.msg, reason_part);
    /* The number is wiped and never echoed: no run of 6 of its digits. */
    static const struct pnr zero;
    assert_memory_equal(&p, &zero, sizeof p);
    char digits[32];
    size_t nd = 0;
    for (const char *q = s; *q && nd < sizeof digits - 1; q++)
        if (*q >= '0' && *q <= '9')
            digits[nd++] = *q;
    for (size_t i = 0; i + 6 <= nd; i++) {
        char run[7];
        memcpy(run, digits + i, 6);
        run[6] = '\0';
        if (strstr(err.msg, run) != NULL)
            fail_msg("message '%s' echoes digits of the input", err.msg);
    }
}

static void test_skatteverket_test_numbers(void **state)
{
    (void)state;
    /* Skatteverket testpersonnummer (12-digit form). */
    static const struct { const char *n, *birth, *sex; } v[] = {
        { "189506299818", "1895-06-29", "M" }, { "189002099811", "1890-02-09", "M" },
        { "189103179801", "1891-03-17", "F" }, { "190006129803", "1900-06-12", "F" },
        { "190704019801", "1907-04-01", "F" }, { "190108219817", "1901-08-21", "M" },
        { "200306062381", "2003-06-06", "F" }, { "200802122390", "2008-02-12", "M" },
        { "200607092384", "2006-07-09", "F" }, { "201701012393", "2017-01-01", "M" },
        { "202508242381", "2025-08-24", "F" }, { "202510022383", "2025-10-02", "F" },
        { "202503312387", "2025-03-31", "F" }, { "202509012387", "2025-09-01", "F" },
        { "202512232386", "2025-12-23", "F" }, { "202504182391", "2025-04-18", "M" },
        { "202503082386", "2025-03-08", "F" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        expect_valid(v[i].n, TODAY, PNR_PERSONNUMMER, v[i].birth, v[i].sex, v[i].n);
        /* The same number with a dash, and in the 10-digit forms. */
        char buf[32];
        snprintf(buf, sizeof buf, "%.8s-%s", v[i].n, v[i].n + 8);
        expect_valid(buf, TODAY, PNR_PERSONNUMMER, v[i].birth, v[i].sex, v[i].n);
        int year = (v[i].n[0] - '0') * 1000 + (v[i].n[1] - '0') * 100
                   + (v[i].n[2] - '0') * 10 + (v[i].n[3] - '0');
        char sep = 2026 - year >= 100 ? '+' : '-';
        snprintf(buf, sizeof buf, "%.6s%c%s", v[i].n + 2, sep, v[i].n + 8);
        expect_valid(buf, TODAY, PNR_PERSONNUMMER, v[i].birth, v[i].sex, v[i].n);
        /* A wrong check digit is caught. */
        snprintf(buf, sizeof buf, "%.11s%c", v[i].n, v[i].n[11] == '9' ? '0' : v[i].n[11] + 1);
        expect_invalid(buf, "check digit");
    }
}

static void test_samordningsnummer(void **state)
{
    (void)state;
    /* Skatteverket's example samordningsnummer. */
    expect_valid("701063-2391", TODAY, PNR_SAMORDNINGSNUMMER, "1970-10-03", "M",
                 "197010632391");
    expect_valid("197010632391", TODAY, PNR_SAMORDNINGSNUMMER, "1970-10-03", "M", NULL);
    char buf[32];
    /* Day 60: birth day not known. */
    build("19700560-123C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_SAMORDNINGSNUMMER, "1970-05", "M", NULL);
    /* Month 00 and day 60: only the year is known. */
    build("19700060-457C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_SAMORDNINGSNUMMER, "1970", "M", NULL);
    /* Month 00, day known: only the year can be shown. */
    build("19700075-457C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_SAMORDNINGSNUMMER, "1970", "M", NULL);
    /* Day 91 = 31; 29 February + 60 in a leap year. */
    build("20000289-222C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_SAMORDNINGSNUMMER, "2000-02-29", "F", NULL);
    build("19000289-222C", buf, sizeof buf);
    expect_invalid(buf, "day 29 does not exist in February 1900");
    build("19700192-222C", buf, sizeof buf);
    expect_invalid(buf, "day 92 does not exist");
    build("19700491-222C", buf, sizeof buf);
    expect_invalid(buf, "day 31 does not exist in April 1970");
}

static void test_century_and_plus(void **state)
{
    (void)state;
    char buf[32];
    /* 121212-1212 is Skatteverket's format example. */
    expect_valid("121212-1212", TODAY, PNR_PERSONNUMMER, "2012-12-12", "M", "201212121212");
    expect_valid("121212+1212", TODAY, PNR_PERSONNUMMER, "1912-12-12", "M", "191212121212");
    expect_valid("1212121212", TODAY, PNR_PERSONNUMMER, "2012-12-12", "M", NULL);
    expect_valid("19121212-1212", TODAY, PNR_PERSONNUMMER, "1912-12-12", "M", NULL);
    /* A birthday later this year belongs to the last century. */
    build("261124-001C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_PERSONNUMMER, "1926-11-24", "M", NULL);
    build("261123-001C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_PERSONNUMMER, "2026-11-23", "M", NULL);
    /* 29 February: valid in 2000, not in 1900 (the '+' century). */
    build("000229-123C", buf, sizeof buf);
    expect_valid(buf, TODAY, PNR_PERSONNUMMER, "2000-02-29", "M", NULL);
    build("000229+123C", buf, sizeof buf);
    expect_invalid(buf, "day 29 does not exist in February 1900");
    /* The reference date moves the century. */
    build("991231-998C", buf, sizeof buf);
    expect_valid(buf, day(1999, 12, 31), PNR_PERSONNUMMER, "1999-12-31", "F", NULL);
    expect_valid(buf, day(1999, 12, 30), PNR_PERSONNUMMER, "1899-12-31", "F", NULL);
}

static void test_whitespace_trimmed(void **state)
{
    (void)state;
    expect_valid("  201701012393", TODAY, PNR_PERSONNUMMER, "2017-01-01", "M", NULL);
    expect_valid("201701012393 \r\n", TODAY, PNR_PERSONNUMMER, "2017-01-01", "M", NULL);
    expect_valid("\t20170101-2393\t", TODAY, PNR_PERSONNUMMER, "2017-01-01", "M", NULL);
    expect_invalid("20170101 2393", "space inside");
    expect_invalid("2017 01012393", "space inside");
}

static void test_invalid_forms(void **state)
{
    (void)state;
    char buf[32];
    expect_invalid("", "empty");
    expect_invalid("   ", "empty");
    expect_invalid("19121212+1212", "'+' is only used in the 10-digit form");
    expect_invalid("19121212/1212", "not a digit");
    expect_invalid("19121212-121A", "not a digit");
    expect_invalid("X9121212-1212", "not a digit");
    expect_invalid("1912\xC3\xA5" "1212-1212", "not a digit");
    expect_invalid("1912121-21212", "separator must stand before the last four");
    expect_invalid("121212--1212", "more than one separator");
    expect_invalid("12121-21212", "separator");
    expect_invalid("12121212", "8 digits");
    expect_invalid("12121212121", "11 digits");
    expect_invalid("1912121212121", "too many digits");
    expect_invalid("121312-1212", "month 13 does not exist");
    expect_invalid("120012-1212", "month 00 is only used in a samordningsnummer");
    expect_invalid("121200-1212", "day 00 does not exist");
    expect_invalid("121232-1212", "day 32 does not exist");
    expect_invalid("19230431-1212", "day 31 does not exist in April 1923");
    expect_invalid("20230229-1212", "day 29 does not exist in February 2023");
    expect_invalid("17991231-1212", "before 1800");
    build("19900101-000C", buf, sizeof buf);
    expect_invalid(buf, "birth number 000");
    build("900101-000C", buf, sizeof buf);
    expect_invalid(buf, "birth number 000");
    build("20261124-001C", buf, sizeof buf);
    expect_invalid(buf, "after the reference date");
    build("20270101-001C", buf, sizeof buf);
    expect_invalid(buf, "after the reference date");
    expect_invalid("201701012394", "check digit");
    expect_invalid("1701012394", "check digit");
}

static void test_sex_digit(void **state)
{
    (void)state;
    char buf[32];
    for (int d = 0; d <= 9; d++) {
        char pat[32];
        snprintf(pat, sizeof pat, "19851005-12%dC", d);
        build(pat, buf, sizeof buf);
        expect_valid(buf, TODAY, PNR_PERSONNUMMER, "1985-10-05", d % 2 ? "M" : "F", NULL);
    }
}

/* Every day of 1996 and 2000 in every form: the check digit oracle and the
 * parser agree, and the birth date round-trips. */
static void test_exhaustive_dates(void **state)
{
    (void)state;
    int years[] = { 1996, 2000, 1900 + 23 };
    for (size_t yi = 0; yi < sizeof years / sizeof years[0]; yi++) {
        for (kn_day d = day(years[yi], 1, 1); d < day(years[yi] + 1, 1, 1); d++) {
            struct kn_ymd ymd = date_to_ymd(d);
            int bno = (int)(((d % 998) + 998) % 998) + 1; /* 1..998, never 000 */
            const char *sex = bno % 2 ? "M" : "F";
            char pat[32], buf[32], want[11];
            snprintf(pat, sizeof pat, "%04d%02d%02d-%03dC", ymd.year, ymd.month, ymd.day,
                     bno);
            build(pat, buf, sizeof buf);
            date_format(d, want);
            expect_valid(buf, TODAY, PNR_PERSONNUMMER, want, sex, NULL);
            /* samordningsnummer of the same date */
            snprintf(pat, sizeof pat, "%04d%02d%02d-%03dC", ymd.year, ymd.month,
                     ymd.day + 60, bno);
            build(pat, buf, sizeof buf);
            expect_valid(buf, TODAY, PNR_SAMORDNINGSNUMMER, want, sex, NULL);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skatteverket_test_numbers),
        cmocka_unit_test(test_samordningsnummer),
        cmocka_unit_test(test_century_and_plus),
        cmocka_unit_test(test_whitespace_trimmed),
        cmocka_unit_test(test_invalid_forms),
        cmocka_unit_test(test_sex_digit),
        cmocka_unit_test(test_exhaustive_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
