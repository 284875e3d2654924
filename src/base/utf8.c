/* src/base/utf8.c: a byte-range validator (Unicode Table 3-7). ASCII runs
 * are skipped eight bytes at a time, since most CSV text is ASCII. */
#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

bool utf8_valid(const char *str, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        /* Fast path: eight ASCII bytes without NUL. */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t high = w & 0x8080808080808080ull;
            uint64_t zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
            if ((high | zero) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c >= 0x01 && c <= 0x7F) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c == 0xE0) {
            n = 2; lo = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            n = 2;
        } else if (c == 0xED) {
            n = 2; hi = 0x9F;
        } else if (c == 0xF0) {
            n = 3; lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            n = 3;
        } else if (c == 0xF4) {
            n = 3; hi = 0x8F;
        } else {
            goto fail; /* NUL, continuation byte, C0, C1, F5..FF */
        }
        if (len - i - 1 < n)
            goto fail;
        if (s[i + 1] < lo || s[i + 1] > hi)
            goto fail;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                goto fail;
        i += n + 1;
    }
    return true;
fail:
    if (bad != NULL)
        *bad = i;
    return false;
}

size_t utf8_length(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            n++;
    return n;
}
