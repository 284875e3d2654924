/* tests/unit/web/test_web_cache.c: src/web/web_cache.c, the rendered
 * answers per results generation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "web/web_cache.h"
#include "web/web_dispatch.h"

static void answer(struct web_answer *a, const char *body)
{
    memset(a, 0, sizeof *a);
    a->status = 200;
    sb_init(&a->body);
    sb_addstr(&a->body, body);
    a->content_type = "text/html; charset=utf-8";
    a->vary = true;
    snprintf(a->etag, sizeof a->etag, "\"%zu\"", strlen(body));
}

static struct web_cache *mk(size_t max)
{
    struct web_cache *c = NULL;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(web_cache_new(&c, max, &err), 0);
    return c;
}

/* A large answer is kept in a memory file too, holding exactly its bytes
 * (what the server sends by sendfile); a small one is not, and a large one
 * counts twice against the bound. */
static void test_memory_file(void **state)
{
    (void)state;
    struct web_cache *c = mk(0);
    size_t len = WEB_CACHE_FD_MIN + 12345;
    char *big = malloc(len + 1);
    assert_non_null(big);
    for (size_t i = 0; i < len; i++)
        big[i] = (char)('a' + i % 26);
    big[len] = 0;
    struct web_answer a;
    answer(&a, big);
    web_cache_put(c, 1, "big", 3, &a);
    sb_release(&a.body);
    answer(&a, "<p>small</p>");
    web_cache_put(c, 1, "small", 5, &a);
    sb_release(&a.body);

    struct web_cached *e = web_cache_get(c, 1, "big", 3);
    assert_non_null(e);
    assert_true(e->fd >= 0);
    char *back = malloc(len + 1);
    assert_non_null(back);
    assert_int_equal(pread(e->fd, back, len + 1, 0), (ssize_t)len); /* no more */
    assert_memory_equal(back, big, len);
    assert_memory_equal(e->body, big, len);
    web_cache_unref(e);
    e = web_cache_get(c, 1, "small", 5);
    assert_non_null(e);
    assert_int_equal(e->fd, -1);
    web_cache_unref(e);

    size_t n, bytes;
    unsigned long long hits;
    web_cache_stats(c, &n, &bytes, &hits);
    assert_int_equal(n, 2);
    assert_true(bytes >= 2 * len + 12);
    free(back);
    free(big);
    web_cache_free(c);
}

/* A stored answer comes back whole, with its headers, as often as asked;
 * another key does not find it. */
static void test_put_get(void **state)
{
    (void)state;
    struct web_cache *c = mk(0);
    struct web_answer a;
    answer(&a, "<p>page</p>");
    a.disposition = "x.csv";
    assert_null(web_cache_get(c, 1, "k", 1));
    web_cache_put(c, 1, "k", 1, &a);
    sb_release(&a.body);
    for (int i = 0; i < 3; i++) {
        struct web_cached *e = web_cache_get(c, 1, "k", 1);
        assert_non_null(e);
        assert_int_equal(e->len, 11);
        assert_memory_equal(e->body, "<p>page</p>", 11);
        assert_string_equal(e->etag, "\"11\"");
        assert_string_equal(e->content_type, "text/html; charset=utf-8");
        assert_string_equal(e->disposition, "x.csv");
        assert_null(e->cache_control);
        assert_true(e->vary);
        web_cache_unref(e);
    }
    assert_null(web_cache_get(c, 1, "kk", 2));
    assert_null(web_cache_get(c, 1, "j", 1));
    size_t n, bytes;
    unsigned long long hits;
    web_cache_stats(c, &n, &bytes, &hits);
    assert_int_equal(n, 1);
    assert_int_equal(hits, 3);
    assert_true(bytes >= 12);
    web_cache_free(c);
}

/* A newer generation empties the cache; an answer of an older one (a
 * request that kept its view across the swap) is not stored; an answer
 * held by the server survives the emptying. */
static void test_generations(void **state)
{
    (void)state;
    struct web_cache *c = mk(0);
    struct web_answer a;
    answer(&a, "old");
    web_cache_put(c, 1, "k", 1, &a);
    struct web_cached *held = web_cache_get(c, 1, "k", 1);
    assert_non_null(held);
    assert_null(web_cache_get(c, 2, "k", 1)); /* generation 2: emptied */
    web_cache_put(c, 1, "k", 1, &a);          /* too old now */
    assert_null(web_cache_get(c, 2, "k", 1));
    assert_memory_equal(held->body, "old", 3); /* still readable */
    web_cache_unref(held);
    sb_release(&a.body);
    answer(&a, "new");
    web_cache_put(c, 2, "k", 1, &a);
    struct web_cached *e = web_cache_get(c, 2, "k", 1);
    assert_non_null(e);
    assert_memory_equal(e->body, "new", 3);
    web_cache_unref(e);
    assert_null(web_cache_get(c, 1, "k", 1)); /* an older request: no answer */
    sb_release(&a.body);
    web_cache_free(c);
}

/* Only 200 answers with an ETag are stored; the bytes are bounded: an
 * answer over a quarter of the bound is never stored, and when the bound
 * is reached the table is emptied and fills again. */
static void test_bounds(void **state)
{
    (void)state;
    struct web_cache *c = mk(4096);
    struct web_answer a;
    answer(&a, "x");
    a.status = 404;
    web_cache_put(c, 1, "404", 3, &a);
    assert_null(web_cache_get(c, 1, "404", 3));
    a.status = 200;
    a.etag[0] = '\0';
    web_cache_put(c, 1, "noetag", 6, &a);
    assert_null(web_cache_get(c, 1, "noetag", 6));
    sb_release(&a.body);
    char big[2048];
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    answer(&a, big);
    web_cache_put(c, 1, "big", 3, &a);
    assert_null(web_cache_get(c, 1, "big", 3));
    sb_release(&a.body);
    answer(&a, "0123456789012345678901234567890123456789");
    char key[16];
    size_t max_n = 0;
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof key, "k%d", i);
        web_cache_put(c, 1, key, strlen(key), &a);
        size_t n, bytes;
        unsigned long long hits;
        web_cache_stats(c, &n, &bytes, &hits);
        assert_true(bytes <= 4096);
        assert_true(n >= 1);
        if (n > max_n)
            max_n = n;
    }
    assert_true(max_n > 1 && max_n < 200); /* it filled, then it was emptied */
    struct web_cached *e = web_cache_get(c, 1, "k199", 4); /* the last one stays */
    assert_non_null(e);
    web_cache_unref(e);
    sb_release(&a.body);
    web_cache_free(c);
}

/* The key tells apart what the answer depends on: language, ?lang=, path,
 * query names and values in order; percent-encoding keeps "a=b&c" as a
 * value apart from two arguments. */
static void test_keys(void **state)
{
    (void)state;
    struct arena ar = ARENA_INIT;
    struct web_req r1 = { .arena = &ar, .path = "/indicators/x", .lang = WEB_SV };
    struct web_req r2 = r1;
    struct strbuf k1 = STRBUF_INIT, k2 = STRBUF_INIT;
#define SAME(want)                                                                \
    do {                                                                          \
        sb_reset(&k1);                                                            \
        sb_reset(&k2);                                                            \
        assert_int_equal(web_cache_key(&r1, &k1), 0);                             \
        assert_int_equal(web_cache_key(&r2, &k2), 0);                             \
        assert_int_equal(k1.len == k2.len && memcmp(k1.buf, k2.buf, k1.len) == 0, \
                         (want));                                                 \
    } while (0)
    SAME(1);
    r2.lang = WEB_EN;
    SAME(0);
    r2 = r1;
    r2.lang_from_query = true;
    SAME(0);
    r2 = r1;
    r2.path = "/indicators/y";
    SAME(0);
    r1.query[0] = (struct web_param){ "a", "b&c=d" };
    r1.nquery = 1;
    r2 = r1;
    SAME(1);
    r2.query[0] = (struct web_param){ "a", "b" };
    r2.query[1] = (struct web_param){ "c", "d" };
    r2.nquery = 2;
    SAME(0);
    r1.query[0] = (struct web_param){ "c", "d" };
    r1.query[1] = (struct web_param){ "a", "b" };
    r1.nquery = 2;
    SAME(0);
#undef SAME
    sb_release(&k1);
    sb_release(&k2);
    arena_release(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get),
        cmocka_unit_test(test_memory_file),
        cmocka_unit_test(test_generations),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
