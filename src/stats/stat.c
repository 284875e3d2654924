/* src/stats/stat.c: confidence intervals and estimators. See stat.h.
 *
 * The special functions are computed from their definitions: P(a, x) by
 * its power series for x < a + 1 and by the continued fraction of Q(a, x)
 * (modified Lentz) otherwise, in log space so that counts of millions
 * work; quantiles by bisection on monotone functions to full double
 * precision. The engine calls these per result cell (thousands, not
 * millions), so clarity wins over speed here.
 */
#include "stats/stat.h"

#include <assert.h>
#include <float.h>
#include <math.h>

double stat_normal_quantile(double p)
{
    assert(p > 0 && p < 1);
    /* Bisection on Phi(z) = erfc(-z / sqrt 2) / 2, then two Newton steps. */
    double lo = -40, hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / M_SQRT2) < p)
            lo = mid;
        else
            hi = mid;
    }
    double z = (lo + hi) / 2;
    for (int i = 0; i < 2; i++) {
        double f = 0.5 * erfc(-z / M_SQRT2) - p;
        double d = exp(-0.5 * z * z) / sqrt(2 * M_PI);
        if (d > 0)
            z -= f / d;
    }
    return z;
}

double stat_z(double level)
{
    assert(level > 0 && level < 1);
    /* the two levels knod reports, computed once (the engine asks for
     * them for every cell) */
    static _Thread_local double z95, z998;
    if (level == 0.95)
        return z95 ? z95 : (z95 = stat_normal_quantile(0.975));
    if (level == 0.998)
        return z998 ? z998 : (z998 = stat_normal_quantile(0.999));
    return stat_normal_quantile(1 - (1 - level) / 2);
}

static double gamma_series(double a, double x)
{
    double sum = 1 / a, term = sum;
    for (int n = 1; n < 100000; n++) {
        term *= x / (a + n);
        sum += term;
        if (fabs(term) < fabs(sum) * DBL_EPSILON)
            break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
}

static double gamma_cf_q(double a, double x)
{
    const double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 100000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < DBL_EPSILON)
            break;
    }
    return exp(-x + a * log(x) - lgamma(a)) * h;
}

double stat_gamma_p(double a, double x)
{
    assert(a > 0 && x >= 0);
    if (x == 0)
        return 0;
    if (x < a + 1)
        return gamma_series(a, x);
    return 1 - gamma_cf_q(a, x);
}

struct stat_ci stat_wilson(double x, double n, double level)
{
    assert(n > 0 && x >= 0 && x <= n);
    double z = stat_z(level), z2 = z * z, p = x / n;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = z / denom * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    struct stat_ci ci = { p, centre - half, centre + half };
    if (x == 0)
        ci.lower = 0;
    if (x == n)
        ci.upper = 1;
    return ci;
}

/* The x with P(a, x) = target, P increasing in x. */
static double gamma_p_inverse(double a, double target)
{
    double lo = 0, hi = a + 10 * sqrt(a) + 50;
    while (stat_gamma_p(a, hi) < target)
        hi *= 2;
    for (int i = 0; i < 300 && hi - lo > 1e-14 * (1 + hi); i++) {
        double mid = (lo + hi) / 2;
        if (stat_gamma_p(a, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

struct stat_ci stat_poisson_exact(double o, double level)
{
    assert(o >= 0);
    double alpha = 1 - level;
    struct stat_ci ci = { o, 0, 0 };
    /* P(X >= o; L) = P(o, L) (gamma with shape o); P(X <= o; U) = Q(o+1, U). */
    if (o > 0)
        ci.lower = gamma_p_inverse(o, alpha / 2);
    ci.upper = gamma_p_inverse(o + 1, 1 - alpha / 2);
    return ci;
}

struct stat_ci stat_poisson_byar(double o, double level)
{
    assert(o >= 0);
    double z = stat_z(level);
    struct stat_ci ci = { o, 0, 0 };
    if (o > 0) {
        double f = 1 - 1 / (9 * o) - z / (3 * sqrt(o));
        ci.lower = o * f * f * f;
    }
    double u = o + 1;
    double g = 1 - 1 / (9 * u) + z / (3 * sqrt(u));
    ci.upper = u * g * g * g;
    return ci;
}

struct stat_ci stat_poisson(double o, double level)
{
    return o < STAT_BYAR_FROM ? stat_poisson_exact(o, level) : stat_poisson_byar(o, level);
}

struct stat_ci stat_rate(double o, double population, double multiplier, double level)
{
    assert(population > 0);
    struct stat_ci c = stat_poisson(o, level);
    double k = multiplier / population;
    struct stat_ci r = { o * k, c.lower * k, c.upper * k };
    return r;
}

bool stat_dsr(const struct stat_stratum *s, size_t n, double multiplier, double level,
              struct stat_ci *out)
{
    double total = 0, wsum = 0, dsr = 0, var = 0;
    for (size_t i = 0; i < n; i++) {
        assert(s[i].population > 0 && s[i].weight > 0 && s[i].count >= 0);
        total += s[i].count;
        wsum += s[i].weight;
        dsr += s[i].weight * s[i].count / s[i].population;
        var += s[i].weight * s[i].weight * s[i].count / (s[i].population * s[i].population);
    }
    if (total < STAT_DSR_MIN || wsum <= 0)
        return false;
    dsr /= wsum;
    var /= wsum * wsum;
    /* Dobson et al. (1991): scale the Poisson limits of the total count
     * by sqrt(var(DSR) / var(O)), with var(O) = O. */
    struct stat_ci c = stat_poisson(total, level);
    double k = sqrt(var / total);
    out->value = dsr * multiplier;
    out->lower = (dsr + k * (c.lower - total)) * multiplier;
    out->upper = (dsr + k * (c.upper - total)) * multiplier;
    return true;
}

size_t stat_median_rank(size_t n, double level)
{
    /* Largest j (1-based) with P(B <= j - 1) <= alpha/2, B ~ Binomial(n, 1/2);
     * the interval [x(j), x(n+1-j)] covers the median with probability >=
     * level. cdf = P(B <= cand - 1), by the recurrence pmf(i + 1) = pmf(i)
     * (n - i) / (i + 1): linear in j, one multiplication a step. */
    double half_alpha = (1 - level) / 2;
    size_t j = 0;
    /* Start where the lower tail is below 1e-40 (12 standard deviations,
     * sd = sqrt(n) / 2, under the median): what is left out cannot move
     * the comparison with alpha / 2 >= 0.0005. */
    double skip = (double)n / 2 - 6 * sqrt((double)n) - 1;
    size_t first = skip > 1 ? (size_t)skip : 1;
    j = first - 1;
    double pmf = exp(lgamma(n + 1.0) - lgamma((double)first) -
                     lgamma((double)(n - first) + 2.0) - (double)n * M_LN2),
           cdf = 0;
    for (size_t cand = first; cand <= n / 2; cand++) {
        size_t i = cand - 1;
        cdf += pmf;
        if (cdf > half_alpha)
            break;
        j = cand;
        pmf *= (double)(n - i) / (double)(i + 1);
    }
    return j;
}

struct stat_ci stat_median(const double *v, size_t n, double level)
{
    assert(n > 0);
    struct stat_ci ci;
    ci.value = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    size_t j = stat_median_rank(n, level);
    ci.lower = j ? v[j - 1] : v[0];
    ci.upper = j ? v[n - j] : v[n - 1];
    return ci;
}

double stat_zero_upper(double n, double level)
{
    if (n < 1)
        return 1;
    return 1 - pow((1 - level) / 2, 1 / n);
}

struct stat_ci stat_funnel_proportion(double p0, double n, double level)
{
    assert(n > 0);
    double h = stat_z(level) * sqrt(p0 * (1 - p0) / n);
    return (struct stat_ci){ p0, fmax(0, p0 - h), fmin(1, p0 + h) };
}

struct stat_ci stat_funnel_rate(double r0, double n, double level)
{
    assert(n > 0);
    double expect = r0 * n, h = stat_z(level) * sqrt(expect);
    return (struct stat_ci){ r0, fmax(0, expect - h) / n, (expect + h) / n };
}

size_t stat_kaplan_meier(const double *t, const bool *event, size_t n, double *out_t,
                         double *out_s, double *out_se)
{
    double s = 1, green = 0;
    size_t at_risk = n, points = 0, i = 0;
    while (i < n) {
        double time = t[i];
        size_t d = 0, c = 0;
        while (i < n && t[i] == time) {
            if (event[i])
                d++;
            else
                c++;
            i++;
        }
        if (d > 0) {
            s *= 1 - (double)d / (double)at_risk;
            if (at_risk > d)
                green += (double)d / ((double)at_risk * (double)(at_risk - d));
            out_t[points] = time;
            out_s[points] = s;
            if (out_se != NULL)
                out_se[points] = s * sqrt(green);
            points++;
        }
        at_risk -= d + c;
    }
    return points;
}
