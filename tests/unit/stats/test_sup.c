/* tests/unit/stats/test_sup.c: disclosure control (src/stats/sup.c)
 * against docs/indicators.md, "Disclosure control".
 *
 * Primary suppression is checked cell by cell on cubes built by hand and
 * on cubes from the engine (eng_fixture.h). Complementary suppression is
 * attacked: every additive group of sup_groups() (F + M = both, bands =
 * all ages, regions = nation, healthcare regions = nation, fine places =
 * region) is a linear relation between published cells; an attacker who
 * knows the shown cells solves
 *   - by repeated subtraction (a relation with one unknown gives it away;
 *     iterate), and
 *   - by linear algebra (a hidden cell is determined when its unit vector
 *     lies in the row space of the relations restricted to the hidden
 *     cells),
 * and must recover nothing, for the numerator and the denominator each.
 * The same attack with the further true relations of the geography (a
 * healthcare region = its regions) is kept under `#if 0` (ENGINE-BUG).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "stats/sup.h"

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

static void rel_push(struct rels *rs, const struct rel *x)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->v = realloc(rs->v, rs->cap * sizeof *rs->v);
        assert_non_null(rs->v);
    }
    rs->v[rs->n++] = *x;
}

static void collect(struct eng_cell **cells, size_t n, size_t ntotal, void *ctx)
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

static void groups_of(const struct eng_result *r, int p, struct rels *rs)
{
    rs->r = r;
    sup_groups(r, p, collect, rs);
}

/* The healthcare regions as sums of regions, which sup_groups() does not
 * list: each healthcare region without Halland = its regions; Västra and
 * Södra each = their other regions + their Halland municipalities when
 * municipalities are published, else Västra + Södra = their regions and
 * Halland (split between them). */
static void add_term(struct rel *x, const struct eng_result *r, int p, size_t g, int so,
                     size_t bo, int coef)
{
    assert_true(x->n < 64);
    x->cell[x->n] = (size_t)(eng_cell(r, p, g, so, bo) - r->cells);
    x->coef[x->n++] = coef;
}

static void hc_relations(const struct efx *f, const struct eng_result *r, int p,
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

static double val(const struct eng_cell *c, enum comp k)
{
    return k == C_NUM ? c->num : c->den;
}

static bool hidden(const struct eng_cell *c, enum comp k)
{
    return (k == C_NUM ? c->sup_num : c->sup_den) != 0;
}

/* Every relation holds on the true values (the attack is meaningful). */
static void check_additive(const struct eng_result *r, const struct rels *rs, enum comp k)
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

static void add_residuals(const struct eng_result *r, struct rels *rs, enum comp k)
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

static bool var_secret(size_t ncell, size_t var)
{
    return var < ncell || fabs(g_extra_val[var - ncell]) < RULES.min_count;
}

/* Repeated subtraction: the number of hidden cells recovered. */
static size_t attack_subtract(const struct eng_result *r, const struct rels *rs, enum comp k)
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

static size_t rank_of(double *m, size_t rows, size_t cols)
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
static size_t attack_rank(const struct eng_result *r, const struct rels *rs, enum comp k,
                          size_t *which)
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
static void assert_safe(const struct eng_result *r, bool den_too)
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

/* A value is hidden whenever one of its counts is. */
static void assert_values_follow(const struct eng_result *r)
{
    size_t n = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
    for (size_t i = 0; i < n; i++) {
        const struct eng_cell *c = &r->cells[i];
        if ((c->flags & ENG_HAS_VALUE) && (c->sup_num || c->sup_den))
            assert_int_not_equal(c->sup_value, 0);
    }
}

/* ---- cubes by hand ---- */

/* One period, nation + healthcare regions + regions, sex, no bands, for
 * measure 0 of def; cells filled by fill_counts(). */
static struct eng_result cube(const struct efx *f, const struct ind_def *def)
{
    struct eng_result r = { 0 };
    r.def = def;
    r.measure = 0;
    r.period = PERIOD_YEAR;
    r.nperiods = 1;
    r.first_month = 2024 * 12;
    r.months_per_period = 12;
    r.nhc = f->geo.nhregions;
    r.nregion = f->geo.nregions;
    r.ngeo = 1 + r.nhc + r.nregion;
    r.nband = 1;
    r.cells = calloc(r.ngeo * 3, sizeof *r.cells);
    r.period_valid = calloc(1, sizeof *r.period_valid);
    assert_true(r.cells && r.period_valid);
    r.period_valid[0] = true;
    return r;
}

static size_t hc_of(const struct efx *f, size_t region)
{
    for (size_t h = 0; h < f->geo.nhregions; h++)
        if (strcmp(f->geo.hregions[h].code, f->geo.regions[region].healthcare_region) == 0)
            return 1 + h;
    fail_msg("region without a healthcare region");
    return 0;
}

/* num/den of each region and sex (index [region][sex 0 F, 1 M]); the
 * sums above them; flags as the engine sets them for the measure. */
static void fill(const struct efx *f, struct eng_result *r, const double (*num)[2],
                 const double (*den)[2], bool proportion)
{
    for (size_t k = 0; k < f->geo.nregions; k++)
        for (int s = 0; s < 2; s++) {
            size_t places[3] = { 0, hc_of(f, k), 1 + r->nhc + k };
            const int sexes[2] = { SEX_ALL, 1 + s };
            for (int l = 0; l < 3; l++)
                for (int q = 0; q < 2; q++) {
                    struct eng_cell *c = eng_cell(r, 0, places[l], sexes[q], 0);
                    c->num += num[k][s];
                    if (den)
                        c->den += den[k][s];
                }
        }
    for (size_t i = 0; i < r->ngeo * 3; i++) {
        struct eng_cell *c = &r->cells[i];
        c->flags = ENG_HAS_NUM;
        if (!proportion) {
            c->value = c->num;
            c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
        } else {
            c->flags |= ENG_HAS_DEN;
            if (c->den > 0) {
                c->value = 100 * c->num / c->den;
                c->flags |= ENG_HAS_VALUE | ENG_HAS_CI;
            }
        }
    }
}

static size_t region_index(const struct efx *f, const char *code)
{
    return efx_reg(f, code) - 1 - f->geo.nhregions;
}

/* Counts 1-4 are hidden (count), 0 and 5 are shown; the result is safe. */
static void test_primary_counts(void **state)
{
    struct efx *f = *state;
    efx_parse(f, EFX_HDR("c") "from act\nmeasure n count events\n");
    struct eng_result r = cube(f, &f->cat.defs[0]);
    double num[32][2] = { { 0 } };
    /* a spread of values: every region F and M */
    for (size_t k = 0; k < f->geo.nregions; k++) {
        num[k][0] = (double)((k * 7) % 13);
        num[k][1] = (double)((k * 5 + 3) % 11 + 20);
    }
    size_t upp = region_index(f, "03"), got = region_index(f, "09"), ble = region_index(f, "10");
    num[upp][0] = 0;
    num[got][0] = 1;
    num[got][1] = 3;
    num[ble][0] = 5;
    num[ble][1] = 4;
    fill(f, &r, (const double(*)[2])num, NULL, false);
    struct eng_run run = { .results = &r, .n = 1 };
    sup_apply(&run, &RULES);
    for (size_t i = 0; i < r.ngeo * 3; i++) {
        const struct eng_cell *c = &r.cells[i];
        if (c->num >= 1 && c->num <= 4)
            assert_int_equal(c->sup_num, ENG_SUP_COUNT);
        else
            assert_int_not_equal(c->sup_num, ENG_SUP_COUNT);
        if (c->sup_num)
            assert_int_equal(c->sup_value, c->sup_num);
    }
    size_t g = efx_reg(f, "09"), b = efx_reg(f, "10"), u = efx_reg(f, "03");
    assert_int_equal(eng_cell(&r, 0, g, SEX_F, 0)->sup_num, ENG_SUP_COUNT);
    assert_int_equal(eng_cell(&r, 0, g, SEX_M, 0)->sup_num, ENG_SUP_COUNT);
    assert_int_equal(eng_cell(&r, 0, b, SEX_M, 0)->sup_num, ENG_SUP_COUNT);
    assert_int_equal(eng_cell(&r, 0, u, SEX_F, 0)->sup_num, 0); /* zero is shown */
    assert_int_equal(eng_cell(&r, 0, 0, SEX_ALL, 0)->sup_num, 0);
    struct rels rs = { 0 };
    groups_of(&r, 0, &rs);
    check_additive(&r, &rs, C_NUM);
    free(rs.v);
    assert_safe(&r, false);
    assert_values_follow(&r);
    free(r.cells);
    free(r.period_valid);
}

/* Proportions: a numerator of 1-4 is hidden (count) and its value with it;
 * a denominator below 15 hides the value and the numerator (denominator);
 * a denominator of 1-4 is hidden itself (count). Numerators and
 * denominators are each safe. */
static void test_primary_proportion(void **state)
{
    struct efx *f = *state;
    efx_parse(f, EFX_HDR("p") "from act\nmeasure p proportion has act in start (0d, 365d]\n");
    struct eng_result r = cube(f, &f->cat.defs[0]);
    double num[32][2] = { { 0 } }, den[32][2] = { { 0 } };
    for (size_t k = 0; k < f->geo.nregions; k++)
        for (int s = 0; s < 2; s++) {
            den[k][s] = (double)(40 + (k * 3 + (size_t)s * 7) % 17);
            num[k][s] = (double)(10 + (k + (size_t)s) % 9);
        }
    size_t a = region_index(f, "04"), b = region_index(f, "05"), c = region_index(f, "06"),
           e = region_index(f, "07");
    num[a][0] = 3, den[a][0] = 20;  /* small numerator */
    num[b][0] = 0, den[b][0] = 10;  /* small denominator */
    num[c][1] = 2, den[c][1] = 3;   /* both */
    num[e][1] = 14, den[e][1] = 14; /* 100 % of 14 */
    fill(f, &r, (const double(*)[2])num, (const double(*)[2])den, true);
    struct eng_run run = { .results = &r, .n = 1 };
    sup_apply(&run, &RULES);
    const struct eng_cell *x = eng_cell(&r, 0, efx_reg(f, "04"), SEX_F, 0);
    assert_int_equal(x->sup_num, ENG_SUP_COUNT);
    assert_int_not_equal(x->sup_value, 0);
    assert_true(x->sup_den == 0 || x->sup_den == ENG_SUP_COMPLEMENTARY);
    x = eng_cell(&r, 0, efx_reg(f, "05"), SEX_F, 0);
    assert_int_equal(x->sup_value, ENG_SUP_DENOMINATOR);
    assert_int_equal(x->sup_num, ENG_SUP_DENOMINATOR);
    assert_true(x->sup_den == 0 || x->sup_den == ENG_SUP_COMPLEMENTARY);
    x = eng_cell(&r, 0, efx_reg(f, "06"), SEX_M, 0);
    assert_int_equal(x->sup_num, ENG_SUP_COUNT);
    assert_int_equal(x->sup_den, ENG_SUP_COUNT);
    assert_int_not_equal(x->sup_value, 0);
    x = eng_cell(&r, 0, efx_reg(f, "07"), SEX_M, 0);
    assert_int_equal(x->sup_value, ENG_SUP_DENOMINATOR);
    assert_int_equal(x->sup_num, ENG_SUP_DENOMINATOR);
    /* large cells are not hidden for a primary reason */
    x = eng_cell(&r, 0, 0, SEX_ALL, 0);
    assert_true(x->sup_num != ENG_SUP_COUNT && x->sup_num != ENG_SUP_DENOMINATOR);
    for (int k = C_NUM; k <= C_DEN; k++) {
        struct rels rs = { 0 };
        groups_of(&r, 0, &rs);
        check_additive(&r, &rs, (enum comp)k);
        free(rs.v);
    }
    assert_safe(&r, true);
    assert_values_follow(&r);
    free(r.cells);
    free(r.period_valid);
}

/* ---- cubes from the engine ---- */

static void acts(struct efx *f, int *pid, const char *muni, char sex, int n, kn_time t)
{
    if (n == 0)
        return;
    ++*pid;
    efx_person(f, *pid, 2004, sex, muni, NULL);
    for (int i = 0; i < n; i++)
        efx_act(f, *pid, t + i * HOUR);
}

/* A tiny region (Gotland: one act by a woman) in a count by region and
 * sex. Hidden for count: Gotland both and F. The cascade (traced by hand
 * through sup.h's rule, smallest non-zero shown part first):
 *   nation = regions, both: Gotland -> Uppsala (13, the smallest)
 *   nation = regions, F:    Gotland F -> Skåne F (5)
 *   Uppsala = F + M:        Uppsala -> Uppsala F (6)
 *   Skåne = F + M:          Skåne F -> Skåne M (20)
 *   nation = regions, M:    Skåne M -> Uppsala M (7)
 * after which every group has none or at least two hidden. */
static void test_cascade_tiny_region(void **state)
{
    struct efx *f = *state;
    int pid = 0;
    kn_time t = T(2024, 3, 1, 8, 0, 0);
    acts(f, &pid, "0180", 'F', 20, t);
    acts(f, &pid, "0180", 'M', 25, t);
    acts(f, &pid, "0380", 'F', 6, t);
    acts(f, &pid, "0380", 'M', 7, t);
    acts(f, &pid, "0980", 'F', 1, t);
    acts(f, &pid, "1280", 'F', 5, t);
    acts(f, &pid, "1280", 'M', 20, t);
    efx_parse(f, EFX_HDR("tiny") "from act\nyears 2024-2024\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    size_t got = efx_reg(f, "09"), upp = efx_reg(f, "03"), ska = efx_reg(f, "12"),
           sto = efx_reg(f, "01");
    NEAR(eng_cell(r, 0, got, SEX_ALL, 0)->num, 1, 0);
    assert_int_equal(eng_cell(r, 0, got, SEX_ALL, 0)->sup_num, ENG_SUP_COUNT);
    assert_int_equal(eng_cell(r, 0, got, SEX_F, 0)->sup_num, ENG_SUP_COUNT);
    assert_int_equal(eng_cell(r, 0, got, SEX_M, 0)->sup_num, 0); /* zero is shown */
    /* the cascade: Gotland's healthcare region Stockholm-Gotland = Stockholm
     * + Gotland, so Stockholm is hidden with it; the sexes and the nation
     * then need partners in other regions */
    assert_int_not_equal(eng_cell(r, 0, sto, SEX_ALL, 0)->sup_num, 0);
    (void)upp;
    (void)ska;
    assert_int_equal(eng_cell(r, 0, 0, SEX_ALL, 0)->sup_num, 0);
    struct rels rs = { 0 };
    groups_of(r, 0, &rs);
    check_additive(r, &rs, C_NUM);
    free(rs.v);
    assert_safe(r, false);
    assert_values_follow(r);

    /* the attacker works: reveal one hidden cell and another follows */
    {
        size_t ncell = (size_t)r->nperiods * r->ngeo * 3 * r->nband;
        bool leaked = false;
        for (size_t i = 0; i < ncell && !leaked; i++) {
            struct eng_cell *hc = &r->cells[i];
            if (!hc->sup_num)
                continue;
            uint8_t keep = hc->sup_num;
            hc->sup_num = 0;
            struct rels rs2 = { 0 };
            groups_of(r, 0, &rs2);
            add_residuals(r, &rs2, C_NUM);
            leaked = attack_subtract(r, &rs2, C_NUM) > 0 &&
                     attack_rank(r, &rs2, C_NUM, NULL) > 0;
            free(rs2.v);
            hc->sup_num = keep;
        }
        assert_true(leaked);
    }

    /* The healthcare regions are published too, and a healthcare region is
     * the sum of its regions: Gotland (both) = Stockholm-Gotland (46) -
     * Stockholm (45) = 1; Uppsala F = Mellansverige F (6), the other
     * regions of Mellansverige being shown zeros.
     * sup_groups() does not list these relations (nor does the
     * specification's list), so suppression does not protect against
     * them, contrary to "until no hidden cell can be recovered". */
    struct rels all = { 0 };
    groups_of(r, 0, &all);
    hc_relations(f, r, 0, &all);
    check_additive(r, &all, C_NUM); /* the engine's healthcare regions add up */
#if 1
    /* fixed (was ENGINE-BUG): hidden cells are recovered through "healthcare region =
     * its regions" (Gotland both = Stockholm-Gotland - Stockholm; Uppsala F
     * = Mellansverige F); docs/indicators.md promises that no hidden cell
     * can be recovered from its totals. */
    assert_int_equal(attack_subtract(r, &all, C_NUM), 0);
    assert_int_equal(attack_rank(r, &all, C_NUM, NULL), 0);
#endif
    free(all.v);
    eng_run_free(&run);
}

/* A proportion from the engine: numerators and denominators are each
 * protected; the value follows. Region by region (P = persons with one act
 * each, R = persons with an act and another 10 days later):
 *   Stockholm F 30 (R 12), M 28 (R 2); Gotland F 3 (R 1); Uppsala M 16
 *   (R 16); Skåne F 14 (R 7), M 40 (R 0). */
static void test_proportion_from_engine(void **state)
{
    struct efx *f = *state;
    int pid = 0;
    kn_time t = T(2024, 2, 1, 8, 0, 0);
    const struct { const char *muni; char sex; int anchors, repeat; } spec[] = {
        { "0180", 'F', 30, 12 }, { "0180", 'M', 28, 2 }, { "0980", 'F', 3, 1 },
        { "0380", 'M', 16, 16 }, { "1280", 'F', 14, 7 }, { "1280", 'M', 40, 0 },
    };
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++)
        for (int k = 0; k < spec[i].anchors; k++) {
            efx_person(f, ++pid, 2004, spec[i].sex, spec[i].muni, NULL);
            efx_act(f, pid, t);
            if (k < spec[i].repeat)
                efx_act(f, pid, t + 10 * DAY);
        }
    efx_parse(f, EFX_HDR("pr") "from act\nyears 2024-2024\npick first per person ever\n"
                 "measure p proportion has act in start (0d, 365d]\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    const struct eng_cell *c = eng_cell(r, 0, efx_reg(f, "09"), SEX_F, 0);
    NEAR(c->num, 1, 0);
    NEAR(c->den, 3, 0);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_equal(c->sup_den, ENG_SUP_COUNT);
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
    c = eng_cell(r, 0, efx_reg(f, "01"), SEX_M, 0);
    NEAR(c->num, 2, 0);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    c = eng_cell(r, 0, efx_reg(f, "12"), SEX_F, 0); /* 7 of 14 */
    assert_int_equal(c->sup_num, ENG_SUP_DENOMINATOR);
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
    assert_int_not_equal(c->sup_den, ENG_SUP_COUNT);
    c = eng_cell(r, 0, efx_reg(f, "03"), SEX_M, 0); /* 16 of 16 */
    assert_int_not_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_num, ENG_SUP_DENOMINATOR);
    c = eng_cell(r, 0, efx_reg(f, "12"), SEX_M, 0); /* 0 of 40: zero shown */
    NEAR(c->num, 0, 0);
    assert_int_not_equal(c->sup_num, ENG_SUP_COUNT);
    for (int k = C_NUM; k <= C_DEN; k++) {
        struct rels rs = { 0 };
        groups_of(r, 0, &rs);
        check_additive(r, &rs, (enum comp)k);
        free(rs.v);
    }
    assert_safe(r, true);
    assert_values_follow(r);
    eng_run_free(&run);
}

/* Bands and municipalities are groups too (bands = all ages when every
 * anchor is in a band; municipalities = region when every person has
 * one). */
static void test_bands_and_municipalities(void **state)
{
    struct efx *f = *state;
    int pid = 0;
    kn_time t = T(2024, 5, 1, 8, 0, 0);
    const struct { const char *muni; char sex; int by, n; } spec[] = {
        { "0180", 'F', 2010, 12 }, { "0180", 'F', 2005, 2 },  { "0180", 'M', 2010, 9 },
        { "0180", 'M', 2005, 11 }, { "0114", 'F', 2010, 1 },  { "0114", 'M', 2005, 6 },
        { "1380", 'F', 2010, 7 },  { "1384", 'F', 2005, 8 },  { "1384", 'M', 2010, 3 },
        { "0380", 'F', 2010, 30 }, { "0380", 'M', 2005, 25 },
    };
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
        efx_person(f, ++pid, spec[i].by, spec[i].sex, spec[i].muni, NULL);
        for (int k = 0; k < spec[i].n; k++)
            efx_act(f, pid, t + k * HOUR);
    }
    efx_parse(f, EFX_HDR("bm") "from act\nyears 2024-2024\nbands 10-14, 15-19\n"
                 "breakdown region, municipality, sex, band\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    const struct eng_cell *c = eng_cell(r, 0, efx_muni(f, "0114"), SEX_F, 1);
    NEAR(c->num, 1, 0);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    struct rels rs = { 0 };
    groups_of(r, 0, &rs);
    check_additive(r, &rs, C_NUM);
    /* the groups include region = municipalities and all ages = bands */
    bool muni_group = false, band_group = false;
    size_t m0114 = (size_t)(eng_cell(r, 0, efx_muni(f, "0114"), SEX_ALL, 0) - r->cells);
    size_t b1 = (size_t)(eng_cell(r, 0, 0, SEX_ALL, 1) - r->cells);
    for (size_t i = 0; i < rs.n; i++)
        for (size_t j = 1; j < rs.v[i].n; j++) {
            muni_group |= rs.v[i].cell[j] == m0114;
            band_group |= rs.v[i].cell[j] == b1;
        }
    assert_true(muni_group);
    assert_true(band_group);
    free(rs.v);
    assert_safe(r, false);
    assert_values_follow(r);
    struct rels all = { 0 };
    groups_of(r, 0, &all);
    hc_relations(f, r, 0, &all); /* with Halland's municipalities */
    check_additive(r, &all, C_NUM);
#if 1
    /* fixed (was ENGINE-BUG): as in test_cascade_tiny_region: 11 hidden cells of this
     * cube are recovered through "healthcare region = its regions and
     * Halland municipalities". */
    assert_int_equal(attack_subtract(r, &all, C_NUM), 0);
    assert_int_equal(attack_rank(r, &all, C_NUM, NULL), 0);
#endif
    free(all.v);
    eng_run_free(&run);
}

/* A rate whose population is below min_denominator: Gotland has 3 men of
 * 99 (data/population.csv). */
static void test_rate_small_population(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 1994, 'F', "0180", NULL);
    efx_act(f, 1, T(2024, 5, 1, 0, 0, 0));
    efx_parse(f, EFX_HDR("r99") "from act\nyears 2024-2024\nbands 30-30, 99-99\n"
                 "breakdown region, sex, band\n"
                 "measure r count persons per 100000 population\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    const struct eng_cell *c = eng_cell(r, 0, efx_reg(f, "09"), SEX_M, 2);
    NEAR(c->den, (double)geo_population_sum(&f->geo, "09", 'M', 99, 99), 0);
    assert_true(c->den < RULES.min_denominator);
    NEAR(c->num, 0, 0);
    assert_true(c->flags & ENG_HAS_VALUE);
#if 1
    /* fixed (was ENGINE-BUG): docs/indicators.md: "a rate, proportion, median or
     * survival whose denominator is below min_denominator is hidden
     * (denominator)"; sup.c's primary() checks no denominator for a
     * `count ... per N population` (the rate 0 per 3 men is shown). */
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
#endif
    /* the count goes with it: count and population would give the rate */
    assert_int_equal(c->sup_num, ENG_SUP_DENOMINATOR);
    /* Stockholm's woman of 30: count 1 hidden and the rate with it */
    c = eng_cell(r, 0, efx_reg(f, "01"), SEX_F, 1);
    NEAR(c->num, 1, 0);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    eng_run_free(&run);
}

/* Medians: a denominator (anchors with a value) of 1-4 is hidden; below 15
 * the value is hidden. */
static void test_median(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    int pid = 0;
    kn_time t = T(2024, 3, 1, 0, 0, 0);
    const struct { const char *muni; int n; } spec[] = { { "0180", 20 }, { "0380", 3 },
                                                         { "1280", 10 } };
    for (size_t i = 0; i < 3; i++)
        for (int k = 0; k < spec[i].n; k++) {
            efx_person(f, ++pid, 2004, k % 2 ? 'M' : 'F', spec[i].muni, NULL);
            efx_stay(f, pid, 1, t, t + (k + 1) * DAY);
        }
    efx_parse(f, EFX_HDR("md") "from stay\nyears 2024-2024\n"
                 "measure m median days of duration\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    const struct eng_cell *c = eng_cell(r, 0, efx_reg(f, "03"), SEX_ALL, 0);
    NEAR(c->den, 3, 0);
    assert_int_equal(c->sup_den, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    c = eng_cell(r, 0, efx_reg(f, "12"), SEX_ALL, 0);
    NEAR(c->den, 10, 0);
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
    c = eng_cell(r, 0, efx_reg(f, "01"), SEX_ALL, 0);
    NEAR(c->den, 20, 0);
    NEAR(c->value, 10.5, 1e-12);
    assert_int_equal(c->sup_value, 0);
    {
        struct rels rs = { 0 };
        groups_of(r, 0, &rs);
        check_additive(r, &rs, C_DEN);
        assert_int_equal(attack_subtract(r, &rs, C_DEN), 0);
        assert_int_equal(attack_rank(r, &rs, C_DEN, NULL), 0);
        free(rs.v);
    }
    eng_run_free(&run);
}

/* A standardised rate is a published weighted sum of the band counts: with
 * the total and all but two bands shown, a shown DSR gives the two hidden
 * bands away. Nation (all women): 10-14 3 acts, 15-19 40, 20-24 50. */
static void test_standardised_value(void **state)
{
    struct efx *f = *state;
    const int by[3] = { 2012, 2007, 2002 }, n[3] = { 3, 40, 50 };
    for (int k = 0; k < 3; k++) {
        efx_person(f, k + 1, by[k], 'F', "0180", NULL);
        for (int i = 0; i < n[k]; i++)
            efx_act(f, k + 1, T(2024, 1, 1, 0, 0, 0) + i * HOUR);
    }
    efx_parse(f, EFX_HDR("dsr") "from act\nyears 2024-2024\nwhere age 10-24\n"
                 "bands 10-14, 15-19, 20-24\nbreakdown region, sex, band\n"
                 "measure r count events per 100000 population standardised\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    assert_int_equal(eng_cell(r, 0, 0, SEX_ALL, 1)->sup_num, ENG_SUP_COUNT);
    assert_int_equal(eng_cell(r, 0, 0, SEX_ALL, 2)->sup_num, ENG_SUP_COMPLEMENTARY);
    assert_int_equal(eng_cell(r, 0, 0, SEX_ALL, 3)->sup_num, 0);
    const struct eng_cell *all = eng_cell(r, 0, 0, SEX_ALL, 0);
    assert_int_equal(all->sup_num, 0);
    assert_true(all->flags & ENG_HAS_VALUE);
    assert_safe(r, false);
    /* the attacker: V * sum(w) / 1e5 = sum(w_b c_b / p_b), c1 + c2 = 93 - 50 */
    double w[3], p[3], sw = 0;
    for (int k = 0; k < 3; k++) {
        for (size_t q = 0; q < f->geo.nesp2013; q++)
            if (f->geo.esp2013[q].age_from == 10 + 5 * k)
                w[k] = f->geo.esp2013[q].weight;
        p[k] = eng_cell(r, 0, 0, SEX_ALL, (size_t)k + 1)->den; /* published */
        sw += w[k];
    }
    double c12 = all->num - eng_cell(r, 0, 0, SEX_ALL, 3)->num;
    double c1 = (all->value * sw / 1e5 - w[1] * c12 / p[1] - w[2] * 50 / p[2]) /
                (w[0] / p[0] - w[1] / p[1]);
    (void)c1; /* = 3.000..., the hidden count */
#if 1
    /* fixed (was ENGINE-BUG): the standardised value of a cell whose band counts are
     * hidden is shown, and with the shown populations and ESP2013 weights
     * it gives the hidden band counts back (c1 = 3 exactly); docs/
     * indicators.md promises that no hidden cell can be recovered. */
    assert_true(fabs(c1 - 3) > 0.5 || all->sup_value != 0);
#endif
    eng_run_free(&run);
}

/* Survival and sums: a denominator below 15 hides the survival value; a
 * denominator of 1-4 hides a sum with its count of anchors. */
static void test_survival_and_sum(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    int pid = 0;
    kn_time t = T(2024, 2, 1, 0, 0, 0);
    const struct { const char *muni; int n; } spec[] = { { "0180", 30 }, { "0380", 8 },
                                                         { "1280", 2 } };
    for (size_t i = 0; i < 3; i++)
        for (int k = 0; k < spec[i].n; k++) {
            efx_person(f, ++pid, 2004, k % 2 ? 'M' : 'F', spec[i].muni, NULL);
            efx_stay(f, pid, 1, t, t + (k + 1) * DAY);
            if (k % 3 == 0)
                efx_stay(f, pid, 1, t + 40 * DAY, t + 41 * DAY);
        }
    efx_act(f, 1, T(2024, 12, 31, 0, 0, 0));
    efx_parse(f, EFX_HDR("sv") "from stay\npick first per person ever\nyears 2024-2024\n"
                 "measure s survival stay in end (0d, 90d]\nmeasure d sum days\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *s = efx_res(&run, "sv", "s"), *d = efx_res(&run, "sv", "d");
    const struct eng_cell *c = eng_cell(s, 0, efx_reg(f, "03"), SEX_ALL, 0);
    NEAR(c->den, 8, 0);
    NEAR(c->num, 3, 0);
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    c = eng_cell(s, 0, efx_reg(f, "01"), SEX_ALL, 0);
    NEAR(c->den, 30, 0);
    assert_int_equal(c->sup_value, 0);
    c = eng_cell(d, 0, efx_reg(f, "12"), SEX_ALL, 0);
    NEAR(c->den, 2, 0);
    NEAR(c->num, 3, 1e-12);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_equal(c->sup_den, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    assert_safe(s, true);
    assert_safe(d, true);
    assert_values_follow(s);
    assert_values_follow(d);
    eng_run_free(&run);
}

/* Persons without a home region count in the nation but in no region, so
 * nation - sum of regions is their count, published by subtraction though
 * no cell holds it: here 2 acts of one woman without a home region. */
static void test_unknown_region_residual(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_person(f, 2, 2004, 'M', "0180", NULL);
    efx_person(f, 3, 2004, 'F', NULL, NULL);
    for (int i = 0; i < 20; i++)
        efx_act(f, 1, T(2024, 1, 1, 0, 0, 0) + i * HOUR);
    for (int i = 0; i < 10; i++)
        efx_act(f, 2, T(2024, 1, 1, 0, 0, 0) + i * HOUR);
    efx_act(f, 3, T(2024, 2, 1, 0, 0, 0));
    efx_act(f, 3, T(2024, 3, 1, 0, 0, 0));
    efx_parse(f, EFX_HDR("un") "from act\nyears 2024-2024\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    assert_safe(r, false);
    double residual = eng_cell(r, 0, 0, SEX_F, 0)->num;
    bool any_hidden = eng_cell(r, 0, 0, SEX_F, 0)->sup_num != 0;
    for (size_t g = 1 + r->nhc; g < 1 + r->nhc + r->nregion; g++) {
        residual -= eng_cell(r, 0, g, SEX_F, 0)->num;
        any_hidden |= eng_cell(r, 0, g, SEX_F, 0)->sup_num != 0;
    }
    NEAR(residual, 2, 0);
    (void)any_hidden;
#if 1
    /* fixed (was ENGINE-BUG): the nation less its regions is a count of 2 (persons
     * without a home region), shown by subtraction: the unpublished
     * "unknown region" slot is not treated as a hidden member of the
     * nation = regions group (nor the persons without a municipality in
     * region = municipalities), against "a count between 1 and
     * min_count - 1 is hidden". */
    assert_true(any_hidden);
#endif
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_primary_counts),
        T_(test_primary_proportion),
        T_(test_cascade_tiny_region),
        T_(test_proportion_from_engine),
        T_(test_bands_and_municipalities),
        T_(test_rate_small_population),
        T_(test_median),
        T_(test_standardised_value),
        T_(test_survival_and_sum),
        T_(test_unknown_region_residual),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
