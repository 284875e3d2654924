/* tests/unit/base/test_date.c: src/base/date.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "base/date.h"

static void assert_ymd(struct kn_ymd t, int y, int m, int d)
{
    assert_int_equal(t.year, y);
    assert_int_equal(t.month, m);
    assert_int_equal(t.day, d);
}

/* Parse s (its strlen) as a date; fails the test on error. */
static kn_day day_of(const char *s)
{
    kn_day d = 0;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(date_parse(s, strlen(s), &d, &err), 0);
    return d;
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(date_is_leap(1900));
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(2024));
    assert_false(date_is_leap(2023));
    assert_false(date_is_leap(2100));
    assert_true(date_is_leap(1600));
    assert_true(date_is_leap(4));
    assert_false(date_is_leap(1));
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(2023, 1), 31);
    assert_int_equal(date_days_in_month(2023, 4), 30);
    assert_int_equal(date_days_in_month(2023, 12), 31);
    assert_int_equal(date_days_in_month(2023, 0), 0);
    assert_int_equal(date_days_in_month(2023, 13), 0);
    /* Year lengths follow. */
    assert_int_equal(date_from_ymd(1901, 1, 1) - date_from_ymd(1900, 1, 1), 365);
    assert_int_equal(date_from_ymd(2001, 1, 1) - date_from_ymd(2000, 1, 1), 366);
    assert_int_equal(date_from_ymd(2025, 1, 1) - date_from_ymd(2024, 1, 1), 366);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(date_valid(1, 1, 1));
    assert_true(date_valid(9999, 12, 31));
    assert_true(date_valid(2024, 2, 29));
    assert_false(date_valid(0, 1, 1));
    assert_false(date_valid(10000, 1, 1));
    assert_false(date_valid(2023, 2, 29));
    assert_false(date_valid(1900, 2, 29));
    assert_false(date_valid(2024, 4, 31));
    assert_false(date_valid(2024, 1, 0));
    assert_false(date_valid(2024, 1, 32));
    assert_false(date_valid(2024, 0, 1));
    assert_false(date_valid(2024, 13, 1));
}

static void test_anchors(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
    assert_int_equal(date_from_ymd(2024, 2, 29), 19782);
    assert_int_equal(date_from_ymd(1, 1, 1), -719162);
    assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
    assert_int_equal(date_weekday(date_from_ymd(1970, 1, 1)), 4); /* Thu */
    assert_int_equal(date_weekday(date_from_ymd(2024, 2, 29)), 4); /* Thu */
    assert_int_equal(date_weekday(date_from_ymd(2000, 1, 1)), 6);  /* Sat */
    assert_int_equal(date_weekday(date_from_ymd(1, 1, 1)), 1);     /* Mon */
    assert_int_equal(date_weekday(date_from_ymd(1969, 12, 28)), 7); /* Sun */
    assert_int_equal(date_weekday(date_from_ymd(1969, 12, 29)), 1); /* Mon */
    assert_int_equal(date_weekday(date_from_ymd(9999, 12, 31)), 5); /* Fri */
}

static void test_negative_days(void **state)
{
    (void)state;
    assert_ymd(date_to_ymd(-1), 1969, 12, 31);
    assert_ymd(date_to_ymd(-365), 1969, 1, 1);
    assert_ymd(date_to_ymd(-366), 1968, 12, 31);
    assert_ymd(date_to_ymd(-719162), 1, 1, 1);
    assert_ymd(date_to_ymd(-25567), 1900, 1, 1);
    assert_int_equal(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28), 1);
    assert_int_equal(time_to_day(-1), -1);
    assert_int_equal(time_to_day(-86399), -1);
    assert_int_equal(time_to_day(-86400), -1);
    assert_int_equal(time_to_day(-86401), -2);
    assert_int_equal(time_to_day(0), 0);
    assert_int_equal(time_to_day(86399), 0);
    assert_int_equal(time_to_day(86400), 1);
    assert_int_equal(time_from_day(-1), -86400);
    char buf[20];
    time_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59");
    time_format(-86400, buf);
    assert_string_equal(buf, "1969-12-31T00:00:00");
    time_format(-86401, buf);
    assert_string_equal(buf, "1969-12-30T23:59:59");
}

/* Walk every day of 0001..9999 with the obvious rules and compare both
 * directions, the weekday, the text forms and the ISO week. */
static void test_round_trip_oracle(void **state)
{
    (void)state;
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = 1, m = 1, d = 1;
    kn_day n = -719162;
    int wd = 1; /* 0001-01-01 was a Monday */
    int prev_iso_year = 1, prev_week = 0;
    char buf[11];
    struct kn_error err = KN_ERROR_INIT;
    for (;;) {
        assert_int_equal(date_from_ymd(y, m, d), n);
        struct kn_ymd t = date_to_ymd(n);
        if (t.year != y || t.month != m || t.day != d)
            fail_msg("day %ld: got %d-%d-%d, want %d-%d-%d", (long)n, t.year,
                     t.month, t.day, y, m, d);
        assert_int_equal(date_weekday(n), wd);
        assert_true(date_valid(y, m, d));

        date_format(n, buf);
        kn_day back = 0;
        assert_int_equal(date_parse(buf, 10, &back, &err), 0);
        assert_int_equal(back, n);

        int iso_year, week;
        date_iso_week(n, &iso_year, &week);
        if (wd == 1) {
            /* Each Monday starts the next week or week 1 of the next year. */
            if (week == 1) {
                assert_int_equal(iso_year, prev_iso_year + (n != -719162));
                if (n != -719162)
                    assert_int_equal(prev_week, date_iso_weeks(prev_iso_year));
            } else {
                assert_int_equal(iso_year, prev_iso_year);
                assert_int_equal(week, prev_week + 1);
            }
            kn_day monday;
            assert_int_equal(date_from_iso_week(iso_year, week, &monday), 0);
            assert_int_equal(monday, n);
        } else {
            assert_int_equal(iso_year, prev_iso_year);
            assert_int_equal(week, prev_week);
        }
        prev_iso_year = iso_year;
        prev_week = week;

        if (y == 9999 && m == 12 && d == 31)
            break;
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int dim = mdays[m - 1] + (m == 2 && leap);
        if (++d > dim) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        n++;
        wd = wd % 7 + 1;
    }
    assert_int_equal(n, 2932896);
}

static void test_iso_weeks(void **state)
{
    (void)state;
    static const struct {
        int y, m, d, iso_year, week;
    } cases[] = {
        { 2020, 12, 31, 2020, 53 }, { 2021, 1, 3, 2020, 53 },
        { 2021, 1, 4, 2021, 1 },    { 2024, 12, 30, 2025, 1 },
        { 2024, 12, 29, 2024, 52 }, { 2026, 12, 31, 2026, 53 },
        { 2027, 1, 3, 2026, 53 },   { 2027, 1, 4, 2027, 1 },
        { 2008, 12, 29, 2009, 1 },  { 2010, 1, 3, 2009, 53 },
        { 2024, 2, 29, 2024, 9 },   { 2024, 5, 17, 2024, 20 },
        { 2000, 1, 1, 1999, 52 },   { 1970, 1, 1, 1970, 1 },
        { 1, 1, 1, 1, 1 },          { 9999, 12, 31, 9999, 52 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int iy = 0, w = 0;
        date_iso_week(date_from_ymd(cases[i].y, cases[i].m, cases[i].d), &iy, &w);
        assert_int_equal(iy, cases[i].iso_year);
        assert_int_equal(w, cases[i].week);
    }
    assert_int_equal(date_iso_weeks(2004), 53);
    assert_int_equal(date_iso_weeks(2009), 53);
    assert_int_equal(date_iso_weeks(2015), 53);
    assert_int_equal(date_iso_weeks(2020), 53); /* leap, starts Wednesday */
    assert_int_equal(date_iso_weeks(2026), 53);
    assert_int_equal(date_iso_weeks(2021), 52);
    assert_int_equal(date_iso_weeks(2024), 52);
    assert_int_equal(date_iso_weeks(2025), 52);

    kn_day d = 0;
    assert_int_equal(date_from_iso_week(2020, 53, &d), 0);
    assert_int_equal(d, date_from_ymd(2020, 12, 28));
    assert_int_equal(date_from_iso_week(2025, 1, &d), 0);
    assert_int_equal(d, date_from_ymd(2024, 12, 30));
    assert_int_equal(date_from_iso_week(2026, 53, &d), 0);
    assert_int_equal(d, date_from_ymd(2026, 12, 28));
    assert_int_equal(date_from_iso_week(2021, 1, &d), 0);
    assert_int_equal(d, date_from_ymd(2021, 1, 4));
    assert_int_equal(date_from_iso_week(2024, 9, &d), 0);
    assert_int_equal(d, date_from_ymd(2024, 2, 26));

    d = 12345;
    assert_int_equal(date_from_iso_week(2021, 53, &d), KN_EINPUT);
    assert_int_equal(date_from_iso_week(2024, 53, &d), KN_EINPUT);
    assert_int_equal(date_from_iso_week(2024, 0, &d), KN_EINPUT);
    assert_int_equal(date_from_iso_week(2020, 54, &d), KN_EINPUT);
    assert_int_equal(date_from_iso_week(2024, -1, &d), KN_EINPUT);
    assert_int_equal(date_from_iso_week(0, 1, &d), KN_EINPUT);
    assert_int_equal(date_from_iso_week(10000, 1, &d), KN_EINPUT);
    assert_int_equal(d, 12345);
}

static void test_age(void **state)
{
    (void)state;
    kn_day leapling = date_from_ymd(2000, 2, 29);
    assert_int_equal(date_age(leapling, leapling), 0);
    assert_int_equal(date_age(leapling, date_from_ymd(2001, 2, 28)), 0);
    assert_int_equal(date_age(leapling, date_from_ymd(2001, 3, 1)), 1);
    assert_int_equal(date_age(leapling, date_from_ymd(2003, 2, 28)), 2);
    assert_int_equal(date_age(leapling, date_from_ymd(2003, 3, 1)), 3);
    assert_int_equal(date_age(leapling, date_from_ymd(2004, 2, 28)), 3);
    assert_int_equal(date_age(leapling, date_from_ymd(2004, 2, 29)), 4);
    assert_int_equal(date_age(leapling, date_from_ymd(2100, 2, 28)), 99);
    assert_int_equal(date_age(leapling, date_from_ymd(2100, 3, 1)), 100);

    kn_day b = date_from_ymd(1990, 6, 15);
    assert_int_equal(date_age(b, date_from_ymd(2024, 6, 14)), 33);
    assert_int_equal(date_age(b, date_from_ymd(2024, 6, 15)), 34);
    assert_int_equal(date_age(b, date_from_ymd(2024, 6, 16)), 34);
    assert_int_equal(date_age(b, date_from_ymd(2024, 5, 31)), 33);
    assert_int_equal(date_age(b, date_from_ymd(2024, 7, 1)), 34);
    assert_int_equal(date_age(b, date_from_ymd(1991, 6, 14)), 0);
    assert_int_equal(date_age(b, date_from_ymd(1991, 6, 15)), 1);

    /* Born before 1970: negative day numbers. */
    kn_day old = date_from_ymd(1930, 12, 31);
    assert_int_equal(date_age(old, date_from_ymd(2024, 12, 30)), 93);
    assert_int_equal(date_age(old, date_from_ymd(2024, 12, 31)), 94);

    kn_day nye = date_from_ymd(1999, 12, 31);
    assert_int_equal(date_age(nye, date_from_ymd(2000, 1, 1)), 0);
    assert_int_equal(date_age_in_year(nye, date_from_ymd(2000, 1, 1)), 1);
    assert_int_equal(date_age_in_year(nye, date_from_ymd(2000, 12, 31)), 1);
    assert_int_equal(date_age_in_year(leapling, date_from_ymd(2001, 1, 1)), 1);
    assert_int_equal(date_age_in_year(b, date_from_ymd(2024, 1, 1)), 34);
    assert_int_equal(date_age_in_year(b, b), 0);
}

static void test_days_between(void **state)
{
    (void)state;
    assert_int_equal(day_of("2024-01-01") - day_of("2023-12-31"), 1);
    assert_int_equal(day_of("2024-03-01") - day_of("2024-02-28"), 2);
    assert_int_equal(day_of("2023-03-01") - day_of("2023-02-28"), 1);
    assert_int_equal(day_of("2025-01-01") - day_of("2024-01-01"), 366);
    assert_int_equal(day_of("2024-01-01") - day_of("2023-01-01"), 365);
    assert_int_equal(day_of("2000-01-01") - day_of("1900-01-01"), 36524);
    assert_int_equal(day_of("2400-01-01") - day_of("2000-01-01"), 146097);
    assert_int_equal(day_of("1970-01-01") - day_of("1969-01-01"), 365);
    assert_int_equal(day_of("1970-01-10") - day_of("1969-12-25"), 16);
    assert_int_equal(day_of("1900-03-01") - day_of("1900-02-28"), 1);
    assert_int_equal(day_of("2000-03-01") - day_of("2000-02-28"), 2);
}

static void test_date_parse_valid(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    kn_day d = 0;
    assert_int_equal(date_parse("2024-02-29", 10, &d, &err), 0);
    assert_int_equal(d, 19782);
    assert_int_equal(date_parse("1970-01-01", 10, &d, &err), 0);
    assert_int_equal(d, 0);
    assert_int_equal(date_parse("1969-12-31", 10, &d, &err), 0);
    assert_int_equal(d, -1);
    assert_int_equal(date_parse("0001-01-01", 10, &d, &err), 0);
    assert_int_equal(d, -719162);
    assert_int_equal(date_parse("9999-12-31", 10, &d, &err), 0);
    assert_int_equal(d, 2932896);
    assert_int_equal(date_parse("2000-02-29", 10, &d, &err), 0);
    assert_int_equal(d, date_from_ymd(2000, 2, 29));
    /* No terminator needed: only len bytes are read. */
    assert_int_equal(date_parse("2024-05-17T10:00", 10, &d, &err), 0);
    assert_int_equal(d, date_from_ymd(2024, 5, 17));
    char exact[10];
    memcpy(exact, "2023-12-31", 10);
    assert_int_equal(date_parse(exact, sizeof exact, &d, &err), 0);
    assert_int_equal(d, date_from_ymd(2023, 12, 31));
    /* err may be NULL. */
    assert_int_equal(date_parse("2024-01-02", 10, &d, NULL), 0);
    assert_int_equal(d, date_from_ymd(2024, 1, 2));
    assert_int_equal(date_parse("2024-13-02", 10, &d, NULL), KN_EINPUT);

    char buf[11];
    date_format(19782, buf);
    assert_string_equal(buf, "2024-02-29");
    date_format(-719162, buf);
    assert_string_equal(buf, "0001-01-01");
    date_format(2932896, buf);
    assert_string_equal(buf, "9999-12-31");
    date_format(-1, buf);
    assert_string_equal(buf, "1969-12-31");
    /* Outside 0001..9999 the text is one no parser accepts. */
    date_format(2932897, buf);
    assert_string_equal(buf, "0000-00-00");
    date_format(-719163, buf);
    assert_string_equal(buf, "0000-00-00");
}

static void test_date_parse_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        const char *msg;
    } cases[] = {
        { "2023-02-29", 10, "'2023-02-29': day 29 is not in February 2023" },
        { "1900-02-29", 10, "day 29 is not in February 1900" },
        { "2024-04-31", 10, "'2024-04-31': day 31 is not in April 2024" },
        { "2024-01-32", 10, "day 32 is not in January 2024" },
        { "2024-01-00", 10, "day 0 is not in January 2024" },
        { "2024-00-10", 10, "'2024-00-10': month 0 does not exist" },
        { "2024-13-01", 10, "'2024-13-01': month 13 does not exist" },
        { "0000-01-01", 10, "'0000-01-01': year 0 does not exist" },
        { "", 0, "'': expected a date as YYYY-MM-DD" },
        { "2024-1-01", 9, "'2024-1-01': expected a date as YYYY-MM-DD" },
        { "2024-01-1", 9, "expected a date as YYYY-MM-DD" },
        { "24-01-01", 8, "expected a date as YYYY-MM-DD" },
        { "20240101", 8, "expected a date as YYYY-MM-DD" },
        { "2024/01/01", 10, "'2024/01/01': expected a date as YYYY-MM-DD" },
        { "2024-01-01 ", 11, "'2024-01-01 ': expected a date as YYYY-MM-DD" },
        { " 2024-01-01", 11, "expected a date as YYYY-MM-DD" },
        { "2024-01-01x", 11, "expected a date as YYYY-MM-DD" },
        { "2024-01-01T00:00", 16, "expected a date as YYYY-MM-DD" },
        { "abcd-01-01", 10, "'abcd-01-01': expected a date as YYYY-MM-DD" },
        { "2024-0a-01", 10, "expected a date as YYYY-MM-DD" },
        { "2024-01-0b", 10, "expected a date as YYYY-MM-DD" },
        { "+024-01-01", 10, "expected a date as YYYY-MM-DD" },
        { "-024-01-01", 10, "expected a date as YYYY-MM-DD" },
        { "2024-+1-01", 10, "expected a date as YYYY-MM-DD" },
        { "2024--1-01", 10, "expected a date as YYYY-MM-DD" },
        { "2024-01 01", 10, "expected a date as YYYY-MM-DD" },
        { "2024-01-0\0", 10, "'2024-01-0?': expected a date as YYYY-MM-DD" },
        { "2024-01-01\0", 11, "'2024-01-01?': expected a date as YYYY-MM-DD" },
        { "2024-\0" "1-01", 10, "'2024-?1-01': expected a date as YYYY-MM-DD" },
        { "2024-01-\xc3\xa5", 10, "'2024-01-\?\?': expected a date as YYYY-MM-DD" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        kn_day d = 4242;
        int rc = date_parse(cases[i].s, cases[i].len, &d, &err);
        if (rc != KN_EINPUT)
            fail_msg("case %zu accepted (rc %d)", i, rc);
        assert_int_equal(err.code, KN_EINPUT);
        assert_int_equal(d, 4242);
        if (strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg, cases[i].msg);
    }

    /* A long input is quoted only in part. */
    char longs[200];
    memset(longs, '7', sizeof longs);
    struct kn_error err = KN_ERROR_INIT;
    kn_day d;
    assert_int_equal(date_parse(longs, sizeof longs, &d, &err), KN_EINPUT);
    assert_true(strlen(err.msg) < 100);
    assert_non_null(strstr(err.msg, "...'"));
}

static void test_time_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        kn_time want;
    } ok[] = {
        { "2024-02-29", 19782LL * 86400 },
        { "2024-02-29T13:05", 19782LL * 86400 + 13 * 3600 + 5 * 60 },
        { "2024-02-29 13:05", 19782LL * 86400 + 13 * 3600 + 5 * 60 },
        { "2024-02-29T13:05:59", 19782LL * 86400 + 13 * 3600 + 5 * 60 + 59 },
        { "2024-02-29 13:05:59", 19782LL * 86400 + 13 * 3600 + 5 * 60 + 59 },
        { "2024-02-29T00:00:00", 19782LL * 86400 },
        { "2024-02-29T23:59:59", 19783LL * 86400 - 1 },
        { "1970-01-01T00:00:00", 0 },
        { "1970-01-01T00:00:01", 1 },
        { "1969-12-31T23:59:59", -1 },
        { "1969-12-31T00:00", -86400 },
        { "0001-01-01T00:00:00", -719162LL * 86400 },
        { "9999-12-31T23:59:59", 2932897LL * 86400 - 1 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        kn_time t = 7;
        int rc = time_parse(ok[i].s, strlen(ok[i].s), &t, &err);
        if (rc != 0)
            fail_msg("'%s' refused: %s", ok[i].s, err.msg);
        assert_int_equal(t, ok[i].want);
    }

    static const struct {
        const char *s;
        size_t len;
        const char *msg;
    } bad[] = {
        { "2024-02-29T24:00", 16, "'2024-02-29T24:00': hour 24 is out of range" },
        { "2024-02-29T99:00:00", 19, "hour 99 is out of range" },
        { "2024-02-29T23:60", 16, "minute 60 is out of range" },
        { "2024-02-29T23:59:60", 19, "second 60 is out of range" },
        { "2023-02-29T10:00", 16, "'2023-02-29T10:00': day 29 is not in February 2023" },
        { "2024-13-01T10:00", 16, "month 13 does not exist" },
        { "0000-01-01T10:00", 16, "year 0 does not exist" },
        { "2024-02-29t13:05", 16, "expected a time as" },
        { "2024-02-29_13:05", 16, "expected a time as" },
        { "2024-02-29  13:05", 17, "expected a time as" },
        { "2024-02-29T1305", 15, "expected a time as" },
        { "2024-02-29T13", 13, "expected a time as" },
        { "2024-02-29T", 11, "expected a time as" },
        { "2024-02-29T13:05:5", 18, "expected a time as" },
        { "2024-02-29T13:05:59Z", 20, "expected a time as" },
        { "2024-02-29T13:05:59.5", 21, "expected a time as" },
        { "2024-02-29T13:05:59 ", 20, "expected a time as" },
        { "2024-02-29T13.05", 16, "expected a time as" },
        { "2024-02-29T13:05.59", 19, "expected a time as" },
        { "2024-02-29T1a:05", 16, "expected a time as" },
        { "2024-02-29T13:0\0", 16, "'2024-02-29T13:0?': expected a time as" },
        { "2024-02-29\0", 11, "expected a time as" },
        { "2024-2-29T13:05", 15, "expected a time as" },
        { "2024/02/29T13:05", 16, "expected a time as" },
        { "", 0, "expected a time as" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        kn_time t = 4242;
        int rc = time_parse(bad[i].s, bad[i].len, &t, &err);
        if (rc != KN_EINPUT)
            fail_msg("case %zu accepted (rc %d)", i, rc);
        assert_int_equal(err.code, KN_EINPUT);
        assert_int_equal(t, 4242);
        if (strstr(err.msg, bad[i].msg) == NULL)
            fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg, bad[i].msg);
    }
}

static void test_time_format(void **state)
{
    (void)state;
    char buf[20];
    time_format(19782LL * 86400 + 13 * 3600 + 5 * 60 + 59, buf);
    assert_string_equal(buf, "2024-02-29T13:05:59");
    time_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00");
    time_format(2932897LL * 86400 - 1, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59");
    time_format(-719162LL * 86400, buf);
    assert_string_equal(buf, "0001-01-01T00:00:00");

    /* Round trip through the text form on both sides of 1970, at a
     * stride that lands on many different times of day. */
    struct kn_error err = KN_ERROR_INIT;
    for (kn_time t = -3LL * 86400 * 400; t < 3LL * 86400 * 400; t += 86400 / 4 + 7) {
        time_format(t, buf);
        kn_time back = 0;
        assert_int_equal(time_parse(buf, 19, &back, &err), 0);
        assert_int_equal(back, t);
        assert_int_equal(time_to_day(t), time_to_day(time_from_day(time_to_day(t))));
        assert_true(time_from_day(time_to_day(t)) <= t);
        assert_true(t < time_from_day(time_to_day(t) + 1));
    }
}

/* The hour skipped when Swedish summer time begins does not exist: the
 * clocks go from 02:00 to 03:00 local time (01:00 UTC) on the last Sunday
 * of March (from 1981; 6 April in 1980; none before). The dates are
 * checked against a calendar, not computed. */
static void test_time_parse_summer_gap(void **state)
{
    (void)state;
    static const char *const gap[] = {
        "2024-03-31T02:30", "2024-03-31T02:00", "2024-03-31T02:59:59", "2023-03-26T02:15",
        "2025-03-30T02:00:01", "2021-03-28 02:45", "1996-03-31T02:30", "1981-03-29T02:30",
        "1980-04-06T02:30",
    };
    static const char *const fine[] = {
        "2024-03-31T01:59:59", "2024-03-31T03:00", "2024-03-31", "2024-03-30T02:30",
        "2024-03-24T02:30", "2024-04-07T02:30", "2024-10-27T02:30", /* twice, but exists */
        "1979-03-25T02:30", "1980-03-30T02:30", "1970-01-01T02:30", "2022-03-27T03:00",
    };
    kn_time t;
    for (size_t i = 0; i < sizeof gap / sizeof gap[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        if (time_parse(gap[i], strlen(gap[i]), &t, &err) != KN_EINPUT)
            fail_msg("'%s' was accepted", gap[i]);
        assert_non_null(strstr(err.msg, "does not exist in Swedish time"));
    }
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        if (time_parse(fine[i], strlen(fine[i]), &t, &err) != 0)
            fail_msg("'%s': %s", fine[i], err.msg);
    }
    assert_int_equal(date_summer_start(2024), date_from_ymd(2024, 3, 31));
    assert_int_equal(date_summer_start(2026), date_from_ymd(2026, 3, 29));
    assert_int_equal(date_summer_start(1979), 0);
}

static void test_today(void **state)
{
    (void)state;
    /* Compute the local date independently before and after; midnight may
     * pass in between. */
    time_t now = time(NULL);
    struct tm tm;
    assert_non_null(localtime_r(&now, &tm));
    kn_day before = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    kn_day today = date_today();
    now = time(NULL);
    assert_non_null(localtime_r(&now, &tm));
    kn_day after = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    assert_true(today == before || today == after);
    assert_true(today > date_from_ymd(2024, 1, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_negative_days),
        cmocka_unit_test(test_round_trip_oracle),
        cmocka_unit_test(test_iso_weeks),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_days_between),
        cmocka_unit_test(test_date_parse_valid),
        cmocka_unit_test(test_date_parse_invalid),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_parse_summer_gap),
        cmocka_unit_test(test_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
