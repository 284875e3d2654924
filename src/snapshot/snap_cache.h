/* src/snapshot/snap_cache.h: the current snapshot, swapped when the store
 * changes.
 *
 * A long-running knod (the portal) keeps one snapshot and hands it to every
 * request. snap_cache_get() checks the store's change stamp (the import
 * runs: their number and the newest id; every write path records one;
 * and a sum over the consultations, which an ask, an answer or a deletion
 * moves, for the indicators `from consultation`) and, when it moved, makes a new snapshot and swaps it in atomically
 * (the current one patched with the rows added, snap_patch(), else a
 * whole build):
 * requests that hold the old one keep using it, and it is freed when the
 * last of them releases it. Results are thus at most one build behind a
 * finished import, with no nightly job. Thread-safe.
 */
#ifndef KNOD_STATS_SNAP_CACHE_H
#define KNOD_STATS_SNAP_CACHE_H

#include "snapshot/snap.h"

struct snap_cache;

int snap_cache_new(struct snap_cache **out, const struct geo *geo, struct kn_error *err);
void snap_cache_free(struct snap_cache *c);

/* The current snapshot of st (built now if the store changed since the
 * last build), with a reference the caller gives back with
 * snap_cache_release(). *rebuilt says whether this call built it. */
int snap_cache_get(struct snap_cache *c, struct store *st, const struct snap **out,
                   bool *rebuilt, struct kn_error *err);

/* The same, building on two connections of the store at once (st2 may be
 * NULL; snap_build2). */
int snap_cache_get2(struct snap_cache *c, struct store *st, struct store *st2,
                    const struct snap **out, bool *rebuilt, struct kn_error *err);
void snap_cache_release(struct snap_cache *c, const struct snap *s);

#endif /* KNOD_STATS_SNAP_CACHE_H */
