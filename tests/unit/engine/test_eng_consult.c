/* tests/unit/engine/test_eng_consult.c: the indicators `from consultation`
 * (engine/eng_consult.c): working days over holidays, open cases, the
 * equality with consult_stats (`knod consultation stats`), disclosure
 * control of a small region, and a new results generation when a
 * consultation is answered (the snapshot cache's stamp, eng_inc). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/arena.h"
#include "disclosure/sup.h"
#include "engine/eng.h"
#include "engine/eng_inc.h"
#include "consult/consult.h"
#include "registry/reg_geo.h"
#include "snapshot/snap_cache.h"
#include "testutil.h"

static const char DEF[] =
    "indicator t-consult\nversion 1\ntitle sv \"T\"\ntitle en \"T\"\n"
    "description sv \"D\"\ndescription en \"D\"\nowner \"P\"\ngoal network\n"
    "from consultation\nperiod year\nbreakdown region\n"
    "measure share proportion answered within 3 workdays\ntarget >= 80\n"
    "direction higher\n";

static struct arena A;
static struct geo G;
static struct ind_catalogue CAT;
static struct store *ST;
static int NDB;

static kn_time at(int y, int m, int d, int h)
{
    return time_from_day(date_from_ymd(y, m, d)) + h * 3600;
}

static int64_t ask(const char *region, kn_time t)
{
    struct kn_error err = KN_ERROR_INIT;
    struct consult_request r = { region, "BUP", "läkare", "NHV Lund", "urgent",
                                 "Flicka 15 år, fråga om behandling" };
    int64_t id = 0;
    if (consult_ask(ST, &r, t, &id, &err) != 0)
        fail_msg("%s", err.msg);
    return id;
}

static void answer(int64_t id, kn_time t)
{
    struct kn_error err = KN_ERROR_INIT;
    if (consult_answer(ST, id, "Svar", false, t, &err) != 0)
        fail_msg("%s", err.msg);
}

static int setup(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&A);
    memset(&CAT, 0, sizeof CAT);
    char p[256], name[32];
    snprintf(name, sizeof name, "consult%d.db", NDB++);
    tu_path(p, sizeof p, name);
    struct store_options opt = { STORE_CREATE, 0 };
    if (store_open(p, &opt, &ST, &err) != 0 || geo_load(&G, &A, &err) != 0 ||
        reg_geo_install(ST, &G, &err) != 0 ||
        ind_parse(&CAT, "t.ind", DEF, sizeof DEF - 1, &A, &err) != 0)
        fail_msg("%s", err.msg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(ST);
    arena_release(&A);
    return 0;
}

static size_t place(const struct eng_result *r, const struct snap *s, const char *code)
{
    for (size_t g = 0; g < r->ngeo; g++)
        if (strcmp(eng_geo_code(r, s, g), code) == 0)
            return g;
    fail_msg("no place %s", code);
    return 0;
}

static int period(const struct eng_result *r, const char *text)
{
    char buf[16];
    for (int p = 0; p < r->nperiods; p++) {
        eng_period_text(r, p, buf);
        if (strcmp(buf, text) == 0)
            return p;
    }
    fail_msg("no period %s", text);
    return -1;
}

static const struct eng_cell *cell(const struct eng_run *run, const char *per,
                                   const char *code)
{
    const struct eng_result *r = &run->results[0];
    return eng_cell(r, period(r, per), place(r, run->snap, code), 0, 0);
}

static void run_def(struct eng_run *run, const struct snap *s)
{
    struct kn_error err = KN_ERROR_INIT;
    const struct ind_def *defs[] = { &CAT.defs[0] };
    if (eng_run(run, s, defs, 1, NULL, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(run->n, 1);
}

static void expect(const struct eng_cell *c, double num, double den)
{
    assert_true(c->flags & ENG_HAS_DEN);
    assert_true(c->num == num && c->den == den);
}

/* Each region's and the nation's counts equal consult_stats over the
 * year, as of the snapshot's day. */
static void same_as_stats(const struct eng_run *run, const struct snap *s, int year)
{
    struct kn_error err = KN_ERROR_INIT;
    struct consult_share *v;
    size_t n;
    struct arena a;
    arena_init(&a);
    if (consult_stats(ST, date_from_ymd(year, 1, 1), date_from_ymd(year, 12, 31),
                      s->consult_today, 3, &v, &n, &a, &err) != 0)
        fail_msg("%s", err.msg);
    char per[8];
    snprintf(per, sizeof per, "%d", year);
    for (size_t i = 0; i < n; i++) {
        const struct eng_cell *c = cell(run, per, *v[i].region_code ? v[i].region_code
                                                                    : "SE");
        assert_true(c->num == v[i].answered_within && c->den == v[i].counted);
        if (v[i].counted) {
            if (!(c->value == v[i].value && c->lo95 == v[i].lo && c->hi95 == v[i].hi))
                fail_msg("%s: %.17g %.17g %.17g vs %.17g %.17g %.17g", v[i].region_code,
                         c->value, c->lo95, c->hi95, v[i].value, v[i].lo, v[i].hi);
        }
    }
    arena_release(&a);
}

static void test_workdays_and_open(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    /* Friday 19 December 2025: Monday 29 December is 3 working days later
     * (Christmas Eve, Day, Boxing Day and the weekends are not), Tuesday 30
     * December 4 */
    answer(ask("12", at(2025, 12, 19, 10)), at(2025, 12, 29, 15));
    answer(ask("12", at(2025, 12, 19, 11)), at(2025, 12, 30, 9));
    int64_t late = ask("01", at(2026, 1, 7, 10));  /* open */
    ask("01", at(2026, 1, 20, 10));                /* open, asked recently */
    answer(ask("01", at(2026, 1, 5, 10)), at(2026, 1, 7, 10)); /* Epiphany: 1 */
    (void)late;
    struct snap *s = NULL;
    if (snap_build(&s, ST, &G, &err) != 0)
        fail_msg("%s", err.msg);
    s->consult_today = date_from_ymd(2026, 1, 21);
    struct eng_run run;
    run_def(&run, s);
    const struct eng_result *r = &run.results[0];
    assert_int_equal(r->nperiods, 2);
    expect(cell(&run, "2025", "12"), 1, 2);
    expect(cell(&run, "2025", "SE"), 1, 2);
    expect(cell(&run, "2025", "01"), 0, 0);
    /* the late open one counts as not answered; the recent one not at all */
    expect(cell(&run, "2026", "01"), 1, 2);
    expect(cell(&run, "2026", "SE"), 1, 2);
    assert_true(cell(&run, "2026", "01")->value == 50.0);
    /* Skåne's healthcare region (Södra) holds its consultations */
    expect(cell(&run, "2025", "Södra"), 1, 2);
    assert_true(eng_period_has_data(r, s, 0) && eng_period_has_data(r, s, 1));
    same_as_stats(&run, s, 2025);
    same_as_stats(&run, s, 2026);
    eng_run_free(&run);
    /* five days later the recent one is past 3 working days too */
    s->consult_today = date_from_ymd(2026, 1, 26);
    run_def(&run, s);
    expect(cell(&run, "2026", "01"), 1, 3);
    same_as_stats(&run, s, 2026);
    eng_run_free(&run);
    snap_free(s);
}

static void test_small_region_hidden(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    for (int i = 0; i < 20; i++) {
        answer(ask("12", at(2025, 3, 3, 10)), at(2025, 3, 4, 10));
        answer(ask("14", at(2025, 3, 3, 10)), at(2025, 3, i < 10 ? 4 : 14, 10));
    }
    for (int i = 0; i < 3; i++)
        answer(ask("01", at(2025, 3, 3, 10)), at(2025, 3, 4, 10));
    struct snap *s = NULL;
    if (snap_build(&s, ST, &G, &err) != 0)
        fail_msg("%s", err.msg);
    struct eng_run run;
    run_def(&run, s);
    expect(cell(&run, "2025", "SE"), 33, 43);
    struct sup_rules rules = { 5, 15 };
    sup_apply(&run, &rules);
    const struct eng_cell *sthlm = cell(&run, "2025", "01");
    assert_true(sup_hidden(sthlm));
    assert_string_equal(sup_reason(sthlm), "denominator"); /* 3 of min 15 */
    /* its one hidden member would be given away: another region goes too */
    assert_true(sup_hidden(cell(&run, "2025", "12")) || sup_hidden(cell(&run, "2025", "14")));
    const struct eng_cell *se = cell(&run, "2025", "SE");
    assert_false(sup_hidden(se));
    assert_true(se->num == 33 && se->den == 43);
    eng_run_free(&run);
    snap_free(s);
}

/* The portal's results thread: an answer moves the snapshot cache's
 * stamp, and the next generation (eng_inc) shows it. */
static void test_answer_makes_a_generation(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    int64_t a1 = ask("01", at(2026, 1, 7, 10));
    answer(ask("01", at(2026, 1, 5, 10)), at(2026, 1, 7, 10));
    struct snap_cache *c = NULL;
    assert_int_equal(snap_cache_new(&c, &G, &err), 0);
    const struct ind_def *defs[] = { &CAT.defs[0] };
    struct eng_inc *inc = NULL;
    assert_int_equal(eng_inc_new(&inc, defs, 1, NULL, &err), 0);
    const struct snap *s1 = NULL, *s2 = NULL;
    bool rebuilt = false;
    assert_int_equal(snap_cache_get(c, ST, &s1, &rebuilt, &err), 0);
    struct eng_run g1, g2;
    struct eng_inc_stat ist;
    if (eng_inc_run(inc, &g1, NULL, NULL, s1, &ist, &err) != 0)
        fail_msg("%s", err.msg);
    expect(cell(&g1, "2026", "01"), 1, 2);
    assert_int_equal(snap_cache_get(c, ST, &s2, &rebuilt, &err), 0);
    assert_false(rebuilt);
    snap_cache_release(c, s2);
    answer(a1, at(2026, 1, 8, 10));
    assert_int_equal(snap_cache_get(c, ST, &s2, &rebuilt, &err), 0);
    assert_true(rebuilt);
    if (eng_inc_run(inc, &g2, &g1, s1, s2, &ist, &err) != 0)
        fail_msg("%s", err.msg);
    expect(cell(&g2, "2026", "01"), 2, 2);
    expect(cell(&g2, "2026", "SE"), 2, 2);
    eng_run_free(&g1);
    eng_run_free(&g2);
    snap_cache_release(c, s1);
    snap_cache_release(c, s2);
    eng_inc_free(inc);
    snap_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_workdays_and_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_region_hidden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answer_makes_a_generation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
