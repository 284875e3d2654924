/* tests/fuzz/fuzz_hub_diff.c: fuzz target for src/hub/hub_diff.c.
 *
 * The input is two texts split at the first NUL (or halved). For any
 * bytes: the line script is valid (SAME pairs equal lines, every line of
 * both texts is consumed once, in order), so applying it to the first
 * text gives the second; the unified diff is empty exactly when the texts
 * are equal; the JSON model counts as many added and removed lines as the
 * script has; the word script of the two texts is valid too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hub/hub_diff.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_hub_diff: %s:%d: check failed: %s\n", __FILE__,    \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

static void check_script(const struct hub_diff_span *a, size_t na,
                         const struct hub_diff_span *b, size_t nb,
                         const struct hub_diff_edit *e, size_t n, size_t *added,
                         size_t *removed)
{
    size_t x = 0, y = 0;
    *added = *removed = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].op == HUB_DIFF_SAME) {
            CHECK(e[i].a == x && e[i].b == y && x < na && y < nb);
            CHECK(a[x].len == b[y].len && memcmp(a[x].s, b[y].s, a[x].len) == 0);
            x++, y++;
        } else if (e[i].op == HUB_DIFF_DEL) {
            CHECK(e[i].a == x && x < na);
            x++, (*removed)++;
        } else {
            CHECK(e[i].op == HUB_DIFF_ADD && e[i].b == y && y < nb);
            y++, (*added)++;
        }
    }
    CHECK(x == na && y == nb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t alen = nul ? (size_t)(nul - s) : size / 2;
    const char *b = s + alen + (nul ? 1 : 0);
    size_t blen = size - (size_t)(b - s);
    struct arena ar;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_diff_span *la, *lb, *wa, *wb;
    struct hub_diff_edit *e;
    size_t na, nb, n, added, removed;
    arena_init(&ar);
    CHECK(hub_diff_lines(s, alen, &la, &na, &ar, &err) == 0);
    CHECK(hub_diff_lines(b, blen, &lb, &nb, &ar, &err) == 0);
    CHECK(hub_diff_seq(la, na, lb, nb, &e, &n, &ar, &err) == 0);
    check_script(la, na, lb, nb, e, n, &added, &removed);

    struct strbuf out = STRBUF_INIT;
    CHECK(hub_diff_unified(s, alen, b, blen, "a", "b", 3, &out, &err) == 0);
    bool equal = alen == blen && memcmp(s, b, alen) == 0;
    CHECK((out.len == 0) == equal);
    sb_release(&out);

    json_t *m = NULL;
    CHECK(hub_diff_json(s, alen, b, blen, 2, &m, &err) == 0);
    CHECK((size_t)json_integer_value(json_object_get(m, "added")) == added);
    CHECK((size_t)json_integer_value(json_object_get(m, "removed")) == removed);
    json_decref(m);

    CHECK(hub_diff_words(s, alen, &wa, &na, &ar, &err) == 0);
    CHECK(hub_diff_words(b, blen, &wb, &nb, &ar, &err) == 0);
    CHECK(hub_diff_seq(wa, na, wb, nb, &e, &n, &ar, &err) == 0);
    check_script(wa, na, wb, nb, e, n, &added, &removed);
    arena_release(&ar);
    return 0;
}
