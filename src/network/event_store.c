/* src/network/event_store.c: events and registrations in the store
 * (event.h). Each writing call is one transaction. */
#include "network/event.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

/* Bind parameters by fmt, one letter each: 't' (const char *), 'i'
 * (int64_t), 'n' (int64_t, NULL if negative). */
static void bind(struct store_stmt *s, const char *fmt, va_list ap)
{
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 't') {
            const char *v = va_arg(ap, const char *);
            store_bind_text(s, i + 1, v, strlen(v));
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (fmt[i] == 'n' && v < 0)
                store_bind_null(s, i + 1);
            else
                store_bind_int(s, i + 1, v);
        }
    }
}

/* Run sql once; 0 or an error. */
static int exec(struct store *st, const char *sql, struct kn_error *err, const char *fmt,
                ...)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    va_list ap;
    va_start(ap, fmt);
    bind(s, fmt, ap);
    va_end(ap);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Run a query giving one integer; *v = 0 if it gives no row. */
static int query_int(struct store *st, const char *sql, int64_t *v, struct kn_error *err,
                     const char *fmt, ...)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    va_list ap;
    va_start(ap, fmt);
    bind(s, fmt, ap);
    va_end(ap);
    int rc = store_step(s, err);
    *v = rc == STORE_ROW && !store_col_is_null(s, 0) ? store_col_int(s, 0) : 0;
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

static const char *col(struct store_stmt *s, int i, struct arena *a)
{
    size_t len = 0;
    const char *t = store_col_text(s, i, &len);
    return arena_strndup(a, t ? t : "", t ? len : 0);
}

int ev_add(struct store *st, struct ev_event *e, struct arena *a, struct kn_error *err)
{
    unsigned char rnd[16];
    char hex[33];
    if (sodium_init() < 0)
        return kn_fail(err, KN_ENOMEM, "libsodium cannot start");
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    char *uid = arena_printf(a, "%s@knod", hex);
    if (!uid)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    e->stamp = (int64_t)time(NULL);
    int rc = exec(
        st,
        "INSERT INTO net_event (uid, kind, title, organiser, starts, ends, mode, "
        "place, url, theme, series, description, capacity, recording, status, "
        "stamp, owner) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
        "$13, $14, $15, $16, $17)",
        err, "ttttiittttttnitit", uid, e->kind, e->title, e->organiser, (int64_t)e->starts,
        (int64_t)e->ends, e->mode, e->place ? e->place : "", e->url ? e->url : "",
        e->theme, e->series ? e->series : "", e->description ? e->description : "",
        (int64_t)e->capacity, (int64_t)e->recording, e->status, e->stamp,
        e->owner ? e->owner : "");
    if (rc != 0)
        return rc;
    e->sequence = 0;
    e->id = store_last_insert_id(st);
    e->uid = uid;
    return 0;
}

#define EVENT_COLUMNS                                                                    \
    "e.id, e.uid, e.kind, e.title, e.organiser, e.starts, e.ends, e.mode, e.place, "     \
    "e.url, "                                                                            \
    "e.theme, e.series, e.description, e.capacity, e.recording, e.status, e.stamp, "     \
    "(SELECT count(*) FROM net_registration r WHERE r.event_id = e.id AND "              \
    "r.state = 'registered'), (SELECT count(*) FROM net_registration r WHERE "           \
    "r.event_id = e.id AND r.state = 'waiting'), e.sequence, e.owner"

static void read_event(struct store_stmt *s, struct ev_event *e, struct arena *a)
{
    e->id = store_col_int(s, 0);
    e->uid = col(s, 1, a);
    e->kind = col(s, 2, a);
    e->title = col(s, 3, a);
    e->organiser = col(s, 4, a);
    e->starts = store_col_int(s, 5);
    e->ends = store_col_int(s, 6);
    e->mode = col(s, 7, a);
    e->place = col(s, 8, a);
    e->url = col(s, 9, a);
    e->theme = col(s, 10, a);
    e->series = col(s, 11, a);
    e->description = col(s, 12, a);
    e->capacity = store_col_is_null(s, 13) ? EV_NO_CAPACITY : (int)store_col_int(s, 13);
    e->recording = store_col_int(s, 14) != 0;
    e->status = col(s, 15, a);
    e->stamp = store_col_int(s, 16);
    e->registered = (int)store_col_int(s, 17);
    e->waiting = (int)store_col_int(s, 18);
    e->sequence = (int)store_col_int(s, 19);
    e->owner = col(s, 20, a);
}

/* Move n registrations of event id from state `from` to `to`: the
 * earliest (first) or the latest registered. */
static int move(struct store *st, int64_t id, const char *from, const char *to, int64_t n,
                bool first, struct kn_error *err)
{
    if (n <= 0)
        return 0;
    /* SQLite numbers $N parameters in the order they appear: keep them in order */
    return exec(st,
                first ? "UPDATE net_registration SET state = $1 WHERE id IN (SELECT id "
                        "FROM net_registration WHERE event_id = $2 AND state = $3 ORDER "
                        "BY id LIMIT $4)"
                      : "UPDATE net_registration SET state = $1 WHERE id IN (SELECT id "
                        "FROM net_registration WHERE event_id = $2 AND state = $3 ORDER "
                        "BY id DESC LIMIT $4)",
                err, "titi", to, id, from, n);
}

int ev_update_in(struct store *st, const struct ev_event *e, int *up, int *down,
                 struct kn_error *err)
{
    int64_t found = 0, seats = 0, waiting = 0;
    int rc = query_int(st, "SELECT count(*) FROM net_event WHERE id = $1", &found, err, "i",
                       e->id);
    if (rc == 0 && !found)
        rc = kn_fail(err, KN_ENOTFOUND, "no event %lld", (long long)e->id);
    if (rc == 0)
        rc = exec(st,
                  "UPDATE net_event SET kind = $1, title = $2, organiser = $3, starts = $4, "
                  "ends = $5, mode = $6, place = $7, url = $8, theme = $9, series = $10, "
                  "description = $11, capacity = $12, recording = $13, status = $14, "
                  "stamp = $15, sequence = sequence + 1 WHERE id = $16",
                  err, "tttiittttttnitii", e->kind, e->title, e->organiser,
                  (int64_t)e->starts, (int64_t)e->ends, e->mode, e->place ? e->place : "",
                  e->url ? e->url : "", e->theme, e->series ? e->series : "",
                  e->description ? e->description : "", (int64_t)e->capacity,
                  (int64_t)e->recording, e->status, (int64_t)time(NULL), e->id);
    if (rc == 0)
        rc = query_int(st,
                       "SELECT count(*) FROM net_registration WHERE event_id = $1 AND "
                       "state = 'registered'",
                       &seats, err, "i", e->id);
    if (rc == 0)
        rc = query_int(st,
                       "SELECT count(*) FROM net_registration WHERE event_id = $1 AND "
                       "state = 'waiting'",
                       &waiting, err, "i", e->id);
    int64_t n_up = 0, n_down = 0;
    if (e->capacity == EV_NO_CAPACITY)
        n_up = waiting;
    else if (seats > e->capacity)
        n_down = seats - e->capacity;
    else
        n_up = e->capacity - seats < waiting ? e->capacity - seats : waiting;
    if (rc == 0)
        rc = move(st, e->id, "registered", "waiting", n_down, false, err);
    if (rc == 0)
        rc = move(st, e->id, "waiting", "registered", n_up, true, err);
    if (up)
        *up = rc == 0 ? (int)n_up : 0;
    if (down)
        *down = rc == 0 ? (int)n_down : 0;
    return rc;
}

int ev_update(struct store *st, const struct ev_event *e, int *up, int *down,
              struct kn_error *err)
{
    int rc = store_begin(st, err);
    if (rc != 0)
        return rc;
    rc = ev_update_in(st, e, up, down, err);
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

int ev_list(struct store *st, kn_day from, struct ev_event **out, size_t *n,
            struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    *out = NULL;
    *n = 0;
    if (store_prepare(st,
                      "SELECT " EVENT_COLUMNS " FROM net_event e WHERE e.ends > $1 "
                      "ORDER BY e.starts, e.id",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, from == EV_FROM_ALL ? INT64_MIN : time_from_day(from));
    size_t cap = 0;
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &*out, *n, &cap, sizeof **out) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        read_event(s, &(*out)[(*n)++], a);
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int ev_get(struct store *st, int64_t id, struct ev_event *out, struct arena *a,
           struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT " EVENT_COLUMNS " FROM net_event e WHERE e.id = $1", &s,
                      err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        read_event(s, out, a);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no event %lld", (long long)id);
    }
    store_finalize(s);
    return rc;
}

/* email in lower case (the address is compared without case). */
static void lower(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

int ev_register_in(struct store *st, int64_t id, const struct ev_participant *p,
                       const char *email, enum ev_place *place, int *position,
                       struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    struct ev_event e;
    int rc = ev_get(st, id, &e, &a, err);
    int64_t live = 0;
    if (rc == 0 && strcmp(e.status, "cancelled") == 0)
        rc = kn_fail(err, KN_EINPUT, "event %lld is cancelled", (long long)id);
    if (rc == 0)
        rc = query_int(st,
                       "SELECT count(*) FROM net_registration WHERE event_id = $1 AND "
                       "email = $2 AND state <> 'cancelled'",
                       &live, err, "it", id, email);
    if (rc == 0 && live)
        rc = kn_fail(err, KN_EEXIST, "--email: already registered for event %lld",
                     (long long)id);
    if (rc == 0) {
        bool seat = e.capacity == EV_NO_CAPACITY || e.registered < e.capacity;
        *place = seat ? EV_SEAT : EV_WAITING;
        *position = seat ? 0 : e.waiting + 1;
        rc = exec(st,
                  "INSERT INTO net_registration (event_id, name, email, organisation, "
                  "region, state, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  err, "ittttti", id, p->name, email,
                  p->organisation ? p->organisation : "", p->region ? p->region : "",
                  seat ? "registered" : "waiting", (int64_t)time(NULL));
    }
    arena_release(&a);
    return rc;
}

int ev_register(struct store *st, int64_t id, const struct ev_participant *p,
                enum ev_place *place, int *position, struct kn_error *err)
{
    char email[256];
    lower(email, p->email, sizeof email);
    int rc = store_begin(st, err);
    if (rc != 0)
        return rc;
    rc = ev_register_in(st, id, p, email, place, position, err);
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}

static int cancel_tx(struct store *st, int64_t id, const char *email,
                     const char **moved_up, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    int64_t reg_id = 0;
    bool had_seat = false;
    if (store_prepare(st,
                      "SELECT id, state FROM net_registration WHERE event_id = $1 AND "
                      "email = $2 AND state <> 'cancelled'",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    store_bind_text(s, 2, email, strlen(email));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        reg_id = store_col_int(s, 0);
        had_seat = strcmp(store_col_text(s, 1, NULL), "registered") == 0;
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND,
                     "--email: no registration for event %lld with "
                     "this address",
                     (long long)id);
    }
    store_finalize(s);
    if (rc == 0)
        rc = exec(st, "UPDATE net_registration SET state = 'cancelled' WHERE id = $1",
                  err, "i", reg_id);
    int64_t first = 0;
    if (rc == 0 && had_seat)
        rc = query_int(st,
                       "SELECT min(id) FROM net_registration WHERE event_id = $1 AND "
                       "state = 'waiting'",
                       &first, err, "i", id);
    if (rc == 0 && first) {
        rc = exec(st, "UPDATE net_registration SET state = 'registered' WHERE id = $1",
                  err, "i", first);
        if (rc == 0 &&
            store_prepare(st, "SELECT email FROM net_registration WHERE id = $1", &s,
                          err) == 0) {
            store_bind_int(s, 1, first);
            rc = store_step(s, err);
            if (rc == STORE_ROW) {
                *moved_up = col(s, 0, a);
                rc = 0;
            }
            store_finalize(s);
        } else if (rc == 0) {
            rc = err->code;
        }
    }
    return rc;
}

int ev_cancel(struct store *st, int64_t id, const char *email, const char **moved_up,
              struct arena *a, struct kn_error *err)
{
    char low[256];
    lower(low, email, sizeof low);
    *moved_up = NULL;
    int rc = store_begin(st, err);
    if (rc != 0)
        return rc;
    rc = cancel_tx(st, id, low, moved_up, a, err);
    if (rc == 0)
        return store_commit(st, err);
    store_rollback(st);
    *moved_up = NULL;
    return rc;
}

int ev_registrations(struct store *st, int64_t id, struct ev_registration **out,
                     size_t *n, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    *out = NULL;
    *n = 0;
    int64_t count = 0;
    int rc = query_int(st,
                       "SELECT count(*) FROM net_registration WHERE event_id = $1 AND "
                       "state <> 'cancelled'",
                       &count, err, "i", id);
    if (rc != 0)
        return rc;
    *out = arena_calloc(a, count ? (size_t)count : 1, sizeof **out);
    if (!*out)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (store_prepare(
            st,
            "SELECT name, email, organisation, region, state FROM net_registration "
            "WHERE event_id = $1 AND state <> 'cancelled' ORDER BY "
            "CASE state WHEN 'registered' THEN 0 ELSE 1 END, id",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    while ((rc = store_step(s, err)) == STORE_ROW && *n < (size_t)count) {
        struct ev_registration *r = &(*out)[(*n)++];
        r->name = col(s, 0, a);
        r->email = col(s, 1, a);
        r->organisation = col(s, 2, a);
        r->region = col(s, 3, a);
        r->state = col(s, 4, a);
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}
