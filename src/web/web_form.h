/* src/web/web_form.h: request bodies of HTML forms
 * (application/x-www-form-urlencoded).
 *
 * web_form_parse() splits "a=1&b=x+y%21" into fields, decoding '+' to a
 * space and %XX to a byte, and refuses, with KN_EINPUT and a message that
 * names the field (by name, or by position when the name itself is bad)
 * but never quotes a value: more than WEB_FORM_MAX_FIELDS fields, a name
 * longer than WEB_FORM_MAX_NAME or a value longer than WEB_FORM_MAX_VALUE
 * bytes (decoded), a bad %-escape, a NUL byte, text that is not UTF-8, a
 * field without '=' or with an empty name, and a name given twice (so
 * that no two layers can read different values of one field). An empty
 * body is no fields. The whole body is limited before this by
 * [web] max_request_bytes (web_server.c).
 *
 * Names and values are NUL-terminated copies in the arena a.
 */
#ifndef KNOD_WEB_WEB_FORM_H
#define KNOD_WEB_WEB_FORM_H

#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"
#include "web/web_req.h"

#define WEB_FORM_MAX_FIELDS WEB_MAX_FORM
#define WEB_FORM_MAX_NAME 64
#define WEB_FORM_MAX_VALUE 4096

/* Parse len bytes at body into out[0..*n). */
int web_form_parse(const char *body, size_t len, struct web_param *out, size_t *n,
                   struct arena *a, struct kn_error *err);

#endif /* KNOD_WEB_WEB_FORM_H */
