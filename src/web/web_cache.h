/* src/web/web_cache.h: the rendered answers of the current results.
 *
 * A page or API answer that reads the results is a function of the route,
 * the path, the query, the language (and whether ?lang= asked for it) and
 * the results generation, nothing else. The cache keeps such answers'
 * bytes with their ETag and headers, so that a request for a page already
 * rendered for the current generation costs a hash lookup instead of a
 * model, a template and an ETag (bench/http/README.md: the figures).
 *
 * Entries of an older generation are dropped as soon as a request of a
 * newer one arrives; an answer rendered from an older view (a request
 * that acquired it before the swap) is not stored. The bytes are bounded
 * (max_bytes): when full, the table is emptied and fills again. Entries
 * are reference-counted, so the server can send one while another request
 * empties the table. Thread-safe.
 *
 * Only public answers that depend on nothing but the key may be stored
 * (web_dispatch.c decides: routes that need the results, with public
 * access); pages that read the store or a session must never be.
 */
#ifndef KNOD_WEB_WEB_CACHE_H
#define KNOD_WEB_WEB_CACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "web/web_req.h"

struct web_answer;
struct web_cache;

/* Answers of at least this many bytes are also kept in a memory file
 * (memfd), so that the server can hand them to the kernel with sendfile
 * instead of copying them into the socket (bench/http/README.md). */
#define WEB_CACHE_FD_MIN ((size_t)32 << 10)

/* One stored answer (status 200). Read-only once stored. */
struct web_cached {
    char *body;
    size_t len;
    int fd;              /* -1, or a memory file holding body (WEB_CACHE_FD_MIN) */
    char etag[24];
    char *content_type;
    char *cache_control; /* NULL: the server's default */
    char *disposition;   /* NULL: none */
    bool vary;
    atomic_int refs;     /* private to web_cache.c */
};

/* A cache of at most max_bytes of answers (0: 64 MiB). */
int web_cache_new(struct web_cache **out, size_t max_bytes, struct kn_error *err);
void web_cache_free(struct web_cache *c);

/* The key of rq: its language, whether ?lang= chose it, its path and its
 * query arguments in order (percent-encoded, so no two requests share a
 * key unless they ask the same). */
int web_cache_key(const struct web_req *rq, struct strbuf *key);

/* The answer stored for key in generation gen, with a reference the caller
 * gives back with web_cache_unref(); NULL if there is none. A newer gen
 * than the cache's empties it first. */
struct web_cached *web_cache_get(struct web_cache *c, unsigned gen, const char *key,
                                 size_t klen);

/* Store a copy of ans (a 200 with its ETag) under key for generation gen;
 * nothing if gen is older than the cache's or the answer alone exceeds
 * the bound. Out of memory only means it is not stored. An answer of at
 * least WEB_CACHE_FD_MIN bytes gets its memory file too (and counts twice
 * against the bound); where one cannot be made, fd stays -1. */
void web_cache_put(struct web_cache *c, unsigned gen, const char *key, size_t klen,
                   const struct web_answer *ans);

void web_cache_unref(struct web_cached *e);

/* Answers stored now, and requests answered from the cache so far. */
void web_cache_stats(struct web_cache *c, size_t *entries, size_t *bytes,
                     unsigned long long *hits);

#endif /* KNOD_WEB_WEB_CACHE_H */
