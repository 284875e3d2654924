/* src/stats/stat.h: the statistics of knod's indicators.
 *
 * Point estimates and confidence intervals for the measures the indicator
 * engine reports, in the forms used by public-health statistics:
 *  - proportions: Wilson score interval;
 *  - counts and crude rates: exact (Garwood) Poisson interval for counts
 *    below 10, Byar's approximation from 10 upward;
 *  - directly age-standardised rates: the Dobson method around the Poisson
 *    interval of the total count; not computed below 10 events;
 *  - medians: a distribution-free interval from order statistics;
 *  - time to event: Kaplan-Meier with Greenwood's variance.
 * Every function is pure, thread-safe and allocation-free unless it says
 * otherwise. Confidence levels are fractions (0.95, 0.998). Inputs are
 * checked by callers (the engine, `knod stats`); these functions assert
 * their preconditions.
 */
#ifndef KNOD_STATS_STAT_H
#define KNOD_STATS_STAT_H

#include <stdbool.h>
#include <stddef.h>

#define STAT_BYAR_FROM 10 /* counts from here on use Byar's method */
#define STAT_DSR_MIN 10   /* a DSR needs at least this many events */

struct stat_ci {
    double value;
    double lower;
    double upper;
};

/* The standard normal quantile: z with P(Z <= z) = p, 0 < p < 1. */
double stat_normal_quantile(double p);

/* z for a two-sided interval of the given level (0.95 -> 1.959964). */
double stat_z(double level);

/* Regularised lower incomplete gamma function P(a, x), a > 0, x >= 0. */
double stat_gamma_p(double a, double x);

/* Wilson score interval of x successes in n trials (0 <= x <= n, n > 0). */
struct stat_ci stat_wilson(double x, double n, double level);

/* Exact (Garwood) Poisson limits for a count o >= 0: lower solves
 * P(X >= o; L) = alpha/2 (0 for o = 0), upper P(X <= o; U) = alpha/2. */
struct stat_ci stat_poisson_exact(double o, double level);

/* Byar's approximation to the same limits (o >= 0). */
struct stat_ci stat_poisson_byar(double o, double level);

/* The count interval knod reports: exact below STAT_BYAR_FROM, else Byar. */
struct stat_ci stat_poisson(double o, double level);

/* Crude rate o / population * multiplier with the stat_poisson interval. */
struct stat_ci stat_rate(double o, double population, double multiplier, double level);

/* One age group of a directly standardised rate. */
struct stat_stratum {
    double count;      /* events */
    double population; /* persons (or person-time) at risk, > 0 */
    double weight;     /* standard population weight, > 0 */
};

/* Directly standardised rate per `multiplier` with the Dobson interval.
 * Returns false (and leaves *out untouched) when the total count is below
 * STAT_DSR_MIN: too few events for a stable standardised rate. */
bool stat_dsr(const struct stat_stratum *s, size_t n, double multiplier, double level,
              struct stat_ci *out);

/* The median of v[0..n-1] (sorted ascending, n > 0) with a distribution-
 * free interval from the order statistics: the ranks j < k such that
 * Binomial(n, 1/2) puts at least `level` between them. When n is too
 * small for the level the limits are the smallest and largest values. */
struct stat_ci stat_median(const double *sorted, size_t n, double level);

/* The rank j (1-based; 0 if n is too small) of that interval's lower limit
 * x(j); the upper is x(n + 1 - j). */
size_t stat_median_rank(size_t n, double level);

/* The exact (Clopper-Pearson) upper limit of a proportion with no event
 * among n trials, two-sided at the given level: 1 - ((1 - level) / 2)^(1/n)
 * (0.95, n = 10: 0.3085); 1 when n is 0. About 3.7 / n at 95 %; the "rule
 * of three", 3 / n, approximates its one-sided 95 % version,
 * 1 - 0.05^(1/n) (Hanley and Lippman-Hand, JAMA 1983;249:1743-5). */
double stat_zero_upper(double n, double level);

/* Funnel-plot control limits at the given level around a centre: where
 * the value of a place of size n > 0 lies by chance alone if its true
 * value is the centre's (Spiegelhalter, Stat Med 2005;24:1185-202, the
 * normal approximations). A proportion p0 (0..1) of n:
 * p0 +- z sqrt(p0 (1 - p0) / n), kept within [0, 1]. A rate r0 (events per
 * person) in a population of n: with E = r0 n expected events,
 * (E +- z sqrt(E)) / n, at least 0. value is the centre. The engine
 * classifies places and the portal draws the curves with these. */
struct stat_ci stat_funnel_proportion(double p0, double n, double level);
struct stat_ci stat_funnel_rate(double r0, double n, double level);

/* Kaplan-Meier: times t[0..n-1] with event[i] true for an event and false
 * for a censored observation, sorted by time ascending (events before
 * censorings at the same time). The survival curve is written at each
 * distinct event time into out_t/out_s (and Greenwood standard errors into
 * out_se, which may be NULL); returns the number of points written (at
 * most n). */
size_t stat_kaplan_meier(const double *t, const bool *event, size_t n, double *out_t,
                         double *out_s, double *out_se);

#endif /* KNOD_STATS_STAT_H */
