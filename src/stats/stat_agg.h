/* src/stats/stat_agg.h: statistics over aggregate CSV files.
 *
 * Much comparison data arrives as counts rather than persons (national
 * register extracts, published tables). stat_agg reads such a file, sums
 * its rows per group (the --by columns), and computes the same estimates
 * as the indicator engine, with the same functions (stat.h):
 *   proportion: columns numerator, denominator; Wilson interval;
 *   rate:       columns count, population; exact Poisson below 10, Byar;
 *   dsr:        columns age_group, count, population, one row per age
 *               group of each group; Dobson interval; ESP2013 weights
 *               unless a standard is given; not computed (note) below 10.
 * Output is CSV: the --by columns, the totals, then value, lower_95,
 * upper_95, lower_99_8, upper_99_8, note, in full double precision, one row
 * per group in the order groups first appear.
 */
#ifndef KNOD_STATS_STAT_AGG_H
#define KNOD_STATS_STAT_AGG_H

#include <stdio.h>

#include "base/error.h"

enum stat_agg_kind { STAT_AGG_PROPORTION, STAT_AGG_RATE, STAT_AGG_DSR };

/* One age group of a standard population. */
struct stat_std_band {
    const char *age_group;
    double weight;
};

struct stat_agg_options {
    enum stat_agg_kind kind;
    const char *in_path;       /* the aggregate CSV */
    const char *const *by;     /* grouping columns; NULL-terminated, may be empty */
    double multiplier;         /* 1 or 100 for proportions; any > 0 for rates */
    const struct stat_std_band *standard; /* dsr: the standard population */
    size_t nstandard;
};

/* Compute and write the result CSV to out. KN_EINPUT names file, line and
 * column of bad input (missing column, negative count, count above its
 * population, unknown age group, missing age group in a group). */
int stat_agg_run(const struct stat_agg_options *o, FILE *out, struct kn_error *err);

/* Read a standard population file (columns age_group, weight) into bands
 * living in the returned malloc'ed block (free it with free()). */
int stat_agg_read_standard(const char *path, struct stat_std_band **bands, size_t *n,
                           struct kn_error *err);

#endif /* KNOD_STATS_STAT_AGG_H */
