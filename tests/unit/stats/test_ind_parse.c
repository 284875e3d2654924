/* tests/unit/stats/test_ind_parse.c: the indicator language (src/stats/ind_*.c).
 *
 * Every statement form is parsed and the struct ind_def it gives is checked
 * field by field; broken inputs must fail with KN_EINPUT, the exact
 * "file:line:col:" of the token at fault and a telling message, and leave
 * the catalogue unchanged. The shipped catalogue must load, every .ind file
 * of data/indicators must be listed in its meson.build (found through
 * $SRCDIR), and the region codes the parser accepts must be those of the
 * shipped geography.
 *
 * Most texts are HDR(from) + statements + TAIL: lines 1-9 are the header
 * (line 9 is `from`), so the statement under test stands on line 10.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/period.h"
#include "domain/geo.h"
#include "stats/ind.h"
#include "stats/ind_impl.h"

#define HDR(from)                                                                        \
    "indicator t-x\n"                                                                    \
    "version 1\n"                                                                        \
    "title sv \"Titel\"\n"                                                               \
    "title en \"Title\"\n"                                                               \
    "description sv \"Beskrivning\"\n"                                                   \
    "description en \"Description\"\n"                                                   \
    "owner \"NAG\"\n"                                                                    \
    "goal self-harm\n"                                                                   \
    "from " from "\n"
#define TAIL "measure n count events\ndirection lower\n"

#define DAY  (86400LL)
#define HOUR (3600LL)

static struct arena A;
static struct ind_catalogue CAT;

static int setup(void **state)
{
    (void)state;
    arena_init(&A);
    memset(&CAT, 0, sizeof CAT);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_release(&A);
    return 0;
}

/* Parse text (a string literal: it may hold NUL bytes) as "t.ind"; must
 * succeed. The first new definition. */
#define parse_ok(text) parse_ok_(text, sizeof(text) - 1, __LINE__)
static const struct ind_def *parse_ok_(const char *text, size_t len, int line)
{
    struct kn_error err = KN_ERROR_INIT;
    size_t before = CAT.n;
    if (ind_parse(&CAT, "t.ind", text, len, &A, &err) != 0)
        fail_msg("test line %d: parse failed: %s", line, err.msg);
    if (CAT.n <= before)
        fail_msg("test line %d: no definition added", line);
    return &CAT.defs[before];
}

/* Parse text; must fail with KN_EINPUT and a message that starts with want
 * (the "t.ind:line:col: " prefix and the message's start), leaving the
 * catalogue as it was. */
#define parse_err(text, want) parse_err_(text, sizeof(text) - 1, want, __LINE__)
static void parse_err_(const char *text, size_t len, const char *want, int line)
{
    struct kn_error err = KN_ERROR_INIT;
    size_t before = CAT.n;
    int rc = ind_parse(&CAT, "t.ind", text, len, &A, &err);
    if (rc != KN_EINPUT)
        fail_msg("test line %d: rc %d, expected KN_EINPUT (%s)", line, rc, err.msg);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("test line %d:\n  got  '%s'\n  want '%s...'", line, err.msg, want);
    if (CAT.n != before)
        fail_msg("test line %d: a failed parse changed the catalogue", line);
}

/* ind_catalogue_check must fail with a message starting with want. */
static void check_err(const char *want)
{
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ind_catalogue_check(&CAT, &err), KN_EINPUT);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("got  '%s'\nwant '%s...'", err.msg, want);
}

static void check_ok(void)
{
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_check(&CAT, &err) != 0)
        fail_msg("catalogue check failed: %s", err.msg);
}

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
    d = parse_ok(HDR("act") "measure n count persons\n"
                            "target >= +5.5% from 2021\n"
                            "direction higher\n");
    assert_true(d->target == 5.5);
    assert_int_equal(d->target_base_year, 2021);
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

/* ---- broken inputs --------------------------------------------------------- */

static void test_err_lexical(void **state)
{
    (void)state;
    parse_err(HDR("act") "where sex \"F\n" TAIL,
              "t.ind:10:11: string not closed on its line");
    parse_err("indicator t-x\nversion 1\ntitle sv \"a\\n\"\n",
              "t.ind:3:12: only \\\" and \\\\ may be escaped in a string");
    parse_err("indicator t-x\nversion 1\ntitle sv \"ab\\",
              "t.ind:3:13: only \\\" and \\\\ may be escaped in a string");
    parse_err("indicator t-x\nversion 1\ntitle sv \"bad \xC3\x28 utf-8\"\n",
              "t.ind:3:10: string is not valid UTF-8");
    parse_err("indicator t-x\nversion 1\ntitle sv \"overlong \xC0\xAF\"\n",
              "t.ind:3:10: string is not valid UTF-8");
    parse_err(HDR("act") "where sex Ö\n" TAIL,
              "t.ind:10:11: non-ASCII text belongs in a \"string\"");
    parse_err(HDR("act") "where age 10-24 & 30\n" TAIL,
              "t.ind:10:17: unexpected character '&'");
    parse_err(HDR("act") "where\0 age 10-24\n" TAIL,
              "t.ind:10:6: unexpected control character 0x00");
    parse_err(HDR("act") "where \x01 age\n" TAIL,
              "t.ind:10:7: unexpected control character 0x01");
    /* a line of more than IND_MAX_TOKENS tokens: `where age 1, 1, ...` */
    char many[1024];
    int n = snprintf(many, sizeof many, HDR("act") "where age 1");
    for (int i = 0; i < 70; i++)
        n += snprintf(many + n, sizeof many - (size_t)n, ", 1");
    snprintf(many + n, sizeof many - (size_t)n, "\n" TAIL);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ind_parse(&CAT, "t.ind", many, strlen(many), &A, &err), KN_EINPUT);
    /* token 129 is the 1 of the 63rd ", 1" (columns 12 + 3 * 62 .. 14 + 3 * 62) */
    assert_string_equal(err.msg, "t.ind:10:200: line has more than 128 tokens");
}

static void test_err_structure(void **state)
{
    (void)state;
    parse_err("", "t.ind:1:1: no indicator in the file");
    parse_err("# only a comment\n\n", "t.ind:1:1: no indicator in the file");
    parse_err("version 1\nindicator t-x\n", "t.ind:1:1: expected 'indicator ID' first");
    parse_err("\n  title sv \"x\"\n", "t.ind:2:3: expected 'indicator ID' first");
    parse_err("indicator Ref_A\n", "t.ind:1:11: expected the indicator's id");
    parse_err("indicator\n", "t.ind:1:10: expected the indicator's id");
    parse_err("indicator 1abc\n", "t.ind:1:11: expected the indicator's id");
    parse_err("indicator a-b extra\n", "t.ind:1:15: unexpected 'extra' at the end");
    parse_err(HDR("act") "frobnicate 3\n" TAIL,
              "t.ind:10:1: unknown statement 'frobnicate'");
    parse_err(HDR("act") "Where age 10-24\n" TAIL,
              "t.ind:10:1: unknown statement 'Where'");
    parse_err(HDR("act") "\"where\" age\n" TAIL, "t.ind:10:1: unknown statement 'where'");
    parse_err(HDR("act") "direction lower please\n",
              "t.ind:10:17: unexpected 'please' at the end of the statement");
    parse_err(HDR("act") "version 2\n" TAIL,
              "t.ind:10:1: 'version' is given twice in this definition");
    parse_err(HDR("act") "from stay\n" TAIL,
              "t.ind:10:1: 'from' is given twice in this definition");
    parse_err(HDR("act") "measure n count events\ndirection lower\ndirection higher\n",
              "t.ind:12:1: 'direction' is given twice in this definition");
    parse_err(HDR("act") "title sv \"again\"\n" TAIL, "t.ind:10:7: given twice");
    parse_err(HDR("act") "title de \"x\"\n" TAIL,
              "t.ind:10:7: expected the language: sv or en");
    parse_err("indicator t-x\nowner \"\"\n",
              "t.ind:2:7: expected a non-empty \"string\"");
    parse_err("indicator t-x\nowner Name\n",
              "t.ind:2:7: expected a non-empty \"string\"");
    parse_err(HDR("act") "description en x\n" TAIL,
              "t.ind:10:16: expected a non-empty \"string\"");
    parse_err("indicator t-x\ngoal fewer\n", "t.ind:2:6: expected a goal: self-harm");
    parse_err("indicator t-x\nversion 1\nwhere age 10-24\n",
              "t.ind:3:1: 'where' must follow 'from'");
    parse_err("indicator t-x\nmeasure n count events\n",
              "t.ind:2:1: 'measure' must follow 'from'");
    parse_err(HDR("death") TAIL, "t.ind:9:6: expected a kind of event (act, contact");
    parse_err(HDR("acts") TAIL, "t.ind:9:6: expected a kind of event");
    parse_err(HDR("act") "version 0\n", "t.ind:10:1: 'version' is given twice");
}

/* Each required statement left out: the message names the definition's line. */
static void test_err_missing(void **state)
{
    (void)state;
    parse_err("indicator t-x\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
              "description en \"a\"\nowner \"o\"\ngoal quality\nfrom act\n" TAIL,
              "t.ind:1:1: indicator t-x: 'version N' is missing");
    parse_err("indicator t-x\nversion 1\ntitle sv \"a\"\ndescription sv \"a\"\n"
              "description en \"a\"\nowner \"o\"\ngoal quality\nfrom act\n" TAIL,
              "t.ind:1:1: indicator t-x: a title in both sv and en is needed");
    parse_err("indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
              "description en \"a\"\nowner \"o\"\ngoal quality\nfrom act\n" TAIL,
              "t.ind:1:1: indicator t-x: a description in both sv and en is needed");
    parse_err(
        "indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
        "description en \"a\"\ngoal quality\nfrom act\n" TAIL,
        "t.ind:1:1: indicator t-x: 'owner \"...\"' is missing");
    parse_err(
        "indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
        "description en \"a\"\nowner \"o\"\nfrom act\n" TAIL,
        "t.ind:1:1: indicator t-x: 'goal G' is missing");
    parse_err(
        "indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
        "description en \"a\"\nowner \"o\"\ngoal quality\ndirection lower\n",
        "t.ind:1:1: indicator t-x: 'from KIND' is missing");
    parse_err(HDR("act") "direction lower\n",
              "t.ind:1:1: indicator t-x: at least one 'measure' is needed");
    parse_err(HDR("act") "measure n count events\n",
              "t.ind:1:1: indicator t-x: 'direction lower|higher' is missing");
    /* the first of two definitions is checked when the second starts */
    parse_err(HDR("act") "measure n count events\n\nindicator t-y\n",
              "t.ind:1:1: indicator t-x: 'direction lower|higher' is missing");
    parse_err(HDR("act") TAIL "indicator t-y\nversion 1\n",
              "t.ind:12:1: indicator t-y: a title in both sv and en is needed");
}

static void test_err_fields(void **state)
{
    (void)state;
    parse_err(HDR("act") "where colour red\n" TAIL, "t.ind:10:7: unknown field 'colour'");
    parse_err(HDR("act") "where brief yes\n" TAIL,
              "t.ind:10:7: field 'brief' does not apply to act events");
    parse_err(HDR("act") "where diagnosis F32\n" TAIL,
              "t.ind:10:7: field 'diagnosis' does not apply to act events");
    parse_err(HDR("stay") "where intent intentional\n" TAIL,
              "t.ind:10:7: field 'intent' does not apply to stay events");
    parse_err(HDR("act") "where has death(mode visit) in start [0d, 1d]\n" TAIL,
              "t.ind:10:17: field 'mode' does not apply to death events");
    parse_err(HDR("stay") "where has act(linked maybe) in start [0d, 1d]\n" TAIL,
              "t.ind:10:22: 'maybe' is not a value of linked (no, yes)");
    parse_err(HDR("act") "where sex X\n" TAIL,
              "t.ind:10:11: 'X' is not a value of sex (F, M)");
    parse_err(HDR("act") "where sex f\n" TAIL, "t.ind:10:11: 'f' is not a value of sex");
    parse_err(HDR("measure") "where type belt\n" TAIL,
              "t.ind:10:12: 'belt' is not a value of type (fastspanning, avskiljning, "
              "tvangsmedicinering, fasthallande, other)");
    parse_err(HDR("stay") "where has plan(type dbt) in start [0d, 1d]\n" TAIL,
              "t.ind:10:21: 'dbt' is not a value of type (care_plan, crisis_plan, sip)");
    parse_err(HDR("stay") "where legal lpt\n" TAIL,
              "t.ind:10:13: 'lpt' is not a value of legal");
    parse_err(HDR("act") "where region 02\n" TAIL,
              "t.ind:10:14: '02' is not a region code (01 .. 25)");
    parse_err(HDR("act") "where region 45\n" TAIL,
              "t.ind:10:14: '45' is not a region code (01 .. 25)");
    parse_err(HDR("act") "where region 1\n" TAIL,
              "t.ind:10:14: '1' is not a region code");
    parse_err(HDR("act") "where region 99\n" TAIL,
              "t.ind:10:14: '99' is not a region code");
    parse_err(HDR("act") "where cause X6\n" TAIL,
              "t.ind:10:13: 'X6' is not an ICD-10 category or range such as X60");
    parse_err(HDR("act") "where cause X60.1\n" TAIL,
              "t.ind:10:13: 'X60.1' is not an ICD-10 category");
    parse_err(HDR("act") "where cause x60\n" TAIL, "t.ind:10:13: 'x60' is not an ICD-10");
    parse_err(HDR("act") "where cause X60-Y3\n" TAIL,
              "t.ind:10:13: 'X60-Y3' is not an ICD-10");
    parse_err(HDR("act") "where cause X84-X60\n" TAIL,
              "t.ind:10:13: range 'X84-X60' runs backwards");
    parse_err(HDR("act") "where age 24-10\n" TAIL,
              "t.ind:10:11: '24-10' is not an age range such as 10-24");
    parse_err(HDR("act") "where age ten\n" TAIL,
              "t.ind:10:11: 'ten' is not an age range");
    parse_err(HDR("act") "where age 10-200\n" TAIL,
              "t.ind:10:11: '10-200' is not an age range");
    parse_err(HDR("act") "where age 10-24,\n" TAIL, "t.ind:10:17: expected a value");
    parse_err(HDR("act") "where age\n" TAIL, "t.ind:10:10: expected a value");
    parse_err(HDR("act") "where (age 10)\n" TAIL,
              "t.ind:10:7: expected a field, 'has' or 'no'");
    parse_err(HDR("act") "where age 10 20\n" TAIL,
              "t.ind:10:14: unexpected '20' at the end");
}

static void test_err_relations(void **state)
{
    (void)state;
    parse_err(HDR("act") "where has act in start [0d 7d]\n" TAIL,
              "t.ind:10:28: expected ','");
    parse_err(HDR("act") "where has act in start [0d, 7x]\n" TAIL,
              "t.ind:10:29: '7x' is not a duration: whole days or hours");
    parse_err(HDR("act") "where has act in start [0d, 7]\n" TAIL,
              "t.ind:10:29: '7' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, 1.5d]\n" TAIL,
              "t.ind:10:29: '1.5d' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, --1d]\n" TAIL,
              "t.ind:10:29: '--1d' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, 99999999d]\n" TAIL,
              "t.ind:10:29: '99999999d' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, 7d\n" TAIL,
              "t.ind:10:31: expected ']' or ')' to close the window");
    parse_err(HDR("act") "where has act in start {0d, 7d]\n" TAIL,
              "t.ind:10:24: unexpected character '{'");
    parse_err(HDR("act") "where has act in start 0d, 7d]\n" TAIL,
              "t.ind:10:24: expected a window such as [0d, 7d] or (0d, 365d]");
    parse_err(HDR("act") "where has act in start (5d, 5d]\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act in start [5d, 5d)\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act in start [7d, 1d]\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act in start [24h, 0d]\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act start [0d, 7d]\n" TAIL,
              "t.ind:10:15: expected 'in'");
    parse_err(HDR("act") "where has act in middle [0d, 7d]\n" TAIL,
              "t.ind:10:18: expected 'start' or 'end'");
    parse_err(
        HDR("act") "where has acts in start [0d, 7d]\n" TAIL,
        "t.ind:10:11: expected a kind of event (act, contact, emergency, outpatient, "
        "stay, measure, assessment, plan, treatment, followup, step, death)");
    parse_err(HDR("act") "where has act() in start [0d, 7d]\n" TAIL,
              "t.ind:10:15: expected a field");
    parse_err(HDR("act") "where has act(cause X60 in start [0d, 7d]\n" TAIL,
              "t.ind:10:25: expected ';' or ')' after the field's values");
    parse_err(HDR("act") "where has act(cause X60, in start [0d, 7d]\n" TAIL,
              "t.ind:10:26: 'in' is not an ICD-10");
    parse_err(HDR("act") "where has act in start [0d, 7d] count >= 0\n" TAIL,
              "t.ind:10:42: the count must be a whole number from 1 to 10000, not '0'");
    parse_err(HDR("act") "where has act in start [0d, 7d] count > 2\n" TAIL,
              "t.ind:10:39: expected '>='");
    parse_err(HDR("act") "where has followup in end [0d, 7d]\n" TAIL,
              "t.ind:10:1: 'in end' needs anchors with an end");
    parse_err(HDR("act") "where no act in end [0d, 7d]\n" TAIL,
              "t.ind:10:1: 'in end' needs anchors with an end");
}

static void test_err_statements(void **state)
{
    (void)state;
    parse_err(HDR("act") "period week\n" TAIL,
              "t.ind:10:8: expected year, tertial, quarter or month");
    parse_err(HDR("act") "period year of middle\n" TAIL,
              "t.ind:10:16: expected 'start' or 'end'");
    parse_err(HDR("act") "period year at end\n" TAIL, "t.ind:10:13: expected 'of'");
    parse_err(HDR("act") "years 2024-2020\n" TAIL,
              "t.ind:10:7: expected years such as 2020-2024, not '2024-2020'");
    parse_err(HDR("act") "years 2020\n" TAIL,
              "t.ind:10:7: expected years such as 2020-2024");
    parse_err(HDR("act") "geo home\n" TAIL, "t.ind:10:5: expected 'person' or 'unit'");
    parse_err(HDR("act") "bands 10-14, 12-19\nbreakdown band\n" TAIL,
              "t.ind:10:14: bands must be in order and must not overlap");
    parse_err(HDR("act") "bands 10\nbreakdown band\n" TAIL,
              "t.ind:10:7: expected an age band such as 10-14, not '10'");
    parse_err(
        HDR("act") "breakdown region, age\n" TAIL,
        "t.ind:10:19: expected a breakdown: region, municipality, unit, sex or band");
    parse_err(HDR("act") "breakdown\n" TAIL, "t.ind:10:10: expected a breakdown");
    parse_err(HDR("act") "pick second per person\n" TAIL,
              "t.ind:10:6: expected 'first', 'last' or 'nth N'");
    parse_err(HDR("act") "pick nth 0 per person\n" TAIL,
              "t.ind:10:10: N must be a whole number from 1 to 1000, not '0'");
    parse_err(HDR("act") "pick first per period\n" TAIL,
              "t.ind:10:16: expected 'person'");
    parse_err(HDR("act") "pick first per person always\n" TAIL,
              "t.ind:10:23: expected 'per period' or 'ever'");
    parse_err(HDR("act") "version x\n", "t.ind:10:1: 'version' is given twice");
    parse_err(
        "indicator t-x\nversion 1.5\n",
        "t.ind:2:9: the version must be a whole number from 1 to 100000, not '1.5'");
    parse_err("indicator t-x\nversion -1\n",
              "t.ind:2:9: the version must be a whole number");
    parse_err("indicator t-x\nversion\n", "t.ind:2:8: expected the version");
    parse_err("indicator t-x\nvalid 2023-01-01 .. 2020-01-01\n",
              "t.ind:2:7: valid: the end must come after the start");
    parse_err("indicator t-x\nvalid 2023-02-30 ..\n", "t.ind:2:7: valid: ");
    parse_err("indicator t-x\nvalid 2023-01-01\n", "t.ind:2:17: expected '..'");
    parse_err("indicator t-x\nvalid 2023-01-01.. 2024-01-01 x\n",
              "t.ind:2:31: unexpected 'x' at the end");
    parse_err(HDR("act") "measure n count events\ntarget <= -10%\ndirection lower\n",
              "t.ind:11:15: expected 'from'");
    parse_err(HDR("act") "measure n count events\ntarget <= -10% from x\ndirection lower\n",
              "t.ind:11:21: the base year must be a whole number");
    parse_err(HDR("act") "measure n count events\ntarget <= -100% from 2020\n"
                         "direction lower\n",
              "t.ind:11:11: a change of -100% leaves nothing");
    parse_err(HDR("act") "measure n count events\ntarget >= lots\ndirection lower\n",
              "t.ind:11:11: 'lots' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget >= nan\ndirection lower\n",
              "t.ind:11:11: 'nan' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget >= inf\ndirection lower\n",
              "t.ind:11:11: 'inf' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget >= 0x10\ndirection lower\n",
              "t.ind:11:11: '0x10' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget = 10\ndirection lower\n",
              "t.ind:11:8: expected '<=' or '>='");
    parse_err(HDR("act") "target >= 10 for n\n" TAIL,
              "t.ind:10:18: no measure of that name above");
    parse_err(HDR("act") "measure n count events\ntarget >= 10 for m\ndirection lower\n",
              "t.ind:11:18: no measure of that name above");
    parse_err(
        HDR("act") "measure n count events\ntarget >= 1\ntarget <= 2\ndirection lower\n",
        "t.ind:12:1: 'target' is given twice in this definition");
    parse_err(HDR("act") "measure n count events\ndirection up\n",
              "t.ind:11:11: expected 'lower' or 'higher'");
}

static void test_err_measures(void **state)
{
    (void)state;
    parse_err(
        HDR("act") "measure n count events\nmeasure n count persons\ndirection lower\n",
        "t.ind:11:9: measure 'n' is defined twice");
    parse_err(HDR("act") "measure N count events\ndirection lower\n",
              "t.ind:10:9: expected a measure name (lower-case letters, digits and _)");
    parse_err(HDR("act") "measure my-rate count events\ndirection lower\n",
              "t.ind:10:9: expected a measure name");
    parse_err(HDR("act") "measure n tally events\ndirection lower\n",
              "t.ind:10:11: expected a measure: count, sum, proportion, median, survival "
              "or ratio");
    parse_err(HDR("act") "measure n count things\ndirection lower\n",
              "t.ind:10:17: expected 'events' or 'persons'");
    parse_err(HDR("act") "measure n count events per 0 population\ndirection lower\n",
              "t.ind:10:28: the multiplier must be a whole number from 1 to 1000000000");
    parse_err(HDR("act") "measure n count events per 1000 people\ndirection lower\n",
              "t.ind:10:33: expected 'population'");
    parse_err(HDR("stay") "measure n sum weeks\ndirection lower\n",
              "t.ind:10:15: expected 'days' or 'hours'");
    parse_err(HDR("stay") "measure n median days\ndirection lower\n",
              "t.ind:10:22: expected 'of duration' or 'to first ...'");
    parse_err(
        HDR("stay") "measure n median days to act in start [0d, 1d]\ndirection lower\n",
        "t.ind:10:26: expected 'first'");
    parse_err(HDR("stay") "measure n proportion colour red\ndirection lower\n",
              "t.ind:10:22: unknown field 'colour'");
    parse_err(HDR("act") "measure n proportion brief yes\ndirection lower\n",
              "t.ind:10:22: field 'brief' does not apply to act events");
    parse_err(HDR("stay") "measure n survival act in start [0d, 1d] censor life\n"
                          "direction lower\n",
              "t.ind:10:49: expected 'death'");
    parse_err(HDR("stay") "measure n count events\nmeasure r ratio n/n per "
                          "100\ndirection lower\n",
              "t.ind:11:17: expected the name of a measure");
    parse_err(HDR("stay") "measure n count events\nmeasure r ratio n / Ref-B:x per 100\n"
                          "direction lower\n",
              "t.ind:11:21: expected ID:MEASURE");
    parse_err(HDR("stay") "measure n count events\nmeasure r ratio n / ref-b: per 100\n"
                          "direction lower\n",
              "t.ind:11:21: expected the name of a measure, or ID:MEASURE");
    parse_err(
        HDR("stay") "measure n count events\nmeasure r ratio n / n\ndirection lower\n",
        "t.ind:11:22: expected 'per'");
    parse_err(HDR("stay") "measure a count events\nmeasure b count events\nmeasure c "
                          "count events\n"
                          "measure d count events\nmeasure e count events\nmeasure f "
                          "count events\n"
                          "measure g count events\nmeasure h count events\nmeasure i "
                          "count events\n"
                          "direction lower\n",
              "t.ind:18:23: at most 8 measures");
}

/* Combinations that are checked when a definition ends. */
static void test_err_combinations(void **state)
{
    (void)state;
    parse_err(HDR("act") "bands 10-14, 15-24\nbreakdown region, band\n"
                         "measure r count persons per 100000 population standardised\n"
                         "direction lower\n",
              "t.ind:12:1: measure r: a standardised rate needs 'bands' of ESP2013's "
              "five-year groups");
    parse_err(HDR("act") "bands 11-15\nbreakdown band\n"
                         "measure r count persons per 100000 population standardised\n"
                         "direction lower\n",
              "t.ind:12:1: measure r: a standardised rate needs 'bands'");
    parse_err(HDR("act") "measure r count persons per 100000 population standardised\n"
                         "direction lower\n",
              "t.ind:10:1: measure r: a standardised rate needs 'bands'");
    parse_err(HDR("act") "geo unit\n" TAIL,
              "t.ind:1:1: indicator t-x: 'geo unit' needs events at a care unit");
    parse_err(HDR("step") "geo unit\n" TAIL,
              "t.ind:1:1: indicator t-x: 'geo unit' needs events at a care unit");
    parse_err(HDR("emergency") "geo unit\nmeasure r count persons per 1000 population\n"
                               "direction lower\n",
              "t.ind:11:1: measure r: a rate per population needs 'geo person'");
    parse_err(HDR("act") "period year of end\n" TAIL,
              "t.ind:1:1: indicator t-x: 'period ... of end' needs events with an end");
    parse_err(HDR("emergency") "geo unit\nbreakdown municipality\n" TAIL,
              "t.ind:1:1: indicator t-x: the municipality breakdown needs 'geo person'");
    parse_err(HDR("emergency") "breakdown unit\n" TAIL,
              "t.ind:1:1: indicator t-x: the unit breakdown needs 'geo unit'");
    parse_err(HDR("act") "breakdown band\n" TAIL,
              "t.ind:1:1: indicator t-x: the band breakdown needs 'bands'");
    parse_err(
        HDR("act") "bands 10-14\n" TAIL,
        "t.ind:1:1: indicator t-x: 'bands' are given but 'band' is not in the breakdown");
    parse_err(HDR("act") "measure d sum days\ndirection lower\n",
              "t.ind:10:1: measure d: only events with an end");
    parse_err(HDR("assessment") "measure d median hours of duration\ndirection lower\n",
              "t.ind:10:1: measure d: only events with an end");
    parse_err(
        HDR("act") "measure p proportion has followup in end [0d, 7d]\ndirection lower\n",
        "t.ind:10:1: measure p: 'in end' needs anchors with an end");
    parse_err(HDR("act") "measure m median days to first act in end [0d, 7d]\ndirection "
                         "lower\n",
              "t.ind:10:1: measure m: 'in end' needs anchors with an end");
    parse_err(HDR("act") "measure k survival act in start (0d, 365d] count >= 2\n"
                         "direction lower\n",
              "t.ind:10:1: measure k: survival counts the first event; drop 'count'");
    parse_err(HDR("act") "measure k survival act in start [-1d, 365d]\ndirection lower\n",
              "t.ind:10:1: measure k: survival looks forward");
    parse_err(
        HDR("act") "measure n count events\nmeasure r ratio x / n per 100\n"
                   "direction lower\n",
        "t.ind:11:1: measure r: the numerator must be another measure of this indicator");
    parse_err(HDR("act") "measure n count events\nmeasure r ratio n / nope per 100\n"
                         "direction lower\n",
              "t.ind:11:1: measure r: the denominator must be another measure of this "
              "indicator, or ID:MEASURE");
    parse_err(HDR("act") "measure n count events\nmeasure r ratio n / n per 100\n"
                         "measure s ratio r / n per 100\ndirection lower\n",
              "t.ind:12:1: measure s: the numerator must be another measure");
    parse_err(HDR("act") "measure r ratio r / r per 100\ndirection lower\n",
              "t.ind:10:1: measure r: the numerator must be another measure");
}

/* What only the catalogue as a whole can tell: versions and ratios. */
static void test_catalogue_check(void **state)
{
    (void)state;
    /* two versions valid at once */
    parse_ok(HDR("act") TAIL);
    parse_ok(
        "indicator t-x\nversion 2\nvalid 2023-01-01..\ntitle sv \"a\"\ntitle en \"a\"\n"
        "description sv \"a\"\ndescription en \"a\"\nowner \"o\"\ngoal quality\n"
        "from act\n" TAIL);
    check_err("t.ind:1:1: indicator t-x: the validity of two versions overlaps");
    teardown(NULL);
    setup(NULL);

    /* the same version twice (in two files) */
    parse_ok(HDR("act") TAIL);
    struct kn_error err = KN_ERROR_INIT;
    const char other[] = "\n" HDR("act") TAIL;
    assert_int_equal(ind_parse(&CAT, "u.ind", other, strlen(other), &A, &err), 0);
    check_err("u.ind:2:1: indicator t-x: this version is defined twice");
    teardown(NULL);
    setup(NULL);

    /* versions that follow each other */
    parse_ok(
        "indicator t-x\nversion 1\nvalid 2020-01-01 .. 2023-01-01\n"
        "title sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\n" TAIL
        "indicator t-x\nversion 2\nvalid 2023-01-01 ..\n"
        "title sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\ndescription en \"a\"\n"
        "owner \"o\"\ngoal quality\nfrom act\n" TAIL);
    check_ok();
    teardown(NULL);
    setup(NULL);

    /* ratio to another indicator */
    parse_ok("indicator den\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
             "description sv \"a\"\ndescription en \"a\"\nowner \"o\"\ngoal quality\n"
             "from stay\nmeasure stays count events\nmeasure days sum days\n"
             "measure r ratio stays / days per 1000\ndirection lower\n");
    parse_ok(HDR("measure") "measure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_ok();
    CAT.n--;
    parse_ok(HDR("measure") "measure n count events\n"
                            "measure r ratio n / den:weeks per 1000\ndirection lower\n");
    check_err(
        "t.ind:11:1: measure r: the denominator ID:MEASURE is not in the catalogue");
    CAT.n--;
    parse_ok(
        HDR("measure") "measure n count events\n"
                       "measure r ratio n / nobody:days per 1000\ndirection lower\n");
    check_err(
        "t.ind:11:1: measure r: the denominator ID:MEASURE is not in the catalogue");
    CAT.n--;
    parse_ok(HDR("measure") "measure n count events\n"
                            "measure r ratio n / den:r per 1000\ndirection lower\n");
    check_err(
        "t.ind:11:1: measure r: the denominator ID:MEASURE is not in the catalogue");
    CAT.n--;
    parse_ok(HDR("measure") "breakdown region\nmeasure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_err(
        "t.ind:12:1: measure r: the denominator's indicator must have the same period, "
        "geo, bands and breakdown");
    CAT.n--;
    parse_ok(HDR("measure") "period quarter\nmeasure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_err("t.ind:12:1: measure r: the denominator's indicator must have the same");
    CAT.n--;
    parse_ok(HDR("measure") "geo unit\nmeasure n count events\n"
                            "measure r ratio n / den:days per 1000\ndirection lower\n");
    check_err("t.ind:12:1: measure r: the denominator's indicator must have the same");
    CAT.n--;
    check_ok();
}

/* ---- the shipped catalogue -------------------------------------------------- */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_shipped_catalogue(void **state)
{
    (void)state;
    const char *src = getenv("SRCDIR");
    if (!src)
        fail_msg("SRCDIR is not set (tests/meson.build sets it)");
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_shipped(&CAT, &A, &err) != 0)
        fail_msg("the shipped catalogue does not load: %s", err.msg);
    assert_true(CAT.n >= 32);

    /* the files in the folder, and the list in its meson.build */
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/data/indicators", src);
    snprintf(path, sizeof path, "%s/meson.build", dir);
    char *listing = read_text(path);
    assert_non_null(listing);
    char *listed = strdup(listing);
    assert_non_null(listed);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t nfiles = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ind") != 0)
            continue;
        nfiles++;
        char quoted[300];
        snprintf(quoted, sizeof quoted, "'%s'", e->d_name);
        if (!strstr(listed, quoted))
            fail_msg("data/indicators/%s is not listed in data/indicators/meson.build",
                     e->d_name);
        /* named by its id: the file defines that id and only that id */
        char id[256];
        snprintf(id, sizeof id, "%.*s", (int)(len - 4), e->d_name);
        const struct ind_def *def = ind_find(&CAT, id);
        if (!def)
            fail_msg("%s does not define the indicator '%s'", e->d_name, id);
        char want[300];
        snprintf(want, sizeof want, "data/indicators/%s", e->d_name);
        assert_string_equal(def->file, want);
    }
    closedir(d);
    /* and every file listed exists */
    size_t nlisted = 0;
    for (const char *p = listed; (p = strchr(p, '\'')) != NULL;) {
        const char *q = strchr(p + 1, '\'');
        assert_non_null(q);
        if (q - p > 5 && memcmp(q - 4, ".ind", 4) == 0) {
            nlisted++;
            snprintf(path, sizeof path, "%s/%.*s", dir, (int)(q - p - 1), p + 1);
            if (!read_text(path))
                fail_msg("meson.build lists %s, which is not there", path);
        }
        p = q + 1;
    }
    free(listed);
    assert_int_equal(nlisted, nfiles);

    /* every definition comes from a file named by its id; ids and versions
     * are unique (ind_catalogue_check, run by ind_catalogue_shipped) */
    size_t nids = 0;
    for (size_t i = 0; i < CAT.n; i++) {
        const struct ind_def *def = &CAT.defs[i];
        char want[300];
        snprintf(want, sizeof want, "data/indicators/%s.ind", def->id);
        assert_string_equal(def->file, want);
        bool first = true;
        for (size_t j = 0; j < i; j++)
            first &= strcmp(CAT.defs[j].id, def->id) != 0;
        nids += first;
        for (size_t j = 0; j < i; j++)
            if (strcmp(CAT.defs[j].id, def->id) == 0)
                assert_int_not_equal(CAT.defs[j].version, def->version);
        /* what the portal needs of every definition */
        assert_true(def->title_sv[0] && def->title_en[0] && def->desc_sv[0] &&
                    def->desc_en[0]);
        assert_true(def->year_from >= 2020 && def->year_to >= def->year_from);
    }
    assert_int_equal(nids, nfiles);
    for (char c = 'a'; c <= 'f'; c++) {
        char id[8];
        snprintf(id, sizeof id, "ref-%c", c);
        assert_non_null(ind_find(&CAT, id));
    }
    check_ok();
}

static void test_region_bits(void **state)
{
    (void)state;
    struct geo g;
    struct kn_error err = KN_ERROR_INIT;
    if (geo_load(&g, &A, &err) != 0)
        fail_msg("geo_load: %s", err.msg);
    uint32_t bits = 0;
    for (size_t i = 0; i < g.nregions; i++) {
        int code = atoi(g.regions[i].code);
        assert_true(code > 0 && code < 32);
        bits |= 1u << code;
    }
    assert_int_equal(g.nregions, 21);
    assert_int_equal(ind_region_bits, bits);

    /* and the parser takes exactly those two-digit codes */
    for (int code = 0; code < 100; code++) {
        char text[512];
        snprintf(text, sizeof text, HDR("act") "where region %02d\n" TAIL, code);
        struct kn_error e = KN_ERROR_INIT;
        int rc = ind_parse(&CAT, "t.ind", text, strlen(text), &A, &e);
        bool known = code < 32 && (bits & (1u << code));
        if (known != (rc == 0))
            fail_msg("region %02d: rc %d (%s)", code, rc, e.msg);
    }
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
        cmocka_unit_test_setup_teardown(test_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_and_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fingerprint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_lexical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_relations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_measures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_combinations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalogue_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipped_catalogue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_bits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
