/* src/survey/survey_answer.c: answers by token and paper answers from a
 * CSV file (survey.h). Each answer is one transaction: the response, its
 * values and the token's use are written together or not at all. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "domain/pnr_shape.h"
#include "survey/survey.h"
#include "survey/survey_impl.h"

/* Store one response of survey sid with the pairs p[0..n) (checked);
 * *rid gets its random key. */
static int insert_response(struct store *st, int64_t sid, kn_day today, const char *via,
                           const struct survey_pair *p, size_t n, int64_t *rid,
                           struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO net_survey_response (id, survey_id, answered_on, via) "
                      "VALUES ($1, $2, $3, $4)",
                      &s, err) != 0)
        return err->code;
    int rc = KN_EINPUT;
    /* a random key: a clash (one in 2^62 per pair) takes another */
    for (int attempt = 0; attempt < 4 && rc == KN_EINPUT; attempt++) {
        uint64_t r;
        do {
            randombytes_buf(&r, sizeof r);
            r &= (uint64_t)INT64_MAX;
        } while (r == 0);
        *rid = (int64_t)r;
        store_reset(s);
        store_bind_int(s, 1, *rid);
        store_bind_int(s, 2, sid);
        store_bind_int(s, 3, today);
        store_bind_text(s, 4, via, strlen(via));
        rc = store_step(s, err);
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (store_prepare(st,
                      "INSERT INTO net_survey_answer (response_id, question, value) VALUES "
                      "($1, $2, $3)",
                      &s, err) != 0)
        return err->code;
    rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        if (!*p[i].value)
            continue;
        store_reset(s);
        store_bind_int(s, 1, *rid);
        store_bind_text(s, 2, p[i].question, strlen(p[i].question));
        store_bind_text(s, 3, p[i].value, strlen(p[i].value));
        rc = store_step(s, err);
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

struct token_row {
    int64_t survey_id, response_id;
    bool used, anonymous, closed;
};

static int token_lookup(struct store *st, const char *token, struct token_row *t,
                        char hex[65], struct kn_error *err)
{
    memset(t, 0, sizeof *t);
    if (survey_token_hash(token, hex) != 0)
        return STORE_DONE;
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT t.survey_id, t.used, coalesce(t.response_id, 0), s.anonymous, "
                      "s.closed_on IS NOT NULL FROM net_survey_token t JOIN net_survey s "
                      "ON s.id = t.survey_id WHERE t.hash = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, hex, 64);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        t->survey_id = store_col_int(s, 0);
        t->used = store_col_int(s, 1) != 0;
        t->response_id = store_col_int(s, 2);
        t->anonymous = store_col_int(s, 3) != 0;
        t->closed = store_col_int(s, 4) != 0;
    }
    store_finalize(s);
    return rc;
}

static enum survey_token_state state_of(int rc, const struct token_row *t)
{
    if (rc != STORE_ROW)
        return SURVEY_TOKEN_UNKNOWN;
    if (t->closed)
        return SURVEY_TOKEN_CLOSED;
    if (!t->used)
        return SURVEY_TOKEN_OPEN;
    return t->anonymous ? SURVEY_TOKEN_USED : SURVEY_TOKEN_REPLACE;
}

int survey_token_state(struct store *st, const char *token, enum survey_token_state *state,
                       int64_t *survey_id, struct kn_error *err)
{
    struct token_row t;
    char hex[65];
    int rc = token_lookup(st, token, &t, hex, err);
    if (rc < 0)
        return rc;
    *state = state_of(rc, &t);
    *survey_id = t.survey_id;
    return 0;
}

static int answer_locked(struct store *st, const char *token, const struct survey_pair *p,
                         size_t n, kn_day today, enum survey_fault *faults,
                         struct arena *a, struct kn_error *err)
{
    struct token_row t;
    char hex[65];
    int rc = token_lookup(st, token, &t, hex, err);
    if (rc < 0)
        return rc;
    switch (state_of(rc, &t)) {
    case SURVEY_TOKEN_UNKNOWN:
        return kn_fail(err, KN_ENOTFOUND, "no such invitation");
    case SURVEY_TOKEN_CLOSED:
        return kn_fail(err, KN_EEXIST, "the survey is closed");
    case SURVEY_TOKEN_USED:
        return kn_fail(err, KN_EEXIST, "this invitation has been answered already");
    case SURVEY_TOKEN_OPEN:
    case SURVEY_TOKEN_REPLACE:
        break;
    }
    struct survey_info si;
    if (survey_get(st, t.survey_id, &si, a, err) != 0 ||
        survey_answers_check(&si.def, p, n, faults, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (t.response_id != 0) { /* not anonymous: the new answer replaces the old */
        if (store_prepare(st,
                          "UPDATE net_survey_token SET response_id = NULL WHERE hash = $1",
                          &s, err) != 0)
            return err->code;
        store_bind_text(s, 1, hex, 64);
        rc = store_step(s, err);
        store_finalize(s);
        if (rc < 0)
            return rc;
        if (store_prepare(st, "DELETE FROM net_survey_response WHERE id = $1", &s, err) != 0)
            return err->code;
        store_bind_int(s, 1, t.response_id);
        rc = store_step(s, err);
        store_finalize(s);
        if (rc < 0)
            return rc;
    }
    int64_t rid;
    if ((rc = insert_response(st, t.survey_id, today, "portal", p, n, &rid, err)) != 0)
        return rc;
    if (store_prepare(st,
                      "UPDATE net_survey_token SET used = 1, response_id = $1 WHERE hash = "
                      "$2",
                      &s, err) != 0)
        return err->code;
    if (t.anonymous)
        store_bind_null(s, 1);
    else
        store_bind_int(s, 1, rid);
    store_bind_text(s, 2, hex, 64);
    rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int survey_answer_token(struct store *st, const char *token, const struct survey_pair *p,
                        size_t n, kn_day today, enum survey_fault *faults,
                        struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    int rc = store_begin(st, err);
    if (rc == 0) {
        rc = answer_locked(st, token, p, n, today, faults, &a, err);
        if (rc < 0)
            store_rollback(st);
        else
            rc = store_commit(st, err);
    }
    arena_release(&a);
    return rc;
}

int survey_token_answers(struct store *st, const char *token, struct survey_pair **p,
                         size_t *n, struct arena *a, struct kn_error *err)
{
    struct token_row t;
    char hex[65];
    size_t cap = 0;
    *p = NULL;
    *n = 0;
    int rc = token_lookup(st, token, &t, hex, err);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW || t.anonymous || t.response_id == 0)
        return 0;
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT question, value FROM net_survey_answer WHERE response_id = $1 "
                      "ORDER BY question, value",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, t.response_id);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, p, *n, &cap, sizeof **p) != 0 ||
            !((*p)[*n].question = arena_strdup(a, store_col_text(s, 0, NULL))) ||
            !((*p)[*n].value = arena_strdup(a, store_col_text(s, 1, NULL)))) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        (*n)++;
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

/* The pairs of one CSV row: a multiple choice cell splits at ';'. */
static int row_pairs(const struct survey_def *d, const struct survey_question **cols,
                     const struct csv_record *rec, struct survey_pair **out, size_t *n,
                     struct arena *a, struct kn_error *err)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    (void)d;
    for (size_t c = 0; c < rec->n; c++) {
        const struct survey_question *q = cols[c];
        const char *v = rec->f[c].s;
        if (!*v)
            continue;
        for (;;) {
            size_t len = q->kind == SURVEY_MULTIPLE ? strcspn(v, ";") : strlen(v);
            size_t b = 0, e = len;
            if (q->kind != SURVEY_TEXT) {
                while (b < e && v[b] == ' ')
                    b++;
                while (e > b && v[e - 1] == ' ')
                    e--;
            }
            if (arena_grow(a, out, *n, &cap, sizeof **out) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            (*out)[*n].question = q->id;
            (*out)[*n].value = arena_strndup(a, v + b, e - b);
            if (!(*out)[*n].value)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            (*n)++;
            if (v[len] != ';')
                break;
            v += len + 1;
        }
    }
    return 0;
}

static int import_locked(struct store *st, int64_t id, struct csv_reader *r,
                         const char *name, kn_day today, int *rows, struct arena *a,
                         struct kn_error *err)
{
    struct survey_info si;
    if (survey_get(st, id, &si, a, err) != 0)
        return err->code;
    if (si.closed_on)
        return kn_fail(err, KN_EINPUT, "survey %lld is closed", (long long)id);
    struct csv_record rec;
    int rc = csv_next(r, &rec, err);
    if (rc <= 0)
        return rc < 0 ? rc
                      : kn_fail(err, KN_EINPUT, "%s: empty (a header row of question ids "
                                                "is needed)",
                                name);
    const struct survey_question **cols = arena_calloc(a, rec.n, sizeof *cols);
    if (!cols)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t c = 0; c < rec.n; c++) {
        char shown[64];
        cols[c] = survey_def_question(&si.def, rec.f[c].s);
        pnr_mask_copy(rec.f[c].s, rec.f[c].len, shown, sizeof shown);
        if (!cols[c])
            return kn_fail(err, KN_EINPUT, "%s:%zu: '%s' is not a question of survey %lld",
                           name, rec.line, shown, (long long)id);
        for (size_t k = 0; k < c; k++)
            if (cols[k] == cols[c])
                return kn_fail(err, KN_EINPUT, "%s:%zu: column '%s' twice", name,
                               rec.line, shown);
    }
    size_t ncols = rec.n;
    struct store_stmt *s;
    if (store_prepare(st, "UPDATE net_survey SET sent_on = coalesce(sent_on, $1) WHERE id = $2",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, today);
    store_bind_int(s, 2, id);
    rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *rows = 0;
    while ((rc = csv_next(r, &rec, err)) == 1) {
        struct arena_mark m = arena_mark(a);
        struct survey_pair *p;
        size_t n;
        int64_t rid;
        if (rec.n != ncols) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: %zu columns, the header has %zu", name,
                         rec.line, rec.n, ncols);
            break;
        }
        if ((rc = row_pairs(&si.def, cols, &rec, &p, &n, a, err)) != 0)
            break;
        if (n == 0) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: no answers in the row", name, rec.line);
            break;
        }
        if ((rc = survey_answers_check(&si.def, p, n, NULL, err)) != 0 ||
            (rc = insert_response(st, id, today, "paper", p, n, &rid, err)) != 0) {
            kn_error_prefix(err, "%s:%zu: ", name, rec.line);
            break;
        }
        (*rows)++;
        arena_reset(a, m);
    }
    return rc;
}

int survey_answer_import(struct store *st, int64_t id, int fd, const char *name,
                         kn_day today, int *rows, struct kn_error *err)
{
    struct csv_reader *r;
    if (csv_open_fd(&r, fd, name, NULL, err) != 0)
        return err->code;
    struct arena a;
    arena_init(&a);
    int rc = store_begin(st, err);
    if (rc == 0) {
        rc = import_locked(st, id, r, name, today, rows, &a, err);
        if (rc < 0)
            store_rollback(st);
        else
            rc = store_commit(st, err);
    }
    arena_release(&a);
    csv_free(r);
    return rc;
}
