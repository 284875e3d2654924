/* tests/unit/base/test_utf8.c: src/base/utf8.c against the Unicode
 * well-formed byte sequences table and a brute-force oracle. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/utf8.h"

static void test_valid(void **state)
{
    (void)state;
    const char *ok[] = { "", "plain ascii text, long enough for the fast path",
                         "Västra Götalandsregionen", "Jämtland Härjedalen",
                         "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xBF\xBF",
                         "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(utf8_valid(ok[i], strlen(ok[i]), NULL));
    assert_int_equal(utf8_length("Åre", 4), 3);
}

static void test_invalid_with_offset(void **state)
{
    (void)state;
    struct { const char *s; size_t len; size_t bad; } cases[] = {
        { "ab\x80", 3, 2 },              /* lone continuation */
        { "abc\xC0\xAF", 5, 3 },         /* overlong '/' */
        { "\xE0\x80\xAF", 3, 0 },        /* overlong 3-byte */
        { "x\xED\xA0\x80", 4, 1 },       /* surrogate D800 */
        { "\xF4\x90\x80\x80", 4, 0 },    /* above U+10FFFF */
        { "\xF5\x80\x80\x80", 4, 0 },
        { "abcdefgh\xC3", 9, 8 },        /* truncated at end */
        { "abcdefghij\0k", 12, 10 },     /* NUL */
        { "G\xF6teborg", 8, 1 },         /* Latin-1 ö */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t bad = 999;
        assert_false(utf8_valid(cases[i].s, cases[i].len, &bad));
        assert_int_equal(bad, cases[i].bad);
    }
}

/* Oracle: decode one code point the slow, obvious way. */
static int oracle_len(const unsigned char *s, size_t len)
{
    if (len == 0)
        return -1;
    unsigned c = s[0];
    int n;
    uint32_t cp;
    if (c == 0) return -1;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return -1;
    if ((size_t)n > len) return -1;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return n;
}

static void test_against_oracle(void **state)
{
    (void)state;
    /* Every 1-, 2- and 3-byte sequence, and a sample of 4-byte ones. */
    unsigned char buf[4];
    for (uint32_t v = 0; v < (1u << 24); v += (v < (1u << 16)) ? 1 : 7) {
        size_t len = v < 256 ? 1 : v < 65536 ? 2 : 3;
        for (size_t i = 0; i < len; i++)
            buf[i] = (unsigned char)(v >> (8 * (len - 1 - i)));
        bool want = true;
        for (size_t at = 0; at < len;) {
            int n = oracle_len(buf + at, len - at);
            if (n < 0) {
                want = false;
                break;
            }
            at += (size_t)n;
        }
        assert_int_equal(utf8_valid((const char *)buf, len, NULL), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid_with_offset),
        cmocka_unit_test(test_against_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
