/* src/network/training.c: trainings and participant counts
 * (training.h). */
#include "network/training.h"

#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "network/net_text.h"

const char *const TRAINING_KINDS[] = {"attitude-course", "web-training", "film", "dbt",
                                      "conference",      "other",        NULL};
const char *const TRAINING_FORMATS[] = {"on-site", "digital", "hybrid", "self-paced",
                                        NULL};
const char *const TRAINING_TARGETS[] = {
    "care", "social-services", "school-health", "police", "youth-clinic",
    "bris", "municipality",    "other",         NULL};
const char *const TRAINING_PROFESSIONS[] = {
    "psychiatrist",    "physician",     "psychologist",   "nurse",
    "assistant-nurse", "social-worker", "counsellor",     "occupational-therapist",
    "teacher",         "school-nurse",  "police-officer", "manager",
    "peer-expert",     "student",       "other",          NULL};

#define PARTICIPANTS_MAX 1000000

static int training_check(const struct training *t, struct kn_error *err)
{
    if (net_enum_check("--kind", t->kind, TRAINING_KINDS, err) != 0 ||
        net_text_check("--title", t->title, NET_TEXT_MAX, true, false, err) != 0 ||
        net_enum_check("--mode", t->format, TRAINING_FORMATS, err) != 0 ||
        net_list_check("--targets", t->target_groups, TRAINING_TARGETS, true, err) != 0 ||
        net_text_check("--organiser", t->organiser, NET_TEXT_MAX, true, false, err) != 0)
        return err->code;
    if (t->ends < t->starts)
        return kn_fail(err, KN_EINPUT, "--end: before --start");
    return 0;
}

/* Bind t's fields as $1..$7 of an INSERT or UPDATE. */
static void bind_training(struct store_stmt *s, const struct training *t)
{
    store_bind_text(s, 1, t->kind, strlen(t->kind));
    store_bind_text(s, 2, t->title, strlen(t->title));
    store_bind_int(s, 3, t->starts);
    store_bind_int(s, 4, t->ends);
    store_bind_text(s, 5, t->format, strlen(t->format));
    store_bind_text(s, 6, t->target_groups, strlen(t->target_groups));
    store_bind_text(s, 7, t->organiser, strlen(t->organiser));
}

int training_add(struct store *st, const struct training *t, int64_t *id,
                 struct kn_error *err)
{
    if (training_check(t, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO net_training (kind, title, starts, ends, format, "
                      "target_groups, organiser) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                      &s, err) != 0)
        return err->code;
    bind_training(s, t);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *id = store_last_insert_id(st);
    return 0;
}

int training_get(struct store *st, int64_t id, struct training *t, struct arena *a,
                 struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(
            st,
            "SELECT kind, title, format, target_groups, organiser, starts, ends "
            "FROM net_training WHERE id = $1",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        const char **f[] = {&t->kind, &t->title, &t->format, &t->target_groups,
                            &t->organiser};
        for (int i = 0; i < 5; i++) {
            const char *v = store_col_text(s, i, NULL);
            *f[i] = arena_strdup(a, v ? v : "");
            if (!*f[i])
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
        }
        t->starts = (kn_day)store_col_int(s, 5);
        t->ends = (kn_day)store_col_int(s, 6);
    }
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no training %lld (see knod training list)",
                       (long long)id);
    return rc < 0 ? rc : 0;
}

int training_update(struct store *st, int64_t id, const struct training *t,
                    struct arena *a, struct kn_error *err)
{
    struct training m;
    if (training_get(st, id, &m, a, err) != 0)
        return err->code;
    if (t->kind)
        m.kind = t->kind;
    if (t->title)
        m.title = t->title;
    if (t->format)
        m.format = t->format;
    if (t->target_groups)
        m.target_groups = t->target_groups;
    if (t->organiser)
        m.organiser = t->organiser;
    if (t->starts != TRAINING_DAY_UNSET)
        m.starts = t->starts;
    if (t->ends != TRAINING_DAY_UNSET)
        m.ends = t->ends;
    if (training_check(&m, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(
            st,
            "UPDATE net_training SET kind = $1, title = $2, starts = $3, ends = "
            "$4, format = $5, target_groups = $6, organiser = $7 WHERE id = $8",
            &s, err) != 0)
        return err->code;
    bind_training(s, &m);
    store_bind_int(s, 8, id);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

enum { C_REGION, C_ORG, C_PROF, C_COUNT, NCOLS };
static const char *const col_names[NCOLS] = {"region", "organisation", "profession",
                                             "participants"};

/* Check one data record and insert it with ins. */
static int load_row(struct store *st, struct store_stmt *ins,
                    const struct csv_record *rec, const int *at, int64_t id,
                    const struct training_scope *scope, int64_t *count,
                    struct kn_error *err)
{
    const char *v[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        if ((size_t)at[c] >= rec->n)
            return kn_fail(err, KN_EINPUT, "%s: missing (the row is short)",
                           col_names[c]);
        v[c] = rec->f[at[c]].s;
    }
    long n;
    if (net_region_check(st, "region", v[C_REGION], err) != 0 ||
        net_text_check("organisation", v[C_ORG], NET_TEXT_MAX, true, false, err) != 0 ||
        net_enum_check("profession", v[C_PROF], TRAINING_PROFESSIONS, err) != 0 ||
        net_int_parse("participants", v[C_COUNT], 1, PARTICIPANTS_MAX, &n, err) != 0)
        return err->code;
    if (scope && !scope->has(scope->ctx, v[C_REGION]))
        return kn_fail(err, KN_EINPUT, "region: %s is outside your scope", v[C_REGION]);
    store_reset(ins);
    store_bind_int(ins, 1, id);
    for (int c = 0; c < 3; c++)
        store_bind_text(ins, c + 2, v[c], strlen(v[c]));
    store_bind_int(ins, 5, n);
    int rc = store_step(ins, err);
    if (rc == KN_EINPUT)
        return kn_fail(err, KN_EINPUT,
                       "the region, organisation and profession of an earlier row again");
    if (rc < 0)
        return rc;
    *count = n;
    return 0;
}

/* Remove the participants of training id, or with scope those of the
 * regions in it only. */
static int clear(struct store *st, int64_t id, const struct training_scope *scope,
                 struct kn_error *err)
{
    struct store_stmt *s;
    if (!scope) {
        if (store_prepare(st,
                          "DELETE FROM net_training_participants WHERE training_id = $1",
                          &s, err) != 0)
            return err->code;
        store_bind_int(s, 1, id);
        int rc = store_step(s, err);
        store_finalize(s);
        return rc < 0 ? rc : 0;
    }
    static const struct net_col cols[] = {{"region", NET_TEXT}};
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    const char *p[] = {ids};
    int rc = net_rows_query(st,
                            "SELECT DISTINCT region_code FROM net_training_participants "
                            "WHERE training_id = $1",
                            p, 1, cols, 1, &t, &a, err);
    for (size_t i = 0; rc == 0 && i < t.nrows; i++) {
        const char *r = net_cell(&t, i, 0);
        if (!scope->has(scope->ctx, r))
            continue;
        if ((rc = store_prepare(
                 st,
                 "DELETE FROM net_training_participants WHERE training_id = "
                 "$1 AND region_code = $2",
                 &s, err)) != 0)
            break;
        store_bind_int(s, 1, id);
        store_bind_text(s, 2, r, strlen(r));
        rc = store_step(s, err);
        store_finalize(s);
        rc = rc < 0 ? rc : 0;
    }
    arena_release(&a);
    return rc;
}

static int load_locked(struct store *st, int64_t id, struct csv_reader *r,
                       const char *name, const struct training_scope *scope, int *rows,
                       int64_t *total, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT 1 FROM net_training WHERE id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no training %lld", (long long)id);
    if (rc < 0)
        return rc;
    struct csv_record rec;
    rc = csv_next(r, &rec, err);
    if (rc <= 0)
        return rc < 0
                   ? rc
                   : kn_fail(err, KN_EINPUT, "%s: empty (a header row is needed)", name);
    int at[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        at[c] = csv_find(&rec, col_names[c]);
        if (at[c] < 0)
            return kn_fail(err, KN_EINPUT, "%s:%zu: the header lacks column '%s'", name,
                           rec.line, col_names[c]);
    }
    if (rec.n != NCOLS)
        return kn_fail(err, KN_EINPUT,
                       "%s:%zu: the header has %zu columns; region, organisation, "
                       "profession and participants only",
                       name, rec.line, rec.n);
    if ((rc = clear(st, id, scope, err)) != 0)
        return rc;
    if (store_prepare(
            st,
            "INSERT INTO net_training_participants (training_id, region_code, "
            "organisation, profession, participants) VALUES ($1, $2, $3, $4, $5)",
            &s, err) != 0)
        return err->code;
    *rows = 0;
    *total = 0;
    while ((rc = csv_next(r, &rec, err)) == 1) {
        int64_t n = 0;
        if (rec.n > NCOLS) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: %zu columns, the header has %d", name,
                         rec.line, rec.n, NCOLS);
            break;
        }
        if ((rc = load_row(st, s, &rec, at, id, scope, &n, err)) != 0) {
            kn_error_prefix(err, "%s:%zu: ", name, rec.line);
            break;
        }
        (*rows)++;
        *total += n;
    }
    store_finalize(s);
    return rc;
}

int training_participants_load_in(struct store *st, int64_t id, int fd, const char *name,
                                  const struct training_scope *scope, int *rows,
                                  int64_t *total, struct kn_error *err)
{
    struct csv_reader *r;
    if (csv_open_fd(&r, fd, name, NULL, err) != 0)
        return err->code;
    int rc = load_locked(st, id, r, name, scope, rows, total, err);
    csv_free(r);
    return rc;
}

int training_participants_load(struct store *st, int64_t id, int fd, const char *name,
                               int *rows, int64_t *total, struct kn_error *err)
{
    struct csv_reader *r;
    if (csv_open_fd(&r, fd, name, NULL, err) != 0)
        return err->code;
    int rc = store_begin(st, err);
    if (rc == 0) {
        rc = load_locked(st, id, r, name, NULL, rows, total, err);
        if (rc < 0)
            store_rollback(st);
        else
            rc = store_commit(st, err);
    }
    csv_free(r);
    return rc;
}

static void day_params(kn_day from, kn_day to, char f[16], char t[16])
{
    snprintf(f, 16, "%d", (int)from);
    snprintf(t, 16, "%d", (int)to);
}

int training_list(struct store *st, kn_day from, kn_day to, struct net_rows *out,
                  struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"id", NET_INT},
        {"kind", NET_TEXT},
        {"title", NET_TEXT},
        {"starts", NET_DAY},
        {"ends", NET_DAY},
        {"mode", NET_TEXT},
        {"target_groups", NET_TEXT},
        {"organiser", NET_TEXT},
        {"participants", NET_INT},
    };
    char f[16], t[16];
    day_params(from, to, f, t);
    const char *p[] = {f, t};
    return net_rows_query(
        st,
        "SELECT t.id, t.kind, t.title, t.starts, t.ends, t.format, "
        "t.target_groups, t.organiser, (SELECT coalesce(sum(participants), "
        "0) FROM net_training_participants WHERE training_id = t.id) FROM "
        "net_training t WHERE t.starts >= $1 AND t.starts <= $2 ORDER BY "
        "t.starts, t.id",
        p, 2, cols, 9, out, a, err);
}

int training_stats(struct store *st, kn_day from, kn_day to, const char *by,
                   struct net_rows *out, struct arena *a, struct kn_error *err)
{
    static const char *const bys[] = {"region", "profession", "organisation", "kind",
                                      NULL};
    static const char *const keys[] = {"p.region_code", "p.profession", "p.organisation",
                                       "t.kind"};
    static const struct net_col cols[] = {
        {"key", NET_TEXT}, {"trainings", NET_INT}, {"participants", NET_INT}};
    if (net_enum_check("--by", by, bys, err) != 0)
        return err->code;
    size_t k = 0;
    while (strcmp(bys[k], by) != 0)
        k++;
    char sql[512], f[16], t[16];
    /* the key is one of four fixed column names, never input */
    snprintf(
        sql, sizeof sql,
        "SELECT %s, count(DISTINCT t.id), sum(p.participants) FROM net_training t JOIN "
        "net_training_participants p ON p.training_id = t.id WHERE t.starts >= $1 AND "
        "t.starts <= $2 GROUP BY %s ORDER BY %s",
        keys[k], keys[k], keys[k]);
    day_params(from, to, f, t);
    const char *p[] = {f, t};
    int rc = net_rows_query(st, sql, p, 2, cols, 3, out, a, err);
    if (rc == 0)
        rc = net_rows_query(
            st,
            "SELECT 'total', count(DISTINCT t.id), coalesce(sum(p.participants), "
            "0) FROM net_training t JOIN net_training_participants p ON "
            "p.training_id = t.id WHERE t.starts >= $1 AND t.starts <= $2",
            p, 2, cols, 3, out, a, err);
    return rc;
}
