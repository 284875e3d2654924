/* src/base/text.c: see text.h. */
#include "base/text.h"

#include <string.h>

const char *text_quote(const char *s, size_t len, char buf[TEXT_QUOTE_MAX + 4])
{
    size_t n = len < TEXT_QUOTE_MAX ? len : TEXT_QUOTE_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    if (len > n) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

int text_digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}
