/* src/stats/sup.h: disclosure control of result cubes.
 *
 * Primary suppression (knod.ini [disclosure]): a count from 1 to
 * min_count - 1 is hidden (reason count); a rate, proportion, median or
 * survival whose denominator is below min_denominator is hidden
 * (denominator); a value whose count is hidden is hidden with it.
 *
 * Complementary suppression: the published cells of one period form
 * additive groups (both sexes = F + M; all ages = the bands; the nation =
 * the regions; the nation = the healthcare regions; a healthcare region =
 * its regions, or for a region split between healthcare regions (Halland)
 * its municipalities there, and the healthcare regions a split region
 * joins = all their regions; a region = its municipalities or units). A
 * group with exactly one hidden member would give that member away by
 * subtraction, so a second member is hidden: the smallest non-zero part
 * that is shown (else the smallest part, else a total). What a group's
 * totals hold beyond its published parts (persons without a home region
 * or municipality, ages outside the bands) counts as a hidden member when
 * it is a small count itself. This repeats over all groups until no group
 * has exactly one hidden member. Each count of a measure (numerator and
 * denominator of a proportion) is protected on its own; a value is hidden
 * when any of its counts is, and a standardised rate when any of its
 * bands' counts is.
 */
#ifndef KNOD_STATS_SUP_H
#define KNOD_STATS_SUP_H

#include "stats/eng.h"

struct sup_rules {
    int min_count;       /* counts 1 .. min_count - 1 are hidden */
    int min_denominator; /* values over fewer are hidden */
};

/* Set the sup_* fields of every published cell of every result, and
 * run->suppressed (outputs of a run without it are marked). */
void sup_apply(struct eng_run *run, const struct sup_rules *rules);

/* Is anything of the cell hidden (numerator, denominator or value)? */
bool sup_hidden(const struct eng_cell *c);

/* Why: "count", "denominator", "complementary", or "" when nothing is. */
const char *sup_reason(const struct eng_cell *c);

/* The additive groups of result r in period p over its published cells:
 * calls fn(cells, n, ntotal, ctx) with cells[0 .. ntotal-1] the totals and
 * the rest their parts (sum of totals = sum of parts + what is not
 * published). Exposed for the tests, which attack the groups. */
void sup_groups(const struct eng_result *r, int p,
                void (*fn)(struct eng_cell **cells, size_t n, size_t ntotal, void *ctx),
                void *ctx);

#endif /* KNOD_STATS_SUP_H */
