/* src/disclosure/sup.c: primary and complementary suppression (see sup.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/sup_impl.h"

#define MAX_GROUP 4096

struct grp {
    struct eng_cell *v[MAX_GROUP];
    size_t n;
};

static void add(struct grp *gr, const struct eng_result *r, int p, size_t g, int so, size_t bo)
{
    if (gr->n < MAX_GROUP && sup_shown(r, p, g, so, bo))
        gr->v[gr->n++] = eng_cell(r, p, g, so, bo);
}

bool sup_hidden(const struct eng_cell *c)
{
    return c->sup_num || c->sup_den || c->sup_value;
}

const char *sup_reason(const struct eng_cell *c)
{
    int r = c->sup_value ? c->sup_value : c->sup_num ? c->sup_num : c->sup_den;
    switch (r) {
    case ENG_SUP_COUNT: return "count";
    case ENG_SUP_DENOMINATOR: return "denominator";
    case ENG_SUP_COMPLEMENTARY: return "complementary";
    default: return "";
    }
}

typedef void group_fn(struct eng_cell **cells, size_t n, size_t ntotal, void *ctx);

/* Healthcare regions: each = its whole regions + its part of a split
 * region (the fine places there); the healthcare regions joined by a split
 * region = all their regions. */
static void hc_groups(struct grp *gr, const struct eng_result *r, int p, int so, size_t bo,
                      group_fn *fn, void *ctx)
{
    size_t first_region = 1 + r->nhc, first_fine = first_region + r->nregion;
    uint64_t mask[64] = { 0 };
    size_t nreg = r->nregion < 64 ? r->nregion : 64, nhc = r->nhc < 64 ? r->nhc : 64;
    for (size_t q = 0; q < r->nfine; q++) {
        int rg = r->fine_region[q], h = r->fine_hc[q];
        if (rg >= 0 && (size_t)rg < nreg && h >= 0 && (size_t)h < nhc)
            mask[rg] |= 1ull << h;
    }
    for (size_t h = 0; h < nhc; h++) {
        gr->n = 0;
        add(gr, r, p, 1 + h, so, bo);
        if (gr->n == 0)
            continue;
        for (size_t rg = 0; rg < nreg; rg++) {
            if (mask[rg] == 1ull << h) {
                add(gr, r, p, first_region + rg, so, bo);
            } else if (mask[rg] & (1ull << h)) {
                for (size_t q = 0; q < r->nfine; q++)
                    if (r->fine_region[q] == (int)rg && r->fine_hc[q] == (int)h)
                        add(gr, r, p, first_fine + q, so, bo);
            }
        }
        if (gr->n > 1)
            fn(gr->v, gr->n, 1, ctx);
    }
    /* components of healthcare regions joined by split regions */
    uint64_t done = 0;
    for (size_t h = 0; h < nhc; h++) {
        if (done & (1ull << h))
            continue;
        uint64_t comp = 1ull << h;
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t rg = 0; rg < nreg; rg++)
                if ((mask[rg] & comp) && (mask[rg] & ~comp)) {
                    comp |= mask[rg];
                    grew = true;
                }
        }
        done |= comp;
        if ((comp & (comp - 1)) == 0)
            continue; /* one healthcare region: its group above */
        gr->n = 0;
        for (size_t k = 0; k < nhc; k++)
            if (comp & (1ull << k))
                add(gr, r, p, 1 + k, so, bo);
        size_t ntotal = gr->n;
        for (size_t rg = 0; rg < nreg; rg++)
            if (mask[rg] && (mask[rg] & ~comp) == 0)
                add(gr, r, p, first_region + rg, so, bo);
        if (ntotal > 0 && gr->n > ntotal)
            fn(gr->v, gr->n, ntotal, ctx);
    }
}

void sup_groups(const struct eng_result *r, int p, group_fn *fn, void *ctx)
{
    struct grp *gr = malloc(sizeof *gr);
    if (!gr)
        return;
    size_t nb = r->nband;
    for (size_t g = 0; g < r->ngeo; g++)
        for (size_t bo = 0; bo < nb; bo++) { /* sexes */
            gr->n = 0;
            if (!sup_shown(r, p, g, 0, bo))
                continue;
            for (int so = 0; so < 3; so++)
                add(gr, r, p, g, so, bo);
            if (gr->n > 1)
                fn(gr->v, gr->n, 1, ctx);
        }
    for (size_t g = 0; g < r->ngeo; g++)
        for (int so = 0; so < 3; so++) { /* bands */
            gr->n = 0;
            if (!sup_shown(r, p, g, so, 0))
                continue;
            for (size_t bo = 0; bo < nb; bo++)
                add(gr, r, p, g, so, bo);
            if (gr->n > 1)
                fn(gr->v, gr->n, 1, ctx);
        }
    /* places: nation = regions; nation = healthcare regions; region = its fine places */
    size_t first_region = 1 + r->nhc, first_fine = first_region + r->nregion;
    /* each region's fine places in ascending order (the order of a scan of
     * every fine place for each region), listed once */
    size_t nfine = r->ngeo > first_fine ? r->ngeo - first_fine : 0;
    size_t *fstart = calloc(r->nregion + 2, sizeof *fstart);
    size_t *flist = malloc((nfine ? nfine : 1) * sizeof *flist);
    if (!fstart || !flist) {
        free(fstart);
        free(flist);
        free(gr);
        return;
    }
    for (size_t q = 0; r->fine_region && q < nfine; q++)
        if (r->fine_region[q] >= 0 && (size_t)r->fine_region[q] < r->nregion)
            fstart[r->fine_region[q] + 2]++;
    for (size_t reg = 0; reg < r->nregion; reg++)
        fstart[reg + 2] += fstart[reg + 1];
    for (size_t q = 0; r->fine_region && q < nfine; q++)
        if (r->fine_region[q] >= 0 && (size_t)r->fine_region[q] < r->nregion)
            flist[fstart[r->fine_region[q] + 1]++] = first_fine + q;
    for (int so = 0; so < 3; so++)
        for (size_t bo = 0; bo < nb; bo++) {
            if (!sup_shown(r, p, 0, so, bo))
                continue;
            for (int kind = 0; kind < 2; kind++) {
                gr->n = 0;
                add(gr, r, p, 0, so, bo);
                size_t from = kind ? 1 : first_region, to = kind ? first_region : first_fine;
                for (size_t g = from; g < to; g++)
                    add(gr, r, p, g, so, bo);
                if (gr->n > 1)
                    fn(gr->v, gr->n, 1, ctx);
            }
            if (sup_shown(r, p, 1, so, bo))
                hc_groups(gr, r, p, so, bo, fn, ctx);
            for (size_t reg = 0; reg < r->nregion; reg++) {
                gr->n = 0;
                add(gr, r, p, first_region + reg, so, bo);
                if (gr->n == 0)
                    continue;
                for (size_t q = fstart[reg]; q < fstart[reg + 1]; q++)
                    add(gr, r, p, flist[q], so, bo);
                if (gr->n > 1)
                    fn(gr->v, gr->n, 1, ctx);
            }
        }
    free(fstart);
    free(flist);
    free(gr);
}

/* The counts of measure kind k that add up over a group and are not
 * public: 0 numerator, 1 denominator. A rate's denominator is the
 * population (SCB's, public); a median has no numerator. */
static bool additive(const struct ind_measure *im, int comp)
{
    switch (im->kind) {
    case IND_M_COUNT: return comp == 0;
    case IND_M_SUM:
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL: return true;
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR: return comp == 1;
    case IND_M_RATIO: return false;
    }
    return false;
}

static double comp_val(const struct eng_cell *c, int comp)
{
    return comp == 0 ? c->num : c->den;
}

/* A group with exactly one hidden member (counting what its totals hold
 * beyond the published parts when that is a small count of some measure)
 * hides a second: the smallest shown non-zero part of that count, else
 * any shown part, else a total. */
static void protect(struct eng_cell **v, size_t n, size_t ntotal, void *ctx)
{
    struct joint *j = ctx;
    const struct eng_cell *base = j->geom->cells;
    size_t hidden = 0;
    for (size_t i = 0; i < n; i++)
        hidden += j->hid[v[i] - base] != 0;
    if (hidden > 1)
        return;
    const struct eng_result *by = NULL;
    int by_comp = 0;
    bool any = false;
    for (size_t k = 0; k < j->nm && !by; k++)
        for (int comp = 0; comp < 2 && !by; comp++) {
            if (!additive(&j->m[k]->def->measures[j->m[k]->measure], comp))
                continue;
            any = true;
            double residual = 0;
            for (size_t i = 0; i < n; i++)
                residual += (i < ntotal ? 1 : -1) *
                            comp_val(&j->m[k]->cells[v[i] - base], comp);
            bool small = residual > 0.5 && residual < j->min_count;
            if (hidden + small == 1) {
                by = j->m[k];
                by_comp = comp;
            }
        }
    if (!by && !any && hidden == 1)
        by = j->geom; /* no additive count: still a lone hidden cell */
    if (!by)
        return;
    size_t pick = SIZE_MAX;
    for (size_t i = ntotal; i < n; i++) {
        size_t x = (size_t)(v[i] - base);
        double val = comp_val(&by->cells[x], by_comp);
        if (j->hid[x] || val <= 0)
            continue;
        if (pick == SIZE_MAX || val < comp_val(&by->cells[pick], by_comp))
            pick = x;
    }
    for (size_t i = ntotal; pick == SIZE_MAX && i < n; i++)
        if (!j->hid[v[i] - base])
            pick = (size_t)(v[i] - base);
    for (size_t i = 0; pick == SIZE_MAX && i < ntotal; i++)
        if (!j->hid[v[i] - base])
            pick = (size_t)(v[i] - base);
    if (pick != SIZE_MAX) {
        j->hid[pick] = ENG_SUP_COMPLEMENTARY;
        j->changed = true;
    }
}

/* The primary rules on cell c of r: set its flags, true when any is set. */
static bool primary(const struct eng_result *r, struct eng_cell *c,
                    const struct sup_rules *ru)
{
    const struct ind_measure *im = &r->def->measures[r->measure];
    double k = ru->min_count, md = ru->min_denominator;
    bool small_num = c->num > 0 && c->num < k, small_den = c->den > 0 && c->den < k;
    switch (im->kind) {
    case IND_M_COUNT:
        if (small_num)
            c->sup_num = ENG_SUP_COUNT;
        if (im->per && (c->flags & ENG_HAS_VALUE) && c->den < md)
            c->sup_value = ENG_SUP_DENOMINATOR; /* a rate over a tiny population */
        break;
    case IND_M_SUM:
        if (small_den)
            c->sup_den = ENG_SUP_COUNT;
        break;
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL:
        if (small_num)
            c->sup_num = ENG_SUP_COUNT;
        if (small_den)
            c->sup_den = ENG_SUP_COUNT;
        if ((c->flags & ENG_HAS_VALUE) && c->den < md)
            c->sup_value = ENG_SUP_DENOMINATOR;
        break;
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR:
        if (small_den)
            c->sup_den = ENG_SUP_COUNT;
        if ((c->flags & ENG_HAS_VALUE) && c->den < md)
            c->sup_value = ENG_SUP_DENOMINATOR;
        break;
    case IND_M_RATIO:
        break;
    }
    return c->sup_num || c->sup_den || c->sup_value;
}

/* The reason a hidden cell gives in its own measure: its own primary
 * reason (count before denominator), else complementary. */
static uint8_t own_reason(const struct eng_cell *c)
{
    if (c->sup_num == ENG_SUP_COUNT || c->sup_den == ENG_SUP_COUNT)
        return ENG_SUP_COUNT;
    if (c->sup_num || c->sup_den || c->sup_value)
        return ENG_SUP_DENOMINATOR;
    return ENG_SUP_COMPLEMENTARY;
}

/* A standardised rate of all ages is a published weighted sum of its
 * bands' counts: hidden with any band (and so in every measure). */
static void standardised(struct joint *j)
{
    const struct eng_result *r = j->geom;
    bool any = false;
    for (size_t k = 0; k < j->nm; k++)
        any |= j->m[k]->def->measures[j->m[k]->measure].standardised;
    if (!any)
        return;
    for (int p = 0; p < r->nperiods; p++)
        for (size_t g = 0; sup_redo(j, p) && g < r->ngeo; g++)
            for (int so = 0; so < 3; so++) {
                size_t all = (size_t)(eng_cell(r, p, g, so, 0) - r->cells);
                for (size_t b = 1; b < r->nband && !j->hid[all]; b++)
                    if (j->hid[eng_cell(r, p, g, so, b) - r->cells]) {
                        j->hid[all] = ENG_SUP_COMPLEMENTARY;
                        j->changed = true;
                    }
            }
}

/* The measures m[0..nm-1] of one definition: primary suppression in the
 * periods closed in this run (redo, NULL: all). */
static int def_init(struct joint *j, struct eng_result **m, size_t nm,
                    const struct sup_rules *ru, const uint8_t *redo)
{
    const struct eng_result *r = m[0];
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband, per = r->ngeo * 3 * r->nband;
    *j = (struct joint){ m, nm, calloc(n ? n : 1, 1), r, ru->min_count, true,
                         malloc(((size_t)r->nperiods + 1) * sizeof *j->closed), redo };
    if (!j->hid || !j->closed)
        return -1;
    for (int p = 0; p < r->nperiods; p++)
        j->closed[p] = SIZE_MAX;
    for (size_t k = 0; k < nm; k++)
        for (size_t i = 0; i < n; i++) {
            if (!sup_redo(j, (int)(i / per))) {
                i += per - 1; /* keeps the last generation's */
                continue;
            }
            struct eng_cell *c = &m[k]->cells[i];
            c->sup_num = c->sup_den = c->sup_value = 0;
            if (primary(m[k], c, ru) && !j->hid[i])
                j->hid[i] = own_reason(c);
        }
    return 0;
}

/* The hidden cells of period p (a period's cells are one run). */
static size_t period_hidden(const struct joint *j, int p)
{
    const struct eng_result *r = j->geom;
    size_t per = r->ngeo * 3 * r->nband, h = 0;
    for (size_t i = (size_t)p * per; i < (size_t)(p + 1) * per; i++)
        h += j->hid[i] != 0;
    return h;
}

/* Complementary suppression within one definition, until stable. A
 * group's outcome depends only on its cells' values and which of them
 * are hidden, and every group lies within one period, so a period whose
 * hidden cells are those of a pass that hid nothing there is skipped:
 * going over it again would hide nothing (cells are only ever hidden, so
 * the same count is the same cells). */
static void def_close(struct joint *j)
{
    const struct eng_result *r = j->geom;
    j->changed = true;
    for (int round = 0; j->changed && round < 1000; round++) {
        j->changed = false;
        standardised(j);
        for (int p = 0; p < r->nperiods; p++) {
            if (!sup_redo(j, p))
                continue;
            size_t h = period_hidden(j, p);
            if (h == j->closed[p])
                continue;
            sup_groups(r, p, protect, j);
            size_t after = period_hidden(j, p);
            j->closed[p] = after == h ? h : SIZE_MAX;
        }
    }
}

/* Hide the hidden cells in every measure: a cell hidden in one is hidden
 * in all, since they share their counts. */
static void def_finish(struct joint *j)
{
    const struct eng_result *r = j->geom;
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    for (size_t k = 0; k < j->nm; k++)
        for (size_t i = 0; i < n; i++) {
            struct eng_cell *c = &j->m[k]->cells[i];
            if (!j->hid[i]) /* in a kept period: never set */
                continue;
            uint8_t why = own_reason(c);
            if (!c->sup_num)
                c->sup_num = why;
            if (!c->sup_den)
                c->sup_den = why;
            if (!c->sup_value)
                c->sup_value = why;
        }
    free(j->hid);
    free(j->closed);
}

/* The band of b with b's range in a (0: all ages), or -1. */
static int same_band(const struct ind_def *a, const struct ind_def *b, size_t band)
{
    if (band == 0)
        return 0;
    const struct ind_range *x = &b->bands[band - 1];
    for (size_t k = 0; k < a->nbands; k++)
        if (a->bands[k].lo == x->lo && a->bands[k].hi == x->hi)
            return (int)k + 1;
    return -1;
}

int sup_same_period(const struct eng_result *ra, const struct eng_result *rb, int pb)
{
    int d = rb->first_month - ra->first_month;
    if (ra->months_per_period != rb->months_per_period || d % ra->months_per_period != 0)
        return -1;
    int pa = d / ra->months_per_period + pb;
    if (pa < 0 || pa >= ra->nperiods || !ra->period_valid[pa] || !rb->period_valid[pb])
        return -1;
    return pa;
}

/* Is component ca of ra equal to component cb of rb in every cell both
 * publish in period pb of rb (the same place, sex and ages), non-zero in
 * one? */
static bool same_series(const struct eng_result *ra, int ca, const struct eng_result *rb,
                        int cb, const int *band_of, int pb)
{
    size_t nz = 0;
    int pa = sup_same_period(ra, rb, pb);
    if (pa < 0)
        return false;
    for (size_t g = 0; g < rb->ngeo; g++)
        for (int so = 0; so < 3; so++)
            for (size_t bo = 0; bo < rb->nband; bo++) {
                size_t ba = (size_t)band_of[bo];
                if (band_of[bo] < 0 || !sup_shown(rb, pb, g, so, bo) ||
                    !sup_shown(ra, pa, g, so, ba))
                    continue;
                double x = comp_val(eng_cell(ra, pa, g, so, ba), ca);
                if (x != comp_val(eng_cell(rb, pb, g, so, bo), cb))
                    return false;
                nz += x != 0;
            }
    return nz > 0;
}

/* The bands of b in a (band_of[band of b] = band of a with the same ages,
 * or -1); false when a and b have no cell in common. */
static bool bands_of(const struct eng_result *ra, const struct eng_result *rb, int *band_of)
{
    if (ra->ngeo != rb->ngeo || ra->nhc != rb->nhc || ra->nregion != rb->nregion ||
        ra->months_per_period != rb->months_per_period)
        return false; /* not the same places or periods */
    for (size_t bo = 0; bo < rb->nband; bo++)
        band_of[bo] = same_band(ra->def, rb->def, bo);
    return true;
}

/* Do a and b publish the same count in period pb of b: a numerator or
 * denominator that is a count from the registry (additive()), equal in
 * every cell of the period both show?
 * Definitions over different events can count the same on some data
 * (every act a self-harm act); there too one count must not be hidden in
 * one and shown in the other. */
static bool same_counts(const struct joint *a, const struct joint *b, int pb)
{
    int band_of[IND_MAX_BANDS + 1];
    if (!bands_of(a->geom, b->geom, band_of))
        return false;
    for (size_t ka = 0; ka < a->nm; ka++)
        for (int ca = 0; ca < 2; ca++) {
            if (!additive(&a->m[ka]->def->measures[a->m[ka]->measure], ca))
                continue;
            for (size_t kb = 0; kb < b->nm; kb++)
                for (int cb = 0; cb < 2; cb++)
                    if (additive(&b->m[kb]->def->measures[b->m[kb]->measure], cb) &&
                        same_series(a->m[ka], ca, b->m[kb], cb, band_of, pb))
                        return true;
        }
    return false;
}

/* Definitions that count the same events (sup_population) or, in a
 * period, the same counts (same_counts; link[pb] for period pb of b): a
 * cell hidden in b is hidden in a where a has that cell (the same period,
 * place, sex and ages). True when a cell was hidden. */
static bool cross(struct joint *a, const struct joint *b, bool same_pop, const bool *link)
{
    const struct eng_result *ra = a->geom, *rb = b->geom;
    int band_of[IND_MAX_BANDS + 1];
    if (!bands_of(ra, rb, band_of))
        return false;
    bool changed = false;
    for (int pb = 0; pb < rb->nperiods; pb++) {
        int pa = sup_same_period(ra, rb, pb);
        if (pa < 0 || !(same_pop || link[pb]) || !sup_redo(b, pb))
            continue; /* another version's periods are not its own; a kept
                         period (then pa is kept too: the same calendar period) */
        for (size_t g = 0; g < rb->ngeo; g++)
            for (int so = 0; so < 3; so++)
                for (size_t bo = 0; bo < rb->nband; bo++) {
                    if (band_of[bo] < 0 || !b->hid[eng_cell(rb, pb, g, so, bo) - rb->cells])
                        continue;
                    size_t x = (size_t)(eng_cell(ra, pa, g, so, (size_t)band_of[bo]) -
                                        ra->cells);
                    if (!a->hid[x]) {
                        a->hid[x] = ENG_SUP_COMPLEMENTARY;
                        changed = true;
                    }
                }
    }
    return changed;
}

/* The number of hidden cells of a definition (they only ever grow). */
static size_t hidden_cells(const struct joint *j)
{
    const struct eng_result *r = j->geom;
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband, h = 0;
    for (size_t i = 0; i < n; i++)
        h += j->hid[i] != 0;
    return h;
}

void sup_apply(struct eng_run *run, const struct sup_rules *rules)
{
    sup_apply_from(run, rules, NULL, NULL);
}

void sup_apply_from(struct eng_run *run, const struct sup_rules *rules,
                    const struct eng_run *last, struct sup_stat *st)
{
    struct sup_stat dummy;
    uint8_t **redo = sup_redo_periods(run, last, st ? st : &dummy);
    run->suppressed = true;
    struct eng_result **m = calloc(run->n ? run->n : 1, sizeof *m);
    struct joint *defs = calloc(run->n ? run->n : 1, sizeof *defs);
    uint64_t *pop = calloc(run->n ? run->n : 1, sizeof *pop);
    bool *dirty = calloc(run->n ? run->n : 1, sizeof *dirty);
    int np = 0;
    for (size_t i = 0; i < run->n; i++)
        np = run->results[i].nperiods > np ? run->results[i].nperiods : np;
    bool *link = calloc(run->n * run->n * (size_t)np + 1, sizeof *link);
    if (!m || !defs || !pop || !dirty || !link)
        abort(); /* no way to publish safely; a few kB */
    size_t nd = 0, used = 0;
    for (size_t i = 0; i < run->n; i++) {
        const struct ind_def *d = run->results[i].def;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= run->results[k].def == d;
        if (seen)
            continue;
        size_t nm = 0;
        for (size_t k = i; k < run->n; k++)
            if (run->results[k].def == d &&
                d->measures[run->results[k].measure].kind != IND_M_RATIO)
                m[used + nm++] = &run->results[k];
        if (!nm)
            continue;
        if (def_init(&defs[nd], m + used, nm, rules,
                     redo ? redo[m[used] - run->results] : NULL) != 0)
            abort();
        dirty[nd] = true;
        pop[nd++] = sup_population(d);
        used += nm;
    }
    /* link[(i * nd + k) * np + p]: i and k count the same in period p of k */
    for (size_t i = 0; i < nd; i++)
        for (size_t k = 0; k < nd; k++)
            for (int p = 0; k != i && pop[i] != pop[k] && p < defs[k].geom->nperiods; p++)
                link[(i * nd + k) * (size_t)np + (size_t)p] =
                    sup_redo(&defs[k], p) && same_counts(&defs[i], &defs[k], p);
    /* nested populations: inner's events within outer's (sup_nest.c) */
    struct sup_nest *nest = NULL;
    size_t nnest = 0;
    for (size_t i = 0; i < nd; i++)
        for (size_t k = 0; k < nd; k++) {
            struct sup_nest t;
            if (k == i || pop[i] == pop[k] ||
                !sup_nested(defs[i].geom->def, defs[k].geom->def, &t))
                continue;
            struct sup_nest *grown = realloc(nest, (nnest + 1) * sizeof *nest);
            if (!grown)
                abort();
            nest = grown;
            t.inner = i;
            t.outer = k;
            t.seen_inner = t.seen_outer = SIZE_MAX;
            nest[nnest++] = t;
        }
    /* each definition on its own, then across those that count the same
     * events or the same counts, and the differences of nested ones, until
     * none hides another cell (cells are only ever hidden, so this ends) */
    for (bool again = true; again;) {
        for (size_t i = 0; i < nd; i++)
            if (dirty[i])
                def_close(&defs[i]);
        again = false;
        for (size_t i = 0; i < nd; i++) {
            dirty[i] = false;
            for (size_t k = 0; k < nd; k++)
                if (k != i)
                    dirty[i] |= cross(&defs[i], &defs[k], pop[i] == pop[k],
                                      &link[(i * nd + k) * (size_t)np]);
            again |= dirty[i];
        }
        for (size_t q = 0; q < nnest; q++) {
            /* only a pair whose cells changed since it was last closed */
            struct sup_nest *t = &nest[q];
            size_t hi = hidden_cells(&defs[t->inner]), ho = hidden_cells(&defs[t->outer]);
            if (hi == t->seen_inner && ho == t->seen_outer)
                continue;
            /* every cell hidden here goes through the inner's closure
             * (def_close above) on the next round: dirty is read from the
             * count of hidden cells, not from what the pair reports */
            sup_nest_close(&defs[t->inner], &defs[t->outer], t);
            bool hid = hidden_cells(&defs[t->inner]) != hi;
            t->seen_inner = hid ? SIZE_MAX : hi;
            t->seen_outer = ho;
            dirty[t->inner] |= hid;
            again |= hid;
        }
    }
    for (size_t i = 0; i < nd; i++)
        def_finish(&defs[i]);
    sup_redo_free(redo, run->n);
    free(nest);
    free(link);
    free(dirty);
    free(pop);
    free(defs);
    free(m);
    /* a ratio is hidden where either of its measures is */
    for (size_t i = 0; i < run->n; i++) {
        struct eng_result *r = &run->results[i];
        const struct ind_measure *im = &r->def->measures[r->measure];
        if (im->kind != IND_M_RATIO)
            continue;
        size_t per_period = r->ngeo * 3 * r->nband;
        for (int p = 0; p < r->nperiods; p++) {
            const struct eng_result *A = eng_ratio_operand(run->results, run->n, r, 0, p);
            const struct eng_result *B = eng_ratio_operand(run->results, run->n, r, 1, p);
            for (size_t k = (size_t)p * per_period; k < (size_t)(p + 1) * per_period; k++) {
                struct eng_cell *c = &r->cells[k];
                bool hid = A && B && (A->cells[k].sup_value || B->cells[k].sup_value);
                c->sup_num = c->sup_den = c->sup_value = hid ? ENG_SUP_COMPLEMENTARY : 0;
            }
        }
    }
}
