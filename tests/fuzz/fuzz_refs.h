/* tests/fuzz/fuzz_refs.h: what the fuzz targets of the reference formats
 * share (fuzz_refs_ris.c, fuzz_refs_csl.c): one format's parser and writer
 * checked on any bytes.
 *
 * fuzz_refs_one() parses the input as one file named file. The parser
 * returns 0 or KN_EINPUT with a message starting with the file's name
 * (never anything else, never a crash); on success every reference passes
 * hub_ref_check(), and the format is a fixed point: what knod writes of the
 * references reads back to as many references, which write the same bytes
 * again. A broken invariant aborts, naming the target (tag) and the check.
 */
#ifndef KNOD_TESTS_FUZZ_REFS_H
#define KNOD_TESTS_FUZZ_REFS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "hub/hub_ref.h"
#include "fuzz.h"

typedef int (*fuzz_refs_parse_fn)(const char *text, size_t len, const char *file,
                                  struct hub_ref_set *out, struct arena *a,
                                  struct kn_error *err);
typedef int (*fuzz_refs_write_fn)(const struct hub_ref *refs, size_t n, struct strbuf *out);

#define FUZZ_REFS_CHECK(tag, x)                                                      \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "%s: %s:%d: check failed: %s\n", tag, __FILE__, __LINE__, \
                    #x);                                                             \
            abort();                                                                 \
        }                                                                            \
    } while (0)

/* Check parse and write on size bytes at data as the file file; returns 0. */
static inline int fuzz_refs_one(const char *tag, const char *file, fuzz_refs_parse_fn parse_fn,
                                fuzz_refs_write_fn write_fn, const uint8_t *data, size_t size)
{
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_ref_set set = {0}, again = {0};
    arena_init(&a);
    int rc = parse_fn((const char *)data, size, file, &set, &a, &err);
    if (rc != 0) {
        FUZZ_REFS_CHECK(tag, rc == KN_EINPUT && strncmp(err.msg, file, strlen(file)) == 0);
        arena_release(&a);
        return 0;
    }
    FUZZ_REFS_CHECK(tag, set.n > 0);
    for (size_t i = 0; i < set.n; i++)
        FUZZ_REFS_CHECK(tag, hub_ref_check(&set.refs[i], &err) == 0);
    struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
    FUZZ_REFS_CHECK(tag, write_fn(set.refs, set.n, &one) == 0);
    rc = parse_fn(one.buf, one.len, file, &again, &a, &err);
    if (rc != 0)
        fprintf(stderr, "%s: rereading: %s\n", tag, err.msg);
    FUZZ_REFS_CHECK(tag, rc == 0 && again.n == set.n);
    FUZZ_REFS_CHECK(tag, write_fn(again.refs, again.n, &two) == 0);
    FUZZ_REFS_CHECK(tag, one.len == two.len && memcmp(one.buf, two.buf, one.len) == 0);
    sb_release(&one);
    sb_release(&two);
    arena_release(&a);
    return 0;
}

#endif /* KNOD_TESTS_FUZZ_REFS_H */
