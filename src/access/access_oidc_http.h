/* src/access/access_oidc_http.h: the few HTTP requests an OpenID Connect
 * client makes (libcurl): GET a JSON document, POST a form for JSON.
 * Internal to src/access/access_oidc_*.c.
 *
 * Only http and https, no redirects followed, OIDC_HTTP_TIMEOUT_S per
 * request, answers over OIDC_HTTP_MAX_BYTES refused, and the answer must
 * be 200 with a JSON object. Messages name the URL (never a body: a token
 * answer holds secrets). Safe from several threads (no signals).
 */
#ifndef KNOD_ACCESS_ACCESS_OIDC_HTTP_H
#define KNOD_ACCESS_ACCESS_OIDC_HTTP_H

#include <jansson.h>

#include "base/error.h"

/* GET url; 0 and *out (a new JSON object reference) or KN_EIO. */
int oidc_http_get_json(const char *url, json_t **out, struct kn_error *err);

/* POST the application/x-www-form-urlencoded body to url, with an
 * "Authorization: Basic ..." header when basic is not NULL. 0 and *out, or
 * KN_EIO; a 400/401 answer's OAuth "error" code (not its description) is
 * named in the message. */
int oidc_http_post_form(const char *url, const char *body, const char *basic, json_t **out,
                        struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_OIDC_HTTP_H */
