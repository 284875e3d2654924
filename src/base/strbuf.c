/* src/base/strbuf.c: growable buffer with doubling capacity. See strbuf.h. */
#include "base/strbuf.h"

#include "base/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sb_empty[1];

void sb_init(struct strbuf *sb)
{
    sb->buf = sb_empty;
    sb->len = 0;
    sb->cap = 0;
}

void sb_release(struct strbuf *sb)
{
    if (sb->cap > 0)
        free(sb->buf);
    sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->buf[0] = '\0';
}

int sb_grow(struct strbuf *sb, size_t n)
{
    if (n > SIZE_MAX - sb->len - 1)
        return KN_ENOMEM;
    size_t need = sb->len + n + 1;
    if (need <= sb->cap)
        return 0;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = sb->cap ? realloc(sb->buf, cap) : malloc(cap);
    if (p == NULL)
        return KN_ENOMEM;
    if (sb->cap == 0)
        p[0] = '\0';
    sb->buf = p;
    sb->cap = cap;
    return 0;
}

int sb_add(struct strbuf *sb, const void *p, size_t len)
{
    if (sb_grow(sb, len) != 0)
        return KN_ENOMEM;
    if (len > 0)
        memcpy(sb->buf + sb->len, p, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
    return 0;
}

int sb_addstr(struct strbuf *sb, const char *s)
{
    return sb_add(sb, s, strlen(s));
}

int sb_addch(struct strbuf *sb, char c)
{
    return sb_add(sb, &c, 1);
}

int sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return KN_EINPUT;
    if (sb_grow(sb, (size_t)n) != 0)
        return KN_ENOMEM;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return 0;
}

int sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sb_vaddf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

void sb_truncate(struct strbuf *sb, size_t len)
{
    if (len >= sb->len)
        return;
    sb->len = len;
    sb->buf[len] = '\0';
}

char *sb_detach(struct strbuf *sb, size_t *len_out)
{
    char *s;
    if (sb->cap == 0) {
        s = malloc(1);
        if (s != NULL)
            s[0] = '\0';
    } else {
        s = sb->buf;
    }
    if (len_out != NULL)
        *len_out = sb->len;
    sb_init(sb);
    return s;
}
