/* src/network/net_text.c: field checks for the network's objects
 * (net_text.h). */
#include "network/net_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"

int net_text_check(const char *field, const char *v, size_t max, bool required,
                   bool multiline, struct kn_error *err)
{
    if (!v || !*v)
        return required ? kn_fail(err, KN_EINPUT, "%s is missing", field) : 0;
    size_t len = strlen(v);
    if (len > max)
        return kn_fail(err, KN_EINPUT, "%s: at most %zu bytes", field, max);
    if (!utf8_valid(v, len, NULL))
        return kn_fail(err, KN_EINPUT, "%s: not valid UTF-8", field);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
            return kn_fail(err, KN_EINPUT, "%s: a control character at byte %zu%s", field,
                           i + 1, multiline ? "" : " (one line only)");
    }
    if (pnr_find_shaped(v, len, NULL, NULL))
        return kn_fail(err, KN_EINPUT,
                       "%s holds a personnummer-shaped number: the network keeps no "
                       "person-level data",
                       field);
    return 0;
}

/* "a, b or c" from allowed, into buf. */
static const char *choices(const char *const *allowed, char *buf, size_t cap)
{
    size_t n = 0, len = 0;
    while (allowed[n])
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(buf + len, cap - len, "%s%s", sep, allowed[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return buf;
}

int net_enum_check(const char *field, const char *v, const char *const *allowed,
                   struct kn_error *err)
{
    char buf[400];
    if (!v || !*v)
        return kn_fail(err, KN_EINPUT, "%s is missing (%s)", field,
                       choices(allowed, buf, sizeof buf));
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], v) == 0)
            return 0;
    if (pnr_find_shaped(v, strlen(v), NULL, NULL))
        return kn_fail(err, KN_EINPUT, "%s: one of %s", field,
                       choices(allowed, buf, sizeof buf));
    return kn_fail(err, KN_EINPUT, "%s: '%.40s' is not one of %s", field, v,
                   choices(allowed, buf, sizeof buf));
}

int net_list_check(const char *field, const char *v, const char *const *allowed,
                   bool required, struct kn_error *err)
{
    char buf[400];
    if (!v || !*v)
        return required ? kn_fail(err, KN_EINPUT, "%s is missing (one or more of %s)",
                                  field, choices(allowed, buf, sizeof buf))
                        : 0;
    unsigned seen = 0; /* bit i: allowed[i] named */
    const char *p = v;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t i;
        for (i = 0; allowed[i] &&
                    !(strlen(allowed[i]) == len && memcmp(allowed[i], p, len) == 0);
             i++)
            ;
        if (!allowed[i]) {
            if (pnr_find_shaped(p, len, NULL, NULL) || len > 40)
                return kn_fail(err, KN_EINPUT, "%s: each item one of %s", field,
                               choices(allowed, buf, sizeof buf));
            return kn_fail(err, KN_EINPUT, "%s: '%.*s' is not one of %s", field, (int)len,
                           p, choices(allowed, buf, sizeof buf));
        }
        if (i < 32 && (seen & (1u << i)))
            return kn_fail(err, KN_EINPUT, "%s: '%s' given twice", field, allowed[i]);
        if (i < 32)
            seen |= 1u << i;
        if (!e)
            return 0;
        p = e + 1;
    }
}

int net_int_parse(const char *field, const char *v, long lo, long hi, long *out,
                  struct kn_error *err)
{
    if (!v || !*v)
        return kn_fail(err, KN_EINPUT, "%s is missing", field);
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (*end || errno || x < lo || x > hi || end == v || v[0] == ' ' || v[0] == '+')
        return kn_fail(err, KN_EINPUT, "%s: a whole number from %ld to %ld", field, lo,
                       hi);
    *out = x;
    return 0;
}

int net_region_check(struct store *st, const char *field, const char *v,
                     struct kn_error *err)
{
    if (!v || !*v)
        return kn_fail(err, KN_EINPUT, "%s is missing (a region code, see knod geo)",
                       field);
    struct store_stmt *s;
    if (store_prepare(st, "SELECT 1 FROM region WHERE code = $1", &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, v, strlen(v));
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc == STORE_DONE) {
        if (strlen(v) > 8 || pnr_find_shaped(v, strlen(v), NULL, NULL))
            return kn_fail(err, KN_EINPUT, "%s: not a region code (see knod geo)", field);
        return kn_fail(err, KN_EINPUT, "%s: '%s' is not a region code (see knod geo)",
                       field, v);
    }
    return rc < 0 ? rc : 0;
}
