/* src/cli/cli_docs_review.c: `knod docs comment|invite|answer|impact|
 * comments`, the review and consultation round of a document (hub_review.h,
 * docs/hub.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/date.h"
#include "cli/cli.h"
#include "cli/cli_docs.h"
#include "hub/hub_review.h"

int docs_read_file(const char *path, size_t max, struct strbuf *out, struct kn_error *err)
{
    char shown[256];
    struct stat sb;
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = errno;
        if (f)
            fclose(f);
        return kn_fail(err, KN_EINPUT, "cannot read '%s': %s",
                       cli_shown(path, shown, sizeof shown),
                       f ? "not a regular file" : strerror(e));
    }
    char buf[65536];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (out->len + got > max)
            rc = kn_fail(err, KN_EINPUT, "'%s' is longer than %zu bytes",
                         cli_shown(path, shown, sizeof shown), max);
        else if (sb_add(out, buf, got) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (rc == 0 && ferror(f))
        rc = kn_fail(err, KN_EIO, "cannot read '%s'", cli_shown(path, shown, sizeof shown));
    fclose(f);
    return rc;
}

/* The name a file is shown by in messages: its last component, masked. */
static const char *base_name(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    return cli_shown(slash ? slash + 1 : path, buf, cap);
}

/* One review or consultation record and its audit entry (action) in one
 * transaction: the portal's forms write the same entries
 * (src/web/hub/web_hub_work_post.c). */
struct record_arg {
    const char *id;
    const struct docs_opts *o;
    const char *kind, *body, *name; /* invite's kind; answer's and impact's text */
    int (*fn)(struct store *, struct record_arg *, struct kn_error *);
};

static int record_fn(struct store *st, void *p, struct kn_error *err)
{
    struct record_arg *r = p;
    return r->fn(st, r, err);
}

static int comment_in(struct store *st, struct record_arg *r, struct kn_error *err)
{
    return hub_comment_in(st, r->id, r->o->section, r->o->by, r->o->text, time_now(), err);
}

static int invite_in(struct store *st, struct record_arg *r, struct kn_error *err)
{
    return hub_invite_in(st, r->id, r->o->org, r->kind, r->o->by, time_now(), err);
}

static int answer_in(struct store *st, struct record_arg *r, struct kn_error *err)
{
    return hub_answer_in(st, r->id, r->o->org, r->body, r->name, r->o->by, time_now(), err);
}

static int impact_in(struct store *st, struct record_arg *r, struct kn_error *err)
{
    return hub_impact_in(st, r->id, r->body, r->name, r->o->by, time_now(), err);
}

int docs_comment(struct store *st, const struct config *cfg, const char *id,
                 const struct docs_opts *o)
{
    if (!o->section || !o->text)
        return cli_usage_error("docs comment", "--section and --text are required");
    char detail[120];
    snprintf(detail, sizeof detail, "section %.100s", o->section);
    struct record_arg r = {.id = id, .o = o, .fn = comment_in};
    int rc = cli_audited(st, cfg, o->by, "document-comment", id, detail, record_fn, &r);
    if (rc == EXIT_OK)
        printf("%s: a comment on '%s' by %s\n", id, o->section, o->by);
    return rc;
}

int docs_invite(struct store *st, const struct config *cfg, const char *id,
                const struct docs_opts *o)
{
    if (!o->org)
        return cli_usage_error("docs invite", "--org is required");
    const char *kind = o->kind ? o->kind : "organisation";
    if (!hub_org_kind_valid(kind))
        return cli_usage_error("docs invite", "--kind: region, municipality or organisation");
    char detail[240];
    snprintf(detail, sizeof detail, "%.200s (%.20s)", o->org, kind);
    struct record_arg r = {.id = id, .o = o, .kind = kind, .fn = invite_in};
    int rc = cli_audited(st, cfg, o->by, "document-invite", id, detail, record_fn, &r);
    if (rc == EXIT_OK)
        printf("%s: %s (%s) invited to the consultation\n", id, o->org, kind);
    return rc;
}

static int reviewer_in(struct store *st, struct record_arg *r, struct kn_error *err)
{
    return hub_reviewer_in(st, r->id, r->o->user, r->o->remove, r->o->by, time_now(), err);
}

int docs_reviewer(struct store *st, const struct config *cfg, const char *id,
                  const struct docs_opts *o)
{
    if (!o->user)
        return cli_usage_error("docs reviewer", "--user is required");
    char detail[240];
    snprintf(detail, sizeof detail, "%s %.200s", o->remove ? "removed" : "named", o->user);
    struct record_arg r = {.id = id, .o = o, .fn = reviewer_in};
    int rc = cli_audited(st, cfg, o->by, "document-reviewer", id, detail, record_fn, &r);
    if (rc == EXIT_OK)
        printf("%s: %s %s a reviewer\n", id, o->user, o->remove ? "is no longer" : "is");
    return rc;
}

/* Read --file and record it as an answer (answer) or the impact assessment. */
static int with_file(struct store *st, const struct config *cfg, const char *id,
                     const struct docs_opts *o, const char *cmd, int answer)
{
    struct kn_error err = KN_ERROR_INIT;
    struct strbuf text = STRBUF_INIT;
    char name[256], detail[220];
    if (!o->file || (answer && !o->org))
        return cli_usage_error(cmd, answer ? "--org and --file are required"
                                           : "--file is required");
    int rc = docs_read_file(o->file, 1024 * 1024, &text, &err);
    /* A NUL inside would cut the text short unseen. */
    if (rc == 0 && strlen(text.buf) != text.len)
        rc = kn_fail(&err, KN_EINPUT, "%s: holds a NUL byte",
                     base_name(o->file, name, sizeof name));
    if (rc) {
        sb_release(&text);
        return cli_fail(&err);
    }
    snprintf(detail, sizeof detail, "%.200s", answer ? o->org : "");
    struct record_arg r = {.id = id, .o = o, .body = text.buf,
                           .name = base_name(o->file, name, sizeof name),
                           .fn = answer ? answer_in : impact_in};
    rc = cli_audited(st, cfg, o->by, answer ? "document-answer" : "document-impact", id,
                     detail, record_fn, &r);
    sb_release(&text);
    if (rc == EXIT_OK && answer)
        printf("%s: the answer of %s recorded\n", id, o->org);
    else if (rc == EXIT_OK)
        printf("%s: the impact assessment attached\n", id);
    return rc;
}

int docs_answer(struct store *st, const struct config *cfg, const char *id,
                const struct docs_opts *o)
{
    return with_file(st, cfg, id, o, "docs answer", 1);
}

int docs_impact(struct store *st, const struct config *cfg, const char *id,
                const struct docs_opts *o)
{
    return with_file(st, cfg, id, o, "docs impact", 0);
}

static json_t *time_json(kn_time t)
{
    char at[20];
    time_format(t, at);
    return json_string(at);
}

static int comments_json(const struct hub_review *r)
{
    json_t *root = json_object(), *cs = json_array(), *is = json_array(), *ms = json_array();
    for (size_t i = 0; i < r->ncomments; i++) {
        const struct hub_comment_row *c = &r->comments[i];
        json_t *x = json_object();
        json_object_set_new(x, "version", json_integer(c->version));
        json_object_set_new(x, "section", json_string(c->section));
        json_object_set_new(x, "by", json_string(c->author));
        json_object_set_new(x, "at", time_json(c->at));
        json_object_set_new(x, "text", json_string(c->body));
        json_array_append_new(cs, x);
    }
    for (size_t i = 0; i < r->ninvites; i++) {
        const struct hub_invite_row *v = &r->invites[i];
        json_t *x = json_object();
        json_object_set_new(x, "version", json_integer(v->version));
        json_object_set_new(x, "org", json_string(v->org));
        json_object_set_new(x, "kind", json_string(v->kind));
        json_object_set_new(x, "invited_by", json_string(v->invited_by));
        json_object_set_new(x, "invited", time_json(v->at));
        if (v->answer) {
            json_t *ans = json_object();
            json_object_set_new(ans, "at", time_json(v->answered));
            json_object_set_new(ans, "recorded_by", json_string(v->answered_by));
            json_object_set_new(ans, "text", json_string(v->answer));
            json_object_set_new(x, "answer", ans);
        } else {
            json_object_set_new(x, "answer", json_null());
        }
        json_array_append_new(is, x);
    }
    for (size_t i = 0; i < r->nimpacts; i++) {
        const struct hub_impact_row *m = &r->impacts[i];
        json_t *x = json_object();
        json_object_set_new(x, "version", json_integer(m->version));
        json_object_set_new(x, "by", json_string(m->by));
        json_object_set_new(x, "at", time_json(m->at));
        json_object_set_new(x, "text", json_string(m->body));
        json_array_append_new(ms, x);
    }
    json_t *rs = json_array();
    for (size_t i = 0; i < r->nreviewers; i++)
        json_array_append_new(rs, json_pack("{s:s, s:s, s:o, s:b}", "user",
                                            r->reviewers[i].user, "named_by",
                                            r->reviewers[i].named_by, "at",
                                            time_json(r->reviewers[i].at), "commented",
                                            r->reviewers[i].commented));
    json_object_set_new(root, "reviewers", rs);
    json_object_set_new(root, "comments", cs);
    json_object_set_new(root, "invitations", is);
    json_object_set_new(root, "impact_assessments", ms);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text)
        puts(text);
    free(text);
    json_decref(root);
    return EXIT_OK;
}

int docs_comments(struct store *st, const char *id, const struct docs_opts *o,
                  struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_review r;
    if (hub_review_get(st, id, &r, a, &err) != 0)
        return cli_fail(&err);
    if (strcmp(o->format, "json") == 0)
        return comments_json(&r);
    char at[20];
    printf("Reviewers (%zu)\n", r.nreviewers);
    for (size_t i = 0; i < r.nreviewers; i++)
        printf("  %-24s %s\n", r.reviewers[i].user,
               r.reviewers[i].commented ? "commented on the current version"
                                        : "no comment on the current version");
    printf("Comments (%zu)\n", r.ncomments);
    for (size_t i = 0; i < r.ncomments; i++) {
        time_format(r.comments[i].at, at);
        printf("  v%d #%s  %s  %s\n", r.comments[i].version, r.comments[i].section, at,
               r.comments[i].author);
        for (const char *p = r.comments[i].body; *p;) {
            size_t n = strcspn(p, "\n");
            printf("    %.*s\n", (int)n, p);
            p += n + (p[n] ? 1 : 0);
        }
    }
    size_t answered = 0;
    for (size_t i = 0; i < r.ninvites; i++)
        answered += r.invites[i].answer != NULL;
    printf("Consultation: %zu invited, %zu answered\n", r.ninvites, answered);
    for (size_t i = 0; i < r.ninvites; i++) {
        const struct hub_invite_row *v = &r.invites[i];
        char when[20] = "not answered";
        if (v->answer)
            time_format(v->answered, when);
        printf("  v%d  %-13s %-40s %s\n", v->version, v->kind, v->org, when);
    }
    printf("Impact assessments (%zu, the one in force per version)\n", r.nimpacts);
    for (size_t i = 0; i < r.nimpacts; i++) {
        time_format(r.impacts[i].at, at);
        printf("  v%d  %s  %s (%zu bytes)\n", r.impacts[i].version, at, r.impacts[i].by,
               strlen(r.impacts[i].body));
    }
    return EXIT_OK;
}
