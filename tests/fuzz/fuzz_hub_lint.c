/* tests/fuzz/fuzz_hub_lint.c: fuzz target for src/hub/hub_lint.c.
 *
 * The input is a rules file and a text, split at the first NUL (or
 * halved). For any bytes: parsing the rules either succeeds with at least
 * one rule, each with an id, a message and entries, or fails with
 * KN_EINPUT and a message; with the rules parsed (or, if they fail, the
 * shipped ones), the lint of the text as a public document's body
 * succeeds, and every finding names a rule of the set, a line within the
 * text's lines, and words that stand in the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "fuzz.h"
#include "hub/hub_lint.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_hub_lint: %s:%d: check failed: %s\n", __FILE__,    \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t rlen = nul ? (size_t)(nul - s) : size / 2;
    const char *t = s + rlen + (nul ? 1 : 0);
    size_t tlen = size - (size_t)(t - s);
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_lint_rules rules;
    arena_init(&a);
    int rc = hub_lint_rules_parse(s, rlen, "r.csv", &rules, &a, &err);
    if (rc == 0) {
        CHECK(rules.n > 0);
        for (size_t i = 0; i < rules.n; i++)
            CHECK(rules.rules[i].id && rules.rules[i].message && rules.rules[i].nentries > 0);
    } else {
        CHECK(rc == KN_EINPUT && err.msg[0]);
        CHECK(hub_lint_rules_shipped(&rules, &a, &err) == 0);
    }
    /* The body as a C string (the lint reads text, up to a NUL). */
    char *body = arena_strndup(&a, t, tlen);
    CHECK(body);
    size_t blen = strlen(body), lines = 1;
    for (size_t i = 0; i < blen; i++)
        lines += body[i] == '\n';
    const struct hub_lint_text text = {"T", "S", body, "patients,relatives", "sv", 1};
    struct hub_lint_finding *f;
    size_t n;
    CHECK(hub_lint(&rules, &text, &f, &n, &a, &err) == 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(f[i].rule >= rules.rules && f[i].rule < rules.rules + rules.n);
        CHECK(f[i].line >= 0 && (size_t)f[i].line <= lines);
        if (f[i].found && !f[i].where)
            CHECK(strstr(body, f[i].found) != NULL);
        CHECK(hub_lint_describe(&f[i], &a) != NULL);
    }
    arena_release(&a);
    return 0;
}
