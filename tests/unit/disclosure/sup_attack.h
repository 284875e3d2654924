/* tests/unit/disclosure/sup_attack.h: an attacker on published cubes, for the
 * disclosure-control tests (test_sup.c, test_sup_measures.c) of
 * src/disclosure/sup.c against docs/indicators.md, "Disclosure control".
 *
 * Every additive group of sup_groups() (F + M = both, bands = all ages,
 * regions = nation, healthcare regions = nation, fine places = region) is
 * a linear relation between published cells (groups_of); hc_relations()
 * adds the further true relations of the geography (a healthcare region =
 * its regions). An attacker who knows the shown cells solves
 *   - by repeated subtraction (a relation with one unknown gives it away;
 *     iterate: attack_subtract), and
 *   - by linear algebra (a hidden cell is determined when its unit vector
 *     lies in the row space of the relations restricted to the hidden
 *     cells: attack_rank),
 * and must recover nothing, for the numerator and the denominator each
 * (assert_safe). RULES are the rules the tests apply.
 *
 * Header-only (static inline functions) so that each test stays one source
 * file; include <cmocka.h> and eng_fixture.h first.
 */
#ifndef KNOD_TESTS_SUP_ATTACK_H
#define KNOD_TESTS_SUP_ATTACK_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eng_fixture.h"
#include "disclosure/sup.h"

static const struct sup_rules RULES = { 5, 15 };

/* ---- the attacker ---- */

enum comp { C_NUM, C_DEN };

/* A relation: sum of coef[i] * cells[i] = 0. */
struct rel {
    size_t cell[64];
    int coef[64];
    size_t n;
};

struct rels {
    struct rel *v;
    size_t n, cap;
    const struct eng_result *r;
};

static inline void rel_push(struct rels *rs, const struct rel *x)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->v = realloc(rs->v, rs->cap * sizeof *rs->v);
        assert_non_null(rs->v);
    }
    rs->v[rs->n++] = *x;
}

static inline void collect(struct eng_cell **cells, size_t n, size_t ntotal, void *ctx)
{
    struct rels *rs = ctx;
    struct rel x = { .n = 0 };
    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++) {
        x.cell[x.n] = (size_t)(cells[i] - rs->r->cells);
        x.coef[x.n++] = i < ntotal ? 1 : -1;
    }
    rel_push(rs, &x);
}

static inline void groups_of(const struct eng_result *r, int p, struct rels *rs)
{
    rs->r = r;
    sup_groups(r, p, collect, rs);
}

/* The healthcare regions as sums of regions, which sup_groups() does not
 * list: each healthcare region without Halland = its regions; Västra and
 * Södra each = their other regions + their Halland municipalities when
 * municipalities are published, else Västra + Södra = their regions and
 * Halland (split between them). */
static inline void add_term(struct rel *x, const struct eng_result *r, int p, size_t g,
                            int so, size_t bo, int coef)
{
    assert_true(x->n < 64);
    x->cell[x->n] = (size_t)(eng_cell(r, p, g, so, bo) - r->cells);
    x->coef[x->n++] = coef;
}

static inline void hc_relations(const struct efx *f, const struct eng_result *r, int p,
                                struct rels *rs)
{
    const struct geo *g = &f->geo;
    bool munis = (r->def->dims & IND_DIM_MUNICIPALITY) && !r->def->geo_unit;
    size_t fine0 = 1 + r->nhc + r->nregion;
    for (int so = 0; so < 3; so++)
        for (size_t bo = 0; bo < r->nband; bo++) {
            struct rel west = { .n = 0 };
            for (size_t h = 0; h < g->nhregions; h++) {
                const char *code = g->hregions[h].code;
                bool split = strcmp(code, "Västra") == 0 || strcmp(code, "Södra") == 0;
                struct rel x = { .n = 0 };
                struct rel *into = split && !munis ? &west : &x;
                add_term(into, r, p, 1 + h, so, bo, 1);
                for (size_t k = 0; k < g->nregions; k++) {
                    bool halland = strcmp(g->regions[k].code, "13") == 0;
                    if (split && munis && halland) {
                        for (size_t m = 0; m < g->nmunicipalities; m++)
                            if (strcmp(g->municipalities[m].region_code, "13") == 0 &&
                                strcmp(g->municipalities[m].healthcare_region, code) == 0)
                                add_term(into, r, p, fine0 + m, so, bo, -1);
                    } else if (strcmp(g->regions[k].healthcare_region, code) == 0) {
                        add_term(into, r, p, 1 + g->nhregions + k, so, bo, -1);
                    }
                }
                if (!split || munis)
                    rel_push(rs, &x);
            }
            /* Västra + Södra = Kronoberg, Blekinge, Skåne, Halland and
             * Västra Götaland (regions.csv lists Halland under Västra) */
            if (!munis)
                rel_push(rs, &west);
        }
}

static inline double val(const struct eng_cell *c, enum comp k)
{
    return k == C_NUM ? c->num : c->den;
}

static inline bool hidden(const struct eng_cell *c, enum comp k)
{
    return (k == C_NUM ? c->sup_num : c->sup_den) != 0;
}

/* Every relation holds on the true values (the attack is meaningful). */
static inline void check_additive(const struct eng_result *r, const struct rels *rs,
                                  enum comp k)
{
    for (size_t i = 0; i < rs->n; i++) {
        double s = 0;
        for (size_t j = 0; j < rs->v[i].n; j++)
            s += rs->v[i].coef[j] * val(&r->cells[rs->v[i].cell[j]], k);
        if (fabs(s) > 1e-6)
            fail_msg("relation %zu does not add up (%g)", i, s);
    }
}

/* What a group's totals hold beyond its published parts (persons without a
 * home region, say) is an unknown to the attacker: each distinct non-zero
 * residual becomes one more variable, numbered from the cube's cell count
 * (relations with equal residuals share it: a stronger attacker). Only a
 * small residual (below min_count) is a secret when recovered. */
#define MAX_EXTRA 256
static size_t g_extra;
static double g_extra_val[MAX_EXTRA];

static inline void add_residuals(const struct eng_result *r, struct rels *rs, enum comp k)
{
    size_t ncell = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    g_extra = 0;
    for (size_t i = 0; i < rs->n; i++) {
        double res = 0;
        for (size_t j = 0; j < rs->v[i].n; j++)
            res += rs->v[i].coef[j] * val(&r->cells[rs->v[i].cell[j]], k);
        if (fabs(res) < 1e-6)
            continue;
        size_t v = 0;
        while (v < g_extra && fabs(g_extra_val[v] - res) > 1e-6)
            v++;
        if (v == g_extra) {
            assert_true(g_extra < MAX_EXTRA);
            g_extra_val[g_extra++] = res;
        }
        assert_true(rs->v[i].n < 64);
        rs->v[i].cell[rs->v[i].n] = ncell + v;
        rs->v[i].coef[rs->v[i].n++] = -1;
    }
}

static inline bool var_secret(size_t ncell, size_t var)
{
    return var < ncell || fabs(g_extra_val[var - ncell]) < RULES.min_count;
}

/* Repeated subtraction: the number of hidden cells recovered. */
static inline size_t attack_subtract(const struct eng_result *r, const struct rels *rs,
                                     enum comp k)
{
    size_t ncell = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    bool *known = calloc(ncell + g_extra, 1);
    assert_non_null(known);
    for (size_t i = 0; i < ncell; i++)
        known[i] = !hidden(&r->cells[i], k);
    size_t got = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < rs->n; i++) {
            size_t unknown = 0, which = 0;
            for (size_t j = 0; j < rs->v[i].n; j++)
                if (!known[rs->v[i].cell[j]]) {
                    unknown++;
                    which = rs->v[i].cell[j];
                }
            if (unknown == 1) {
                known[which] = true;
                got += var_secret(ncell, which);
                changed = true;
            }
        }
    }
    free(known);
    return got;
}

static inline size_t rank_of(double *m, size_t rows, size_t cols)
{
    size_t rank = 0;
    for (size_t c = 0; c < cols && rank < rows; c++) {
        size_t piv = rank;
        for (size_t i = rank; i < rows; i++)
            if (fabs(m[i * cols + c]) > fabs(m[piv * cols + c]))
                piv = i;
        if (fabs(m[piv * cols + c]) < 1e-9)
            continue;
        for (size_t j = 0; j < cols; j++) {
            double t = m[rank * cols + j];
            m[rank * cols + j] = m[piv * cols + j];
            m[piv * cols + j] = t;
        }
        for (size_t i = 0; i < rows; i++) {
            if (i == rank)
                continue;
            double q = m[i * cols + c] / m[rank * cols + c];
            if (q != 0)
                for (size_t j = 0; j < cols; j++)
                    m[i * cols + j] -= q * m[rank * cols + j];
        }
        rank++;
    }
    return rank;
}

/* Linear algebra: the hidden cells whose value the relations fix. */
static inline size_t attack_rank(const struct eng_result *r, const struct rels *rs,
                                 enum comp k, size_t *which)
{
    size_t ncell = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    size_t *col = malloc((ncell + g_extra) * sizeof *col), nu = 0;
    assert_non_null(col);
    for (size_t i = 0; i < ncell + g_extra; i++)
        col[i] = i >= ncell || hidden(&r->cells[i], k) ? nu++ : SIZE_MAX;
    size_t got = 0;
    if (nu > 0) {
        size_t rows = rs->n + 1;
        double *base = calloc(rows * nu, sizeof *base), *m = malloc(rows * nu * sizeof *m);
        assert_true(base && m);
        for (size_t i = 0; i < rs->n; i++)
            for (size_t j = 0; j < rs->v[i].n; j++)
                if (col[rs->v[i].cell[j]] != SIZE_MAX)
                    base[i * nu + col[rs->v[i].cell[j]]] += rs->v[i].coef[j];
        memcpy(m, base, rows * nu * sizeof *m);
        size_t r0 = rank_of(m, rs->n, nu);
        for (size_t c = 0; c < ncell + g_extra; c++) {
            if (col[c] == SIZE_MAX || !var_secret(ncell, c))
                continue;
            memcpy(m, base, rows * nu * sizeof *m);
            memset(m + rs->n * nu, 0, nu * sizeof *m);
            m[rs->n * nu + col[c]] = 1;
            if (rank_of(m, rows, nu) == r0) {
                if (which && got == 0)
                    *which = c;
                got++;
            }
        }
        free(base);
        free(m);
    }
    free(col);
    return got;
}

/* No group has exactly one hidden member, and neither attack recovers
 * anything, for each count component of each period. */
static inline void assert_safe(const struct eng_result *r, bool den_too)
{
    for (int p = 0; p < r->nperiods; p++)
        for (int k = C_NUM; k <= (den_too ? C_DEN : C_NUM); k++) {
            struct rels rs = { 0 };
            groups_of(r, p, &rs);
            for (size_t i = 0; i < rs.n; i++) {
                size_t h = 0;
                double residual = 0;
                for (size_t j = 0; j < rs.v[i].n; j++) {
                    h += hidden(&r->cells[rs.v[i].cell[j]], (enum comp)k);
                    residual += rs.v[i].coef[j] * val(&r->cells[rs.v[i].cell[j]], (enum comp)k);
                }
                /* what a total holds beyond its published parts, if small,
                 * is itself a hidden member (sup.h) */
                if (residual > 0.5 && residual < RULES.min_count)
                    h++;
                if (h == 1)
                    fail_msg("period %d %s: a group with one hidden member", p,
                             k ? "denominator" : "numerator");
            }
            add_residuals(r, &rs, (enum comp)k);
            assert_int_equal(attack_subtract(r, &rs, (enum comp)k), 0);
            size_t which = 0, got = attack_rank(r, &rs, (enum comp)k, &which);
            if (got)
                fail_msg("period %d %s: %zu hidden cells solvable, e.g. cell %zu", p,
                         k ? "denominator" : "numerator", got, which);
            free(rs.v);
        }
}

/* The difference attack on nested populations (docs/indicators.md,
 * "Nested populations"): inner's events are within outer's, so in a cell
 * both publish, outer's count minus inner's counts the outer events that
 * are not inner's, which nothing publishes. The differences of band ia of
 * inner and band ib of outer form a cube over places and sexes (groups of
 * sup_groups() within the band); a difference is known where both cells
 * are shown. Returns how many secrets the attacker gets: a small shown
 * difference (0 < d < min_count), and, by subtraction and linear algebra
 * over the differences' groups, any hidden difference (which, beside one
 * shown cell, gives the hidden one away). */
static inline size_t diff_attack(const struct eng_result *in, const struct eng_result *out,
                                 size_t ia, size_t ib)
{
    assert_int_equal(in->ngeo, out->ngeo);
    assert_int_equal(in->nperiods, out->nperiods);
    size_t ncell = (size_t)in->nperiods * in->ngeo * 3 * in->nband, got = 0;
    struct eng_result dr = *in;
    dr.cells = calloc(ncell, sizeof *dr.cells);
    assert_non_null(dr.cells);
    for (size_t x = 0; x < ncell; x++) {
        dr.cells[x] = in->cells[x];
        size_t bo = x % in->nband, so = (x / in->nband) % 3;
        size_t g = (x / in->nband / 3) % in->ngeo, p = x / in->nband / 3 / in->ngeo;
        if (bo != ia)
            continue;
        const struct eng_cell *o = eng_cell(out, (int)p, g, (int)so, ib);
        bool oshown = out->period_valid[p] && eng_geo_shown(out, g) &&
                      (!so || (out->def->dims & IND_DIM_SEX)) &&
                      (!ib || (out->def->dims & IND_DIM_BAND));
        dr.cells[x].num = oshown ? o->num - in->cells[x].num : 0;
        dr.cells[x].sup_num = (uint8_t)(!oshown || hidden(&in->cells[x], C_NUM) ||
                                        hidden(o, C_NUM));
        if (!dr.cells[x].sup_num && dr.cells[x].num > 0.5 && dr.cells[x].num < RULES.min_count)
            got++; /* published nowhere, and small */
    }
    for (int p = 0; p < in->nperiods; p++) {
        struct rels rs = { 0 }, keep = { 0 };
        groups_of(&dr, p, &rs);
        for (size_t i = 0; i < rs.n; i++) {
            bool band = true;
            for (size_t j = 0; j < rs.v[i].n; j++)
                band &= rs.v[i].cell[j] % in->nband == ia;
            if (band)
                rel_push(&keep, &rs.v[i]);
        }
        keep.r = &dr;
        if (keep.n > 0) {
            add_residuals(&dr, &keep, C_NUM);
            got += attack_subtract(&dr, &keep, C_NUM);
            got += attack_rank(&dr, &keep, C_NUM, NULL);
        }
        free(rs.v);
        free(keep.v);
    }
    free(dr.cells);
    return got;
}

/* A value is hidden whenever one of its counts is. */
static inline void assert_values_follow(const struct eng_result *r)
{
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    for (size_t i = 0; i < n; i++) {
        const struct eng_cell *c = &r->cells[i];
        if ((c->flags & ENG_HAS_VALUE) && (c->sup_num || c->sup_den))
            assert_int_not_equal(c->sup_value, 0);
    }
}

#endif /* KNOD_TESTS_SUP_ATTACK_H */
