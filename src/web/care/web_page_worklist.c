/* src/web/care/web_page_worklist.c: the care-pathway worklist and its
 * summary per unit (web_care.h).
 *
 * The list is computed per request from the snapshot of the current
 * results (so it follows the store as the indicators do) by
 * eng_due_run(), for the signed-in user's scope: a region's or a unit's
 * persons, or the nation's. The route admits the roles; the scope comes
 * from the user alone, never from the request. "As of" is today unless
 * ?as_of=YYYY-MM-DD says otherwise (for tests and for looking back). No
 * person is opened here: each row links to /persons/{pseudonym}, which
 * asks the purpose and audits the view.
 */
#include <string.h>

#include "access/access_session.h"
#include "engine/eng_due.h"
#include "web/care/web_care.h"
#include "web/web_model.h"
#include "web/web_results.h"
#include "web/web_session.h"

/* The worklist model of the user's scope, as of ?as_of or today; 0 or
 * the HTTP status of the failure (400 for a bad as_of). */
static int worklist_model(struct web_req *rq)
{
    const struct access_user *u = &rq->session->user;
    const char *q = web_query(rq, "as_of");
    kn_day day = time_to_day(rq->now);
    struct kn_error err = KN_ERROR_INIT;
    if (q && date_parse(q, strlen(q), &day, &err) != 0)
        return web_bad_param(rq, "as_of", web_t(rq, "worklist_err_as_of"));
    const struct snap *snap = rq->view->snap;
    struct eng_due_scope scope;
    eng_due_scope_of(snap, u->scope == SCOPE_REGION ? u->scope_code : NULL,
                     u->scope == SCOPE_UNIT ? u->scope_code : NULL, &scope);
    struct store *st = web_store(rq);
    struct eng_due_list l;
    if (!st || eng_due_run(snap, rq->app->cat_all ? rq->app->cat_all : rq->app->cat, day, 0, &scope, &l, &err) != 0)
        return 500;
    int rc = eng_due_model(snap, st, &l, &rq->model, &err);
    eng_due_free(&l);
    if (rc != 0)
        return 500;
    const char *scope_text =
        u->scope == SCOPE_NATION
            ? web_t(rq, "scope_nation")
            : arena_printf(rq->arena, "%s %s",
                           web_t(rq, u->scope == SCOPE_REGION ? "scope_region" : "scope_unit"),
                           u->scope_code);
    return web_sets(rq->model, "scope", scope_text) &&
                   web_set(rq->model, "coordinator", json_boolean(u->role == ROLE_COORDINATOR))
               ? 0
               : 500;
}

/* The words of the steps and statuses, and the links, for the page. */
static bool words(struct web_req *rq)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(rq->model, "items"), i, it) {
        char key[48];
        const char *step = json_string_value(json_object_get(it, "step"));
        const char *pathway = json_string_value(json_object_get(it, "pathway"));
        const char *ps = json_string_value(json_object_get(it, "pseudonym"));
        json_int_t over = json_integer_value(json_object_get(it, "days_overdue"));
        snprintf(key, sizeof key, "worklist_step_%s", step ? step : "");
        if (!web_sets(it, "step_text", web_t(rq, key)))
            return false;
        snprintf(key, sizeof key, "worklist_pathway_%s", pathway ? pathway : "none");
        if (!web_sets(it, "pathway_text", web_t(rq, key)) ||
            !web_sets(it, "href", arena_printf(rq->arena, "/persons/%s", ps ? ps : "")) ||
            !web_set(it, "overdue", json_boolean(over > 0)) ||
            !web_set(it, "days", json_integer(over > 0 ? over : -over)))
            return false;
    }
    json_t *late = json_array();
    if (!late || !web_set(rq->model, "coverage", late))
        return false;
    json_array_foreach(json_object_get(rq->model, "units"), i, it) {
        bool is_late = json_is_true(json_object_get(it, "late"));
        bool incomplete = json_is_true(json_object_get(it, "incomplete"));
        if ((is_late || incomplete) && json_array_append(late, it) != 0)
            return false;
    }
    return web_set(rq->model, "nitems", json_integer((json_int_t)json_array_size(
                                             json_object_get(rq->model, "items")))) &&
           web_set(rq->model, "ncoverage", json_integer((json_int_t)json_array_size(late)));
}

int web_page_worklist(struct web_req *rq)
{
    int rc = worklist_model(rq);
    if (rc != 0)
        return rc;
    json_object_del(rq->model, "units");
    if (rq->api)
        return 200;
    return words(rq) ? 200 : 500;
}

int web_page_worklist_units(struct web_req *rq)
{
    int rc = worklist_model(rq);
    if (rc != 0)
        return rc;
    if (!rq->api && !words(rq))
        return 500;
    json_object_del(rq->model, "items");
    return 200;
}
