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

void sup_groups(const struct eng_result *r, int p,
                void (*fn)(struct eng_cell **cells, size_t n, void *ctx), void *ctx)
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
                fn(gr->v, gr->n, ctx);
        }
    for (size_t g = 0; g < r->ngeo; g++)
        for (int so = 0; so < 3; so++) { /* bands */
            gr->n = 0;
            if (!shown(r, p, g, so, 0))
                continue;
            for (size_t bo = 0; bo < nb; bo++)
                add(gr, r, p, g, so, bo);
            if (gr->n > 1)
                fn(gr->v, gr->n, ctx);
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
                    fn(gr->v, gr->n, ctx);
            }
            for (size_t reg = 0; reg < r->nregion; reg++) {
                gr->n = 0;
                add(gr, r, p, first_region + reg, so, bo);
                if (gr->n == 0)
                    continue;
                for (size_t g = first_fine; g < r->ngeo; g++)
                    if (r->fine_region && r->fine_region[g - first_fine] == (int)reg)
                        add(gr, r, p, g, so, bo);
                if (gr->n > 1)
                    fn(gr->v, gr->n, ctx);
            }
        }
    free(gr);
}

/* The components of a cell that are counts: 0 numerator, 1 denominator. */
enum comp { C_NUM, C_DEN };

struct pass {
    enum comp comp;
    bool changed;
};

static uint8_t *flag_of(struct eng_cell *c, enum comp k)
{
    return k == C_NUM ? &c->sup_num : &c->sup_den;
}

static double val_of(const struct eng_cell *c, enum comp k)
{
    return k == C_NUM ? c->num : c->den;
}

static void protect(struct eng_cell **v, size_t n, void *ctx)
{
    struct pass *ps = ctx;
    size_t hidden = 0;
    for (size_t i = 0; i < n; i++)
        hidden += *flag_of(v[i], ps->comp) != 0;
    if (hidden != 1)
        return;
    struct eng_cell *pick = NULL;
    for (size_t i = 1; i < n; i++) { /* the smallest shown non-zero part */
        if (*flag_of(v[i], ps->comp) || val_of(v[i], ps->comp) <= 0)
            continue;
        if (!pick || val_of(v[i], ps->comp) < val_of(pick, ps->comp))
            pick = v[i];
    }
    for (size_t i = 1; !pick && i < n; i++)
        if (!*flag_of(v[i], ps->comp))
            pick = v[i];
    if (!pick && !*flag_of(v[0], ps->comp))
        pick = v[0];
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
            struct pass ps = { (enum comp)comp, true };
            for (int round = 0; ps.changed && round < 1000; round++) {
                ps.changed = false;
                sup_groups(r, p, protect, &ps);
            }
        }
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
    for (size_t i = 0; i < run->n; i++)
        if (run->results[i].def->measures[run->results[i].measure].kind != IND_M_RATIO)
            one_result(&run->results[i], rules);
    /* a ratio is hidden where either of its measures is */
    for (size_t i = 0; i < run->n; i++) {
        struct eng_result *r = &run->results[i];
        const struct ind_measure *im = &r->def->measures[r->measure];
        if (im->kind != IND_M_RATIO)
            continue;
        const char *bid = im->ratio_b_ind ? im->ratio_b_ind : r->def->id;
        const struct eng_result *A = NULL, *B = NULL;
        for (size_t j = 0; j < run->n; j++) {
            const struct eng_result *q = &run->results[j];
            const char *name = q->def->measures[q->measure].name;
            if (q->def == r->def && strcmp(name, im->ratio_a) == 0)
                A = q;
            if (strcmp(q->def->id, bid) == 0 && strcmp(name, im->ratio_b) == 0)
                B = q;
        }
        size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
        for (size_t k = 0; k < n; k++) {
            struct eng_cell *c = &r->cells[k];
            bool hid = !A || !B || B->nperiods != r->nperiods || B->ngeo != r->ngeo ||
                       B->nband != r->nband || A->cells[k].sup_value || B->cells[k].sup_value;
            c->sup_num = c->sup_den = c->sup_value = hid ? ENG_SUP_COMPLEMENTARY : 0;
        }
    }
}
