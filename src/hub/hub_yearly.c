/* src/hub/hub_yearly.c: the yearly review and the owners' links
 * (hub_yearly.h). Bound queries over hub_document, hub_version,
 * hub_event (migration 0004), hub_owner_user (0022) and access_user. */
#include "hub/hub_yearly.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"
#include "hub/hub_sql.h"

#define OWNER_MAX 200
#define NOTE_MAX  500

/* The rule of ownership as SQL: document d is owned by the user named $U. */
#define OWNS_SQL(U)                                                                      \
    "(d.owner = " U " OR d.owner IN (SELECT o.owner FROM hub_owner_user o JOIN "         \
    "access_user u ON u.id = o.user_id WHERE u.name = " U "))"

/* One line of free text: 1..max bytes (empty allowed if may_be_empty),
 * UTF-8, no line break, no personnummer-shaped number (never echoed). */
static int one_line(const char *s, const char *what, size_t max, bool may_be_empty,
                    struct kn_error *err)
{
    size_t len = strlen(s), bad;
    if (len == 0 && may_be_empty)
        return 0;
    if (len == 0 || strspn(s, " \t") == len)
        return kn_fail(err, KN_EINPUT, "%s is empty", what);
    if (len > max)
        return kn_fail(err, KN_EINPUT, "%s is longer than %zu bytes", what, max);
    if (!utf8_valid(s, len, &bad))
        return kn_fail(err, KN_EINPUT, "%s: not UTF-8 (at byte %zu)", what, bad + 1);
    if (strpbrk(s, "\r\n"))
        return kn_fail(err, KN_EINPUT, "%s: one line only", what);
    if (pnr_find_shaped(s, len, NULL, NULL))
        return kn_fail(err, KN_EINPUT,
                       "%s: holds a personnummer-shaped number (not shown); knowledge "
                       "support never names a person",
                       what);
    return 0;
}

/* The id of user name into *id; KN_ENOTFOUND naming it. */
static int user_id(struct store *st, const char *name, int64_t *id, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT id FROM access_user WHERE name = $1", &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, name, strlen(name));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *id = store_col_int(s, 0);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no user '%s'", name);
    }
    store_finalize(s);
    return rc;
}

/* Does the query (one row or none; $1 owner, $2 user id) give a row? */
static int exists(struct store *st, const char *sql, const char *owner, int64_t uid,
                  bool *found, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, owner, strlen(owner));
    store_bind_int(s, 2, uid);
    int rc = store_step(s, err);
    *found = rc == STORE_ROW;
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

static const char link_sql[] =
    "SELECT 1 FROM hub_owner_user WHERE owner = $1 AND user_id = $2";

int hub_owner_link(struct store *st, const char *owner, const char *user, const char *by,
                   kn_time now, struct kn_error *err)
{
    int64_t uid = 0;
    bool found = false;
    if (one_line(owner, "the owner", OWNER_MAX, false, err) != 0)
        return err->code;
    if (user_id(st, user, &uid, err) != 0 || exists(st, link_sql, owner, uid, &found, err) != 0)
        return err->code;
    if (found)
        return kn_fail(err, KN_EEXIST, "'%s' is already linked to user '%s'", owner, user);
    return hub_exec(st,
                    "INSERT INTO hub_owner_user (owner, user_id, linked, linked_by) VALUES "
                    "($1, $2, $3, $4)",
                    err, "tiit", owner, uid, (int64_t)now, by);
}

int hub_owner_unlink(struct store *st, const char *owner, const char *user,
                     struct kn_error *err)
{
    int64_t uid = 0;
    bool found = false;
    if (user_id(st, user, &uid, err) != 0 || exists(st, link_sql, owner, uid, &found, err) != 0)
        return err->code;
    if (!found)
        return kn_fail(err, KN_ENOTFOUND, "'%s' is not linked to user '%s'", owner, user);
    return hub_exec(st, "DELETE FROM hub_owner_user WHERE owner = $1 AND user_id = $2", err,
                    "ti", owner, uid);
}

int hub_owner_links(struct store *st, struct hub_owner_row **out, size_t *n,
                    struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 8, count = 0;
    struct hub_owner_row *r = arena_calloc(a, cap, sizeof *r);
    if (!r)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (store_prepare(st,
                      "SELECT o.owner, u.name, o.linked_by, o.linked, (SELECT count(*) FROM "
                      "hub_document d WHERE d.owner = o.owner AND d.state <> 'archived') "
                      "FROM hub_owner_user o JOIN access_user u ON u.id = o.user_id "
                      "ORDER BY o.owner, u.name",
                      &s, err) != 0)
        return err->code;
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &r, count, &cap, sizeof *r) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct hub_owner_row *x = &r[count++];
        x->owner = hub_col(s, 0, a);
        x->user = hub_col(s, 1, a);
        x->linked_by = hub_col(s, 2, a);
        x->linked = store_col_int(s, 3);
        x->documents = (int)store_col_int(s, 4);
    }
    store_finalize(s);
    *out = r;
    *n = count;
    return rc < 0 ? rc : 0;
}

int hub_yearly_owns(struct store *st, const char *slug, const char *user, bool *owns,
                    struct kn_error *err)
{
    struct store_stmt *s;
    /* SQLite numbers $N parameters in the order they first appear: $1 first. */
    if (store_prepare(st,
                      "SELECT EXISTS (SELECT 1 FROM hub_document d WHERE d.slug = $1), "
                      "EXISTS (SELECT 1 FROM hub_document d WHERE d.slug = $1 AND " OWNS_SQL(
                          "$2") ")",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    store_bind_text(s, 2, user, strlen(user));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *owns = store_col_int(s, 1) != 0;
        rc = store_col_int(s, 0) ? 0 : kn_fail(err, KN_ENOTFOUND, "no document '%s'", slug);
    }
    store_finalize(s);
    return rc;
}

int hub_yearly_due(struct store *st, kn_day until, const char *owner, const char *user,
                   struct hub_version **out, size_t *n, struct arena *a,
                   struct kn_error *err)
{
    char sql[1024];
    struct store_stmt *s;
    snprintf(sql, sizeof sql,
             "%sWHERE v.version = d.current_version AND d.state = 'published' AND "
             "d.review_due IS NOT NULL AND d.review_due <= $1 AND ($2 IS NULL OR d.owner "
             "= $2) AND ($3 IS NULL OR " OWNS_SQL("$3") ") ORDER BY d.review_due, d.slug",
             hub_version_cols);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, until);
    if (owner)
        store_bind_text(s, 2, owner, strlen(owner));
    else
        store_bind_null(s, 2);
    if (user)
        store_bind_text(s, 3, user, strlen(user));
    else
        store_bind_null(s, 3);
    return hub_versions_read(s, out, n, a, err);
}

int hub_yearly_reviewed_in(struct store *st, const char *slug, const char *note,
                           const char *actor, kn_time now, kn_day *due,
                           struct kn_error *err)
{
    struct store_stmt *s;
    if (one_line(note ? note : "", "the note", NOTE_MAX, true, err) != 0)
        return err->code;
    if (store_prepare(st, "SELECT id, state FROM hub_document WHERE slug = $1", &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    int64_t id = 0;
    int state = -1;
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        size_t len;
        const char *t = store_col_text(s, 1, &len);
        char name[16] = "";
        if (len < sizeof name)
            memcpy(name, t, len);
        id = store_col_int(s, 0);
        state = hub_state_parse(name);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no document '%s'", slug);
    }
    store_finalize(s);
    if (rc != 0)
        return rc;
    if (hub_flow_may((enum hub_state)state, HUB_ACT_YEARLY, err) != 0)
        return kn_error_prefix(err, "'%s': ", slug);
    *due = time_to_day(now) + HUB_REVIEW_DAYS;
    rc = hub_exec(st, "UPDATE hub_document SET review_due = $1 WHERE id = $2", err, "ii",
                  (int64_t)*due, id);
    char text[NOTE_MAX + 64];
    snprintf(text, sizeof text, "yearly review: no revision needed%s%s",
             note && *note ? "; " : "", note ? note : "");
    if (rc == 0)
        rc = hub_exec(st,
                      "INSERT INTO hub_event (document_id, at, actor, from_state, to_state, "
                      "decision, note) VALUES ($1, $2, $3, 'published', 'published', '', $4)",
                      err, "iitt", id, (int64_t)now, actor, text);
    return rc;
}
