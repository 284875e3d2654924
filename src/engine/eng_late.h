/* src/engine/eng_late.h: the persons by their latest time, for the
 * engine's patched generations (eng_inc.h).
 *
 * Some definitions read the data's end (snap.t_last): an `observed`
 * window, survival censored at the end, a `during` relation of a stay
 * still going on. When the end moves from T to a later time, a person's
 * part in them can change only if an event of theirs starts or ends after
 * T - H, H the definition's horizon (its longest `observed` length or
 * survival window), or if they have an open event of a kind a `during` relation
 * is anchored on. This index keeps each person's latest time (an open
 * event of those kinds: INT32_MAX), sorted from the latest, so that those
 * persons are a prefix found by a binary search. It is built in one pass
 * over a snapshot and then kept up to date from a patched snapshot's
 * touched persons in one merge, by person id (ids do not move between
 * snapshots; indices do).
 */
#ifndef KNOD_ENGINE_ENG_LATE_H
#define KNOD_ENGINE_ENG_LATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/ind.h"
#include "snapshot/snap.h"

struct eng_late_ent {
    int32_t t;  /* the person's latest start or end */
    int64_t id; /* snap.person_id */
};

struct eng_late {
    bool any;            /* some definition reads the data's end */
    uint32_t open_kinds; /* kinds anchoring a `during` relation */
    struct eng_late_ent *e; /* latest first */
    size_t n;
};

/* The rules of defs[0..n-1] into l (its entries empty), and for each
 * definition its horizon on the data's end in seconds into
 * horizon[0..n-1]: -1 if it does not read the end, 0 if only a `during`
 * relation reads it (an open event's person is always in the prefix). */
void eng_late_rules(struct eng_late *l, const struct ind_def *const *defs, size_t n,
                    int64_t *horizon);

/* The entries of every person of s with events; 0 or KN_ENOMEM. */
int eng_late_build(struct eng_late *l, const struct snap *s);

/* The entries for s, patched from the snapshot l was of: its touched
 * persons' entries made again; 0 or KN_ENOMEM (l is then empty). */
int eng_late_update(struct eng_late *l, const struct snap *s);

/* How many entries (a prefix of l->e) have a latest time at or after t. */
size_t eng_late_since(const struct eng_late *l, int64_t t);

/* Free the entries (the rules stay). */
void eng_late_clear(struct eng_late *l);

#endif /* KNOD_ENGINE_ENG_LATE_H */
