/* src/snapshot/snap_cache.c: reference-counted snapshots (see snap_cache.h). */
#include <pthread.h>
#include <stdlib.h>

#include "snapshot/snap_cache.h"
#include "snapshot/snap_impl.h"

struct held {
    struct snap *s;
    int refs;          /* readers holding it */
    bool current;      /* the cache's own reference */
    struct held *next;
};

struct snap_cache {
    pthread_mutex_t mu;
    pthread_mutex_t build; /* one build at a time */
    const struct geo *geo;
    struct held *list;     /* current first, then old ones still held */
    int64_t stamp[3];
    bool have;
};

int snap_cache_new(struct snap_cache **out, const struct geo *geo, struct kn_error *err)
{
    struct snap_cache *c = calloc(1, sizeof *c);
    if (!c)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_init(&c->build, NULL);
    c->geo = geo;
    *out = c;
    return 0;
}

void snap_cache_free(struct snap_cache *c)
{
    if (!c)
        return;
    for (struct held *h = c->list, *n; h; h = n) {
        n = h->next;
        snap_free(h->s);
        free(h);
    }
    pthread_mutex_destroy(&c->mu);
    pthread_mutex_destroy(&c->build);
    free(c);
}

/* The consultations' part of the stamp (the indicators `from consultation`
 * read them): a sum that a consultation asked, answered, deleted or moved
 * to another region changes; 0 in a store without them. */
static int64_t consult_stamp(struct store *st)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *q;
    int64_t v = 0;
    if (store_prepare(st, "SELECT count(*) + coalesce(sum(asked), 0) + "
                      "coalesce(sum(answered), 0) + coalesce(sum(id * CAST(region_code "
                      "AS INTEGER)), 0) FROM net_consultation", &q, &err) != 0)
        return 0;
    if (store_step(q, &err) == STORE_ROW)
        v = store_col_int(q, 0);
    store_finalize(q);
    return v;
}

/* The import-run stamp (snap_read_stamp) and the consultations' in out[2]. */
static int read_stamp(struct store *st, int64_t out[3], struct kn_error *err)
{
    int rc = snap_read_stamp(st, out, err);
    out[2] = rc == 0 ? consult_stamp(st) : 0;
    return rc;
}

/* Drop held snapshots nobody uses any more (mu held). */
static void sweep(struct snap_cache *c)
{
    for (struct held **p = &c->list; *p;) {
        struct held *h = *p;
        if (!h->current && h->refs == 0) {
            *p = h->next;
            snap_free(h->s);
            free(h);
        } else {
            p = &h->next;
        }
    }
}

int snap_cache_get(struct snap_cache *c, struct store *st, const struct snap **out,
                   bool *rebuilt, struct kn_error *err)
{
    return snap_cache_get2(c, st, NULL, out, rebuilt, err);
}

int snap_cache_get2(struct snap_cache *c, struct store *st, struct store *st2,
                    const struct snap **out, bool *rebuilt, struct kn_error *err)
{
    int64_t stamp[3] = { 0, 0, 0 };
    if (rebuilt)
        *rebuilt = false;
    int rc = read_stamp(st, stamp, err);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&c->build);
    pthread_mutex_lock(&c->mu);
    bool fresh = c->have && c->stamp[0] == stamp[0] && c->stamp[1] == stamp[1] &&
                 c->stamp[2] == stamp[2];
    pthread_mutex_unlock(&c->mu);
    if (!fresh) {
        struct snap *s = NULL;
        struct held *h = calloc(1, sizeof *h);
        rc = h ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
        /* the current snapshot patched with what was added; the whole
         * store when a patch cannot follow the change (snap_patch) */
        if (rc == 0 && c->have)
            rc = snap_patch(&s, c->list->s, st, err);
        if (rc == 0 && !s)
            rc = snap_build2(&s, st, st2, c->geo, err);
        if (rc == 0) {
            h->s = s;
            h->current = true;
            pthread_mutex_lock(&c->mu);
            for (struct held *o = c->list; o; o = o->next)
                o->current = false;
            h->next = c->list;
            c->list = h;
            c->stamp[0] = stamp[0];
            c->stamp[1] = stamp[1];
            c->stamp[2] = stamp[2];
            c->have = true;
            sweep(c);
            pthread_mutex_unlock(&c->mu);
            if (rebuilt)
                *rebuilt = true;
        } else {
            free(h);
        }
    }
    pthread_mutex_unlock(&c->build);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&c->mu);
    c->list->refs++;
    *out = c->list->s;
    pthread_mutex_unlock(&c->mu);
    return 0;
}

void snap_cache_release(struct snap_cache *c, const struct snap *s)
{
    pthread_mutex_lock(&c->mu);
    for (struct held *h = c->list; h; h = h->next)
        if (h->s == s && h->refs > 0) {
            h->refs--;
            break;
        }
    sweep(c);
    pthread_mutex_unlock(&c->mu);
}
