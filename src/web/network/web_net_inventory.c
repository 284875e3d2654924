/* src/web/network/web_net_inventory.c: the knowledge nodes, the groups
 * (the national working group and the networks), a group's members, gaps
 * and meetings. Public: the programme's organisation is public, and no
 * member's personal number is ever stored (net_text.h).
 *
 *   GET /nodes, /api/v1/nodes          node_list
 *   GET /groups, /api/v1/groups        group_list, ?as_of= (default today)
 *   GET /groups/{code}, /api/v1/groups/{code}
 *                                      the group, its members whose term
 *                                      covers ?as_of=, its gaps with the
 *                                      wanted profile, its meetings
 *   GET /api/v1/members?group=&as_of=  group_members
 * Lists take ?format=csv|xlsx (web_net_export; a group page exports its
 * members). */
#include <string.h>

#include "network/group.h"
#include "network/node.h"
#include "web/network/web_net.h"
#include "web/web_router.h"
#include "web/web_model.h"
#include "web/web_session.h"

int web_net_nodes(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = node_list(st, &t, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "");
    if ((rc = web_net_export(rq, &t, "nodes")) != 0)
        return rc;
    if (!web_net_model(rq, "nodes", &t))
        return 500;
    /* the editing forms' links, for who may follow them (web_net_edit.h) */
    if (!rq->api && !web_set(rq->model, "can_edit",
                             json_boolean(web_route_may(rq, "GET", "/nodes/new"))))
        return 500;
    return 200;
}

int web_net_groups(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    kn_day on;
    int status = 500;
    if (!web_net_day(rq, "as_of", time_to_day(rq->now), &on, &status))
        return status;
    if (!st)
        return 500;
    int rc = group_list(st, on, &t, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "as_of");
    if ((rc = web_net_export(rq, &t, "groups")) != 0)
        return rc;
    char day[11];
    date_format(on, day);
    if (!web_net_model(rq, "groups", &t) || !web_sets(rq->model, "as_of", day))
        return 500;
    if (!rq->api && !web_set(rq->model, "can_add",
                             json_boolean(web_route_may(rq, "GET", "/groups/new"))))
        return 500;
    return 200;
}

/* The row of group code in group_list's rows as of on, as an object; NULL
 * with *status 404 when there is none. */
static json_t *group_row(struct web_req *rq, struct store *st, const char *code,
                         kn_day on, int *status)
{
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    int rc = group_list(st, on, &t, rq->arena, &err);
    if (rc != 0) {
        *status = web_net_fail(rq, rc, &err, "as_of");
        return NULL;
    }
    json_t *all = net_rows_json(&t), *g = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(all, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "code")), code) == 0)
            g = json_incref(o);
    }
    json_decref(all);
    if (!g)
        *status = web_not_found(rq, web_t(rq, "net_err_no_group"));
    return g;
}

int web_net_group(struct web_req *rq)
{
    const char *code = web_param(rq, "code");
    struct store *st = web_store(rq);
    struct net_rows members = {0}, gaps = {0}, meetings = {0};
    struct kn_error err = KN_ERROR_INIT;
    kn_day on;
    int status = 500;
    if (!web_net_day(rq, "as_of", time_to_day(rq->now), &on, &status))
        return status;
    if (!st)
        return 500;
    json_t *g = group_row(rq, st, code, on, &status);
    if (!g)
        return status;
    int rc = group_members(st, code, on, &members, rq->arena, &err);
    if (rc == 0)
        rc = group_gaps(st, code, on, &gaps, rq->arena, &err);
    if (rc == 0)
        rc = group_meetings(st, code, &meetings, rq->arena, &err);
    if (rc != 0) {
        json_decref(g);
        return web_net_fail(rq, rc, &err, "code");
    }
    if ((rc = web_net_export(rq, &members, "members")) != 0) {
        json_decref(g);
        return rc;
    }
    char day[11];
    date_format(on, day);
    rq->model = json_object();
    if (!rq->model || !web_set(rq->model, "group", g) ||
        !web_sets(rq->model, "as_of", day) ||
        !web_set(rq->model, "members", net_rows_json(&members)) ||
        !web_set(rq->model, "gaps", net_rows_json(&gaps)) ||
        !web_set(rq->model, "meetings", net_rows_json(&meetings)))
        return 500;
    /* the group's and its members' forms share the rule @group */
    if (!rq->api &&
        !web_set(rq->model, "can_change",
                 json_boolean(web_route_may(
                     rq, "GET", arena_printf(rq->arena, "/groups/%s/change", code)))))
        return 500;
    return 200;
}

int web_net_members(struct web_req *rq)
{
    const char *code = web_query(rq, "group");
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    kn_day on;
    int status = 500;
    if (!code || !*code)
        return web_bad_param(rq, "group", web_t(rq, "net_err_group"));
    if (!web_net_day(rq, "as_of", time_to_day(rq->now), &on, &status))
        return status;
    if (!st)
        return 500;
    int rc = group_members(st, code, on, &t, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "net_err_no_group"));
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "group");
    if ((rc = web_net_export(rq, &t, "members")) != 0)
        return rc;
    char day[11];
    date_format(on, day);
    return web_net_model(rq, "members", &t) && web_sets(rq->model, "group", code) &&
                   web_sets(rq->model, "as_of", day)
               ? 200
               : 500;
}
