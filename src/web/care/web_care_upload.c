/* src/web/care/web_care_upload.c: the upload pages (web_care.h).
 *
 * GET /upload is the form (a file and its kind, "from the file" by
 * default) and the user's recent uploads; POST /upload takes the file
 * that web_server.c streamed to a temporary file (web_upload_stream.h),
 * records the upload and queues it for the worker (web_upload_job.h),
 * and answers 303 to its status page. GET /upload/{id} (and
 * /api/v1/uploads/{id}) shows its progress while it runs, refreshing
 * itself without script, then its outcome and the reject report (line,
 * field, reason), which /upload/{id}/rejects.csv
 * gives whole (the import's reasons, a personnummer never among them).
 * Who may see an upload is the route table's rule @upload
 * (web_router.c): its uploader, and administrators.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access_session.h"
#include "base/config.h"
#include "web/care/web_care.h"
#include "web/care/web_upload_db.h"
#include "web/care/web_upload_detect.h"
#include "web/care/web_upload_job.h"
#include "web/care/web_upload_stream.h"
#include "web/web_csrf.h"
#include "web/web_dispatch.h"
#include "web/web_model.h"
#include "web/web_session.h"

#define RECENT 10       /* uploads listed on the form */
#define SHOWN_REJECTS 500 /* lines of the report on the page; the CSV has all */

static const char *t_key(struct web_req *rq, const char *prefix, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "%s%s", prefix, name);
    return web_t(rq, key);
}

/* The state's words on each upload of list (or one object). */
static void add_state_text(struct web_req *rq, json_t *o)
{
    const char *state = json_string_value(json_object_get(o, "state"));
    json_object_set_new(o, "state_text", json_string(t_key(rq, "upload_state_", state ? state : "failed")));
    json_object_set_new(o, "kind_text", json_string(t_key(rq, "upload_kind_", json_string_value(json_object_get(o, "kind")))));
    json_object_set_new(o, "href", json_string(arena_printf(rq->arena, "/upload/%lld",
                                        (long long)json_integer_value(json_object_get(o, "id")))));
}

/* The form's model: kinds to choose, the limit, the user's uploads, and
 * error (NULL: none) in the GOV.UK summary. */
static int form(struct web_req *rq, const char *error)
{
    const char *csrf = web_csrf_token(rq);
    struct store *st = web_store(rq);
    json_t *kinds = json_array(), *list = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (!csrf || !st || !kinds)
        return 500;
    const char *chosen = web_form(rq, "kind");
    static const char *const extra[] = { "auto", "fhir" };
    for (size_t i = 0; i < 2 + reg_kind_count(); i++) {
        const char *name = i < 2 ? extra[i] : reg_kind_name(reg_kind_at(i - 2));
        json_t *e = json_pack("{s:s, s:s, s:b}", "name", name, "label",
                              t_key(rq, "upload_kind_", name), "selected",
                              chosen && strcmp(chosen, name) == 0);
        if (!e || json_array_append_new(kinds, e) != 0)
            return 500;
    }
    if (web_upload_db_list(st, rq->session->user.id, RECENT, &list, &err) != 0) {
        json_decref(kinds);
        return 500;
    }
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) add_state_text(rq, o);
    rq->model = json_pack("{s:s, s:o, s:i, s:o, s:o}", "csrf", csrf, "kinds", kinds,
                          "max_mb", rq->app->cfg->web_upload_max_mb, "uploads", list,
                          "errors", json_array());
    if (!rq->model)
        return 500;
    if (error) {
        json_t *e = json_pack("{s:s, s:s}", "field", "f-file", "text", error);
        if (!e || json_array_append_new(json_object_get(rq->model, "errors"), e) != 0 ||
            !web_sets(rq->model, "error", error) ||
            !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
            return 500;
    }
    return 200;
}

int web_care_upload_form(struct web_req *rq)
{
    return form(rq, NULL);
}

/* The first bytes of the file, for web_upload_detect(). */
static size_t read_head(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, cap);
    close(fd);
    return n > 0 ? (size_t)n : 0;
}

int web_care_upload_post(struct web_req *rq)
{
    struct web_upload_in *in = rq->upload;
    if (!in) { /* not multipart/form-data: a form without its file */
        rq->error = web_t(rq, "upload_err_type");
        return 415;
    }
    if (in->status == 400) {
        rq->error = web_t(rq, "upload_err_truncated");
        return 400;
    }
    if (in->status != 0)
        return 500;
    if (!in->has_file || in->path[0] == '\0')
        return form(rq, web_t(rq, "upload_err_none"));
    if (in->bytes == 0)
        return form(rq, web_t(rq, "upload_err_empty"));
    char head[512];
    size_t hl = read_head(in->path, head, sizeof head);
    bool fhir = false;
    const struct reg_kind *k = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (web_upload_detect(web_form(rq, "kind"), in->name, head, hl, &fhir, &k, &err) != 0)
        return form(rq, web_t(rq, "upload_err_kind"));
    if (!rq->app->uploads) {
        rq->error = web_t(rq, "upload_err_off");
        return 503;
    }
    struct store *st = web_store(rq);
    if (!st)
        return 500;
    const struct access_user *u = &rq->session->user;
    struct web_upload_job j = { .user_id = u->id, .role = u->role, .scope = u->scope };
    snprintf(j.path, sizeof j.path, "%s", in->path);
    snprintf(j.file_name, sizeof j.file_name, "%s", in->name);
    snprintf(j.format, sizeof j.format, "%s", fhir ? "fhir" : "csv");
    snprintf(j.kind, sizeof j.kind, "%s", fhir ? "fhir" : reg_kind_name(k));
    snprintf(j.user_name, sizeof j.user_name, "%s", u->name);
    snprintf(j.scope_code, sizeof j.scope_code, "%s", u->scope_code ? u->scope_code : "");
    if (web_upload_db_add(st, u->id, u->name, j.file_name, j.format, j.kind, in->bytes, 0,
                          rq->now, &j.id, &err) != 0)
        return 500;
    const char *subject = arena_printf(rq->arena, "upload/%lld", (long long)j.id);
    const char *detail = arena_printf(rq->arena, "%s %s, %llu bytes", j.format, j.kind,
                                      (unsigned long long)in->bytes);
    if (!subject || !detail || web_audit(rq, "upload", subject, NULL, detail) != 0)
        return 500;
    in->taken = true; /* the worker removes it, also if submitting fails */
    if (web_uploads_submit(rq->app->uploads, &j, &err) != 0)
        return 500;
    const char *loc = arena_printf(rq->arena, "/upload/%lld", (long long)j.id);
    return loc ? web_redirect(rq, loc) : 500;
}

/* {id} as a number (the route rule @upload has checked it). */
static int64_t upload_id(struct web_req *rq)
{
    const char *s = web_param(rq, "id");
    return s ? strtoll(s, NULL, 10) : 0;
}

int web_care_upload_status(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    json_t *o = NULL;
    if (!st)
        return 500;
    int64_t id = upload_id(rq);
    int rc = web_upload_db_get(st, id, SHOWN_REJECTS, &o, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    if (rc != 0)
        return 500;
    bool running = false, active = false;
    uint64_t read = 0, total = 0;
    if (rq->app->uploads)
        active = web_uploads_progress(rq->app->uploads, id, &running, &read, &total);
    const char *state = json_string_value(json_object_get(o, "state"));
    if (active || (state && (strcmp(state, "queued") == 0 || strcmp(state, "running") == 0))) {
        json_object_set_new(o, "state", json_string(running ? "running" : "queued"));
        json_object_set_new(o, "rows_read", json_integer((json_int_t)read));
        json_object_set_new(o, "rows_total", json_integer((json_int_t)total));
    }
    state = json_string_value(json_object_get(o, "state"));
    bool busy = strcmp(state, "queued") == 0 || strcmp(state, "running") == 0;
    if (rq->api) {
        rq->model = o;
        return 200;
    }
    add_state_text(rq, o);
    json_t *rej = json_object_get(o, "rejects");
    json_int_t nrej = json_integer_value(json_object_get(o, "rejects_total"));
    rq->model = json_pack("{s:o, s:b, s:b, s:b, s:b, s:b, s:b}", "upload", o, "refresh", busy,
                          "busy", busy, "has_total", total > 0, "has_rejects",
                          json_array_size(rej) > 0, "more_rejects",
                          nrej > (json_int_t)json_array_size(rej), "stored",
                          strcmp(state, "stored") == 0);
    if (!rq->model)
        return 500;
    if (busy && total > 0 &&
        !web_set(rq->model, "progress",
                 json_pack("{s:I, s:I, s:i}", "read", (json_int_t)read, "total",
                           (json_int_t)total, "percent",
                           (int)(read >= total ? 100 : read * 100 / total))))
        return 500;
    return 200;
}

int web_care_upload_rejects(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int64_t id = upload_id(rq);
    if (web_upload_db_rejects_csv(st, id, &rq->body, &err) != 0)
        return 500;
    rq->content_type = "text/csv; charset=utf-8";
    rq->download_name = arena_printf(rq->arena, "upload-%lld-rejects.csv", (long long)id);
    return rq->download_name ? 200 : 500;
}
