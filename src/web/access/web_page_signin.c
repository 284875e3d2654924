/* src/web/access/web_page_signin.c: signing in with a local account and signing
 * out (GET and POST /login, POST /logout, POST /account/signout-all).
 *
 * The form posts username, password, the CSRF token (checked by the
 * dispatcher before this runs) and next, the local path to go back to. A
 * good sign-in starts a new session (web_session_start: rotation, cookie,
 * audit) and answers 303 to next. A bad one renders the form again with
 * the GOV.UK error pattern: a summary at the top that takes focus, and the
 * error at each field. An unknown user, a wrong password and a disabled
 * account get the same words; only a locked account says so, since the
 * user must know to wait. Every failure is audited ("signin-failed", the
 * user name as typed with any personnummer-shaped part masked, and why).
 */
#include <string.h>

#include "access/access_user.h"
#include "domain/pnr_shape.h"
#include "web/web_csrf.h"
#include "web/web_dispatch.h"
#include "web/web_model.h"
#include "web/web_pages.h"
#include "web/web_session.h"

/* next if it is a local path ("/x", not "//host" or "/\host" or a URL),
 * else "/account". Only path characters: no CR, LF or quote. */
static const char *local_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
        return "/account";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '\\' || *p == '"' || (unsigned char)*p >= 127)
            return "/account";
    if (strncmp(next, "/login", 6) == 0 || strncmp(next, "/logout", 7) == 0)
        return "/account";
    return next;
}

/* name as it may be shown or audited, in rq's arena: at most 64 bytes
 * (cut at a character boundary) with every personnummer-shaped part
 * masked, since a user may type a personnummer where the name goes. */
static const char *shown_name(struct web_req *rq, const char *name)
{
    size_t n = strlen(name);
    if (n > 64) {
        n = 64;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    char *s = arena_strndup(rq->arena, name, n);
    if (s)
        pnr_mask(s, n);
    return s;
}

/* The form's model: what was typed (never the password), the token,
 * where to go next and the errors, {field, text} each. */
static int form(struct web_req *rq, const char *username, json_t *errors)
{
    const char *csrf = web_csrf_token(rq);
    rq->model = json_object();
    if (!csrf || !rq->model || !errors)
        return 500;
    const char *next = local_next(web_form(rq, "next") ? web_form(rq, "next")
                                                       : web_query(rq, "next"));
    if (!web_sets(rq->model, "csrf", csrf) || !web_sets(rq->model, "next", next) ||
        !web_sets(rq->model, "username", username ? shown_name(rq, username) : "") ||
        !web_set(rq->model, "errors", errors))
        return 500;
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *text = json_string_value(json_object_get(e, "text"));
        if (!f || !text)
            return 500;
        if (!web_sets(rq->model, strcmp(f, "username") == 0 ? "username_error"
                                                             : "password_error", text))
            return 500;
    }
    if (json_array_size(errors) && !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
        return 500;
    if (rq->app->oidc) {
        /* The button for the region's identity provider (web_page_oidc.c). */
        struct strbuf u = STRBUF_INIT;
        bool good = sb_addstr(&u, "/login/oidc?next=") == 0 &&
                    web_url_encode(&u, next, strlen(next)) == 0 &&
                    web_sets(rq->model, "oidc_url", u.buf);
        sb_release(&u);
        if (!good)
            return 500;
    }
    return 200;
}

int web_page_login(struct web_req *rq)
{
    if (!rq->app->db) {
        rq->error = web_t(rq, "err_signin_off");
        return 503;
    }
    return form(rq, NULL, json_array());
}

static bool add_error(json_t *errors, const char *field, const char *text)
{
    return json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "text",
                                                   text)) == 0;
}

int web_page_login_post(struct web_req *rq)
{
    if (!rq->app->db) {
        rq->error = web_t(rq, "err_signin_off");
        return 503;
    }
    const char *name = web_form(rq, "username"), *pw = web_form(rq, "password");
    json_t *errors = json_array();
    if (!errors)
        return 500;
    if (!name || !*name)
        add_error(errors, "username", web_t(rq, "login_err_username"));
    if (!pw || !*pw)
        add_error(errors, "password", web_t(rq, "login_err_password"));
    if (json_array_size(errors))
        return form(rq, name, errors);

    struct store *st = web_store(rq);
    if (!st) {
        json_decref(errors);
        return 500;
    }
    struct access_user u;
    struct kn_error err = KN_ERROR_INIT;
    int rc = access_signin(st, name, pw, rq->now, &u, rq->arena, &err);
    if (rc == 0) {
        json_decref(errors);
        if (web_session_start(rq, &u, "password") != 0)
            return 500;
        return web_redirect(rq, local_next(web_form(rq, "next")));
    }
    if (rc != KN_EPERM) {
        json_decref(errors);
        return 500;
    }
    /* The audit entry: the name as typed (masked, at most 64 bytes) and
     * the reason the store gave, which never holds the password. */
    const char *subject = shown_name(rq, name);
    bool locked = strstr(err.msg, "locked") != NULL;
    if (!subject || web_audit(rq, "signin-failed", subject, NULL, err.msg) != 0) {
        json_decref(errors);
        return 500;
    }
    add_error(errors, "username", web_t(rq, locked ? "login_err_locked" : "login_err_wrong"));
    return form(rq, name, errors);
}

int web_page_logout(struct web_req *rq)
{
    return web_session_end(rq) == 0 ? web_redirect(rq, "/") : 500;
}

int web_page_signout_all(struct web_req *rq)
{
    return web_session_end_all(rq) == 0 ? web_redirect(rq, "/login") : 500;
}
