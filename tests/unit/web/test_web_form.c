/* tests/unit/web/test_web_form.c: src/web/web_form.c, the urlencoded form
 * parser, and src/web/web_csrf.c, the CSRF tokens the dispatcher checks. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "access/access_session.h"
#include "web/web_csrf.h"
#include "web/web_form.h"

static int parse(const char *body, struct web_param *f, size_t *n, struct arena *a,
                 struct kn_error *err)
{
    return web_form_parse(body, strlen(body), f, n, a, err);
}

/* '+' is a space, %XX a byte (either case), empty fields are skipped, an
 * empty value is a value, '=' inside a value stays. */
static void test_decoding(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct web_param f[WEB_MAX_FORM];
    size_t n;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(parse("username=anna+berg&password=a%3Db%25c%2bd%C3%A5&&next=&x=1=2",
                           f, &n, &a, &err), 0);
    assert_int_equal(n, 4);
    assert_string_equal(f[0].name, "username");
    assert_string_equal(f[0].value, "anna berg");
    assert_string_equal(f[1].value, "a=b%c+då");
    assert_string_equal(f[2].name, "next");
    assert_string_equal(f[2].value, "");
    assert_string_equal(f[3].value, "1=2");
    assert_int_equal(parse("", f, &n, &a, &err), 0);
    assert_int_equal(n, 0);
    arena_release(&a);
}

/* Every refusal names the field (by name, or by position) and never
 * quotes a value. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *body, *want;
    } bad[] = {
        { "a=1&b", "form field 2 has no name=value" },
        { "=1", "form field 1 has no name=value" },
        { "a=%4", "form field 'a' has a bad %-escape" },
        { "a=%g1", "form field 'a' has a bad %-escape" },
        { "a=%", "form field 'a' has a bad %-escape" },
        { "a=x%00y", "form field 'a' holds a NUL byte" },
        { "a=%ff%fe", "form field 'a' is not UTF-8 text" },
        { "a%0a=1", "the name of form field 1 has a control character" },
        { "a=1&a=2", "form field 'a' is given twice" },
    };
    struct arena a = ARENA_INIT;
    struct web_param f[WEB_MAX_FORM];
    size_t n;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct kn_error err = KN_ERROR_INIT;
        assert_int_equal(parse(bad[i].body, f, &n, &a, &err), KN_EINPUT);
        if (strcmp(err.msg, bad[i].want) != 0)
            fail_msg("'%s': got '%s', want '%s'", bad[i].body, err.msg, bad[i].want);
    }
    /* limits: field count, name and value length */
    char big[8192];
    size_t o = 0;
    for (int i = 0; i <= WEB_FORM_MAX_FIELDS; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "f%d=1&", i);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(parse(big, f, &n, &a, &err), KN_EINPUT);
    char want[32];
    snprintf(want, sizeof want, "more than %d fields", WEB_FORM_MAX_FIELDS);
    assert_non_null(strstr(err.msg, want));
    memset(big, 'n', WEB_FORM_MAX_NAME + 1);
    strcpy(big + WEB_FORM_MAX_NAME + 1, "=1");
    assert_int_equal(parse(big, f, &n, &a, &err), KN_EINPUT);
    assert_string_equal(err.msg, "the name of form field 1 is too long");
    strcpy(big, "v=");
    memset(big + 2, 's', WEB_FORM_MAX_VALUE + 1);
    big[WEB_FORM_MAX_VALUE + 3] = '\0';
    assert_int_equal(parse(big, f, &n, &a, &err), KN_EINPUT);
    assert_string_equal(err.msg, "form field 'v' is too long");
    big[WEB_FORM_MAX_VALUE + 2] = '\0'; /* exactly the limit */
    assert_int_equal(parse(big, f, &n, &a, &err), 0);
    arena_release(&a);
}

/* CSRF: the methods that change state; a signed-in request needs its
 * session's token; an anonymous one the same signed token in cookie and
 * field, signed under this server's key. */
static void test_csrf(void **state)
{
    (void)state;
    struct web_app app = { 0 };
    memset(app.form_key, 7, sizeof app.form_key);
    struct arena a = ARENA_INIT;
    struct web_req rq = { .arena = &a, .app = &app };
    assert_true(web_csrf_needed("POST") && web_csrf_needed("DELETE") &&
                web_csrf_needed("PUT") && web_csrf_needed("PATCH"));
    assert_false(web_csrf_needed("GET") || web_csrf_needed("HEAD"));

    const char *tok = web_csrf_token(&rq);
    assert_non_null(tok);
    assert_int_equal(strlen(tok), WEB_CSRF_ANON_CHARS);
    assert_int_equal(rq.ncookies, 1);
    assert_non_null(strstr(rq.cookies[0], "knod_csrf="));
    assert_non_null(strstr(rq.cookies[0], "SameSite=Strict"));
    struct web_req post = { .arena = &a, .app = &app, .method = "POST" };
    assert_false(web_csrf_ok(&post)); /* nothing */
    post.form[0] = (struct web_param){ "csrf", tok };
    post.nform = 1;
    assert_false(web_csrf_ok(&post)); /* no cookie */
    post.cookie_csrf = tok;
    assert_true(web_csrf_ok(&post));
    /* the same token, but signed under another server's key */
    struct web_app other = app;
    other.form_key[0] ^= 1;
    post.app = &other;
    assert_false(web_csrf_ok(&post));
    post.app = &app;
    /* a valid token presented again by the same browser is reused */
    struct web_req again = { .arena = &a, .app = &app, .cookie_csrf = tok };
    assert_string_equal(web_csrf_token(&again), tok);
    assert_int_equal(again.ncookies, 0);

    /* signed in: the session's token only, the anonymous one no more */
    struct access_session s = { 0 };
    snprintf(s.csrf, sizeof s.csrf, "%064d", 42);
    post.session = &s;
    assert_false(web_csrf_ok(&post));
    post.form[0].value = s.csrf;
    assert_true(web_csrf_ok(&post));
    post.nform = 0;
    post.header_csrf = s.csrf;
    assert_true(web_csrf_ok(&post)); /* the header does too */
    post.header_csrf = "";
    assert_false(web_csrf_ok(&post));
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoding),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_csrf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
