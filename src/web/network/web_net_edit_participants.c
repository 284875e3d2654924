/* src/web/network/web_net_edit_participants.c: a training's participants
 * uploaded in the portal (web_net_edit.h), as `knod training participants`
 * loads them.
 *
 *   GET/POST /trainings/{id}/participants  a CSV file (region,
 *       organisation, profession, participants) streamed to a private
 *       temporary file as /upload's are (web_upload_stream.h), loaded by
 *       training_participants_load_in() in one transaction with its audit
 *       entry (training-participants: the rows and the count). A
 *       coordinator's file may hold the coordinator's regions only (a row
 *       of another region is refused, naming its line and column), and it
 *       replaces the rows of those regions; an administrator's replaces
 *       them all. A refused file changes nothing; the error names the
 *       file, the line and the column.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access_scope.h"
#include "network/training.h"
#include "web/care/web_upload_stream.h"
#include "web/network/web_net.h"
#include "web/network/web_net_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const struct ne_field fields[] = {{"file", NE_FILE, NULL, true}};

static void form(struct web_req *rq, struct ne_form *fm, const char *id,
                 const char *title)
{
    ne_init(fm, fields, 1);
    fm->action = arena_printf(rq->arena, "/trainings/%s/participants", id);
    fm->heading = arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_participants"), title);
    fm->intro = web_t(rq, "ne_participants_intro");
    fm->submit = web_t(rq, "ne_participants_submit");
    fm->back = "/trainings";
}

/* The route's training's title, or the status. */
static int load(struct web_req *rq, int64_t *id, struct training *t)
{
    const char *s = web_param(rq, "id");
    char *end = NULL;
    *id = s ? strtoll(s, &end, 10) : 0;
    if (*id <= 0 || *end)
        return web_not_found(rq, web_t(rq, "ne_err_no_training"));
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = training_get(st, *id, t, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "ne_err_no_training"));
    return rc == 0 ? 0 : 500;
}

int web_net_participants(struct web_req *rq)
{
    int64_t id;
    struct training t;
    int rc = load(rq, &id, &t);
    if (rc != 0)
        return rc;
    struct ne_form fm;
    form(rq, &fm, web_param(rq, "id"), t.title);
    return ne_render(rq, &fm);
}

static bool has(const void *ctx, const char *region)
{
    return access_scope_has_region(ctx, region);
}

struct arg {
    int64_t id;
    int fd;
    const char *name;
    const struct training_scope *scope;
    int rows;
    int64_t total;
    char detail[80]; /* for the audit entry, once the file is read */
};

static int load_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    int rc = training_participants_load_in(st, x->id, x->fd, x->name, x->scope, &x->rows,
                                           &x->total, err);
    if (rc == KN_EINPUT) /* the file's error belongs to the file's field */
        kn_error_prefix(err, "--file: ");
    if (rc == 0)
        snprintf(x->detail, sizeof x->detail, "%d rows, %lld participants%s", x->rows,
                 (long long)x->total, x->scope ? " (own regions)" : "");
    return rc;
}

int web_net_participants_post(struct web_req *rq)
{
    int64_t id;
    struct training t;
    int status = load(rq, &id, &t);
    if (status != 0)
        return status;
    const char *key = web_param(rq, "id");
    struct ne_form fm;
    form(rq, &fm, key, t.title);
    struct web_upload_in *in = rq->upload;
    if (in && in->status == 400) {
        rq->error = web_t(rq, "upload_err_truncated");
        return 400;
    }
    if (in && in->status != 0)
        return 500;
    int fd = -1;
    if (!in || !in->has_file || !in->path[0] || in->bytes == 0)
        ne_error(rq, &fm, "file",
                 arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_f_file"),
                              web_t(rq, "ne_e_no_file")));
    else if ((fd = open(in->path, O_RDONLY | O_CLOEXEC)) < 0)
        return 500;
    const struct access_user *u = &rq->session->user;
    struct training_scope scope = {has, u};
    struct arg x = {id, fd, in ? in->name : "", u->role == ROLE_ADMIN ? NULL : &scope, 0,
                    0,  ""};
    const char *subject = key;
    int rc = 1;
    if (fd >= 0) {
        rc = ne_store(rq, &fm, load_fn, &x, "training-participants", &subject, x.detail);
        close(fd);
    }
    return ne_done(rq, &fm, rc,
                   arena_printf(rq->arena, "/trainings?saved=%lld", (long long)id));
}
