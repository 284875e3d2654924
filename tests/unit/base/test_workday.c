/* tests/unit/base/test_workday.c: src/base/workday.c against published
 * dates (Easter from the tables of the Swedish almanac; holidays by law)
 * and against an independent reading of the rules over 1900-2199. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/workday.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static void test_easter(void **state)
{
    (void)state;
    static const int known[][3] = {
        {1961, 4, 2},  {2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24}, {2019, 4, 21},
        {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2038, 4, 25}, {2285, 3, 22},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_int_equal(workday_easter(known[i][0]),
                         D(known[i][0], known[i][1], known[i][2]));
}

static void test_holidays_2025(void **state)
{
    (void)state;
    /* Every non-weekend holiday of 2025, and the days around them. */
    static const int hol[][2] = {
        {1, 1}, {1, 6},  {4, 18},  {4, 21},  {5, 1},   {5, 29},
        {6, 6}, {6, 20}, {12, 24}, {12, 25}, {12, 26}, {12, 31},
    };
    int weekday_holidays = 0;
    for (kn_day d = D(2025, 1, 1); d <= D(2025, 12, 31); d++)
        if (date_weekday(d) <= 5 && workday_is_holiday(d))
            weekday_holidays++;
    assert_int_equal(weekday_holidays, (int)(sizeof hol / sizeof hol[0]));
    for (size_t i = 0; i < sizeof hol / sizeof hol[0]; i++)
        assert_true(workday_is_holiday(D(2025, hol[i][0], hol[i][1])));
    assert_true(workday_is_holiday(D(2025, 6, 21))); /* Midsummer Day, a Saturday */
    assert_true(workday_is_holiday(D(2025, 11, 1))); /* All Saints' Day */
    assert_true(workday_is_holiday(D(2025, 6, 8)));  /* Whit Sunday */
    assert_false(workday_is_holiday(D(2025, 6, 9))); /* Whit Monday: not since 2005 */
    assert_false(workday_is_holiday(D(2025, 6, 19)));
    assert_true(workday_is_working(D(2025, 6, 19)));
    assert_false(workday_is_working(D(2025, 6, 7))); /* a Saturday */
    /* 365 days, 104 weekend days, 12 weekday holidays. */
    assert_int_equal(workday_count(D(2024, 12, 31), D(2025, 12, 31)), 365 - 104 - 12);
}

static void test_count(void **state)
{
    (void)state;
    /* Friday 19 December 2025 to Monday 29 December: 22 and 23 December,
     * then Christmas Eve, Christmas, Boxing Day and a weekend, then 29. */
    assert_int_equal(workday_count(D(2025, 12, 19), D(2025, 12, 29)), 3);
    assert_int_equal(workday_count(D(2025, 12, 19), D(2025, 12, 19)), 0);
    assert_int_equal(workday_count(D(2025, 12, 19), D(2025, 12, 1)), 0);
    /* Maundy Thursday to the Tuesday after Easter 2025: 1 working day. */
    assert_int_equal(workday_count(D(2025, 4, 17), D(2025, 4, 22)), 1);
}

/* The rules read independently: fixed dates, Easter-relative days, and the
 * Saturdays/Friday found by walking the window day by day. */
static bool oracle(kn_day d)
{
    struct kn_ymd t = date_to_ymd(d);
    static const int fixed[][2] = {{1, 1},   {1, 6},   {5, 1},   {6, 6},
                                   {12, 24}, {12, 25}, {12, 26}, {12, 31}};
    for (size_t i = 0; i < 8; i++)
        if (t.month == fixed[i][0] && t.day == fixed[i][1])
            return true;
    kn_day e = workday_easter(t.year);
    if (d == e - 2 || d == e || d == e + 1 || d == e + 39 || d == e + 49)
        return true;
    if (date_weekday(d) == 6 && t.month == 6 && t.day >= 20 && t.day <= 26)
        return true; /* Midsummer Day */
    if (date_weekday(d) == 5 && t.month == 6 && t.day >= 19 && t.day <= 25)
        return true; /* Midsummer Eve */
    if (date_weekday(d) == 6 &&
        ((t.month == 10 && t.day == 31) || (t.month == 11 && t.day <= 6)))
        return true; /* All Saints' Day */
    return false;
}

static void test_against_oracle(void **state)
{
    (void)state;
    for (kn_day d = D(1900, 1, 1); d <= D(2199, 12, 31); d++)
        if (workday_is_holiday(d) != oracle(d))
            fail_msg("day %d: %d vs oracle %d", (int)d, workday_is_holiday(d), oracle(d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_holidays_2025),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_against_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
