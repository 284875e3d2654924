/* src/web/web_session.c: the session cookie, sign-in and sign-out on a
 * request, and audit entries by the request's user (web_session.h). */
#include "web/web_session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "web/web_db.h"

struct store *web_store(struct web_req *rq)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store *st = rq->app->db ? web_db_store(rq->app->db, &err) : NULL;
    if (!st)
        rq->error = "the store cannot be opened";
    return st;
}

/* Set the session cookie to id, or clear it (id NULL). */
static int set_cookie(struct web_req *rq, const char *id)
{
    char v[160];
    snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", WEB_SESSION_COOKIE,
             id ? id : "", rq->app->cookie_secure ? "; Secure" : "",
             id ? "" : "; Max-Age=0");
    int rc = web_set_cookie(rq, v);
    sodium_memzero(v, sizeof v);
    return rc;
}

static int failed(struct web_req *rq, const struct kn_error *err)
{
    rq->error = arena_strdup(rq->arena, err->msg);
    if (!rq->error)
        rq->error = "out of memory";
    return err->code ? err->code : KN_ESTORE;
}

int web_session_load(struct web_req *rq)
{
    rq->session = NULL;
    const char *id = rq->cookie_session;
    if (!id || !*id)
        return 0;
    struct store *st = web_store(rq);
    if (!st)
        return KN_ESTORE;
    struct access_session *s = arena_alloc(rq->arena, sizeof *s);
    if (!s)
        return KN_ENOMEM;
    const struct config *cfg = rq->app->cfg;
    struct kn_error err = KN_ERROR_INIT;
    int rc = access_session_get(st, id, rq->now, cfg->web_session_idle_s,
                                cfg->web_session_max_s, s, rq->arena, &err);
    if (rc == KN_ENOTFOUND || rc == KN_EINPUT)
        return set_cookie(rq, NULL); /* ended, expired or never ours */
    if (rc != 0)
        return failed(rq, &err);
    rq->session = s;
    return 0;
}

int web_audit(struct web_req *rq, const char *action, const char *subject,
              const char *purpose, const char *detail)
{
    struct store *st = web_store(rq);
    if (!st)
        return KN_ESTORE;
    struct kn_error err = KN_ERROR_INIT;
    const char *actor = rq->session ? rq->session->user.name : "anonymous";
    if (access_audit_add(st, &rq->app->audit, rq->now, actor, action, subject,
                         purpose ? purpose : "", detail ? detail : "", &err) != 0)
        return failed(rq, &err);
    return 0;
}

int web_session_start(struct web_req *rq, const struct access_user *user, const char *via)
{
    struct store *st = web_store(rq);
    if (!st)
        return KN_ESTORE;
    struct kn_error err = KN_ERROR_INIT;
    /* Fixation: whatever id the request came with ends here. */
    if (rq->cookie_session && *rq->cookie_session &&
        access_session_end(st, rq->cookie_session, &err) != 0 && err.code != KN_EINPUT)
        return failed(rq, &err);
    rq->session = NULL;
    struct session_id id;
    if (access_session_create(st, user->id, via, rq->now, &id, &err) != 0)
        return failed(rq, &err);
    struct access_session *s = arena_alloc(rq->arena, sizeof *s);
    int rc = s ? 0 : KN_ENOMEM;
    if (rc == 0)
        rc = access_session_get(st, id.s, rq->now, rq->app->cfg->web_session_idle_s,
                                rq->app->cfg->web_session_max_s, s, rq->arena, &err);
    if (rc == 0)
        rc = set_cookie(rq, id.s);
    sodium_memzero(&id, sizeof id);
    if (rc != 0)
        return err.code ? failed(rq, &err) : rc;
    rq->session = s;
    return web_audit(rq, "signin", user->name, NULL, via);
}

int web_session_end(struct web_req *rq)
{
    if (!rq->session)
        return set_cookie(rq, NULL);
    struct store *st = web_store(rq);
    if (!st)
        return KN_ESTORE;
    struct kn_error err = KN_ERROR_INIT;
    if (access_session_end(st, rq->cookie_session, &err) != 0)
        return failed(rq, &err);
    int rc = web_audit(rq, "signout", rq->session->user.name, NULL, NULL);
    rq->session = NULL;
    return rc ? rc : set_cookie(rq, NULL);
}

int web_session_end_all(struct web_req *rq)
{
    if (!rq->session)
        return set_cookie(rq, NULL);
    struct store *st = web_store(rq);
    if (!st)
        return KN_ESTORE;
    struct kn_error err = KN_ERROR_INIT;
    int64_t n = 0;
    if (access_session_end_user(st, rq->session->user.id, &n, &err) != 0)
        return failed(rq, &err);
    char detail[48];
    snprintf(detail, sizeof detail, "%lld sessions ended", (long long)n);
    int rc = web_audit(rq, "signout-all", rq->session->user.name, NULL, detail);
    rq->session = NULL;
    return rc ? rc : set_cookie(rq, NULL);
}

int web_session_set_purpose(struct web_req *rq, const char *purpose)
{
    if (!rq->session)
        return KN_ENOTFOUND;
    struct store *st = web_store(rq);
    if (!st)
        return KN_ESTORE;
    struct kn_error err = KN_ERROR_INIT;
    if (access_session_set_purpose(st, rq->session->id, purpose, &err) != 0)
        return failed(rq, &err);
    struct access_session *s = (struct access_session *)rq->session;
    s->purpose = arena_strdup(rq->arena, purpose);
    return s->purpose ? 0 : KN_ENOMEM;
}
