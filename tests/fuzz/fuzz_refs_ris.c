/* tests/fuzz/fuzz_refs_ris.c: fuzz target for the RIS parser
 * (src/hub/hub_ref_ris.c, hub_ris_parse()).
 *
 * Each input is parsed as one file named "x.ris". The parser returns 0 or
 * KN_EINPUT with a message naming the file (never anything else, never a
 * crash); on success every reference passes hub_ref_check(), and the
 * format is a fixed point: what knod writes of the references reads back
 * to as many references, which write the same bytes again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "hub/hub_ref.h"
#include "fuzz.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_refs_ris: %s:%d: check failed: %s\n", __FILE__,     \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_ref_set set = {0}, again = {0};
    arena_init(&a);
    int rc = hub_ris_parse((const char *)data, size, "x.ris", &set, &a, &err);
    if (rc != 0) {
        CHECK(rc == KN_EINPUT && strncmp(err.msg, "x.ris", 5) == 0);
        arena_release(&a);
        return 0;
    }
    CHECK(set.n > 0);
    for (size_t i = 0; i < set.n; i++)
        CHECK(hub_ref_check(&set.refs[i], &err) == 0);
    struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
    CHECK(hub_ris_write(set.refs, set.n, &one) == 0);
    rc = hub_ris_parse(one.buf, one.len, "x.ris", &again, &a, &err);
    if (rc != 0)
        fprintf(stderr, "fuzz_refs_ris: rereading: %s\n", err.msg);
    CHECK(rc == 0 && again.n == set.n);
    CHECK(hub_ris_write(again.refs, again.n, &two) == 0);
    CHECK(one.len == two.len && memcmp(one.buf, two.buf, one.len) == 0);
    sb_release(&one);
    sb_release(&two);
    arena_release(&a);
    return 0;
}
