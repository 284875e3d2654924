/* tests/fuzz/fuzz_web_req.c: fuzz target for what an anonymous HTTP client
 * controls before any handler runs: the path against the portal's route
 * table (src/web/web_router.c) and the language from ?lang=, the lang
 * cookie and Accept-Language (src/web/web_i18n.c).
 *
 * The input is up to five lines: method, path, Accept-Language, the lang
 * cookie, ?lang=. Whatever the path, a match holds the route's method
 * (GET for HEAD), path parameters that are one non-empty segment of
 * letters, digits, '.', '_' and '-' not starting with '.', and never more
 * than WEB_MAX_PARAMS of them; a path of another method's route names the
 * methods it allows; a request without a session is let into a public
 * route only (401 for every other), and the language is Swedish or
 * English.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "web/web_i18n.h"
#include "web/web_req.h"
#include "web/web_router.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_web_req: %s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #x);                                                       \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static bool seg_ok(const char *v)
{
    if (v[0] == '\0' || v[0] == '.')
        return false;
    for (; *v; v++)
        if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
              (*v >= '0' && *v <= '9') || *v == '.' || *v == '_' || *v == '-'))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the lines as NUL-terminated strings (a NUL inside ends a line early,
     * as it would a C string from libmicrohttpd) */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *line[5] = {"GET", "/", NULL, NULL, NULL};
    char *p = text;
    for (int i = 0; i < 5 && p; i++) {
        line[i] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }

    struct arena a = ARENA_INIT;
    struct web_req rq;
    memset(&rq, 0, sizeof rq);
    rq.arena = &a;
    rq.method = line[0];
    rq.path = line[1];
    size_t n;
    const struct web_route *table = web_routes(&n), *route = NULL;
    char allow[64];
    enum web_match m = web_route_match(table, n, line[0], line[1], &rq, &route, allow);
    if (m == WEB_MATCH_OK) {
        CHECK(route != NULL);
        CHECK(strcmp(route->method, strcmp(line[0], "HEAD") == 0 ? "GET" : line[0]) == 0);
        CHECK(rq.nparams <= WEB_MAX_PARAMS);
        for (size_t i = 0; i < rq.nparams; i++)
            CHECK(rq.params[i].name[0] != '\0' && seg_ok(rq.params[i].value));
        int allowed = web_route_allows(route, &rq);
        CHECK(strcmp(route->access, "public") == 0 ? allowed == 0 : allowed == 401);
    } else if (m == WEB_MATCH_METHOD) {
        CHECK(allow[0] != '\0' && strlen(allow) < 64);
    } else {
        CHECK(m == WEB_MATCH_NONE);
    }

    enum web_lang l = web_lang_pick(line[4], line[3], line[2]);
    CHECK(l == WEB_SV || l == WEB_EN);
    enum web_lang q;
    if (line[4] && web_lang_parse(line[4], &q))
        CHECK(l == q);
    arena_release(&a);
    free(text);
    return 0;
}
