/* src/web/web_cache.c: the rendered answers of the current results
 * (web_cache.h).
 *
 * A chained hash table of 4096 buckets under one mutex: a lookup hashes
 * the key (FNV-1a), walks a short chain and takes a reference; the bytes
 * are handed to the server without a copy (a large answer's memory file
 * goes to the socket by sendfile). The workload is almost all
 * lookups of a few hundred distinct pages per generation.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/hash.h"
#include "web/web_cache.h"
#include "web/web_dispatch.h"

#define NBUCKETS 4096

struct entry {
    struct entry *next;
    uint64_t hash;
    char *key;
    size_t klen;
    struct web_cached *ans;
};

struct web_cache {
    pthread_mutex_t mu;
    struct entry *buckets[NBUCKETS];
    unsigned gen;
    size_t entries, bytes, max_bytes;
    unsigned long long hits;
};

int web_cache_new(struct web_cache **out, size_t max_bytes, struct kn_error *err)
{
    struct web_cache *c = calloc(1, sizeof *c);
    if (!c)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    pthread_mutex_init(&c->mu, NULL);
    c->max_bytes = max_bytes ? max_bytes : (size_t)64 << 20;
    *out = c;
    return 0;
}

static void cached_free(struct web_cached *e)
{
    if (e->fd >= 0)
        close(e->fd);
    free(e->body);
    free(e->content_type);
    free(e->cache_control);
    free(e->disposition);
    free(e);
}

void web_cache_unref(struct web_cached *e)
{
    if (e && atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1)
        cached_free(e);
}

static void ref(struct web_cached *e)
{
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

/* Empty the table (mu held). */
static void clear(struct web_cache *c)
{
    for (size_t b = 0; b < NBUCKETS; b++) {
        for (struct entry *x = c->buckets[b], *n; x; x = n) {
            n = x->next;
            web_cache_unref(x->ans);
            free(x->key);
            free(x);
        }
        c->buckets[b] = NULL;
    }
    c->entries = 0;
    c->bytes = 0;
}

void web_cache_free(struct web_cache *c)
{
    if (!c)
        return;
    clear(c);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

int web_cache_key(const struct web_req *rq, struct strbuf *key)
{
    int rc = sb_addf(key, "%d %d ", (int)rq->lang, rq->lang_from_query ? 1 : 0);
    if (rc == 0)
        rc = web_url_encode(key, rq->path, strlen(rq->path));
    for (size_t i = 0; rc == 0 && i < rq->nquery; i++) {
        rc = sb_addch(key, i ? '&' : '?');
        if (rc == 0)
            rc = web_url_encode(key, rq->query[i].name, strlen(rq->query[i].name));
        if (rc == 0)
            rc = sb_addch(key, '=');
        if (rc == 0)
            rc = web_url_encode(key, rq->query[i].value, strlen(rq->query[i].value));
    }
    return rc;
}

/* Move the cache to generation gen if it is newer (mu held); false if gen
 * is older than the cache's. */
static bool at_gen(struct web_cache *c, unsigned gen)
{
    if (gen > c->gen) {
        clear(c);
        c->gen = gen;
    }
    return gen == c->gen;
}

struct web_cached *web_cache_get(struct web_cache *c, unsigned gen, const char *key,
                                 size_t klen)
{
    uint64_t h = kn_fnv1a(KN_FNV_SEED, key, klen);
    struct web_cached *found = NULL;
    pthread_mutex_lock(&c->mu);
    if (at_gen(c, gen))
        for (struct entry *x = c->buckets[h % NBUCKETS]; x && !found; x = x->next)
            if (x->hash == h && x->klen == klen && memcmp(x->key, key, klen) == 0) {
                found = x->ans;
                ref(found);
                c->hits++;
            }
    pthread_mutex_unlock(&c->mu);
    return found;
}

/* A sealed-size memory file holding len bytes of body, or -1 (the answer is
 * then sent from memory). */
static int memory_file(const char *body, size_t len)
{
    int fd = memfd_create("knod-answer", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, body + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    return fd;
}

static char *dup_or_null(const char *s, bool *bad)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *bad |= d == NULL;
    return d;
}

void web_cache_put(struct web_cache *c, unsigned gen, const char *key, size_t klen,
                   const struct web_answer *ans)
{
    size_t cost = ans->body.len + klen + sizeof(struct entry) + sizeof(struct web_cached);
    if (ans->body.len >= WEB_CACHE_FD_MIN)
        cost += ans->body.len;
    if (ans->status != 200 || !ans->etag[0] || cost > c->max_bytes / 4)
        return;
    struct web_cached *e = calloc(1, sizeof *e);
    struct entry *x = calloc(1, sizeof *x);
    bool bad = !e || !x;
    if (e)
        e->fd = -1;
    if (!bad) {
        e->len = ans->body.len;
        e->body = malloc(e->len ? e->len : 1);
        x->key = malloc(klen ? klen : 1);
        bad = !e->body || !x->key;
    }
    if (!bad) {
        memcpy(e->body, ans->body.buf, e->len);
        if (e->len >= WEB_CACHE_FD_MIN)
            e->fd = memory_file(e->body, e->len);
        memcpy(x->key, key, klen);
        memcpy(e->etag, ans->etag, sizeof e->etag);
        e->content_type = dup_or_null(ans->content_type, &bad);
        e->cache_control = dup_or_null(ans->cache_control, &bad);
        e->disposition = dup_or_null(ans->disposition, &bad);
        e->vary = ans->vary;
        atomic_init(&e->refs, 1); /* the table's */
        x->klen = klen;
        x->hash = kn_fnv1a(KN_FNV_SEED, key, klen);
        x->ans = e;
    }
    if (bad) {
        if (e)
            cached_free(e);
        if (x)
            free(x->key);
        free(x);
        return;
    }
    pthread_mutex_lock(&c->mu);
    bool dup = false;
    if (at_gen(c, gen)) {
        for (struct entry *y = c->buckets[x->hash % NBUCKETS]; y && !dup; y = y->next)
            dup = y->hash == x->hash && y->klen == klen && memcmp(y->key, key, klen) == 0;
        if (!dup) {
            if (c->bytes + cost > c->max_bytes)
                clear(c);
            x->next = c->buckets[x->hash % NBUCKETS];
            c->buckets[x->hash % NBUCKETS] = x;
            c->entries++;
            c->bytes += cost;
            x = NULL;
        }
    }
    pthread_mutex_unlock(&c->mu);
    if (x) { /* an older generation, or stored meanwhile by another request */
        web_cache_unref(x->ans);
        free(x->key);
        free(x);
    }
}

void web_cache_stats(struct web_cache *c, size_t *entries, size_t *bytes,
                     unsigned long long *hits)
{
    pthread_mutex_lock(&c->mu);
    *entries = c->entries;
    *bytes = c->bytes;
    *hits = c->hits;
    pthread_mutex_unlock(&c->mu);
}
