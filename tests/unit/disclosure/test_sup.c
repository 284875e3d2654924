/* tests/unit/disclosure/test_sup.c: disclosure control (src/disclosure/sup.c)
 * against docs/indicators.md, "Disclosure control": counts and
 * proportions.
 *
 * Primary suppression is checked cell by cell on cubes built by hand and
 * on cubes from the engine (eng_fixture.h); complementary suppression is
 * attacked (sup_attack.h) through the groups of sup_groups() and through
 * the further true relations of the geography (a healthcare region = its
 * regions), and must give nothing away, the unknown home region included.
 * Rates, medians, standardised rates, survival and sums are in
 * test_sup_measures.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "disclosure/sup.h"
#include "sup_attack.h"

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
    assert_int_not_equal(x->sup_den, 0); /* a hidden cell shows no number at all */
    x = eng_cell(&r, 0, efx_reg(f, "05"), SEX_F, 0);
    assert_int_equal(x->sup_value, ENG_SUP_DENOMINATOR);
    assert_int_equal(x->sup_num, ENG_SUP_DENOMINATOR);
    assert_int_not_equal(x->sup_den, 0); /* a hidden cell shows no number at all */
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
        T_(test_unknown_region_residual),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
