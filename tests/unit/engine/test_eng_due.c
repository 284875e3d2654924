/* tests/unit/engine/test_eng_due.c: the care-pathway worklist (eng_due.h) on
 * hand-made persons, against the shipped pathway indicators: every step,
 * the due day and the day after, a step done in time or late, the age and
 * transfer conditions of the follow-up clock, the horizon, death, the
 * scopes (checked against access_scope_has_person, the portal's rule) and
 * the coverage of units. The figures are worked out in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "access/access_scope.h"
#include "eng_fixture.h"
#include "engine/eng_due.h"

static void step(struct efx *f, int person, const char *pathway, const char *code, kn_time t)
{
    efx_sql(f, "INSERT INTO pathway_step (person_id, pathway, step, step_time, source_system, "
               "source_id) VALUES (%d, '%s', '%s', %lld, 't', 'v%d')",
            person, pathway, code, (long long)t, ++f->src);
}

static void plan(struct efx *f, int person, const char *type, kn_time t)
{
    efx_sql(f, "INSERT INTO care_plan (person_id, plan_time, plan_type, source_system, "
               "source_id) VALUES (%d, %lld, '%s', 't', 'p%d')",
            person, (long long)t, type, ++f->src);
}

static void treat(struct efx *f, int person, const char *type, kn_time t)
{
    efx_sql(f, "INSERT INTO treatment (person_id, treatment_type, start_time, source_system, "
               "source_id) VALUES (%d, '%s', %lld, 't', 'r%d')",
            person, type, (long long)t, ++f->src);
}

/* A stay after self-harm (cause X60); returns its id. */
static int sh_stay(struct efx *f, int person, int unit, kn_time start, kn_time end)
{
    int id = efx_stay(f, person, unit, start, end);
    efx_sql(f, "UPDATE contact SET cause_code = 'X60' WHERE id = %d", id);
    return id;
}

static struct ind_catalogue shipped(struct efx *f)
{
    struct ind_catalogue cat = { 0 };
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_shipped(&cat, &f->a, &err) != 0)
        fail_msg("catalogue: %s", err.msg);
    return cat;
}

/* The worklist as of y-m-d; scope "nation", "r:CODE" or "u:CODE". */
static void run(struct efx *f, const char *scope, int y, int m, int d, int horizon,
                struct eng_due_list *out)
{
    struct ind_catalogue cat = shipped(f);
    struct eng_due_scope sc;
    eng_due_scope_of(f->snap, scope[0] == 'r' ? scope + 2 : NULL,
                     scope[0] == 'u' ? scope + 2 : NULL, &sc);
    struct kn_error err = KN_ERROR_INIT;
    if (eng_due_run(f->snap, &cat, D(y, m, d), horizon, &sc, out, &err) != 0)
        fail_msg("eng_due_run: %s", err.msg);
}

/* The item of person and step (pathway "" for any), or NULL. */
static const struct eng_due_item *find(const struct eng_due_list *l, int person,
                                       enum eng_due_step s, const char *pathway)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct eng_due_clock *c = &eng_due_clocks[l->items[i].clock];
        if (l->items[i].person_id == person && c->step == s &&
            (!pathway[0] || strcmp(c->pathway, pathway) == 0))
            return &l->items[i];
    }
    return NULL;
}

/* The item that must be there: a failed test if it is not (and a zeroed
 * stand-in, so that no caller reads through NULL). */
static const struct eng_due_item *get(const struct eng_due_list *l, int person,
                                      enum eng_due_step s, const char *pathway)
{
    static const struct eng_due_item none;
    const struct eng_due_item *it = find(l, person, s, pathway);
    if (!it)
        fail_msg("no step %d of person %d on the list", (int)s, person);
    return it ? it : &none;
}

static size_t count_person(const struct eng_due_list *l, int person)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].person_id == person;
    return n;
}

/* Adult pathway, first contact 2024-03-01 10:00: assessment due 03-08 10:00
 * (7 days), care plan 03-31 (30), treatment 05-30 (90). */
static void test_adult_clocks(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "outpatient");
    efx_person(f, 1, 1990, 'F', "0180", NULL);
    efx_contact(f, 1, 1, "outpatient", T(2024, 3, 1, 9, 0, 0), T(2024, 3, 1, 10, 0, 0));
    step(f, 1, "adult", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    efx_snap(f);
    struct eng_due_list l;

    run(f, "nation", 2024, 2, 29, 0, &l); /* the day before: no clock yet */
    assert_int_equal(l.n, 0);
    eng_due_free(&l);

    run(f, "nation", 2024, 3, 8, 0, &l); /* the due day of the assessment */
    assert_int_equal(l.n, 3);
    const struct eng_due_item *a = get(&l, 1, ENG_DUE_ASSESSMENT, "adult");
    assert_int_equal(a->days_overdue, 0);
    assert_int_equal(a->started, T(2024, 3, 1, 10, 0, 0));
    assert_int_equal(a->due, T(2024, 3, 8, 10, 0, 0));
    assert_int_equal(l.items[0].clock, a->clock); /* the least time left first */
    assert_int_equal(get(&l, 1, ENG_DUE_CARE_PLAN, "adult")->days_overdue, -23);
    assert_int_equal(get(&l, 1, ENG_DUE_TREATMENT, "adult")->days_overdue, -90 + 7);
    assert_string_equal(f->snap->units[a->unit].code, "U1");
    eng_due_free(&l);

    run(f, "nation", 2024, 3, 9, 0, &l); /* the day after: overdue by one */
    assert_int_equal(get(&l, 1, ENG_DUE_ASSESSMENT, "adult")->days_overdue, 1);
    eng_due_free(&l);
}

/* Steps done close their clocks, in time or late; a step of another kind
 * (CBT, not a recommended treatment) does not. */
static void test_done(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "outpatient");
    efx_person(f, 2, 1990, 'F', "0180", NULL);
    step(f, 2, "adult", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    step(f, 2, "adult", "2_assessment", T(2024, 3, 5, 10, 0, 0));
    plan(f, 2, "crisis_plan", T(2024, 3, 20, 10, 0, 0));
    treat(f, 2, "dbt", T(2024, 4, 10, 10, 0, 0));
    efx_person(f, 3, 1990, 'M', "0180", NULL);
    step(f, 3, "adult", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    step(f, 3, "adult", "2_assessment", T(2024, 3, 10, 12, 0, 0)); /* two days late */
    treat(f, 3, "cbt", T(2024, 3, 15, 10, 0, 0));
    efx_snap(f);
    struct eng_due_list l;

    run(f, "nation", 2024, 6, 1, 0, &l);
    assert_int_equal(count_person(&l, 2), 0);
    assert_null(find(&l, 3, ENG_DUE_ASSESSMENT, "adult"));
    assert_int_equal(get(&l, 3, ENG_DUE_TREATMENT, "adult")->days_overdue, 2);
    assert_int_equal(get(&l, 3, ENG_DUE_CARE_PLAN, "adult")->days_overdue, 62);
    /* sorted by how overdue */
    assert_int_equal(l.items[0].days_overdue, 62);
    eng_due_free(&l);

    run(f, "nation", 2024, 3, 9, 0, &l); /* before the late assessment */
    assert_int_equal(get(&l, 3, ENG_DUE_ASSESSMENT, "adult")->days_overdue, 1);
    assert_null(find(&l, 2, ENG_DUE_ASSESSMENT, "adult"));
    assert_non_null(find(&l, 2, ENG_DUE_CARE_PLAN, "adult")); /* not yet made */
    eng_due_free(&l);

    run(f, "nation", 2024, 3, 10, 0, &l); /* the day of it: closed */
    assert_null(find(&l, 3, ENG_DUE_ASSESSMENT, "adult"));
    eng_due_free(&l);
}

/* Child pathway: assessment, care plan, SIP and treatment; a care plan
 * does not close the SIP clock. First contact 2024-03-01 10:00, as of
 * 04-15: assessment due 03-08 (38 days over), care plan and SIP 03-31
 * (15), treatment 05-30 (45 left). */
static void test_child_clocks(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "outpatient");
    efx_person(f, 4, 2010, 'F', "0180", NULL);
    step(f, 4, "child", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    efx_person(f, 5, 2010, 'M', "0180", NULL);
    step(f, 5, "child", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    plan(f, 5, "care_plan", T(2024, 3, 2, 10, 0, 0));
    efx_snap(f);
    struct eng_due_list l;
    run(f, "nation", 2024, 4, 15, 0, &l);
    assert_int_equal(count_person(&l, 4), 4);
    assert_int_equal(get(&l, 4, ENG_DUE_ASSESSMENT, "child")->days_overdue, 38);
    assert_int_equal(get(&l, 4, ENG_DUE_CARE_PLAN, "child")->days_overdue, 15);
    assert_int_equal(get(&l, 4, ENG_DUE_SIP, "child")->days_overdue, 15);
    assert_int_equal(get(&l, 4, ENG_DUE_TREATMENT, "child")->days_overdue, -45);
    assert_null(find(&l, 4, ENG_DUE_ASSESSMENT, "adult"));
    assert_null(find(&l, 5, ENG_DUE_CARE_PLAN, "child"));
    assert_int_equal(get(&l, 5, ENG_DUE_SIP, "child")->days_overdue, 15);
    assert_int_equal(l.items[0].days_overdue, 38);
    eng_due_free(&l);
}

/* Follow-up within 7 days of a discharge after self-harm, aged 10-24:
 * discharged 2024-05-10 12:00, due 05-17 12:00. A follow-up closes it; a
 * person of 34, a transfer (a new stay within a day) and a stay without a
 * self-harm cause have no clock, as in vf-followup-7d. */
static void test_followup(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 2, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 6, 2005, 'F', "0180", NULL);
    sh_stay(f, 6, 2, T(2024, 5, 1, 0, 0, 0), T(2024, 5, 10, 12, 0, 0));
    efx_person(f, 7, 2005, 'M', "0180", NULL);
    sh_stay(f, 7, 2, T(2024, 5, 1, 0, 0, 0), T(2024, 5, 10, 12, 0, 0));
    efx_followup(f, 7, T(2024, 5, 12, 9, 0, 0));
    efx_person(f, 8, 1990, 'M', "0180", NULL); /* 34 */
    sh_stay(f, 8, 2, T(2024, 5, 1, 0, 0, 0), T(2024, 5, 10, 12, 0, 0));
    efx_person(f, 9, 2005, 'M', "0180", NULL); /* transferred */
    sh_stay(f, 9, 2, T(2024, 5, 1, 0, 0, 0), T(2024, 5, 10, 12, 0, 0));
    efx_stay(f, 9, 2, T(2024, 5, 10, 14, 0, 0), T(2024, 5, 20, 12, 0, 0));
    efx_snap(f);
    struct eng_due_list l;
    run(f, "nation", 2024, 5, 17, 0, &l);
    const struct eng_due_item *it = get(&l, 6, ENG_DUE_FOLLOWUP, "");
    assert_int_equal(it->days_overdue, 0);
    assert_int_equal(it->started, T(2024, 5, 10, 12, 0, 0));
    assert_string_equal(eng_due_clocks[it->clock].indicator, "vf-followup-7d");
    assert_int_equal(count_person(&l, 7), 0);
    assert_int_equal(count_person(&l, 8), 0);
    /* person 9's second stay has no self-harm cause, and its first is a transfer */
    assert_int_equal(count_person(&l, 9), 0);
    eng_due_free(&l);
    run(f, "nation", 2024, 5, 18, 0, &l);
    assert_int_equal(get(&l, 6, ENG_DUE_FOLLOWUP, "")->days_overdue, 1);
    eng_due_free(&l);
    run(f, "nation", 2024, 5, 9, 0, &l); /* still admitted */
    assert_int_equal(l.n, 0);
    eng_due_free(&l);
}

/* The horizon (90 days over by default) and death. */
static void test_horizon_death(void **state)
{
    struct efx *f = *state;
    efx_person(f, 10, 1990, 'F', "0180", NULL);
    step(f, 10, "adult", "1_first_contact", T(2024, 1, 1, 10, 0, 0));
    efx_person(f, 11, 1990, 'F', "0180", NULL);
    step(f, 11, "adult", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    efx_death(f, 11, D(2024, 3, 20), 0);
    efx_snap(f);
    struct eng_due_list l;
    /* as of 04-07 the assessment (due 01-08) is 90 days over: listed;
     * on 04-08, 91: not; with a horizon of 91 again */
    run(f, "nation", 2024, 4, 7, 0, &l);
    assert_int_equal(get(&l, 10, ENG_DUE_ASSESSMENT, "adult")->days_overdue, 90);
    assert_int_equal(count_person(&l, 11), 0); /* died 03-20 */
    eng_due_free(&l);
    run(f, "nation", 2024, 4, 8, 0, &l);
    assert_null(find(&l, 10, ENG_DUE_ASSESSMENT, "adult"));
    eng_due_free(&l);
    run(f, "nation", 2024, 4, 8, 91, &l);
    assert_int_equal(get(&l, 10, ENG_DUE_ASSESSMENT, "adult")->days_overdue, 91);
    eng_due_free(&l);
    run(f, "nation", 2024, 3, 19, 0, &l); /* alive then */
    assert_non_null(find(&l, 11, ENG_DUE_ASSESSMENT, "adult"));
    eng_due_free(&l);
}

/* Scopes: person 12 lives in 01 with a contact at U1 (01); 13 lives in 12
 * with a contact at U1; 14 lives in 12 with a contact at U3 (12); 15 lives
 * in 12 with no contact. Every person listed in a scope must be one that
 * access_scope_has_person admits, and every admitted person with an open
 * clock must be listed. */
static void test_scope(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "outpatient");
    efx_unit(f, 3, "12", "adult_psychiatry", "outpatient");
    efx_person(f, 12, 1990, 'F', "0180", NULL);
    efx_person(f, 13, 1990, 'F', "1280", NULL);
    efx_person(f, 14, 1990, 'F', "1280", NULL);
    efx_person(f, 15, 1990, 'F', "1280", NULL);
    efx_contact(f, 12, 1, "outpatient", T(2024, 3, 1, 9, 0, 0), T(2024, 3, 1, 10, 0, 0));
    efx_contact(f, 13, 1, "outpatient", T(2024, 3, 1, 9, 0, 0), T(2024, 3, 1, 10, 0, 0));
    efx_contact(f, 14, 3, "outpatient", T(2024, 3, 1, 9, 0, 0), T(2024, 3, 1, 10, 0, 0));
    for (int p = 12; p <= 15; p++)
        step(f, p, "adult", "1_first_contact", T(2024, 3, 1, 10, 0, 0));
    efx_snap(f);
    struct {
        const char *scope;
        enum access_scope kind;
        const char *code;
        int persons[4];
    } cases[] = {
        { "r:01", SCOPE_REGION, "01", { 12, 13 } },
        { "r:12", SCOPE_REGION, "12", { 13, 14, 15 } },
        { "r:03", SCOPE_REGION, "03", { 0 } },
        { "u:U1", SCOPE_UNIT, "U1", { 12, 13 } },
        { "u:U3", SCOPE_UNIT, "U3", { 14 } },
        { "u:U9", SCOPE_UNIT, "U9", { 0 } },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct eng_due_list l;
        run(f, cases[k].scope, 2024, 3, 20, 0, &l);
        struct access_user u = { .name = "t", .role = ROLE_REGISTRAR, .scope = cases[k].kind,
                                 .scope_code = cases[k].code };
        for (int p = 12; p <= 15; p++) {
            bool want = false, in = false;
            for (int j = 0; j < 4; j++)
                want |= cases[k].persons[j] == p;
            char pseudonym[40];
            snprintf(pseudonym, sizeof pseudonym, "%032d", p);
            struct kn_error err = KN_ERROR_INIT;
            assert_int_equal(access_scope_has_person(f->st, &u, pseudonym, &in, &err), 0);
            if (want != in || (count_person(&l, p) == 3) != want)
                fail_msg("%s: person %d expected %d, access_scope %d, listed %zu",
                         cases[k].scope, p, want, in, count_person(&l, p));
        }
        eng_due_free(&l);
    }
}

/* Coverage as of 2024-06-01: U1 reported in 2024-05 (not late); U2 last
 * in 2023-10, within the year before the 56 recent days (late); U3 only in
 * 2022 (not late: nothing in the year before either). Follow-up clocks at
 * U4 ended in the year: 6 stays, 3 without any follow-up record (one
 * followed up late still counts as recorded): incomplete; U1's 5 clocks
 * with 2 missing: complete. */
static void test_coverage(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_unit(f, 2, "01", "adult_psychiatry", "outpatient");
    efx_unit(f, 3, "01", "adult_psychiatry", "outpatient");
    efx_unit(f, 4, "01", "adult_psychiatry", "inpatient");
    efx_unit(f, 5, "12", "adult_psychiatry", "inpatient");
    efx_person(f, 1, 2005, 'F', "0180", NULL);
    efx_contact(f, 1, 2, "outpatient", T(2023, 10, 1, 9, 0, 0), T(2023, 10, 1, 10, 0, 0));
    efx_contact(f, 1, 3, "outpatient", T(2022, 10, 1, 9, 0, 0), T(2022, 10, 1, 10, 0, 0));
    for (int k = 0; k < 6; k++) {
        int p = 20 + k;
        efx_person(f, p, 2005, 'F', "0180", NULL);
        sh_stay(f, p, 4, T(2024, 1, 1 + k, 0, 0, 0), T(2024, 1, 5 + k, 0, 0, 0));
        if (k < 2)
            efx_followup(f, p, T(2024, 1, 6 + k, 0, 0, 0));
        else if (k == 2)
            efx_followup(f, p, T(2024, 2, 20, 0, 0, 0)); /* late, but recorded */
    }
    for (int k = 0; k < 5; k++) {
        int p = 30 + k;
        efx_person(f, p, 2005, 'F', "0180", NULL);
        sh_stay(f, p, 1, T(2024, 5, 1 + k, 0, 0, 0), T(2024, 5, 3 + k, 0, 0, 0));
        if (k < 3)
            efx_followup(f, p, T(2024, 5, 4 + k, 0, 0, 0));
    }
    efx_snap(f);
    struct eng_due_list l;
    run(f, "r:01", 2024, 6, 1, 0, &l);
    assert_int_equal(l.nunits, 4); /* U5 is in 12 */
    const struct eng_due_unit *u1 = &l.units[0], *u2 = &l.units[1], *u3 = &l.units[2],
                              *u4 = &l.units[3];
    assert_string_equal(u1->code, "U1");
    assert_string_equal(u4->code, "U4");
    assert_false(u1->late);
    assert_int_equal(u1->recent, 5);
    assert_true(u2->late);
    assert_int_equal(u2->last_contact, T(2023, 10, 1, 9, 0, 0));
    assert_false(u3->late);
    assert_int_equal(u3->before, 0);
    assert_int_equal(u4->fu_clocks, 6);
    assert_int_equal(u4->fu_missing, 3);
    assert_true(u4->incomplete);
    assert_int_equal(u1->fu_clocks, 5);
    assert_int_equal(u1->fu_missing, 2);
    assert_false(u1->incomplete);
    /* U1's two open follow-ups: discharged 05-06 and 05-07, due 05-13 and
     * 05-14, 19 and 18 days over; U4's three, over 90 days: not listed */
    assert_int_equal(u1->overdue, 2);
    assert_int_equal(u1->by_step[ENG_DUE_FOLLOWUP], 2);
    assert_int_equal(u4->overdue, 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].days_overdue, 19);
    eng_due_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_adult_clocks, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_done, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_child_clocks, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_followup, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_horizon_death, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_scope, efx_setup, efx_teardown),
        cmocka_unit_test_setup_teardown(test_coverage, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
