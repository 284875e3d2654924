/* tests/fuzz/fuzz_pathways.c: fuzz target for the care pathways' three
 * files (src/hub/hub_pathway.c, hub_pathways_parse()): data/pathways and
 * `knod pathways check --data DIR`.
 *
 * The input is the three files' texts (pathways.csv, phases.csv,
 * steps.csv) separated by form feeds ('\f'); a missing one is empty.
 * Taken pathways have a code, steps with codes and lines, and phases; a
 * refusal is KN_EINPUT with a message that begins with one of the three
 * files' names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hub/hub_pathway.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_pathways: %s:%d: check failed: %s\n", __FILE__,        \
                    __LINE__, #x);                                                       \
            abort();                                                                     \
        }                                                                                \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *texts[3] = {"", "", ""};
    char *p = text;
    for (int i = 0; i < 3 && p; i++) {
        texts[i] = p;
        p = strchr(p, '\f');
        if (p)
            *p++ = '\0';
    }
    static const char *const names[3] = {"pathways.csv", "phases.csv", "steps.csv"};
    struct arena a = ARENA_INIT;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_pathways ps;
    int rc = hub_pathways_parse(&ps, names, texts, &a, &err);
    if (rc == 0) {
        for (size_t i = 0; i < ps.n; i++) {
            CHECK(ps.p[i].code && ps.p[i].code[0] != '\0');
            for (size_t k = 0; k < ps.p[i].nsteps; k++)
                CHECK(ps.p[i].steps[k].code && ps.p[i].steps[k].line >= 1);
        }
    } else {
        CHECK(rc == KN_EINPUT || rc == KN_ENOMEM);
        bool named = false;
        for (int i = 0; i < 3; i++)
            named = named || strncmp(err.msg, names[i], strlen(names[i])) == 0;
        CHECK(named);
    }
    arena_release(&a);
    free(text);
    return 0;
}
