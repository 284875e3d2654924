/* src/web/web_session.h: sessions as the portal's handlers use them.
 *
 * The store part is access_session.h (server-side sessions, 256-bit ids,
 * only a hash stored, idle and absolute timeouts). This is the web part:
 * the cookie, sign-in and sign-out on a request, and the audit entries
 * they leave.
 *
 * The cookie: `knod_session=<id>; Path=/; HttpOnly; SameSite=Lax; Secure`
 * and no Max-Age (it ends with the browser; the server ends it sooner).
 * Secure is left out only when the portal listens on a loopback address
 * (app->cookie_secure is false), where a browser talks plain HTTP to
 * 127.0.0.1 and would otherwise never send the cookie back; behind a TLS
 * proxy the portal listens on loopback too, and the proxy must then add
 * Secure itself (docs/access.md).
 *
 * The dispatcher calls web_session_load() for every request before the
 * route's access is checked, so rq->session is the signed-in user or NULL
 * for anonymous; handlers never read the cookie themselves.
 *
 * A handler that has checked who the user is (the password form, the
 * OpenID Connect callback) calls web_session_start(rq, user, via): it
 * ends the session the request came with, if any (so a session id planted
 * before sign-in is never the one after: fixation), creates a new one,
 * sets the cookie on the answer, points rq->session at it and writes the
 * audit entry "signin" (actor the user, detail via). Then it answers with
 * web_redirect(). Failed sign-ins are the handler's to audit
 * (web_audit(rq, "signin-failed", name, NULL, why)).
 *
 * All functions return 0 or a negative KN_E* code with rq->error set to a
 * message without personal data; a handler turns a failure into 500.
 */
#ifndef KNOD_WEB_WEB_SESSION_H
#define KNOD_WEB_WEB_SESSION_H

#include "access/access_session.h"
#include "access/access_user.h"
#include "web/web_req.h"

#define WEB_SESSION_COOKIE "knod_session"

/* The session of rq's cookie (rq->cookie_session) at rq->now into
 * rq->session, or NULL when there is none, it has expired or its user is
 * disabled (an expired cookie is then cleared on the answer). Only a store
 * failure is an error. */
int web_session_load(struct web_req *rq);

/* Sign user in on rq (see above). via: "password" or "oidc". */
int web_session_start(struct web_req *rq, const struct access_user *user, const char *via);

/* Sign out: end rq's session, clear the cookie, audit "signout". No
 * session is no error. */
int web_session_end(struct web_req *rq);

/* Sign out everywhere: end every session of rq's user (this one too),
 * clear the cookie, audit "signout-all" with how many were ended. */
int web_session_end_all(struct web_req *rq);

/* Record the purpose of use in rq's session (audited by the caller). */
int web_session_set_purpose(struct web_req *rq, const char *purpose);

/* Append an audit entry with rq's user as actor ("anonymous" without a
 * session); purpose NULL is "". Fails with KN_EINPUT if a field holds a
 * personnummer-shaped number (access_audit_add). */
int web_audit(struct web_req *rq, const char *action, const char *subject,
              const char *purpose, const char *detail);

/* rq's store connection (web_db.h), or NULL with rq->error set. */
struct store *web_store(struct web_req *rq);

#endif /* KNOD_WEB_WEB_SESSION_H */
