/* src/engine/eng.h: the indicator engine.
 *
 * eng_run() evaluates a set of indicator definitions over a snapshot in
 * one pass over the person timelines (split between threads), into one
 * result cube per definition and measure. A cube has a cell for every
 * period x place x sex x age band, including cells without events:
 *
 *   place: the nation, the healthcare regions, the regions, and the finer
 *          level (municipalities with `geo person`, care units with
 *          `geo unit`), in that order (eng_geo_*);
 *   sex:   0 both, 1 F, 2 M;
 *   band:  0 all ages, 1.. the definition's bands.
 *
 * Each cell carries numerator, denominator, value and the 95 % and 99.8 %
 * intervals of the measure (docs/indicators.md, "Measures"), and room for
 * the suppression flags of sup.h. Results are computed unsuppressed; the
 * caller applies disclosure control before anything leaves person-level
 * scope.
 */
#ifndef KNOD_STATS_ENG_H
#define KNOD_STATS_ENG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/period.h"
#include "lang/ind.h"
#include "snapshot/snap.h"

enum eng_cell_flag {
    ENG_HAS_NUM = 1,   /* numerator is a number */
    ENG_HAS_DEN = 2,   /* denominator is a number */
    ENG_HAS_VALUE = 4, /* value is a number */
    ENG_HAS_CI = 8,    /* the intervals are numbers */
    ENG_HAS_FUNNEL = 16, /* the funnel limits are numbers */
};

enum eng_sup_reason {
    ENG_SUP_NONE = 0,
    ENG_SUP_COUNT,         /* a count below min_count */
    ENG_SUP_DENOMINATOR,   /* a denominator below min_denominator */
    ENG_SUP_COMPLEMENTARY, /* hidden so that another hidden cell stays hidden */
};

struct eng_cell {
    double num, den, value;
    double lo95, hi95, lo998, hi998;
    /* Funnel-plot control limits of a place below the nation: where its
     * value would lie by chance alone (95 %, 99.8 %) if its true value were
     * the nation's, given its denominator. Proportions: the normal
     * approximation to the binomial; crude rates: to the Poisson. */
    double f_lo95, f_hi95, f_lo998, f_hi998;
    uint8_t flags;      /* enum eng_cell_flag */
    uint8_t sup_num;    /* enum eng_sup_reason of the numerator (0: shown) */
    uint8_t sup_den;    /* of the denominator */
    uint8_t sup_value;  /* of the value and its intervals */
};

enum eng_geo_level { ENG_GEO_NATION, ENG_GEO_HC, ENG_GEO_REGION, ENG_GEO_FINE };

struct eng_result {
    const struct ind_def *def;
    int measure;              /* index into def->measures */
    enum period_kind period;
    int nperiods;
    int first_month;          /* year * 12 + month - 1 of the first period */
    int months_per_period;    /* 1, 3, 4 or 12 */
    size_t ngeo;              /* 1 + healthcare regions + regions + fine */
    size_t nhc, nregion, nfine;
    size_t nfine_shown;       /* fine places that are published (not the
                                 slots of persons without a municipality) */
    size_t nband;             /* def->nbands + 1 */
    struct eng_cell *cells;   /* [period][geo][sex 3][band] */
    atomic_uint *cells_refs;  /* the results holding `cells` (a patched
                                 generation shares an unchanged cube with the
                                 last one's, eng_inc.h; each frees it with
                                 eng_run_free on its own thread); NULL: held
                                 by this result alone. A shared cube is
                                 read-only: eng_result_own() before writing */
    bool *period_valid;       /* the definition's version covers the period */
    int *fine_region;         /* region index of each fine place, -1 unknown */
    int *fine_hc;             /* healthcare region index of each fine place, -1 */
    int *pop_year;            /* per period: the population year a rate of it is
                                 computed over (eng_pop_year()), 0 for a measure
                                 without a population */
    uint8_t *period_changed;  /* a patched generation's (eng_inc.h): per period,
                                 1 when a cell's numerator, denominator or
                                 flags differ from the last generation's;
                                 NULL when not known (every period may have
                                 changed). Disclosure control closes again
                                 only the calendar periods that changed
                                 (sup_apply_from) */
};

struct eng_run {
    struct eng_result *results;
    size_t n;
    const struct snap *snap;
    double eval_ms;    /* all of eng_run */
    double pass_ms;    /* of which the pass over the timelines */
    bool suppressed;   /* sup_apply() has run; every output of a run
                          without it is marked not for publication
                          (eng_out.h, eng_fhir.h, eng_kolada.h) */
};

struct eng_options {
    int year_from, year_to; /* also compute these years (0: each definition's own
                               years, or the data's; a relative target's base
                               year is always computed) */
    int threads;            /* 0: 2 */
};

/* Evaluate defs[0..n-1] over s. The result holds pointers into defs and s,
 * which must outlive it. */
int eng_run(struct eng_run *out, const struct snap *s, const struct ind_def *const *defs,
            size_t n, const struct eng_options *opt, struct kn_error *err);

void eng_run_free(struct eng_run *r);

/* Make r's cells its own (a copy when another result shares them), so that
 * they may be written. 0, or -1 when out of memory (r unchanged). */
int eng_result_own(struct eng_result *r);

/* Drop (and free) the results of every definition not among
 * defs[0..n-1], keeping the others in their order: the operands that
 * were computed only so that a ratio could read them (ind_with_operands).
 * Call it after sup_apply(), which reads a ratio's operands too. */
void eng_run_keep(struct eng_run *r, const struct ind_def *const *defs, size_t n);

static inline struct eng_cell *eng_cell(const struct eng_result *r, int period, size_t geo,
                                        int sex, size_t band)
{
    return &r->cells[(((size_t)period * r->ngeo + geo) * 3 + (size_t)sex) * r->nband + band];
}

/* Level of a place index, and its code and name ("SE"/"Riket" for the
 * nation, the healthcare region's code, "01", "0114", a unit's code). */
enum eng_geo_level eng_geo_level(const struct eng_result *r, size_t geo);
const char *eng_geo_code(const struct eng_result *r, const struct snap *s, size_t geo);
const char *eng_geo_name(const struct eng_result *r, const struct snap *s, size_t geo);

/* Is this place published for the definition's breakdown? (The nation
 * always; regions with `region`; the fine level with `municipality`/`unit`.) */
bool eng_geo_shown(const struct eng_result *r, size_t geo);

/* The result a ratio r reads in period p: its numerator measure
 * (which = 0, same definition) or its denominator (which = 1: the
 * definition named by ID:MEASURE, in the version valid in period p), with
 * the same periods, places and bands; NULL if none was computed alongside. */
const struct eng_result *eng_ratio_operand(const struct eng_result *res, size_t n,
                                           const struct eng_result *r, int which, int p);

/* The population year for a period of the given year, among the
 * ascending years[0..n-1] held: that year if held, else the latest year
 * before it, else (a period before every year held) the earliest. 0 if
 * n is 0. */
int eng_pop_year(const int *years, size_t n, int year);

/* The funnel-plot control limits at level (0.95, 0.998) of a place of
 * size n (its denominator: trials of a proportion, population of a rate)
 * around centre, all in the units r's measure reports (per cent, or per
 * the measure's `per`): stat_funnel_proportion() for a proportion,
 * stat_funnel_rate() for a crude rate (a standardised rate's bands are
 * crude; its total, band 0, has none). The engine's per-cell limits
 * (f_lo95...) are these around the nation's value; the portal draws the
 * curves with them. False where the measure has no funnel or n <= 0. */
bool eng_funnel_limits(const struct eng_result *r, size_t band, double centre, double n,
                       double level, double *lo, double *hi);

/* The text of period i ("2024", "2024-T1", "2024-Q2", "2024-05"). */
void eng_period_text(const struct eng_result *r, int i, char buf[16]);

/* Does period i hold any of the data of s? False when it ends before the
 * data's first year (snap.year_min) or starts after the data's end
 * (snap.t_last), or when s has no events: its cells are then zeros for
 * want of data, not counted zeros, and the exports say "unknown"
 * (docs/indicators.md, "Exports"). */
bool eng_period_has_data(const struct eng_result *r, const struct snap *s, int i);

#endif /* KNOD_STATS_ENG_H */
