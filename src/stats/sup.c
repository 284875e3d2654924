/* src/stats/sup.c: primary and complementary suppression (see sup.h). */
#include <stdlib.h>
#include <string.h>

#include "stats/eng_out.h"
#include "stats/sup.h"

static bool shown(const struct eng_result *r, int p, size_t g, int so, size_t bo)
{
    unsigned dims = r->def->dims;
    if (!r->period_valid[p] || !eng_geo_shown(r, g))
        return false;
    if (so && !(dims & IND_DIM_SEX))
        return false;
    return !(bo && !(dims & IND_DIM_BAND));
}

#define MAX_GROUP 4096

struct grp {
    struct eng_cell *v[MAX_GROUP];
    size_t n;
};

static void add(struct grp *gr, const struct eng_result *r, int p, size_t g, int so, size_t bo)
{
    if (gr->n < MAX_GROUP && shown(r, p, g, so, bo))
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
            if (!shown(r, p, g, 0, bo))
                continue;
            for (int so = 0; so < 3; so++)
                add(gr, r, p, g, so, bo);
            if (gr->n > 1)
                fn(gr->v, gr->n, 1, ctx);
        }
    for (size_t g = 0; g < r->ngeo; g++)
        for (int so = 0; so < 3; so++) { /* bands */
            gr->n = 0;
            if (!shown(r, p, g, so, 0))
                continue;
            for (size_t bo = 0; bo < nb; bo++)
                add(gr, r, p, g, so, bo);
            if (gr->n > 1)
                fn(gr->v, gr->n, 1, ctx);
        }
    /* places: nation = regions; nation = healthcare regions; region = its fine places */
    size_t first_region = 1 + r->nhc, first_fine = first_region + r->nregion;
    for (int so = 0; so < 3; so++)
        for (size_t bo = 0; bo < nb; bo++) {
            if (!shown(r, p, 0, so, bo))
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
            if (shown(r, p, 1, so, bo))
                hc_groups(gr, r, p, so, bo, fn, ctx);
            for (size_t reg = 0; reg < r->nregion; reg++) {
                gr->n = 0;
                add(gr, r, p, first_region + reg, so, bo);
                if (gr->n == 0)
                    continue;
                for (size_t g = first_fine; g < r->ngeo; g++)
                    if (r->fine_region && r->fine_region[g - first_fine] == (int)reg)
                        add(gr, r, p, g, so, bo);
                if (gr->n > 1)
                    fn(gr->v, gr->n, 1, ctx);
            }
        }
    free(gr);
}

/* The components of a cell that are counts: 0 numerator, 1 denominator. */
enum comp { C_NUM, C_DEN };

struct pass {
    enum comp comp;
    bool changed;
    double min_count;
};

static uint8_t *flag_of(struct eng_cell *c, enum comp k)
{
    return k == C_NUM ? &c->sup_num : &c->sup_den;
}

static double val_of(const struct eng_cell *c, enum comp k)
{
    return k == C_NUM ? c->num : c->den;
}

static void protect(struct eng_cell **v, size_t n, size_t ntotal, void *ctx)
{
    struct pass *ps = ctx;
    size_t hidden = 0;
    double residual = 0;
    for (size_t i = 0; i < n; i++) {
        hidden += *flag_of(v[i], ps->comp) != 0;
        residual += (i < ntotal ? 1 : -1) * val_of(v[i], ps->comp);
    }
    /* what the totals hold beyond the published parts, if a small count */
    if (residual > 0.5 && residual < ps->min_count)
        hidden++;
    if (hidden != 1)
        return;
    struct eng_cell *pick = NULL;
    for (size_t i = ntotal; i < n; i++) { /* the smallest shown non-zero part */
        if (*flag_of(v[i], ps->comp) || val_of(v[i], ps->comp) <= 0)
            continue;
        if (!pick || val_of(v[i], ps->comp) < val_of(pick, ps->comp))
            pick = v[i];
    }
    for (size_t i = ntotal; !pick && i < n; i++)
        if (!*flag_of(v[i], ps->comp))
            pick = v[i];
    for (size_t i = 0; !pick && i < ntotal; i++)
        if (!*flag_of(v[i], ps->comp))
            pick = v[i];
    if (pick) {
        *flag_of(pick, ps->comp) = ENG_SUP_COMPLEMENTARY;
        ps->changed = true;
    }
}

static void primary(const struct eng_result *r, struct eng_cell *c,
                    const struct sup_rules *ru)
{
    const struct ind_measure *im = &r->def->measures[r->measure];
    double k = ru->min_count, md = ru->min_denominator;
    bool small_num = c->num > 0 && c->num < k, small_den = c->den > 0 && c->den < k;
    switch (im->kind) {
    case IND_M_COUNT:
        if (small_num)
            c->sup_num = ENG_SUP_COUNT;
        if (im->per && (c->flags & ENG_HAS_VALUE) && c->den < md) {
            /* a rate over a tiny population; its count would give it away */
            c->sup_value = ENG_SUP_DENOMINATOR;
            if (!c->sup_num)
                c->sup_num = ENG_SUP_DENOMINATOR;
        }
        break;
    case IND_M_SUM:
        if (small_den)
            c->sup_num = c->sup_den = ENG_SUP_COUNT;
        break;
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL:
        if (small_num)
            c->sup_num = ENG_SUP_COUNT;
        if (small_den)
            c->sup_den = ENG_SUP_COUNT;
        if ((c->flags & ENG_HAS_VALUE) && c->den < md) {
            /* numerator / denominator would give the value away */
            c->sup_value = ENG_SUP_DENOMINATOR;
            if (!c->sup_num)
                c->sup_num = ENG_SUP_DENOMINATOR;
        }
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
}

static void one_result(struct eng_result *r, const struct sup_rules *ru)
{
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    for (size_t i = 0; i < n; i++) {
        struct eng_cell *c = &r->cells[i];
        c->sup_num = c->sup_den = c->sup_value = 0;
        primary(r, c, ru);
    }
    const struct ind_measure *im = &r->def->measures[r->measure];
    bool den_is_count = im->kind != IND_M_COUNT && im->kind != IND_M_RATIO;
    for (int p = 0; p < r->nperiods; p++) {
        for (int comp = C_NUM; comp <= C_DEN; comp++) {
            if (comp == C_DEN && !den_is_count)
                continue;
            if (comp == C_NUM && (im->kind == IND_M_MEDIAN_TO || im->kind == IND_M_MEDIAN_DUR))
                continue;
            struct pass ps = { (enum comp)comp, true, ru->min_count };
            for (int round = 0; ps.changed && round < 1000; round++) {
                ps.changed = false;
                sup_groups(r, p, protect, &ps);
            }
        }
    }
    if (im->standardised) /* a standardised rate reveals its bands' counts */
        for (int p = 0; p < r->nperiods; p++)
            for (size_t g = 0; g < r->ngeo; g++)
                for (int so = 0; so < 3; so++) {
                    struct eng_cell *all = eng_cell(r, p, g, so, 0);
                    for (size_t b = 1; b < r->nband && !all->sup_value; b++)
                        if (eng_cell(r, p, g, so, b)->sup_num && (all->flags & ENG_HAS_VALUE))
                            all->sup_value = ENG_SUP_COMPLEMENTARY;
                }
    for (size_t i = 0; i < n; i++) {
        struct eng_cell *c = &r->cells[i];
        if (!c->sup_value && (c->sup_num || c->sup_den) && (c->flags & ENG_HAS_VALUE))
            c->sup_value = c->sup_num ? c->sup_num : c->sup_den;
        if (im->kind == IND_M_SUM && c->sup_num)
            c->sup_value = c->sup_num;
    }
}

void sup_apply(struct eng_run *run, const struct sup_rules *rules)
{
    run->suppressed = true;
    for (size_t i = 0; i < run->n; i++)
        if (run->results[i].def->measures[run->results[i].measure].kind != IND_M_RATIO)
            one_result(&run->results[i], rules);
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
