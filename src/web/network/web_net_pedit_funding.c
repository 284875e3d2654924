/* src/web/network/web_net_pedit_funding.c: an activity's funding per
 * source and year recorded in the portal (web_net_pedit.h).
 *
 *   GET/POST /activities/{id}/funding   (@activity) the figures of one
 *       source and year, allocated and spent in whole kronor, as `knod
 *       activity fund` records them (activity_fund: recording a source
 *       and year again replaces its figures); the activity's funding so
 *       far is shown beside the form. Audited "activity-fund"; then 303 to
 *       the activity's page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "network/activity.h"
#include "network/fund.h"
#include "network/net_text.h"
#include "web/network/web_net.h"
#include "web/network/web_net_form.h"
#include "web/network/web_net_pedit.h"
#include "web/web_model.h"
#include "web/web_session.h"

enum { F_SOURCE, F_YEAR, F_ALLOC, F_SPENT, NF };

static const struct ne_field fields[NF] = {
    {"source", NE_SELECT, ACTIVITY_SOURCES, true},
    {"year", NE_TEXT, NULL, true},
    {"allocated", NE_TEXT, NULL, true},
    {"spent", NE_TEXT, NULL, false},
};

/* The form of activity id with its title and funding so far (a new
 * object into *extra, or NULL); 404 for no such activity. */
static int form_init(struct web_req *rq, struct ne_form *f, int64_t id, json_t **extra)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct activity t;
    struct net_rows rows = {0};
    *extra = NULL;
    if (!st)
        return 500;
    int rc = activity_get(st, id, &t, rq->arena, &err);
    if (rc == 0)
        rc = activity_fund_list(st, id, &rows, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    ne_init(f, fields, NF);
    f->keys = "pedit";
    f->form = "funding";
    f->worded = true;
    f->choice_words = "pedit_o_";
    f->action = arena_printf(rq->arena, "/activities/%" PRId64 "/funding", id);
    f->heading =
        arena_printf(rq->arena, "%s: %s", web_t(rq, "pedit_funding_heading"), t.title);
    f->intro = web_t(rq, "pedit_funding_intro");
    f->submit = web_t(rq, "pedit_save");
    f->back = arena_printf(rq->arena, "/activities/%" PRId64, id);
    static const char *const cols[] = {"pedit_f_source", "pedit_f_year",
                                       "pedit_f_allocated", "pedit_f_spent", NULL};
    if (rows.nrows > 0 &&
        !(*extra = ne_table(rq, web_t(rq, "pedit_funding_caption"), cols, &rows)))
        return 500;
    f->table = *extra;
    return 0;
}

int web_net_pedit_funding(struct web_req *rq)
{
    struct ne_form f;
    json_t *extra;
    int rc = form_init(rq, &f, ne_id(rq), &extra);
    if (rc == 0) {
        char y[8];
        snprintf(y, sizeof y, "%d", date_to_ymd(time_to_day(rq->now)).year);
        f.v[F_YEAR] = arena_strdup(rq->arena, y);
        f.v[F_SPENT] = "0";
        rc = ne_render(rq, &f);
    }
    json_decref(extra);
    return rc;
}

struct arg {
    int64_t id;
    const char *source;
    long year, alloc, spent;
};

static int fund_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    return activity_fund(st, x->id, x->source, (int)x->year, x->alloc, x->spent, err);
}

int web_net_pedit_funding_post(struct web_req *rq)
{
    struct arg x = {.id = ne_id(rq)};
    struct ne_form f;
    json_t *extra;
    int rc = form_init(rq, &f, x.id, &extra);
    if (rc != 0) {
        json_decref(extra);
        return rc;
    }
    ne_read(rq, &f);
    struct kn_error err = KN_ERROR_INIT;
    static const char *const opt[] = {NULL, "--year", "--allocated", "--spent"};
    long *out[] = {NULL, &x.year, &x.alloc, &x.spent};
    for (int i = F_YEAR; i < NF; i++) {
        const char *v = i == F_SPENT && !*f.v[i] ? "0" : f.v[i];
        long hi = i == F_YEAR ? 2199 : (long)FUND_GRANT_MAX;
        if (net_int_parse(opt[i], v, i == F_YEAR ? 1900 : 0, hi, out[i], &err) != 0)
            ne_refused(rq, &f, err.msg);
    }
    if (net_enum_check("--source", f.v[F_SOURCE], ACTIVITY_SOURCES, &err) != 0)
        ne_refused(rq, &f, err.msg);
    x.source = f.v[F_SOURCE];
    const char *subject = arena_printf(rq->arena, "%" PRId64, x.id);
    rc = ne_store(rq, &f, fund_fn, &x, "activity-fund", &subject,
                  arena_printf(rq->arena, "%s %ld: %ld allocated, %ld spent", x.source,
                               x.year, x.alloc, x.spent));
    int status = ne_done(
        rq, &f, rc, arena_printf(rq->arena, "/activities/%" PRId64 "?saved=1", x.id));
    json_decref(extra);
    return status;
}
