/* src/web/hub/web_hub_work_post.c: the forms of a document's workflow page
 * (web_hub_work.h). Each one hands its fields to the function `knod docs`
 * uses (hub_move_in, hub_comment_in, hub_invite_in, hub_answer_in,
 * hub_impact_in; a new version through hub_doc_parse,
 * hub_doc_check_links, the safe-messaging lint and hub_import_in), in one
 * transaction with its audit entry; a refusal comes back at the field its
 * message names. Who may post is the route table's; the one rule here is
 * which of the two step routes a step belongs to
 * (web_hub_work_is_decision). */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "domain/pnr_shape.h"
#include "hub/hub.h"
#include "hub/hub_lint.h"
#include "hub/hub_review.h"
#include "web/hub/web_hub_work.h"
#include "web/web_session.h"

struct post {
    struct web_hub_work_form f;
    const char *id;
    struct store *st;
    bool began;
};

static int post_init(struct web_req *rq, struct post *p)
{
    memset(p, 0, sizeof *p);
    p->id = web_param(rq, "id");
    p->st = web_store(rq);
    p->f.errors = json_object();
    p->f.values = json_object();
    p->f.summary = json_array();
    return p->id && p->st && p->f.errors && p->f.values && p->f.summary ? 0 : 500;
}

static void post_release(struct post *p)
{
    json_decref(p->f.errors);
    json_decref(p->f.values);
    json_decref(p->f.summary);
}

/* A posted field's value: "" when absent, CR LF as LF (a browser sends a
 * textarea's lines with CR LF; files are read with LF). */
static const char *field(struct web_req *rq, const char *name)
{
    const char *v = web_form(rq, name);
    char *s = arena_strdup(rq->arena, v ? v : "");
    if (!s)
        return "";
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(r[0] == '\r' && r[1] == '\n'))
            *w++ = *r;
    *w = '\0';
    return s;
}

/* Keep value v of form field id to show again, masked. */
static void keep(struct web_req *rq, struct post *p, const char *id, const char *v)
{
    char *s = arena_strdup(rq->arena, v);
    if (s)
        pnr_mask(s, strlen(s));
    json_object_set_new(p->f.values, id, json_string(s ? s : ""));
}

/* An error at form field id (the first at a field is shown there; each
 * is in the summary, linking it). */
static void refuse(struct web_req *rq, struct post *p, const char *id, const char *text)
{
    if (!json_object_get(p->f.errors, id))
        json_object_set_new(p->f.errors, id, json_string(text));
    json_array_append_new(p->f.summary,
                          json_pack("{s:s, s:s}", "field",
                                    arena_printf(rq->arena, "f-%s", id), "text", text));
}

/* The text of a refusal: the portal's words for an empty or a
 * personnummer-shaped value, else the rule's own message (which never
 * echoes such a number), masked all the same. */
static const char *why(struct web_req *rq, const char *msg)
{
    if (strstr(msg, "personnummer")) { /* "NAME:LINE: ..." names the line */
        const char *c = strchr(msg, ':');
        int line = 0, k = 0;
        if (c && sscanf(c + 1, "%d%n", &line, &k) == 1 && c[1 + k] == ':' && line > 0)
            return arena_printf(rq->arena, "%s %d: %s", web_t(rq, "hub_work_line"), line,
                                web_t(rq, "hub_work_e_pnr"));
        return web_t(rq, "hub_work_e_pnr");
    }
    if (strstr(msg, " is empty"))
        return web_t(rq, "hub_work_e_empty");
    char *s = arena_strdup(rq->arena, msg);
    if (s)
        pnr_mask(s, strlen(s));
    return s ? s : msg;
}

static int begin(struct post *p, struct kn_error *err)
{
    int rc = store_begin(p->st, err);
    p->began = rc == 0;
    return rc;
}

/* The end of a post: rc 0 audits (action, detail) and commits, then 303
 * to the page; a refusal (errors set) rolls back and shows the page with
 * them; no such document is 404; anything else 500. */
static int finish(struct web_req *rq, struct post *p, int rc, const char *action,
                  const char *detail, const char *anchor)
{
    struct kn_error err = KN_ERROR_INIT;
    bool refused = json_array_size(p->f.summary) > 0;
    if (rc == 0 && !refused)
        rc = web_audit(rq, action, p->id, NULL, detail);
    if (rc == 0 && !refused)
        rc = store_commit(p->st, &err);
    else if (p->began)
        store_rollback(p->st);
    int status;
    if (refused)
        status = web_hub_work_page(rq, &p->f);
    else if (rc == KN_ENOTFOUND)
        status = web_not_found(rq, web_t(rq, "err_404_text"));
    else if (rc != 0)
        status = 500;
    else
        status = web_redirect(
            rq, arena_printf(rq->arena, "/documents/%s/work#%s", p->id, anchor));
    post_release(p);
    return status;
}

/* A step (decide: the programme office's route). */
static int step(struct web_req *rq, bool decide)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    if (post_init(rq, &p) != 0) {
        post_release(&p);
        return 500;
    }
    const char *to_s = field(rq, "to"), *decision = field(rq, "decision"),
               *note = field(rq, "note");
    int to = hub_state_parse(to_s);
    struct hub_version v;
    int rc = begin(&p, &err);
    if (rc == 0)
        rc = hub_get(p.st, p.id, 0, &v, rq->arena, &err);
    if (rc != 0)
        return finish(rq, &p, rc, NULL, NULL, NULL);
    int from = hub_state_parse(v.state);
    if (to < 0) {
        refuse(rq, &p, "steps", web_t(rq, "hub_work_e_to"));
        return finish(rq, &p, KN_EINPUT, NULL, NULL, NULL);
    }
    const char *base = arena_printf(rq->arena, "step_%s", to_s);
    const char *fd = arena_printf(rq->arena, "%s_decision", base),
               *fn = arena_printf(rq->arena, "%s_note", base);
    keep(rq, &p, fd, decision);
    keep(rq, &p, fn, note);
    if (web_hub_work_is_decision(from, to) != decide) {
        /* The other route's step: not the user's to take here. */
        store_rollback(p.st);
        post_release(&p);
        rq->error = web_t(rq, decide ? "hub_work_e_owner_step" : "hub_work_e_npo_step");
        return 403;
    }
    struct hub_lint_rules rules;
    enum hub_state left;
    rc = hub_lint_rules_dir(rq->app->cfg->dir, &rules, rq->arena, &err);
    if (rc == 0)
        rc = hub_move_in(p.st, p.id, (enum hub_state)to, decision, note,
                         rq->session->user.name, rq->now, &rules, &left, &err);
    if (rc == KN_EINPUT) {
        struct kn_error probe = KN_ERROR_INIT;
        bool allowed = hub_flow_check((enum hub_state)from, (enum hub_state)to, "x", "x",
                                      &probe) == 0;
        const char *where = !allowed                      ? "steps"
                            : strstr(err.msg, "decision") ? fd
                            : strstr(err.msg, "note")     ? fn
                                                          : base;
        const char *text = strstr(err.msg, "(--decision)")
                               ? web_t(rq, "hub_work_e_decision")
                           : strstr(err.msg, "(--note)") ? web_t(rq, "hub_work_e_note")
                                                         : why(rq, err.msg);
        refuse(rq, &p, where, text);
    }
    /* The audit entry names the target and the decision, as knod docs
     * move writes it; the history has the rest. */
    const char *detail = arena_printf(rq->arena, "to %s%s%.200s", to_s,
                                      *decision ? "; decision: " : "", decision);
    return finish(rq, &p, rc, "document-move", detail, "history");
}

int web_hub_work_step(struct web_req *rq)
{
    return step(rq, false);
}

int web_hub_work_decide(struct web_req *rq)
{
    return step(rq, true);
}

int web_hub_work_comment(struct web_req *rq)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = post_init(rq, &p);
    const char *section = field(rq, "section"), *text = field(rq, "text");
    keep(rq, &p, "comment_section", section);
    keep(rq, &p, "comment_text", text);
    if (rc == 0)
        rc = begin(&p, &err);
    if (rc == 0)
        rc = hub_comment_in(p.st, p.id, section, rq->session->user.name, text, rq->now,
                            &err);
    if (rc == KN_EINPUT)
        refuse(rq, &p,
               strstr(err.msg, "the comment") ? "comment_text"
               : strstr(err.msg, "section")   ? "comment_section"
                                              : "comment",
               why(rq, err.msg));
    return finish(rq, &p, rc, "document-comment",
                  arena_printf(rq->arena, "section %.100s", section), "f-comment");
}

int web_hub_work_invite(struct web_req *rq)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = post_init(rq, &p);
    const char *org = field(rq, "org"), *kind = field(rq, "kind");
    keep(rq, &p, "invite_org", org);
    keep(rq, &p, "invite_kind", kind);
    if (rc == 0)
        rc = begin(&p, &err);
    if (rc == 0)
        rc = hub_invite_in(p.st, p.id, org, kind, rq->session->user.name, rq->now, &err);
    if (rc == KN_EEXIST) {
        refuse(rq, &p, "invite_org", web_t(rq, "hub_work_e_invited"));
        rc = KN_EINPUT;
    } else if (rc == KN_EINPUT) {
        refuse(rq, &p,
               strncmp(err.msg, "kind", 4) == 0      ? "invite_kind"
               : strstr(err.msg, "the organisation") ? "invite_org"
                                                     : "invite",
               why(rq, err.msg));
    }
    return finish(rq, &p, rc, "document-invite",
                  arena_printf(rq->arena, "%.200s (%.20s)", org, kind), "f-invite");
}

int web_hub_work_answer(struct web_req *rq)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = post_init(rq, &p);
    const char *org = field(rq, "org"), *text = field(rq, "text");
    keep(rq, &p, "answer_org", org);
    keep(rq, &p, "answer_text", text);
    if (rc == 0)
        rc = begin(&p, &err);
    if (rc == 0)
        rc = hub_answer_in(p.st, p.id, org, text, web_t(rq, "hub_work_answer_name"),
                           rq->session->user.name, rq->now, &err);
    if (rc == KN_EINPUT)
        refuse(rq, &p,
               strstr(err.msg, "the organisation") || strstr(err.msg, "invited") ||
                       strstr(err.msg, "already answered")
                   ? "answer_org"
               : strstr(err.msg, "is recorded") ? "answer"
                                                : "answer_text",
               why(rq, err.msg));
    return finish(rq, &p, rc, "document-answer", arena_printf(rq->arena, "%.200s", org),
                  "f-invite");
}

int web_hub_work_impact(struct web_req *rq)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = post_init(rq, &p);
    const char *text = field(rq, "text");
    keep(rq, &p, "impact_text", text);
    if (rc == 0)
        rc = begin(&p, &err);
    if (rc == 0)
        rc = hub_impact_in(p.st, p.id, text, web_t(rq, "hub_work_impact_name"),
                           rq->session->user.name, rq->now, &err);
    if (rc == KN_EINPUT)
        refuse(rq, &p, strstr(err.msg, "is recorded") ? "impact" : "impact_text",
               why(rq, err.msg));
    return finish(rq, &p, rc, "document-impact", "", "f-invite");
}

/* The safe-messaging lint of a public document's new text: each finding
 * an error naming its line and rule. */
static int lint(struct web_req *rq, struct post *p, const struct hub_doc *d,
                const struct hub_lint_rules *rules, struct kn_error *err)
{
    const struct hub_lint_text lt = {d->title,    d->summary,  d->body,
                                     d->audience, d->language, d->body_line};
    struct hub_lint_finding *fs;
    size_t n;
    if (!hub_lint_public(d->audience))
        return 0;
    int rc = hub_lint(rules, &lt, &fs, &n, rq->arena, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        refuse(rq, p, "version_text",
               arena_printf(rq->arena, "%s: %s", web_t(rq, "hub_work_e_lint"),
                            hub_lint_describe(&fs[i], rq->arena)));
    return rc != 0 ? rc : n ? KN_EINPUT : 0;
}

int web_hub_work_version(struct web_req *rq)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = post_init(rq, &p);
    const char *text = field(rq, "text");
    const char *name = arena_printf(rq->arena, "%s.md", p.id ? p.id : "document");
    struct hub_doc d;
    struct hub_lint_rules rules;
    enum hub_outcome out = HUB_UNCHANGED;
    keep(rq, &p, "version_text", text);
    if (rc == 0 &&
        (rc = hub_doc_parse(text, strlen(text), name, &d, rq->arena, &err)) != 0 &&
        rc == KN_EINPUT)
        refuse(rq, &p, "version_text", why(rq, err.msg));
    if (rc == 0 && strcmp(d.slug, p.id) != 0) {
        refuse(rq, &p, "version_text",
               arena_printf(rq->arena, "%s '%s'", web_t(rq, "hub_work_e_slug"), p.id));
        rc = KN_EINPUT;
    }
    if (rc == 0 && d.published) {
        refuse(rq, &p, "version_text", web_t(rq, "hub_work_e_status"));
        rc = KN_EINPUT;
    }
    if (rc == 0 && (rc = hub_doc_check_links(&d, name, rq->app->cat_all,
                                             rq->app->pathways, &err)) == KN_EINPUT)
        refuse(rq, &p, "version_text", why(rq, err.msg));
    if (rc == 0)
        rc = hub_lint_rules_dir(rq->app->cfg->dir, &rules, rq->arena, &err);
    if (rc == 0)
        rc = lint(rq, &p, &d, &rules, &err);
    if (rc == 0)
        rc = begin(&p, &err);
    if (rc == 0) {
        rc = hub_import_in(p.st, &d, rq->session->user.name, rq->now, &rules, &out, &err);
        if (rc == KN_EINPUT)
            refuse(rq, &p, strstr(err.msg, "cannot change") ? "version" : "version_text",
                   why(rq, err.msg));
    }
    return finish(rq, &p, rc, "document-edit",
                  out == HUB_UNCHANGED ? "unchanged" : "the current version's text",
                  "f-version");
}

int web_hub_work_reviewer(struct web_req *rq)
{
    struct post p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = post_init(rq, &p);
    const char *user = field(rq, "user");
    bool remove = strcmp(field(rq, "remove"), "1") == 0;
    if (!remove)
        keep(rq, &p, "reviewer_user", user);
    if (rc == 0)
        rc = begin(&p, &err);
    if (rc == 0)
        rc = hub_reviewer_in(p.st, p.id, user, remove, rq->session->user.name, rq->now,
                             &err);
    if (rc == KN_EEXIST || rc == KN_EINPUT) {
        refuse(rq, &p, strstr(err.msg, "is recorded") ? "reviewer" : "reviewer_user",
               why(rq, err.msg));
        rc = KN_EINPUT;
    }
    return finish(rq, &p, rc, "document-reviewer",
                  arena_printf(rq->arena, "%s %.200s", remove ? "removed" : "named", user),
                  "f-reviewer");
}
