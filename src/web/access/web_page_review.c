/* src/web/access/web_page_review.c: the coordinator's review of emergency
 * accesses (GET /review/{region}): every emergency access to a person of
 * the region, newest first, those not yet reviewed marked and each with a
 * form to mark it reviewed (POST /review/{region}/done, field "id";
 * audited "emergency-reviewed"). Route: coordinator or administrator,
 * within the region's scope. */
#include <stdlib.h>
#include <string.h>

#include "access/access_emergency.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_pages.h"
#include "web/web_session.h"

int web_page_review(struct web_req *rq)
{
    const char *region = web_param(rq, "region"), *csrf = web_csrf_token(rq);
    struct store *st = web_store(rq);
    struct access_emergency *es = NULL;
    size_t n = 0, open = 0;
    struct kn_error err = KN_ERROR_INIT;
    if (!st || !csrf || access_emergency_list(st, region, &es, &n, rq->arena, &err) != 0)
        return 500;
    json_t *list = json_array();
    rq->model = json_pack("{s:s, s:s}", "region", region, "csrf", csrf);
    if (!list || !rq->model || !web_set(rq->model, "accesses", list))
        return 500;
    for (size_t i = 0; i < n; i++) {
        char at[20], rat[20] = "";
        time_format(es[i].at, at);
        if (es[i].reviewed_by)
            time_format(es[i].reviewed_at, rat);
        else
            open++;
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s}", "id",
                              (json_int_t)es[i].id, "at", at, "user", es[i].user_name,
                              "pseudonym", es[i].pseudonym, "reason", es[i].reason,
                              "reviewed_by", es[i].reviewed_by, "reviewed_at", rat);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
    }
    return web_set(rq->model, "open", json_integer((json_int_t)open)) ? 200 : 500;
}

int web_page_review_done(struct web_req *rq)
{
    const char *region = web_param(rq, "region"), *id_s = web_form(rq, "id");
    char *end = NULL;
    long long id = id_s ? strtoll(id_s, &end, 10) : 0;
    if (!id_s || !*id_s || *end || id <= 0)
        return web_bad_param(rq, "id", web_t(rq, "review_err_id"));
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = store_begin(st, &err);
    if (rc == 0)
        rc = access_emergency_review(st, id, region, rq->session->user.name, rq->now, &err);
    if (rc == 0)
        rc = web_audit(rq, "emergency-reviewed", arena_printf(rq->arena, "%lld", id), NULL,
                       arena_printf(rq->arena, "region %s", region));
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        return rc == KN_ENOTFOUND ? web_not_found(rq, web_t(rq, "review_err_id")) : 500;
    }
    return web_redirect(rq, arena_printf(rq->arena, "/review/%s", region));
}
