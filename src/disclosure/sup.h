/* src/disclosure/sup.h: disclosure control of result cubes.
 *
 * The rule (docs/indicators.md, "Disclosure control"): a hidden cell carries
 * no number at all, in any measure of its indicator. The cell (period,
 * place, sex, band) is hidden or shown for all the measures of one
 * definition together, since they share their counts (a rate and its
 * persons, a standardised and a crude rate, a sum of days and the median
 * of the same stays): a number hidden in one measure must not stand in a
 * sibling. A hidden cell has all its flags set (numerator, denominator,
 * value), so no output shows any number of it.
 *
 * Primary suppression (knod.ini [disclosure]) in any measure hides the
 * cell: a count from 1 to min_count - 1 (reason count); a rate,
 * proportion, median or survival whose denominator is below
 * min_denominator (denominator).
 *
 * Complementary suppression: the published cells of one period form
 * additive groups (both sexes = F + M; all ages = the bands; the nation =
 * the regions; the nation = the healthcare regions; a healthcare region =
 * its regions, or for a region split between healthcare regions (Halland)
 * its municipalities there, and the healthcare regions a split region
 * joins = all their regions; a region = its municipalities or units). A
 * group with exactly one hidden cell would give away each of that cell's
 * counts (every numerator and denominator of every measure that is a count
 * from the registry; a rate's population is SCB's and public) by
 * subtraction, so a second cell is hidden: the smallest shown part with a
 * non-zero count (else any shown part, else a total). What a group's
 * totals hold beyond its published parts (persons without a home region
 * or municipality, ages outside the bands) counts as a hidden member when
 * it is a small count of some measure. A standardised rate of all ages is
 * a weighted sum of its bands' counts: it is hidden with any band. This
 * repeats until no group has exactly one hidden member. A ratio is hidden
 * where either of its measures is (its operands are protected in their
 * own measures).
 *
 * Across definitions: definitions that count the same events (the same
 * `from`, `where` in any order, `pick`, `period` and `geo`: equal
 * sup_population()) publish the same counts with different measures and
 * breakdowns (sh-young-rate, -rate-band, -rate-std and -municipality). A
 * cell (period, place, sex, age band of the same ages) hidden in one is
 * hidden in each of the others, and each one's complementary suppression
 * runs again, until no definition hides another cell.
 *
 * Nested populations (sup_nest.c): where one definition's events lie
 * within another's (read from the compiled definitions), the difference
 * of their counts in a cell is a count published nowhere; a small one
 * hides the inner cell, and the differences are protected over places and
 * sexes like a cube of their own, in the same loop. A cell hidden there is
 * a hidden cell like any other: the inner definition's complementary
 * suppression and the links above run again on it, to a fixed point
 * (whether a definition changed is read from its count of hidden cells).
 *
 * The reason a measure gives is its own primary reason, or complementary
 * when the cell is hidden for another cell's, measure's or definition's
 * sake.
 *
 * By calendar period (sup_apply_from, sup_since.c): the closure above
 * falls apart into one closure per calendar period, a (period length,
 * first month) such as the year 2024 or the month 2024-03. Every step
 * reads and hides cells of one period only: primary suppression is per
 * cell; each additive group lies within one period of one definition
 * (sup_groups); a standardised rate is hidden with a band of the same
 * period; definitions are linked (same events, same counts in a period,
 * nested populations) only cell for cell in the same calendar period of
 * the same length (sup_same_period: quarters never meet years); a ratio
 * reads its operands' cells in the same period. Whether a step runs on a
 * period (a definition's closure going again, a pair of definitions
 * crossing, a nested pair closed again) depends on what changed, and a
 * step over a period that did not change since it last hid nothing hides
 * nothing again. So each calendar period ends in the fixed point the
 * whole closure reaches there, a function of that period's cells alone
 * (their numerators, denominators and flags, in every definition with
 * that period), the definitions and the rules. Nothing links periods:
 * no rule compares a period with another (a trend, a difference of two
 * years, a rolling window's overlap), so a period's hidden cells may be
 * derived from nothing outside it; were such a rule added, the periods it
 * joins would have to be closed together. A generation then keeps the
 * last one's suppression of every calendar period in which no cell of any
 * definition changed (eng_result.period_changed) and closes only the
 * others, over every definition that has them.
 */
#ifndef KNOD_STATS_SUP_H
#define KNOD_STATS_SUP_H

#include "engine/eng.h"

struct sup_rules {
    int min_count;       /* counts 1 .. min_count - 1 are hidden */
    int min_denominator; /* values over fewer are hidden */
};

/* Set the sup_* fields of every published cell of every result, and
 * run->suppressed (outputs of a run without it are marked). */
void sup_apply(struct eng_run *run, const struct sup_rules *rules);

/* What sup_apply_from did: the calendar periods (a period length and its
 * first month) of the run, and those closed again. */
struct sup_stat {
    size_t periods, closed;
};

/* sup_apply(), given last: the same results' last generation, suppressed
 * by the same rules (or NULL). Where the run's results say which periods
 * changed since last (period_changed) and their shapes, places and valid
 * periods are last's, every calendar period without a changed cell keeps
 * last's suppression and only the others are closed; else the whole run
 * is. The same outcome as sup_apply() in every cell (see above). st may
 * be NULL. */
void sup_apply_from(struct eng_run *run, const struct sup_rules *rules,
                    const struct eng_run *last, struct sup_stat *st);

/* A hash of what selects the events a definition counts: `from`, the
 * `where` conditions as compiled (in any order), `pick`, `period` and
 * `geo`; not its measures, bands, breakdown, years or texts. Equal for
 * definitions that count the same events. */
uint64_t sup_population(const struct ind_def *d);

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
