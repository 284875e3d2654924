/* tests/unit/lang/test_ind_parse.c: the indicator language
 * (src/lang/ind_*.c), the inputs that parse.
 *
 * Every statement form is parsed and the struct ind_def it gives is checked
 * field by field. Broken inputs are in test_ind_errors.c, the catalogue as a
 * whole and the shipped one in test_ind_catalogue.c; the helpers (HDR, TAIL,
 * parse_ok, ...) in ind_testutil.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/period.h"
#include "domain/geo.h"
#include "lang/ind.h"
#include "lang/ind_impl.h"
#include "ind_testutil.h"

/* ---- statements and the definition they give ---------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    const struct ind_def *d = parse_ok(HDR("act") TAIL);
    assert_int_equal(CAT.n, 1);
    assert_string_equal(d->id, "t-x");
    assert_int_equal(d->version, 1);
    assert_string_equal(d->file, "t.ind");
    assert_int_equal(d->line, 1);
    assert_int_equal(d->valid_from, INT32_MIN);
    assert_int_equal(d->valid_to, INT32_MAX);
    assert_string_equal(d->title_sv, "Titel");
    assert_string_equal(d->title_en, "Title");
    assert_string_equal(d->desc_sv, "Beskrivning");
    assert_string_equal(d->desc_en, "Description");
    assert_string_equal(d->owner, "NAG");
    assert_int_equal(d->goal, IND_GOAL_SELF_HARM);
    assert_int_equal(d->from, IND_MASK(IND_EV_ACT));
    assert_int_equal(d->nwhere, 0);
    assert_int_equal(d->pick, IND_PICK_ALL);
    assert_false(d->pick_ever);
    assert_int_equal(d->period, PERIOD_YEAR);
    assert_int_equal(d->period_at, IND_AT_START);
    assert_int_equal(d->year_from, 0);
    assert_int_equal(d->year_to, 0);
    assert_false(d->geo_unit);
    assert_int_equal(d->nbands, 0);
    assert_int_equal(d->dims, IND_DIM_REGION | IND_DIM_SEX);
    assert_int_equal(d->nmeasures, 1);
    assert_string_equal(d->measures[0].name, "n");
    assert_int_equal(d->measures[0].kind, IND_M_COUNT);
    assert_false(d->measures[0].persons);
    assert_int_equal(d->measures[0].per, 0);
    assert_int_equal(d->measures[0].line, 10);
    assert_false(d->has_target);
    assert_int_equal(d->target_measure, 0);
    assert_true(d->has_direction);
    assert_true(d->lower_is_better);
    assert_int_equal(strlen(d->fingerprint), 16);
    assert_int_equal(strspn(d->fingerprint, "0123456789abcdef"), 16);
}

static void test_header_statements(void **state)
{
    (void)state;
    const struct ind_def *d = parse_ok("# a comment line\n"
                                       "\n"
                                       "indicator sh-young-rate   # trailing comment\n"
                                       "version 12\n"
                                       "title sv \"Unga med självskada – åäö ÅÄÖ\"\n"
                                       "title en \"Quote \\\" and backslash \\\\ kept\"\n"
                                       "description sv \"x\"\r\n"
                                       "description en \"y\"\n"
                                       "\towner\t\"Ägare\"\n"
                                       "goal coercion\n"
                                       "from measure\n"
                                       "years 2020-2024\n"
                                       "measure n count events\n"
                                       "direction higher");
    assert_string_equal(d->id, "sh-young-rate");
    assert_int_equal(d->line, 3);
    assert_int_equal(d->version, 12);
    assert_string_equal(d->title_sv, "Unga med självskada – åäö ÅÄÖ");
    assert_string_equal(d->title_en, "Quote \" and backslash \\ kept");
    assert_string_equal(d->desc_sv, "x");
    assert_string_equal(d->owner, "Ägare");
    assert_int_equal(d->goal, IND_GOAL_COERCION);
    assert_int_equal(d->from, IND_MASK(IND_EV_MEASURE));
    assert_int_equal(d->year_from, 2020);
    assert_int_equal(d->year_to, 2024);
    assert_false(d->lower_is_better);
    assert_int_equal(d->measures[0].line, 13);

    static const struct {
        const char *w;
        enum ind_goal g;
    } goals[] = {
        {"self-harm", IND_GOAL_SELF_HARM}, {"admissions", IND_GOAL_ADMISSIONS},
        {"coercion", IND_GOAL_COERCION},   {"pathway", IND_GOAL_PATHWAY},
        {"quality", IND_GOAL_QUALITY},
    };
    for (size_t i = 0; i < sizeof goals / sizeof goals[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "indicator g-%zu\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
                 "description sv \"a\"\ndescription en \"a\"\nowner \"o\"\ngoal %s\n"
                 "from act\n" TAIL,
                 i, goals[i].w);
        const struct ind_def *g = parse_ok_(text, strlen(text), __LINE__);
        assert_int_equal(g->goal, goals[i].g);
        assert_string_equal(ind_goal_name(g->goal), goals[i].w);
    }
}

static void test_strings_are_copied(void **state)
{
    (void)state;
    char text[] = HDR("act") TAIL;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ind_parse(&CAT, "t.ind", text, strlen(text), &A, &err), 0);
    memset(text, 'z', strlen(text));
    assert_string_equal(CAT.defs[0].id, "t-x");
    assert_string_equal(CAT.defs[0].title_en, "Title");
    assert_string_equal(CAT.defs[0].measures[0].name, "n");
}

static void test_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *w;
        uint32_t mask;
    } kinds[] = {
        {"act", IND_MASK(IND_EV_ACT)},
        {"contact", IND_MASK_CONTACT},
        {"emergency", IND_MASK(IND_EV_EMERGENCY)},
        {"outpatient", IND_MASK(IND_EV_OUTPATIENT)},
        {"stay", IND_MASK(IND_EV_STAY)},
        {"measure", IND_MASK(IND_EV_MEASURE)},
        {"assessment", IND_MASK(IND_EV_ASSESSMENT)},
        {"plan", IND_MASK(IND_EV_PLAN)},
        {"treatment", IND_MASK(IND_EV_TREATMENT)},
        {"followup", IND_MASK(IND_EV_FOLLOWUP)},
        {"step", IND_MASK(IND_EV_STEP)},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "indicator k-%zu\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
                 "description sv \"a\"\ndescription en \"a\"\nowner \"o\"\ngoal quality\n"
                 "from %s\n" TAIL,
                 i, kinds[i].w);
        const struct ind_def *d = parse_ok_(text, strlen(text), __LINE__);
        assert_int_equal(d->from, kinds[i].mask);
    }
    for (int k = 0; k < IND_EV_COUNT; k++)
        assert_string_not_equal(ind_ev_name((enum ind_ev)k), "?");
    assert_string_equal(ind_ev_name(IND_EV_DEATH), "death");
}

static void test_windows(void **state)
{
    (void)state;
    const struct ind_def *d =
        parse_ok(HDR("stay") "where has act in start (0d, 365d]\n"
                             "where no act in start [-365d, 0d)\n"
                             "where has assessment in start [0h, 24h] count >= 3\n"
                             "where no followup in end (-12h, 7d)\n"
                             "where has death in end [0d,0d]\n" TAIL);
    assert_int_equal(d->nwhere, 5);
    const struct ind_condition *c = d->where;
    assert_true(c[0].is_relation);
    assert_false(c[0].negate);
    assert_int_equal(c[0].rel.kinds, IND_MASK(IND_EV_ACT));
    assert_int_equal(c[0].rel.at, IND_AT_START);
    assert_int_equal(c[0].rel.lo, 0);
    assert_int_equal(c[0].rel.hi, 365 * DAY);
    assert_true(c[0].rel.lo_open);
    assert_false(c[0].rel.hi_open);
    assert_int_equal(c[0].rel.min_count, 1);
    assert_int_equal(c[0].rel.filter.n, 0);

    assert_true(c[1].negate);
    assert_int_equal(c[1].rel.lo, -365 * DAY);
    assert_int_equal(c[1].rel.hi, 0);
    assert_false(c[1].rel.lo_open);
    assert_true(c[1].rel.hi_open);

    assert_int_equal(c[2].rel.kinds, IND_MASK(IND_EV_ASSESSMENT));
    assert_int_equal(c[2].rel.lo, 0);
    assert_int_equal(c[2].rel.hi, 24 * HOUR);
    assert_int_equal(c[2].rel.min_count, 3);

    assert_true(c[3].negate);
    assert_int_equal(c[3].rel.kinds, IND_MASK(IND_EV_FOLLOWUP));
    assert_int_equal(c[3].rel.at, IND_AT_END);
    assert_int_equal(c[3].rel.lo, -12 * HOUR);
    assert_int_equal(c[3].rel.hi, 7 * DAY);
    assert_true(c[3].rel.lo_open);
    assert_true(c[3].rel.hi_open);

    /* a closed window of one instant is not empty */
    assert_int_equal(c[4].rel.kinds, IND_MASK(IND_EV_DEATH));
    assert_int_equal(c[4].rel.lo, 0);
    assert_int_equal(c[4].rel.hi, 0);
    assert_false(c[4].rel.lo_open || c[4].rel.hi_open);
}

static void test_filters(void **state)
{
    (void)state;
    const struct ind_def *d = parse_ok(
        HDR("stay") "where has stay(unit-kind bup, adult_psychiatry; brief no; legal "
                    "LPT, LRV) in end "
                    "(0d, 30d]\n"
                    "where has measure(type fastspanning, fasthallande; unit-region 01, "
                    "25) in start "
                    "[0d, 1d]\n"
                    "where has plan(type sip) in start [0d, 30d]\n"
                    "where has treatment(type dbt, erita) in start [0d, 90d]\n"
                    "where has assessment(type suicide_risk) in start [0h, 24h]\n"
                    "where has followup(mode phone, video) in end [0d, 7d]\n"
                    "where has step(pathway child; step 1_first_contact, 2_assessment) "
                    "in start "
                    "[0d, 7d]\n"
                    "where has death(suicide yes; sex M) in start [0d, 365d]\n"
                    "where has act(intent undetermined; linked yes; cause X60-X64) in "
                    "start [0d, 1d]\n"
                    "where has contact(type emergency, inpatient; setting outpatient) in "
                    "start "
                    "[0d, 1d]\n" TAIL);
    assert_int_equal(d->nwhere, 10);
    const struct ind_filter *f = &d->where[0].rel.filter;
    assert_int_equal(f->n, 3);
    assert_int_equal(f->fields[0].id, IND_F_UNIT_KIND);
    assert_int_equal(f->fields[0].mask, 3); /* bup, adult_psychiatry */
    assert_int_equal(f->fields[0].line, 10);
    assert_int_equal(f->fields[0].col, 16);
    assert_int_equal(f->fields[1].id, IND_F_BRIEF);
    assert_int_equal(f->fields[1].mask, 1); /* no */
    assert_int_equal(f->fields[2].id, IND_F_LEGAL);
    assert_int_equal(f->fields[2].mask, (1u << 1) | (1u << 2)); /* LPT, LRV */

    f = &d->where[1].rel.filter;
    assert_int_equal(d->where[1].rel.kinds, IND_MASK(IND_EV_MEASURE));
    assert_int_equal(f->fields[0].id, IND_F_TYPE);
    assert_int_equal(f->fields[0].mask, (1u << 0) | (1u << 3));
    assert_int_equal(f->fields[1].id, IND_F_UNIT_REGION);
    assert_int_equal(f->fields[1].mask, (1ull << 1) | (1ull << 25));

    assert_int_equal(d->where[2].rel.filter.fields[0].mask, 1u << 2); /* sip */
    assert_int_equal(d->where[3].rel.filter.fields[0].mask, (1u << 0) | (1u << 3));
    assert_int_equal(d->where[4].rel.filter.fields[0].mask, 1u << 0);
    assert_int_equal(d->where[5].rel.filter.fields[0].id, IND_F_MODE);
    assert_int_equal(d->where[5].rel.filter.fields[0].mask, (1u << 1) | (1u << 2));

    f = &d->where[6].rel.filter;
    assert_int_equal(f->fields[0].id, IND_F_PATHWAY);
    assert_int_equal(f->fields[0].mask, 1u << 1); /* child */
    assert_int_equal(f->fields[1].id, IND_F_STEP);
    assert_int_equal(f->fields[1].n, 2);
    assert_string_equal(f->fields[1].words[0], "1_first_contact");
    assert_string_equal(f->fields[1].words[1], "2_assessment");

    f = &d->where[7].rel.filter;
    assert_int_equal(f->fields[0].id, IND_F_SUICIDE);
    assert_int_equal(f->fields[0].mask, 1u << 1); /* yes */
    assert_int_equal(f->fields[1].id, IND_F_SEX);
    assert_int_equal(f->fields[1].mask, 1u << 1); /* M */

    f = &d->where[8].rel.filter;
    assert_int_equal(f->fields[0].id, IND_F_INTENT);
    assert_int_equal(f->fields[0].mask, 1u << 1);
    assert_int_equal(f->fields[1].id, IND_F_LINKED);
    assert_int_equal(f->fields[1].mask, 1u << 1);
    assert_int_equal(f->fields[2].id, IND_F_CAUSE);
    assert_string_equal(f->fields[2].codes[0].lo, "X60");
    assert_string_equal(f->fields[2].codes[0].hi, "X64");

    assert_int_equal(d->where[9].rel.kinds, IND_MASK_CONTACT);
    f = &d->where[9].rel.filter;
    assert_int_equal(f->fields[0].mask, (1u << 0) | (1u << 2)); /* emergency, inpatient */
    assert_int_equal(f->fields[1].id, IND_F_SETTING);
    assert_int_equal(f->fields[1].mask, 1u << 1);
}

static void test_field_values(void **state)
{
    (void)state;
    const struct ind_def *d =
        parse_ok(HDR("contact") "where cause X60-X84, Y10-Y34, X70\n"
                                "where diagnosis F32-F33\n"
                                "where age 10-14, 20, 0-150\n"
                                "where region 01, 03, 25\n"
                                "where sex F\n"
                                "where unit-region 14\n"
                                "where legal voluntary\n"
                                "where brief yes\n"
                                "where type outpatient\n" TAIL);
    assert_int_equal(d->nwhere, 9);
    const struct ind_field *f = &d->where[0].field;
    assert_false(d->where[0].is_relation);
    assert_int_equal(f->id, IND_F_CAUSE);
    assert_int_equal(f->n, 3);
    assert_string_equal(f->codes[0].lo, "X60");
    assert_string_equal(f->codes[0].hi, "X84");
    assert_string_equal(f->codes[1].lo, "Y10");
    assert_string_equal(f->codes[1].hi, "Y34");
    assert_string_equal(f->codes[2].lo, "X70");
    assert_string_equal(f->codes[2].hi, "X70");
    assert_int_equal(f->line, 10);
    assert_int_equal(f->col, 7);

    f = &d->where[1].field;
    assert_int_equal(f->id, IND_F_DIAGNOSIS);
    assert_string_equal(f->codes[0].lo, "F32");
    assert_string_equal(f->codes[0].hi, "F33");

    f = &d->where[2].field;
    assert_int_equal(f->id, IND_F_AGE);
    assert_int_equal(f->n, 3);
    assert_int_equal(f->ranges[0].lo, 10);
    assert_int_equal(f->ranges[0].hi, 14);
    assert_int_equal(f->ranges[1].lo, 20);
    assert_int_equal(f->ranges[1].hi, 20);
    assert_int_equal(f->ranges[2].lo, 0);
    assert_int_equal(f->ranges[2].hi, 150);

    f = &d->where[3].field;
    assert_int_equal(f->id, IND_F_REGION);
    assert_int_equal(f->mask, (1ull << 1) | (1ull << 3) | (1ull << 25));
    assert_int_equal(d->where[4].field.mask, 1u << 0);
    assert_int_equal(d->where[5].field.id, IND_F_UNIT_REGION);
    assert_int_equal(d->where[5].field.mask, 1ull << 14);
    assert_int_equal(d->where[6].field.mask, 1u << 0);
    assert_int_equal(d->where[7].field.mask, 1u << 1);
    assert_int_equal(d->where[8].field.id, IND_F_TYPE);
    assert_int_equal(d->where[8].field.mask, 1u << 1);
}

/* `where observed start|end D`: the data must reach D past the anchor. */
static void test_observed(void **state)
{
    (void)state;
    const struct ind_def *d = parse_ok(HDR("stay") "where observed end 7d\n"
                                                   "where observed start 24h\n" TAIL);
    assert_int_equal(d->nwhere, 2);
    assert_true(d->where[0].is_observed);
    assert_false(d->where[0].is_relation);
    assert_int_equal(d->where[0].obs_at, IND_AT_END);
    assert_int_equal(d->where[0].obs_len, 7 * 86400);
    assert_int_equal(d->where[1].obs_at, IND_AT_START);
    assert_int_equal(d->where[1].obs_len, 24 * 3600);
}

static void test_bands_breakdown_geo(void **state)
{
    (void)state;
    const struct ind_def *d = parse_ok(HDR("act") "bands 10-14, 15-19,20-24\n"
                                                  "breakdown region, sex, band\n" TAIL);
    assert_int_equal(d->nbands, 3);
    assert_int_equal(d->bands[0].lo, 10);
    assert_int_equal(d->bands[0].hi, 14);
    assert_int_equal(d->bands[2].lo, 20);
    assert_int_equal(d->bands[2].hi, 24);
    assert_int_equal(d->dims, IND_DIM_REGION | IND_DIM_SEX | IND_DIM_BAND);

    /* municipality (geo person) and unit (geo unit) bring region with them */
    d = parse_ok(HDR("act") "geo person\nbreakdown municipality\n" TAIL);
    assert_false(d->geo_unit);
    assert_int_equal(d->dims, IND_DIM_MUNICIPALITY | IND_DIM_REGION);
    d = parse_ok(HDR("emergency") "geo unit\nbreakdown unit, sex\n" TAIL);
    assert_true(d->geo_unit);
    assert_int_equal(d->dims, IND_DIM_UNIT | IND_DIM_SEX | IND_DIM_REGION);
    d = parse_ok(HDR("stay") "breakdown sex\n" TAIL);
    assert_int_equal(d->dims, IND_DIM_SEX);
}

static void test_pick(void **state)
{
    (void)state;
    const struct ind_def *d =
        parse_ok(HDR("act") "pick first per person per period\n" TAIL);
    assert_int_equal(d->pick, IND_PICK_FIRST);
    assert_false(d->pick_ever);
    d = parse_ok(HDR("act") "pick last per person ever\n" TAIL);
    assert_int_equal(d->pick, IND_PICK_LAST);
    assert_true(d->pick_ever);
    d = parse_ok(HDR("act") "pick nth 3 per person\n" TAIL);
    assert_int_equal(d->pick, IND_PICK_NTH);
    assert_int_equal(d->pick_n, 3);
    assert_false(d->pick_ever);
}

static void test_period(void **state)
{
    (void)state;
    const struct ind_def *d = parse_ok(HDR("stay") "period quarter of end\n" TAIL);
    assert_int_equal(d->period, PERIOD_QUARTER);
    assert_int_equal(d->period_at, IND_AT_END);
    d = parse_ok(HDR("act") "period tertial of start\n" TAIL);
    assert_int_equal(d->period, PERIOD_TERTIAL);
    assert_int_equal(d->period_at, IND_AT_START);
    d = parse_ok(HDR("act") "period month\n" TAIL);
    assert_int_equal(d->period, PERIOD_MONTH);
    assert_int_equal(d->period_at, IND_AT_START);
    d = parse_ok(HDR("treatment") "period year of end\n" TAIL);
    assert_int_equal(d->period, PERIOD_YEAR);
    assert_int_equal(d->period_at, IND_AT_END);
}

static void test_measures(void **state)
{
    (void)state;
    const struct ind_def *d =
        parse_ok(HDR("stay") "bands 10-14, 15-19, 20-24\n"
                             "breakdown region, sex, band\n"
                             "measure events count events\n"
                             "measure persons count persons\n"
                             "measure rate count persons per 100000 population\n"
                             "measure dsr count events per 1000 population standardised\n"
                             "measure days sum days\n"
                             "measure hours sum hours\n"
                             "measure fu proportion has followup in end [0d, 7d]\n"
                             "measure nofu proportion no followup(mode visit) in end "
                             "[0d, 30d] count >= 2\n"
                             "direction lower\n"
                             "indicator t-y\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
                             "description sv \"a\"\ndescription en \"a\"\nowner "
                             "\"o\"\ngoal pathway\nfrom stay\n"
                             "measure med median days to first assessment(type "
                             "psychosocial) in end [0h, 48h]\n"
                             "measure dur median hours of duration\n"
                             "measure km survival stay in end (0d, 365d] censor death\n"
                             "measure km2 survival act in start [0d, 30d]\n"
                             "measure stays count events\n"
                             "measure r ratio stays / stays per 1000\n"
                             "measure r2 ratio stays / ref-b:care_days per 1000\n"
                             "direction lower\n");
    assert_int_equal(CAT.n, 2);
    const struct ind_measure *m = d->measures;
    assert_int_equal(d->nmeasures, 8);
    assert_int_equal(m[0].kind, IND_M_COUNT);
    assert_false(m[0].persons);
    assert_int_equal(m[1].kind, IND_M_COUNT);
    assert_true(m[1].persons);
    assert_int_equal(m[1].per, 0);
    assert_true(m[2].persons);
    assert_int_equal(m[2].per, 100000);
    assert_false(m[2].standardised);
    assert_false(m[3].persons);
    assert_int_equal(m[3].per, 1000);
    assert_true(m[3].standardised);
    assert_int_equal(m[4].kind, IND_M_SUM);
    assert_true(m[4].unit_seconds == 86400.0);
    assert_int_equal(m[5].kind, IND_M_SUM);
    assert_true(m[5].unit_seconds == 3600.0);
    assert_int_equal(m[6].kind, IND_M_PROPORTION);
    assert_true(m[6].rel.is_relation);
    assert_false(m[6].rel.negate);
    assert_int_equal(m[6].rel.rel.kinds, IND_MASK(IND_EV_FOLLOWUP));
    assert_int_equal(m[6].rel.rel.at, IND_AT_END);
    assert_int_equal(m[6].rel.rel.hi, 7 * DAY);
    assert_true(m[7].rel.negate);
    assert_int_equal(m[7].rel.rel.min_count, 2);
    assert_int_equal(m[7].rel.rel.filter.n, 1);
    assert_int_equal(m[7].line, 19);

    d = &CAT.defs[1];
    m = d->measures;
    assert_int_equal(d->line, 21);
    assert_int_equal(d->nmeasures, 7);
    assert_int_equal(m[0].kind, IND_M_MEDIAN_TO);
    assert_true(m[0].unit_seconds == 86400.0);
    assert_true(m[0].rel.is_relation);
    assert_int_equal(m[0].rel.rel.kinds, IND_MASK(IND_EV_ASSESSMENT));
    assert_int_equal(m[0].rel.rel.at, IND_AT_END);
    assert_int_equal(m[0].rel.rel.hi, 48 * HOUR);
    assert_int_equal(m[0].rel.rel.filter.fields[0].mask, 1u << 1); /* psychosocial */
    assert_int_equal(m[1].kind, IND_M_MEDIAN_DUR);
    assert_true(m[1].unit_seconds == 3600.0);
    assert_int_equal(m[2].kind, IND_M_SURVIVAL);
    assert_true(m[2].censor_death);
    assert_int_equal(m[2].rel.rel.kinds, IND_MASK(IND_EV_STAY));
    assert_true(m[2].rel.rel.lo_open);
    assert_int_equal(m[2].rel.rel.hi, 365 * DAY);
    assert_int_equal(m[3].kind, IND_M_SURVIVAL);
    assert_false(m[3].censor_death);
    assert_int_equal(m[5].kind, IND_M_RATIO);
    assert_string_equal(m[5].ratio_a, "stays");
    assert_null(m[5].ratio_b_ind);
    assert_string_equal(m[5].ratio_b, "stays");
    assert_int_equal(m[5].per, 1000);
    assert_string_equal(m[6].ratio_b_ind, "ref-b");
    assert_string_equal(m[6].ratio_b, "care_days");
}

static void test_target(void **state)
{
    (void)state;
    const struct ind_def *d =
        parse_ok(HDR("emergency") "measure share proportion has assessment in start "
                                  "[0h, 24h]\n"
                                  "target >= 90\n"
                                  "direction higher\n");
    assert_true(d->has_target);
    assert_false(d->target_le);
    assert_true(d->target == 90.0);
    assert_int_equal(d->target_measure, 0);
    d = parse_ok(HDR("stay") "measure n count events\n"
                             "measure days sum days\n"
                             "target <= 2.5 for days\n"
                             "direction lower\n");
    assert_true(d->target_le);
    assert_true(d->target == 2.5);
    assert_int_equal(d->target_measure, 1);
    assert_int_equal(d->target_base_year, 0);
    /* relative to a base year */
    d = parse_ok(HDR("act") "measure n count persons\n"
                            "target <= -10% from 2020\n"
                            "direction lower\n");
    assert_true(d->target_le);
    assert_true(d->target == -10.0);
    assert_int_equal(d->target_base_year, 2020);
    char t[64];
    ind_target_text(d, t, sizeof t);
    assert_string_equal(t, "<=-10% from 2020");
    /* in words for people, as the pages, the newsletter and the report say it */
    ind_target_words(d, true, t, sizeof t);
    assert_string_equal(t, "minst 10\xc2\xa0% lägre än 2020");
    ind_target_words(d, false, t, sizeof t);
    assert_string_equal(t, "at least 10% lower than in 2020");
    d = parse_ok(HDR("act") "measure n count persons\n"
                            "target >= +5.5% from 2021\n"
                            "direction higher\n");
    assert_true(d->target == 5.5);
    assert_int_equal(d->target_base_year, 2021);
    ind_target_words(d, true, t, sizeof t);
    assert_string_equal(t, "minst 5,5\xc2\xa0% högre än 2021");
    d = parse_ok(HDR("act") "measure n count persons\n"
                            "target <= +5% from 2021\n"
                            "direction lower\n");
    ind_target_words(d, false, t, sizeof t);
    assert_string_equal(t, "at most 5% higher than in 2021");
    d = parse_ok(HDR("act") "measure n count persons per 100000 population\n"
                            "target <= 150\n"
                            "direction lower\n");
    ind_target_words(d, true, t, sizeof t);
    assert_string_equal(t, "högst 150 per 100 000 invånare");
    ind_target_words(d, false, t, sizeof t);
    assert_string_equal(t, "at most 150 per 100,000 population");
}

static void test_valid_and_versions(void **state)
{
    (void)state;
    parse_ok(
        "indicator t-v\nversion 1\nvalid 2020-01-01 .. 2023-01-01\n"
        "title sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\n" TAIL
        "indicator t-v\nversion 2\nvalid 2023-01-01..2024-07-01\n"
        "title sv \"b\"\ntitle en \"b\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\nwhere age 10-24\n" TAIL
        "indicator t-v\nversion 3\nvalid 2024-07-01..\n"
        "title sv \"c\"\ntitle en \"c\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\nwhere age 10-25\n" TAIL
        "indicator t-w\nversion 1\nvalid 2021-01-01.. 2022-01-01\n"
        "title sv \"c\"\ntitle en \"c\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\n" TAIL);
    assert_int_equal(CAT.n, 4);
    const struct ind_def *v = CAT.defs;
    assert_int_equal(v[0].version, 1);
    assert_int_equal(v[0].valid_from, date_from_ymd(2020, 1, 1));
    assert_int_equal(v[0].valid_to, date_from_ymd(2023, 1, 1));
    assert_int_equal(v[1].version, 2);
    assert_int_equal(v[1].line, 13);
    assert_int_equal(v[1].valid_from, date_from_ymd(2023, 1, 1));
    assert_int_equal(v[1].valid_to, date_from_ymd(2024, 7, 1));
    assert_int_equal(v[2].valid_from, date_from_ymd(2024, 7, 1));
    assert_int_equal(v[2].valid_to, INT32_MAX);
    assert_int_equal(v[3].valid_from, date_from_ymd(2021, 1, 1));
    assert_int_equal(v[3].valid_to, date_from_ymd(2022, 1, 1));
    /* each definition stands alone: version 1 has no where */
    assert_int_equal(v[0].nwhere, 0);
    assert_int_equal(v[1].nwhere, 1);
    assert_string_not_equal(v[1].fingerprint, v[2].fingerprint);
    assert_ptr_equal(ind_find(&CAT, "t-v"), &v[2]);
    assert_ptr_equal(ind_find(&CAT, "t-w"), &v[3]);
    assert_null(ind_find(&CAT, "t-none"));
    check_ok();
}

static void test_fingerprint(void **state)
{
    (void)state;
    /* Titles, descriptions, owner, goal, comments and spacing are not part
     * of the fingerprint; what is computed is. */
    const struct ind_def *a = parse_ok(HDR("act") "where age 10-24\n" TAIL);
    const struct ind_def *b = parse_ok(
        "# another comment\nindicator t-x\nversion 1\ntitle sv \"Annan\"\ntitle en "
        "\"Other\"\n"
        "description sv \"x\"\ndescription en \"y\"\nowner \"Someone\"\ngoal quality\n"
        "from   act   # the anchors\nwhere\tage 10-24\n" TAIL);
    const struct ind_def *c = parse_ok(HDR("act") "where age 10-25\n" TAIL);
    const struct ind_def *e =
        parse_ok(HDR("act") "where age 10-24\n"
                            "measure n count events\ndirection higher\n");
    assert_string_equal(a->fingerprint, b->fingerprint);
    assert_string_not_equal(a->fingerprint, c->fingerprint);
    assert_string_not_equal(a->fingerprint, e->fingerprint);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_are_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bands_breakdown_geo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_observed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_and_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fingerprint, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
