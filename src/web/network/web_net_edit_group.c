/* src/web/network/web_net_edit_group.c: the groups in the portal
 * (web_net_edit.h), and the route rules @group and @member.
 *
 *   GET/POST /groups/new            add a group, as `knod group add`
 *                                   (an administrator's)
 *   GET/POST /groups/{code}/change  change its name, professions, purpose
 *                                   and node, as `knod group update` (the
 *                                   node's host region's coordinator, or an
 *                                   administrator: rule @group)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access_scope.h"
#include "network/group.h"
#include "web/network/web_net.h"
#include "web/network/web_net_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const struct ne_field add_fields[] = {
    {"code", NE_TEXT, NULL, true},
    {"name", NE_TEXT, NULL, true},
    {"kind", NE_SELECT, GROUP_KINDS, true},
    {"node", NE_TEXT, NULL, false},
    {"professions", NE_CHECKS, GROUP_PROFESSIONS, false},
    {"purpose", NE_AREA, NULL, false},
};
#define NADD (sizeof add_fields / sizeof add_fields[0])

int web_net_edit_allows(struct web_req *rq, const struct access_user *u, bool member)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    const char *sql =
        member ? "SELECT n.host_region FROM net_member m JOIN net_group g ON g.id = "
                 "m.group_id LEFT JOIN net_node n ON n.id = g.node_id WHERE m.id = $1"
               : "SELECT n.host_region FROM net_group g LEFT JOIN net_node n ON n.id = "
                 "g.node_id WHERE g.code = $1";
    const char *key = web_param(rq, member ? "id" : "code");
    char *end = NULL;
    long long id = member && key ? strtoll(key, &end, 10) : 0;
    if (!key)
        return 403;
    if (member && (id <= 0 || *end)) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, &err) != 0)
        return 500;
    if (member)
        store_bind_int(s, 1, id);
    else
        store_bind_text(s, 1, key, strlen(key));
    int rc = store_step(s, &err);
    char host[9] = "";
    if (rc == STORE_ROW)
        snprintf(host, sizeof host, "%s",
                 store_col_text(s, 0, NULL) ? store_col_text(s, 0, NULL) : "");
    store_finalize(s);
    if (rc == STORE_DONE) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (rc < 0)
        return 500;
    if (u->role == ROLE_ADMIN)
        return 0;
    return *host && access_scope_has_region(u, host) ? 0 : 403;
}

/* Group code's row of group_list today (new reference), or NULL with
 * *status. */
static json_t *group_row(struct web_req *rq, const char *code, int *status)
{
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    *status = 500;
    if (!st)
        return NULL;
    int rc = group_list(st, time_to_day(rq->now), &t, rq->arena, &err);
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
        *status = web_not_found(rq, web_t(rq, "net_err_no_group"));
    return found;
}

static void form(struct web_req *rq, struct ne_form *fm, bool add, const char *code)
{
    /* change: the add form without code and kind */
    if (add)
        ne_init(fm, add_fields, NADD);
    else {
        static const struct ne_field change_fields[] = {
            {"name", NE_TEXT, NULL, true},
            {"node", NE_TEXT, NULL, false},
            {"professions", NE_CHECKS, GROUP_PROFESSIONS, false},
            {"purpose", NE_AREA, NULL, false},
        };
        ne_init(fm, change_fields, 4);
    }
    fm->action = add ? "/groups/new" : arena_printf(rq->arena, "/groups/%s/change", code);
    fm->heading =
        add ? web_t(rq, "ne_group_add")
            : arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_group_change"), code);
    fm->intro = web_t(rq, add ? "ne_group_add_intro" : "ne_group_change_intro");
    fm->submit = web_t(rq, "ne_save");
    fm->back = add ? "/groups" : arena_printf(rq->arena, "/groups/%s", code);
}

int web_net_group_new(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, true, NULL);
    return ne_render(rq, &fm);
}

int web_net_group_change(struct web_req *rq)
{
    const char *code = web_param(rq, "code");
    int status;
    json_t *g = group_row(rq, code, &status);
    if (!g)
        return status;
    struct ne_form fm;
    form(rq, &fm, false, code);
    static const char *const keys[] = {"name", "node", "professions", "purpose"};
    ne_fill(rq, &fm, g, keys, 4);
    json_decref(g);
    return ne_render(rq, &fm);
}

static int add_fn(struct store *st, void *arg, struct kn_error *err)
{
    return group_add(st, arg, err);
}

static int update_fn(struct store *st, void *arg, struct kn_error *err)
{
    return group_update(st, arg, err);
}

static int post(struct web_req *rq, bool add)
{
    const char *code = web_param(rq, "code");
    int status;
    if (!add) {
        json_t *g = group_row(rq, code, &status);
        if (!g)
            return status;
        json_decref(g);
    }
    struct ne_form fm;
    form(rq, &fm, add, code);
    ne_read(rq, &fm);
    struct group_def d = {add ? ne_get(&fm, "code") : code,
                          ne_get(&fm, "name"),
                          ne_get(&fm, "kind"),
                          ne_get(&fm, "node"),
                          ne_get(&fm, "professions"),
                          ne_get(&fm, "purpose")};
    if (!add) { /* every field is shown: an empty one is empty */
        d.name = fm.v[0];
        d.node = fm.v[1];
        d.professions = fm.v[2];
        d.purpose = fm.v[3];
    }
    int rc = ne_store(rq, &fm, add ? add_fn : update_fn, &d,
                      add ? "group-add" : "group-change", &d.code, ne_given(rq, &fm));
    return ne_done(rq, &fm, rc, arena_printf(rq->arena, "/groups/%s", d.code));
}

int web_net_group_new_post(struct web_req *rq)
{
    return post(rq, true);
}

int web_net_group_change_post(struct web_req *rq)
{
    return post(rq, false);
}
