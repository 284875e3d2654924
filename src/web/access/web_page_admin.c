/* src/web/access/web_page_admin.c: the administrator's pages. GET /admin/users
 * lists the users (name, role, scope, disabled, locked) with a form per
 * user to disable or enable the account (POST /admin/users/disable and
 * /enable, field "name"; the dispatcher has checked the CSRF token).
 * Disabling ends every session of the user at once. Each change is one
 * transaction with its audit entry ("user-disable", "user-enable", by the
 * administrator). GET /admin/audit is `knod audit show` as a page: the
 * entries newest first, at most ADMIN_AUDIT_MAX, filtered by ?since=
 * (YYYY-MM-DD), ?user= and ?person=. Routes: admin only. */
#include <string.h>

#include "access/access_audit.h"
#include "access/access_session.h"
#include "access/access_user.h"
#include "base/date.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_pages.h"
#include "web/web_session.h"

#define ADMIN_AUDIT_MAX 500

static const char *role_text(struct web_req *rq, enum access_role r)
{
    char key[32];
    snprintf(key, sizeof key, "role_%s", access_role_name(r));
    return web_t(rq, key);
}

int web_page_admin_users(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct access_user *users = NULL;
    size_t n = 0;
    struct kn_error err = KN_ERROR_INIT;
    const char *csrf = web_csrf_token(rq);
    if (!st || !csrf || access_user_list(st, &users, &n, rq->arena, &err) != 0)
        return 500;
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "users", list) ||
        !web_sets(rq->model, "csrf", csrf))
        return 500;
    for (size_t i = 0; i < n; i++) {
        const struct access_user *u = &users[i];
        char scope[32];
        snprintf(scope, sizeof scope, "scope_%s", access_scope_name(u->scope));
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b, s:b, s:b}", "name", u->name,
                              "role", access_role_name(u->role), "role_text",
                              role_text(rq, u->role), "scope_text", web_t(rq, scope),
                              "scope_code", u->scope_code, "disabled", u->disabled, "locked",
                              u->locked_until > rq->now, "self",
                              strcmp(u->name, rq->session->user.name) == 0);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
    }
    return 200;
}

static int set_disabled(struct web_req *rq, bool disabled)
{
    const char *name = web_form(rq, "name");
    if (!name || !*name)
        return web_bad_param(rq, "name", web_t(rq, "admin_err_name"));
    if (disabled && strcmp(name, rq->session->user.name) == 0)
        return web_bad_param(rq, "name", web_t(rq, "admin_err_self"));
    struct store *st = web_store(rq);
    if (!st)
        return 500;
    struct kn_error err = KN_ERROR_INIT;
    struct access_user u;
    int rc = access_user_get(st, name, &u, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "admin_err_no_user"));
    if (rc == 0)
        rc = store_begin(st, &err);
    if (rc == 0)
        rc = access_user_set_disabled(st, name, disabled, &err);
    if (rc == 0 && disabled)
        rc = access_session_end_user(st, u.id, NULL, &err);
    if (rc == 0)
        rc = web_audit(rq, disabled ? "user-disable" : "user-enable", name, NULL, "portal");
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        return 500;
    }
    return web_redirect(rq, "/admin/users");
}

int web_page_admin_disable(struct web_req *rq)
{
    return set_disabled(rq, true);
}

int web_page_admin_enable(struct web_req *rq)
{
    return set_disabled(rq, false);
}

int web_page_admin_audit(struct web_req *rq)
{
    const char *since_s = web_query(rq, "since"), *user = web_query(rq, "user"),
               *person = web_query(rq, "person");
    kn_time since = 0;
    struct kn_error err = KN_ERROR_INIT;
    if (since_s && *since_s) {
        kn_day d;
        if (date_parse(since_s, strlen(since_s), &d, &err) != 0)
            return web_bad_param(rq, "since", web_t(rq, "admin_err_since"));
        since = time_from_day(d);
    }
    if (user && !*user)
        user = NULL;
    if (person && !*person)
        person = NULL;
    struct store *st = web_store(rq);
    struct audit_entry *es = NULL;
    size_t n = 0;
    if (!st || access_audit_list(st, since, user, person, &es, &n, rq->arena, &err) != 0)
        return 500;
    json_t *list = json_array();
    rq->model = json_pack("{s:s, s:s, s:s, s:I, s:b}", "since", since_s ? since_s : "",
                          "user", user ? user : "", "person", person ? person : "", "total",
                          (json_int_t)n, "cut", n > ADMIN_AUDIT_MAX);
    if (!list || !rq->model || !web_set(rq->model, "entries", list))
        return 500;
    for (size_t k = 0; k < n && k < ADMIN_AUDIT_MAX; k++) {
        const struct audit_entry *e = &es[n - 1 - k]; /* newest first */
        char at[20];
        time_format(e->at, at);
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id,
                              "at", at, "actor", e->actor, "action", e->action, "subject",
                              e->subject, "purpose", e->purpose, "detail", e->detail);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
    }
    return 200;
}
