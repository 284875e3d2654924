/* tests/unit/disclosure/test_sup_cross.c: disclosure control across
 * indicators (src/disclosure/sup.h; docs/indicators.md, "Disclosure control",
 * "Across indicators"). Two definitions that count the same events, or
 * the same counts on the data, hide the same cells; alone (the old rule:
 * each indicator by itself) they do not, which is the leak.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "disclosure/sup.h"
#include "sup_attack.h"

/* n persons of sex in municipality muni, born in birth_year, each with an
 * act in March 2024 and, for the first `again`, another 10 days later. */
static void people(struct efx *f, int *pid, const char *muni, char sex, int birth_year, int n,
                   int again)
{
    kn_time t = T(2024, 3, 1, 8, 0, 0);
    for (int i = 0; i < n; i++) {
        ++*pid;
        efx_person(f, *pid, birth_year, sex, muni, NULL);
        efx_act(f, *pid, t);
        if (i < again)
            efx_act(f, *pid, t + 10 * DAY);
    }
}

static void data(struct efx *f, int birth_year)
{
    int pid = 0;
    people(f, &pid, "0180", 'F', birth_year, 30, 8);
    people(f, &pid, "0180", 'M', birth_year, 25, 6);
    people(f, &pid, "0380", 'F', birth_year, 9, 2);  /* a proportion over 9 < 15 */
    people(f, &pid, "0380", 'M', birth_year, 12, 3);
    people(f, &pid, "1280", 'F', birth_year, 20, 5);
    people(f, &pid, "1280", 'M', birth_year, 18, 4);
    people(f, &pid, "1480", 'F', birth_year, 7, 1);
    people(f, &pid, "1480", 'M', birth_year, 22, 5);
}

static bool cell_hidden(const struct eng_result *r, size_t i)
{
    return sup_hidden(&r->cells[i]);
}

/* Every cell both publish: hidden in both or in neither. Returns how many
 * cells differ. */
static size_t differ(const struct eng_result *a, const struct eng_result *b)
{
    assert_int_equal(a->ngeo, b->ngeo);
    size_t n = (size_t)a->nperiods * a->ngeo * 3 * a->nband, d = 0;
    for (size_t i = 0; i < n; i++)
        d += cell_hidden(a, i) != cell_hidden(b, i);
    return d;
}

#define A_DEF                                                                          \
    EFX_HDR("a") "from act\nwhere age 10-24\nwhere cause X60-X84\nyears 2024-2024\n"   \
                 "measure n count persons\n"
#define B_DEF                                                                          \
    EFX_HDR("b") "from act\nwhere cause X60-X84\nwhere age 10-24\nyears 2024-2024\n"   \
                 "measure n count persons\n"                                          \
                 "measure again proportion has act in start (0d, 30d]\n"

/* The same events (the `where` lines in another order, other measures):
 * one population fingerprint. b's proportion hides the cells over fewer
 * than 15 persons (Uppsala F, 9), where a shows 9 persons; together, a
 * hides them too, and both hide the same cells. */
static void test_same_events(void **state)
{
    struct efx *f = *state;
    data(f, 2004);
    efx_parse(f, A_DEF B_DEF EFX_HDR("c") "from act\nwhere age 10-20\nyears 2024-2024\n"
                 "measure n count persons\n");
    const struct ind_def *d = f->cat.defs;
    assert_true(sup_population(&d[0]) == sup_population(&d[1]));
    assert_true(sup_population(&d[0]) != sup_population(&d[2]));
    struct eng_run run;
    efx_run(f, &run);

    /* one at a time (the old rule): a shows what b hides */
    struct eng_result *a = (struct eng_result *)efx_res(&run, "a", "n");
    struct eng_result *bn = (struct eng_result *)efx_res(&run, "b", "n");
    struct eng_run ra = { .results = a, .n = 1 };
    sup_apply(&ra, &RULES);
    struct eng_run rb = { .results = bn, .n = 2 }; /* b's n and again, in order */
    assert_ptr_equal(&bn[1], efx_res(&run, "b", "again"));
    sup_apply(&rb, &RULES);
    size_t upp = efx_reg(f, "03");
    assert_true(sup_hidden(eng_cell(bn, 0, upp, SEX_F, 0)));
    assert_false(sup_hidden(eng_cell(a, 0, upp, SEX_F, 0)));
    NEAR(eng_cell(a, 0, upp, SEX_F, 0)->num, 9, 0);
    assert_true(differ(a, bn) > 0);

    /* together: the same cells hidden, every count of each still safe */
    sup_apply(&run, &RULES);
    assert_true(sup_hidden(eng_cell(a, 0, upp, SEX_F, 0)));
    assert_int_equal(differ(a, bn), 0);
    assert_int_equal(eng_cell(a, 0, upp, SEX_F, 0)->sup_num, ENG_SUP_COMPLEMENTARY);
    assert_safe(a, false);
    assert_safe(bn, false);
    eng_run_free(&run);
}

/* Other events, the same counts on these data (every act by a 20-year-old,
 * so `age 10-24` selects them all): still suppressed together. */
static void test_same_counts(void **state)
{
    struct efx *f = *state;
    data(f, 2004);
    efx_parse(f, A_DEF EFX_HDR("d") "from act\nyears 2024-2024\nmeasure n count persons\n"
                 "measure again proportion has act in start (0d, 30d]\n");
    assert_true(sup_population(&f->cat.defs[0]) != sup_population(&f->cat.defs[1]));
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *a = efx_res(&run, "a", "n"), *dn = efx_res(&run, "d", "n");
    assert_true(sup_hidden(eng_cell(a, 0, efx_reg(f, "03"), SEX_F, 0)));
    assert_int_equal(differ(a, dn), 0);
    eng_run_free(&run);
}

/* Other events and other counts: each suppressed on its own (a's Uppsala
 * F is shown; c counts 10-20-year-olds, none here: all zeros). */
static void test_other_counts(void **state)
{
    struct efx *f = *state;
    data(f, 2000); /* 24 in 2024: in a, not in c */
    efx_parse(f, A_DEF EFX_HDR("c") "from act\nwhere age 10-20\nyears 2024-2024\n"
                 "measure n count persons\n"
                 "measure again proportion has act in start (0d, 30d]\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *a = efx_res(&run, "a", "n");
    assert_false(sup_hidden(eng_cell(a, 0, efx_reg(f, "03"), SEX_F, 0)));
    eng_run_free(&run);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
    const struct CMUnitTest tests[] = {
        T_(test_same_events),
        T_(test_same_counts),
        T_(test_other_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
