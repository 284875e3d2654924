/* tests/unit/web/test_web_openapi.c: src/web/web_openapi.c, the API
 * description merged from a base and per-area fragments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "web/web_openapi.h"

static json_t *js(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    return v;
}

/* Merge text into the base; the error message into msg. */
static int merge(json_t *doc, const char *text, char *msg, size_t cap)
{
    struct kn_error err = KN_ERROR_INIT;
    json_t *frag = js(text);
    int rc = web_openapi_merge(doc, frag, "hub.json", &err);
    json_decref(frag);
    snprintf(msg, cap, "%s", err.msg);
    return rc;
}

static const char *BASE = "{\"openapi\":\"3.0.3\",\"paths\":{\"/api/v1/a\":{}},"
                          "\"components\":{\"schemas\":{\"Error\":{}}}}";

/* Paths and schemas of a fragment land in the base beside its own. */
static void test_merge_adds_paths_and_schemas(void **state)
{
    (void)state;
    char msg[512];
    json_t *doc = js(BASE);
    assert_int_equal(merge(doc, "{\"paths\":{\"/api/v1/b\":{\"get\":{}}},"
                                "\"components\":{\"schemas\":{\"Doc\":{\"type\":\"object\"}}}}",
                           msg, sizeof msg),
                     0);
    json_t *paths = json_object_get(doc, "paths");
    assert_int_equal(json_object_size(paths), 2);
    assert_non_null(json_object_get(paths, "/api/v1/a"));
    assert_non_null(json_object_get(json_object_get(paths, "/api/v1/b"), "get"));
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    assert_int_equal(json_object_size(schemas), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(schemas, "Doc"), "type")),
                        "object");
    json_decref(doc);
}

/* A path or schema described twice, a key other than paths and
 * components.schemas, or a non-object: an error naming fragment and key. */
static void test_merge_refuses_collisions_and_strays(void **state)
{
    (void)state;
    char msg[512];
    json_t *doc = js(BASE);
    assert_int_equal(merge(doc, "{\"paths\":{\"/api/v1/a\":{}}}", msg, sizeof msg), KN_EINPUT);
    assert_string_equal(msg, "openapi/hub.json: path '/api/v1/a' is already described elsewhere");
    assert_int_equal(merge(doc, "{\"components\":{\"schemas\":{\"Error\":{}}}}", msg, sizeof msg),
                     KN_EINPUT);
    assert_string_equal(msg, "openapi/hub.json: schema 'Error' is already described elsewhere");
    assert_int_equal(merge(doc, "{\"info\":{}}", msg, sizeof msg), KN_EINPUT);
    assert_non_null(strstr(msg, "'info': a fragment holds only paths and components"));
    assert_int_equal(merge(doc, "{\"components\":{\"responses\":{}}}", msg, sizeof msg),
                     KN_EINPUT);
    assert_non_null(strstr(msg, "components.responses"));
    assert_int_equal(merge(doc, "{\"paths\":[]}", msg, sizeof msg), KN_EINPUT);
    assert_int_equal(merge(doc, "[]", msg, sizeof msg), KN_EINPUT);
    json_decref(doc);
}

/* The shipped document: the base with every fragment, each fragment's
 * paths present, and the base's own paths kept. */
static void test_shipped_document_builds(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    json_t *doc = NULL;
    assert_int_equal(web_openapi_build(&doc, &err), 0);
    json_t *paths = json_object_get(doc, "paths");
    assert_non_null(json_object_get(paths, "/api/v1/results"));
    assert_non_null(json_object_get(paths, "/api/v1/account")); /* openapi/access.json */
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_adds_paths_and_schemas),
        cmocka_unit_test(test_merge_refuses_collisions_and_strays),
        cmocka_unit_test(test_shipped_document_builds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
