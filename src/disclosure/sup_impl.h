/* src/disclosure/sup_impl.h: what sup.c, sup_pop.c and sup_nest.c share
 * (internal to disclosure control; sup.h is the API). */
#ifndef KNOD_DISCLOSURE_SUP_IMPL_H
#define KNOD_DISCLOSURE_SUP_IMPL_H

#include <stdint.h>

#include "disclosure/sup.h"

/* Joint suppression of one definition's measures (sup.h): hid[i] is the
 * reason cell i (the same index in every measure's cube) is hidden, 0 when
 * shown. */
struct joint {
    struct eng_result **m; /* the definition's measures, ratios aside */
    size_t nm;
    uint8_t *hid;
    const struct eng_result *geom; /* m[0]: the shape of every cube */
    double min_count;
    bool changed;
    size_t *closed; /* per period: its hidden cells when a pass over its groups
                       last hid nothing (SIZE_MAX: not yet); sup.c */
    const uint8_t *redo; /* per period: closed in this run (else it keeps the
                            last generation's); NULL: every period */
};

/* Is period p of j's definition closed in this run? */
static inline bool sup_redo(const struct joint *j, int p)
{
    return !j->redo || j->redo[p];
}

/* The calendar periods to close again (sup_since.c): redo[i] for result i
 * of run (nperiods flags), each other period's suppression copied from
 * last. NULL when every period is closed (no usable last), or out of
 * memory; st counts. Free with sup_redo_free(). */
uint8_t **sup_redo_periods(struct eng_run *run, const struct eng_run *last,
                           struct sup_stat *st);
void sup_redo_free(uint8_t **redo, size_t n);

/* Is cell (p, g, so, bo) of r published (its period's version, a shown
 * place, a sex or band the definition breaks down by)? */
static inline bool sup_shown(const struct eng_result *r, int p, size_t g, int so,
                             size_t bo)
{
    unsigned dims = r->def->dims;
    if (!r->period_valid[p] || !eng_geo_shown(r, g))
        return false;
    if (so && !(dims & IND_DIM_SEX))
        return false; /* not computed: `--by sex` shows them empty */
    return !(bo && !(dims & IND_DIM_BAND));
}

/* The period of ra that is period pb of rb, or -1; only periods both
 * definitions' versions cover (sup.c). */
int sup_same_period(const struct eng_result *ra, const struct eng_result *rb, int pb);

/* The hash of one `where` condition as compiled (sup_pop.c). */
uint64_t sup_condition(const struct ind_condition *c);

/* Nested populations (sup_nest.c). inner's events are within outer's when
 * both take every event (`pick all`) of the same `from`, `period` and
 * `geo`, and every condition of outer is in inner (the same, or on the same
 * field with values among outer's), ages aside: inner's ages need only
 * meet outer's, and the events of inner at ages outer counts are outer's.
 * The cells that nest are band pairs: band ia of inner within band ib of
 * outer when inner's ages there, cut to outer's, lie in outer's band. */
#define SUP_MAX_BAND_PAIRS ((IND_MAX_BANDS + 1) * (IND_MAX_BANDS + 1))
struct sup_nest {
    size_t inner, outer; /* indexes of the definitions' joints */
    size_t seen_inner, seen_outer; /* their hidden cells when last closed (sup.c) */
    size_t npairs;
    uint8_t ia[SUP_MAX_BAND_PAIRS], ib[SUP_MAX_BAND_PAIRS];
};

/* Does inner nest within outer (different populations)? Fills n's bands. */
bool sup_nested(const struct ind_def *inner, const struct ind_def *outer,
                struct sup_nest *n);

/* The difference of a count of outer and the same count of inner (persons
 * or events) in a cell both publish is a count published nowhere: where it
 * is small (0 < d < min_count) inner's cell is hidden, and the differences
 * of each additive group of places and sexes are protected like a cube of
 * their own (a difference is hidden where either cell is). True when a
 * cell of inner was hidden. */
bool sup_nest_close(struct joint *inner, const struct joint *outer,
                    const struct sup_nest *n);

#endif /* KNOD_DISCLOSURE_SUP_IMPL_H */
