/* src/web/network/web_net_pedit_activity.c: one development activity, and
 * its forms (web_net_pedit.h).
 *
 *   GET /activities/{id}, /api/v1/activities/{id}   public: the activity
 *       (activity_get) and its funding per source and year
 *       (activity_fund_list), with links to the forms for those who may.
 *   GET/POST /activities/new   add an activity as `knod activity add`: a
 *       region of the user's scope, or none with a node (whose host region
 *       must be the user's), or neither: a national activity (an
 *       administrator's only). Audited "activity-add".
 *   GET/POST /activities/{id}/change   change it as `knod activity
 *       update` (@activity): its region and node stay. Audited
 *       "activity-change".
 * Then 303 to the activity's page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access/access_scope.h"
#include "network/activity.h"
#include "network/net_rows.h"
#include "web/network/web_net.h"
#include "web/network/web_net_form.h"
#include "web/network/web_net_pedit.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

enum {
    F_REGION,
    F_NODE,
    F_TITLE,
    F_GOAL,
    F_STATUS,
    F_RESP,
    F_START,
    F_END,
    F_IND,
    F_DOCS,
    NF
};

static const struct ne_field fields[NF] = {
    {"region", NE_REGION, NULL, false},
    {"node", NE_TEXT, NULL, false},
    {"title", NE_TEXT, NULL, true},
    {"goal", NE_AREA, NULL, true},
    {"status", NE_SELECT, ACTIVITY_STATUSES, true},
    {"responsible", NE_TEXT, NULL, true},
    {"start", NE_TEXT, NULL, true},
    {"end", NE_TEXT, NULL, false},
    {"indicators", NE_TEXT, NULL, false},
    {"documents", NE_TEXT, NULL, false},
};

static bool may_region(const struct access_user *u, const char *region)
{
    if (u->role == ROLE_ADMIN)
        return true;
    return region && *region && access_scope_has_region(u, region);
}

int web_net_pedit_activity_allows(struct web_req *rq, const struct access_user *u)
{
    int64_t id = ne_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    char region[16];
    if (id <= 0) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (!st)
        return 500;
    int rc = activity_owner_region(st, id, region, &err);
    if (rc == KN_ENOTFOUND) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (rc != 0)
        return 500;
    return may_region(u, region) ? 0 : 403;
}

static const char *day_text(struct web_req *rq, kn_day d)
{
    char b[11];
    if (d == ACTIVITY_OPEN)
        return "";
    date_format(d, b);
    return arena_strdup(rq->arena, b);
}

int web_net_pedit_activity(struct web_req *rq)
{
    int64_t id = ne_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct activity t;
    struct net_rows funding = {0};
    if (id <= 0)
        return web_not_found(rq, web_t(rq, "net_err_not_found"));
    if (!st)
        return 500;
    int rc = activity_get(st, id, &t, rq->arena, &err);
    if (rc == 0)
        rc = activity_fund_list(st, id, &funding, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    json_t *fund = net_rows_json(&funding);
    rq->model = json_pack(
        "{s:{s:I, s:s?, s:s?, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}, s:o?}",
        "activity", "id", (json_int_t)id, "region", t.region, "node", t.node, "title",
        t.title, "goal", t.goal, "status", t.status, "responsible", t.responsible,
        "starts", day_text(rq, t.starts), "ends",
        t.ends == ACTIVITY_OPEN ? NULL : day_text(rq, t.ends), "indicators", t.indicators,
        "documents", t.documents, "funding", fund);
    if (!rq->model)
        return 500;
    if (rq->api)
        return 200;
    const char *saved = web_query(rq, "saved");
    bool may = web_route_may(
        rq, "GET", arena_printf(rq->arena, "/activities/%" PRId64 "/change", id));
    if ((saved && strcmp(saved, "1") == 0 && !web_set(rq->model, "saved", json_true())) ||
        !web_set(rq->model, "can_change", json_boolean(may)) ||
        !web_sets(rq->model, "status_text",
                  web_t(rq, arena_printf(rq->arena, "pedit_o_%s", t.status))))
        return 500;
    return 200;
}

/* The form of an activity: add, or change activity id (from its title
 * on: its region and node stay). */
static void form_init(struct web_req *rq, struct ne_form *f, int64_t id)
{
    ne_init(f, id ? fields + F_TITLE : fields, id ? NF - F_TITLE : NF);
    f->keys = "pedit";
    f->form = "activity";
    f->worded = true;
    f->choice_words = "pedit_o_";
    f->action = id ? arena_printf(rq->arena, "/activities/%" PRId64 "/change", id)
                   : "/activities/new";
    f->heading =
        web_t(rq, id ? "pedit_activity_change_heading" : "pedit_activity_add_heading");
    f->intro = web_t(rq, id ? "pedit_activity_change_intro" : "pedit_activity_add_intro");
    f->submit = web_t(rq, id ? "pedit_save" : "pedit_activity_add_submit");
    f->back = id ? arena_printf(rq->arena, "/activities/%" PRId64, id) : "/activities";
}

int web_net_pedit_activity_new(struct web_req *rq)
{
    struct ne_form f;
    form_init(rq, &f, 0);
    f.v[F_STATUS] = "planned";
    return ne_render(rq, &f);
}

int web_net_pedit_activity_change(struct web_req *rq)
{
    int64_t id = ne_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct activity t;
    struct ne_form f;
    if (!st)
        return 500;
    int rc = activity_get(st, id, &t, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    form_init(rq, &f, id);
    const char *v[NF] = {"",
                         "",
                         t.title,
                         t.goal,
                         t.status,
                         t.responsible,
                         day_text(rq, t.starts),
                         day_text(rq, t.ends),
                         t.indicators,
                         t.documents};
    for (int k = F_TITLE; k < NF; k++)
        f.v[k - F_TITLE] = v[k] ? v[k] : "";
    return ne_render(rq, &f);
}

/* The posted fields into t; false after a field error. */
static bool read_activity(struct web_req *rq, struct ne_form *f, struct activity *t)
{
    struct kn_error err = KN_ERROR_INIT;
    t->region = ne_get(f, "region");
    t->node = ne_get(f, "node");
    t->title = f->v[ne_field(f, "title")];
    t->goal = f->v[ne_field(f, "goal")];
    t->status = f->v[ne_field(f, "status")];
    t->responsible = f->v[ne_field(f, "responsible")];
    t->indicators = ne_get(f, "indicators");
    t->documents = ne_get(f, "documents");
    const char *start = f->v[ne_field(f, "start")], *end = f->v[ne_field(f, "end")];
    if (date_parse(start, strlen(start), &t->starts, &err) != 0)
        ne_error(rq, f, "start", web_t(rq, "pedit_e_start"));
    t->ends = ACTIVITY_OPEN;
    if (*end && date_parse(end, strlen(end), &t->ends, &err) != 0)
        ne_error(rq, f, "end", web_t(rq, "pedit_e_end"));
    return json_array_size(f->summary) == 0;
}

struct arg {
    struct web_req *rq;
    struct ne_form *f;
    int64_t id; /* 0: add */
    struct activity t;
    const char *subject;
};

/* Add or update; a new activity must be the user's: its region, else its
 * node's host region, within the user's scope; a national one an
 * administrator's. */
static int store_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    bool add = x->id == 0;
    char region[16] = "";
    int rc = add ? activity_add(st, &x->t, x->rq->app->cat_all, &x->id, err)
                 : activity_update(st, x->id, &x->t, x->rq->app->cat_all, err);
    if (rc == KN_ENOTFOUND) /* an unknown node, indicator or document */
        rc = KN_EINPUT;
    if (rc == 0 && add && (rc = activity_owner_region(st, x->id, region, err)) == 0 &&
        !may_region(&x->rq->session->user, region))
        ne_error(x->rq, x->f, x->t.region || !x->t.node ? "region" : "node",
                 web_t(x->rq, "pedit_e_scope"));
    x->subject = arena_printf(x->rq->arena, "%" PRId64, x->id);
    return rc;
}

static int post(struct web_req *rq, int64_t id)
{
    struct ne_form f;
    struct arg x = {.rq = rq, .f = &f, .id = id};
    form_init(rq, &f, id);
    ne_read(rq, &f);
    read_activity(rq, &f, &x.t);
    int rc = ne_store(rq, &f, store_fn, &x, id ? "activity-change" : "activity-add",
                      &x.subject, arena_printf(rq->arena, "status %s", x.t.status));
    return ne_done(rq, &f, rc,
                   arena_printf(rq->arena, "/activities/%" PRId64 "?saved=1", x.id));
}

int web_net_pedit_activity_new_post(struct web_req *rq)
{
    return post(rq, 0);
}

int web_net_pedit_activity_change_post(struct web_req *rq)
{
    int64_t id = ne_id(rq);
    return id > 0 ? post(rq, id) : web_not_found(rq, web_t(rq, "net_err_not_found"));
}
