/* tests/unit/engine/test_eng_reference.c: the indicator engine
 * (src/engine/eng*.c, src/snapshot/snap.c) against a naive evaluator written from
 * docs/indicators.md, cell by cell, on a few hundred random timelines
 * (SQLite checks Bitvec against a plain array the same way). The fixture
 * is eng_fixture.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* The reference evaluates docs/indicators.md literally on the generated
 * rows (not on the snapshot): for every anchor it scans all of the
 * person's events for relations, picks by sorting, and puts every anchor
 * into every cell above it. Times are drawn to hit window edges (365 d,
 * 365 d + 1 s, the same second, 7 d after a discharge, ...). */

enum rk { R_ACT, R_STAY, R_FOLLOW, R_EMERG, R_DEATH };

struct rev {
    enum rk kind;
    kn_time t, end;
    bool suicide;
};

struct rper {
    int by;
    char sex;
    int reg, hc; /* result place indexes, 0: none */
    int n;
    struct rev ev[64];
};

struct rrel {
    unsigned kinds; /* 1 << enum rk */
    bool at_end, neg, suicide_only;
    int64_t lo, hi; /* closed */
    int min;
};

enum rmk { RM_EVENTS, RM_PERSONS, RM_PROP, RM_SUMH, RM_MEDH, RM_SURV };

struct rmeasure {
    const char *name;
    enum rmk kind;
    struct rrel rel;
    bool censor_death;
};

struct rdef {
    const char *id, *body;
    enum rk from;
    int mpp, y0, y1;
    bool of_end;
    int age_lo, age_hi; /* age_lo < 0: none */
    int nb, band_lo[3], band_hi[3];
    int pick; /* 0 all, 1 first, 2 last, 3 nth */
    int nth;
    bool ever;
    bool has_where;
    struct rrel where;
    int nm;
    struct rmeasure m[3];
};

static uint64_t rng;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static int month_of(kn_time t)
{
    struct kn_ymd d = date_to_ymd(time_to_day(t));
    return d.year * 12 + d.month - 1;
}

static kn_time ref_time_of(const struct rev *e, bool at_end, bool *ok)
{
    *ok = !at_end || e->end != NO_END;
    return at_end ? e->end : e->t;
}

/* Matches of rel around anchor a of person p: count, and the first time. */
static int ref_matches(const struct rper *p, int a, const struct rrel *rel, kn_time *first)
{
    bool ok;
    kn_time r = ref_time_of(&p->ev[a], rel->at_end, &ok);
    if (!ok)
        return -1;
    int n = 0;
    kn_time best = 0;
    for (int j = 0; j < p->n; j++) {
        const struct rev *e = &p->ev[j];
        if (j == a || !(rel->kinds & (1u << e->kind)) || (rel->suicide_only && !e->suicide))
            continue;
        if (e->t - r < rel->lo || e->t - r > rel->hi)
            continue;
        if (n == 0 || e->t < best)
            best = e->t;
        n++;
    }
    if (first)
        *first = best;
    return n;
}

static bool ref_rel_ok(const struct rper *p, int a, const struct rrel *rel)
{
    int n = ref_matches(p, a, rel, NULL);
    if (n < 0)
        return false;
    return rel->neg ? n < rel->min : n >= rel->min;
}

struct robs {
    int per, reg, hc, sex, band;
    double v;
    bool ev;
};

struct rcube {
    int nper, nb;
    double *num, *den; /* [per][geo][sex][band] over eng's geo numbering */
    size_t ngeo;
    struct robs obs[4096];
    size_t nobs;
};

static size_t rc_ix(const struct rcube *c, int per, size_t g, int s, int b)
{
    return (((size_t)per * c->ngeo + g) * 3 + (size_t)s) * (size_t)c->nb + (size_t)b;
}

static void rc_add(struct rcube *c, int per, const struct rper *p, int band, double num,
                   double den)
{
    size_t gs[3] = { 0, (size_t)p->hc, (size_t)p->reg };
    int sx = p->sex == 'F' ? 1 : 2;
    for (int g = 0; g < 3; g++) {
        if (g > 0 && gs[g] == 0)
            continue;
        for (int s = 0; s < 2; s++)
            for (int b = 0; b < (band ? 2 : 1); b++) {
                size_t k = rc_ix(c, per, gs[g], s ? sx : 0, b ? band : 0);
                c->num[k] += num;
                c->den[k] += den;
            }
    }
}

static int ref_period(const struct rdef *d, const struct rev *e, int *month)
{
    kn_time t = e->t;
    if (d->of_end) {
        if (e->end == NO_END)
            return -2;
        t = e->end;
    }
    int m = month_of(t);
    *month = m;
    int k = m - d->y0 * 12;
    return k >= 0 && k < (d->y1 - d->y0 + 1) * 12 ? k / d->mpp : -1;
}

static void ref_contribute(const struct rdef *d, const struct rper *p, int a, int per,
                           int age, int pid, int *last_person, kn_time t_last,
                           struct rcube *cubes)
{
    const struct rev *e = &p->ev[a];
    int band = 0;
    for (int k = 0; k < d->nb; k++)
        if (age >= d->band_lo[k] && age <= d->band_hi[k])
            band = k + 1;
    for (int m = 0; m < d->nm; m++) {
        const struct rmeasure *im = &d->m[m];
        struct rcube *c = &cubes[m];
        switch (im->kind) {
        case RM_EVENTS:
            rc_add(c, per, p, band, 1, 0);
            break;
        case RM_PERSONS:
            if (last_person[per] != pid) {
                last_person[per] = pid;
                rc_add(c, per, p, band, 1, 0);
            }
            break;
        case RM_PROP:
            rc_add(c, per, p, band, ref_rel_ok(p, a, &im->rel) ? 1 : 0, 1);
            break;
        case RM_SUMH:
            if (e->end != NO_END)
                rc_add(c, per, p, band, (double)(e->end - e->t) / 3600, 1);
            break;
        case RM_MEDH:
        case RM_SURV: {
            double v;
            bool ev = true;
            if (im->kind == RM_MEDH) {
                if (e->end == NO_END)
                    break;
                v = (double)(e->end - e->t) / 3600.0;
            } else {
                bool ok;
                kn_time r = ref_time_of(e, im->rel.at_end, &ok), first = 0;
                if (!ok)
                    break;
                int64_t cens = im->rel.hi;
                if (t_last - r < cens)
                    cens = t_last - r;
                for (int j = 0; im->censor_death && j < p->n; j++)
                    if (p->ev[j].kind == R_DEATH && p->ev[j].t - r < cens)
                        cens = p->ev[j].t - r;
                if (cens < 0)
                    cens = 0;
                ev = ref_matches(p, a, &im->rel, &first) > 0 && first - r <= cens;
                v = (double)(ev ? first - r : cens) / 86400.0;
                rc_add(c, per, p, band, ev ? 1 : 0, 1);
            }
            assert_true(c->nobs < 4096);
            c->obs[c->nobs++] = (struct robs){ per, p->reg, p->hc, p->sex == 'F' ? 1 : 2, band,
                                               v, ev };
            break;
        }
        }
    }
}

static int obs_cmp(const void *x, const void *y)
{
    const struct robs *a = x, *b = y;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (int)b->ev - (int)a->ev; /* events first */
}

/* Median or Kaplan-Meier incidence of the observations of one cell. */
static bool ref_list_value(const struct rcube *c, const struct rmeasure *im, int per,
                           size_t g, int s, int b, double *out)
{
    struct robs sel[4096];
    size_t n = 0;
    for (size_t i = 0; i < c->nobs; i++) {
        const struct robs *o = &c->obs[i];
        if (o->per == per && (g == 0 || (int)g == o->reg || (int)g == o->hc) &&
            (s == 0 || s == o->sex) && (b == 0 || b == o->band))
            sel[n++] = *o;
    }
    if (n == 0)
        return false;
    qsort(sel, n, sizeof *sel, obs_cmp);
    if (im->kind == RM_MEDH) {
        *out = n % 2 ? sel[n / 2].v : (sel[n / 2 - 1].v + sel[n / 2].v) / 2;
        return true;
    }
    double horizon = (double)im->rel.hi / 86400.0, surv = 1;
    size_t at_risk = n;
    for (size_t i = 0; i < n;) {
        size_t j = i, d = 0;
        while (j < n && sel[j].v == sel[i].v)
            d += sel[j++].ev;
        if (d && sel[i].v <= horizon)
            surv *= 1 - (double)d / (double)at_risk;
        at_risk -= j - i;
        i = j;
    }
    *out = 100 * (1 - surv);
    return true;
}

static size_t ref_list_count(const struct rcube *c, int per, size_t g, int s, int b)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nobs; i++) {
        const struct robs *o = &c->obs[i];
        n += o->per == per && (g == 0 || (int)g == o->reg || (int)g == o->hc) &&
             (s == 0 || s == o->sex) && (b == 0 || b == o->band);
    }
    return n;
}

static void ref_eval(const struct rdef *d, const struct rper *ps, int np, kn_time t_last,
                     struct rcube *cubes)
{
    int nper = (d->y1 - d->y0 + 1) * 12 / d->mpp;
    int last_person[64];
    for (int k = 0; k < 64; k++)
        last_person[k] = -1;
    for (int pi = 0; pi < np; pi++) {
        const struct rper *p = &ps[pi];
        int L[64], Lper[64], Lage[64], nl = 0;
        for (int a = 0; a < p->n; a++) { /* events are in time order */
            if (p->ev[a].kind != d->from)
                continue;
            int month = 0, per = ref_period(d, &p->ev[a], &month);
            if (per == -2)
                continue;
            int age = month / 12 - p->by;
            if (d->age_lo >= 0 && (age < d->age_lo || age > d->age_hi))
                continue;
            if (d->has_where && !ref_rel_ok(p, a, &d->where))
                continue;
            L[nl] = a, Lper[nl] = per, Lage[nl++] = age;
        }
        if (d->ever) {
            int k = d->pick == 1 ? 0 : d->pick == 2 ? nl - 1 : d->nth - 1;
            if (k >= 0 && k < nl && Lper[k] >= 0)
                ref_contribute(d, p, L[k], Lper[k], Lage[k], pi, last_person, t_last, cubes);
            continue;
        }
        for (int per = 0; per < nper; per++) {
            int idx[64], ni = 0;
            for (int k = 0; k < nl; k++)
                if (Lper[k] == per)
                    idx[ni++] = k;
            for (int q = 0; q < ni; q++) {
                bool take = d->pick == 0 || (d->pick == 1 && q == 0) ||
                            (d->pick == 2 && q == ni - 1) || (d->pick == 3 && q == d->nth - 1);
                if (take)
                    ref_contribute(d, p, L[idx[q]], per, Lage[idx[q]], pi, last_person, t_last,
                                   cubes);
            }
        }
    }
}

static int rev_cmp(const void *x, const void *y)
{
    const struct rev *a = x, *b = y;
    return (a->t > b->t) - (a->t < b->t);
}

static void test_random_reference(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_unit(f, 2, "14", "emergency", "outpatient");
    static struct rper ps[300];
    const int np = 300;
    const char *munis[8] = { "0180", "0380", "0980", "1280", "1380", "1384", "2580", "0114" };
    rng = 20240611;
    kn_day d0 = D(2019, 10, 1), d1 = D(2024, 2, 1);
    kn_time t_last = INT64_MIN;
    for (int i = 0; i < np; i++) {
        struct rper *p = &ps[i];
        memset(p, 0, sizeof *p);
        p->by = 1996 + (int)rnd(17);
        p->sex = rnd(2) ? 'M' : 'F';
        int place = (int)rnd(10);
        const char *muni = place < 8 ? munis[place] : NULL;
        const char *region = place == 8 ? "13" : NULL;
        efx_person(f, i + 1, p->by, p->sex, muni, region);
        if (muni) {
            const struct geo_municipality *m = geo_municipality(&f->geo, muni);
            char rc[3] = { muni[0], muni[1], 0 };
            p->reg = (int)efx_reg(f, rc);
            p->hc = (int)efx_hc(f, m->healthcare_region);
        } else if (region) {
            p->reg = (int)efx_reg(f, region);
            p->hc = (int)efx_hc(f, geo_region(&f->geo, region)->healthcare_region);
        }
        int nacts = (int)rnd(7);
        kn_time prev = 0;
        for (int k = 0; k < nacts; k++) {
            kn_time t;
            if (k == 0) {
                t = time_from_day(d0 + (kn_day)rnd((unsigned)(d1 - d0))) + rnd(24) * HOUR;
            } else {
                switch (rnd(7)) {
                case 0: t = prev + 365 * DAY; break;
                case 1: t = prev + 365 * DAY + 1; break;
                case 2: t = prev; break;
                case 3: t = prev + 365 * DAY - 1; break;
                default: t = prev + (1 + rnd(300)) * DAY + rnd(86400); break;
                }
            }
            prev = t;
            p->ev[p->n++] = (struct rev){ R_ACT, t, NO_END, false };
            efx_act(f, i + 1, t);
            if (rnd(3) == 0) {
                const int64_t off[5] = { -DAY, DAY, DAY + 1, 0, 3 * HOUR };
                kn_time te = t + off[rnd(5)];
                p->ev[p->n++] = (struct rev){ R_EMERG, te, te + 4 * HOUR, false };
                efx_contact(f, i + 1, 2, "emergency", te, te + 4 * HOUR);
            }
        }
        int nstays = (int)rnd(4);
        for (int k = 0; k < nstays; k++) {
            kn_time t = time_from_day(d0 + (kn_day)rnd((unsigned)(d1 - d0))) + rnd(24) * HOUR;
            for (int j = 0; j < p->n; j++)
                if (p->ev[j].kind == R_STAY && p->ev[j].t == t)
                    t += HOUR;
            kn_time end = rnd(10) == 0 ? NO_END : t + (1 + rnd(500)) * HOUR;
            p->ev[p->n++] = (struct rev){ R_STAY, t, end, false };
            efx_stay(f, i + 1, 1, t, end);
            if (end != NO_END && rnd(3)) {
                const int64_t off[6] = { 0, 7 * DAY, 7 * DAY + 1, -1, 3 * DAY, 20 * DAY };
                kn_time tf = end + off[rnd(6)];
                p->ev[p->n++] = (struct rev){ R_FOLLOW, tf, NO_END, false };
                efx_followup(f, i + 1, tf);
            }
        }
        for (int j = 0; j < p->n; j++)
            if (p->ev[j].t > t_last)
                t_last = p->ev[j].t;
        if (p->n && rnd(12) == 0) {
            kn_time last = 0;
            for (int j = 0; j < p->n; j++)
                if (p->ev[j].t > last)
                    last = p->ev[j].t;
            kn_day dd = time_to_day(last) + 1 + (kn_day)rnd(400);
            bool sui = rnd(2);
            efx_death(f, i + 1, dd, sui);
            p->ev[p->n++] = (struct rev){ R_DEATH, time_from_day(dd), NO_END, sui };
        }
        qsort(p->ev, (size_t)p->n, sizeof p->ev[0], rev_cmp);
    }
    const struct rrel followup7 = { 1u << R_FOLLOW, true, false, false, 0, 7 * DAY, 1 };
    const struct rdef defs[] = {
        { "r1", "from act\nwhere no act in start [-365d, 0d)\nbands 10-14, 15-19, 20-24\n"
                "breakdown region, sex, band\nyears 2020-2023\nmeasure n count events\n"
                "measure p count persons\n",
          R_ACT, 12, 2020, 2023, false, -1, 0, 3, { 10, 15, 20 }, { 14, 19, 24 }, 0, 0, false,
          true, { 1u << R_ACT, false, true, false, -365 * DAY, -1, 1 }, 2,
          { { "n", RM_EVENTS, { 0 }, false }, { "p", RM_PERSONS, { 0 }, false } } },
        { "r2", "from stay\nperiod quarter of end\npick first per person per period\n"
                "years 2020-2023\nmeasure f proportion has followup in end [0d, 7d]\n"
                "measure h sum hours\n",
          R_STAY, 3, 2020, 2023, true, -1, 0, 0, { 0 }, { 0 }, 1, 0, false, false, { 0 }, 2,
          { { "f", RM_PROP, followup7, false }, { "h", RM_SUMH, { 0 }, false } } },
        { "r3", "from act\nwhere age 10-24\npick last per person ever\nyears 2021-2023\n"
                "measure p count persons\n"
                "measure q proportion has act in start [-365d, 0d) count >= 2\n",
          R_ACT, 12, 2021, 2023, false, 10, 24, 0, { 0 }, { 0 }, 2, 0, true, false, { 0 }, 2,
          { { "p", RM_PERSONS, { 0 }, false },
            { "q", RM_PROP, { 1u << R_ACT, false, false, false, -365 * DAY, -1, 2 }, false } } },
        { "r4", "from emergency\nwhere has act in start [-1d, 1d] count >= 2\n"
                "years 2020-2023\nmeasure n count events\n"
                "measure e proportion has act in start (0h, 24h]\n",
          R_EMERG, 12, 2020, 2023, false, -1, 0, 0, { 0 }, { 0 }, 0, 0, false, true,
          { 1u << R_ACT, false, false, false, -DAY, DAY, 2 }, 2,
          { { "n", RM_EVENTS, { 0 }, false },
            { "e", RM_PROP, { 1u << R_ACT, false, false, false, 1, DAY, 1 }, false } } },
        { "r5", "from stay\npick nth 2 per person per period\nperiod tertial\n"
                "years 2020-2023\nmeasure m median hours of duration\nmeasure n count events\n",
          R_STAY, 4, 2020, 2023, false, -1, 0, 0, { 0 }, { 0 }, 3, 2, false, false, { 0 }, 2,
          { { "m", RM_MEDH, { 0 }, false }, { "n", RM_EVENTS, { 0 }, false } } },
        { "r6", "from act\npick first per person ever\nyears 2020-2023\n"
                "measure s survival act in start (0d, 365d] censor death\n"
                "measure d proportion has death(suicide yes) in start [0d, 365d]\n"
                "measure u survival act in start (0d, 180d]\n",
          R_ACT, 12, 2020, 2023, false, -1, 0, 0, { 0 }, { 0 }, 1, 0, true, false, { 0 }, 3,
          { { "s", RM_SURV, { 1u << R_ACT, false, false, false, 1, 365 * DAY, 1 }, true },
            { "d", RM_PROP, { 1u << R_DEATH, false, false, true, 0, 365 * DAY, 1 }, false },
            { "u", RM_SURV, { 1u << R_ACT, false, false, false, 1, 180 * DAY, 1 }, false } } },
    };
    size_t nd = sizeof defs / sizeof defs[0];
    char *text = calloc(nd, 1024);
    assert_non_null(text);
    for (size_t i = 0; i < nd; i++)
        snprintf(text + strlen(text), 1024, EFX_HDR("%s") "%s", defs[i].id, defs[i].body);
    efx_parse(f, text);
    free(text);
    struct eng_run run;
    efx_run(f, &run);
    size_t mismatches = 0, checked = 0;
    for (size_t i = 0; i < nd; i++) {
        const struct rdef *d = &defs[i];
        int nper = (d->y1 - d->y0 + 1) * 12 / d->mpp;
        struct rcube *cubes = calloc((size_t)d->nm, sizeof *cubes);
        assert_non_null(cubes);
        size_t ngeo = 1 + f->geo.nhregions + f->geo.nregions;
        for (int m = 0; m < d->nm; m++) {
            cubes[m].nper = nper;
            cubes[m].nb = d->nb + 1;
            cubes[m].ngeo = ngeo;
            cubes[m].num = calloc((size_t)nper * ngeo * 3 * (size_t)(d->nb + 1), sizeof(double));
            cubes[m].den = calloc((size_t)nper * ngeo * 3 * (size_t)(d->nb + 1), sizeof(double));
        }
        ref_eval(d, ps, np, t_last, cubes);
        for (int m = 0; m < d->nm; m++) {
            const struct rmeasure *im = &d->m[m];
            const struct eng_result *r = efx_res(&run, d->id, im->name);
            assert_int_equal(r->nperiods, nper);
            for (int per = 0; per < nper; per++)
                for (size_t g = 0; g < ngeo; g++)
                    for (int sx = 0; sx < 3; sx++)
                        for (int b = 0; b <= d->nb; b++) {
                            const struct eng_cell *c = eng_cell(r, per, g, sx, (size_t)b);
                            size_t k = rc_ix(&cubes[m], per, g, sx, b);
                            double wn = cubes[m].num[k], wd = cubes[m].den[k], wv = 0;
                            bool bad = false;
                            if (im->kind == RM_MEDH || im->kind == RM_SURV) {
                                bool has = ref_list_value(&cubes[m], im, per, g, sx, b, &wv);
                                bad = has != ((c->flags & ENG_HAS_VALUE) != 0) ||
                                      (has && fabs(c->value - wv) > 1e-9);
                            }
                            if (im->kind != RM_MEDH)
                                bad |= fabs(c->num - wn) > 1e-9;
                            else if (c->flags & ENG_HAS_VALUE)
                                bad |= c->den != (double)ref_list_count(&cubes[m], per, g, sx,
                                                                        b);
                            if (im->kind == RM_PROP || im->kind == RM_SUMH ||
                                im->kind == RM_SURV)
                                bad |= c->den != wd;
                            checked++;
                            if (getenv("EFX_DEBUG") && g == 0 && sx == 0 && b == 0)
                                print_message("%s:%s %d: %g/%g %g (ref %g/%g %g)\n", d->id,
                                              im->name, per, c->num, c->den, c->value, wn,
                                              wd, wv);
                            if (bad && mismatches++ < 10)
                                print_error("%s:%s period %d geo %zu sex %d band %d: engine "
                                            "%g/%g value %g, reference %g/%g value %g\n",
                                            d->id, im->name, per, g, sx, b, c->num, c->den,
                                            c->value, wn, wd, wv);
                        }
            free(cubes[m].num);
            free(cubes[m].den);
        }
        free(cubes);
    }
    eng_run_free(&run);
    assert_true(checked > 9000);
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_random_reference),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
