/* src/survey/survey_report.c: results per question with suppression, and
 * the pre/post change (survey_report.h). A survey has at most 100
 * questions of at most 30 options: the counts come in two grouped queries
 * and the rule runs over small arrays. */
#include "survey/survey_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pnr_shape.h"

static bool small(long c, int min_count)
{
    return c >= 1 && c < min_count;
}

void survey_suppress(const long *c, size_t n, bool additive, int min_count, int *hidden)
{
    size_t nhidden = 0;
    for (size_t i = 0; i < n; i++) {
        hidden[i] = small(c[i], min_count) ? 1 : 0;
        nhidden += hidden[i] != 0;
    }
    if (!additive || nhidden != 1)
        return;
    size_t pick = n;
    for (size_t i = 0; i < n; i++) /* the smallest shown non-zero option */
        if (!hidden[i] && c[i] > 0 && (pick == n || c[i] < c[pick]))
            pick = i;
    for (size_t i = 0; i < n && pick == n; i++) /* else any shown option */
        if (!hidden[i])
            pick = i;
    if (pick < n)
        hidden[pick] = 2;
}

static int count_answers(struct store *st, struct survey_result *r, struct kn_error *err)
{
    const struct survey_def *d = &r->info.def;
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT a.question, count(DISTINCT a.response_id) FROM "
                      "net_survey_answer a JOIN net_survey_response r ON r.id = "
                      "a.response_id WHERE r.survey_id = $1 GROUP BY a.question",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, r->info.id);
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW)
        for (size_t k = 0; k < d->nq; k++)
            if (strcmp(d->q[k].id, store_col_text(s, 0, NULL)) == 0)
                r->q[k].respondents = (long)store_col_int(s, 1);
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (store_prepare(st,
                      "SELECT a.question, a.value, count(*) FROM net_survey_answer a JOIN "
                      "net_survey_response r ON r.id = a.response_id WHERE r.survey_id = "
                      "$1 GROUP BY a.question, a.value",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, r->info.id);
    while ((rc = store_step(s, err)) == STORE_ROW) {
        const struct survey_question *q =
            survey_def_question(d, store_col_text(s, 0, NULL));
        if (!q || q->kind == SURVEY_TEXT)
            continue;
        struct survey_res_question *rq = &r->q[q - d->q];
        const char *v = store_col_text(s, 1, NULL);
        for (size_t i = 0; i < q->noptions; i++)
            if (strcmp(q->options[i].value, v) == 0)
                rq->o[i].count = (long)store_col_int(s, 2);
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

static int read_texts(struct store *st, struct survey_result *r, struct survey_res_question *rq,
                      struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    if (store_prepare(st,
                      "SELECT a.value FROM net_survey_answer a JOIN net_survey_response r "
                      "ON r.id = a.response_id WHERE r.survey_id = $1 AND a.question = $2 "
                      "ORDER BY a.value",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, r->info.id);
    store_bind_text(s, 2, rq->q->id, strlen(rq->q->id));
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        size_t len;
        const char *v = store_col_text(s, 0, &len);
        char *m = arena_strndup(a, v, len);
        if (!m || arena_grow(a, &rq->texts, rq->ntexts, &cap, sizeof *rq->texts) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        pnr_mask(m, len);
        rq->texts[rq->ntexts++] = m;
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Apply the rule to question rq. */
static void suppress_question(struct survey_res_question *rq, int min_count)
{
    const struct survey_question *q = rq->q;
    if (rq->respondents < min_count) {
        rq->respondents = -1;
        for (size_t i = 0; rq->o && i < q->noptions; i++) {
            rq->o[i].count = -1;
            rq->o[i].reason = "count";
        }
        return;
    }
    if (!rq->o)
        return;
    long c[SURVEY_OPTIONS_MAX];
    int hidden[SURVEY_OPTIONS_MAX];
    long sum = 0;
    bool any = false;
    for (size_t i = 0; i < q->noptions; i++) {
        c[i] = rq->o[i].count;
        sum += c[i] * (q->kind == SURVEY_SCALE ? q->min + (long)i : 0);
    }
    survey_suppress(c, q->noptions, q->kind != SURVEY_MULTIPLE, min_count, hidden);
    for (size_t i = 0; i < q->noptions; i++) {
        rq->o[i].reason = hidden[i] == 1 ? "count" : hidden[i] == 2 ? "complementary" : "";
        if (hidden[i]) {
            rq->o[i].count = -1;
            any = true;
        }
    }
    if (q->kind == SURVEY_SCALE && !any && rq->respondents > 0) {
        rq->has_mean = true;
        rq->mean = (double)sum / (double)rq->respondents;
    }
}

int survey_result(struct store *st, int64_t id, int min_count, bool free_text,
                  struct survey_result *out, struct arena *a, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    if (survey_get(st, id, &out->info, a, err) != 0)
        return err->code;
    const struct survey_def *d = &out->info.def;
    out->min_count = min_count;
    out->q = arena_calloc(a, d->nq, sizeof *out->q);
    if (!out->q)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t k = 0; k < d->nq; k++) {
        out->q[k].q = &d->q[k];
        if (d->q[k].kind != SURVEY_TEXT &&
            !(out->q[k].o = arena_calloc(a, d->q[k].noptions, sizeof *out->q[k].o)))
            return kn_fail(err, KN_ENOMEM, "out of memory");
        for (size_t i = 0; out->q[k].o && i < d->q[k].noptions; i++)
            out->q[k].o[i].opt = &d->q[k].options[i];
    }
    int rc = count_answers(st, out, err);
    if (rc != 0)
        return rc;
    out->responses = (long)out->info.responses;
    bool all_hidden = small(out->responses, min_count);
    if (all_hidden)
        out->responses = -1;
    for (size_t k = 0; k < d->nq; k++) {
        struct survey_res_question *rq = &out->q[k];
        if (all_hidden)
            rq->respondents = 0; /* hidden below with the rest */
        suppress_question(rq, min_count);
        if (free_text && rq->q->kind == SURVEY_TEXT && rq->respondents >= 0 &&
            (rc = read_texts(st, out, rq, a, err)) != 0)
            return rc;
    }
    return 0;
}

static const char *num(struct arena *a, long v)
{
    return v < 0 ? NULL : arena_printf(a, "%ld", v);
}

static const char *real(struct arena *a, bool shown, double v)
{
    return shown ? arena_printf(a, "%.4f", v) : NULL;
}

int survey_result_rows(const struct survey_result *r, const char *lang,
                       struct net_rows *out, struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"question", NET_TEXT}, {"kind", NET_TEXT},        {"option", NET_TEXT},
        {"label", NET_TEXT},    {"count", NET_INT},        {"share", NET_REAL},
        {"respondents", NET_INT}, {"mean", NET_REAL},      {"status", NET_TEXT},
    };
    memset(out, 0, sizeof *out);
    out->cols = cols;
    out->ncols = sizeof cols / sizeof cols[0];
    const char *hidden_q =
        arena_printf(a, "hidden: fewer than %d answers", r->min_count);
    for (size_t k = 0; k < r->info.def.nq; k++) {
        const struct survey_res_question *rq = &r->q[k];
        const struct survey_question *q = rq->q;
        const char *kind = SURVEY_KINDS[q->kind];
        const char *resp = num(a, rq->respondents);
        const char *mean = real(a, rq->has_mean, rq->mean);
        if (q->kind == SURVEY_TEXT) {
            const char *c[] = {q->id, kind, NULL, survey_text_in(&q->text, lang), NULL, NULL,
                               resp, NULL, rq->respondents < 0 ? hidden_q : ""};
            if (net_rows_add(out, c, a, err) != 0)
                return err->code;
            for (size_t t = 0; t < rq->ntexts; t++) {
                const char *ct[] = {q->id, kind, "text", rq->texts[t], NULL, NULL,
                                    NULL,  NULL, ""};
                if (net_rows_add(out, ct, a, err) != 0)
                    return err->code;
            }
            continue;
        }
        for (size_t i = 0; i < q->noptions; i++) {
            const struct survey_res_option *o = &rq->o[i];
            bool shown = o->count >= 0 && rq->respondents > 0;
            const char *c[] = {
                q->id,
                kind,
                o->opt->value,
                survey_text_in(&o->opt->label, lang),
                num(a, o->count),
                real(a, shown, shown ? (double)o->count / (double)rq->respondents : 0),
                resp,
                mean,
                rq->respondents < 0 ? hidden_q : o->reason};
            if (net_rows_add(out, c, a, err) != 0)
                return err->code;
        }
    }
    return 0;
}

/* The rows of one scale question in both results. */
static int change_rows(const struct survey_res_question *b, const struct survey_res_question *p,
                       struct net_rows *out, struct arena *a, struct kn_error *err)
{
    const struct survey_question *q = p->q;
    for (size_t i = 0; i < q->noptions; i++) {
        const struct survey_res_option *ob = NULL, *op = &p->o[i];
        for (size_t j = 0; j < b->q->noptions; j++)
            if (strcmp(b->q->options[j].value, q->options[i].value) == 0)
                ob = &b->o[j];
        long cb = ob ? ob->count : (b->respondents >= 0 ? 0 : -1);
        bool sb = cb >= 0 && b->respondents > 0, sp = op->count >= 0 && p->respondents > 0;
        const char *c[] = {
            q->id,
            q->options[i].value,
            num(a, b->respondents),
            num(a, cb),
            real(a, sb, sb ? (double)cb / (double)b->respondents : 0),
            num(a, p->respondents),
            num(a, op->count),
            real(a, sp, sp ? (double)op->count / (double)p->respondents : 0),
            NULL,
            NULL,
            NULL};
        if (net_rows_add(out, c, a, err) != 0)
            return err->code;
    }
    bool both = b->has_mean && p->has_mean;
    const char *c[] = {q->id,
                       "mean",
                       num(a, b->respondents),
                       NULL,
                       NULL,
                       num(a, p->respondents),
                       NULL,
                       NULL,
                       real(a, b->has_mean, b->mean),
                       real(a, p->has_mean, p->mean),
                       real(a, both, both ? p->mean - b->mean : 0)};
    return net_rows_add(out, c, a, err) != 0 ? err->code : 0;
}

int survey_change(struct store *st, int64_t post, int min_count, struct net_rows *out,
                  struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"question", NET_TEXT},   {"option", NET_TEXT},      {"pre_respondents", NET_INT},
        {"pre_count", NET_INT},   {"pre_share", NET_REAL},   {"post_respondents", NET_INT},
        {"post_count", NET_INT},  {"post_share", NET_REAL},  {"pre_mean", NET_REAL},
        {"post_mean", NET_REAL},  {"change", NET_REAL},
    };
    struct survey_result rp, rb;
    memset(out, 0, sizeof *out);
    out->cols = cols;
    out->ncols = sizeof cols / sizeof cols[0];
    if (survey_result(st, post, min_count, false, &rp, a, err) != 0)
        return err->code;
    if (rp.info.pre_id == 0)
        return kn_fail(err, KN_EINPUT,
                       "survey %lld has no survey before it (knod survey link ID --pre PRE)",
                       (long long)post);
    if (survey_result(st, rp.info.pre_id, min_count, false, &rb, a, err) != 0)
        return err->code;
    for (size_t k = 0; k < rp.info.def.nq; k++) {
        const struct survey_res_question *p = &rp.q[k];
        if (p->q->kind != SURVEY_SCALE)
            continue;
        for (size_t j = 0; j < rb.info.def.nq; j++)
            if (rb.q[j].q->kind == SURVEY_SCALE && strcmp(rb.q[j].q->id, p->q->id) == 0 &&
                change_rows(&rb.q[j], p, out, a, err) != 0)
                return err->code;
    }
    return 0;
}
