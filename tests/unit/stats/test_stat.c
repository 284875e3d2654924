/* tests/unit/stats/test_stat.c: src/stats/stat.c against published values.
 *
 * Sources of the expected figures:
 *  - Wilson: Newcombe RG, "Two-sided confidence intervals for the single
 *    proportion: comparison of seven methods", Stat Med 1998;17:857-872,
 *    Table II (score method without continuity correction).
 *  - Exact Poisson: the Garwood limits as tabulated for 95 % (e.g. in Ulm,
 *    Am J Epidemiol 1990;131:373-375, and in public-health CI tables).
 *  - Kaplan-Meier: Gehan's 6-MP remission data (Freireich et al. 1963), the
 *    textbook example, with Greenwood standard errors.
 *  - Median interval: the order-statistic ranks tabulated for n = 10.
 * The Dobson DSR is checked on properties that pin it down: with one
 * stratum it is the crude rate with its Poisson interval, and equal
 * age-specific rates give that rate whatever the weights.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats/stat.h"

#define NEAR(a, b, tol)                                                                 \
    do {                                                                                \
        double a_ = (a), b_ = (b);                                                      \
        if (!(fabs(a_ - b_) <= (tol)))                                                  \
            fail_msg("%s = %.10g, expected %.10g (tol %g)", #a, a_, b_, (double)(tol)); \
    } while (0)

static void test_normal_quantile(void **state)
{
    (void)state;
    NEAR(stat_z(0.95), 1.959963984540054, 1e-12);
    NEAR(stat_z(0.998), 3.090232306167813, 1e-12);
    NEAR(stat_z(0.99), 2.575829303548901, 1e-12);
    NEAR(stat_normal_quantile(0.5), 0.0, 1e-14);
    NEAR(stat_normal_quantile(0.025), -1.959963984540054, 1e-12);
}

static void test_gamma_p(void **state)
{
    (void)state;
    double xs[] = { 0.01, 0.5, 1, 2.5, 7, 30, 150 };
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        NEAR(stat_gamma_p(1, xs[i]), 1 - exp(-xs[i]), 1e-13);
        NEAR(stat_gamma_p(0.5, xs[i]), erf(sqrt(xs[i])), 1e-13);
        /* P(3, x) = 1 - e^-x (1 + x + x^2/2) */
        NEAR(stat_gamma_p(3, xs[i]), 1 - exp(-xs[i]) * (1 + xs[i] + xs[i] * xs[i] / 2), 1e-12);
    }
    NEAR(stat_gamma_p(1e6, 1e6), 0.5, 1e-3); /* large counts work */
}

static void test_wilson_newcombe(void **state)
{
    (void)state;
    static const struct { double x, n, lo, hi; } t[] = {
        { 81, 263, 0.2553, 0.3662 },
        { 15, 148, 0.0624, 0.1605 },
        { 0, 20, 0.0000, 0.1611 },
        { 1, 29, 0.0061, 0.1718 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct stat_ci c = stat_wilson(t[i].x, t[i].n, 0.95);
        NEAR(c.value, t[i].x / t[i].n, 1e-15);
        NEAR(c.lower, t[i].lo, 5e-5);
        NEAR(c.upper, t[i].hi, 5e-5);
    }
    struct stat_ci all = stat_wilson(20, 20, 0.95);
    NEAR(all.upper, 1.0, 0);
    NEAR(all.lower, 1 - 0.1611, 5e-5); /* symmetric to 0/20 */
    struct stat_ci wide = stat_wilson(15, 148, 0.998);
    struct stat_ci narrow = stat_wilson(15, 148, 0.95);
    assert_true(wide.lower < narrow.lower && wide.upper > narrow.upper);
}

static void test_poisson_exact_garwood(void **state)
{
    (void)state;
    static const struct { double o, lo, hi; } t[] = {
        { 0, 0, 3.6889 },      { 1, 0.0253, 5.5716 }, { 2, 0.2422, 7.2247 },
        { 3, 0.6187, 8.7673 }, { 4, 1.0899, 10.2416 }, { 5, 1.6235, 11.6683 },
        { 10, 4.7954, 18.3904 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct stat_ci c = stat_poisson_exact(t[i].o, 0.95);
        NEAR(c.value, t[i].o, 0);
        NEAR(c.lower, t[i].lo, 5e-5);
        NEAR(c.upper, t[i].hi, 5e-5);
    }
}

static void test_byar(void **state)
{
    (void)state;
    /* The closed form, worked by hand for o = 10 at 95 %. */
    double z = 1.959963984540054;
    double f = 1 - 1.0 / 90 - z / (3 * sqrt(10.0));
    double g = 1 - 1.0 / 99 + z / (3 * sqrt(11.0));
    struct stat_ci b = stat_poisson_byar(10, 0.95);
    NEAR(b.lower, 10 * f * f * f, 1e-12);
    NEAR(b.upper, 11 * g * g * g, 1e-12);
    /* Byar approximates the exact limits ever closer as counts grow. */
    double counts[] = { 10, 50, 200, 1000, 100000 };
    double tol[] = { 0.01, 0.002, 0.0005, 0.0001, 1e-6 };
    for (size_t i = 0; i < 5; i++) {
        struct stat_ci e = stat_poisson_exact(counts[i], 0.95);
        struct stat_ci a = stat_poisson_byar(counts[i], 0.95);
        NEAR(a.lower / e.lower, 1, tol[i]);
        NEAR(a.upper / e.upper, 1, tol[i]);
    }
    /* stat_poisson switches at 10. */
    NEAR(stat_poisson(9, 0.95).lower, stat_poisson_exact(9, 0.95).lower, 0);
    NEAR(stat_poisson(10, 0.95).lower, stat_poisson_byar(10, 0.95).lower, 0);
}

static void test_rate(void **state)
{
    (void)state;
    struct stat_ci r = stat_rate(5, 20000, 100000, 0.95);
    NEAR(r.value, 25, 1e-12);
    NEAR(r.lower, 1.6235 * 5, 5e-4);
    NEAR(r.upper, 11.6683 * 5, 5e-4);
}

static void test_dsr(void **state)
{
    (void)state;
    struct stat_ci d;
    /* One stratum: the crude rate and its interval. */
    struct stat_stratum one = { 42, 12345, 5500 };
    assert_true(stat_dsr(&one, 1, 100000, 0.95, &d));
    struct stat_ci r = stat_rate(42, 12345, 100000, 0.95);
    NEAR(d.value, r.value, 1e-9);
    NEAR(d.lower, r.lower, 1e-9);
    NEAR(d.upper, r.upper, 1e-9);
    /* Equal rates in every stratum: the DSR is that rate. */
    struct stat_stratum eq[] = { { 10, 10000, 5500 }, { 30, 30000, 5500 },
                                 { 7, 7000, 6000 }, { 100, 100000, 500 } };
    assert_true(stat_dsr(eq, 4, 100000, 0.95, &d));
    NEAR(d.value, 100, 1e-9);
    assert_true(d.lower < 100 && d.upper > 100);
    /* Too few events: not computed. */
    struct stat_stratum few[] = { { 4, 1000, 1 }, { 5, 1000, 1 } };
    d.value = -1;
    assert_false(stat_dsr(few, 2, 100000, 0.95, &d));
    NEAR(d.value, -1, 0);
    /* Weights change the value as the standard says: two strata. */
    struct stat_stratum two[] = { { 30, 10000, 5000 }, { 20, 20000, 5000 } };
    assert_true(stat_dsr(two, 2, 100000, 0.95, &d));
    NEAR(d.value, 200, 1e-9);
    /* Dobson: value + sqrt(var/O) * (O_L - O), var = sum w^2 O / n^2 / W^2. */
    double var = (5000.0 * 5000 * 30 / 1e8 + 5000.0 * 5000 * 20 / 4e8) / 1e8;
    struct stat_ci o = stat_poisson(50, 0.95);
    NEAR(d.lower, (0.002 + sqrt(var / 50) * (o.lower - 50)) * 1e5, 1e-9);
    NEAR(d.upper, (0.002 + sqrt(var / 50) * (o.upper - 50)) * 1e5, 1e-9);
}

static void test_median(void **state)
{
    (void)state;
    double v[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    struct stat_ci m = stat_median(v, 10, 0.95);
    NEAR(m.value, 5.5, 0);
    NEAR(m.lower, 2, 0); /* x(2) */
    NEAR(m.upper, 9, 0); /* x(9) */
    double w[5] = { 3, 4, 8, 9, 20 };
    m = stat_median(w, 5, 0.95);
    NEAR(m.value, 8, 0);
    NEAR(m.lower, 3, 0); /* n = 5 is too small for 95 %: the range */
    NEAR(m.upper, 20, 0);
    double one[1] = { 7 };
    m = stat_median(one, 1, 0.95);
    NEAR(m.value, 7, 0);
}

/* The rank by summing the binomial pmf from 0 with lgamma (the definition). */
static size_t rank_direct(size_t n, double level)
{
    double half_alpha = (1 - level) / 2, cdf = 0;
    size_t j = 0;
    for (size_t cand = 1; cand <= n / 2; cand++) {
        size_t k = cand - 1;
        cdf += exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma((double)(n - k) + 1.0) -
                   (double)n * M_LN2);
        if (cdf > half_alpha)
            break;
        j = cand;
    }
    return j;
}

static void test_median_rank(void **state)
{
    (void)state;
    static const size_t ns[] = { 1, 2, 5, 6, 9, 10, 17, 50, 71, 100, 333, 1000, 2500, 10001 };
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        assert_int_equal(stat_median_rank(ns[i], 0.95), rank_direct(ns[i], 0.95));
        assert_int_equal(stat_median_rank(ns[i], 0.998), rank_direct(ns[i], 0.998));
    }
    /* known: n = 10 at 95 % gives x(2) .. x(9) */
    assert_int_equal(stat_median_rank(10, 0.95), 2);
}

static void test_kaplan_meier_gehan(void **state)
{
    (void)state;
    static const double t[] = { 6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16,
                                17, 19, 20, 22, 23, 25, 32, 32, 34, 35 };
    static const bool ev[] = { 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 };
    double ot[21], os[21], se[21];
    size_t n = stat_kaplan_meier(t, ev, 21, ot, os, se);
    assert_int_equal(n, 7);
    static const double wt[] = { 6, 7, 10, 13, 16, 22, 23 };
    static const double ws[] = { 0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482 };
    static const double wse[] = { 0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346 };
    for (size_t i = 0; i < n; i++) {
        NEAR(ot[i], wt[i], 0);
        NEAR(os[i], ws[i], 5e-5);
        NEAR(se[i], wse[i], 5e-5);
    }
}

/* No event among n: the exact (Clopper-Pearson) two-sided upper limit,
 * 1 - (alpha/2)^(1/n). Published values: 0 of 10 at 95 % gives 0 to
 * 0.3085, 0 of 20 0 to 0.1684 (the exact binomial tables, e.g. Geigy
 * Scientific Tables; Clopper and Pearson, Biometrika 1934;26:404-13). The
 * rule of three (Hanley and Lippman-Hand, JAMA 1983) gives 3/n for the
 * one-sided 95 % limit, which the two-sided 95 % (one-sided 97.5 %) limit
 * exceeds: 3/n < upper < 3.7/n for n = 665 (sh-suicide-12m's 0 of 665). */
/* Funnel limits (Spiegelhalter's normal approximations), by hand: a
 * proportion 0.2 of 100 has sqrt(0.2 * 0.8 / 100) = 0.04, so 0.2 +- 1.959964
 * * 0.04 at 95 % and 0.2 +- 3.090232 * 0.04 at 99.8 %; a lower limit below 0
 * is 0. A rate of 0.01 per person in 10 000 expects E = 100 events, so
 * (100 +- 1.959964 * 10) / 10 000. */
static void test_funnel(void **state)
{
    (void)state;
    struct stat_ci f = stat_funnel_proportion(0.2, 100, 0.95);
    NEAR(f.value, 0.2, 1e-15);
    NEAR(f.lower, 0.2 - 1.959963984540054 * 0.04, 1e-12);
    NEAR(f.upper, 0.2 + 1.959963984540054 * 0.04, 1e-12);
    f = stat_funnel_proportion(0.2, 100, 0.998);
    NEAR(f.lower, 0.2 - 3.090232306167813 * 0.04, 1e-12);
    NEAR(f.upper, 0.2 + 3.090232306167813 * 0.04, 1e-12);
    f = stat_funnel_proportion(0.02, 10, 0.95);
    NEAR(f.lower, 0.0, 0);
    NEAR(f.upper, 0.02 + 1.959963984540054 * sqrt(0.02 * 0.98 / 10), 1e-12);
    f = stat_funnel_proportion(0.999, 10, 0.998);
    NEAR(f.upper, 1.0, 0);
    f = stat_funnel_rate(0.01, 10000, 0.95);
    NEAR(f.lower, (100 - 1.959963984540054 * 10) / 10000, 1e-14);
    NEAR(f.upper, (100 + 1.959963984540054 * 10) / 10000, 1e-14);
    f = stat_funnel_rate(0.0001, 100, 0.998); /* E = 0.01: the lower limit is 0 */
    NEAR(f.lower, 0.0, 0);
    /* the limits narrow as n grows */
    struct stat_ci a = stat_funnel_rate(0.01, 1000, 0.95), b = stat_funnel_rate(0.01, 4000, 0.95);
    NEAR(b.upper - b.lower, (a.upper - a.lower) / 2, 1e-14);
}

static void test_zero_upper(void **state)
{
    (void)state;
    NEAR(stat_zero_upper(10, 0.95), 0.3085, 5e-5);
    NEAR(stat_zero_upper(20, 0.95), 0.1684, 5e-5);
    double u = stat_zero_upper(665, 0.95);
    NEAR(u, 1 - pow(0.025, 1.0 / 665), 1e-15);
    assert_true(u > 3.0 / 665 && u < 3.7 / 665);
    /* its one-sided 95 % twin is the rule of three's exact form */
    NEAR(stat_zero_upper(665, 0.90), 1 - pow(0.05, 1.0 / 665), 1e-15);
    NEAR(stat_zero_upper(665, 0.90) * 665, 3, 0.02); /* -ln 0.05 = 2.996 */
    assert_true(stat_zero_upper(665, 0.998) > u);
    NEAR(stat_zero_upper(0, 0.95), 1, 0);
    NEAR(stat_zero_upper(1, 0.95), 0.975, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_quantile),
        cmocka_unit_test(test_gamma_p),
        cmocka_unit_test(test_wilson_newcombe),
        cmocka_unit_test(test_poisson_exact_garwood),
        cmocka_unit_test(test_byar),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_dsr),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_median_rank),
        cmocka_unit_test(test_kaplan_meier_gehan),
        cmocka_unit_test(test_zero_upper),
        cmocka_unit_test(test_funnel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
