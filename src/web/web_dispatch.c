/* src/web/web_dispatch.c: routing a request and shaping its answer
 * (web_dispatch.h). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/config.h"
#include "domain/pnr_shape.h"
#include "web/web_cache.h"
#include "web/portal/web_charts.h"
#include "web/web_dispatch.h"
#include "web/web_results.h"
#include "web/web_csrf.h"
#include "web/web_form.h"
#include "web/web_router.h"
#include "web/web_session.h"
#include "web/web_static.h"
#include "web/web_tmpl.h"

const char *web_query(const struct web_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nquery; i++)
        if (strcmp(rq->query[i].name, name) == 0)
            return rq->query[i].value;
    return NULL;
}

const char *web_form(const struct web_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nform; i++)
        if (strcmp(rq->form[i].name, name) == 0)
            return rq->form[i].value;
    return NULL;
}

const char *web_param(const struct web_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nparams; i++)
        if (strcmp(rq->params[i].name, name) == 0)
            return rq->params[i].value;
    return NULL;
}

int web_bad_param(struct web_req *rq, const char *name, const char *why)
{
    rq->error_param = name;
    rq->error = why;
    return 400;
}

int web_not_found(struct web_req *rq, const char *what)
{
    rq->error = what;
    return 404;
}

int web_redirect(struct web_req *rq, const char *location)
{
    assert(location[0] == '/' && location[1] != '/' && location[1] != '\\');
    rq->location = location;
    return 303;
}

int web_set_cookie(struct web_req *rq, const char *value)
{
    if (rq->ncookies == WEB_MAX_COOKIES)
        return KN_ENOMEM;
    const char *v = arena_strdup(rq->arena, value);
    if (!v)
        return KN_ENOMEM;
    rq->cookies[rq->ncookies++] = v;
    return 0;
}

const char *web_t(const struct web_req *rq, const char *key)
{
    const char *s = web_i18n_get(rq->app->i18n, rq->lang, key);
    return s ? s : key;
}

int web_url_encode(struct strbuf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
        int rc = plain ? sb_addch(out, (char)c)
                       : sb_addf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Does s hold a valid personnummer (or samordningsnummer)? */
static bool holds_pnr(const char *s)
{
    return pnr_find_valid(s, strlen(s));
}

/* path?query with lang=L in place of any lang argument. A page never
 * shows a personnummer, not even one the request brought: a path holding
 * one is left out (the link is "?query", the same page), and so is a
 * query argument holding one (no parameter of the portal takes one). */
static const char *switch_url(const struct web_req *rq, const char *lang)
{
    struct strbuf sb = STRBUF_INIT;
    if (!holds_pnr(rq->path))
        sb_addstr(&sb, rq->path);
    sb_addch(&sb, '?');
    for (size_t i = 0; i < rq->nquery; i++) {
        if (strcmp(rq->query[i].name, "lang") == 0 || holds_pnr(rq->query[i].name) ||
            holds_pnr(rq->query[i].value))
            continue;
        web_url_encode(&sb, rq->query[i].name, strlen(rq->query[i].name));
        sb_addch(&sb, '=');
        web_url_encode(&sb, rq->query[i].value, strlen(rq->query[i].value));
        sb_addch(&sb, '&');
    }
    sb_addf(&sb, "lang=%s", lang);
    const char *s = arena_strndup(rq->arena, sb.buf, sb.len);
    sb_release(&sb);
    return s ? s : "/";
}

/* The navigation's links that depend on who asks, each shown only where
 * the user may go (web_route_may: the route table decides). */
static json_t *nav_links(struct web_req *rq)
{
    static const struct {
        const char *key, *path;
    } links[] = {
        {"network", "/nodes"},
        {"consultations", "/consultations"},
        {"surveys", "/surveys"},
        {"report", "/report/followup"},
        {"docwork", "/documents/work"},
    };
    json_t *nav = json_object();
    for (size_t i = 0; nav && i < sizeof links / sizeof links[0]; i++)
        if (json_object_set_new(nav, links[i].key,
                                json_boolean(web_route_may(rq, "GET", links[i].path))) != 0) {
            json_decref(nav);
            return NULL;
        }
    return nav;
}

/* The layout's context: messages, language, switch, page title, the
 * navigation's links. */
static json_t *globals(struct web_req *rq, const char *tmpl)
{
    const char *other = rq->lang == WEB_SV ? "en" : "sv";
    char key[64];
    snprintf(key, sizeof key, "page_%s", tmpl ? tmpl : "error");
    json_t *g = json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s}", "t",
                          web_i18n_table(rq->app->i18n, rq->lang), "lang",
                          web_lang_code(rq->lang), "lang_other", other, "lang_other_name",
                          web_t(rq, "lang_other_name"), "switch_url", switch_url(rq, other),
                          "page_title", web_t(rq, key), "path", rq->path);
    if (g && rq->session) /* the header's "My account (signed in as NAME)" */
        json_object_set_new(g, "user", json_pack("{s:s}", "name", rq->session->user.name));
    if (g && json_object_set_new(g, "nav", nav_links(rq)) != 0) {
        json_decref(g);
        return NULL;
    }
    return g;
}

static void error_answer(struct web_req *rq, int status, struct web_answer *ans)
{
    static const struct {
        int status;
        const char *key;
    } msgs[] = { { 400, "err_400" }, { 401, "err_401" }, { 403, "err_403" },
                 { 404, "err_404" }, { 405, "err_405" }, { 413, "err_413" },
                 { 415, "err_415" }, { 500, "err_500" }, { 502, "err_502" },
                 { 503, "err_503" } };
    const char *title = "Error";
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (msgs[i].status == status)
            title = web_t(rq, msgs[i].key);
    ans->status = status;
    sb_reset(&ans->body);
    json_t *m = json_pack("{s:i, s:s, s:s?, s:s?, s:s?}", "status", status, "title", title,
                          "message", rq->error, "parameter", rq->error_param, "link",
                          rq->error_link);
    if (m && status == 503 && !rq->api) /* the page reloads itself (no script) */
        json_object_set_new(m, "refresh", json_true());
    if (rq->api || !m) {
        json_t *e = json_pack("{s:o?}", "error", m);
        char *s = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        sb_addstr(&ans->body, s ? s : "{\"error\":{\"status\":500}}");
        free(s);
        json_decref(e);
        ans->content_type = "application/json";
        return;
    }
    json_t *g = globals(rq, "error");
    const json_t *ctx[] = { g, m };
    struct kn_error err = KN_ERROR_INIT;
    if (!g || web_tmpl_render(rq->app->tmpl, "error", ctx, 2, &ans->body, &err) != 0) {
        sb_reset(&ans->body);
        sb_addf(&ans->body, "<!doctype html><title>%d</title><p>%d</p>", status, status);
    }
    json_decref(g);
    json_decref(m);
    ans->content_type = "text/html; charset=utf-8";
    ans->vary = true;
}

void web_dispatch_refuse(const struct web_app *app, struct web_req *rq, int status,
                         const char *key, const char *detail, struct web_answer *ans)
{
    rq->app = app;
    rq->api = strncmp(rq->path, "/api/", 5) == 0;
    rq->lang = web_lang_pick(NULL, rq->cookie_lang, rq->accept_language);
    rq->error = detail ? arena_printf(rq->arena, "%s %s", web_t(rq, key), detail)
                       : web_t(rq, key);
    error_answer(rq, status, ans);
}

static void finish_ok(struct web_req *rq, const char *tmpl, struct web_answer *ans)
{
    if (rq->model == NULL) { /* a raw body */
        struct strbuf t = ans->body;
        ans->body = rq->body;
        rq->body = t;
        ans->content_type = rq->content_type ? rq->content_type : "application/octet-stream";
        ans->disposition = rq->download_name;
        return;
    }
    if (rq->api || !tmpl) {
        /* compact: a region's results of one year are 21% smaller than
         * indented (106 against 134 KB), which the kernel copies or sends
         * for every request (bench/http/README.md) */
        char *s = json_dumps(rq->model,
                             JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        if (!s || sb_addstr(&ans->body, s) != 0) {
            free(s);
            error_answer(rq, 500, ans);
            return;
        }
        free(s);
        sb_addch(&ans->body, '\n');
        ans->content_type = "application/json";
        return;
    }
    json_t *g = globals(rq, tmpl), *svg = web_charts_render(rq->model);
    const json_t *ctx[] = { g, rq->model, svg };
    struct kn_error err = KN_ERROR_INIT;
    if (!g || !svg || web_tmpl_render(rq->app->tmpl, tmpl, ctx, 3, &ans->body, &err) != 0) {
        json_decref(g);
        json_decref(svg);
        rq->error = NULL;
        error_answer(rq, 500, ans);
        return;
    }
    json_decref(g);
    json_decref(svg);
    ans->content_type = "text/html; charset=utf-8";
    ans->vary = true;
}

/* The request's Set-Cookie values onto the answer (they live in rq's
 * arena, which outlives the answer's queueing). */
static void copy_cookies(const struct web_req *rq, struct web_answer *ans)
{
    for (size_t i = 0; i < rq->ncookies && ans->ncookies < WEB_MAX_COOKIES; i++)
        ans->cookies[ans->ncookies++] = rq->cookies[i];
}

/* The body's form fields and the CSRF token of a state-changing request,
 * checked here once for every route: false after setting a 400 (a bad
 * form), 415 (another body) or 403 (no or a wrong token) answer. */
static bool check_form(struct web_req *rq, struct web_answer *ans)
{
    const char *ct = rq->content_type_in;
    static const char form_type[] = "application/x-www-form-urlencoded";
    bool is_form = ct && strncasecmp(ct, form_type, sizeof form_type - 1) == 0 &&
                   (ct[sizeof form_type - 1] == '\0' || ct[sizeof form_type - 1] == ';');
    int status = 0;
    if (rq->body_in_len && !is_form) {
        rq->error = web_t(rq, "err_415_text");
        status = 415;
    } else if (rq->body_in_len) {
        struct kn_error err = KN_ERROR_INIT;
        if (web_form_parse(rq->body_in, rq->body_in_len, rq->form, &rq->nform, rq->arena,
                           &err) != 0) {
            rq->error = arena_strdup(rq->arena, err.msg);
            status = 400;
        }
    }
    if (!status && !web_csrf_ok(rq)) {
        rq->error = web_t(rq, "err_csrf_text");
        status = 403;
    }
    if (!status)
        return true;
    error_answer(rq, status, ans);
    copy_cookies(rq, ans);
    return false;
}

void web_dispatch(const struct web_app *app, struct web_req *rq, const char *if_none_match,
                  struct web_answer *ans)
{
    rq->app = app;
    rq->api = strncmp(rq->path, "/api/", 5) == 0 || strcmp(rq->path, "/api") == 0;
    ans->status = 200;
    ans->cors = rq->api;
    const char *ql = web_query(rq, "lang");
    enum web_lang l;
    rq->lang = web_lang_pick(ql, rq->cookie_lang, rq->accept_language);
    if (ql && !web_lang_parse(ql, &l)) {
        web_bad_param(rq, "lang", "lang takes sv or en");
        error_answer(rq, 400, ans);
        return;
    }
    if (ql) {
        rq->lang_from_query = true;
        ans->set_cookie = l == WEB_EN ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax"
                                      : "lang=sv; Path=/; Max-Age=31536000; SameSite=Lax";
    }
    size_t nroutes;
    const struct web_route *routes = web_routes(&nroutes), *route = NULL;
    switch (web_route_match(routes, nroutes, rq->method, rq->path, rq, &route, ans->allow)) {
    case WEB_MATCH_NONE:
        rq->error = web_t(rq, "err_404_text");
        error_answer(rq, 404, ans);
        return;
    case WEB_MATCH_METHOD:
        rq->error = web_t(rq, "err_405_text");
        error_answer(rq, 405, ans);
        return;
    case WEB_MATCH_OK: break;
    }
    if (!rq->now)
        rq->now = time_now();
    if (app->db && web_session_load(rq) != 0) {
        error_answer(rq, 500, ans);
        copy_cookies(rq, ans);
        return;
    }
    int access = web_route_allows(route, rq);
    if (access == 401 && !rq->api &&
        (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0)) {
        /* A page: sign in first, then back here (to the start page for a
         * path holding a personnummer, which no answer repeats). */
        struct strbuf next = STRBUF_INIT;
        sb_addstr(&next, "/login");
        if (!holds_pnr(rq->path)) {
            sb_addstr(&next, "?next=");
            web_url_encode(&next, rq->path, strlen(rq->path));
        }
        rq->location = arena_strndup(rq->arena, next.buf, next.len);
        sb_release(&next);
        ans->status = 303;
        ans->location = rq->location ? rq->location : "/login";
        copy_cookies(rq, ans);
        return;
    }
    if (access != 0) {
        if (access == 401 || (access == 403 && !rq->error))
            rq->error = web_t(rq, access == 401 ? "err_401_text" : "err_403_text");
        error_answer(rq, access, ans);
        copy_cookies(rq, ans);
        return;
    }
    if (web_csrf_needed(rq->method) && !check_form(rq, ans))
        return;
    if (route->needs_results) {
        rq->view = web_results_acquire(app->results);
        if (!rq->view) {
            rq->error = web_t(rq, "err_computing");
            ans->retry_after = 2;
            error_answer(rq, 503, ans);
            return;
        }
    }
    /* Public answers from the results alone are kept per generation; not
     * for a signed-in user, whose pages name them (and are private). */
    struct strbuf key = STRBUF_INIT;
    bool cached = app->cache && route->needs_results && strcmp(route->access, "public") == 0 &&
                  !rq->session && web_cache_key(rq, &key) == 0;
    struct web_cached *hit =
        cached ? web_cache_get(app->cache, rq->view->generation, key.buf, key.len) : NULL;
    if (hit) {
        ans->content_type = hit->content_type;
        ans->cache_control = hit->cache_control;
        ans->disposition = hit->disposition;
        ans->vary = hit->vary;
        memcpy(ans->etag, hit->etag, sizeof ans->etag);
        if (if_none_match && strstr(if_none_match, ans->etag)) {
            ans->status = 304;
            web_cache_unref(hit);
        } else {
            ans->shared = hit;
        }
        copy_cookies(rq, ans); /* an ended session's cookie is cleared */
        sb_release(&key);
        web_results_release(app->results, rq->view);
        rq->view = NULL;
        return;
    }
    rq->tmpl = route->tmpl;
    int status = route->fn(rq);
    if (status == 200) {
        finish_ok(rq, route->tmpl, ans);
    } else if (status == 303 && rq->location) {
        ans->status = 303;
        ans->location = rq->location;
        sb_reset(&ans->body);
    } else {
        error_answer(rq, status, ans);
    }
    copy_cookies(rq, ans);
    if (status == 200) {
        ans->cache_control = rq->session ? "private, no-store" : rq->cache_control;
        web_etag(ans->body.buf, ans->body.len, ans->etag);
        if (cached && ans->status == 200)
            web_cache_put(app->cache, rq->view->generation, key.buf, key.len, ans);
        if (if_none_match && strstr(if_none_match, ans->etag)) {
            ans->status = 304;
            sb_reset(&ans->body);
        }
    }
    sb_release(&key);
    web_results_release(app->results, rq->view);
    rq->view = NULL;
    json_decref(rq->model);
    rq->model = NULL;
    sb_release(&rq->body);
}
