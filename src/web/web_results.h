/* src/web/web_results.h: the results the portal serves, kept fresh.
 *
 * A web_results holds the latest COMPLETED computation of the whole
 * catalogue over the store (a web_view: the snapshot, the engine's result
 * cubes for every definition with each definition's own years, and
 * disclosure control applied exactly as `knod indicators run` does), and
 * a background thread that keeps it current: every [web] poll_ms it asks
 * the snapshot cache (snapshot/snap_cache.h) for the store's snapshot, which
 * is rebuilt when the import stamp moved; a new snapshot is evaluated
 * (eng_run, sup_apply) and the new view swapped in when complete.
 *
 * Requests never compute and never wait: web_results_acquire() returns
 * the current view at once (NULL until the first computation completes:
 * the server then answers 503 "being computed" with Retry-After), and a
 * request keeps the view it acquired until it releases it, even when a
 * newer one has been swapped in meanwhile (reference counts).
 *
 * Each generation's log line ("results: generation N computed in ...") is
 * written before the generation is served, so a reader of the log never
 * sees a generation served (/api/v1/status) that the log does not name.
 *
 * Only suppressed results ever leave this module: there is no way to get
 * a view without sup_apply().
 *
 * Thread-safe: any number of request threads acquire and release while
 * the one background thread computes.
 */
#ifndef KNOD_WEB_WEB_RESULTS_H
#define KNOD_WEB_WEB_RESULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/config.h"
#include "base/error.h"
#include "domain/geo.h"
#include "engine/eng.h"
#include "lang/ind.h"

struct web_view {
    const struct snap *snap;
    struct eng_run run;      /* suppressed; results in catalogue order */
    unsigned generation;     /* 1 for the first computation, then +1 */
    time_t computed_at;      /* when it completed (UTC) */
    double compute_ms;       /* snapshot (when rebuilt) + engine + suppression */
    int refs;                /* private to web_results.c */
};

struct web_results;

/* Make the cache for the store of cfg over the definitions of cat (which,
 * like cfg, only and geo, must outlive it). Every definition of cat is
 * computed and suppressed, since disclosure control runs across
 * indicators (sup.h); with `only` (not NULL) the views keep the results of
 * the ids in it alone, as `knod indicators run --id` shows them. Starts
 * nothing yet. */
int web_results_new(struct web_results **out, const struct config *cfg,
                    const struct ind_catalogue *cat, const struct ind_catalogue *only,
                    const struct geo *geo, struct kn_error *err);

/* Start the background thread (it opens its own store connection). */
int web_results_start(struct web_results *wr, struct kn_error *err);

/* Stop the thread (waits for a computation in progress) and free all. */
void web_results_free(struct web_results *wr);

/* The current view with a reference, or NULL before the first one. */
const struct web_view *web_results_acquire(struct web_results *wr);
void web_results_release(struct web_results *wr, const struct web_view *v);

/* Wait up to ms for the first view; true if there is one. */
bool web_results_wait(struct web_results *wr, int ms);

/* The last error of the background thread ("" if none), into buf. */
void web_results_last_error(struct web_results *wr, char *buf, size_t cap);

#endif /* KNOD_WEB_WEB_RESULTS_H */
