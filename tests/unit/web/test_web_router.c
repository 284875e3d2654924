/* tests/unit/web/test_web_router.c: src/web/web_router.c, route matching
 * and the portal's table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "base/embed.h"
#include "access/access_session.h"
#include "web/web_openapi.h"
#include "web/web_router.h"

static int h_a(struct web_req *rq) { (void)rq; return 1; }
static int h_b(struct web_req *rq) { (void)rq; return 2; }
static int h_c(struct web_req *rq) { (void)rq; return 3; }

static const struct web_route table[] = {
    { "GET", "/", h_a, "public", NULL, false },
    { "GET", "/things/{id}", h_b, "public", NULL, false },
    { "POST", "/things/{id}", h_c, "public", NULL, false },
    { "GET", "/things/{id}/parts/{part}", h_c, "public", NULL, false },
    { "GET", "/admin", h_a, "admin", NULL, false },
};
#define N (sizeof table / sizeof table[0])

static enum web_match m(const char *method, const char *path, struct web_req *rq,
                        const struct web_route **out, char allow[64])
{
    memset(rq->params, 0, sizeof rq->params);
    rq->nparams = 0;
    return web_route_match(table, N, method, path, rq, out, allow);
}

/* Literal paths match exactly; {name} takes one segment of [A-Za-z0-9._-]. */
static void test_patterns(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_req rq = { .arena = &a };
    const struct web_route *r = NULL;
    char allow[64];
    assert_int_equal(m("GET", "/", &rq, &r, allow), WEB_MATCH_OK);
    assert_ptr_equal(r->fn, h_a);
    assert_int_equal(m("GET", "/things/ref-a", &rq, &r, allow), WEB_MATCH_OK);
    assert_ptr_equal(r->fn, h_b);
    assert_string_equal(web_param(&rq, "id"), "ref-a");
    assert_null(web_param(&rq, "other"));
    assert_int_equal(m("GET", "/things/01/parts/x.y_z", &rq, &r, allow), WEB_MATCH_OK);
    assert_string_equal(web_param(&rq, "id"), "01");
    assert_string_equal(web_param(&rq, "part"), "x.y_z");
    /* not matched: empty segment, extra segments, bad characters, dot-first */
    const char *none[] = { "/things/", "/things", "/things/a/b", "/things/a b", "/things/%2e",
                           "/things/../x", "/things/.hidden", "//", "/thingsx/a", "" };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_int_equal(m("GET", none[i], &rq, &r, allow), WEB_MATCH_NONE);
    arena_release(&a);
}

/* HEAD matches GET routes; another method on a known path is 405 with the
 * methods it does allow. */
static void test_methods(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_req rq = { .arena = &a };
    const struct web_route *r = NULL;
    char allow[64];
    assert_int_equal(m("HEAD", "/things/1", &rq, &r, allow), WEB_MATCH_OK);
    assert_ptr_equal(r->fn, h_b);
    assert_int_equal(m("POST", "/things/1", &rq, &r, allow), WEB_MATCH_OK);
    assert_ptr_equal(r->fn, h_c);
    assert_int_equal(m("DELETE", "/things/1", &rq, &r, allow), WEB_MATCH_METHOD);
    assert_string_equal(allow, "GET, HEAD, POST");
    assert_int_equal(m("POST", "/", &rq, &r, allow), WEB_MATCH_METHOD);
    assert_string_equal(allow, "GET, HEAD");
    assert_int_equal(m("DELETE", "/nowhere", &rq, &r, allow), WEB_MATCH_NONE);
    arena_release(&a);
}

/* Access is checked in one place: public routes are open, others need a
 * session (401) and then the role (403); a declaration that does not
 * parse closes its route. (Scope rules: tests/http/http_access.py.) */
static void test_access(void **state)
{
    (void)state;
    struct web_req rq = { 0 };
    struct access_session s = { 0 };
    static const struct web_route odd = { "GET", "/x", h_a, "admni", NULL, false };
    assert_int_equal(web_route_allows(&table[0], &rq), 0);
    assert_int_equal(web_route_allows(&table[4], &rq), 401);
    rq.session = &s;
    s.user.role = ROLE_ANALYST;
    assert_int_equal(web_route_allows(&table[4], &rq), 403);
    s.user.role = ROLE_ADMIN;
    assert_int_equal(web_route_allows(&table[4], &rq), 0);
    assert_int_equal(web_route_allows(&odd, &rq), 403);
    assert_false(web_access_valid("admni"));
    assert_false(web_access_valid(""));
    assert_false(web_access_valid("@region"));
    assert_true(web_access_valid("coordinator,registrar @region"));
    assert_true(web_access_valid("signed-in"));
}

/* The portal's own table: every route GET or POST with a declaration that
 * parses, patterns that start with '/', and no two routes with the same
 * method and pattern; the pages a person uses have templates, /api/ routes
 * none; a scope rule only where the path has its parameter. */
static void test_portal_table(void **state)
{
    (void)state;
    size_t n;
    const struct web_route *t = web_routes(&n);
    assert_true(n >= 6);
    for (size_t i = 0; i < n; i++) {
        assert_true(strcmp(t[i].method, "GET") == 0 || strcmp(t[i].method, "POST") == 0);
        if (!web_access_valid(t[i].access))
            fail_msg("route %s %s: access '%s' does not parse", t[i].method, t[i].pattern,
                     t[i].access);
        if (strstr(t[i].access, "@region"))
            assert_non_null(strstr(t[i].pattern, "{region}"));
        if (strstr(t[i].access, "@person"))
            assert_non_null(strstr(t[i].pattern, "{pseudonym}"));
        assert_int_equal(t[i].pattern[0], '/');
        if (strncmp(t[i].pattern, "/api/", 5) == 0)
            assert_null(t[i].tmpl);
        for (size_t k = i + 1; k < n; k++)
            assert_false(strcmp(t[i].pattern, t[k].pattern) == 0 &&
                         strcmp(t[i].method, t[k].method) == 0);
    }
    struct arena a = ARENA_INIT;
    struct web_req rq = { .arena = &a };
    const struct web_route *r = NULL;
    char allow[64];
    assert_int_equal(web_route_match(t, n, "POST", "/", &rq, &r, allow), WEB_MATCH_METHOD);
    assert_int_equal(web_route_match(t, n, "GET", "/", &rq, &r, allow), WEB_MATCH_OK);
    assert_string_equal(r->tmpl, "start");
    arena_release(&a);
}

/* The OpenAPI document (the base with its fragments) describes every
 * /api/ route of the table, and no path the table lacks. */
static void test_openapi_covers_routes(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    json_t *doc = NULL;
    assert_int_equal(web_openapi_build(&doc, &err), 0);
    json_t *paths = json_object_get(doc, "paths");
    size_t n, api = 0;
    const struct web_route *t = web_routes(&n);
    for (size_t i = 0; i < n; i++) {
        if (strncmp(t[i].pattern, "/api/", 5) != 0)
            continue;
        api++;
        if (!json_object_get(json_object_get(paths, t[i].pattern), "get"))
            fail_msg("the OpenAPI document lacks GET %s", t[i].pattern);
    }
    assert_int_equal(json_object_size(paths), api);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_portal_table),
        cmocka_unit_test(test_openapi_covers_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
