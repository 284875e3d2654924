/* src/web/access/web_page_oidc.c: signing in through the region's OpenID Connect
 * provider: GET /login/oidc (redirect to the provider) and GET
 * /login/oidc/callback (back from it). The protocol is access_oidc.h's;
 * this file is its HTTP edge: the state cookie, the session, the answer.
 *
 * /login/oidc?next=PATH starts an attempt and answers 303 to the
 * provider's authorization URL, setting the cookie knod_oidc=<state>
 * (Path=/login/oidc, HttpOnly, SameSite=Lax so that the provider's
 * top-level redirect back carries it, Max-Age the attempt's lifetime,
 * Secure as the session cookie). The callback hands state, code and that
 * cookie to access_oidc_signin(); on success it clears the cookie, starts
 * the session (web_session_start: rotation, cookie, the "signin" audit
 * entry via "oidc") and answers 303 to the page the attempt asked for. A
 * refused sign-in is 403 (audited by access_oidc_signin), a provider that
 * cannot be reached or is misconfigured 502 (Bad Gateway); the reason goes to the log
 * (it never holds a token), the page says only that it failed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "access/access_oidc.h"
#include "base/log.h"
#include "web/web_pages.h"
#include "web/web_session.h"

#define OIDC_COOKIE "knod_oidc"

static int state_cookie(struct web_req *rq, const char *state, int max_age)
{
    char v[160];
    snprintf(v, sizeof v, OIDC_COOKIE "=%s; Path=/login/oidc; Max-Age=%d; HttpOnly; "
             "SameSite=Lax%s", state, max_age, rq->app->cookie_secure ? "; Secure" : "");
    return web_set_cookie(rq, v);
}

static int unavailable(struct web_req *rq, const struct kn_error *err)
{
    log_msg(LOG_ERROR, "oidc: %s", err->msg);
    rq->error = web_t(rq, "oidc_err_unavailable");
    return 502;
}

int web_page_oidc_start(struct web_req *rq)
{
    struct access_oidc *o = rq->app->oidc;
    struct kn_error err = KN_ERROR_INIT;
    char state[OIDC_RANDOM_CHARS + 1];
    char *url = NULL;
    if (o == NULL)
        return web_not_found(rq, "oidc");
    if (access_oidc_begin(o, web_query(rq, "next"), (int64_t)time(NULL), rq->arena, &url,
                          state, &err) != 0)
        return unavailable(rq, &err);
    if (state_cookie(rq, state, OIDC_ATTEMPT_TTL) != 0)
        return 500;
    /* The one redirect off the portal: to the provider's own endpoint
     * from its discovery document (web_redirect takes local paths only). */
    rq->location = url;
    return 303;
}

int web_page_oidc_callback(struct web_req *rq)
{
    struct access_oidc *o = rq->app->oidc;
    struct kn_error err = KN_ERROR_INIT;
    struct access_user u;
    const char *next = "/";
    if (o == NULL)
        return web_not_found(rq, "oidc");
    struct store *st = web_store(rq);
    if (st == NULL)
        return 500;
    const char *perr = web_query(rq, "error");
    int rc;
    if (perr != NULL) {
        /* The provider said no (the user cancelled, or it refused knod):
         * its error code is short ASCII; nothing of it is shown. */
        char code[48];
        size_t i = 0;
        for (; perr[i] && i + 1 < sizeof code; i++)
            code[i] = perr[i] > ' ' && perr[i] <= '~' ? perr[i] : '?';
        code[i] = '\0';
        rc = kn_fail(&err, KN_EPERM, "oidc: the provider answered '%s'", code);
        (void)web_audit(rq, "signin-failed", "", NULL, err.msg);
    } else {
        rc = access_oidc_signin(o, st, &rq->app->audit, web_query(rq, "state"),
                                web_query(rq, "code"), rq->cookie_oidc, (int64_t)time(NULL),
                                rq->now, &u, &next, rq->arena, &err);
    }
    if (rc == KN_EPERM) {
        log_msg(LOG_WARN, "oidc: sign-in refused: %s", err.msg);
        rq->error = web_t(rq, "oidc_err_refused");
        return 403;
    }
    if (rc != 0)
        return unavailable(rq, &err);
    if (state_cookie(rq, "", 0) != 0 || web_session_start(rq, &u, "oidc") != 0)
        return 500;
    return web_redirect(rq, next);
}
