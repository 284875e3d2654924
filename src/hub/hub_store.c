/* src/hub/hub_store.c: documents, versions and the workflow in the store
 * (hub.h). */
#include "hub/hub.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hub/hub_ref_store.h"
#include "hub/hub_search.h"
#include "hub/hub_sql.h"
#include "hub/hub_yearly.h"


int hub_exec(struct store *st, const char *sql, struct kn_error *err, const char *fmt,
                ...)
{
    struct store_stmt *s;
    va_list ap;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    va_start(ap, fmt);
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 't') {
            const char *v = va_arg(ap, const char *);
            if (v)
                store_bind_text(s, i + 1, v, strlen(v));
            else
                store_bind_null(s, i + 1);
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (fmt[i] == 'z' && v == 0)
                store_bind_null(s, i + 1);
            else
                store_bind_int(s, i + 1, v);
        }
    }
    va_end(ap);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

struct current {
    int64_t doc_id, version_id;
    int version;
    enum hub_state state;
    const char *title, *summary, *audience, *topics, *language, *owner, *body;
    const char *indicators, *steps, *practices;
};

const char *hub_col(struct store_stmt *s, int i, struct arena *a)
{
    size_t len = 0;
    if (store_col_is_null(s, i)) /* store_col_text gives "" for NULL */
        return NULL;
    const char *t = store_col_text(s, i, &len);
    return arena_strndup(a, t, len);
}

/* The document slug and its current version; KN_ENOTFOUND if none. */
static int load_current(struct store *st, const char *slug, struct current *c,
                        struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(
            st,
            "SELECT d.id, v.id, v.version, d.state, v.title, v.summary, v.audience, "
            "v.topics, v.language, d.owner, v.body, v.indicators, v.steps, v.practices FROM "
            "hub_document d "
            "JOIN hub_version v ON v.document_id = d.id AND v.version = "
            "d.current_version WHERE d.slug = $1",
            &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        c->doc_id = store_col_int(s, 0);
        c->version_id = store_col_int(s, 1);
        c->version = (int)store_col_int(s, 2);
        c->state = (enum hub_state)hub_state_parse(hub_col(s, 3, a));
        c->title = hub_col(s, 4, a);
        c->summary = hub_col(s, 5, a);
        c->audience = hub_col(s, 6, a);
        c->topics = hub_col(s, 7, a);
        c->language = hub_col(s, 8, a);
        c->owner = hub_col(s, 9, a);
        c->body = hub_col(s, 10, a);
        c->indicators = hub_col(s, 11, a);
        c->steps = hub_col(s, 12, a);
        c->practices = hub_col(s, 13, a);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no document '%s'", slug);
    }
    store_finalize(s);
    return rc;
}

/* A link list of a hub_doc made without one (NULL) is none. */
#define OR_NONE(s) ((s) ? (s) : "")

static bool same_text(const struct current *c, const struct hub_doc *d)
{
    return strcmp(c->title, d->title) == 0 && strcmp(c->summary, d->summary) == 0 &&
           strcmp(c->audience, d->audience) == 0 && strcmp(c->topics, d->topics) == 0 &&
           strcmp(c->language, d->language) == 0 && strcmp(c->owner, d->owner) == 0 &&
           strcmp(c->body, d->body) == 0 && strcmp(c->indicators, OR_NONE(d->indicators)) == 0 &&
           strcmp(c->steps, OR_NONE(d->steps)) == 0 &&
           strcmp(c->practices, OR_NONE(d->practices)) == 0;
}

static int insert_version(struct store *st, int64_t doc_id, int version,
                          const struct hub_doc *d, kn_day published, kn_time now,
                          int64_t *id, struct kn_error *err)
{
    int rc = hub_exec(
        st,
        "INSERT INTO hub_version (document_id, version, title, summary, language, "
        "audience, topics, body, published, created, indicators, steps, practices) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        err, "iittttttzittt", doc_id, (int64_t)version, d->title, d->summary, d->language,
        d->audience, d->topics, d->body, (int64_t)published, (int64_t)now,
        OR_NONE(d->indicators), OR_NONE(d->steps), OR_NONE(d->practices));
    *id = store_last_insert_id(st);
    return rc;
}

static int event(struct store *st, int64_t doc_id, kn_time now, const char *actor,
                 const char *from, const char *to, const char *decision, const char *note,
                 struct kn_error *err)
{
    return hub_exec(
        st,
        "INSERT INTO hub_event (document_id, at, actor, from_state, to_state, decision, "
        "note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        err, "iittttt", doc_id, (int64_t)now, actor, from, to, decision ? decision : "",
        note ? note : "");
}

/* The safe-messaging gate before a document is published (hub.h). */
static int lint_gate(const struct hub_lint_rules *rules, const char *slug,
                     const struct hub_lint_text *t, struct arena *a, struct kn_error *err)
{
    struct hub_lint_rules shipped;
    struct hub_lint_finding *f;
    size_t n;
    if (!hub_lint_public(t->audience))
        return 0;
    if (!rules) {
        if (hub_lint_rules_shipped(&shipped, a, err) != 0)
            return err->code;
        rules = &shipped;
    }
    if (hub_lint(rules, t, &f, &n, a, err) != 0)
        return err->code;
    if (n == 0)
        return 0;
    const char *first = hub_lint_describe(&f[0], a);
    char more[48] = "";
    if (n > 1)
        snprintf(more, sizeof more, " (and %zu more)", n - 1);
    return kn_fail(err, KN_EINPUT,
                   "'%s' cannot be published: it breaks the safe-messaging rules: %s%s; "
                   "see knod docs lint %s",
                   slug, first ? first : "?", more, slug);
}

static int import_tx(struct store *st, const struct hub_doc *d, const char *actor,
                     kn_time now, const struct hub_lint_rules *rules,
                     enum hub_outcome *outcome, struct arena *a, struct kn_error *err)
{
    const struct hub_lint_text lt = {d->title, d->summary, d->body, d->audience,
                                     d->language, d->body_line};
    if (d->published && lint_gate(rules, d->slug, &lt, a, err) != 0)
        return err->code;
    struct current c;
    int64_t vid;
    char day[11];
    int rc = load_current(st, d->slug, &c, a, err);
    if (rc == KN_ENOTFOUND) {
        kn_error_clear(err);
        const char *state = d->published ? "published" : "draft";
        rc = hub_exec(
            st,
            "INSERT INTO hub_document (slug, state, owner, current_version, review_due, "
            "created) VALUES ($1, $2, $3, 1, $4, $5)",
            err, "tttzi", d->slug, state, d->owner,
            (int64_t)(d->published ? d->decided + HUB_REVIEW_DAYS : 0), (int64_t)now);
        int64_t doc = store_last_insert_id(st);
        if (rc == 0)
            rc = insert_version(st, doc, 1, d, d->published ? d->decided : 0, now, &vid,
                                err);
        date_format(d->decided, day);
        if (rc == 0)
            rc = event(st, doc, now, actor, NULL, state, d->published ? day : "",
                       d->published ? "imported as already decided and published"
                                    : "imported",
                       err);
        if (rc == 0 && d->published)
            rc = hub_search_index(st, vid, d->title, d->summary, d->body, d->language,
                                  err);
        *outcome = HUB_CREATED;
        return rc;
    }
    if (rc)
        return rc;
    if (same_text(&c, d)) {
        *outcome = HUB_UNCHANGED;
        return 0;
    }
    if (hub_flow_editable(c.state) && !d->published) {
        *outcome = HUB_UPDATED;
        rc = hub_exec(
            st,
            "UPDATE hub_version SET title = $1, summary = $2, language = $3, audience = "
            "$4, topics = $5, body = $6, indicators = $7, steps = $8, practices = $9 "
            "WHERE id = $10",
            err, "ttttttttti", d->title, d->summary, d->language, d->audience, d->topics,
            d->body, OR_NONE(d->indicators), OR_NONE(d->steps), OR_NONE(d->practices),
            c.version_id);
        if (rc == 0)
            rc = hub_exec(st, "UPDATE hub_document SET owner = $1 WHERE id = $2", err, "ti",
                      d->owner, c.doc_id);
        return rc;
    }
    if (c.state == HUB_PUBLISHED && d->published) {
        /* Material decided again elsewhere: a new published version. */
        *outcome = HUB_NEW_VERSION;
        rc = insert_version(st, c.doc_id, c.version + 1, d, d->decided, now, &vid, err);
        if (rc == 0)
            rc = hub_exec(st,
                      "UPDATE hub_document SET current_version = $1, owner = $2, "
                      "review_due = $3 "
                      "WHERE id = $4",
                      err, "itii", (int64_t)(c.version + 1), d->owner,
                      (int64_t)(d->decided + HUB_REVIEW_DAYS), c.doc_id);
        if (rc == 0)
            rc = hub_search_index(st, c.version_id, "", "", NULL, c.language, err);
        if (rc == 0)
            rc = hub_search_index(st, vid, d->title, d->summary, d->body, d->language,
                                  err);
        date_format(d->decided, day);
        if (rc == 0)
            rc = event(st, c.doc_id, now, actor, "published", "published", day,
                       "a new version imported as already decided", err);
        return rc;
    }
    if (c.state == HUB_PUBLISHED)
        return kn_fail(err, KN_EINPUT,
                       "'%s' is published and its text cannot change; move it "
                       "to revision first (knod docs move %s revision --note ...)",
                       d->slug, d->slug);
    return kn_fail(err, KN_EINPUT, "'%s' is in %s and its text cannot change until %s",
                   d->slug, hub_state_name(c.state),
                   c.state == HUB_ARCHIVED ? "never: it is archived"
                                           : "it is in revision");
}

static int import(struct store *st, const struct hub_doc *d, const char *actor, kn_time now,
                  const struct hub_lint_rules *rules, enum hub_outcome *outcome, bool own,
                  struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    int rc = own ? store_begin(st, err) : 0;
    if (rc == 0)
        rc = import_tx(st, d, actor, now, rules, outcome, &a, err);
    if (rc == 0)
        rc = hub_ref_link_version(st, d->slug, d->references ? d->references : "",
                                  *outcome != HUB_UNCHANGED, err);
    if (own && rc == 0)
        rc = store_commit(st, err);
    else if (own)
        store_rollback(st);
    arena_release(&a);
    if (rc)
        kn_error_prefix(err, "%s: ", d->slug);
    return rc;
}

int hub_import(struct store *st, const struct hub_doc *d, const char *actor, kn_time now,
               const struct hub_lint_rules *rules, enum hub_outcome *outcome,
               struct kn_error *err)
{
    return import(st, d, actor, now, rules, outcome, true, err);
}

int hub_import_in(struct store *st, const struct hub_doc *d, const char *actor, kn_time now,
                  const struct hub_lint_rules *rules, enum hub_outcome *outcome,
                  struct kn_error *err)
{
    return import(st, d, actor, now, rules, outcome, false, err);
}

static int move_tx(struct store *st, const char *slug, enum hub_state to,
                   const char *decision, const char *note, const char *actor, kn_time now,
                   const struct hub_lint_rules *rules, enum hub_state *from, struct arena *a,
                   struct kn_error *err)
{
    struct current c;
    int rc = load_current(st, slug, &c, a, err);
    if (rc)
        return rc;
    *from = c.state;
    if (hub_flow_check(c.state, to, decision, note, err) != 0)
        return kn_error_prefix(err, "'%s': ", slug);
    /* The history is kept for ever: it never names a person. */
    if ((decision && hub_pnr_shaped(decision)) || (note && hub_pnr_shaped(note)))
        return kn_fail(err, KN_EINPUT,
                       "'%s': the %s holds a personnummer-shaped number (not shown); "
                       "knowledge support never names a person",
                       slug, decision && hub_pnr_shaped(decision) ? "decision" : "note");
    if (to == HUB_PUBLISHED) {
        const struct hub_lint_text lt = {c.title, c.summary, c.body, c.audience, c.language, 1};
        if (lint_gate(rules, slug, &lt, a, err) != 0)
            return err->code;
    }
    rc = hub_exec(st, "UPDATE hub_document SET state = $1 WHERE id = $2", err, "ti",
              hub_state_name(to), c.doc_id);
    kn_day today = time_to_day(now);
    if (rc == 0 && to == HUB_PUBLISHED) {
        rc = hub_exec(st, "UPDATE hub_version SET published = $1 WHERE id = $2", err, "ii",
                  (int64_t)today, c.version_id);
        if (rc == 0)
            rc = hub_exec(st, "UPDATE hub_document SET review_due = $1 WHERE id = $2", err,
                      "ii", (int64_t)(today + HUB_REVIEW_DAYS), c.doc_id);
        if (rc == 0)
            rc = hub_search_index(st, c.version_id, c.title, c.summary, c.body,
                                  c.language, err);
    }
    if (rc == 0 && c.state == HUB_PUBLISHED && to == HUB_REVISION) {
        /* The published version stays; the revision is a new one. */
        struct hub_doc d = {
            .title = c.title,
            .summary = c.summary,
            .audience = c.audience,
            .topics = c.topics,
            .language = c.language,
            .owner = c.owner,
            .body = c.body,
            .indicators = c.indicators,
            .steps = c.steps,
            .practices = c.practices,
        };
        int64_t vid;
        rc = insert_version(st, c.doc_id, c.version + 1, &d, 0, now, &vid, err);
        if (rc == 0) /* the revision starts with the published version's references */
            rc = hub_exec(st,
                          "INSERT INTO hub_version_reference (version_id, reference_id) "
                          "SELECT $1, reference_id FROM hub_version_reference WHERE "
                          "version_id = $2",
                          err, "ii", vid, c.version_id);
        if (rc == 0)
            rc = hub_exec(st, "UPDATE hub_document SET current_version = $1 WHERE id = $2",
                      err, "ii", (int64_t)(c.version + 1), c.doc_id);
    }
    if (rc == 0 && to == HUB_ARCHIVED) {
        /* Out of search: every version of the document. */
        rc = hub_exec(
            st,
            "DELETE FROM hub_search_stem WHERE version_id IN (SELECT id FROM hub_version "
            "WHERE document_id = $1)",
            err, "i", c.doc_id);
        if (rc == 0)
            rc = hub_exec(st,
                      "DELETE FROM hub_search_tri WHERE version_id IN (SELECT id FROM "
                      "hub_version WHERE document_id = $1)",
                      err, "i", c.doc_id);
    }
    if (rc == 0)
        rc = event(st, c.doc_id, now, actor, hub_state_name(c.state), hub_state_name(to),
                   decision, note, err);
    return rc;
}

int hub_move_in(struct store *st, const char *slug, enum hub_state to, const char *decision,
                const char *note, const char *actor, kn_time now,
                const struct hub_lint_rules *rules, enum hub_state *from,
                struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    int rc = move_tx(st, slug, to, decision, note, actor, now, rules, from, &a, err);
    arena_release(&a);
    return rc;
}

int hub_move(struct store *st, const char *slug, enum hub_state to, const char *decision,
             const char *note, const char *actor, kn_time now,
             const struct hub_lint_rules *rules, struct kn_error *err)
{
    enum hub_state from;
    int rc = store_begin(st, err);
    if (rc == 0)
        rc = hub_move_in(st, slug, to, decision, note, actor, now, rules, &from, err);
    if (rc == 0)
        rc = store_commit(st, err);
    else
        store_rollback(st);
    return rc;
}

const char hub_version_cols[] =
    "SELECT d.slug, d.state, d.owner, v.version, d.current_version, v.title, v.summary, "
    "v.language, v.audience, v.topics, v.body, v.published, d.review_due, v.indicators, "
    "v.steps, v.practices "
    "FROM hub_document d JOIN hub_version v ON v.document_id = d.id ";

void hub_version_read(struct store_stmt *s, struct hub_version *v, struct arena *a)
{
    v->slug = hub_col(s, 0, a);
    v->state = hub_col(s, 1, a);
    v->owner = hub_col(s, 2, a);
    v->version = (int)store_col_int(s, 3);
    v->current_version = (int)store_col_int(s, 4);
    v->title = hub_col(s, 5, a);
    v->summary = hub_col(s, 6, a);
    v->language = hub_col(s, 7, a);
    v->audience = hub_col(s, 8, a);
    v->topics = hub_col(s, 9, a);
    v->body = hub_col(s, 10, a);
    v->published = store_col_is_null(s, 11) ? 0 : (kn_day)store_col_int(s, 11);
    v->review_due = store_col_is_null(s, 12) ? 0 : (kn_day)store_col_int(s, 12);
    v->indicators = hub_col(s, 13, a);
    v->steps = hub_col(s, 14, a);
    v->practices = hub_col(s, 15, a);
}

int hub_versions_read(struct store_stmt *s, struct hub_version **out, size_t *n,
                      struct arena *a, struct kn_error *err)
{
    size_t cap = 16, count = 0;
    struct hub_version *v = arena_calloc(a, cap, sizeof *v);
    int rc = v ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    while (rc == 0 && (rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &v, count, &cap, sizeof *v) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        hub_version_read(s, &v[count++], a);
        rc = 0;
    }
    store_finalize(s);
    *out = v;
    *n = count;
    return rc < 0 ? rc : 0;
}

int hub_list(struct store *st, const char *state, struct hub_version **out, size_t *n,
             struct arena *a, struct kn_error *err)
{
    char sql[512];
    struct store_stmt *s;
    snprintf(sql, sizeof sql,
             "%sWHERE v.version = d.current_version AND ($1 IS NULL OR "
             "d.state = $1) ORDER BY d.slug",
             hub_version_cols);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    if (state)
        store_bind_text(s, 1, state, strlen(state));
    else
        store_bind_null(s, 1);
    return hub_versions_read(s, out, n, a, err);
}

int hub_get(struct store *st, const char *slug, int version, struct hub_version *out,
            struct arena *a, struct kn_error *err)
{
    char sql[512];
    struct store_stmt *s;
    snprintf(sql, sizeof sql,
             "%sWHERE d.slug = $1 AND v.version = CASE WHEN $2 = 0 THEN "
             "d.current_version ELSE $2 END",
             hub_version_cols);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    store_bind_int(s, 2, version);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        hub_version_read(s, out, a);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = version ? kn_fail(err, KN_ENOTFOUND, "'%s' has no version %d", slug, version)
                     : kn_fail(err, KN_ENOTFOUND, "no document '%s'", slug);
    }
    store_finalize(s);
    return rc;
}

int hub_history(struct store *st, const char *slug, struct hub_event **out, size_t *n,
                struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 16, count = 0;
    struct hub_event *e = arena_calloc(a, cap, sizeof *e);
    if (!e)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (store_prepare(
            st,
            "SELECT e.at, e.actor, e.from_state, e.to_state, e.decision, e.note FROM "
            "hub_event e JOIN hub_document d ON d.id = e.document_id WHERE d.slug = $1 "
            "ORDER BY e.id",
            &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &e, count, &cap, sizeof *e) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct hub_event *x = &e[count++];
        x->at = store_col_int(s, 0);
        x->actor = hub_col(s, 1, a);
        x->from_state = hub_col(s, 2, a);
        if (!x->from_state) /* NULL: the document was created */
            x->from_state = "";
        x->to_state = hub_col(s, 3, a);
        x->decision = hub_col(s, 4, a);
        x->note = hub_col(s, 5, a);
    }
    store_finalize(s);
    if (rc >= 0 && count == 0) {
        struct hub_version v;
        rc = hub_get(st, slug, 0, &v, a, err);
    }
    *out = e;
    *n = count;
    return rc < 0 ? rc : 0;
}
