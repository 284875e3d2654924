/* src/web/network/web_net_edit_node.c: the knowledge nodes in the portal
 * (web_net_edit.h), an administrator's.
 *
 *   GET/POST /nodes/new            add a node, as `knod node add`
 *   GET/POST /nodes/{code}/change  change its name, regions and contact,
 *                                  as `knod node update`
 *   GET /api/v1/nodes/{code}       one node, the row of `knod node list`
 */
#include <string.h>

#include "network/node.h"
#include "web/network/web_net.h"
#include "web/network/web_net_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const struct ne_field add_fields[] = {
    {"code", NE_TEXT, NULL, true},     {"name", NE_TEXT, NULL, true},
    {"host", NE_REGION, NULL, true},   {"regions", NE_TEXT, NULL, false},
    {"contact", NE_TEXT, NULL, false},
};
static const struct ne_field change_fields[] = {
    {"name", NE_TEXT, NULL, true},
    {"regions", NE_TEXT, NULL, false},
    {"contact", NE_TEXT, NULL, false},
};
#define N(a) (sizeof a / sizeof a[0])

/* Node code's row of node_list as an object (new reference), or NULL with
 * *status 404 or 500. */
static json_t *node_row(struct web_req *rq, const char *code, int *status)
{
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    *status = 500;
    if (!st)
        return NULL;
    int rc = node_list(st, &t, rq->arena, &err);
    if (rc != 0) {
        *status = web_net_fail(rq, rc, &err, "code");
        return NULL;
    }
    json_t *all = net_rows_json(&t), *found = NULL, *o;
    size_t i;
    json_array_foreach(all, i, o)
    {
        if (code && strcmp(json_string_value(json_object_get(o, "code")), code) == 0)
            found = json_incref(o);
    }
    json_decref(all);
    if (!found && all)
        *status = web_not_found(rq, web_t(rq, "ne_err_no_node"));
    return found;
}

int web_net_node(struct web_req *rq)
{
    int status;
    json_t *n = node_row(rq, web_param(rq, "code"), &status);
    if (!n)
        return status;
    rq->model = json_object();
    return rq->model && web_set(rq->model, "node", n) ? 200 : 500;
}

static void form(struct web_req *rq, struct ne_form *fm, bool add, const char *code)
{
    ne_init(fm, add ? add_fields : change_fields, add ? N(add_fields) : N(change_fields));
    fm->action = add ? "/nodes/new" : arena_printf(rq->arena, "/nodes/%s/change", code);
    fm->heading =
        add ? web_t(rq, "ne_node_add")
            : arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_node_change"), code);
    fm->intro = web_t(rq, add ? "ne_node_add_intro" : "ne_node_change_intro");
    fm->submit = web_t(rq, "ne_save");
    fm->back = "/nodes";
}

int web_net_node_new(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, true, NULL);
    return ne_render(rq, &fm);
}

int web_net_node_change(struct web_req *rq)
{
    const char *code = web_param(rq, "code");
    int status;
    json_t *n = node_row(rq, code, &status);
    if (!n)
        return status;
    struct ne_form fm;
    form(rq, &fm, false, code);
    static const char *const keys[] = {"name", "regions", "contact"};
    ne_fill(rq, &fm, n, keys, 3);
    json_decref(n);
    return ne_render(rq, &fm);
}

static int add_fn(struct store *st, void *arg, struct kn_error *err)
{
    return node_add_in(st, arg, err);
}

static int update_fn(struct store *st, void *arg, struct kn_error *err)
{
    return node_update_in(st, arg, err);
}

static int post(struct web_req *rq, bool add)
{
    const char *code = web_param(rq, "code");
    int status;
    if (!add) {
        json_t *n = node_row(rq, code, &status);
        if (!n)
            return status;
        json_decref(n);
    }
    struct ne_form fm;
    form(rq, &fm, add, code);
    ne_read(rq, &fm);
    struct node_def d = {add ? ne_get(&fm, "code") : code, ne_get(&fm, "name"),
                         ne_get(&fm, "host"), ne_get(&fm, "regions"),
                         ne_get(&fm, "contact")};
    if (!add) { /* the form shows every field: an empty one is empty */
        d.name = fm.v[0];
        d.regions = fm.v[1];
        d.contact = fm.v[2];
    }
    int rc = ne_store(rq, &fm, add ? add_fn : update_fn, &d,
                      add ? "node-add" : "node-change", &d.code, ne_given(rq, &fm));
    return ne_done(rq, &fm, rc, "/nodes");
}

int web_net_node_new_post(struct web_req *rq)
{
    return post(rq, true);
}

int web_net_node_change_post(struct web_req *rq)
{
    return post(rq, false);
}
