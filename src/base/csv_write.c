/* src/base/csv_write.c: CSV fields into a strbuf. See csv_write.h. */
#include "base/csv_write.h"

#include <stdbool.h>
#include <string.h>

#include "base/csv_guard.h"
#include "base/error.h"

/* One field; guard puts the spreadsheet guard's quote in front. */
static int put_field(struct strbuf *out, bool guard, const char *s, size_t len, int first)
{
    bool quote = len > 0 && ((!guard && s[0] == ' ') || s[len - 1] == ' ');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (sb_grow(out, len * 2 + 4) != 0)
        return KN_ENOMEM;
    char *p = out->buf + out->len;
    if (!first)
        *p++ = ',';
    if (quote)
        *p++ = '"';
    if (guard)
        *p++ = '\'';
    if (!quote) {
        memcpy(p, s, len);
        p += len;
    } else {
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '"')
                *p++ = '"';
            *p++ = s[i];
        }
        *p++ = '"';
    }
    out->len = (size_t)(p - out->buf);
    out->buf[out->len] = '\0';
    return 0;
}

int csvw_field(struct strbuf *out, const char *s, size_t len, int first)
{
    return put_field(out, false, s, len, first);
}

int csvw_text(struct strbuf *out, const char *s, size_t len, int first)
{
    return put_field(out, csv_guard_needed(s, len), s, len, first);
}

size_t csvw_format_int(int64_t v, char buf[24])
{
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

int csvw_int(struct strbuf *out, int64_t v, int first)
{
    char buf[24];
    size_t n = csvw_format_int(v, buf);
    return csvw_field(out, buf, n, first);
}

int csvw_end(struct strbuf *out)
{
    return sb_addch(out, '\n');
}
