/* src/survey/survey.c: surveys in the store: versions, sending, closing,
 * lists and the export (survey.h). Answers are in survey_answer.c. */
#include "survey/survey.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/pnr_shape.h"
#include "network/net_text.h"
#include "survey/survey_impl.h"

static int step_once(struct store_stmt *s, struct kn_error *err)
{
    int rc = store_step(s, err);
    store_finalize(s);
    return rc;
}

static int create_locked(struct store *st, const struct survey_def *d, const char *json,
                         size_t len, kn_day today, int64_t *id, int *version,
                         bool *replaced, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT id, version, sent_on IS NOT NULL FROM net_survey WHERE code "
                      "= $1 ORDER BY version DESC LIMIT 1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, d->code, strlen(d->code));
    int rc = store_step(s, err);
    int64_t last_id = 0;
    int last_version = 0;
    bool last_sent = false;
    if (rc == STORE_ROW) {
        last_id = store_col_int(s, 0);
        last_version = (int)store_col_int(s, 1);
        last_sent = store_col_int(s, 2) != 0;
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    *replaced = last_id != 0 && !last_sent;
    if (*replaced) {
        if (store_prepare(st,
                          "UPDATE net_survey SET title = $1, anonymous = $2, definition = "
                          "$3, created_on = $4 WHERE id = $5",
                          &s, err) != 0)
            return err->code;
        store_bind_int(s, 5, last_id);
        *id = last_id;
        *version = last_version;
    } else {
        if (store_prepare(st,
                          "INSERT INTO net_survey (title, anonymous, definition, "
                          "created_on, code, version) VALUES ($1, $2, $3, $4, $5, $6)",
                          &s, err) != 0)
            return err->code;
        store_bind_text(s, 5, d->code, strlen(d->code));
        store_bind_int(s, 6, last_version + 1);
        *version = last_version + 1;
    }
    store_bind_text(s, 1, d->title.sv, strlen(d->title.sv));
    store_bind_int(s, 2, d->anonymous);
    store_bind_text(s, 3, json, len);
    store_bind_int(s, 4, today);
    rc = step_once(s, err);
    if (rc < 0)
        return rc;
    if (!*replaced)
        *id = store_last_insert_id(st);
    return 0;
}

int survey_create(struct store *st, const char *json, size_t len, const char *name,
                  kn_day today, int64_t *id, int *version, bool *replaced,
                  struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    struct survey_def d;
    int rc = survey_def_parse(json, len, name, &d, &a, err);
    if (rc == 0)
        rc = store_begin(st, err);
    if (rc == 0) {
        rc = create_locked(st, &d, json, len, today, id, version, replaced, err);
        if (rc < 0)
            store_rollback(st);
        else
            rc = store_commit(st, err);
    }
    arena_release(&a);
    return rc;
}

int survey_get(struct store *st, int64_t id, struct survey_info *out, struct arena *a,
               struct kn_error *err)
{
    struct store_stmt *s;
    memset(out, 0, sizeof *out);
    if (store_prepare(st,
                      "SELECT code, version, anonymous, created_on, coalesce(sent_on, 0), "
                      "coalesce(closed_on, 0), coalesce(pre_id, 0), definition, "
                      "(SELECT coalesce(sum(invitations), 0) FROM net_survey_sending WHERE "
                      "survey_id = s.id), (SELECT count(*) FROM net_survey_response WHERE "
                      "survey_id = s.id) FROM net_survey s WHERE id = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        size_t len;
        const char *json = store_col_text(s, 7, &len);
        char name[32];
        snprintf(name, sizeof name, "survey %lld", (long long)id);
        out->id = id;
        out->code = arena_strdup(a, store_col_text(s, 0, NULL));
        out->version = (int)store_col_int(s, 1);
        out->anonymous = store_col_int(s, 2) != 0;
        out->created_on = (kn_day)store_col_int(s, 3);
        out->sent_on = (kn_day)store_col_int(s, 4);
        out->closed_on = (kn_day)store_col_int(s, 5);
        out->pre_id = store_col_int(s, 6);
        out->invitations = store_col_int(s, 8);
        out->responses = store_col_int(s, 9);
        rc = out->code ? survey_def_parse_draft(json, len, name, &out->def, a, err)
                       : kn_fail(err, KN_ENOMEM, "out of memory");
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no survey %lld", (long long)id);
    }
    store_finalize(s);
    return rc;
}

int survey_token_hash(const char *token, char hex[65])
{
    size_t len = strlen(token);
    if (len != SURVEY_TOKEN_CHARS)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = token[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return -1;
    }
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return 0;
}

/* The count of invitations a target gets by default, and the check of it. */
static int check_target(struct store *st, const char *kind, const char *target,
                        long *count, struct kn_error *err)
{
    static const char *const kinds[] = {"unit", "region", "training", NULL};
    if (net_enum_check("--to", kind, kinds, err) != 0)
        return err->code;
    if (net_text_check("--to", target, NET_LONG_MAX, true, false, err) != 0)
        return err->code;
    struct store_stmt *s;
    int rc = 0;
    if (strcmp(kind, "region") == 0) {
        rc = net_region_check(st, "--to region", target, err);
    } else if (strcmp(kind, "unit") == 0) {
        if (store_prepare(st, "SELECT 1 FROM care_unit WHERE code = $1", &s, err) != 0)
            return err->code;
        const char *p;
        size_t n;
        for (const char *at = target; rc == 0 && text_list_next(&at, &p, &n);) {
            store_reset(s);
            store_bind_text(s, 1, p, n);
            rc = store_step(s, err);
            if (rc == STORE_DONE)
                rc = kn_fail(err, KN_EINPUT, "--to unit: '%.*s' is not a unit (knod unit)",
                             (int)(n > 40 ? 40 : n), p);
            else if (rc == STORE_ROW)
                rc = 0;
        }
        store_finalize(s);
    } else {
        char *end;
        long long t = strtoll(target, &end, 10);
        if (*end || t < 1)
            return kn_fail(err, KN_EINPUT, "--to training: a training's number");
        if (store_prepare(st,
                          "SELECT (SELECT coalesce(sum(participants), 0) FROM "
                          "net_training_participants WHERE training_id = t.id) FROM "
                          "net_training t WHERE t.id = $1",
                          &s, err) != 0)
            return err->code;
        store_bind_int(s, 1, t);
        rc = store_step(s, err);
        long participants = rc == STORE_ROW ? (long)store_col_int(s, 0) : 0;
        store_finalize(s);
        if (rc == STORE_DONE)
            return kn_fail(err, KN_EINPUT, "--to training: no training %lld", t);
        if (rc < 0)
            return rc;
        rc = 0;
        if (*count == 0 && participants == 0)
            return kn_fail(err, KN_EINPUT,
                           "--count: training %lld has no participants recorded; give "
                           "--count",
                           t);
        if (*count == 0)
            *count = participants;
    }
    if (rc < 0)
        return rc;
    if (*count < 1 || *count > SURVEY_INVITATIONS_MAX)
        return kn_fail(err, KN_EINPUT, "--count: from 1 to %d invitations",
                       SURVEY_INVITATIONS_MAX);
    return 0;
}

static int send_locked(struct store *st, int64_t id, const char *kind, const char *target,
                       long count, kn_day today, char **tokens, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT closed_on IS NOT NULL FROM net_survey WHERE id = $1", &s,
                      err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    bool closed = rc == STORE_ROW && store_col_int(s, 0) != 0;
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no survey %lld", (long long)id);
    if (rc < 0)
        return rc;
    if (closed)
        return kn_fail(err, KN_EINPUT, "survey %lld is closed", (long long)id);
    if (store_prepare(st,
                      "INSERT INTO net_survey_sending (survey_id, target_kind, target, "
                      "invitations, sent_on) VALUES ($1, $2, $3, $4, $5)",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    store_bind_text(s, 2, kind, strlen(kind));
    store_bind_text(s, 3, target, strlen(target));
    store_bind_int(s, 4, count);
    store_bind_int(s, 5, today);
    if ((rc = step_once(s, err)) < 0)
        return rc;
    if (store_prepare(st,
                      "UPDATE net_survey SET sent_on = coalesce(sent_on, $1) WHERE id = $2",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, today);
    store_bind_int(s, 2, id);
    if ((rc = step_once(s, err)) < 0)
        return rc;
    if (store_prepare(st, "INSERT INTO net_survey_token (hash, survey_id) VALUES ($1, $2)",
                      &s, err) != 0)
        return err->code;
    for (long i = 0; i < count && rc >= 0; i++) {
        unsigned char raw[24];
        char hex[65];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(tokens[i], SURVEY_TOKEN_CHARS + 1, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        sodium_memzero(raw, sizeof raw);
        survey_token_hash(tokens[i], hex);
        store_reset(s);
        store_bind_text(s, 1, hex, 64);
        store_bind_int(s, 2, id);
        rc = store_step(s, err);
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int survey_send_in(struct store *st, int64_t id, const char *target_kind,
                   const char *target, long count, kn_day today, char ***tokens, size_t *n,
                   struct arena *a, struct kn_error *err)
{
    *tokens = NULL;
    *n = 0;
    if (check_target(st, target_kind, target, &count, err) != 0)
        return err->code;
    struct survey_info si;
    int rc = survey_get(st, id, &si, a, err);
    if (rc != 0)
        return rc;
    if (si.def.nq == 0)
        return kn_fail(err, KN_EINPUT, "survey %lld has no questions yet", (long long)id);
    char **t = arena_calloc(a, (size_t)count, sizeof *t);
    if (!t)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (long i = 0; i < count; i++)
        if (!(t[i] = arena_alloc(a, SURVEY_TOKEN_CHARS + 1)))
            return kn_fail(err, KN_ENOMEM, "out of memory");
    rc = send_locked(st, id, target_kind, target, count, today, t, err);
    if (rc < 0)
        return rc;
    *tokens = t;
    *n = (size_t)count;
    return 0;
}

int survey_send(struct store *st, int64_t id, const char *target_kind, const char *target,
                long count, kn_day today, char ***tokens, size_t *n, struct arena *a,
                struct kn_error *err)
{
    char **t;
    size_t nt;
    *tokens = NULL;
    *n = 0;
    int rc = store_begin(st, err);
    if (rc != 0)
        return rc;
    rc = survey_send_in(st, id, target_kind, target, count, today, &t, &nt, a, err);
    if (rc != 0) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_commit(st, err)) != 0)
        return rc;
    *tokens = t;
    *n = nt;
    return 0;
}

int survey_close(struct store *st, int64_t id, kn_day today, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT sent_on IS NOT NULL, closed_on IS NOT NULL FROM net_survey "
                      "WHERE id = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    bool sent = rc == STORE_ROW && store_col_int(s, 0) != 0;
    bool closed = rc == STORE_ROW && store_col_int(s, 1) != 0;
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no survey %lld", (long long)id);
    if (rc < 0)
        return rc;
    if (closed)
        return kn_fail(err, KN_EINPUT, "survey %lld is closed already", (long long)id);
    if (!sent)
        return kn_fail(err, KN_EINPUT, "survey %lld was never sent", (long long)id);
    if (store_prepare(st, "UPDATE net_survey SET closed_on = $1 WHERE id = $2", &s, err) !=
        0)
        return err->code;
    store_bind_int(s, 1, today);
    store_bind_int(s, 2, id);
    rc = step_once(s, err);
    return rc < 0 ? rc : 0;
}

int survey_link(struct store *st, int64_t post, int64_t pre, struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    struct survey_info pi, qi;
    int rc = 0;
    if (post == pre)
        rc = kn_fail(err, KN_EINPUT, "--pre: a survey cannot come before itself");
    if (rc == 0)
        rc = survey_get(st, pre, &pi, &a, err);
    if (rc == 0)
        rc = survey_get(st, post, &qi, &a, err);
    if (rc == 0) {
        struct store_stmt *s;
        if (store_prepare(st, "UPDATE net_survey SET pre_id = $1 WHERE id = $2", &s, err) !=
            0) {
            rc = err->code;
        } else {
            store_bind_int(s, 1, pre);
            store_bind_int(s, 2, post);
            rc = step_once(s, err);
            rc = rc < 0 ? rc : 0;
        }
    }
    arena_release(&a);
    return rc;
}

int survey_list(struct store *st, struct net_rows *out, struct arena *a,
                struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"id", NET_INT},          {"code", NET_TEXT},       {"version", NET_INT},
        {"title", NET_TEXT},      {"anonymous", NET_INT},   {"created_on", NET_DAY},
        {"sent_on", NET_DAY},     {"closed_on", NET_DAY},   {"invitations", NET_INT},
        {"responses", NET_INT},   {"pre_id", NET_INT},
    };
    return net_rows_query(
        st,
        "SELECT id, code, version, title, anonymous, created_on, sent_on, closed_on, "
        "(SELECT coalesce(sum(invitations), 0) FROM net_survey_sending WHERE survey_id = "
        "s.id), (SELECT count(*) FROM net_survey_response WHERE survey_id = s.id), pre_id "
        "FROM net_survey s ORDER BY id",
        NULL, 0, cols, sizeof cols / sizeof cols[0], out, a, err);
}

/* Append value to the cell (joined by ';'). */
static const char *joined(const char *cell, const char *v, struct arena *a)
{
    return cell ? arena_printf(a, "%s;%s", cell, v) : arena_strdup(a, v);
}

int survey_export(struct store *st, int64_t id, struct net_rows *out, struct arena *a,
                  struct kn_error *err)
{
    struct survey_info si;
    if (survey_get(st, id, &si, a, err) != 0)
        return err->code;
    size_t nc = 3 + si.def.nq;
    struct net_col *cols = arena_calloc(a, nc, sizeof *cols);
    const char **cells = arena_calloc(a, nc, sizeof *cells);
    if (!cols || !cells)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    cols[0] = (struct net_col){"response", NET_INT};
    cols[1] = (struct net_col){"answered_on", NET_DAY};
    cols[2] = (struct net_col){"via", NET_TEXT};
    for (size_t q = 0; q < si.def.nq; q++)
        cols[3 + q] = (struct net_col){si.def.q[q].id, NET_TEXT};
    memset(out, 0, sizeof *out);
    out->cols = cols;
    out->ncols = nc;
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT r.id, r.answered_on, r.via, a.question, a.value FROM "
                      "net_survey_response r LEFT JOIN net_survey_answer a ON "
                      "a.response_id = r.id WHERE r.survey_id = $1 ORDER BY r.id, "
                      "a.question, a.value",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc;
    int64_t cur = 0;
    long seq = 0;
    bool have = false;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        int64_t rid = store_col_int(s, 0);
        if (!have || rid != cur) {
            if (have && (rc = net_rows_add(out, cells, a, err)) != 0)
                break;
            memset(cells, 0, nc * sizeof *cells);
            char day[11];
            date_format((kn_day)store_col_int(s, 1), day);
            cells[0] = arena_printf(a, "%ld", ++seq);
            cells[1] = arena_strdup(a, day);
            cells[2] = arena_strdup(a, store_col_text(s, 2, NULL));
            cur = rid;
            have = true;
        }
        if (store_col_is_null(s, 3))
            continue;
        const char *qid = store_col_text(s, 3, NULL);
        for (size_t q = 0; q < si.def.nq; q++)
            if (strcmp(si.def.q[q].id, qid) == 0) {
                size_t len;
                const char *v = store_col_text(s, 4, &len);
                char *m = arena_strndup(a, v, len);
                if (!m)
                    break;
                pnr_mask(m, len);
                cells[3 + q] = joined(cells[3 + q], m, a);
            }
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (have && net_rows_add(out, cells, a, err) != 0)
        return err->code;
    return 0;
}
