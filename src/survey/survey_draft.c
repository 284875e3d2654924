/* src/survey/survey_draft.c: a questionnaire built in the portal, step by
 * step (survey_draft.h). */
#include "survey/survey_draft.h"

#include <stdio.h>
#include <string.h>

static json_t *text(const struct survey_text *t)
{
    return json_pack("{s:s, s:s}", "sv", t->sv ? t->sv : "", "en", t->en ? t->en : "");
}

static bool given(const struct survey_text *t)
{
    return (t->sv && *t->sv) || (t->en && *t->en);
}

static json_t *question(const struct survey_question *q)
{
    json_t *o =
        json_pack("{s:s, s:s, s:b, s:o}", "id", q->id, "kind", SURVEY_KINDS[q->kind],
                  "required", q->required, "text", text(&q->text));
    if (!o)
        return NULL;
    if (given(&q->help) && json_object_set_new(o, "help", text(&q->help)) != 0)
        goto fail;
    if (q->kind == SURVEY_SINGLE || q->kind == SURVEY_MULTIPLE) {
        json_t *opts = json_array();
        if (!opts || json_object_set_new(o, "options", opts) != 0)
            goto fail;
        for (size_t i = 0; i < q->noptions; i++) {
            const struct survey_option *op = &q->options[i];
            if (json_array_append_new(opts, json_pack("{s:s, s:s, s:s}", "value",
                                                      op->value, "sv", op->label.sv, "en",
                                                      op->label.en)) != 0)
                goto fail;
        }
    } else if (q->kind == SURVEY_SCALE) {
        if (json_object_set_new(o, "scale",
                                json_pack("{s:i, s:i, s:o, s:o}", "min", q->min, "max",
                                          q->max, "min_label", text(&q->min_label),
                                          "max_label", text(&q->max_label))) != 0)
            goto fail;
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

json_t *survey_def_to_json(const struct survey_def *d)
{
    json_t *qs = json_array();
    json_t *o = json_pack("{s:s, s:b, s:o}", "code", d->code, "anonymous", d->anonymous,
                          "title", text(&d->title));
    if (!o || !qs)
        goto fail;
    if (given(&d->intro) && json_object_set_new(o, "intro", text(&d->intro)) != 0)
        goto fail;
    if (json_object_set(o, "questions", qs) != 0)
        goto fail;
    for (size_t k = 0; k < d->nq; k++)
        if (json_array_append_new(qs, question(&d->q[k])) != 0)
            goto fail;
    json_decref(qs);
    return o;
fail:
    json_decref(qs);
    json_decref(o);
    return NULL;
}

static int step_once(struct store_stmt *s, struct kn_error *err)
{
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int survey_draft_add(struct store *st, const char *json, size_t len, const char *name,
                     const char *creator, kn_day today, int64_t *id, struct kn_error *err)
{
    struct arena a;
    struct survey_def d;
    struct store_stmt *s = NULL;
    arena_init(&a);
    int rc = survey_def_parse_draft(json, len, name, &d, &a, err);
    if (rc == 0 &&
        (rc = store_prepare(
             st, "SELECT id FROM net_survey WHERE code = $1 ORDER BY id LIMIT 1", &s,
             err)) == 0) {
        store_bind_text(s, 1, d.code, strlen(d.code));
        rc = store_step(s, err);
        long long other = rc == STORE_ROW ? (long long)store_col_int(s, 0) : 0;
        store_finalize(s);
        if (rc == STORE_ROW)
            rc =
                kn_fail(err, KN_EEXIST,
                        "%s: code: survey %lld has the code '%s' already; choose another",
                        name, other, d.code);
        else if (rc == STORE_DONE)
            rc = 0;
    }
    if (rc == 0 && (rc = store_prepare(st,
                                       "INSERT INTO net_survey (code, version, title, "
                                       "anonymous, definition, created_on, created_by) "
                                       "VALUES ($1, 1, $2, $3, $4, $5, $6)",
                                       &s, err)) == 0) {
        store_bind_text(s, 1, d.code, strlen(d.code));
        store_bind_text(s, 2, d.title.sv, strlen(d.title.sv));
        store_bind_int(s, 3, d.anonymous);
        store_bind_text(s, 4, json, len);
        store_bind_int(s, 5, today);
        store_bind_text(s, 6, creator, strlen(creator));
        rc = step_once(s, err);
        if (rc == 0)
            *id = store_last_insert_id(st);
    }
    arena_release(&a);
    return rc;
}

int survey_draft_update(struct store *st, int64_t id, const char *json, size_t len,
                        const char *name, kn_day today, struct kn_error *err)
{
    struct arena a;
    struct survey_def d;
    struct survey_info si;
    struct store_stmt *s = NULL;
    arena_init(&a);
    int rc = survey_get(st, id, &si, &a, err);
    if (rc == 0 && si.sent_on) {
        char day[11];
        date_format(si.sent_on, day);
        rc =
            kn_fail(err, KN_EEXIST,
                    "survey %lld was sent on %s: a sent survey never changes (make a new "
                    "survey from it)",
                    (long long)id, day);
    }
    if (rc == 0)
        rc = survey_def_parse_draft(json, len, name, &d, &a, err);
    if (rc == 0 && strcmp(d.code, si.code) != 0)
        rc = kn_fail(err, KN_EINPUT, "%s: code: survey %lld is '%s'; its code stays",
                     name, (long long)id, si.code);
    if (rc == 0 &&
        (rc = store_prepare(st,
                            "UPDATE net_survey SET title = $1, anonymous = $2, "
                            "definition = $3, created_on = $4 WHERE id = $5",
                            &s, err)) == 0) {
        store_bind_text(s, 1, d.title.sv, strlen(d.title.sv));
        store_bind_int(s, 2, d.anonymous);
        store_bind_text(s, 3, json, len);
        store_bind_int(s, 4, today);
        store_bind_int(s, 5, id);
        rc = step_once(s, err);
    }
    arena_release(&a);
    return rc;
}

int survey_creator(struct store *st, int64_t id, const char **creator, struct arena *a,
                   struct kn_error *err)
{
    struct store_stmt *s;
    *creator = NULL;
    if (store_prepare(st, "SELECT created_by FROM net_survey WHERE id = $1", &s, err) !=
        0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        rc = 0;
        if (!store_col_is_null(s, 0) &&
            !(*creator = arena_strdup(a, store_col_text(s, 0, NULL))))
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no survey %lld", (long long)id);
    }
    store_finalize(s);
    return rc;
}
