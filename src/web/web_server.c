/* src/web/web_server.c: libmicrohttpd glue (web_server.h): the daemon,
 * one web_req per request, limits, headers and the access log. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "base/utf8.h"
#include "domain/pnr_shape.h"
#include "web/care/web_upload_stream.h"
#include "web/web_cache.h"
#include "web/web_dispatch.h"
#include "web/web_server.h"

struct web_server {
    struct MHD_Daemon *d;
    const struct web_app *app;
    unsigned port;
};

/* Per connection-request state (libmicrohttpd's con_cls). */
struct conn {
    struct arena arena;
    double t0;
    size_t body_seen;
    struct strbuf body; /* the request body, at most [web] max_request_bytes */
    int status;
    size_t bytes;
    char method[16];
    char log_path[240]; /* path and query names, printable ASCII */
    bool answered;
    /* POST /upload as multipart/form-data: the body streamed to a file
     * (web_upload_stream.h) instead of into body */
    bool upload;
    struct web_upload_stream *up;
    struct web_upload_in *up_in;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static void unref_cached(void *cls)
{
    web_cache_unref(cls);
}

/* Queue a's answer; takes over a->body and a->shared. */
static enum MHD_Result queue(struct MHD_Connection *c, struct conn *cn, struct web_answer *a)
{
    struct MHD_Response *r;
    size_t len;
    if (a->shared) { /* the cache's bytes, sent without a copy */
        struct web_cached *e = a->shared;
        a->shared = NULL;
        len = e->len;
        int fd = e->fd >= 0 ? dup(e->fd) : -1;
        if (fd >= 0) { /* sendfile from its memory file; MHD closes fd */
            r = MHD_create_response_from_fd_at_offset64(len, fd, 0);
            if (!r)
                close(fd);
            web_cache_unref(e);
        } else {
            r = MHD_create_response_from_buffer_with_free_callback_cls(len, e->body,
                                                                       unref_cached, e);
            if (!r)
                web_cache_unref(e);
        }
        if (!r)
            return MHD_NO;
    } else {
        len = a->body.len;
        char *buf = sb_detach(&a->body, NULL);
        r = MHD_create_response_from_buffer(len, buf ? buf : (char *)"",
                                            buf ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (!r) {
            free(buf);
            return MHD_NO;
        }
    }
    security_headers(r);
    if (a->status != 304 && a->content_type)
        MHD_add_response_header(r, "Content-Type", a->content_type);
    if (a->etag[0] && (a->status == 200 || a->status == 304))
        MHD_add_response_header(r, "ETag", a->etag);
    MHD_add_response_header(r, "Cache-Control", a->cache_control ? a->cache_control : "no-cache");
    if (a->vary)
        MHD_add_response_header(r, "Vary", "Accept-Language, Cookie");
    if (a->allow[0])
        MHD_add_response_header(r, "Allow", a->allow);
    if (a->set_cookie)
        MHD_add_response_header(r, "Set-Cookie", a->set_cookie);
    for (size_t i = 0; i < a->ncookies; i++)
        MHD_add_response_header(r, "Set-Cookie", a->cookies[i]);
    if (a->location)
        MHD_add_response_header(r, "Location", a->location);
    if (a->disposition) {
        char d[160];
        snprintf(d, sizeof d, "attachment; filename=\"%s\"", a->disposition);
        MHD_add_response_header(r, "Content-Disposition", d);
    }
    if (a->retry_after) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", a->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    if (a->cors)
        MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    cn->status = a->status;
    cn->bytes = len;
    cn->answered = true;
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)a->status, r);
    MHD_destroy_response(r);
    return rc;
}

/* A limit answer without a request object (413, 431). */
static enum MHD_Result refuse(struct MHD_Connection *c, struct conn *cn, int status,
                              const char *msg)
{
    struct web_answer a = { .status = status, .content_type = "text/plain; charset=utf-8" };
    sb_init(&a.body);
    sb_addstr(&a.body, msg);
    return queue(c, cn, &a);
}

struct collect {
    struct web_req *rq;
    size_t bytes;
    bool bad;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    struct collect *co = cls;
    co->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    struct collect *co = cls;
    struct web_req *rq = co->rq;
    if (!value)
        value = "";
    if (rq->nquery == WEB_MAX_QUERY || !utf8_valid(key, strlen(key), NULL) ||
        !utf8_valid(value, strlen(value), NULL)) {
        co->bad = true;
        return MHD_NO;
    }
    rq->query[rq->nquery].name = arena_strdup(rq->arena, key);
    rq->query[rq->nquery].value = arena_strdup(rq->arena, value);
    if (!rq->query[rq->nquery].name || !rq->query[rq->nquery].value) {
        co->bad = true;
        return MHD_NO;
    }
    rq->nquery++;
    return MHD_YES;
}

/* The access log's path: printable ASCII, then the query's names. A
 * survey link's token is a credential (web/network/web_survey.h): the log
 * shows "/s/{token}" instead. A log line never shows a personnummer:
 * every part shaped like one is masked, as file names are
 * (domain/pnr_shape.h; a pseudonym's run of ten digits too, which costs
 * the log nothing). */
static void log_path(struct conn *cn, const char *path, const struct web_req *rq)
{
    char full[1024]; /* made whole first, so that a cut cannot split a number */
    size_t o = 0, cap = sizeof full - 1;
    if (strncmp(path, "/s/", 3) == 0)
        path = "/s/{token}";
    for (const char *p = path; *p && o < cap; p++)
        full[o++] = (*p > 32 && *p < 127) ? *p : '?';
    for (size_t i = 0; rq && i < rq->nquery && o + 2 < cap; i++) {
        full[o++] = i ? '&' : '?';
        for (const char *p = rq->query[i].name; *p && o < cap; p++)
            full[o++] = (*p > 32 && *p < 127 && *p != '&') ? *p : '?';
    }
    full[o] = '\0';
    pnr_mask_copy(full, o, cn->log_path, sizeof cn->log_path);
}

/* The request's language and cookies, for an answer made before the
 * request is complete. */
static void early_req(struct MHD_Connection *c, struct conn *cn, const char *url,
                      struct web_req *rq)
{
    rq->arena = &cn->arena;
    rq->method = cn->method;
    rq->path = url;
    sb_init(&rq->body);
    rq->accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    rq->cookie_lang = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lang");
}

/* An upload beyond [web] upload_max_mb: the portal's 413 page, at once. */
static enum MHD_Result upload_too_large(struct web_server *s, struct MHD_Connection *c,
                                        struct conn *cn, const char *url)
{
    struct web_req rq = { 0 };
    early_req(c, cn, url, &rq);
    struct web_answer a = { 0 };
    sb_init(&a.body);
    char limit[32];
    snprintf(limit, sizeof limit, "(%d MB)", s->app->cfg->web_upload_max_mb);
    web_dispatch_refuse(s->app, &rq, 413, "upload_err_too_large", limit, &a);
    enum MHD_Result rc = queue(c, cn, &a);
    sb_release(&a.body);
    return rc;
}

/* The first call of an upload (web_upload_stream.h): refused at once when
 * its Content-Length is beyond the limit; streamed only for a request with
 * a session cookie (an anonymous one is answered 401 by the dispatcher
 * without its body being kept). */
static enum MHD_Result upload_begin(struct web_server *s, struct MHD_Connection *c,
                                    struct conn *cn, const char *url, const char *cl)
{
    uint64_t max = (uint64_t)s->app->cfg->web_upload_max_mb << 20;
    cn->upload = true;
    cn->up_in = calloc(1, sizeof *cn->up_in);
    if (!cn->up_in)
        return MHD_NO;
    if (cl && strtoull(cl, NULL, 10) > max + 64 * 1024) /* the file and the form around it */
        return upload_too_large(s, c, cn, url);
    if (MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "knod_session")) {
        struct kn_error err = KN_ERROR_INIT;
        if (web_upload_stream_new(&cn->up, c, s->app->cfg->dir, max, &err) == KN_ENOMEM)
            return MHD_NO;
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct web_server *s = cls;
    size_t max = (size_t)s->app->cfg->web_max_request;
    struct conn *cn = *con_cls;
    if (!cn) {
        cn = calloc(1, sizeof *cn);
        if (!cn)
            return MHD_NO;
        arena_init(&cn->arena);
        sb_init(&cn->body);
        cn->t0 = now_ms();
        snprintf(cn->method, sizeof cn->method, "%s", method);
        log_path(cn, url, NULL);
        *con_cls = cn;
        struct collect co = { 0 };
        MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &co);
        if (co.bytes + strlen(url) > max)
            return refuse(c, cn, 431, "request headers too large\n");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (web_upload_stream_wanted(method, url,
                                     MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                                 MHD_HTTP_HEADER_CONTENT_TYPE)))
            return upload_begin(s, c, cn, url, cl);
        if (cl && strtoull(cl, NULL, 10) > max)
            return refuse(c, cn, 413, "request too large\n");
        return MHD_YES;
    }
    if (cn->answered) { /* a refused request's body: drop it */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size && cn->upload) {
        /* Beyond the limit the rest is read and dropped, and the 413 page
         * comes at the end (libmicrohttpd cannot answer in the middle of a
         * body of unknown length); a client that goes on sending far
         * beyond it is cut off. */
        size_t len = *upload_data_size;
        *upload_data_size = 0;
        cn->body_seen += len;
        if (cn->body_seen / 4 > ((size_t)s->app->cfg->web_upload_max_mb << 20))
            return MHD_NO;
        if (cn->up)
            web_upload_stream_feed(cn->up, upload_data, len);
        return MHD_YES;
    }
    if (*upload_data_size) {
        cn->body_seen += *upload_data_size;
        if (cn->body_seen > max) {
            *upload_data_size = 0;
            return refuse(c, cn, 413, "request too large\n");
        }
        if (sb_add(&cn->body, upload_data, *upload_data_size) != 0)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct web_req rq = { 0 };
    rq.arena = &cn->arena;
    rq.method = cn->method;
    rq.path = url;
    sb_init(&rq.body);
    struct collect co = { &rq, 0, false };
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &co);
    if (cn->upload) { /* the form's small fields, as a form's (web_form.h) */
        if (cn->up)
            web_upload_stream_end(cn->up, cn->up_in);
        if (cn->up_in->status == 413)
            return upload_too_large(s, c, cn, url);
        rq.upload = cn->up_in;
        for (size_t i = 0; i < cn->up_in->nfields && rq.nform < WEB_MAX_FORM; i++) {
            rq.form[rq.nform].name = arena_strdup(rq.arena, cn->up_in->fields[i].name);
            rq.form[rq.nform].value = arena_strdup(rq.arena, cn->up_in->fields[i].value);
            co.bad |= !rq.form[rq.nform].name || !rq.form[rq.nform].value ||
                      !utf8_valid(rq.form[rq.nform].value, strlen(rq.form[rq.nform].value),
                                  NULL);
            rq.nform++;
        }
    }
    log_path(cn, url, &rq);
    struct web_answer a = { 0 };
    sb_init(&a.body);
    if (co.bad || !utf8_valid(url, strlen(url), NULL)) {
        a.status = 400;
        a.content_type = "text/plain; charset=utf-8";
        sb_addstr(&a.body, "bad request: too many query arguments or invalid UTF-8\n");
    } else {
        rq.accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
        rq.cookie_lang = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lang");
        rq.cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "knod_session");
        rq.cookie_csrf = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "knod_csrf");
        rq.cookie_oidc = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "knod_oidc");
        rq.header_csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
        rq.content_type_in = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_CONTENT_TYPE);
        rq.body_in = cn->body.len ? cn->body.buf : NULL;
        rq.body_in_len = cn->body.len;
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_IF_NONE_MATCH);
        web_dispatch(s->app, &rq, inm, &a);
    }
    enum MHD_Result rc = queue(c, cn, &a);
    sb_release(&a.body);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    struct conn *cn = *con_cls;
    if (!cn)
        return;
    if (cn->answered)
        log_msg(LOG_INFO, "access %s %s %d %zu B %.1f ms%s", cn->method, cn->log_path,
                cn->status, cn->bytes, now_ms() - cn->t0,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
    arena_release(&cn->arena);
    sb_release(&cn->body);
    web_upload_stream_free(cn->up, cn->up_in);
    free(cn->up_in);
    free(cn);
    *con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535)
        return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        host[strlen(host) - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return -1;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
        return 6;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return -1;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *len = sizeof *a4;
    return 4;
}

int web_server_start(struct web_server **out, const struct web_app *app, const char *listen,
                     struct kn_error *err)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fam = parse_listen(listen, &ss, &sl);
    if (fam < 0)
        return kn_fail(err, KN_EINPUT, "listen address '%s' is not ADDR:PORT (127.0.0.1:8080, "
                       "[::1]:8080)", listen);
    struct web_server *s = calloc(1, sizeof *s);
    if (!s)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    s->app = app;
    const struct config *cfg = app->cfg;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    if (fam == 6)
        flags |= MHD_USE_IPv6;
    size_t pool = (size_t)cfg->web_max_request + 16384;
    if (pool < 32768)
        pool = 32768;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->web_threads,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->web_timeout_s,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
                            MHD_OPTION_CONNECTION_LIMIT, 512u,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_END);
    if (!s->d) {
        free(s);
        return kn_fail(err, KN_EIO, "cannot listen on %s (in use, or not an address of "
                       "this machine?)", listen);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return 0;
}

unsigned web_server_port(const struct web_server *s)
{
    return s->port;
}

void web_server_stop(struct web_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d);
    free(s);
}
