/* src/web/network/web_net_edit_member.c: a group's members in the portal
 * (web_net_edit.h); the group's node's host region's coordinator's, or an
 * administrator's (rules @group, @member).
 *
 *   GET/POST /groups/{code}/members/new  add a member, as `knod member add`
 *   GET/POST /members/{id}/change        change a member, as `knod member
 *       update`: the form holds the member; a new role ends the term the
 *       day before "on" and starts a new one (the history kept), an earlier
 *       "to" ends the term
 *   GET /api/v1/members/{id}             one member
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/group.h"
#include "network/net_text.h"
#include "web/network/web_net.h"
#include "web/network/web_net_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const char *const HEALTHCARE_REGIONS[] = {
    "Norra", "Mellansverige", "Stockholm-Gotland", "Sydöstra", "Södra", "Västra", NULL};

static const struct ne_field add_fields[] = {
    {"name", NE_TEXT, NULL, true},
    {"role", NE_SELECT, GROUP_ROLES, true},
    {"organisation", NE_TEXT, NULL, true},
    {"healthcare-region", NE_SELECT, HEALTHCARE_REGIONS, false},
    {"profession", NE_SELECT, GROUP_PROFESSIONS, false},
    {"share", NE_TEXT, NULL, false},
    {"from", NE_TEXT, NULL, true},
    {"to", NE_TEXT, NULL, true},
};
static const struct ne_field change_fields[] = {
    {"role", NE_SELECT, GROUP_ROLES, true},
    {"on", NE_TEXT, NULL, false},
    {"organisation", NE_TEXT, NULL, true},
    {"healthcare-region", NE_SELECT, HEALTHCARE_REGIONS, false},
    {"profession", NE_SELECT, GROUP_PROFESSIONS, false},
    {"share", NE_TEXT, NULL, false},
    {"to", NE_TEXT, NULL, true},
};
#define N(a) (sizeof a / sizeof a[0])

/* The route's member: *id and *m; 404 or 500 as the status, else 0. */
static int load(struct web_req *rq, int64_t *id, struct group_member *m)
{
    const char *s = web_param(rq, "id");
    char *end = NULL;
    *id = s ? strtoll(s, &end, 10) : 0;
    if (*id <= 0 || *end)
        return web_not_found(rq, web_t(rq, "ne_err_no_member"));
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = group_member_get(st, *id, m, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "ne_err_no_member"));
    return rc == 0 ? 0 : 500;
}

int web_net_member(struct web_req *rq)
{
    int64_t id;
    struct group_member m;
    int rc = load(rq, &id, &m);
    if (rc != 0)
        return rc;
    char from[11], to[11];
    date_format(m.from, from);
    date_format(m.to, to);
    rq->model = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:i, s:s, s:s}", "id",
                          (json_int_t)id, "group", m.group, "name", m.name, "role",
                          m.role, "organisation", m.organisation, "healthcare_region",
                          m.healthcare_region, "profession", m.profession, "share",
                          m.share, "from", from, "to", to);
    if (rq->model && !m.healthcare_region)
        json_object_set_new(rq->model, "healthcare_region", json_null());
    if (rq->model && !m.profession)
        json_object_set_new(rq->model, "profession", json_null());
    return rq->model ? 200 : 500;
}

static void form(struct web_req *rq, struct ne_form *fm, bool add, const char *key)
{
    ne_init(fm, add ? add_fields : change_fields, add ? N(add_fields) : N(change_fields));
    fm->action = add ? arena_printf(rq->arena, "/groups/%s/members/new", key)
                     : arena_printf(rq->arena, "/members/%s/change", key);
    fm->heading = arena_printf(
        rq->arena, "%s: %s", web_t(rq, add ? "ne_member_add" : "ne_member_change"), key);
    fm->intro = web_t(rq, add ? "ne_member_add_intro" : "ne_member_change_intro");
    fm->submit = web_t(rq, "ne_save");
}

int web_net_member_new(struct web_req *rq)
{
    struct ne_form fm;
    const char *code = web_param(rq, "code");
    form(rq, &fm, true, code);
    fm.back = arena_printf(rq->arena, "/groups/%s", code);
    return ne_render(rq, &fm);
}

static const char *day_text(struct web_req *rq, kn_day d)
{
    char s[11];
    date_format(d, s);
    return arena_strdup(rq->arena, s);
}

int web_net_member_change(struct web_req *rq)
{
    int64_t id;
    struct group_member m;
    int rc = load(rq, &id, &m);
    if (rc != 0)
        return rc;
    struct ne_form fm;
    form(rq, &fm, false, web_param(rq, "id"));
    fm.back = arena_printf(rq->arena, "/groups/%s", m.group);
    const char *v[] = {m.role,
                       "",
                       m.organisation,
                       m.healthcare_region ? m.healthcare_region : "",
                       m.profession ? m.profession : "",
                       arena_printf(rq->arena, "%d", m.share),
                       day_text(rq, m.to)};
    for (size_t i = 0; i < N(change_fields); i++)
        fm.v[i] = v[i] ? v[i] : "";
    return ne_render(rq, &fm);
}

struct add_arg {
    struct group_member m;
    int64_t id;
    char subject[24]; /* the new member's number, for the audit entry */
};

static int add_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct add_arg *x = arg;
    int rc = group_member_add(st, &x->m, &x->id, err);
    if (rc == 0)
        snprintf(x->subject, sizeof x->subject, "%lld", (long long)x->id);
    return rc;
}

struct change_arg {
    int64_t id, new_id;
    struct group_member_patch p;
    struct arena *a;
};

static int change_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct change_arg *x = arg;
    return group_member_update(st, x->id, &x->p, &x->new_id, x->a, err);
}

/* The share field: -1 when empty; false after a field error. */
static bool share(struct web_req *rq, struct ne_form *fm, int *out)
{
    const char *v = ne_get(fm, "share");
    long x = -1;
    struct kn_error err = KN_ERROR_INIT;
    if (v && net_int_parse("--share", v, 0, 100, &x, &err) != 0) {
        ne_refused(rq, fm, err.msg);
        return false;
    }
    *out = (int)x;
    return true;
}

int web_net_member_new_post(struct web_req *rq)
{
    const char *code = web_param(rq, "code");
    struct ne_form fm;
    form(rq, &fm, true, code);
    fm.back = arena_printf(rq->arena, "/groups/%s", code);
    ne_read(rq, &fm);
    struct add_arg x = {{code, ne_get(&fm, "name"), ne_get(&fm, "role"),
                         ne_get(&fm, "organisation"), ne_get(&fm, "healthcare-region"),
                         ne_get(&fm, "profession"), -1, 0, 0},
                        0,
                        ""};
    /* the term's days are required: a missing one is named as the CLI
     * names it */
    if (!ne_get(&fm, "from"))
        ne_refused(rq, &fm, "--from is missing");
    if (!ne_get(&fm, "to"))
        ne_refused(rq, &fm, "--to is missing");
    ne_day(rq, &fm, "from", 0, &x.m.from);
    ne_day(rq, &fm, "to", 0, &x.m.to);
    share(rq, &fm, &x.m.share);
    const char *subj = x.subject;
    int rc = ne_store(rq, &fm, add_fn, &x, "member-add", &subj, code);
    return ne_done(rq, &fm, rc, fm.back);
}

int web_net_member_change_post(struct web_req *rq)
{
    int64_t id;
    struct group_member m;
    int status = load(rq, &id, &m);
    if (status != 0)
        return status;
    const char *key = web_param(rq, "id");
    struct ne_form fm;
    form(rq, &fm, false, key);
    fm.back = arena_printf(rq->arena, "/groups/%s", m.group);
    ne_read(rq, &fm);
    struct change_arg x = {id, id, {0}, rq->arena};
    x.p.role = fm.v[0];
    x.p.organisation = fm.v[2];
    x.p.healthcare_region = fm.v[3];
    x.p.profession = fm.v[4];
    x.p.to_given = true;
    if (!ne_get(&fm, "to"))
        ne_refused(rq, &fm, "--to is missing");
    ne_day(rq, &fm, "to", 0, &x.p.to);
    ne_day(rq, &fm, "on", time_to_day(rq->now), &x.p.on);
    share(rq, &fm, &x.p.share);
    int rc = ne_store(rq, &fm, change_fn, &x, "member-change", &key, ne_given(rq, &fm));
    return ne_done(rq, &fm, rc, fm.back);
}
