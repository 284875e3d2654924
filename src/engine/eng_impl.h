/* src/engine/eng_impl.h: the engine's compiled definitions and per-thread
 * accumulators. Internal to src/engine/eng*.c. */
#ifndef KNOD_STATS_ENG_IMPL_H
#define KNOD_STATS_ENG_IMPL_H

#include "engine/eng.h"

/* A field condition compiled against the snapshot's dictionaries. */
struct eng_field {
    enum ind_field_id id;
    uint64_t mask;
    const struct ind_range *ranges;
    size_t nranges;
    const uint8_t *dict; /* cause/diagnosis: per code index; step: per step index */
};

struct eng_filter {
    struct eng_field *f;
    size_t n;
};

struct eng_rel {
    uint32_t kinds;
    struct eng_filter filter;
    bool at_end;
    bool during;    /* from the anchor's start to its end (lo, hi unused) */
    int64_t lo, hi; /* closed bounds in seconds (open ends moved by one second) */
    int min_count;
    bool negate;
};

struct eng_cond {
    bool is_rel;
    bool is_observed;     /* the data reach obs_len past the anchor's start/end */
    bool is_duration;     /* the anchor's end - start against dur_len by dur_op */
    enum ind_cmp dur_op;
    int64_t dur_len;
    bool obs_end;
    int64_t obs_len;
    struct eng_field field;
    struct eng_rel rel;
};

/* One value of a median or survival, in an accumulator cell: whole
 * seconds (times in the snapshot are), divided by the measure's unit only
 * when the statistic is computed. */
struct eng_obs {
    uint32_t cell;
    int32_t secs;
    uint32_t event; /* survival: 1 event, 0 censored */
};

struct eng_obs_vec {
    struct eng_obs *v;
    size_t n, cap;
    /* NULL, or v is in cell order: cell c's observations are v[off[c]] ..
     * v[off[c + 1]] (ncells + 1 entries). Set by eng_obs_bucket() (the
     * finish of a run) and kept by eng_obs_update() (a patched generation),
     * so the observations are bucketed once, not in every generation. */
    size_t *off;
    struct eng_obs *spare; /* room the next reordering writes into */
    size_t spare_cap;
};

/* Put v in cell order (v->off) for cells 0 .. ncells - 1; the old array
 * becomes v->spare. 0 or KN_ENOMEM. */
int eng_obs_bucket(struct eng_obs_vec *v, size_t ncells);

/* v (bucketed here first if it is not) less the multiset minus, plus
 * plus, still in cell order; minus and plus are sorted. One pass that
 * copies the unchanged cells' runs into v->spare, which becomes v.
 * *ok is false when an observation of minus is not in v or a cell is
 * out of range (v is then left unusable: drop it). 0 or KN_ENOMEM. */
int eng_obs_update(struct eng_obs_vec *v, struct eng_obs_vec *minus,
                   struct eng_obs_vec *plus, size_t ncells, bool *ok);

/* Free what v holds. */
void eng_obs_free(struct eng_obs_vec *v);

/* A definition prepared for evaluation. */
struct eng_ind {
    const struct ind_def *d;
    struct eng_cond *where;
    size_t nwhere;
    struct eng_rel mrel[IND_MAX_MEASURES]; /* proportion, median_to, survival */
    struct eng_field mfield[IND_MAX_MEASURES]; /* proportion of a field condition */
    int first_month;  /* of period 0 */
    int mpp;          /* months per period */
    int nperiods;
    bool *period_valid;
    int16_t *month_period; /* month - first_month -> period, -1 outside or invalid */
    int nmonths;
    size_t ngeo, fine_base, nfine;
    size_t nbslot;    /* bands + 1 (slot 0: outside every band) */
    size_t ncells;    /* accumulator cells: nperiods * ngeo * 2 * nbslot */
    bool persons_direct[IND_MAX_MEASURES]; /* distinct persons by unit: no geo rollup */
};

/* One thread's accumulators for one definition's measures. */
struct eng_acc {
    double *num[IND_MAX_MEASURES];
    double *den[IND_MAX_MEASURES];
    uint32_t *stamp[IND_MAX_MEASURES]; /* last person (+1) counted per period[, geo] */
    uint32_t *mstamp[IND_MAX_MEASURES]; /* sum merged: person (+1) per cell */
    int64_t *mend[IND_MAX_MEASURES];    /* sum merged: the person's covered end per cell */
    struct eng_obs_vec obs[IND_MAX_MEASURES];
    uint32_t *pick_stamp;              /* per period: person + 1 */
    uint32_t *pick_count;              /* per period (nth) */
    int32_t *last_ev;                  /* per period (last): event index, -1 */
};

struct eng_ctx {
    const struct snap *s;
    struct eng_ind *inds;
    size_t n;
    int8_t *region_code;   /* region index -> code number (01..25) */
};

/* Prepare one definition for s (every period of its own years), in a;
 * and a context for s (its region codes; no definitions), in a. For the
 * per-person walks below. 0 or KN_ENOMEM with a message. */
int eng_prepare(const struct snap *s, const struct ind_def *d, struct eng_ind *e,
                struct arena *a, struct kn_error *err);
int eng_ctx_init(struct eng_ctx *c, const struct snap *s, struct arena *a,
                 struct kn_error *err);

/* prepare() with the years of opt (as eng_run() prepares; opt may be NULL). */
int eng_prepare_opt(const struct snap *s, const struct ind_def *d,
                    const struct eng_options *opt, struct eng_ind *e, struct arena *a,
                    struct kn_error *err);

/* One definition's accumulators, zeroed, for e's cells; 0 or KN_ENOMEM.
 * eng_acc_free() frees what they hold (not acc itself). */
int eng_acc_alloc(const struct eng_ind *e, struct eng_acc *acc);
void eng_acc_free(struct eng_acc *acc);

/* eng_run(), and when kept is not NULL, *kept gets the accumulators the
 * results were finished from (n of them, merged over the threads; their
 * sums and observations only, the per-person stamps freed: each freed
 * with eng_acc_free(), then the array with free()). */
int eng_run_acc(struct eng_run *out, const struct snap *s, const struct ind_def *const *defs,
                size_t n, const struct eng_options *opt, struct eng_acc **kept,
                struct kn_error *err);

/* The result cubes of c's definitions from acc[0..c->n-1] into out
 * (out->results and out->n; acc's sums are only read, its observations
 * put in cell order, eng_obs_bucket()); prev and changed as for
 * eng_finish() (both NULL: every cell). */
int eng_run_results(struct eng_run *out, const struct eng_ctx *c, struct eng_acc *acc,
                    const struct eng_result *prev, uint8_t *const *changed,
                    struct kn_error *err);

/* Evaluate the persons ps[0..np-1] (distinct) into acc[0..c->n-1], for
 * the definitions k with only[k] (every one when only is NULL); 0 or
 * KN_ENOMEM. */
int eng_eval_list(const struct eng_ctx *c, struct eng_acc *acc, const uint32_t *ps,
                  size_t np, const uint8_t *only);

/* One anchor's clock, for eng_eval_clocks(): the anchor (event index i of
 * person p) starts the headline relation's window at `from` (the anchor's
 * start or end plus the window's lower bound); `due` is the anchor's time
 * plus the window's upper bound; `done` is the time of the first matching
 * event from `from` up to as_of (later than `due` too), or INT64_MIN when
 * there is none yet. Times are snapshot times (snap.h). */
typedef int (*eng_clock_fn)(void *arg, uint32_t p, size_t i, int64_t from, int64_t due,
                            int64_t done);

/* Walk the anchors of e's definition in person p's timeline as of time
 * as_of: every anchor that meets the `where` conditions except `observed`
 * (the worklist looks at the data as they stand, not at the data's end),
 * and whose window has opened by as_of, is given to fn. Only a headline
 * measure `proportion has RELATION in start|end WINDOW` has clocks (else
 * nothing is given). fn's non-zero return stops the walk and is returned;
 * else 0, or KN_ENOMEM. */
int eng_eval_clocks(const struct eng_ctx *c, const struct eng_ind *e, uint32_t p,
                    int64_t as_of, eng_clock_fn fn, void *arg);

/* Evaluate persons [p0, p1) into acc[0..n-1]; 0 or KN_ENOMEM. */
int eng_eval_persons(const struct eng_ctx *c, struct eng_acc *acc, uint32_t p0,
                     uint32_t p1);

/* Roll the accumulators up into the result cubes and compute the values
 * and intervals. With prev (the cubes of the last generation, in res's
 * order and shapes; their suppression fields are ignored) and changed
 * (per definition, a flag per accumulator cell: the cells whose sums or
 * observations changed since), only the output cells those reach are
 * computed again (and the funnel limits of a period, sex and band whose
 * national value changed); the rest are prev's. */
int eng_finish(const struct eng_ctx *c, struct eng_acc *acc, struct eng_result *res,
               const struct eng_result *prev, uint8_t *const *changed, struct kn_error *err);

/* Funnel-plot control limits of place g against the nation (same period,
 * sex and band), eng_funnel_limits() around the nation's num / den; and
 * the cells of every ratio measure among res[0..nres-1] from its
 * operands' (eng_final_ratio.c). */
void eng_cell_funnel(const struct ind_measure *im, struct eng_result *r, int p, size_t g,
                     int so, size_t bo);
void eng_ratios(struct eng_result *res, size_t nres);

/* Accumulator cell index. */
/* A definition `from consultation` (ind.h): its accumulators (zeroed
 * here) from s's consultations, each in the period it was asked and its
 * asking region's slot of persons without a municipality (the rollups
 * then give the healthcare regions and the nation), both sexes in F, all
 * ages: a proportion answered within N working days (base/workday.h) from
 * the day asked to the day answered; one still open counts as not
 * answered once N working days have passed by s->consult_today, and is
 * left out before that (as consult/consult.h's consult_stats). */
void eng_consult_fill(const struct eng_ind *e, const struct snap *s, struct eng_acc *acc);

static inline size_t eng_acc_cell(const struct eng_ind *e, int period, size_t geo, int sex,
                                  size_t bslot)
{
    return (((size_t)period * e->ngeo + geo) * 2 + (size_t)sex) * e->nbslot + bslot;
}

#endif /* KNOD_STATS_ENG_IMPL_H */
