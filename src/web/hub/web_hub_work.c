/* src/web/hub/web_hub_work.c: the document workflow's two pages for
 * signed-in staff (web_hub_work.h): the workspace of the documents in
 * process and one document's workflow page. Reads only; what the forms
 * post is web_hub_work_post.c. Which steps are allowed from a state is
 * asked of hub_flow (hub_flow_check, hub_flow_may, hub_flow_editable),
 * who may take them of the route table (web_route_may). */
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "hub/hub.h"
#include "hub/hub_outline.h"
#include "hub/hub_render.h"
#include "hub/hub_review.h"
#include "hub/hub_yearly.h"
#include "web/hub/web_hub.h"
#include "web/hub/web_hub_work.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

/* The states a document is "in process" in, in the workflow's order. */
static const enum hub_state in_process[] = {HUB_DRAFT, HUB_REVIEW, HUB_CONSULTATION,
                                            HUB_REVISION};

bool web_hub_work_is_decision(int from, int to)
{
    return to == HUB_CONSULTATION || to == HUB_PUBLISHED || from == HUB_CONSULTATION;
}

static const char *state_text(struct web_req *rq, const char *state)
{
    return web_t(rq, arena_printf(rq->arena, "hub_work_state_%s", state ? state : ""));
}

static json_t *time_json(kn_time t)
{
    char at[20];
    time_format(t, at);
    return json_string(at);
}

/* The names who commented on version of r, in order of first comment. */
static json_t *reviewers(const struct hub_review *r, int version)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->ncomments; i++) {
        const struct hub_comment_row *c = &r->comments[i];
        bool seen = false;
        for (size_t j = 0; j < json_array_size(a); j++)
            seen =
                seen || strcmp(json_string_value(json_array_get(a, j)), c->author) == 0;
        if (c->version == version && !seen &&
            json_array_append_new(a, json_string(c->author)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

int web_hub_work(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    kn_day today = time_to_day(rq->now);
    char as_of[11], day[11];
    if (!st)
        return 500;
    date_format(today, as_of);
    json_t *states = json_array(), *due = json_array();
    rq->model = json_pack("{s:s, s:i, s:o*, s:o*}", "as_of", as_of, "notice_days",
                          WEB_HUB_REVIEW_NOTICE_DAYS, "states", states, "due", due);
    if (!rq->model)
        return 500;
    size_t total = 0;
    for (size_t s = 0; s < sizeof in_process / sizeof in_process[0]; s++) {
        const char *name = hub_state_name(in_process[s]);
        struct hub_version *v;
        size_t n;
        if (hub_list(st, name, &v, &n, rq->arena, &err) != 0)
            return 500;
        json_t *docs = json_array();
        json_t *o = json_pack("{s:s, s:s, s:i, s:o*}", "state", name, "text",
                              state_text(rq, name), "count", (int)n, "documents", docs);
        if (!o || json_array_append_new(states, o) != 0)
            return 500;
        total += n;
        for (size_t i = 0; i < n; i++) {
            struct hub_review r;
            bool mine = false;
            if (hub_review_get(st, v[i].slug, &r, rq->arena, &err) != 0 ||
                hub_yearly_owns(st, v[i].slug, rq->session->user.name, &mine, &err) != 0)
                return 500;
            json_t *d = json_pack(
                "{s:s, s:s, s:s, s:i, s:s, s:o*, s:b, s:s}", "id", v[i].slug, "title",
                v[i].title, "owner", v[i].owner, "version", v[i].version, "state", name,
                "reviewers", reviewers(&r, v[i].version), "mine", mine, "url",
                arena_printf(rq->arena, "/documents/%s/work", v[i].slug));
            if (!d || json_array_append_new(docs, d) != 0)
                return 500;
        }
    }
    struct hub_version *v;
    size_t n;
    if (hub_yearly_due(st, today + WEB_HUB_REVIEW_NOTICE_DAYS, NULL, NULL, &v, &n,
                       rq->arena, &err) != 0)
        return 500;
    for (size_t i = 0; i < n; i++) {
        bool mine = false;
        int days = (int)(today - v[i].review_due);
        if (hub_yearly_owns(st, v[i].slug, rq->session->user.name, &mine, &err) != 0)
            return 500;
        date_format(v[i].review_due, day);
        json_t *d = json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:b, s:b, s:s}", "id",
                              v[i].slug, "title", v[i].title, "owner", v[i].owner,
                              "version", v[i].version, "review_due", day, "days_overdue",
                              days, "overdue", days > 0, "mine", mine, "url",
                              arena_printf(rq->arena, "/documents/%s/work", v[i].slug));
        if (!d || json_array_append_new(due, d) != 0)
            return 500;
    }
    if (!web_set(rq->model, "count", json_integer((json_int_t)total)))
        return 500;
    return 200;
}

/* A form's error and value of field id, into o as "error" and "value"
 * (and key_error/key_value when key is given, for forms of several). */
static bool form_field(const struct web_hub_work_form *f, json_t *o, const char *id,
                       const char *key, struct arena *a)
{
    if (!f)
        return true;
    json_t *e = json_object_get(f->errors, id), *v = json_object_get(f->values, id);
    const char *ek = key ? arena_printf(a, "%s_error", key) : "error";
    const char *vk = key ? arena_printf(a, "%s_value", key) : "value";
    return (!e || json_object_set(o, ek, e) == 0) &&
           (!v || json_object_set(o, vk, v) == 0);
}

/* The steps the workflow allows from state from: one per target, with
 * whether the decision and the note are required, the route it posts to,
 * and whether the user may take it (the route table). */
static json_t *steps(struct web_req *rq, const char *id, enum hub_state from,
                     const struct web_hub_work_form *f)
{
    json_t *a = json_array();
    struct kn_error err = KN_ERROR_INIT;
    for (int to = 0; a && to < HUB_NSTATES; to++) {
        if (hub_flow_check(from, (enum hub_state)to, "x", "x", &err) != 0)
            continue;
        bool decision = hub_flow_check(from, (enum hub_state)to, "", "x", &err) != 0;
        bool note = hub_flow_check(from, (enum hub_state)to, "x", "", &err) != 0;
        bool npo = web_hub_work_is_decision((int)from, to);
        const char *name = hub_state_name((enum hub_state)to);
        const char *action =
            arena_printf(rq->arena, "/documents/%s/work/%s", id, npo ? "decide" : "step");
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "to", name,
                              "text", state_text(rq, name), "id",
                              arena_printf(rq->arena, "step_%s", name), "action", action,
                              "decision", decision, "note", note, "npo", npo, "may",
                              web_route_may(rq, "POST", action));
        if (!o || json_array_append_new(a, o) != 0 ||
            !form_field(f, o, arena_printf(rq->arena, "step_%s_decision", name),
                        "decision", rq->arena) ||
            !form_field(f, o, arena_printf(rq->arena, "step_%s_note", name), "note",
                        rq->arena) ||
            !form_field(f, o, arena_printf(rq->arena, "step_%s", name), NULL,
                        rq->arena)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *history(struct web_req *rq, const char *id)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_event *e;
    size_t n;
    if (hub_history(web_store(rq), id, &e, &n, rq->arena, &err) != 0)
        return NULL;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *o =
            json_pack("{s:o, s:s, s:s?, s:s, s:s, s:s, s:s}", "at", time_json(e[i].at),
                      "by", e[i].actor, "from", *e[i].from_state ? e[i].from_state : NULL,
                      "to", e[i].to_state, "to_text", state_text(rq, e[i].to_state),
                      "decision", e[i].decision, "note", e[i].note);
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Markdown as safe HTML (hub_render.h), or NULL. */
static const char *html(struct web_req *rq, const char *md)
{
    struct strbuf sb = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    const char *s = NULL;
    if (hub_render_html(md, strlen(md), &sb, &err) == 0)
        s = arena_strndup(rq->arena, sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
    return s;
}

static json_t *comment_json(const struct hub_comment_row *c)
{
    return json_pack("{s:i, s:s, s:s, s:o, s:s}", "version", c->version, "section",
                     c->section, "by", c->author, "at", time_json(c->at), "text",
                     c->body);
}

/* The current version's sections (its headings), each with the comments
 * on it (of any version); comments on a section it no longer has go to
 * "other_comments". */
static bool sections(struct web_req *rq, json_t *m, const struct hub_version *v,
                     const struct hub_review *r, const struct web_hub_work_form *f)
{
    const char *chosen =
        f ? json_string_value(json_object_get(f->values, "comment_section")) : NULL;
    struct hub_outline o;
    struct kn_error err = KN_ERROR_INIT;
    if (hub_outline(v->body, strlen(v->body), &o, rq->arena, &err) != 0)
        return false;
    json_t *secs = json_array(), *other = json_array();
    if (!web_set(m, "sections", secs) || !web_set(m, "other_comments", other))
        return false;
    for (size_t i = 0; i < o.nheadings; i++) {
        json_t *cs = json_array();
        json_t *s = json_pack(
            "{s:s, s:s, s:i, s:b, s:o*}", "anchor", o.headings[i].anchor, "heading",
            o.headings[i].text, "level", o.headings[i].level, "selected",
            chosen && strcmp(chosen, o.headings[i].anchor) == 0, "comments", cs);
        if (!s || json_array_append_new(secs, s) != 0)
            return false;
        for (size_t k = 0; k < r->ncomments; k++)
            if (strcmp(r->comments[k].section, o.headings[i].anchor) == 0 &&
                json_array_append_new(cs, comment_json(&r->comments[k])) != 0)
                return false;
    }
    for (size_t k = 0; k < r->ncomments; k++)
        if (!hub_outline_find(&o, r->comments[k].section) &&
            json_array_append_new(other, comment_json(&r->comments[k])) != 0)
            return false;
    return web_set(m, "comments_count", json_integer((json_int_t)r->ncomments));
}

/* The named reviewers, each with whether they commented on the current
 * version. */
static bool named_reviewers(json_t *m, const struct hub_review *r)
{
    json_t *a = json_array();
    if (!web_set(m, "named_reviewers", a))
        return false;
    for (size_t i = 0; i < r->nreviewers; i++)
        if (json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "user", r->reviewers[i].user,
                                               "named_by", r->reviewers[i].named_by,
                                               "commented", r->reviewers[i].commented)) != 0)
            return false;
    return true;
}

static bool consultation(struct web_req *rq, json_t *m, const struct hub_version *v,
                         const struct hub_review *r)
{
    json_t *inv = json_array(), *open = json_array(), *imp = json_array();
    if (!web_set(m, "invitations", inv) || !web_set(m, "unanswered", open) ||
        !web_set(m, "impacts", imp))
        return false;
    for (size_t i = 0; i < r->ninvites; i++) {
        const struct hub_invite_row *x = &r->invites[i];
        json_t *ans = json_null();
        if (x->answer)
            ans = json_pack("{s:o, s:s, s:s, s:s?}", "at", time_json(x->answered),
                            "recorded_by", x->answered_by, "text", x->answer, "html",
                            html(rq, x->answer));
        json_t *o = json_pack(
            "{s:i, s:s, s:s, s:s, s:o, s:s, s:o*}", "version", x->version, "org", x->org,
            "kind", x->kind, "kind_text",
            web_t(rq, arena_printf(rq->arena, "hub_work_kind_%s", x->kind)), "invited",
            time_json(x->at), "invited_by", x->invited_by, "answer", ans);
        if (!o || json_array_append_new(inv, o) != 0)
            return false;
        if (!x->answer && x->version == v->version &&
            json_array_append_new(open, json_string(x->org)) != 0)
            return false;
    }
    for (size_t i = 0; i < r->nimpacts; i++) {
        const struct hub_impact_row *x = &r->impacts[i];
        json_t *o =
            json_pack("{s:i, s:s, s:o, s:s, s:s?}", "version", x->version, "by", x->by,
                      "at", time_json(x->at), "text", x->body, "html", html(rq, x->body));
        if (!o || json_array_append_new(imp, o) != 0)
            return false;
    }
    return true;
}

/* The forms other than the steps: may the user post each one now (the
 * state: hub_flow; the user: the route table), with their errors and
 * values. */
static bool forms(struct web_req *rq, json_t *m, const char *id, enum hub_state s,
                  const struct web_hub_work_form *f)
{
    static const struct {
        const char *name;
        int act; /* enum hub_act, or -1: the text (hub_flow_editable) */
        const char *fields[2];
    } list[] = {
        {"comment", HUB_ACT_COMMENT, {"comment_section", "comment_text"}},
        {"invite", HUB_ACT_INVITE, {"invite_org", "invite_kind"}},
        {"answer", HUB_ACT_ANSWER, {"answer_org", "answer_text"}},
        {"impact", HUB_ACT_IMPACT, {"impact_text", NULL}},
        {"version", -1, {"version_text", NULL}},
        {"reviewer", HUB_ACT_REVIEWER, {"reviewer_user", NULL}},
    };
    struct kn_error err = KN_ERROR_INIT;
    json_t *e = json_object(), *v = json_object();
    if (!web_set(m, "e", e) || !web_set(m, "v", v))
        return false;
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
        bool now = list[i].act < 0
                       ? hub_flow_editable(s)
                       : hub_flow_may(s, (enum hub_act)list[i].act, &err) == 0;
        const char *action =
            arena_printf(rq->arena, "/documents/%s/work/%s", id, list[i].name);
        json_t *o = json_pack("{s:b, s:b, s:s}", "now", now, "may",
                              now && web_route_may(rq, "POST", action), "action", action);
        if (!web_set(m, arena_printf(rq->arena, "%s_form", list[i].name), o))
            return false;
        /* the form's own error (its state) and its fields' */
        const char *ids[3] = {list[i].name, list[i].fields[0], list[i].fields[1]};
        for (size_t k = 0; f && k < 3 && ids[k]; k++) {
            json_t *x = json_object_get(f->errors, ids[k]);
            json_t *y = json_object_get(f->values, ids[k]);
            if ((x && json_object_set(e, ids[k], x) != 0) ||
                (y && json_object_set(v, ids[k], y) != 0))
                return false;
        }
    }
    json_t *x = f ? json_object_get(f->errors, "steps") : NULL;
    return !x || json_object_set(e, "steps", x) == 0;
}

int web_hub_work_page(struct web_req *rq, const struct web_hub_work_form *f)
{
    const char *id = web_param(rq, "id");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version v;
    struct hub_review r;
    bool mine = false;
    if (!st || !id)
        return 500;
    int rc = hub_get(st, id, 0, &v, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    if (rc != 0 || hub_review_get(st, id, &r, rq->arena, &err) != 0 ||
        hub_yearly_owns(st, id, rq->session->user.name, &mine, &err) != 0)
        return 500;
    enum hub_state s = (enum hub_state)hub_state_parse(v.state);
    const char *csrf = web_csrf_token(rq);
    json_t *summary = f && f->summary ? json_incref(f->summary) : json_array();
    rq->model = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:b, s:b, s:s?, s:s, s:o*, s:o*, s:o*}",
        "id", v.slug, "title", v.title, "summary", v.summary, "owner", v.owner, "state",
        v.state, "state_text", state_text(rq, v.state), "version", v.version, "language",
        v.language, "public", hub_lint_public(v.audience), "mine", mine, "html",
        html(rq, v.body), "body", v.body, "history", history(rq, id), "steps",
        steps(rq, id, s, f), "errors", summary);
    /* The public page, once a version has been published. */
    json_t *hist = json_object_get(rq->model, "history");
    bool was_published = false;
    for (size_t i = 0; i < json_array_size(hist); i++)
        was_published =
            was_published ||
            strcmp(json_string_value(json_object_get(json_array_get(hist, i), "to")),
                   "published") == 0;
    if (!rq->model || !hist || !csrf || !web_sets(rq->model, "csrf", csrf) ||
        !web_sets(rq->model, "audience", v.audience) ||
        !web_set(rq->model, "published_url",
                 was_published && s != HUB_ARCHIVED
                     ? json_string(arena_printf(rq->arena, "/documents/%s", v.slug))
                     : json_null()) ||
        !sections(rq, rq->model, &v, &r, f) || !consultation(rq, rq->model, &v, &r) ||
        !named_reviewers(rq->model, &r) ||
        !forms(rq, rq->model, id, s, f))
        return 500;
    json_t *st_arr = json_object_get(rq->model, "steps");
    bool any = false;
    for (size_t i = 0; i < json_array_size(st_arr); i++)
        any = any || json_is_true(json_object_get(json_array_get(st_arr, i), "may"));
    if (!web_set(rq->model, "may_step", json_boolean(any)))
        return 500;
    if (json_array_size(summary) > 0 &&
        !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
        return 500;
    return 200;
}

int web_hub_work_doc(struct web_req *rq)
{
    return web_hub_work_page(rq, NULL);
}
