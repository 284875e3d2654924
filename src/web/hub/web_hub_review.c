/* src/web/hub/web_hub_review.c: the yearly review of the documents a
 * signed-in user owns (web_hub.h): the reminders on the account page
 * (where a user lands after signing in) and GET /api/v1/reviews, one
 * model; POST /documents/{id}/reviewed records a review that found no
 * need to revise, audited "document-reviewed". Who owns what is decided in
 * src/hub/hub_yearly.c (the list) and by the route's @owner rule (the
 * action); nothing here decides access. */
#include <stdio.h>
#include <string.h>

#include "hub/hub_yearly.h"
#include "web/hub/web_hub.h"
#include "web/web_model.h"
#include "web/web_session.h"

int web_hub_reviews_model(struct web_req *rq, json_t **out)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version *v;
    size_t n;
    kn_day today = time_to_day(rq->now);
    char as_of[11], due[11];
    *out = NULL;
    if (!st || !rq->session ||
        hub_yearly_due(st, today + WEB_HUB_REVIEW_NOTICE_DAYS, NULL, rq->session->user.name,
                       &v, &n, rq->arena, &err) != 0)
        return 500;
    date_format(today, as_of);
    json_t *list = json_array();
    json_t *m = json_pack("{s:s, s:i, s:o*}", "as_of", as_of, "notice_days",
                          WEB_HUB_REVIEW_NOTICE_DAYS, "documents", list);
    if (!m)
        return 500;
    for (size_t i = 0; i < n; i++) {
        int days = (int)(today - v[i].review_due);
        date_format(v[i].review_due, due);
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:i, s:s, s:i, s:b, s:b, s:b, s:i, s:s, s:s}", "id", v[i].slug,
            "title", v[i].title, "owner", v[i].owner, "version", v[i].version, "review_due",
            due, "days_overdue", days, "overdue", days > 0, "today", days == 0, "soon",
            days < 0, "days", days < 0 ? -days : days, "url",
            arena_printf(rq->arena, "/documents/%s", v[i].slug), "review_url",
            arena_printf(rq->arena, "/documents/%s/reviewed", v[i].slug));
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(m);
            return 500;
        }
    }
    *out = m;
    return 200;
}

int web_hub_reviews(struct web_req *rq)
{
    return web_hub_reviews_model(rq, &rq->model);
}

int web_hub_reviewed(struct web_req *rq)
{
    const char *id = web_param(rq, "id"), *note = web_form(rq, "note");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version v;
    kn_day next = 0;
    char day[11];
    if (!st || !id)
        return 500;
    int rc = store_begin(st, &err);
    if (rc == 0)
        rc = hub_get(st, id, 0, &v, rq->arena, &err);
    if (rc == 0 && strcmp(v.state, "published") != 0) {
        store_rollback(st);
        return web_bad_param(rq, "id", web_t(rq, "hub_review_err_state"));
    }
    if (rc == 0)
        rc = hub_yearly_reviewed_in(st, id, note ? note : "", rq->session->user.name,
                                    rq->now, &next, &err);
    if (rc == KN_EINPUT) { /* the document is published: the note was refused */
        store_rollback(st);
        return web_bad_param(rq, "note", web_t(rq, "hub_review_err_note"));
    }
    date_format(next, day);
    if (rc == 0)
        rc = web_audit(rq, "document-reviewed", id, NULL,
                       arena_printf(rq->arena, "no revision needed; next review %s", day));
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        return rc == KN_ENOTFOUND ? web_not_found(rq, web_t(rq, "err_404_text")) : 500;
    }
    return web_redirect(rq, "/account#reviews");
}
