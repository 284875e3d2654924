/* tests/fuzz/fuzz_pnr_shape.c: fuzz target for src/domain/pnr_shape.c.
 *
 * For any bytes, with pnr_parse() as the independent oracle:
 *  - every stretch of 10 to 13 digits and separators, between non-digits,
 *    that pnr_parse() accepts is found by pnr_find_valid() and has no digit
 *    left after pnr_mask(); pnr_find_valid() finds nothing where no such
 *    stretch parses;
 *  - pnr_mask() keeps the length, changes only digits (to 'X'), masks
 *    something exactly when pnr_find_shaped() finds something, and leaves
 *    nothing that pnr_find_shaped() finds; the shaped part found lies in
 *    the input and starts and ends with a digit;
 *  - pnr_mask_copy() into a buffer of any size gives the masked text, cut
 *    (no digit of a number the cut splits shows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pnr.h"
#include "domain/pnr_shape.h"
#include "fuzz.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_pnr_shape: %s:%d: check failed: %s\n", __FILE__,   \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Does s[a..b) (digits and at most a '-' or '+', between non-digits) parse
 * as a number with the reference date today? */
static bool parses_at(const char *s, size_t len, size_t a, size_t b, kn_day today)
{
    if (!digit(s[a]) || !digit(s[b - 1]) || (a > 0 && digit(s[a - 1]))
        || (b < len && digit(s[b])))
        return false;
    for (size_t i = a; i < b; i++)
        if (!digit(s[i]) && s[i] != '-' && s[i] != '+')
            return false;
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    bool ok = pnr_parse(s + a, b - a, today, &p, &err) == 0;
    pnr_wipe(&p);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    const char *s = (const char *)data;
    char *m = malloc(size + 1);
    CHECK(m != NULL);
    memcpy(m, s, size);
    m[size] = '\0';

    size_t at = 0, n = 0;
    bool shaped = pnr_find_shaped(s, size, &at, &n);
    if (shaped) {
        CHECK(n >= 10 && n <= 13 && at + n <= size);
        CHECK(digit(s[at]) && digit(s[at + n - 1]));
    }
    size_t count = pnr_mask(m, size);
    CHECK((count > 0) == shaped);
    for (size_t i = 0; i < size; i++)
        CHECK(m[i] == s[i] || (digit(s[i]) && m[i] == PNR_MASK_CHAR));
    CHECK(!pnr_find_shaped(m, size, NULL, NULL));
    CHECK(!pnr_find_valid(m, size));

    bool any_now = false, any_ever = false;
    kn_day today = date_from_ymd(2026, 11, 23), ever = date_from_ymd(9999, 12, 31);
    for (size_t a = 0; a < size; a++) {
        for (size_t b = a + 10; b <= size && b <= a + 13; b++) {
            if (parses_at(s, size, a, b, today)) {
                any_now = true;
                for (size_t i = a; i < b; i++)
                    CHECK(!digit(m[i]));
            }
            if (!any_ever && parses_at(s, size, a, b, ever))
                any_ever = true;
        }
    }
    bool valid = pnr_find_valid(s, size);
    CHECK(!any_now || valid);
    CHECK(!valid || any_ever);

    /* The copy, NUL-terminated input only (up to the first NUL). */
    size_t slen = strnlen(s, size);
    char *in = malloc(slen + 1), *out = malloc(slen + 2);
    CHECK(in != NULL && out != NULL);
    memcpy(in, s, slen);
    in[slen] = '\0';
    char *whole = malloc(slen + 1);
    CHECK(whole != NULL);
    memcpy(whole, in, slen + 1);
    pnr_mask(whole, slen);
    for (size_t cap = 1; cap <= slen + 1; cap += cap < 16 ? 1 : 7) {
        CHECK(pnr_mask_copy(in, slen, out, cap) == out);
        size_t got = strlen(out);
        CHECK(got == (slen < cap - 1 ? slen : cap - 1));
        CHECK(memcmp(out, whole, got) == 0);
    }
    free(whole);
    free(in);
    free(out);
    free(m);
    return 0;
}
