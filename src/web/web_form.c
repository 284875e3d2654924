/* src/web/web_form.c: the urlencoded form parser (web_form.h). Bodies of
 * a few hundred bytes; one pass per field, decoding into the arena. */
#include "web/web_form.h"

#include <string.h>

#include "base/utf8.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..len) into a new arena string of at most max bytes. NULL
 * with *why set on a bad escape, a NUL, too long, or not UTF-8. */
static char *decode(const char *s, size_t len, size_t max, struct arena *a,
                    const char **why)
{
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;
    if (!out) {
        *why = "out of memory";
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < len ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *why = "has a bad %-escape";
                return NULL;
            }
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0') {
            *why = "holds a NUL byte";
            return NULL;
        }
        if (o == max) {
            *why = "is too long";
            return NULL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    if (!utf8_valid(out, o, NULL)) {
        *why = "is not UTF-8 text";
        return NULL;
    }
    return out;
}

int web_form_parse(const char *body, size_t len, struct web_param *out, size_t *n,
                   struct arena *a, struct kn_error *err)
{
    *n = 0;
    size_t i = 0, field = 0;
    while (i < len) {
        const char *f = body + i;
        const char *amp = memchr(f, '&', len - i);
        size_t flen = amp ? (size_t)(amp - f) : len - i;
        i += flen + (amp ? 1 : 0);
        field++;
        if (flen == 0)
            continue; /* "a=1&&b=2", a trailing '&' */
        const char *eq = memchr(f, '=', flen);
        if (!eq || eq == f)
            return kn_fail(err, KN_EINPUT, "form field %zu has no name=value", field);
        if (*n == WEB_FORM_MAX_FIELDS)
            return kn_fail(err, KN_EINPUT, "the form has more than %d fields",
                           WEB_FORM_MAX_FIELDS);
        const char *why = NULL;
        char *name = decode(f, (size_t)(eq - f), WEB_FORM_MAX_NAME, a, &why);
        if (!name)
            return kn_fail(err, KN_EINPUT, "the name of form field %zu %s", field, why);
        for (const char *p = name; *p; p++)
            if ((unsigned char)*p < 32 || *p == 127)
                return kn_fail(err, KN_EINPUT,
                               "the name of form field %zu has a control character", field);
        for (size_t k = 0; k < *n; k++)
            if (strcmp(out[k].name, name) == 0)
                return kn_fail(err, KN_EINPUT, "form field '%s' is given twice", name);
        char *value = decode(eq + 1, flen - (size_t)(eq + 1 - f), WEB_FORM_MAX_VALUE, a, &why);
        if (!value)
            return kn_fail(err, KN_EINPUT, "form field '%s' %s", name, why);
        out[*n].name = name;
        out[*n].value = value;
        (*n)++;
    }
    return 0;
}
