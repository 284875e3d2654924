/* src/web/network/web_net_edit_training.c: trainings in the portal
 * (web_net_edit.h), a coordinator's or an administrator's.
 *
 *   GET/POST /trainings/new            add a training, as `knod training add`
 *   GET/POST /trainings/{id}/change    change it, as `knod training update`
 *   GET /api/v1/trainings/{id}         one training, the row of `knod
 *                                      training list`
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/training.h"
#include "web/network/web_net.h"
#include "web/network/web_net_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const struct ne_field fields[] = {
    {"kind", NE_SELECT, TRAINING_KINDS, true},
    {"title", NE_TEXT, NULL, true},
    {"start", NE_TEXT, NULL, true},
    {"end", NE_TEXT, NULL, true},
    {"mode", NE_SELECT, TRAINING_FORMATS, true},
    {"targets", NE_CHECKS, TRAINING_TARGETS, true},
    {"organiser", NE_TEXT, NULL, true},
};
#define NF (sizeof fields / sizeof fields[0])

/* The route's training: *id and *t; else the status (404, 500). */
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

int web_net_training(struct web_req *rq)
{
    int64_t id;
    struct training t;
    int rc = load(rq, &id, &t);
    if (rc != 0)
        return rc;
    struct store *st = web_store(rq);
    struct net_rows list = {0};
    struct kn_error err = KN_ERROR_INIT;
    /* its row of training_list: the same columns, with its participants */
    rc = training_list(st, t.starts, t.starts, &list, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    json_t *all = net_rows_json(&list), *o, *found = NULL;
    size_t i;
    json_array_foreach(all, i, o)
    {
        if (json_integer_value(json_object_get(o, "id")) == id)
            found = json_incref(o);
    }
    json_decref(all);
    if (!found)
        return 500;
    rq->model = json_object();
    return rq->model && web_set(rq->model, "training", found) ? 200 : 500;
}

static void form(struct web_req *rq, struct ne_form *fm, const char *id)
{
    ne_init(fm, fields, NF);
    fm->action =
        id ? arena_printf(rq->arena, "/trainings/%s/change", id) : "/trainings/new";
    fm->heading =
        id ? arena_printf(rq->arena, "%s %s", web_t(rq, "ne_training_change"), id)
           : web_t(rq, "ne_training_add");
    fm->intro = web_t(rq, id ? "ne_training_change_intro" : "ne_training_add_intro");
    fm->submit = web_t(rq, "ne_save");
    fm->back = "/trainings";
}

int web_net_training_new(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, NULL);
    return ne_render(rq, &fm);
}

static const char *day_text(struct web_req *rq, kn_day d)
{
    char s[11];
    date_format(d, s);
    return arena_strdup(rq->arena, s);
}

int web_net_training_change(struct web_req *rq)
{
    int64_t id;
    struct training t;
    int rc = load(rq, &id, &t);
    if (rc != 0)
        return rc;
    struct ne_form fm;
    form(rq, &fm, web_param(rq, "id"));
    const char *v[] = {t.kind,
                       t.title,
                       day_text(rq, t.starts),
                       day_text(rq, t.ends),
                       t.format,
                       t.target_groups,
                       t.organiser};
    for (size_t i = 0; i < NF; i++)
        fm.v[i] = v[i] ? v[i] : "";
    return ne_render(rq, &fm);
}

struct arg {
    int64_t id;
    struct training t;
    struct arena *a;
    char subject[24];
};

static int add_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    int rc = training_add(st, &x->t, &x->id, err);
    if (rc == 0)
        snprintf(x->subject, sizeof x->subject, "%lld", (long long)x->id);
    return rc;
}

static int update_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    return training_update(st, x->id, &x->t, x->a, err);
}

static int post(struct web_req *rq, bool add)
{
    struct arg x = {0, {0}, rq->arena, ""};
    int status;
    if (!add && (status = load(rq, &x.id, &x.t)) != 0)
        return status;
    const char *key = web_param(rq, "id");
    if (!add)
        snprintf(x.subject, sizeof x.subject, "%s", key);
    struct ne_form fm;
    form(rq, &fm, add ? NULL : key);
    ne_read(rq, &fm);
    /* every field is shown: an empty one is empty (and refused as the CLI
     * refuses it) */
    x.t.kind = ne_get(&fm, "kind");
    x.t.title = fm.v[1];
    x.t.format = ne_get(&fm, "mode");
    x.t.target_groups = fm.v[5];
    x.t.organiser = fm.v[6];
    if (!ne_get(&fm, "start"))
        ne_refused(rq, &fm, "--start is missing");
    if (!ne_get(&fm, "end"))
        ne_refused(rq, &fm, "--end is missing");
    ne_day(rq, &fm, "start", 0, &x.t.starts);
    ne_day(rq, &fm, "end", 0, &x.t.ends);
    const char *subj = x.subject;
    int rc = ne_store(rq, &fm, add ? add_fn : update_fn, &x,
                      add ? "training-add" : "training-change", &subj, ne_given(rq, &fm));
    return ne_done(rq, &fm, rc, "/trainings");
}

int web_net_training_new_post(struct web_req *rq)
{
    return post(rq, true);
}

int web_net_training_change_post(struct web_req *rq)
{
    return post(rq, false);
}
