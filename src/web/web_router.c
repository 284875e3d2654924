/* src/web/web_router.c: the route table and matching (web_router.h).
 * A few dozen routes: a linear scan per request costs less than the
 * template rendering by far. */
#include <stdio.h>
#include <string.h>

#include "web/web_pages.h"
#include "web/web_router.h"

/* clang-format off */
static const struct web_route routes[] = {
    /* method pattern                      handler                 access    template  results */
    { "GET", "/",                          web_page_start,         "public", "start",     true },
    { "GET", "/api/v1/start",              web_page_start,         "public", NULL,        true },
    { "GET", "/indicators",                web_page_catalogue,     "public", "catalogue", false },
    { "GET", "/api/v1/indicators",         web_page_catalogue,     "public", NULL,        false },
    { "GET", "/indicators/{id}",           web_page_indicator,     "public", "indicator", true },
    { "GET", "/api/v1/indicators/{id}",    web_page_indicator,     "public", NULL,        true },
    { "GET", "/regions",                   web_page_regions,       "public", "regions",   false },
    { "GET", "/api/v1/regions",            web_page_regions,       "public", NULL,        false },
    { "GET", "/regions/{code}",            web_page_region,        "public", "region",    true },
    { "GET", "/api/v1/regions/{code}",     web_page_region,        "public", NULL,        true },
    { "GET", "/api/v1/municipalities",     web_api_municipalities, "public", NULL,        false },
    { "GET", "/overview",                  web_page_overview,      "public", "overview",  true },
    { "GET", "/api/v1/overview",           web_page_overview,      "public", NULL,        true },
    { "GET", "/about",                     web_page_about,         "public", "about",     false },
    { "GET", "/downloads",                 web_page_downloads,     "public", "downloads", false },
    { "GET", "/api/v1/results",            web_api_results,        "public", NULL,        true },
    { "GET", "/api/v1/status",             web_api_status,         "public", NULL,        false },
    { "GET", "/api/v1/openapi.json",       web_api_openapi,        "public", NULL,        false },
    { "GET", "/static/{file}",             web_static_file,        "public", NULL,        false },
    /* sign-in, sessions, users and person-level pages (issue 13) */
    /* the knowledge hub (issue 14) */
    /* the network (issue 15) */
    { "GET", "/events.ics",                web_page_events_ics,    "public", NULL,        false },
};
/* clang-format on */

const struct web_route *web_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

bool web_route_allows(const struct web_route *route, const struct web_req *rq)
{
    (void)rq;
    return strcmp(route->access, "public") == 0;
}

static bool seg_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* Does path match pattern? Fills params (names point into the pattern). */
static bool match(const char *pattern, const char *path, struct web_param *params,
                  size_t *np, struct arena *a)
{
    const char *p = pattern, *s = path;
    *np = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            size_t len = 0;
            while (s[len] && s[len] != '/') {
                if (!seg_char(s[len]) || (len == 0 && s[0] == '.'))
                    return false;
                len++;
            }
            if (len == 0 || !pe || *np == WEB_MAX_PARAMS)
                return false;
            if (params && a) {
                params[*np].name = arena_strndup(a, p + 1, (size_t)(pe - p - 1));
                params[*np].value = arena_strndup(a, s, len);
                if (!params[*np].name || !params[*np].value)
                    return false;
            }
            (*np)++;
            p = pe + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

enum web_match web_route_match(const struct web_route *table, size_t n, const char *method,
                               const char *path, struct web_req *rq,
                               const struct web_route **out, char allow[64])
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool other = false;
    allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t np = 0;
        if (!match(table[i].pattern, path, NULL, &np, NULL))
            continue;
        if (strcmp(table[i].method, m) == 0) {
            if (!match(table[i].pattern, path, rq->params, &rq->nparams, rq->arena))
                return WEB_MATCH_NONE; /* out of memory */
            *out = &table[i];
            return WEB_MATCH_OK;
        }
        size_t al = strlen(allow);
        if (!strstr(allow, table[i].method))
            snprintf(allow + al, 64 - al, "%s%s%s", al ? ", " : "", table[i].method,
                     strcmp(table[i].method, "GET") == 0 ? ", HEAD" : "");
        other = true;
    }
    return other ? WEB_MATCH_METHOD : WEB_MATCH_NONE;
}
