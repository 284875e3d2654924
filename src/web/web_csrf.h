/* src/web/web_csrf.h: cross-site request forgery tokens.
 *
 * Every state-changing request (POST, PUT, PATCH, DELETE) must carry a
 * token, in the form field "csrf" or the header X-CSRF-Token, and the
 * dispatcher alone checks it (web_csrf_ok) before any handler runs: a
 * missing or wrong token is 403 and the handler never sees the request.
 *
 * Signed in, the token is the session's own (access_session.csrf: 32
 * random bytes as hex, made at sign-in, so a new one with every session).
 * Anonymous (the sign-in form), it is a signed double-submit token: 16
 * random bytes and their keyed BLAKE2b-256 under the server's form key
 * (app->form_key, random at each start), as hex, both in a cookie
 * (knod_csrf; HttpOnly; SameSite=Strict) and in the form; the request must
 * bring the same valid token in both. Another site can neither read the
 * cookie nor make a token that verifies, and a cookie planted by a
 * neighbour site does not verify either. A restart of the server makes
 * the anonymous forms open at the time stale (403: reload the page).
 *
 * Tokens are compared in constant time (sodium_memcmp).
 */
#ifndef KNOD_WEB_WEB_CSRF_H
#define KNOD_WEB_WEB_CSRF_H

#include <stdbool.h>

#include "web/web_req.h"

#define WEB_CSRF_FIELD "csrf"
#define WEB_CSRF_COOKIE "knod_csrf"
#define WEB_CSRF_ANON_CHARS 96 /* hex of 16 + 32 bytes */

/* Does method change state (and so need a token)? */
bool web_csrf_needed(const char *method);

/* The token a form of rq must carry: the session's, or the anonymous
 * cookie's if it holds a valid one, else a new anonymous token whose
 * cookie is set on the answer. NULL only when out of memory. */
const char *web_csrf_token(struct web_req *rq);

/* Does rq carry the right token (see above)? For the dispatcher only. */
bool web_csrf_ok(const struct web_req *rq);

#endif /* KNOD_WEB_WEB_CSRF_H */
