/* tests/unit/base/test_text.c: src/base/text.c's comma-separated lists
 * (text_list_next, text_list_has, text_trim) on hand-picked lists and
 * against a naive split on random ones, and text_quote, text_digits. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/text.h"

/* The items of list joined by '|', each in brackets: "[a]|[]|[b]". */
static void walk(const char *list, char *out, size_t cap)
{
    const char *item;
    size_t len, o = 0;
    out[0] = '\0';
    for (const char *p = list; text_list_next(&p, &item, &len);)
        o += (size_t)snprintf(out + o, cap - o, "%s[%.*s]", o ? "|" : "", (int)len, item);
}

static void test_list_next(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"a,bb,c", "[a]|[bb]|[c]"},
        {"a", "[a]"},
        {"a,", "[a]"},          /* a comma at the end adds no item */
        {"a,,b", "[a]|[]|[b]"}, /* an empty item in the middle */
        {",a", "[]|[a]"},
        {",", "[]"},
        {" a , b", "[ a ]|[ b]"}, /* byte for byte */
        {"", ""},
    };
    char buf[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        walk(cases[i][0], buf, sizeof buf);
        assert_string_equal(buf, cases[i][1]);
    }
    walk(NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* The naive split: the runs between commas of s, the run after a comma at
 * the end left out. */
static void naive(const char *s, char *out, size_t cap)
{
    size_t o = 0, n = strlen(s), start = 0;
    out[0] = '\0';
    if (n == 0)
        return;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',')
            continue;
        if (i == n && start == n && n > 0 && s[n - 1] == ',')
            break;
        o += (size_t)snprintf(out + o, cap - o, "%s[%.*s]", o ? "|" : "", (int)(i - start),
                              s + start);
        start = i + 1;
    }
}

static void test_list_random(void **state)
{
    (void)state;
    static const char alphabet[] = "ab, ";
    srand(7);
    for (int round = 0; round < 20000; round++) {
        char s[12], want[256], got[256];
        size_t n = (size_t)(rand() % 11);
        for (size_t i = 0; i < n; i++)
            s[i] = alphabet[rand() % 4];
        s[n] = '\0';
        naive(s, want, sizeof want);
        walk(s, got, sizeof got);
        assert_string_equal(got, want);
        /* text_list_has agrees with a search of the trimmed items */
        for (const char *q = "a\0b\0ab\0ba\0"; *q; q += strlen(q) + 1) {
            char pat[8];
            snprintf(pat, sizeof pat, "[%s]", q);
            bool found = false;
            const char *item;
            size_t len;
            for (const char *p = s; text_list_next(&p, &item, &len);) {
                text_trim(&item, &len);
                found |= len == strlen(q) && memcmp(item, q, len) == 0;
            }
            assert_int_equal(text_list_has(s, q), found);
        }
    }
}

static void test_list_has(void **state)
{
    (void)state;
    assert_true(text_list_has("a,bb,c", "bb") && text_list_has("a,bb,c", "c"));
    assert_true(text_list_has("a,bb,c", "a"));
    assert_true(text_list_has(" a , bb ", "bb") && text_list_has("x,\ta", "a"));
    assert_false(text_list_has("a,bb,c", "b") || text_list_has("abb", "bb") ||
                 text_list_has("", "a") || text_list_has(NULL, "a"));
    assert_false(text_list_has("a,,b", "") || text_list_has("a,b", "a,b"));
}

static void test_trim(void **state)
{
    (void)state;
    const char *s = " \tab c\r ";
    size_t n = strlen(s);
    text_trim(&s, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(s, "ab c", 4);
    s = "   ";
    n = 3;
    text_trim(&s, &n);
    assert_int_equal(n, 0);
}

static void test_quote_digits(void **state)
{
    (void)state;
    char buf[TEXT_QUOTE_MAX + 4];
    assert_string_equal(text_quote("a\nb\xc3\xa5", 5, buf), "a?b??");
    char longer[60];
    memset(longer, 'x', sizeof longer);
    assert_int_equal(strlen(text_quote(longer, sizeof longer, buf)), TEXT_QUOTE_MAX + 3);
    assert_int_equal(text_digits("2024x", 4), 2024);
    assert_int_equal(text_digits("20a4", 4), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_next), cmocka_unit_test(test_list_random),
        cmocka_unit_test(test_list_has), cmocka_unit_test(test_trim),
        cmocka_unit_test(test_quote_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
