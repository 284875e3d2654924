/* tests/unit/engine/test_eng_relations.c: what selects an event in the
 * indicator engine (src/engine/eng*.c, src/snapshot/snap.c), against docs/indicators.md:
 * relation windows (open and closed ends, from the start or the end,
 * negative offsets), `count >= N`, filters on related events, and every
 * field a `where` can test. The method is in eng_fixture.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "stats/stat.h"

/* ---- relation windows ---- */

/* (0d, 365d] from the start: 365 days later counts, 365 days + 1 s does
 * not, the same second does not, the anchor is never its own event. The
 * same data through [0d, 365d] and [0d, 365d). */
static void test_window_open_and_closed(void **state)
{
    struct efx *f = *state;
    kn_time t0 = T(2022, 3, 1, 12, 0, 0);
    for (int p = 1; p <= 4; p++)
        person0180(f, p, 2004, 'F');
    efx_act(f, 1, t0);
    efx_act(f, 1, t0 + 365 * DAY); /* 2023-03-01 12:00 */
    efx_act(f, 2, t0);
    efx_act(f, 2, t0 + 365 * DAY + 1);
    efx_act(f, 3, t0);
    efx_act(f, 3, t0); /* the same second */
    efx_act(f, 4, t0); /* alone */
    efx_parse(f, EFX_HDR("w") "from act\nyears 2022-2023\n"
                 "measure oc proportion has act in start (0d, 365d]\n"
                 "measure cc proportion has act in start [0d, 365d]\n"
                 "measure co proportion has act in start [0d, 365d)\n"
                 "measure oo proportion has act in start (0d, 365d)\n"
                 "measure n count events\n"
              EFX_HDR("w-where") "from act\nyears 2022-2023\n"
                 "where has act in start (0d, 365d]\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *oc = efx_res(&run, "w", "oc"), *cc = efx_res(&run, "w", "cc"),
                            *co = efx_res(&run, "w", "co"), *oo = efx_res(&run, "w", "oo");
    /* 2022: the acts at t0: P1, P2, P3 (two), P4 = 5 anchors */
    const struct eng_cell *c = efx_cell(oc, 0, NAT);
    NEAR(c->den, 5, 0);
    NEAR(c->num, 1, 0); /* P1's first act only */
    struct stat_ci w = stat_wilson(1, 5, 0.95), w998 = stat_wilson(1, 5, 0.998);
    NEAR(c->value, 20, 1e-12);
    NEAR(c->lo95, 100 * w.lower, 1e-9);
    NEAR(c->hi95, 100 * w.upper, 1e-9);
    NEAR(c->lo998, 100 * w998.lower, 1e-9);
    NEAR(c->hi998, 100 * w998.upper, 1e-9);
    NEAR(efx_cell(cc, 0, NAT)->num, 3, 0); /* P1's first, both of P3's */
    NEAR(efx_cell(co, 0, NAT)->num, 2, 0); /* P3's two: 365 d excluded */
    NEAR(efx_cell(oo, 0, NAT)->num, 0, 0);
    /* 2023: P1's and P2's second acts look forward at nothing */
    NEAR(efx_cell(oc, 1, NAT)->den, 2, 0);
    NEAR(efx_cell(oc, 1, NAT)->num, 0, 0);
    NEAR(efx_cell(cc, 1, NAT)->num, 0, 0);
    NEAR(efx_cell(oc, 1, NAT)->value, 0, 0);
    CNT(efx_res(&run, "w", "n"), 0, NAT, 5);
    CNT(efx_res(&run, "w-where", "n"), 0, NAT, 1);
    CNT(efx_res(&run, "w-where", "n"), 1, NAT, 0);
    eng_run_free(&run);
}

/* [0d, 7d] from the end: inclusive at both ends; an anchor without an end
 * never meets a relation `in end` (it stays in the denominator). */
static void test_window_end_inclusive(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    kn_time a0 = T(2022, 5, 1, 10, 0, 0), d0 = T(2022, 5, 10, 10, 0, 0); /* 9 days */
    for (int p = 1; p <= 6; p++)
        person0180(f, p, 2004, 'M');
    efx_stay(f, 1, 1, a0, d0);
    efx_followup(f, 1, d0); /* at the discharge: 0 */
    efx_stay(f, 2, 1, a0, d0);
    efx_followup(f, 2, d0 + 7 * DAY); /* exactly 7 d */
    efx_stay(f, 3, 1, a0, d0);
    efx_followup(f, 3, d0 + 7 * DAY + 1); /* 1 s late */
    efx_stay(f, 4, 1, a0, d0);
    efx_followup(f, 4, d0 - 1); /* during the stay */
    efx_stay(f, 5, 1, a0, NO_END);
    efx_followup(f, 5, a0 + 10 * DAY); /* after the start of an open stay */
    efx_stay(f, 6, 1, a0, d0);         /* none */
    efx_parse(f, EFX_HDR("e") "from stay\nyears 2022-2022\n"
                 "measure f proportion has followup in end [0d, 7d]\n"
                 "measure nf proportion no followup in end [0d, 7d]\n"
                 "measure s sum days\n"
                 "measure md median days to first followup in end [0d, 30d]\n"
              EFX_HDR("e-where") "from stay\nyears 2022-2022\n"
                 "where has followup in end [0d, 7d]\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "e", "f"), 0, NAT);
    NEAR(c->den, 6, 0);
    NEAR(c->num, 2, 0); /* P1, P2 */
    NEAR(c->value, 100.0 * 2 / 6, 1e-12);
    struct stat_ci w = stat_wilson(2, 6, 0.95);
    NEAR(c->lo95, 100 * w.lower, 1e-9);
    NEAR(c->hi95, 100 * w.upper, 1e-9);
    /* `no`: P3, P4, P6; the open stay P5 meets neither */
    c = efx_cell(efx_res(&run, "e", "nf"), 0, NAT);
    NEAR(c->den, 6, 0);
    NEAR(c->num, 3, 0);
    /* sum: five ended stays of 9 days; the open one adds nothing */
    c = efx_cell(efx_res(&run, "e", "s"), 0, NAT);
    NEAR(c->num, 45, 1e-12);
    NEAR(c->den, 5, 0);
    NEAR(c->value, 45, 1e-12);
    /* median to first: P1 0, P2 7, P3 7 d + 1 s -> 7; three with a B */
    c = efx_cell(efx_res(&run, "e", "md"), 0, NAT);
    NEAR(c->den, 3, 0);
    NEAR(c->value, 7, 1e-12);
    CNT(efx_res(&run, "e-where", "n"), 0, NAT, 2);
    eng_run_free(&run);
}

/* `no act in start [-365d, 0d)`: a new episode. The act exactly 365 days
 * before still counts as earlier, 365 d + 1 s before does not; acts of the
 * same second do not see each other through `0d)` but do through `0d]`. */
static void test_window_negative(void **state)
{
    struct efx *f = *state;
    for (int p = 11; p <= 14; p++)
        person0180(f, p, 2004, 'F');
    efx_act(f, 11, T(2021, 6, 1, 12, 0, 0));
    efx_act(f, 11, T(2022, 5, 1, 12, 0, 0)); /* 334 d after: not new */
    efx_act(f, 11, T(2023, 6, 1, 12, 0, 0)); /* 396 d after: new */
    kn_time t1 = T(2021, 3, 1, 12, 0, 0);
    efx_act(f, 12, t1);
    efx_act(f, 12, t1 + 365 * DAY); /* not new */
    efx_act(f, 13, t1);
    efx_act(f, 13, t1 + 365 * DAY + 1); /* new */
    efx_act(f, 14, T(2022, 8, 1, 0, 0, 0));
    efx_act(f, 14, T(2022, 8, 1, 0, 0, 0));
    efx_parse(f, EFX_HDR("new") "from act\nyears 2021-2023\n"
                 "where no act in start [-365d, 0d)\nmeasure n count events\n"
              EFX_HDR("new-closed") "from act\nyears 2021-2023\n"
                 "where no act in start [-365d, 0d]\nmeasure n count events\n"
              EFX_HDR("new-p") "from act\nyears 2021-2023\n"
                 "measure p proportion no act in start [-365d, 0d)\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *n = efx_res(&run, "new", "n");
    CNT(n, 0, NAT, 3); /* 2021: the first acts of P11, P12, P13 */
    CNT(n, 1, NAT, 3); /* 2022: P13's second, both of P14's */
    CNT(n, 2, NAT, 1); /* 2023: P11's third */
    const struct eng_result *nc = efx_res(&run, "new-closed", "n");
    CNT(nc, 0, NAT, 3);
    CNT(nc, 1, NAT, 1); /* P14's two see each other at 0 */
    CNT(nc, 2, NAT, 1);
    const struct eng_cell *c = efx_cell(efx_res(&run, "new-p", "p"), 1, NAT);
    NEAR(c->den, 5, 0);
    NEAR(c->num, 3, 0);
    eng_run_free(&run);
}

/* `count >= 2`: at least two further acts; `no ... count >= 2` is its
 * complement. */
static void test_count_at_least(void **state)
{
    struct efx *f = *state;
    person0180(f, 15, 2004, 'F');
    person0180(f, 16, 2004, 'M');
    kn_time a = T(2022, 1, 10, 9, 0, 0), b = T(2022, 2, 1, 9, 0, 0);
    efx_act(f, 15, a);
    efx_act(f, 15, a + 10 * DAY);
    efx_act(f, 15, a + 20 * DAY);
    efx_act(f, 16, b);
    efx_act(f, 16, b + 10 * DAY);
    efx_parse(f, EFX_HDR("c2") "from act\nyears 2022-2022\n"
                 "where has act in start (0d, 365d] count >= 2\nmeasure n count events\n"
              EFX_HDR("c2-no") "from act\nyears 2022-2022\n"
                 "where no act in start (0d, 365d] count >= 2\nmeasure n count events\n"
              EFX_HDR("c2-p") "from act\nyears 2022-2022\n"
                 "measure p proportion has act in start (0d, 365d] count >= 2\n"
                 "measure q proportion has act in start (0d, 365d] count >= 1\n");
    struct eng_run run;
    efx_run(f, &run);
    CNT(efx_res(&run, "c2", "n"), 0, NAT, 1); /* P15's first */
    CNT(efx_res(&run, "c2-no", "n"), 0, NAT, 4);
    const struct eng_cell *c = efx_cell(efx_res(&run, "c2-p", "p"), 0, NAT);
    NEAR(c->num, 1, 0);
    NEAR(c->den, 5, 0);
    c = efx_cell(efx_res(&run, "c2-p", "q"), 0, NAT);
    NEAR(c->num, 3, 0); /* P15's first two, P16's first */
    eng_run_free(&run);
}

/* Filters of related events: assessment(type suicide_risk) within 24 hours
 * and death(suicide yes) within 365 days. */
static void test_related_filters(void **state)
{
    struct efx *f = *state;
    for (int p = 17; p <= 25; p++)
        person0180(f, p, 2004, p % 2 ? 'F' : 'M');
    kn_time ta = T(2022, 4, 1, 8, 0, 0);
    efx_act(f, 17, ta);
    efx_assessment(f, 17, ta + HOUR, "psychosocial");
    efx_assessment(f, 17, ta + 24 * HOUR, "suicide_risk"); /* at 24 h: counts */
    efx_act(f, 18, ta);
    efx_assessment(f, 18, ta + 24 * HOUR + 1, "suicide_risk"); /* 1 s late */
    efx_act(f, 19, ta);
    efx_assessment(f, 19, ta - 1, "suicide_risk"); /* before */
    efx_act(f, 20, ta);
    efx_assessment(f, 20, ta + 2 * HOUR, "psychosocial"); /* the wrong type */
    kn_time td = T(2022, 3, 1, 12, 0, 0);
    efx_act(f, 21, td);
    efx_death(f, 21, D(2022, 6, 1), 1); /* suicide: counts */
    efx_act(f, 22, td);
    efx_death(f, 22, D(2022, 6, 1), 0); /* not a suicide */
    efx_act(f, 23, td);
    efx_death(f, 23, D(2022, 3, 1), 1); /* the same day: counts */
    efx_act(f, 24, td);
    efx_death(f, 24, D(2023, 3, 1), 1); /* 23:59:59 that day: 365.5 d after */
    efx_act(f, 25, td);
    efx_death(f, 25, D(2023, 3, 2), 1); /* 366.5 d */
    efx_parse(f, EFX_HDR("rf") "from act\n"
                 "measure a proportion has assessment(type suicide_risk) in start [0h, 24h]\n"
                 "measure d proportion has death(suicide yes) in start [0d, 365d]\n"
                 "measure anyd proportion has death in start [0d, 365d]\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "rf", "a"), 0, NAT);
    NEAR(c->den, 9, 0);
    NEAR(c->num, 1, 0); /* P17 */
    c = efx_cell(efx_res(&run, "rf", "d"), 0, NAT);
    NEAR(c->den, 9, 0);
    /* P21 and P23. A death is put at the last second of its date
     * (docs/indicators.md), so P23's suicide on the day of the act comes
     * after it, and P24's a year later lies 365.5 days on: outside. */
    NEAR(c->num, 2, 0);
    c = efx_cell(efx_res(&run, "rf", "anyd"), 0, NAT);
    NEAR(c->num, 3, 0); /* P21, P22, P23 */
    /* deaths (2023 for P24, P25) do not extend the data's years */
    assert_int_equal(efx_res(&run, "rf", "a")->nperiods, 1);
    assert_int_equal(efx_res(&run, "rf", "a")->first_month, 2022 * 12);
    eng_run_free(&run);
}

/* ---- fields ---- */

/* Every field of docs/indicators.md, "Fields", on events coded by hand. */
static void test_fields(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "outpatient");
    efx_unit(f, 2, "14", "adult_psychiatry", "inpatient");
    efx_unit(f, 3, "01", "emergency", "outpatient");
    for (int p = 1; p <= 3; p++)
        person0180(f, p, 2004, p == 2 ? 'M' : 'F');
    kn_time t = T(2022, 3, 1, 8, 0, 0);
    const char *cols = "INSERT INTO contact (id, person_id, unit_id, contact_type, start_time, "
                       "end_time, legal_basis, brief_admission, main_diagnosis, cause_code, "
                       "source_system, source_id) VALUES ";
    efx_sql(f, "%s(101, 1, 3, 'emergency', %lld, %lld, 'voluntary', 0, NULL, 'X60.1', 't', "
               "'c101')", cols, (long long)t, (long long)(t + 5 * HOUR));
    efx_sql(f, "%s(102, 1, 2, 'inpatient', %lld, %lld, 'LPT', 0, 'F32.1', NULL, 't', 'c102')",
            cols, (long long)(t + DAY), (long long)(t + 11 * DAY));
    efx_sql(f, "%s(103, 2, 2, 'inpatient', %lld, %lld, 'voluntary', 1, 'F43', NULL, 't', "
               "'c103')", cols, (long long)t, (long long)(t + 3 * DAY));
    efx_sql(f, "%s(104, 2, 1, 'outpatient', %lld, %lld, 'voluntary', 0, 'F33', 'Y12', 't', "
               "'c104')", cols, (long long)(t + 20 * DAY), (long long)(t + 20 * DAY + HOUR));
    efx_sql(f, "%s(105, 3, 2, 'inpatient', %lld, NULL, 'LRV', 0, NULL, NULL, 't', 'c105')",
            cols, (long long)t);
    const char *acts = "INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, "
                       "method, contact_id, source_system, source_id) VALUES ";
    efx_sql(f, "%s(1, %lld, 'X60', 'intentional', 'poison', 101, 't', 'a1')", acts,
            (long long)t);
    efx_sql(f, "%s(2, %lld, 'Y12', 'undetermined', 'poison', NULL, 't', 'a2')", acts,
            (long long)t);
    efx_sql(f, "%s(3, %lld, 'X71.9', 'intentional', 'drowning', NULL, 't', 'a3')", acts,
            (long long)t);
    const char *ms = "INSERT INTO coercive_measure (person_id, stay_id, measure_type, "
                     "legal_basis, start_time, end_time, source_system, source_id) VALUES ";
    efx_sql(f, "%s(1, 102, 'fastspanning', 'LPT', %lld, %lld, 't', 'm1')", ms,
            (long long)(t + 2 * DAY), (long long)(t + 2 * DAY + HOUR));
    efx_sql(f, "%s(1, 102, 'tvangsmedicinering', 'LVU', %lld, %lld, 't', 'm2')", ms,
            (long long)(t + 3 * DAY), (long long)(t + 3 * DAY + HOUR));
    efx_sql(f, "%s(3, 105, 'avskiljning', 'LRV', %lld, %lld, 't', 'm3')", ms,
            (long long)(t + DAY), (long long)(t + DAY + 2 * HOUR));
    efx_assessment(f, 1, t + HOUR, "suicide_risk");
    efx_assessment(f, 2, t + HOUR, "psychosocial");
    efx_sql(f, "INSERT INTO care_plan (person_id, plan_time, plan_type, source_system, "
               "source_id) VALUES (1, %lld, 'sip', 't', 'pl1'), (2, %lld, 'crisis_plan', 't', "
               "'pl2')", (long long)(t + DAY), (long long)(t + DAY));
    efx_sql(f, "INSERT INTO treatment (person_id, treatment_type, start_time, end_time, "
               "source_system, source_id) VALUES (1, 'dbt', %lld, %lld, 't', 'tr1'), "
               "(2, 'cbt', %lld, NULL, 't', 'tr2')",
            (long long)(t + DAY), (long long)(t + 31 * DAY), (long long)(t + DAY));
    efx_sql(f, "INSERT INTO follow_up (person_id, follow_up_time, mode, source_system, "
               "source_id) VALUES (1, %lld, 'phone', 't', 'f1'), (2, %lld, 'visit', 't', "
               "'f2'), (3, %lld, 'video', 't', 'f3')",
            (long long)(t + 12 * DAY), (long long)(t + 4 * DAY), (long long)(t + 4 * DAY));
    efx_sql(f, "INSERT INTO pathway_step (person_id, pathway, step, step_time, "
               "source_system, source_id) VALUES (1, 'child', '1_first_contact', %lld, 't', "
               "'s1'), (2, 'adult', '2_assessment', %lld, 't', 's2'), (3, 'child', "
               "'2_assessment', %lld, 't', 's3')",
            (long long)t, (long long)t, (long long)t);
    static const struct { const char *id, *body; double want; } cases[] = {
        { "contact", "from contact\n", 5 },
        { "emergency", "from emergency\n", 1 },
        { "outpatient", "from outpatient\n", 1 },
        { "stay", "from stay\n", 3 },
        { "type", "from contact\nwhere type inpatient\n", 3 },
        { "unit-kind", "from contact\nwhere unit-kind bup, emergency\n", 2 },
        { "setting", "from contact\nwhere setting inpatient\n", 3 },
        { "unit-region", "from contact\nwhere unit-region 14\n", 3 },
        { "c-cause", "from contact\nwhere cause X60-X84\n", 1 },
        { "c-cause-y", "from contact\nwhere cause Y10-Y34\n", 1 },
        { "diagnosis", "from contact\nwhere diagnosis F32-F33\n", 2 },
        { "diagnosis-one", "from contact\nwhere diagnosis F43\n", 1 },
        { "legal", "from stay\nwhere legal LPT, LRV\n", 2 },
        { "voluntary", "from stay\nwhere legal voluntary\n", 1 },
        { "brief", "from stay\nwhere brief yes\n", 1 },
        { "act-undet", "from act\nwhere intent undetermined\n", 1 },
        { "act-int", "from act\nwhere intent intentional\n", 2 },
        { "act-linked", "from act\nwhere linked yes\n", 1 },
        { "act-unlinked", "from act\nwhere linked no\n", 2 },
        { "act-cause", "from act\nwhere cause X70-X84\n", 1 },
        { "m-type", "from measure\nwhere type fastspanning, avskiljning\n", 2 },
        { "m-legal", "from measure\nwhere legal LVU\n", 1 },
        { "m-region", "from measure\nwhere unit-region 14\n", 3 },
        { "assessment", "from assessment\nwhere type suicide_risk\n", 1 },
        { "plan", "from plan\nwhere type sip\n", 1 },
        { "treatment", "from treatment\nwhere type dbt\n", 1 },
        { "mode", "from followup\nwhere mode phone, video\n", 2 },
        { "pathway", "from step\nwhere pathway child\n", 2 },
        { "step", "from step\nwhere step 2_assessment\n", 2 },
        { "both", "from step\nwhere pathway child\nwhere step 2_assessment\n", 1 },
        { "rel-brief", "from act\nwhere has stay(brief yes) in start [-7d, 7d]\n", 1 },
        { "rel-two", "from act\nwhere has contact(type emergency; cause X60-X84) in start "
                     "[0h, 1h]\n", 1 },
    };
    size_t n = sizeof cases / sizeof cases[0];
    char *text = calloc(n, 512);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        snprintf(text + strlen(text), 512, EFX_HDR("%s") "%syears 2022-2022\n"
                 "measure n count events\n", cases[i].id, cases[i].body);
    efx_parse(f, text);
    free(text);
    const struct ind_def *defs[64];
    for (size_t i = 0; i < n; i++)
        defs[i] = &f->cat.defs[i];
    struct eng_run run;
    efx_run_opt(f, defs, n, 0, 0, &run);
    for (size_t i = 0; i < n; i++) {
        double got = efx_num(efx_res(&run, cases[i].id, "n"), 0, NAT);
        if (got != cases[i].want)
            fail_msg("%s: %g, expected %g", cases[i].id, got, cases[i].want);
    }
    eng_run_free(&run);
    efx_parse(f, EFX_HDR("tr") "from treatment\nyears 2022-2022\nmeasure d sum days\n");
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "tr", "d"), 0, NAT);
    NEAR(c->num, 30, 1e-12); /* the open cbt adds nothing */
    NEAR(c->den, 1, 0);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_window_open_and_closed),
        T_(test_window_end_inclusive),
        T_(test_window_negative),
        T_(test_count_at_least),
        T_(test_related_filters),
        T_(test_fields),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
