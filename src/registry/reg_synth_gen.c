/* src/registry/reg_synth_gen.c: when a made-up person self-harms.
 *
 * The persons are a sample of the young population (reg_synth_world.c:
 * in proportion to the population aged 10-24 of each region and sex, born
 * so that every age 10-24 is present in every year). Self-harm is drawn
 * per person and year, so the rates below are what the indicators find
 * against the population. Everyone is in care at least once: persons
 * without an act have one to four outpatient visits (psychiatry or primary
 * care for something else). The level is set so that the files hold about
 * 10 event rows per person (1 M persons: 9.7 M event rows plus 1 M
 * persons), and so far above the Swedish rates (a third of the persons
 * have an act in the five years): the data set is a registry of care,
 * dense enough to time the engine, not a census. Shapes, not levels, are
 * what is realistic. With the default seed and 200,000 persons:
 *
 * - Self-harm: in each year without an act yet a person starts one with
 *   chance 1 - exp(-K h(age, sex) f(region) t(year, sex) z), age attained
 *   in the year. h follows DOMAIN.md 6.3: highest for girls 15-19; persons
 *   with an act per person-year, girls / boys: 10-14 0.148 / 0.035, 15-19
 *   0.349 / 0.090, 20-24 0.249 / 0.103. f is 0.6 .. 1.5 by region; t the
 *   rise among girls in 2021 (x1.35, then x1.25, x1.15, x1.10: girls 0.21
 *   in 2020, 0.27 in 2021); z a person's frailty (0 for 30 %, 1 for 50 %,
 *   3 for 20 %).
 * - Repetition: after an act another follows within 1-365 days (most in
 *   the first weeks) with the region's chance (0.10 .. 0.30), x1.5 for the
 *   frail, x0.7 for the others, +0.15 after a second act. 12-month
 *   repetition share: 0.33 in all, 0.24 .. 0.44 by region.
 * - Method: X60-X64 poisoning 56 %, X78 sharp object 22 %, hanging,
 *   jumping and others (more violent methods for boys); 10 % Y10-Y34.
 * - Per act: an emergency visit (86 %; 3 % of them in another region),
 *   else an outpatient psychiatric, primary care or school health visit,
 *   or no contact (3 %). A suicide risk assessment follows an emergency
 *   visit with the visit region's share (0.55 .. 0.95) after a lognormal
 *   delay around the region's median (2 .. 30 hours; median days by region
 *   0.1 .. 1.2). 10 % of poisonings stay a night or two in somatic care.
 *   About a fifth of acts (region factor 0.7 .. 1.3, more after hanging or
 *   jumping and for repeaters) lead to a psychiatric stay (BUP under 18,
 *   adult psychiatry from 18; median 3.5 days, 6 hours to 10 weeks), under
 *   LPT with the region's share (0.06 .. 0.18).
 * - LPT stays have coercive measures (65 % of them, one to eight, never
 *   overlapping): belt restraint, seclusion, forced medication, holding;
 *   15 minutes to many hours, inside the stay. For under-18s belt
 *   restraint is decided an hour and seclusion two hours at a time, so
 *   longer episodes are chains of decisions linked by extends_id; adults'
 *   seclusion is decided 8 hours at a time.
 * - After a discharge (not a transfer), a follow-up within 7 days with
 *   the region's share (0.45 .. 0.95), else in half of the cases 8-45 days
 *   later; after brief admissions less often. Stays followed up within 7
 *   days: 0.41 .. 0.82 by region.
 * - A new pathway episode (child under 18, adult from 18) starts with an
 *   act seen in care when none started in the last 180 days: steps
 *   1_first_contact, 2_assessment, 3_care_plan, 4_treatment, 5_exit; care
 *   and crisis plans, SIP for a quarter of children, one to five
 *   outpatient visits, and a treatment (DBT for most repeaters, else CBT,
 *   ERITA for 13-17, ERGT and MBT for adults), started 2-17 weeks after
 *   the first contact.
 * - Frail adults with repeated acts may get a brief-admission agreement
 *   (a crisis plan) and then 1-3-day self-referred stays; some with four
 *   acts or more and DBT are referred to NHV (a consultation, then for
 *   adults a planned stay of 4-5 months at the unit serving their
 *   healthcare region: Stockholm, Skåne or Västra Götaland).
 * - 0.6 % of persons with acts die in the period (60 % by suicide), 0.1 %
 *   of the others, always after their last event.
 *
 * The region factors are invented and dealt out by the seed: they say
 * nothing about the real regions. The care is in reg_synth_care.c.
 */
#include <stdlib.h>
#include <string.h>

#include "registry/reg_synth_impl.h"

/* Diagnoses: index 0 is "none". Psychiatric codes, then injuries. */
const char *const reg_syn_diag_codes[] = {
    "",
    /* 1..12: psychiatric */
    "F32.1", "F33.1", "F41.1", "F41.9", "F43.1", "F43.2", "F60.3", "F90.0", "F84.5",
    "F50.0", "F10.1", "F31.0",
    /* 13..18: poisoning */
    "T39.1", "T42.4", "T43.2", "T40.2", "T51.0", "T50.9",
    /* 19..22: cuts */
    "S51.8", "S61.8", "S41.1", "S71.1",
    /* 23..24: other injuries */
    "T71", "T14.9",
    /* 25..27: self-harm behaviour (from 2023) */
    "Z91.5A", "Z91.5B", "Z91.5C",
};
#define D_PSYCH  1
#define D_POISON 13
#define D_CUT    19
#define D_OTHER  23
#define D_Z915   25


/* Relative self-harm hazard by age attained, 0..30 (older: 30). */
static const double haz_f[31] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.01,
    0.05, 0.10, 0.25, 0.50, 0.75, 0.95, 1.00, 1.00, 0.90, 0.80,
    0.70, 0.62, 0.55, 0.50, 0.45, 0.42, 0.40, 0.38, 0.36, 0.34, 0.32,
};
static const double haz_m[31] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.005,
    0.02, 0.03, 0.06, 0.11, 0.15, 0.16, 0.18, 0.19, 0.20, 0.21,
    0.22, 0.22, 0.22, 0.21, 0.21, 0.22, 0.21, 0.20, 0.19, 0.18, 0.17,
};
#define HAZ_K 0.50 /* sets the level: about 10 event rows per person */

/* Cause codes as 1..25 = X60..X84, 26..50 = Y10..Y34, with weights per
 * mille; boys use more violent methods. */
struct wcode {
    uint8_t code;
    uint16_t w;
};
#define X(n) ((uint8_t)((n) - 59))
#define Y(n) ((uint8_t)((n) + 16))
static const struct wcode cause_f[] = {
    { X(60), 170 }, { X(61), 230 }, { X(62), 45 }, { X(63), 20 }, { X(64), 170 },
    { X(65), 15 },  { X(70), 30 },  { X(71), 10 }, { X(76), 10 }, { X(78), 250 },
    { X(80), 15 },  { X(81), 5 },   { X(84), 30 },
};
static const struct wcode cause_m[] = {
    { X(60), 120 }, { X(61), 190 }, { X(62), 80 }, { X(63), 20 }, { X(64), 150 },
    { X(65), 30 },  { X(70), 70 },  { X(71), 15 }, { X(76), 15 }, { X(78), 250 },
    { X(80), 30 },  { X(81), 10 },  { X(84), 20 },
};
static const struct wcode cause_y[] = {
    { Y(10), 150 }, { Y(11), 200 }, { Y(12), 50 }, { Y(14), 300 },
    { Y(20), 30 },  { Y(28), 200 }, { Y(30), 20 }, { Y(34), 50 },
};
/* A person's psychiatric diagnosis (index into reg_syn_diag_codes). */
static const struct wcode psych_f[] = {
    { 1, 250 }, { 2, 50 }, { 3, 150 }, { 4, 50 }, { 5, 100 }, { 6, 100 },
    { 7, 120 }, { 8, 80 }, { 9, 50 },  { 10, 50 },
};
static const struct wcode psych_m[] = {
    { 1, 200 }, { 2, 40 }, { 3, 120 }, { 4, 50 }, { 5, 80 }, { 6, 100 },
    { 7, 40 },  { 8, 200 }, { 9, 80 }, { 11, 80 }, { 12, 10 },
};
/* Hour of day of an act: few at night, most in the evening. */
static const uint16_t hour_w[24] = {
    3, 2, 2, 1, 1, 1, 1, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 7, 8, 9, 9, 8, 6, 4,
};

#define NW(t) (sizeof(t) / sizeof((t)[0]))

static uint8_t pick(struct reg_syn_rng *r, const struct wcode *t, size_t n)
{
    uint32_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += t[i].w;
    uint32_t x = reg_syn_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < t[i].w)
            return t[i].code;
        x -= t[i].w;
    }
    return t[n - 1].code;
}

/* ---- the chunk's row storage ------------------------------------------- */

void reg_syn_chunk_init(struct reg_syn_chunk *c)
{
    memset(c, 0, sizeof *c);
}

void reg_syn_chunk_release(struct reg_syn_chunk *c)
{
    if (c == NULL)
        return;
    for (int k = 0; k < REG_SYNTH_NKINDS; k++)
        free(c->rows[k].v);
    free(c->death);
    free(c->suicide);
    reg_syn_chunk_init(c);
}

struct reg_syn_row *reg_syn_push(struct reg_syn_ctx *x, int k, int32_t *idx)
{
    struct reg_syn_vec *v = &x->c->rows[k];
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4096;
        struct reg_syn_row *nv = realloc(v->v, cap * sizeof *nv);
        if (nv == NULL) {
            x->c->oom = true;
            if (idx != NULL)
                *idx = -1;
            return &x->c->scratch;
        }
        v->v = nv;
        v->cap = cap;
    }
    if (idx != NULL)
        *idx = (int32_t)v->n;
    struct reg_syn_row *row = &v->v[v->n++];
    memset(row, 0, sizeof *row);
    row->t1 = SYN_NONE;
    row->t2 = SYN_NONE;
    row->person = x->pi;
    row->ref = -1;
    row->ext = -1;
    /* 92 % of rows write the number as the person's own form does. The
     * 10-digit form leaves the century to the reader, who takes the one
     * that makes the person younger than 100 at import: only persons born
     * at most 40 years before the period's end are written so, which stays
     * unambiguous for 60 years. */
    row->form = reg_syn_chance(x->r, 0.92) ? x->p->form : (uint8_t)reg_syn_below(x->r, 3);
    if (row->form == 2 && !x->p->short_ok)
        row->form = 0;
    return row;
}

/* A time on a weekday between 08:00 and 16:55 in whole 5 minutes, on the
 * day of t or, if that is a weekend or t is too late in the day, the next
 * working day; never before t. */
kn_time reg_syn_office_time(struct reg_syn_ctx *x, kn_time t)
{
    int64_t day = reg_syn_day_of(t);
    kn_time out = day * SYN_DAY + 8 * SYN_HOUR + (kn_time)reg_syn_below(x->r, 108) * 300;
    if (out < t) {
        day++;
        out += SYN_DAY;
    }
    int wd = (int)(((day % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday */
    if (wd >= 6)
        out += (8 - wd) * (kn_time)SYN_DAY;
    return out;
}

static uint8_t injury_diag(struct reg_syn_ctx *x, uint8_t cause)
{
    int code = cause <= 25 ? 59 + cause : cause - 16; /* X60.. or Y10.. number */
    bool poison = cause <= 25 ? code <= 69 : code <= 19;
    bool cut = code == 78 || code == 28;
    if (poison)
        return (uint8_t)(D_POISON + reg_syn_below(x->r, 6));
    if (cut)
        return (uint8_t)(D_CUT + reg_syn_below(x->r, 4));
    return (uint8_t)(D_OTHER + (code == 70 ? 0 : 1));
}

static void other_diags(struct reg_syn_ctx *x, struct reg_syn_row *row, kn_time t)
{
    int n = 0;
    if (x->diag != 0 && reg_syn_chance(x->r, 0.6))
        row->other[n++] = x->diag;
    if (reg_syn_day_of(t) >= date_from_ymd(2023, 1, 1) &&
        reg_syn_chance(x->r, 0.25))
        row->other[n++] = (uint8_t)(D_Z915 + reg_syn_below(x->r, 3));
}

/* ---- one act ------------------------------------------------------------ */

static uint8_t draw_cause(struct reg_syn_ctx *x)
{
    if (reg_syn_chance(x->r, 0.10))
        return pick(x->r, cause_y, NW(cause_y));
    return x->p->female ? pick(x->r, cause_f, NW(cause_f))
                        : pick(x->r, cause_m, NW(cause_m));
}

static bool is_poison(uint8_t cause)
{
    return cause <= 25 ? cause <= X(69) : cause <= Y(19);
}

static bool is_violent(uint8_t cause)
{
    return cause == X(70) || cause == X(80) || cause == X(71);
}

static uint16_t other_emergency(struct reg_syn_ctx *x)
{
    const struct reg_syn_region *o =
        &x->w->regions[reg_syn_below(x->r, (uint32_t)x->w->nregions)];
    return o->emerg[reg_syn_below(x->r, (uint32_t)o->nemerg)];
}

static void act(struct reg_syn_ctx *x, kn_time t)
{
    bool repeat = x->prev_act != SYN_NONE && t - x->prev_act <= 365 * SYN_DAY;
    uint8_t cause = draw_cause(x);
    x->nacts++;
    if (x->nacts == 2)
        x->second_act = t;
    x->prev_act = t;
    reg_syn_seen(x, t);

    int32_t contact = -1;
    kn_time visit = SYN_NONE, assessed = SYN_NONE, after = SYN_NONE;
    uint32_t u = reg_syn_below(x->r, 100);
    const struct reg_syn_region *vr = x->reg; /* the region of the visit */
    if (u < 86) {
        uint16_t unit = reg_syn_chance(x->r, 0.03) ? other_emergency(x) : x->emerg;
        vr = &x->w->regions[x->w->units[unit].region];
        kn_time st = t + (kn_time)reg_syn_range(x->r, 20 * 60, 4 * SYN_HOUR);
        if (reg_syn_in_period(x, st)) {
            struct reg_syn_row *c = reg_syn_push(x, REG_SYNTH_CONTACTS, &contact);
            c->unit = unit;
            c->type = SYN_EMERGENCY;
            c->t0 = st;
            c->t1 = reg_syn_end_or_open(
                x, st + (kn_time)reg_syn_range(x->r, 90 * 60, 10 * SYN_HOUR));
            c->cause = cause;
            c->diag = injury_diag(x, cause);
            other_diags(x, c, st);
            after = c->t1;
            visit = st;
            reg_syn_seen(x, st);
            reg_syn_seen(x, c->t1);
            if (reg_syn_chance(x->r, vr->assess)) {
                kn_time ta =
                    st + (kn_time)(reg_syn_lognormal(x->r, vr->assess_h, 1.1) * SYN_HOUR);
                if (ta < st + 600)
                    ta = st + 600 + (kn_time)reg_syn_below(x->r, 1800);
                if (ta - st <= 45 * SYN_DAY && reg_syn_in_period(x, ta)) {
                    struct reg_syn_row *a = reg_syn_push(x, REG_SYNTH_ASSESSMENTS, NULL);
                    a->type = SYN_SUICIDE_RISK;
                    a->t0 = ta;
                    a->ref = contact;
                    assessed = ta;
                    reg_syn_seen(x, ta);
                }
            }
            if (reg_syn_chance(x->r, 0.3)) {
                kn_time tp = st + (kn_time)reg_syn_range(x->r, SYN_HOUR, 48 * SYN_HOUR);
                if (reg_syn_in_period(x, tp)) {
                    struct reg_syn_row *a = reg_syn_push(x, REG_SYNTH_ASSESSMENTS, NULL);
                    a->type =
                        reg_syn_chance(x->r, 0.9) ? SYN_PSYCHOSOCIAL : SYN_ASSESS_OTHER;
                    a->t0 = tp;
                    a->ref = contact;
                    reg_syn_seen(x, tp);
                }
            }
        }
    } else if (u < 97) {
        kn_time st = reg_syn_office_time(
            x, t + (kn_time)reg_syn_range(x->r, SYN_HOUR, 72 * SYN_HOUR));
        uint16_t unit;
        if (u < 94)
            unit = reg_syn_psych_unit(x, st, false);
        else if (reg_syn_is_child(x, st) && reg_syn_chance(x->r, 0.5))
            unit = x->reg->municipal;
        else
            unit = x->reg->primary;
        if (reg_syn_in_period(x, st)) {
            contact = (int32_t)x->c->rows[REG_SYNTH_CONTACTS].n;
            reg_syn_outpatient(x, unit, st, 45, cause);
            visit = st;
            if (u < 94 && reg_syn_chance(x->r, x->reg->assess * 0.8)) {
                kn_time ta = st + (kn_time)reg_syn_range(x->r, 300, 40 * 60);
                struct reg_syn_row *a = reg_syn_push(x, REG_SYNTH_ASSESSMENTS, NULL);
                a->type = SYN_SUICIDE_RISK;
                a->t0 = ta;
                a->ref = contact;
                assessed = ta;
                reg_syn_seen(x, ta);
            }
        }
    }

    struct reg_syn_row *sh = reg_syn_push(x, REG_SYNTH_SELF_HARM, NULL);
    sh->t0 = t;
    sh->cause = cause;
    sh->ref = contact;

    if (after != SYN_NONE) { /* seen at the emergency department */
        int32_t somatic = -1;
        if (is_poison(cause) && reg_syn_chance(x->r, 0.10)) {
            kn_time len = (kn_time)reg_syn_range(x->r, 12 * SYN_HOUR, 60 * SYN_HOUR);
            somatic = reg_syn_stay(x, vr->somatic, after, len, SYN_VOLUNTARY, false,
                                   cause, injury_diag(x, cause), &after);
            if (after != SYN_NONE)
                x->busy = after;
        }
        double p = 0.20 * x->reg->admit * (is_violent(cause) ? 2.0 : 1.0) *
                   (repeat ? 1.3 : 1.0) * (x->z == 3 ? 1.3 : 1.0);
        kn_time st = after + (kn_time)reg_syn_below(x->r, 2 * SYN_HOUR);
        if (after != SYN_NONE && reg_syn_chance(x->r, p > 0.9 ? 0.9 : p) &&
            reg_syn_in_period(x, st))
            reg_syn_psych_stay(x, st, cause);
        else if (somatic >= 0 && after != SYN_NONE) /* home from somatic care */
            reg_syn_follow_up(x, somatic, after, x->reg->fu7);
    }
    if (visit != SYN_NONE &&
        (x->episode == SYN_NONE || visit - x->episode > 180 * SYN_DAY))
        reg_syn_episode(x, visit, assessed, repeat);
}

/* ---- the person's life in the period ------------------------------------ */

/* A time on day `day` (kn_day) at an hour drawn from hour_w. */
static kn_time act_time(struct reg_syn_ctx *x, int64_t day)
{
    uint32_t total = 0;
    for (int h = 0; h < 24; h++)
        total += hour_w[h];
    uint32_t v = reg_syn_below(x->r, total);
    int h = 0;
    while (v >= hour_w[h]) {
        v -= hour_w[h];
        h++;
    }
    return (kn_time)day * SYN_DAY + h * SYN_HOUR + (kn_time)reg_syn_below(x->r, 3600);
}

static double hazard(const struct reg_syn_ctx *x, int year)
{
    int age = year - x->by;
    if (age < 0)
        return 0;
    if (age > 30)
        age = 30;
    double h = x->p->female ? haz_f[age] : haz_m[age];
    double trend = 1.0;
    if (x->p->female && age <= 24)
        trend = year <= 2020 ? 1.0 : year == 2021 ? 1.35 : year == 2022 ? 1.25
                                   : year == 2023 ? 1.15 : 1.10;
    return HAZ_K * h * x->reg->inc * trend * x->z;
}

/* A chain of acts from t: each followed by another within a year with the
 * chance of repetition. Returns the last act's time. */
static kn_time chain(struct reg_syn_ctx *x, kn_time t)
{
    double p = x->reg->rep * (x->z == 3 ? 1.5 : 0.7);
    for (int n = 0; n < 12; n++) {
        if (t < x->busy) /* not while admitted: just after discharge */
            t = x->busy + (kn_time)reg_syn_range(x->r, 6 * SYN_HOUR, 7 * SYN_DAY);
        if (!reg_syn_in_period(x, t))
            break;
        act(x, t);
        if (!reg_syn_chance(x->r, p))
            break;
        double u = reg_syn_u01(x->r);
        int64_t gap = 1 + (int64_t)(363.0 * u * u); /* days, most in the first weeks */
        t = act_time(x, reg_syn_day_of(t) + gap);
        if (n == 0)
            p = p + 0.15 > 0.85 ? 0.85 : p + 0.15;
    }
    return x->prev_act;
}

static void person(const struct reg_syn_world *w, struct reg_syn_chunk *c,
                   struct reg_syn_rng *r, int32_t pi)
{
    const struct reg_syn_person *p = &w->persons[c->first + (size_t)pi];
    struct reg_syn_ctx x;
    memset(&x, 0, sizeof x);
    x.w = w;
    x.c = c;
    x.r = r;
    x.p = p;
    x.reg = &w->regions[p->region];
    x.pi = pi;
    struct kn_ymd b = date_to_ymd(p->birth);
    x.by = b.year;
    x.birth = (kn_time)p->birth * SYN_DAY;
    x.t18 = (kn_time)(date_valid(b.year + 18, b.month, b.day)
                          ? date_from_ymd(b.year + 18, b.month, b.day)
                          : date_from_ymd(b.year + 18, 3, 1)) * SYN_DAY;
    uint32_t u = reg_syn_below(r, 100);
    x.z = u < 30 ? 0 : u < 80 ? 1 : 3;
    x.diag = reg_syn_chance(r, 0.8) ? pick(r, p->female ? psych_f : psych_m,
                                       p->female ? NW(psych_f) : NW(psych_m))
                                : 0;
    x.emerg = x.reg->emerg[reg_syn_below(r, (uint32_t)x.reg->nemerg)];
    x.last = x.birth;
    x.busy = SYN_NONE;
    x.episode = SYN_NONE;
    x.prev_act = SYN_NONE;
    x.second_act = SYN_NONE;
    x.contacts0 = c->rows[REG_SYNTH_CONTACTS].n;

    for (int year = w->start_year; year <= w->end_year; year++) {
        if (x.prev_act != SYN_NONE &&
            date_to_ymd((kn_day)reg_syn_day_of(x.prev_act)).year >= year)
            continue; /* a chain already reached into this year */
        double h = hazard(&x, year);
        if (h <= 0 || !reg_syn_chance(r, 1.0 - reg_syn_exp(-h)))
            continue;
        kn_day d0 = date_from_ymd(year, 1, 1);
        int ndays = date_is_leap(year) ? 366 : 365;
        kn_time t = act_time(&x, d0 + (int64_t)reg_syn_below(r, (uint32_t)ndays));
        if (x.prev_act != SYN_NONE && t <= x.prev_act)
            t = x.prev_act + SYN_DAY;
        if (t < x.birth + 9 * 365 * (kn_time)SYN_DAY)
            continue;
        chain(&x, t);
    }
    if (x.nacts == 0)
        reg_syn_other_care(&x);
    if (x.z == 3 && x.nacts >= 2 && x.second_act != SYN_NONE && reg_syn_chance(r, 0.35))
        reg_syn_brief_admissions(&x);
    if (x.nacts >= 4 && x.ndbt > 0 && reg_syn_chance(r, 0.25))
        reg_syn_nhv(&x);

    c->death[pi] = INT32_MIN;
    c->suicide[pi] = 0;
    if (!x.open && reg_syn_chance(r, x.nacts > 0 ? 0.006 : 0.001)) {
        kn_day d = (kn_day)reg_syn_day_of(x.last) + 1 + (kn_day)reg_syn_below(r, 365);
        if (d <= (kn_day)reg_syn_day_of(w->t_end)) {
            c->death[pi] = d;
            c->suicide[pi] = reg_syn_chance(r, x.nacts > 0 ? 0.6 : 0.1);
        }
    }
}

int reg_syn_gen_chunk(const struct reg_syn_world *w, size_t first, size_t n,
                      struct reg_syn_chunk *c)
{
    for (int k = 0; k < REG_SYNTH_NKINDS; k++)
        c->rows[k].n = 0;
    c->oom = false;
    c->first = first;
    c->n = n;
    if (n > c->cap_persons) {
        int32_t *d = realloc(c->death, n * sizeof *d);
        if (d == NULL)
            return KN_ENOMEM;
        c->death = d;
        uint8_t *s = realloc(c->suicide, n);
        if (s == NULL)
            return KN_ENOMEM;
        c->suicide = s;
        c->cap_persons = n;
    }
    struct reg_syn_rng r;
    reg_syn_rng_seed(&r, w->seed, 1 + first);
    for (size_t i = 0; i < n; i++)
        person(w, c, &r, (int32_t)i);
    return c->oom ? KN_ENOMEM : 0;
}
