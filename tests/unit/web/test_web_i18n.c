/* tests/unit/web/test_web_i18n.c: src/web/web_i18n.c, the message
 * catalogue and the choice of language. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/embed.h"
#include "web/web_i18n.h"

static int parse(const char *text, char *msg, size_t cap)
{
    struct web_i18n *c = NULL;
    struct kn_error err = KN_ERROR_INIT;
    int rc = web_i18n_parse(&c, "m.csv", text, strlen(text), &err);
    snprintf(msg, cap, "%s", err.msg);
    web_i18n_free(c);
    return rc;
}

/* A message missing in one language, empty, or given twice fails the
 * load, naming the file, line and key. */
static void test_missing_language_fails(void **state)
{
    (void)state;
    char msg[512];
    assert_int_equal(parse("key,sv,en\nok,Ja,Yes\nnav,Start,\n", msg, sizeof msg), KN_EINPUT);
    assert_string_equal(msg, "m.csv:3: message 'nav' has no English (en) text");
    assert_int_equal(parse("key,sv,en\nnav,,Home\n", msg, sizeof msg), KN_EINPUT);
    assert_string_equal(msg, "m.csv:2: message 'nav' has no Swedish (sv) text");
    assert_int_equal(parse("key,sv,en\nnav,Start\n", msg, sizeof msg), KN_EINPUT);
    assert_non_null(strstr(msg, "m.csv:2: message 'nav' needs 3 fields"));
    assert_int_equal(parse("key,sv,en\na,x,y\na,x,y\n", msg, sizeof msg), KN_EINPUT);
    assert_non_null(strstr(msg, "m.csv:3: message 'a' given twice"));
    assert_int_equal(parse("key,en,sv\n", msg, sizeof msg), KN_EINPUT);
    assert_int_equal(parse("key,sv,en\nbad key,x,y\n", msg, sizeof msg), KN_EINPUT);
    assert_int_equal(parse("key,sv,en\nok,\"Ja, visst\",\"Yes, sure\"\n", msg, sizeof msg), 0);
}

/* The shipped catalogue loads (so every key has both languages), and every
 * {{t.KEY}} of every embedded template is in it. */
static void test_shipped_catalogue_covers_templates(void **state)
{
    (void)state;
    struct web_i18n *c = NULL;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(web_i18n_load_embedded(&c, &err), 0);
    size_t used = 0;
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        if (strncmp(f->name, "templates/", 10) != 0)
            continue;
        const char *p = (const char *)f->data;
        while ((p = strstr(p, "{{t.")) != NULL) {
            p += 4;
            char key[64];
            size_t l = strcspn(p, "}");
            assert_true(l < sizeof key);
            memcpy(key, p, l);
            key[l] = '\0';
            if (!web_i18n_get(c, WEB_SV, key) || !web_i18n_get(c, WEB_EN, key))
                fail_msg("%s uses t.%s, which data/i18n/messages.csv lacks", f->name, key);
            used++;
        }
    }
    assert_true(used > 20);
    assert_string_equal(web_i18n_get(c, WEB_SV, "nav_start"), "Start");
    assert_string_equal(web_i18n_get(c, WEB_EN, "nav_start"), "Home");
    assert_null(web_i18n_get(c, WEB_EN, "no_such_key"));
    assert_non_null(json_object_get(web_i18n_table(c, WEB_EN), "help_bris"));
    web_i18n_free(c);
}

/* ?lang= first, then the cookie, then Accept-Language by quality, then
 * Swedish; junk is ignored. */
static void test_pick(void **state)
{
    (void)state;
    assert_int_equal(web_lang_pick(NULL, NULL, NULL), WEB_SV);
    assert_int_equal(web_lang_pick("en", "sv", "sv"), WEB_EN);
    assert_int_equal(web_lang_pick("xx", "en", "sv"), WEB_EN);
    assert_int_equal(web_lang_pick(NULL, "sv", "en"), WEB_SV);
    assert_int_equal(web_lang_pick(NULL, "junk", "en-GB,en;q=0.9"), WEB_EN);
    assert_int_equal(web_lang_pick(NULL, NULL, "de-DE,sv;q=0.3,en;q=0.2"), WEB_SV);
    assert_int_equal(web_lang_pick(NULL, NULL, "sv;q=0.2, EN;q=0.5"), WEB_EN);
    assert_int_equal(web_lang_pick(NULL, NULL, "fr, de"), WEB_SV);
    assert_int_equal(web_lang_pick(NULL, NULL, "english"), WEB_SV);
    assert_int_equal(web_lang_pick(NULL, NULL, ";;;,,q=,en;q"), WEB_EN);
    enum web_lang l;
    assert_false(web_lang_parse("EN", &l));
    assert_true(web_lang_parse("en", &l));
    assert_string_equal(web_lang_code(l), "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_language_fails),
        cmocka_unit_test(test_shipped_catalogue_covers_templates),
        cmocka_unit_test(test_pick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
