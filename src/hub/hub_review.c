/* src/hub/hub_review.c: review comments, consultation invitations and
 * answers, and the impact assessment in the store (hub_review.h). A
 * document gets tens of comments and a few dozen invitations. */
#include "hub/hub_review.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"
#include "hub/hub_flow.h"
#include "hub/hub_outline.h"
#include "hub/hub_sql.h"

/* Limits on what one record may hold, in bytes. */
#define NAME_MAX_BYTES 200
#define COMMENT_MAX_BYTES 20000
#define PART_MAX_BYTES (1024 * 1024)

static const char *const kinds[] = {"region", "municipality", "organisation"};

int hub_org_kind_valid(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i], kind) == 0)
            return 1;
    return 0;
}

/* Check the free text s (what it is, and the file it came from if any):
 * present, within max bytes, UTF-8, and free of personnummer-shaped
 * numbers (refused with the line, never echoed). */
static int screen(const char *s, const char *what, const char *file, size_t max,
                  struct kn_error *err)
{
    size_t len = strlen(s), at, bad;
    const char *w = file ? file : what;
    if (len == 0 || strspn(s, " \t\r\n") == len)
        return kn_fail(err, KN_EINPUT, "%s is empty", w);
    if (len > max)
        return kn_fail(err, KN_EINPUT, "%s is longer than %zu bytes", w, max);
    if (!utf8_valid(s, len, &bad))
        return kn_fail(err, KN_EINPUT, "%s: not UTF-8 (at byte %zu)", w, bad + 1);
    if (pnr_find_shaped(s, len, &at, NULL)) {
        size_t line = 1;
        for (size_t i = 0; i < at; i++)
            line += s[i] == '\n';
        if (file || line > 1)
            return kn_fail(err, KN_EINPUT,
                           "%s:%zu: holds a personnummer-shaped number (not shown); "
                           "knowledge support never names a person",
                           w, line);
        return kn_fail(err, KN_EINPUT,
                       "%s: holds a personnummer-shaped number (not shown); "
                       "knowledge support never names a person",
                       w);
    }
    return 0;
}

struct doc {
    int64_t id;
    int version;
    enum hub_state state;
    const char *body;
};

static int load_doc(struct store *st, const char *slug, struct doc *d, struct arena *a,
                    struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT d.id, d.current_version, d.state, v.body FROM hub_document d "
                      "JOIN hub_version v ON v.document_id = d.id AND v.version = "
                      "d.current_version WHERE d.slug = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        d->id = store_col_int(s, 0);
        d->version = (int)store_col_int(s, 1);
        d->state = (enum hub_state)hub_state_parse(hub_col(s, 2, a));
        d->body = hub_col(s, 3, a);
        rc = d->body ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no document '%s'", slug);
    }
    store_finalize(s);
    return rc;
}

/* Run fn inside a transaction with the document loaded and act allowed. */
typedef int (*review_fn)(struct store *st, const struct doc *d, const void *arg,
                         struct arena *a, struct kn_error *err);

static int in_tx(struct store *st, const char *slug, enum hub_act act, review_fn fn,
                 const void *arg, bool own, struct kn_error *err)
{
    struct arena a;
    struct doc d;
    arena_init(&a);
    int rc = own ? store_begin(st, err) : 0;
    if (rc == 0)
        rc = load_doc(st, slug, &d, &a, err);
    if (rc == 0 && hub_flow_may(d.state, act, err) != 0)
        rc = kn_error_prefix(err, "'%s': ", slug);
    if (rc == 0)
        rc = fn(st, &d, arg, &a, err);
    if (own && rc == 0)
        rc = store_commit(st, err);
    else if (own)
        store_rollback(st);
    arena_release(&a);
    return rc;
}

struct comment_arg {
    const char *section, *author, *text;
    kn_time now;
};

static int comment_fn(struct store *st, const struct doc *d, const void *arg,
                      struct arena *a, struct kn_error *err)
{
    const struct comment_arg *c = arg;
    struct hub_outline o;
    if (hub_outline(d->body, strlen(d->body), &o, a, err) != 0)
        return err->code;
    if (!hub_outline_find(&o, c->section)) {
        char list[256] = "";
        size_t len = 0;
        for (size_t i = 0; i < o.nheadings && len < sizeof list; i++) {
            int k = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                             o.headings[i].anchor);
            len += k > 0 ? (size_t)k : 0;
        }
        return kn_fail(err, KN_EINPUT, "section '%s': no such heading in version %d (there are: %s)",
                       c->section, d->version, o.nheadings ? list : "it has no headings");
    }
    return hub_exec(st,
                    "INSERT INTO hub_comment (document_id, version, section, author, body, "
                    "at) VALUES ($1, $2, $3, $4, $5, $6)",
                    err, "iittti", d->id, (int64_t)d->version,
                    c->section, c->author, c->text, (int64_t)c->now);
}

static int comment(struct store *st, const char *slug, const char *section,
                   const char *author, const char *text, kn_time now, bool own,
                   struct kn_error *err)
{
    struct comment_arg c = {section, author, text, now};
    if (screen(author, "the name (--by)", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(section, "the section", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(text, "the comment", NULL, COMMENT_MAX_BYTES, err) != 0)
        return err->code;
    return in_tx(st, slug, HUB_ACT_COMMENT, comment_fn, &c, own, err);
}

int hub_comment(struct store *st, const char *slug, const char *section, const char *author,
                const char *text, kn_time now, struct kn_error *err)
{
    return comment(st, slug, section, author, text, now, true, err);
}

int hub_comment_in(struct store *st, const char *slug, const char *section,
                   const char *author, const char *text, kn_time now, struct kn_error *err)
{
    return comment(st, slug, section, author, text, now, false, err);
}

struct invite_arg {
    const char *org, *kind, *actor, *body, *name;
    kn_time now;
};

/* The invitation of org to version d->version: its id, or 0 if none. */
static int64_t invite_id(struct store *st, const struct doc *d, const char *org,
                         bool *answered, struct kn_error *err)
{
    struct store_stmt *s;
    int64_t id = 0;
    if (store_prepare(st,
                      "SELECT i.id, a.id IS NOT NULL FROM hub_invite i LEFT JOIN hub_answer "
                      "a ON a.invite_id = i.id WHERE i.document_id = $1 AND i.version = $2 "
                      "AND i.org = $3",
                      &s, err) != 0)
        return -1;
    store_bind_int(s, 1, d->id);
    store_bind_int(s, 2, d->version);
    store_bind_text(s, 3, org, strlen(org));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        id = store_col_int(s, 0);
        *answered = store_col_int(s, 1) != 0;
    } else if (rc < 0) {
        id = -1;
    }
    store_finalize(s);
    return id;
}

static int invite_fn(struct store *st, const struct doc *d, const void *arg,
                     struct arena *a, struct kn_error *err)
{
    const struct invite_arg *x = arg;
    bool answered = false;
    (void)a;
    int64_t id = invite_id(st, d, x->org, &answered, err);
    if (id < 0)
        return err->code;
    if (id > 0)
        return kn_fail(err, KN_EEXIST, "'%s' is already invited to the consultation on "
                       "version %d", x->org, d->version);
    return hub_exec(st,
                    "INSERT INTO hub_invite (document_id, version, org, kind, invited_by, at) "
                    "VALUES ($1, $2, $3, $4, $5, $6)",
                    err, "iittti", d->id, (int64_t)d->version, x->org, x->kind, x->actor,
                    (int64_t)x->now);
}

static int invite(struct store *st, const char *slug, const char *org, const char *kind,
                  const char *actor, kn_time now, bool own, struct kn_error *err)
{
    struct invite_arg x = {.org = org, .kind = kind, .actor = actor, .now = now};
    if (!hub_org_kind_valid(kind))
        return kn_fail(err, KN_EINPUT, "kind '%s': region, municipality or organisation", kind);
    if (screen(org, "the organisation", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(actor, "the name (--by)", NULL, NAME_MAX_BYTES, err) != 0)
        return err->code;
    return in_tx(st, slug, HUB_ACT_INVITE, invite_fn, &x, own, err);
}

int hub_invite(struct store *st, const char *slug, const char *org, const char *kind,
               const char *actor, kn_time now, struct kn_error *err)
{
    return invite(st, slug, org, kind, actor, now, true, err);
}

int hub_invite_in(struct store *st, const char *slug, const char *org, const char *kind,
                  const char *actor, kn_time now, struct kn_error *err)
{
    return invite(st, slug, org, kind, actor, now, false, err);
}

static int answer_fn(struct store *st, const struct doc *d, const void *arg,
                     struct arena *a, struct kn_error *err)
{
    const struct invite_arg *x = arg;
    bool answered = false;
    (void)a;
    int64_t id = invite_id(st, d, x->org, &answered, err);
    if (id < 0)
        return err->code;
    if (id == 0)
        return kn_fail(err, KN_EINPUT,
                       "'%s' was not invited to the consultation on version %d "
                       "(knod docs invite)",
                       x->org, d->version);
    if (answered)
        return kn_fail(err, KN_EINPUT, "'%s' has already answered on version %d", x->org,
                       d->version);
    return hub_exec(st,
                    "INSERT INTO hub_answer (invite_id, body, recorded_by, at) VALUES ($1, "
                    "$2, $3, $4)",
                    err, "itti", id, x->body, x->actor, (int64_t)x->now);
}

static int answer(struct store *st, const char *slug, const char *org, const char *body,
                  const char *name, const char *actor, kn_time now, bool own,
                  struct kn_error *err)
{
    struct invite_arg x = {.org = org, .actor = actor, .body = body, .now = now};
    if (screen(org, "the organisation", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(actor, "the name (--by)", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(body, "the answer", name, PART_MAX_BYTES, err) != 0)
        return err->code;
    return in_tx(st, slug, HUB_ACT_ANSWER, answer_fn, &x, own, err);
}

int hub_answer(struct store *st, const char *slug, const char *org, const char *body,
               const char *name, const char *actor, kn_time now, struct kn_error *err)
{
    return answer(st, slug, org, body, name, actor, now, true, err);
}

int hub_answer_in(struct store *st, const char *slug, const char *org, const char *body,
                  const char *name, const char *actor, kn_time now, struct kn_error *err)
{
    return answer(st, slug, org, body, name, actor, now, false, err);
}

static int impact_fn(struct store *st, const struct doc *d, const void *arg,
                     struct arena *a, struct kn_error *err)
{
    const struct invite_arg *x = arg;
    (void)a;
    return hub_exec(st,
                    "INSERT INTO hub_impact (document_id, version, body, recorded_by, at) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    err, "iitti", d->id, (int64_t)d->version, x->body, x->actor,
                    (int64_t)x->now);
}

static int impact(struct store *st, const char *slug, const char *body, const char *name,
                  const char *actor, kn_time now, bool own, struct kn_error *err)
{
    struct invite_arg x = {.actor = actor, .body = body, .now = now};
    if (screen(actor, "the name (--by)", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(body, "the impact assessment", name, PART_MAX_BYTES, err) != 0)
        return err->code;
    return in_tx(st, slug, HUB_ACT_IMPACT, impact_fn, &x, own, err);
}

int hub_impact(struct store *st, const char *slug, const char *body, const char *name,
               const char *actor, kn_time now, struct kn_error *err)
{
    return impact(st, slug, body, name, actor, now, true, err);
}

int hub_impact_in(struct store *st, const char *slug, const char *body, const char *name,
                  const char *actor, kn_time now, struct kn_error *err)
{
    return impact(st, slug, body, name, actor, now, false, err);
}

/* Rows of sql (bound to the document id) into an arena array of size-byte
 * records filled by read. */
struct reviewer_arg {
    const char *user, *actor;
    bool remove;
    kn_time now;
};

/* 1 if the query (bound to $1 doc unless it is 0, then $1 or $2 user)
 * has a row, 0 if not, or <0. */
static int has_row(struct store *st, const char *sql, int64_t doc, const char *user,
                   struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    if (doc)
        store_bind_int(s, 1, doc);
    store_bind_text(s, doc ? 2 : 1, user, strlen(user));
    int rc = store_step(s, err);
    store_finalize(s);
    return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : rc;
}

static int reviewer_fn(struct store *st, const struct doc *d, const void *arg,
                       struct arena *a, struct kn_error *err)
{
    const struct reviewer_arg *x = arg;
    (void)a;
    int named = has_row(st,
                        "SELECT 1 FROM hub_reviewer WHERE document_id = $1 AND user_name = $2",
                        d->id, x->user, err);
    if (named < 0)
        return named;
    if (x->remove)
        return named ? hub_exec(st,
                                "DELETE FROM hub_reviewer WHERE document_id = $1 AND "
                                "user_name = $2",
                                err, "it", d->id, x->user)
                     : kn_fail(err, KN_EINPUT, "'%s' is not a named reviewer", x->user);
    if (named)
        return kn_fail(err, KN_EEXIST, "'%s' is a named reviewer already", x->user);
    int user = has_row(st, "SELECT 1 FROM access_user WHERE name = $1 AND disabled = 0", 0,
                       x->user, err);
    if (user < 0)
        return user;
    if (!user)
        return kn_fail(err, KN_EINPUT, "no user '%s' who may sign in", x->user);
    return hub_exec(st,
                    "INSERT INTO hub_reviewer (document_id, user_name, named_by, named_at) "
                    "VALUES ($1, $2, $3, $4)",
                    err, "itti", d->id, x->user, x->actor, (int64_t)x->now);
}

int hub_reviewer_in(struct store *st, const char *slug, const char *user, bool remove,
                    const char *actor, kn_time now, struct kn_error *err)
{
    struct reviewer_arg x = {user, actor, remove, now};
    if (screen(user, "the user", NULL, NAME_MAX_BYTES, err) != 0 ||
        screen(actor, "the name (--by)", NULL, NAME_MAX_BYTES, err) != 0)
        return err->code;
    return in_tx(st, slug, HUB_ACT_REVIEWER, reviewer_fn, &x, false, err);
}

static int rows(struct store *st, const char *sql, int64_t doc, size_t size,
                void (*read)(struct store_stmt *s, void *row, struct arena *a), void **out,
                size_t *n, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    char *v = NULL;
    *n = 0;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, doc);
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &v, *n, &cap, size) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        read(s, v + *n * size, a);
        (*n)++;
    }
    store_finalize(s);
    *out = v;
    return rc < 0 ? rc : 0;
}

static void read_comment(struct store_stmt *s, void *row, struct arena *a)
{
    struct hub_comment_row *c = row;
    c->version = (int)store_col_int(s, 0);
    c->at = (kn_time)store_col_int(s, 1);
    c->section = hub_col(s, 2, a);
    c->author = hub_col(s, 3, a);
    c->body = hub_col(s, 4, a);
}

static void read_invite(struct store_stmt *s, void *row, struct arena *a)
{
    struct hub_invite_row *i = row;
    i->version = (int)store_col_int(s, 0);
    i->at = (kn_time)store_col_int(s, 1);
    i->org = hub_col(s, 2, a);
    i->kind = hub_col(s, 3, a);
    i->invited_by = hub_col(s, 4, a);
    i->answer = hub_col(s, 5, a);
    i->answered = store_col_is_null(s, 6) ? 0 : (kn_time)store_col_int(s, 6);
    i->answered_by = hub_col(s, 7, a);
}

static void read_reviewer(struct store_stmt *s, void *row, struct arena *a)
{
    struct hub_reviewer_row *r = row;
    r->user = hub_col(s, 0, a);
    r->named_by = hub_col(s, 1, a);
    r->at = (kn_time)store_col_int(s, 2);
    r->commented = store_col_int(s, 3) != 0;
}

static void read_impact(struct store_stmt *s, void *row, struct arena *a)
{
    struct hub_impact_row *i = row;
    i->version = (int)store_col_int(s, 0);
    i->at = (kn_time)store_col_int(s, 1);
    i->by = hub_col(s, 2, a);
    i->body = hub_col(s, 3, a);
}

int hub_review_get(struct store *st, const char *slug, struct hub_review *out,
                   struct arena *a, struct kn_error *err)
{
    struct doc d;
    void *v = NULL;
    memset(out, 0, sizeof *out);
    if (load_doc(st, slug, &d, a, err) != 0)
        return err->code;
    if (rows(st,
             "SELECT version, at, section, author, body FROM hub_comment WHERE "
             "document_id = $1 ORDER BY id",
             d.id, sizeof *out->comments, read_comment, &v, &out->ncomments, a, err) != 0)
        return err->code;
    out->comments = v;
    if (rows(st,
             "SELECT i.version, i.at, i.org, i.kind, i.invited_by, a.body, a.at, "
             "a.recorded_by FROM hub_invite i LEFT JOIN hub_answer a ON a.invite_id = i.id "
             "WHERE i.document_id = $1 ORDER BY i.id",
             d.id, sizeof *out->invites, read_invite, &v, &out->ninvites, a, err) != 0)
        return err->code;
    out->invites = v;
    if (rows(st,
             "SELECT version, at, recorded_by, body FROM hub_impact WHERE id IN (SELECT "
             "max(id) FROM hub_impact WHERE document_id = $1 GROUP BY version) ORDER BY "
             "version",
             d.id, sizeof *out->impacts, read_impact, &v, &out->nimpacts, a, err) != 0)
        return err->code;
    out->impacts = v;
    if (rows(st,
             "SELECT r.user_name, r.named_by, r.named_at, EXISTS (SELECT 1 FROM hub_comment "
             "c JOIN hub_document d ON d.id = c.document_id WHERE c.document_id = "
             "r.document_id AND c.version = d.current_version AND c.author = r.user_name) "
             "FROM hub_reviewer r WHERE r.document_id = $1 ORDER BY r.user_name",
             d.id, sizeof *out->reviewers, read_reviewer, &v, &out->nreviewers, a, err) != 0)
        return err->code;
    out->reviewers = v;
    return 0;
}
