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

bool text_list_next(const char **p, const char **item, size_t *len)
{
    const char *s = *p;
    if (!s || !*s)
        return false;
    size_t n = strcspn(s, ",");
    *item = s;
    *len = n;
    *p = s + n + (s[n] == ',');
    return true;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

void text_trim(const char **s, size_t *len)
{
    while (*len && blank(**s))
        (*s)++, (*len)--;
    while (*len && blank((*s)[*len - 1]))
        (*len)--;
}

bool text_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    const char *it;
    size_t len;
    if (n == 0)
        return false;
    for (const char *p = list; text_list_next(&p, &it, &len);) {
        text_trim(&it, &len);
        if (len == n && memcmp(it, item, n) == 0)
            return true;
    }
    return false;
}
