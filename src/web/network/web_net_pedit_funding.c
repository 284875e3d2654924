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
#include "web/network/web_net_pedit.h"
#include "web/web_model.h"
#include "web/web_session.h"

enum { F_SOURCE, F_YEAR, F_ALLOC, F_SPENT, NF };

static const struct pedit_field fields[NF] = {
    {"source", PEDIT_SELECT, true, ACTIVITY_SOURCES, false},
    {"year", PEDIT_TEXT, true, NULL, false},
    {"allocated", PEDIT_TEXT, true, NULL, false},
    {"spent", PEDIT_TEXT, false, NULL, false},
};

/* The form of activity id with its title and funding so far as extra
 * (a new object into *extra); 404 for no such activity. */
static int form_init(struct web_req *rq, struct pedit_form *f, int64_t id, json_t **extra)
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
    web_net_pedit_init(f, "funding", fields, NF);
    f->action = arena_printf(rq->arena, "/activities/%" PRId64 "/funding", id);
    f->heading =
        arena_printf(rq->arena, "%s: %s", web_t(rq, "pedit_funding_heading"), t.title);
    f->intro = web_t(rq, "pedit_funding_intro");
    f->submit = web_t(rq, "pedit_save");
    f->back = arena_printf(rq->arena, "/activities/%" PRId64, id);
    *extra = json_pack("{s:o}", "funding", net_rows_json(&rows));
    f->extra = *extra;
    return *extra ? 0 : 500;
}

int web_net_pedit_funding(struct web_req *rq)
{
    struct pedit_form f;
    json_t *extra;
    int rc = form_init(rq, &f, web_net_pedit_id(rq), &extra);
    if (rc == 0) {
        char y[8];
        snprintf(y, sizeof y, "%d", date_to_ymd(time_to_day(rq->now)).year);
        f.v[F_YEAR] = arena_strdup(rq->arena, y);
        f.v[F_SPENT] = "0";
        rc = web_net_pedit_render(rq, &f);
    }
    json_decref(extra);
    return rc;
}

int web_net_pedit_funding_post(struct web_req *rq)
{
    int64_t id = web_net_pedit_id(rq);
    struct pedit_form f;
    json_t *extra;
    int rc = form_init(rq, &f, id, &extra);
    if (rc != 0) {
        json_decref(extra);
        return rc;
    }
    web_net_pedit_read(rq, &f);
    struct kn_error err = KN_ERROR_INIT;
    long year = 0, alloc = 0, spent = 0;
    static const char *const opt[] = {NULL, "--year", "--allocated", "--spent"};
    long *out[] = {NULL, &year, &alloc, &spent};
    for (int i = F_YEAR; i < NF; i++) {
        const char *v = i == F_SPENT && !*f.v[i] ? "0" : f.v[i];
        long hi = i == F_YEAR ? 2199 : (long)FUND_GRANT_MAX;
        if (net_int_parse(opt[i], v, i == F_YEAR ? 1900 : 0, hi, out[i], &err) != 0)
            web_net_pedit_refused(rq, &f, err.msg);
    }
    if (net_enum_check("--source", f.v[F_SOURCE], ACTIVITY_SOURCES, &err) != 0)
        web_net_pedit_refused(rq, &f, err.msg);
    struct store *st = web_store(rq);
    bool good = json_array_size(f.summary) == 0;
    rc = 0;
    if (good && (rc = store_begin(st, &err)) == 0) {
        rc = activity_fund(st, id, f.v[F_SOURCE], (int)year, alloc, spent, &err);
        if (rc == KN_EINPUT) {
            web_net_pedit_refused(rq, &f, err.msg);
            good = false;
            rc = 0;
        }
        if (good && rc == 0)
            rc = web_audit(rq, "activity-fund", arena_printf(rq->arena, "%" PRId64, id),
                           NULL,
                           arena_printf(rq->arena, "%s %ld: %ld allocated, %ld spent",
                                        f.v[F_SOURCE], year, alloc, spent));
        if (good && rc == 0)
            rc = store_commit(st, &err);
        else
            store_rollback(st);
    }
    int status;
    if (!good)
        status = web_net_pedit_render(rq, &f);
    else if (rc != 0)
        status = 500;
    else
        status = web_redirect(
            rq, arena_printf(rq->arena, "/activities/%" PRId64 "?saved=1", id));
    json_decref(f.summary);
    json_decref(extra);
    return status;
}
