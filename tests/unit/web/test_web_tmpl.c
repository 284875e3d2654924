/* tests/unit/web/test_web_tmpl.c: src/web/web_tmpl.c, the template engine.
 * Each test states the rule it checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "web/web_tmpl.h"

/* Render text as template "t" (with extra templates "name=text" pairs)
 * over the JSON model; returns the output (static) or "ERR:<message>". */
static const char *render(const char *text, const char *model, const char *p1,
                          const char *p1text)
{
    static char out[4096];
    struct kn_error err = KN_ERROR_INIT;
    struct web_tmpl_set *ts;
    assert_int_equal(web_tmpl_set_new(&ts, &err), 0);
    int rc = web_tmpl_add(ts, "t", text, strlen(text), &err);
    if (rc == 0 && p1)
        rc = web_tmpl_add(ts, p1, p1text, strlen(p1text), &err);
    if (rc == 0)
        rc = web_tmpl_check(ts, &err);
    struct strbuf sb = STRBUF_INIT;
    json_t *m = json_loads(model ? model : "{}", 0, NULL);
    assert_non_null(m);
    const json_t *ctx[] = { m };
    if (rc == 0)
        rc = web_tmpl_render(ts, "t", ctx, 1, &sb, &err);
    if (rc == 0)
        snprintf(out, sizeof out, "%s", sb.buf);
    else
        snprintf(out, sizeof out, "ERR:%s", err.msg);
    sb_release(&sb);
    json_decref(m);
    web_tmpl_set_free(ts);
    return out;
}

/* {{x}} escapes the five characters that matter in HTML text and quoted
 * attributes; everything else passes as it is (UTF-8 included). */
static void test_escaping(void **state)
{
    (void)state;
    assert_string_equal(render("<p>{{x}}</p>", "{\"x\": \"a&b<c>d\\\"e'f åäö\"}", NULL, NULL),
                        "<p>a&amp;b&lt;c&gt;d&quot;e&#39;f åäö</p>");
    /* hostile input cannot open a tag, an attribute or a script */
    assert_string_equal(render("<a title=\"{{x}}\">", "{\"x\": \"\\\" onmouseover=\\\"alert(1)\"}",
                               NULL, NULL),
                        "<a title=\"&quot; onmouseover=&quot;alert(1)\">");
    assert_string_equal(render("{{x}}", "{\"x\": \"</script><script>alert(1)</script>\"}", NULL,
                               NULL),
                        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    /* a value that looks like a tag is not expanded again */
    assert_string_equal(render("{{x}}", "{\"x\": \"{{y}}\", \"y\": \"no\"}", NULL, NULL),
                        "{{y}}");
}

/* {{{x}}} is raw: for trusted markup only. */
static void test_raw(void **state)
{
    (void)state;
    assert_string_equal(render("{{{svg}}}", "{\"svg\": \"<svg role=\\\"img\\\"></svg>\"}", NULL,
                               NULL),
                        "<svg role=\"img\"></svg>");
}

/* Numbers, booleans; null, missing names, objects and arrays as nothing. */
static void test_values_and_missing(void **state)
{
    (void)state;
    assert_string_equal(render("{{i}}|{{r}}|{{b}}|{{n}}|{{missing}}|{{o}}|{{a}}",
                               "{\"i\": 42, \"r\": 2.5, \"b\": true, \"n\": null, \"o\": {}, "
                               "\"a\": [1]}", NULL, NULL),
                        "42|2.5|true||||");
    assert_string_equal(render("[{{a.b.c}}][{{a.x.c}}]", "{\"a\": {\"b\": {\"c\": \"deep\"}}}",
                               NULL, NULL),
                        "[deep][]");
    assert_string_equal(render("{{l.1}}{{#l.0}}[{{.}}]{{/l.0}}{{#e.0}}x{{/e.0}}{{l.9}}",
                               "{\"l\": [\"a\", \"b\"], \"e\": []}", NULL, NULL),
                        "b[a]");
}

/* Sections: false, null, missing, "" and [] hide; arrays iterate with the
 * element on top; objects push; inverted sections are the opposite. */
static void test_sections(void **state)
{
    (void)state;
    const char *m = "{\"list\": [{\"n\": 1}, {\"n\": 2}], \"empty\": [], \"f\": false, "
                    "\"s\": \"\", \"o\": {\"k\": \"v\"}, \"k\": \"outer\", \"words\": [\"a\", "
                    "\"<b>\"]}";
    assert_string_equal(render("{{#list}}<{{n}}>{{/list}}", m, NULL, NULL), "<1><2>");
    assert_string_equal(render("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", m, NULL, NULL),
                        "none");
    assert_string_equal(render("{{#f}}x{{/f}}{{#s}}y{{/s}}{{#nope}}z{{/nope}}|{{^f}}F{{/f}}", m,
                               NULL, NULL),
                        "|F");
    assert_string_equal(render("{{#o}}{{k}}{{/o}} {{k}}", m, NULL, NULL), "v outer");
    /* the outer context stays visible inside a section */
    assert_string_equal(render("{{#list}}{{k}}{{n}} {{/list}}", m, NULL, NULL),
                        "outer1 outer2 ");
    assert_string_equal(render("{{#words}}[{{.}}]{{/words}}", m, NULL, NULL),
                        "[a][&lt;b&gt;]");
}

/* Partials render in the same context; comments vanish. */
static void test_partials(void **state)
{
    (void)state;
    assert_string_equal(render("<{{> p}}>{{! note }}", "{\"x\": \"X\"}", "p", "[{{x}}]"),
                        "<[X]>");
    /* a missing partial fails at check time, naming it */
    const char *e = render("{{> nothere}}", NULL, NULL, NULL);
    assert_non_null(strstr(e, "ERR:t:1: no template 'nothere'"));
}

/* Hostile or broken templates fail cleanly with a message naming the
 * template and line. */
static void test_bad_templates(void **state)
{
    (void)state;
    assert_non_null(strstr(render("a\n{{x", NULL, NULL, NULL), "ERR:t:2: unclosed tag"));
    assert_non_null(strstr(render("{{#a}}x", NULL, NULL, NULL), "ERR:t:1: section 'a' is not "
                                                                 "closed"));
    assert_non_null(strstr(render("{{#a}}{{/b}}", NULL, NULL, NULL), "closes section 'a'"));
    assert_non_null(strstr(render("{{/a}}", NULL, NULL, NULL), "closes no section"));
    assert_non_null(strstr(render("{{a b}}", NULL, NULL, NULL), "bad name"));
    assert_non_null(strstr(render("{{}}", NULL, NULL, NULL), "bad name"));
    assert_non_null(strstr(render("{{a..b}}", NULL, NULL, NULL), "bad name"));
    assert_non_null(strstr(render("{{#a\n}}", NULL, NULL, NULL), "may not span lines"));
    /* a template that includes itself stops at the depth limit */
    assert_non_null(strstr(render("{{> t}}", NULL, NULL, NULL), "partials nest too deep"));
    /* deep section nesting is refused at parse time */
    char deep[4096] = "";
    for (int i = 0; i < WEB_TMPL_MAX_DEPTH + 1; i++)
        strcat(deep, "{{#a}}");
    assert_non_null(strstr(render(deep, NULL, NULL, NULL), "nest too deep"));
    /* a NUL byte inside is refused */
    struct kn_error err = KN_ERROR_INIT;
    struct web_tmpl_set *ts;
    assert_int_equal(web_tmpl_set_new(&ts, &err), 0);
    assert_int_equal(web_tmpl_add(ts, "z", "a\0b", 3, &err), KN_EINPUT);
    assert_int_equal(web_tmpl_add(ts, "y", "ok", 2, &err), 0);
    assert_int_equal(web_tmpl_add(ts, "y", "again", 5, &err), KN_EEXIST);
    web_tmpl_set_free(ts);
}

/* Random byte soup never crashes the parser, and what parses renders. */
static void test_fuzzish(void **state)
{
    (void)state;
    static const char *const pieces[] = { "{{", "}}", "{{{", "}}}", "#", "^", "/", ">", "!",
                                          "a", ".", " ", "\n", "x", "{", "}" };
    srand(7);
    for (int round = 0; round < 3000; round++) {
        char t[256] = "";
        int k = rand() % 16;
        for (int i = 0; i < k; i++)
            strcat(t, pieces[rand() % 16]);
        const char *o = render(t, "{\"a\": [1, 2], \"x\": \"<\"}", NULL, NULL);
        assert_non_null(o);
        if (!strstr(t, "{{{")) /* without raw tags a "<" of the model is always escaped */
            assert_null(strchr(o, '<'));
    }
}

/* The shipped templates load, and every one renders over an empty model. */
static void test_embedded(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    struct web_tmpl_set *ts;
    assert_int_equal(web_tmpl_load_embedded(&ts, &err), 0);
    assert_true(web_tmpl_has(ts, "layout_head"));
    assert_true(web_tmpl_has(ts, "start"));
    json_t *m = json_object();
    const json_t *ctx[] = { m };
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(web_tmpl_render(ts, "start", ctx, 1, &sb, &err), 0);
    assert_non_null(strstr(sb.buf, "<html lang="));
    sb_release(&sb);
    json_decref(m);
    web_tmpl_set_free(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),    cmocka_unit_test(test_raw),
        cmocka_unit_test(test_values_and_missing), cmocka_unit_test(test_sections),
        cmocka_unit_test(test_partials),    cmocka_unit_test(test_bad_templates),
        cmocka_unit_test(test_fuzzish),     cmocka_unit_test(test_embedded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
