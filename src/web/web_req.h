/* src/web/web_req.h: one request and its answer, as handlers see them.
 *
 * web_server.c makes a struct web_req for each request from what
 * libmicrohttpd parsed (method, decoded path, query arguments, the
 * language), the router fills the path parameters, and one handler builds
 * the answer: a status and either ONE jansson model (rq->model), which the
 * server returns as JSON under /api/ or renders through the route's
 * template everywhere else, or a body of bytes (CSV, static files). No
 * handler writes HTML. Everything of a request lives in rq->arena, freed
 * when the answer has been sent; handlers hold no state between requests.
 *
 * A handler returns the HTTP status: 200, or 303 after web_redirect(),
 * 400 after web_bad_param() (the error names the parameter), 404 after
 * web_not_found(), 503 while no results have been computed yet.
 *
 * Who asks: rq->session is the signed-in session (web_session.h) or NULL
 * for an anonymous visitor, filled by the dispatcher before the route's
 * access is checked (web_router.h); a handler may read it to show who is
 * signed in, never to decide access.
 */
#ifndef KNOD_WEB_WEB_REQ_H
#define KNOD_WEB_WEB_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "access/access_audit.h"
#include "base/arena.h"
#include "base/date.h"
#include "base/strbuf.h"
#include "web/web_i18n.h"

#define WEB_MAX_PARAMS 4
#define WEB_MAX_QUERY 32
#define WEB_MAX_COOKIES 4
#define WEB_MAX_FORM 128 /* a survey's form: a field per question or checkbox */

struct config;
struct geo;
struct ind_catalogue;
struct web_cache;
struct web_results;
struct web_view;
struct web_tmpl_set;
struct web_static;
struct web_db;
struct access_session;
struct access_oidc;
struct hub_pathways;
struct web_upload_in;
struct web_uploads;

/* What every request may read: built at start, read-only after. */
struct web_app {
    const struct config *cfg;
    const struct geo *geo;
    const struct ind_catalogue *cat;
    const struct ind_catalogue *cat_all; /* the whole catalogue, also under --id (the
                                            worklist's clocks are its pathway indicators) */
    struct web_results *results;  /* thread-safe */
    const struct web_tmpl_set *tmpl;
    const struct web_i18n *i18n;
    const struct web_static *assets;
    struct web_cache *cache;      /* rendered answers; NULL: none (thread-safe) */
    struct web_db *db;            /* thread-safe: a connection per thread */
    struct audit_key audit;       /* the audit log's key (access_audit.h) */
    bool cookie_secure;           /* Secure cookies: false only on loopback */
    unsigned char form_key[32];   /* signs anonymous CSRF tokens (web_csrf.h) */
    struct access_oidc *oidc;     /* [oidc] sign-in (access_oidc.h), or NULL: off */
    const struct hub_pathways *pathways; /* the shipped pathways, parsed once at start
                                            (hub_pathway.h); NULL: parsed per request */
    struct web_uploads *uploads;  /* the uploads' worker (web_upload_job.h), or NULL */
};

struct web_param {
    const char *name;
    const char *value;
};

struct web_req {
    struct arena *arena;
    const struct web_app *app;
    const char *method;   /* "GET", "HEAD", ... */
    const char *path;     /* decoded, without the query string */
    struct web_param query[WEB_MAX_QUERY];
    size_t nquery;
    struct web_param params[WEB_MAX_PARAMS]; /* {name} of the route's pattern */
    size_t nparams;
    const char *accept_language; /* the header, or NULL */
    const char *cookie_lang;      /* the lang cookie, or NULL */
    const char *cookie_session;   /* the session cookie, or NULL */
    const char *cookie_csrf;      /* the anonymous CSRF cookie, or NULL */
    const char *cookie_oidc;      /* the OpenID Connect state cookie, or NULL */
    const char *header_csrf;      /* the X-CSRF-Token header, or NULL */
    const char *content_type_in;  /* the request's Content-Type, or NULL */
    const char *body_in;          /* the request's body (NUL-terminated), or NULL */
    size_t body_in_len;
    struct web_param form[WEB_MAX_FORM]; /* the body's form fields (web_form.h) */
    size_t nform;
    /* POST /upload as multipart/form-data: the file streamed to disk and the
     * form's small fields (also in form), or NULL (web_upload_stream.h) */
    struct web_upload_in *upload;
    kn_time now;                  /* when the request came (civil time) */
    const struct access_session *session; /* signed in, or NULL */
    bool emergency;               /* a person route reached by emergency access */
    enum web_lang lang;
    bool lang_from_query;  /* ?lang= was given: the answer sets the cookie */
    bool api;             /* the path is under /api/: answers are JSON */
    const struct web_view *view; /* the results, when the route needs them */

    /* the answer */
    json_t *model;        /* owned by rq; rendered or dumped by the server */
    const char *tmpl;     /* template of the HTML page (from the route) */
    struct strbuf body;   /* a raw body instead of a model */
    const char *content_type; /* of body */
    const char *cache_control; /* NULL: "no-cache" */
    const char *download_name; /* Content-Disposition: attachment; filename= */
    const char *error;    /* 4xx/5xx: what went wrong (no personal data) */
    const char *error_param; /* 400: the parameter at fault */
    const char *error_link;  /* a way on from the error page (a local path) */
    const char *location; /* 303: where to (a local path) */
    const char *cookies[WEB_MAX_COOKIES]; /* Set-Cookie values, in rq->arena */
    size_t ncookies;
};

/* The value of query argument name, or NULL. */
const char *web_query(const struct web_req *rq, const char *name);

/* The value of form field name of the request body, or NULL. */
const char *web_form(const struct web_req *rq, const char *name);

/* The value of path parameter name, or NULL. */
const char *web_param(const struct web_req *rq, const char *name);

/* Set a 400 answer naming parameter name; returns 400. */
int web_bad_param(struct web_req *rq, const char *name, const char *why);

/* Set a 404 answer; returns 404. */
int web_not_found(struct web_req *rq, const char *what);

/* Answer 303 See Other to location, which must be a local path ("/x",
 * not "//x" or a URL: asserted); returns 303. */
int web_redirect(struct web_req *rq, const char *location);

/* Add a Set-Cookie header value (copied into rq->arena); 0, or KN_ENOMEM
 * when WEB_MAX_COOKIES are set already or memory ran out. */
int web_set_cookie(struct web_req *rq, const char *value);

/* A message of the request's language (the key itself if missing, which a
 * unit test rules out for every key the code uses). */
const char *web_t(const struct web_req *rq, const char *key);

#endif /* KNOD_WEB_WEB_REQ_H */
