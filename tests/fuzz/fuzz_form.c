/* tests/fuzz/fuzz_form.c: fuzz target for src/web/web_form.c.
 *
 * Whatever the parser accepts must hold its promises: at most
 * WEB_FORM_MAX_FIELDS fields, non-empty names of at most WEB_FORM_MAX_NAME
 * bytes without control characters, values of at most WEB_FORM_MAX_VALUE
 * bytes, all valid UTF-8 without NUL, no name twice; and encoding the
 * fields again and parsing that gives the same fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/utf8.h"
#include "fuzz.h"
#include "web/web_form.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_form: %s:%d: check failed: %s\n", __FILE__,        \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

static void encode(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            sb_addch(sb, (char)c);
        else
            sb_addf(sb, "%%%02X", c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct web_param f[WEB_MAX_FORM], g[WEB_MAX_FORM];
    size_t n = 0, m = 0;
    struct kn_error err = KN_ERROR_INIT;
    if (web_form_parse((const char *)data, size, f, &n, &a, &err) == 0) {
        CHECK(n <= WEB_FORM_MAX_FIELDS);
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < n; i++) {
            size_t nl = strlen(f[i].name), vl = strlen(f[i].value);
            CHECK(nl > 0 && nl <= WEB_FORM_MAX_NAME && vl <= WEB_FORM_MAX_VALUE);
            CHECK(utf8_valid(f[i].name, nl, NULL) && utf8_valid(f[i].value, vl, NULL));
            for (const char *p = f[i].name; *p; p++)
                CHECK((unsigned char)*p >= 32 && *p != 127);
            for (size_t k = 0; k < i; k++)
                CHECK(strcmp(f[k].name, f[i].name) != 0);
            if (i)
                sb_addch(&sb, '&');
            encode(&sb, f[i].name);
            sb_addch(&sb, '=');
            encode(&sb, f[i].value);
        }
        CHECK(web_form_parse(sb.buf, sb.len, g, &m, &a, &err) == 0 && m == n);
        for (size_t i = 0; i < n; i++)
            CHECK(strcmp(f[i].name, g[i].name) == 0 && strcmp(f[i].value, g[i].value) == 0);
        sb_release(&sb);
    } else {
        CHECK(err.code == KN_EINPUT && err.msg[0]);
    }
    arena_release(&a);
    return 0;
}
