/* tests/unit/network/test_fund.c: src/network/fund.c, the largest-remainder
 * division of a grant, against hand-worked cases and, on random inputs,
 * against the method's definition checked in exact arithmetic. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "network/fund.h"

__extension__ typedef __int128 i128;

static void run(const int64_t *w, size_t n, int64_t grant, int64_t *amounts)
{
    struct fund_part p[64];
    int64_t total;
    struct kn_error err = KN_ERROR_INIT;
    for (size_t i = 0; i < n; i++)
        p[i].weight = w[i];
    assert_int_equal(fund_allocate(p, n, grant, &total, &err), 0);
    for (size_t i = 0; i < n; i++)
        amounts[i] = p[i].amount;
}

static void test_by_hand(void **state)
{
    (void)state;
    int64_t a[8];
    /* 100 in three equal parts: 33.33 each, the one krona left to the
     * first (a tie goes to the earlier area). */
    run((int64_t[]){1, 1, 1}, 3, 100, a);
    assert_int_equal(a[0], 34);
    assert_int_equal(a[1], 33);
    assert_int_equal(a[2], 33);
    /* 10 by 5, 3, 2: exact quotas. */
    run((int64_t[]){5, 3, 2}, 3, 10, a);
    assert_int_equal(a[0], 5);
    assert_int_equal(a[1], 3);
    assert_int_equal(a[2], 2);
    /* 7 by 3, 3, 1 (7ths): quotas 3, 3, 1 exactly. 8 by the same: 3.43,
     * 3.43, 1.14 -> floors 3, 3, 1 and the krona left to the earlier of the
     * two largest remainders. */
    run((int64_t[]){3, 3, 1}, 3, 8, a);
    assert_int_equal(a[0], 4);
    assert_int_equal(a[1], 3);
    assert_int_equal(a[2], 1);
    /* Hamilton's classic case: 10 by 60, 28, 12 -> 6, 2.8, 1.2 -> 6, 3, 1. */
    run((int64_t[]){60, 28, 12}, 3, 10, a);
    assert_int_equal(a[0], 6);
    assert_int_equal(a[1], 3);
    assert_int_equal(a[2], 1);
    /* An area of weight 0 gets nothing; a grant of 0 gives 0 to all. */
    run((int64_t[]){0, 2, 1}, 3, 5, a);
    assert_int_equal(a[0], 0);
    assert_int_equal(a[1] + a[2], 5);
    run((int64_t[]){4, 4}, 2, 0, a);
    assert_int_equal(a[0] + a[1], 0);
    /* The largest grant with Sweden's population: no overflow. */
    run((int64_t[]){2486310, 8119235}, 2, FUND_GRANT_MAX, a);
    assert_int_equal(a[0] + a[1], FUND_GRANT_MAX);
}

static void test_refused(void **state)
{
    (void)state;
    struct fund_part p[2] = {{.weight = 1}, {.weight = -1}};
    int64_t total;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(fund_allocate(p, 2, 10, &total, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "area 2 has a negative population"));
    p[1].weight = 0;
    p[0].weight = 0;
    assert_int_equal(fund_allocate(p, 2, 10, &total, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "sum to 0"));
    p[0].weight = 1;
    assert_int_equal(fund_allocate(p, 2, -1, &total, &err), KN_EINPUT);
    assert_int_equal(fund_allocate(p, 2, FUND_GRANT_MAX + 1, &total, &err), KN_EINPUT);
    assert_int_equal(fund_allocate(p, 0, 10, &total, &err), KN_EINPUT);
}

/* The method's definition, checked on random inputs in exact arithmetic
 * (products below 2^63 by the ranges drawn): the sum is the grant; each
 * amount is floor(q) or floor(q) + 1 for q = grant * w / W; every area
 * rounded up has a remainder at least that of every area rounded down,
 * and on equal remainders the earlier area is the one rounded up. */
static void test_random_against_definition(void **state)
{
    (void)state;
    srand(12345);
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + (size_t)(rand() % 40);
        struct fund_part p[64];
        int64_t grant = rand() % 3 == 0 ? rand() % 50 : (int64_t)rand() * 97;
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            p[i].weight = rand() % 4 == 0 ? rand() % 4 : rand() % 2000000;
            any |= p[i].weight > 0;
        }
        if (!any)
            p[0].weight = 1;
        int64_t total, sum = 0, w = 0;
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(fund_allocate(p, n, grant, &total, &err), 0);
        for (size_t i = 0; i < n; i++)
            w += p[i].weight;
        assert_int_equal(total, w);
        for (size_t i = 0; i < n; i++) {
            /* The quota's floor and remainder, computed here in 128 bits. */
            i128 q = (i128)grant * p[i].weight;
            i128 fl = q / w, rm = q % w;
            assert_true(p[i].amount == (int64_t)fl || p[i].amount == (int64_t)fl + 1);
            assert_true(rm == p[i].rem);
            sum += p[i].amount;
        }
        assert_int_equal(sum, grant);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                bool up_i = p[i].amount > p[i].floor, up_j = p[j].amount > p[j].floor;
                if (up_i && !up_j) {
                    assert_true(p[i].rem >= p[j].rem);
                    if (p[i].rem == p[j].rem)
                        assert_true(i < j);
                }
            }
    }
}

static void test_quota_text(void **state)
{
    (void)state;
    char buf[40];
    struct fund_part p = {.floor = 33, .rem = 1}; /* 33 + 1/3 */
    assert_string_equal(fund_quota_text(&p, 3, buf), "33.3333");
    p.rem = 2; /* 33 + 2/3 */
    assert_string_equal(fund_quota_text(&p, 3, buf), "33.6667");
    p = (struct fund_part){.floor = 9, .rem = 99999}; /* 9.99999 rounds to 10 */
    assert_string_equal(fund_quota_text(&p, 100000, buf), "10.0000");
    p = (struct fund_part){.floor = 5, .rem = 0};
    assert_string_equal(fund_quota_text(&p, 7, buf), "5.0000");
}

/* How far rounding moved a part: down by the quota's fraction, up by the
 * rest of a krona, and "0.0000" for a whole quota either way. */
static void test_rounding_text(void **state)
{
    (void)state;
    char buf[48];
    struct fund_part p = {.floor = 33, .rem = 1, .amount = 33}; /* 33.3333 down */
    assert_string_equal(fund_rounding_text(&p, 3, buf), "-0.3333");
    p = (struct fund_part){.floor = 33, .rem = 2, .amount = 34}; /* 33.6667 up */
    assert_string_equal(fund_rounding_text(&p, 3, buf), "+0.3333");
    p = (struct fund_part){.floor = 5, .rem = 0, .amount = 5};
    assert_string_equal(fund_rounding_text(&p, 7, buf), "0.0000");
    p = (struct fund_part){.floor = 9, .rem = 99999, .amount = 10}; /* 9.99999 up */
    assert_string_equal(fund_rounding_text(&p, 100000, buf), "0.0000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_random_against_definition),
        cmocka_unit_test(test_quota_text),
        cmocka_unit_test(test_rounding_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
