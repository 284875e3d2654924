/* src/engine/eng_inc.h: the engine's generations, each costing what the
 * import touched.
 *
 * Every cell of a result cube is a function of the engine's accumulators
 * (eng_impl.h), and the accumulators are sums over persons: counts and
 * sums in whole numbers (exact in a double in any order), and multisets
 * of observations for medians and survival. A person's part depends only
 * on their own timeline, birth year, sex and place, on the definitions'
 * periods and places, and, for some definitions, on the data's end
 * (snap.t_last: `observed` windows, survival censoring, `during` an open
 * stay). So when the snapshot was patched from the last generation's
 * (snap_patch(), which lists the persons it touched), a generation keeps
 * the last accumulators, takes away the touched persons' old parts (each
 * evaluated over the old snapshot) and adds their new ones (over the new),
 * and finishes the cubes from there: given the last generation's cubes,
 * only the cells the changed accumulator cells reach (their places up to
 * the nation, both sexes, all ages) are computed again, the others
 * copied. When the data's end moved, the
 * persons whose part can depend on it are evaluated again too, for each
 * definition that reads it: those with an event (start or end) within
 * the definition's horizon before the old end, or with
 * an open event of a kind a `during` relation is anchored on. They are
 * found in an index of each person's latest time kept between
 * generations (sorted, binary searched), not by scanning every person.
 *
 * A generation is a full run (eng_run_acc) when there is no last
 * generation, when the snapshot was built whole (an edit or a delete,
 * snap_patch declines), when a definition's periods or places changed
 * (new years in the data, a new care unit), when the data's end moved
 * backwards, or when the evaluations again (persons x definitions, on
 * each side) would be more than a third of a full pass's; eng_inc_stat
 * says which and why. Given the last generation's results, a definition
 * none of whose cells changed shares the last one's cubes (cells_refs,
 * eng.h: read-only, and holding the last generation's suppression flags
 * until disclosure control), and each result says which periods changed
 * (period_changed), so that disclosure control (sup_apply_from, sup.h)
 * closes only those calendar periods again. Results are equal to a full
 * run's in every cell and flag, and after disclosure control in every
 * suppression reason (tests/unit/engine/test_eng_inc.c). Not thread-safe:
 * one caller.
 */
#ifndef KNOD_ENGINE_ENG_INC_H
#define KNOD_ENGINE_ENG_INC_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/eng.h"

struct eng_inc;

/* What a generation did. */
struct eng_inc_stat {
    bool delta;        /* from the last generation's accumulators */
    char why[96];      /* a full run: the reason ("first generation", ...) */
    size_t touched;    /* persons the patch touched */
    size_t late;       /* other persons evaluated again for the data's end,
                          summed over the definitions that read it */
    double index_ms;   /* of the run: keeping the index of latest times */
    bool cells_again;  /* patched: only the changed cells were finished */
};

/* The state of the generations of defs[0..n-1] (which must outlive it)
 * with options opt (copied; may be NULL). 0 or KN_ENOMEM. */
int eng_inc_new(struct eng_inc **out, const struct ind_def *const *defs, size_t n,
                const struct eng_options *opt, struct kn_error *err);
void eng_inc_free(struct eng_inc *inc);

/* The results of s into *out, as eng_run() gives them. prev is the
 * snapshot of the last generation computed here (NULL for none); it must
 * still be alive. last may be that generation's results (all of them,
 * suppressed or not; NULL if not kept whole): then a patched generation
 * shares its unchanged cubes (reference counted: last may be freed
 * before or after *out), copies the others and finishes again only the
 * cells that the changed accumulator cells reach. On success the state is s's, and s must stay
 * alive until the next call (it is the next call's prev). On failure the
 * state is dropped (the next generation is full). st may be NULL. */
int eng_inc_run(struct eng_inc *inc, struct eng_run *out, const struct eng_run *last,
                const struct snap *prev, const struct snap *s, struct eng_inc_stat *st,
                struct kn_error *err);

#endif /* KNOD_ENGINE_ENG_INC_H */
