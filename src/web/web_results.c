/* src/web/web_results.c: the background computation of the portal's
 * results and the reference-counted views (web_results.h).
 *
 * Sizes: at 100 k persons a computation of the whole catalogue takes
 * about a second; at 1 M persons the snapshot rebuild alone about 4 s.
 * The thread polls the import stamp (one small query) every poll_ms.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "engine/eng_inc.h"
#include "snapshot/snap_cache.h"
#include "disclosure/sup.h"
#include "store/store.h"
#include "web/web_results.h"

struct web_results {
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* signalled on a new view and on stop */
    struct web_view *current;
    unsigned generation;
    bool stop, started;
    char last_error[KN_ERROR_MAX];
    pthread_t thread;
    struct snap_cache *snaps;
    const struct config *cfg;
    const struct geo *geo;
    const struct ind_def **defs;   /* computed: the whole catalogue */
    size_t ndefs;
    const struct ind_def **keep;   /* served: those of the ids asked for */
    size_t nkeep;
    struct eng_inc *inc;           /* the last generation's accumulators */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool served(const struct ind_catalogue *only, const char *id)
{
    for (size_t i = 0; i < only->n; i++)
        if (strcmp(only->defs[i].id, id) == 0)
            return true;
    return false;
}

int web_results_new(struct web_results **out, const struct config *cfg,
                    const struct ind_catalogue *cat, const struct ind_catalogue *only,
                    const struct geo *geo, struct kn_error *err)
{
    struct web_results *wr = calloc(1, sizeof *wr);
    if (!wr || !(wr->defs = calloc(cat->n + 1, sizeof *wr->defs)) ||
        !(wr->keep = calloc(cat->n + 1, sizeof *wr->keep))) {
        if (wr)
            free(wr->defs);
        free(wr);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cat->n; i++) {
        wr->defs[wr->ndefs++] = &cat->defs[i];
        if (!only || served(only, cat->defs[i].id))
            wr->keep[wr->nkeep++] = &cat->defs[i];
    }
    wr->cfg = cfg;
    wr->geo = geo;
    struct eng_options eo = { 0 };
    int rc = eng_inc_new(&wr->inc, wr->defs, wr->ndefs, &eo, err);
    if (rc == 0)
        rc = snap_cache_new(&wr->snaps, geo, err);
    if (rc != 0) {
        eng_inc_free(wr->inc);
        free(wr->defs);
        free(wr->keep);
        free(wr);
        return rc;
    }
    pthread_mutex_init(&wr->mu, NULL);
    pthread_cond_init(&wr->cv, NULL);
    *out = wr;
    return 0;
}

static void view_free(struct web_results *wr, struct web_view *v)
{
    eng_run_free(&v->run);
    snap_cache_release(wr->snaps, v->snap);
    free(v);
}

/* Drop one reference (mu held); returns the view to free, or NULL. */
static struct web_view *unref(struct web_view *v)
{
    return v && --v->refs == 0 ? v : NULL;
}

static void set_error(struct web_results *wr, const struct kn_error *err)
{
    pthread_mutex_lock(&wr->mu);
    bool same = strcmp(wr->last_error, err->msg) == 0;
    snprintf(wr->last_error, sizeof wr->last_error, "%s", err->msg);
    pthread_mutex_unlock(&wr->mu);
    if (!same)
        log_msg(LOG_ERROR, "results: %s", err->msg);
}

/* One round: the current snapshot, and a new view if it is new. */
static void round_once(struct web_results *wr, struct store *st, struct store *st2)
{
    struct kn_error err = KN_ERROR_INIT;
    const struct snap *s = NULL;
    bool rebuilt = false;
    double t0 = now_ms();
    int rc = snap_cache_get2(wr->snaps, st, st2, &s, &rebuilt, &err);
    if (rc != 0) {
        set_error(wr, &err);
        return;
    }
    pthread_mutex_lock(&wr->mu);
    bool need = rebuilt || wr->current == NULL || wr->current->snap != s;
    /* the last generation's snapshot: alive while its view is current,
     * which only this thread changes */
    const struct snap *prev = wr->current ? wr->current->snap : NULL;
    /* its results, when they hold every definition (not with --id) */
    const struct eng_run *last = wr->current && wr->nkeep == wr->ndefs ? &wr->current->run
                                                                       : NULL;
    pthread_mutex_unlock(&wr->mu);
    if (!need) {
        snap_cache_release(wr->snaps, s);
        return;
    }
    double t1 = now_ms();
    struct web_view *v = calloc(1, sizeof *v);
    struct eng_inc_stat ist;
    rc = v ? eng_inc_run(wr->inc, &v->run, last, prev, s, &ist, &err)
           : kn_fail(&err, KN_ENOMEM, "out of memory");
    if (rc != 0) {
        free(v);
        snap_cache_release(wr->snaps, s);
        set_error(wr, &err);
        return;
    }
    double t2 = now_ms();
    struct sup_rules rules = { wr->cfg->min_count, wr->cfg->min_denominator };
    struct sup_stat sst;
    /* the last generation's suppression where no cell of its calendar
     * period changed (sup.h) */
    sup_apply_from(&v->run, &rules, last, &sst);
    if (wr->nkeep < wr->ndefs) /* after sup_apply, as `indicators run --id` */
        eng_run_keep(&v->run, wr->keep, wr->nkeep);
    v->snap = s;
    v->refs = 1; /* the cache's own */
    v->computed_at = time(NULL);
    v->compute_ms = now_ms() - t0;
    /* only this thread counts generations */
    v->generation = wr->generation + 1;
    /* the log line first, then the view served: a reader of the log never
     * sees a generation served that the log does not name yet */
    char how[160];
    if (ist.delta)
        snprintf(how, sizeof how, "patched: %zu persons touched, %zu evaluations for the "
                 "data's end, %s", ist.touched, ist.late,
                 ist.cells_again ? "changed cells finished" : "every cell finished");
    else
        snprintf(how, sizeof how, "full run: %s", ist.why);
    log_msg(LOG_INFO, "results: generation %u computed in %.0f ms (%zu events; snapshot "
            "%.0f ms%s, engine %.0f ms (%s), disclosure control %.0f ms (%zu of %zu "
            "calendar periods closed))", v->generation,
            v->compute_ms, s->nevents, t1 - t0, !rebuilt ? "" : s->patched ? " patched" : " rebuilt", t2 - t1,
            how, v->compute_ms - (t2 - t0), sst.closed, sst.periods);
    pthread_mutex_lock(&wr->mu);
    wr->generation = v->generation;
    struct web_view *old = unref(wr->current);
    wr->current = v;
    wr->last_error[0] = '\0';
    pthread_cond_broadcast(&wr->cv);
    pthread_mutex_unlock(&wr->mu);
    if (old)
        view_free(wr, old);
}

static void *loop(void *arg)
{
    struct web_results *wr = arg;
    struct kn_error err = KN_ERROR_INIT;
    struct store *st = NULL, *st2 = NULL;
    struct store_options so = { STORE_READONLY, wr->cfg->busy_timeout_ms };
    for (;;) {
        if (!st && store_open(wr->cfg->store_path, &so, &st, &err) != 0) {
            st = NULL;
            set_error(wr, &err);
        }
        /* a second connection, so that the snapshot is read on two threads
         * (as `knod indicators run` does); one connection will do */
        if (st && !st2 && store_open(wr->cfg->store_path, &so, &st2, &err) != 0) {
            st2 = NULL;
            kn_error_clear(&err);
        }
        if (st)
            round_once(wr, st, st2);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = until.tv_nsec + (long)wr->cfg->web_poll_ms * 1000000L;
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        pthread_mutex_lock(&wr->mu);
        while (!wr->stop && pthread_cond_timedwait(&wr->cv, &wr->mu, &until) != ETIMEDOUT) {
        }
        bool stop = wr->stop;
        pthread_mutex_unlock(&wr->mu);
        if (stop)
            break;
    }
    store_close(st2);
    store_close(st);
    return NULL;
}

int web_results_start(struct web_results *wr, struct kn_error *err)
{
    /* keep freed memory in the process for the next generation: blocks up
     * to 32 MiB (a result cube) from the malloc arenas instead of their own
     * mappings, and freed memory not given back to the kernel. A generation
     * allocates about what the one before the last freed, and a fresh page
     * costs a fault at its first touch: at 1 M persons the second patched
     * generation after a full run took 2.5 s with glibc's defaults and
     * 1.2 s with these, twice (bench/http/README.md); the first still
     * touches fresh pages */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    if (pthread_create(&wr->thread, NULL, loop, wr) != 0)
        return kn_fail(err, KN_ENOMEM, "cannot start the results thread");
    wr->started = true;
    return 0;
}

void web_results_free(struct web_results *wr)
{
    if (!wr)
        return;
    if (wr->started) {
        pthread_mutex_lock(&wr->mu);
        wr->stop = true;
        pthread_cond_broadcast(&wr->cv);
        pthread_mutex_unlock(&wr->mu);
        pthread_join(wr->thread, NULL);
    }
    struct web_view *v = unref(wr->current);
    if (v)
        view_free(wr, v);
    snap_cache_free(wr->snaps);
    eng_inc_free(wr->inc);
    pthread_mutex_destroy(&wr->mu);
    pthread_cond_destroy(&wr->cv);
    free(wr->defs);
    free(wr->keep);
    free(wr);
}

const struct web_view *web_results_acquire(struct web_results *wr)
{
    pthread_mutex_lock(&wr->mu);
    struct web_view *v = wr->current;
    if (v)
        v->refs++;
    pthread_mutex_unlock(&wr->mu);
    return v;
}

void web_results_release(struct web_results *wr, const struct web_view *cv)
{
    if (!cv)
        return;
    struct web_view *v = (struct web_view *)cv;
    pthread_mutex_lock(&wr->mu);
    struct web_view *dead = unref(v);
    pthread_mutex_unlock(&wr->mu);
    if (dead)
        view_free(wr, dead);
}

bool web_results_wait(struct web_results *wr, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long ns = until.tv_nsec + (long)(ms % 1000) * 1000000L;
    until.tv_sec += ms / 1000 + ns / 1000000000L;
    until.tv_nsec = ns % 1000000000L;
    pthread_mutex_lock(&wr->mu);
    while (!wr->current && !wr->stop &&
           pthread_cond_timedwait(&wr->cv, &wr->mu, &until) != ETIMEDOUT) {
    }
    bool have = wr->current != NULL;
    pthread_mutex_unlock(&wr->mu);
    return have;
}

void web_results_last_error(struct web_results *wr, char *buf, size_t cap)
{
    pthread_mutex_lock(&wr->mu);
    snprintf(buf, cap, "%s", wr->last_error);
    pthread_mutex_unlock(&wr->mu);
}
