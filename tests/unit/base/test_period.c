/* tests/unit/base/test_period.c: src/base/period.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/period.h"

static const enum period_kind all_kinds[] = {
    PERIOD_DAY,    PERIOD_WEEK,    PERIOD_MONTH,
    PERIOD_QUARTER, PERIOD_TERTIAL, PERIOD_YEAR,
};
#define NKINDS (sizeof all_kinds / sizeof all_kinds[0])

static kn_day ymd(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static void assert_period(struct period p, enum period_kind kind, kn_day start,
                          kn_day end)
{
    assert_int_equal(p.kind, kind);
    assert_int_equal(p.start, start);
    assert_int_equal(p.end, end);
}

/* Parse s (its strlen); fails the test on error. */
static struct period parse(const char *s)
{
    struct period p = { PERIOD_DAY, 0, 0 };
    struct kn_error err = KN_ERROR_INIT;
    if (period_parse(s, strlen(s), &p, &err) != 0)
        fail_msg("'%s' refused: %s", s, err.msg);
    return p;
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[] = { "day", "week", "month",
                                         "quarter", "tertial", "year" };
    for (size_t i = 0; i < NKINDS; i++) {
        assert_string_equal(period_kind_name(all_kinds[i]), names[i]);
        enum period_kind k = PERIOD_YEAR;
        assert_int_equal(period_kind_parse(names[i], &k), 0);
        assert_int_equal(k, all_kinds[i]);
    }
    enum period_kind k = PERIOD_MONTH;
    assert_int_equal(period_kind_parse("Week", &k), KN_EINPUT);
    assert_int_equal(period_kind_parse("days", &k), KN_EINPUT);
    assert_int_equal(period_kind_parse("", &k), KN_EINPUT);
    assert_int_equal(period_kind_parse("year ", &k), KN_EINPUT);
    assert_int_equal(period_kind_parse("tertiary", &k), KN_EINPUT);
    assert_int_equal(period_kind_parse(NULL, &k), KN_EINPUT);
    assert_int_equal(k, PERIOD_MONTH);
}

static void test_period_of_each_kind(void **state)
{
    (void)state;
    kn_day d = ymd(2024, 5, 17); /* a Friday */
    assert_period(period_of(PERIOD_DAY, d), PERIOD_DAY, d, d + 1);
    assert_period(period_of(PERIOD_WEEK, d), PERIOD_WEEK, ymd(2024, 5, 13),
                  ymd(2024, 5, 20));
    assert_period(period_of(PERIOD_MONTH, d), PERIOD_MONTH, ymd(2024, 5, 1),
                  ymd(2024, 6, 1));
    assert_period(period_of(PERIOD_QUARTER, d), PERIOD_QUARTER, ymd(2024, 4, 1),
                  ymd(2024, 7, 1));
    assert_period(period_of(PERIOD_TERTIAL, d), PERIOD_TERTIAL, ymd(2024, 5, 1),
                  ymd(2024, 9, 1));
    assert_period(period_of(PERIOD_YEAR, d), PERIOD_YEAR, ymd(2024, 1, 1),
                  ymd(2025, 1, 1));

    /* Edges: a Monday and a Sunday, the last month of a quarter, December. */
    assert_period(period_of(PERIOD_WEEK, ymd(2024, 5, 13)), PERIOD_WEEK,
                  ymd(2024, 5, 13), ymd(2024, 5, 20));
    assert_period(period_of(PERIOD_WEEK, ymd(2024, 5, 19)), PERIOD_WEEK,
                  ymd(2024, 5, 13), ymd(2024, 5, 20));
    assert_period(period_of(PERIOD_WEEK, ymd(2021, 1, 1)), PERIOD_WEEK,
                  ymd(2020, 12, 28), ymd(2021, 1, 4));
    assert_period(period_of(PERIOD_QUARTER, ymd(2024, 3, 31)), PERIOD_QUARTER,
                  ymd(2024, 1, 1), ymd(2024, 4, 1));
    assert_period(period_of(PERIOD_QUARTER, ymd(2024, 12, 31)), PERIOD_QUARTER,
                  ymd(2024, 10, 1), ymd(2025, 1, 1));
    assert_period(period_of(PERIOD_TERTIAL, ymd(2024, 4, 30)), PERIOD_TERTIAL,
                  ymd(2024, 1, 1), ymd(2024, 5, 1));
    assert_period(period_of(PERIOD_TERTIAL, ymd(2024, 9, 1)), PERIOD_TERTIAL,
                  ymd(2024, 9, 1), ymd(2025, 1, 1));
    assert_period(period_of(PERIOD_MONTH, ymd(2023, 12, 31)), PERIOD_MONTH,
                  ymd(2023, 12, 1), ymd(2024, 1, 1));
    assert_period(period_of(PERIOD_YEAR, ymd(1969, 7, 20)), PERIOD_YEAR,
                  ymd(1969, 1, 1), ymd(1970, 1, 1));
    assert_period(period_of(PERIOD_YEAR, ymd(9999, 12, 31)), PERIOD_YEAR,
                  ymd(9999, 1, 1), ymd(9999, 12, 31) + 1);

    /* Containment is half-open. */
    for (size_t i = 0; i < NKINDS; i++) {
        struct period p = period_of(all_kinds[i], d);
        assert_true(period_contains(p, d));
        assert_true(period_contains(p, p.start));
        assert_true(period_contains(p, p.end - 1));
        assert_false(period_contains(p, p.end));
        assert_false(period_contains(p, p.start - 1));
    }
}

/* Oracle: for every day of 1899..2031 and every kind, the period holds the
 * day, and the same period comes back for each day inside it; the ends line
 * up with the naive rule for where such a period starts. */
static void test_period_of_oracle(void **state)
{
    (void)state;
    for (kn_day d = ymd(1899, 1, 1); d < ymd(2032, 1, 1); d++) {
        struct kn_ymd t = date_to_ymd(d);
        for (size_t i = 0; i < NKINDS; i++) {
            struct period p = period_of(all_kinds[i], d);
            assert_int_equal(p.kind, all_kinds[i]);
            assert_true(period_contains(p, d));
            struct period q = period_of(all_kinds[i], p.start);
            assert_int_equal(q.start, p.start);
            assert_int_equal(q.end, p.end);
            q = period_of(all_kinds[i], p.end - 1);
            assert_int_equal(q.start, p.start);
            assert_int_equal(q.end, p.end);
        }
        /* A new period starts on d exactly when the naive rule says so. */
        int mon = date_weekday(d) == 1;
        assert_int_equal(period_of(PERIOD_WEEK, d).start == d, mon);
        int first = t.day == 1;
        assert_int_equal(period_of(PERIOD_MONTH, d).start == d, first);
        assert_int_equal(period_of(PERIOD_QUARTER, d).start == d,
                         first && (t.month == 1 || t.month == 4 ||
                                   t.month == 7 || t.month == 10));
        assert_int_equal(period_of(PERIOD_TERTIAL, d).start == d,
                         first && (t.month == 1 || t.month == 5 || t.month == 9));
        assert_int_equal(period_of(PERIOD_YEAR, d).start == d,
                         first && t.month == 1);
    }
}

static void test_lengths(void **state)
{
    (void)state;
    assert_int_equal(period_days(parse("2024-Q1")), 91);
    assert_int_equal(period_days(parse("2023-Q1")), 90);
    assert_int_equal(period_days(parse("2024-Q2")), 91);
    assert_int_equal(period_days(parse("2024-Q3")), 92);
    assert_int_equal(period_days(parse("2024-Q4")), 92);
    assert_int_equal(period_days(parse("2023-T1")), 120);
    assert_int_equal(period_days(parse("2024-T1")), 121);
    assert_int_equal(period_days(parse("2023-T2")), 123);
    assert_int_equal(period_days(parse("2023-T3")), 122);
    assert_int_equal(period_days(parse("2024")), 366);
    assert_int_equal(period_days(parse("2023")), 365);
    assert_int_equal(period_days(parse("1900")), 365);
    assert_int_equal(period_days(parse("2000")), 366);
    assert_int_equal(period_days(parse("2024-02")), 29);
    assert_int_equal(period_days(parse("2023-02")), 28);
    assert_int_equal(period_days(parse("2024-04")), 30);
    assert_int_equal(period_days(parse("2024-12")), 31);
    assert_int_equal(period_days(parse("2024-W01")), 7);
    assert_int_equal(period_days(parse("2020-W53")), 7);
    assert_int_equal(period_days(parse("2024-02-29")), 1);
}

/* Chain `count` periods from the one holding `from`: no gaps, no overlap,
 * and they end exactly at `to`. prev undoes next. */
static void check_chain(enum period_kind kind, kn_day from, int count, kn_day to)
{
    struct period p = period_of(kind, from);
    assert_int_equal(p.start, from);
    int total = 0;
    for (int i = 0; i < count; i++) {
        struct period n = period_next(p);
        assert_int_equal(n.kind, kind);
        assert_int_equal(n.start, p.end);
        assert_true(n.end > n.start);
        struct period back = period_prev(n);
        assert_period(back, kind, p.start, p.end);
        total += period_days(p);
        if (i == count - 1)
            assert_int_equal(p.end, to);
        p = n;
    }
    assert_int_equal(total, to - from);
}

static void test_next_prev_chain(void **state)
{
    (void)state;
    kn_day y2024 = ymd(2024, 1, 1), y2025 = ymd(2025, 1, 1);
    check_chain(PERIOD_MONTH, y2024, 12, y2025);
    check_chain(PERIOD_QUARTER, y2024, 4, y2025);
    check_chain(PERIOD_TERTIAL, y2024, 3, y2025);
    check_chain(PERIOD_DAY, y2024, 366, y2025);
    check_chain(PERIOD_YEAR, ymd(1999, 1, 1), 3, ymd(2002, 1, 1));
    /* ISO year 2020 has 53 weeks, 2021 has 52. */
    check_chain(PERIOD_WEEK, parse("2020-W01").start, 53, parse("2021-W01").start);
    check_chain(PERIOD_WEEK, parse("2021-W01").start, 52, parse("2022-W01").start);
    /* Across 1970 and the start of the calendar. */
    check_chain(PERIOD_MONTH, ymd(1969, 6, 1), 12, ymd(1970, 6, 1));
    check_chain(PERIOD_QUARTER, ymd(1, 1, 1), 4, ymd(2, 1, 1));

    struct period m = parse("2024-12");
    assert_period(period_next(m), PERIOD_MONTH, y2025, ymd(2025, 2, 1));
    assert_period(period_prev(parse("2024-01")), PERIOD_MONTH, ymd(2023, 12, 1),
                  y2024);
    assert_period(period_next(parse("2024-T3")), PERIOD_TERTIAL, y2025,
                  ymd(2025, 5, 1));
    assert_period(period_prev(parse("2024-Q1")), PERIOD_QUARTER, ymd(2023, 10, 1),
                  y2024);
    assert_period(period_next(parse("2020-W53")), PERIOD_WEEK, ymd(2021, 1, 4),
                  ymd(2021, 1, 11));
    assert_period(period_prev(parse("2024-03-01")), PERIOD_DAY, ymd(2024, 2, 29),
                  ymd(2024, 3, 1));
}

static void check_format(struct period p, const char *want)
{
    char buf[16];
    int n = period_format(p, buf, sizeof buf);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void test_format(void **state)
{
    (void)state;
    kn_day d = ymd(2024, 5, 17);
    check_format(period_of(PERIOD_DAY, d), "2024-05-17");
    check_format(period_of(PERIOD_WEEK, d), "2024-W20");
    check_format(period_of(PERIOD_MONTH, d), "2024-05");
    check_format(period_of(PERIOD_QUARTER, d), "2024-Q2");
    check_format(period_of(PERIOD_TERTIAL, d), "2024-T2");
    check_format(period_of(PERIOD_YEAR, d), "2024");
    /* The week-numbering year differs from the calendar year. */
    check_format(period_of(PERIOD_WEEK, ymd(2024, 12, 30)), "2025-W01");
    check_format(period_of(PERIOD_WEEK, ymd(2021, 1, 3)), "2020-W53");
    check_format(period_of(PERIOD_WEEK, ymd(2026, 12, 31)), "2026-W53");
    check_format(period_of(PERIOD_WEEK, ymd(2024, 2, 29)), "2024-W09");
    check_format(period_of(PERIOD_QUARTER, ymd(2024, 12, 31)), "2024-Q4");
    check_format(period_of(PERIOD_TERTIAL, ymd(2024, 4, 30)), "2024-T1");
    check_format(period_of(PERIOD_TERTIAL, ymd(2024, 9, 1)), "2024-T3");
    check_format(period_of(PERIOD_MONTH, ymd(1, 1, 1)), "0001-01");
    check_format(period_of(PERIOD_YEAR, ymd(987, 6, 5)), "0987");

    /* cap: 8 bytes hold "2024-05" and its NUL, 7 do not. */
    char buf[16];
    struct period m = period_of(PERIOD_MONTH, d);
    assert_int_equal(period_format(m, buf, 8), 7);
    assert_string_equal(buf, "2024-05");
    memset(buf, 'x', sizeof buf);
    assert_true(period_format(m, buf, 7) < 0);
    assert_int_equal(buf[0], '\0');
    assert_true(period_format(m, buf, 0) < 0);
    assert_true(period_format(period_of(PERIOD_DAY, d), buf, 10) < 0);
    assert_int_equal(period_format(period_of(PERIOD_DAY, d), buf, 11), 10);
    assert_true(period_format(period_of(PERIOD_YEAR, d), buf, 4) < 0);
    assert_int_equal(period_format(period_of(PERIOD_YEAR, d), buf, 5), 4);
}

static void test_parse_valid(void **state)
{
    (void)state;
    assert_period(parse("2024-05-17"), PERIOD_DAY, ymd(2024, 5, 17),
                  ymd(2024, 5, 18));
    assert_period(parse("2024-W05"), PERIOD_WEEK, ymd(2024, 1, 29), ymd(2024, 2, 5));
    assert_period(parse("2025-W01"), PERIOD_WEEK, ymd(2024, 12, 30), ymd(2025, 1, 6));
    assert_period(parse("2020-W53"), PERIOD_WEEK, ymd(2020, 12, 28), ymd(2021, 1, 4));
    assert_period(parse("2026-W53"), PERIOD_WEEK, ymd(2026, 12, 28), ymd(2027, 1, 4));
    assert_period(parse("2024-05"), PERIOD_MONTH, ymd(2024, 5, 1), ymd(2024, 6, 1));
    assert_period(parse("2024-12"), PERIOD_MONTH, ymd(2024, 12, 1), ymd(2025, 1, 1));
    assert_period(parse("2024-Q2"), PERIOD_QUARTER, ymd(2024, 4, 1), ymd(2024, 7, 1));
    assert_period(parse("2024-Q4"), PERIOD_QUARTER, ymd(2024, 10, 1), ymd(2025, 1, 1));
    assert_period(parse("2024-T1"), PERIOD_TERTIAL, ymd(2024, 1, 1), ymd(2024, 5, 1));
    assert_period(parse("2024-T2"), PERIOD_TERTIAL, ymd(2024, 5, 1), ymd(2024, 9, 1));
    assert_period(parse("2024-T3"), PERIOD_TERTIAL, ymd(2024, 9, 1), ymd(2025, 1, 1));
    assert_period(parse("2024"), PERIOD_YEAR, ymd(2024, 1, 1), ymd(2025, 1, 1));
    assert_period(parse("0001"), PERIOD_YEAR, ymd(1, 1, 1), ymd(2, 1, 1));
    assert_period(parse("9999"), PERIOD_YEAR, ymd(9999, 1, 1), ymd(9999, 12, 31) + 1);

    /* Only len bytes are read. */
    struct period p;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(period_parse("2024-Q3xyz", 7, &p, &err), 0);
    assert_period(p, PERIOD_QUARTER, ymd(2024, 7, 1), ymd(2024, 10, 1));
    assert_int_equal(period_parse("2024-05-17", 4, &p, NULL), 0);
    assert_int_equal(p.kind, PERIOD_YEAR);
}

/* format(parse(s)) == s and parse(format(p)) == p for every period of every
 * kind over 2019..2027. */
static void test_round_trip(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "2024-05-17", "2024-W05", "2025-W01", "2020-W53", "2024-05",
        "2024-Q2",    "2024-T1",  "2024-T3",  "2024",     "0001-W01",
        "9999-12",    "1969-12-31",
    };
    char buf[16];
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        int n = period_format(parse(forms[i]), buf, sizeof buf);
        assert_int_equal(n, (int)strlen(forms[i]));
        assert_string_equal(buf, forms[i]);
    }
    for (size_t i = 0; i < NKINDS; i++) {
        int count = 0;
        for (struct period p = period_of(all_kinds[i], ymd(2019, 1, 1));
             p.start < ymd(2028, 1, 1); p = period_next(p)) {
            int n = period_format(p, buf, sizeof buf);
            assert_true(n > 0);
            struct period q = parse(buf);
            assert_period(q, p.kind, p.start, p.end);
            count++;
        }
        static const int want[] = { 3287, 470, 108, 36, 27, 9 };
        assert_int_equal(count, want[i]);
    }
}

static void test_parse_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        const char *msg;
    } cases[] = {
        { "2024-Q5", 7, "'2024-Q5': quarter 5 does not exist" },
        { "2024-Q0", 7, "quarter 0 does not exist" },
        { "2024-T4", 7, "'2024-T4': tertial 4 does not exist" },
        { "2024-T0", 7, "tertial 0 does not exist" },
        { "2021-W53", 8, "'2021-W53': week 53 does not exist in 2021" },
        { "2024-W53", 8, "week 53 does not exist in 2024" },
        { "2020-W54", 8, "week 54 does not exist in 2020" },
        { "2024-W00", 8, "'2024-W00': week 0 does not exist" },
        { "2024-13", 7, "'2024-13': month 13 does not exist" },
        { "2024-00", 7, "month 0 does not exist" },
        { "0000", 4, "'0000': year 0 does not exist" },
        { "0000-Q1", 7, "year 0 does not exist" },
        { "0000-W01", 8, "year 0 does not exist" },
        { "2023-02-29", 10, "'2023-02-29': day 29 is not in February 2023" },
        { "2024-05-32", 10, "day 32 is not in May 2024" },
        { "2024/05/17", 10, "expected a date as YYYY-MM-DD" },
        { "", 0, "'': expected a period as" },
        { "24", 2, "expected a period as" },
        { "202", 3, "expected a period as" },
        { "20245", 5, "expected a period as" },
        { "2024-", 5, "expected a period as" },
        { "2024-5", 6, "expected a period as" },
        { "2024-W5", 7, "expected a period as" },
        { "2024-W054", 9, "expected a period as" },
        { "2024-q2", 7, "expected a period as" },
        { "2024-t1", 7, "expected a period as" },
        { "2024-w05", 8, "expected a period as" },
        { "2024-H1", 7, "expected a period as" },
        { "2024-Qx", 7, "expected a period as" },
        { "2024-Q2 ", 8, "expected a period as" },
        { " 2024", 5, "expected a period as" },
        { "2024 ", 5, "expected a period as" },
        { "abcd", 4, "'abcd': expected a period as" },
        { "2O24", 4, "expected a period as" },
        { "2024-0a", 7, "expected a period as" },
        { "2024_05", 7, "expected a period as" },
        { "2024-W0a", 8, "expected a period as" },
        { "2024-X05", 8, "expected a period as" },
        { "2024\0", 5, "'2024?': expected a period as" },
        { "2024-Q\0", 7, "'2024-Q?': expected a period as" },
        { "20\0" "24", 4, "'20?2': expected a period as" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        struct period p = { PERIOD_MONTH, 4242, 4243 };
        int rc = period_parse(cases[i].s, cases[i].len, &p, &err);
        if (rc != KN_EINPUT)
            fail_msg("case %zu accepted (rc %d)", i, rc);
        assert_int_equal(err.code, KN_EINPUT);
        assert_period(p, PERIOD_MONTH, 4242, 4243);
        if (strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg, cases[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_period_of_each_kind),
        cmocka_unit_test(test_period_of_oracle),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_next_prev_chain),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parse_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
