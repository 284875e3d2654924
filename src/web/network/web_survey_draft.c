/* src/web/network/web_survey_draft.c: a survey's page in the portal, its
 * preview, the rule @survey and what the survey forms share
 * (web_survey_edit.h).
 *
 *   GET /surveys/{id}/edit, /api/v1/surveys/{id}/edit   the survey, its
 *       questionnaire as the JSON `knod survey create` takes ("definition"),
 *       its questions with the steps that change them while it is unsent.
 *   GET /surveys/{id}/preview   the form as a respondent sees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/survey_draft.h"
#include "web/network/web_survey.h"
#include "web/network/web_survey_edit.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

static int64_t route_id(struct web_req *rq)
{
    const char *s = web_param(rq, "id");
    char *end = NULL;
    long long id = s && *s ? strtoll(s, &end, 10) : 0;
    return id > 0 && *end == '\0' ? id : 0;
}

int web_survey_allows(struct web_req *rq, const struct access_user *u)
{
    int64_t id = route_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    const char *creator = NULL;
    if (id <= 0) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (!st)
        return 500;
    int rc = survey_creator(st, id, &creator, rq->arena, &err);
    if (rc == KN_ENOTFOUND) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (rc != 0)
        return 500;
    return u->role == ROLE_ADMIN || (creator && strcmp(creator, u->name) == 0) ? 0 : 403;
}

int web_survey_load(struct web_req *rq, struct survey_info *si)
{
    int64_t id = route_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (id <= 0)
        return web_not_found(rq, web_t(rq, "survey_no_such"));
    if (!st)
        return 500;
    int rc = survey_get(st, id, si, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "survey_no_such"));
    return rc == 0 ? 0 : 500;
}

/* The form field of a reader's path: "questions[2].scale.min_label.sv" is
 * "q-min-label-sv", "title.en" is "survey-title-en". */
static void field_of(const char *path, size_t len, char *out, size_t cap)
{
    char buf[48]; /* a field name is shorter; a longer path names none */
    size_t o = 0;
    bool q = strncmp(path, "questions[", 10) == 0 && memchr(path, '.', len);
    if (q) {
        const char *dot = memchr(path, '.', len);
        len -= (size_t)(dot + 1 - path);
        path = dot + 1;
    }
    if (len > 6 && strncmp(path, "scale.", 6) == 0) {
        path += 6;
        len -= 6;
    }
    for (size_t i = 0; i < len && o + 1 < sizeof buf; i++) {
        if (path[i] == '[') { /* "options[3].sv": the options' field */
            while (i < len && path[i] != ']')
                i++;
            continue;
        }
        buf[o++] = path[i] == '.' || path[i] == '_' ? '-' : path[i];
    }
    buf[o] = '\0';
    static const char *const alias[][2] = {
        {"options", "options-sv"},
        {"options-value", "options-sv"},
        {"scale", "min"},
        {"help-sv", "text-sv"},
        {"help-en", "text-en"},
        {"help", "text-sv"},
        {"id", "kind"},
        {"questions", "q-options-sv"},
    };
    const char *name = buf;
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(buf, alias[i][0]) == 0)
            name = alias[i][1];
    if (strncmp(name, "q-", 2) == 0)
        snprintf(out, cap, "%s", name);
    else
        snprintf(out, cap, "%s-%s", q ? "q" : "survey", name);
}

/* The reader's message after "NAME: ": the path ("questions[2].text.sv")
 * and its reason ("is missing" after a space, or after ": "). */
static bool split_msg(const char *m, size_t *len, const char **reason)
{
    *len = strcspn(m, ": ");
    if (m[*len] == ':' && m[*len + 1] == ' ')
        *reason = m + *len + 2;
    else if (m[*len] == ' ')
        *reason = m + *len + 1;
    else
        return false;
    return *len > 0;
}

void web_survey_refused(struct web_req *rq, struct ne_form *fm, const char *name,
                        const char *msg)
{
    size_t nl = strlen(name), len;
    const char *reason;
    if (strncmp(msg, name, nl) == 0 && strncmp(msg + nl, ": ", 2) == 0 &&
        split_msg(msg + nl + 2, &len, &reason)) {
        char field[64];
        field_of(msg + nl + 2, len, field, sizeof field);
        ne_refused(rq, fm, arena_printf(rq->arena, "--%s: %s", field, reason));
        return;
    }
    ne_refused(rq, fm, msg);
}

void web_survey_field_msg(struct kn_error *err, const char *field, const char *reason)
{
    char r[sizeof err->msg];
    snprintf(r, sizeof r, "%s", reason); /* reason may point into err->msg */
    int n = snprintf(err->msg, sizeof err->msg, "--%s: ", field);
    if (n < 0 || (size_t)n >= sizeof err->msg)
        return;
    size_t room = sizeof err->msg - (size_t)n - 1, len = strnlen(r, room);
    memcpy(err->msg + n, r, len);
    err->msg[(size_t)n + len] = '\0';
}

/* ne_store's step: the questionnaire stored again. */
struct store_arg {
    int64_t id;
    const char *json;
    kn_day today;
};

static int store_fn(struct store *st, void *p, struct kn_error *err)
{
    struct store_arg *x = p;
    int rc = survey_draft_update(st, x->id, x->json, strlen(x->json), "questionnaire",
                                 x->today, err);
    if (rc == KN_EINPUT || rc == KN_EEXIST) {
        /* ne_store hands err->msg to ne_refused: give it the field's name */
        char field[64] = "";
        const char *path =
            strncmp(err->msg, "questionnaire: ", 15) == 0 ? err->msg + 15 : NULL;
        const char *reason;
        size_t len;
        if (path && split_msg(path, &len, &reason)) {
            field_of(path, len, field, sizeof field);
            web_survey_field_msg(err, field, reason);
        }
    }
    return rc;
}

int web_survey_store(struct web_req *rq, struct ne_form *fm, int64_t id, json_t *q,
                     const char *detail)
{
    char *json = q ? json_dumps(q, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(q);
    if (!json)
        return 500;
    struct store_arg x = {id, arena_strdup(rq->arena, json), time_to_day(rq->now)};
    free(json);
    if (!x.json)
        return 500;
    const char *subject = arena_printf(rq->arena, "%lld", (long long)id);
    return ne_store(rq, fm, store_fn, &x, "survey-change", &subject, detail);
}

static const char *day_text(struct web_req *rq, kn_day d)
{
    char b[11];
    if (!d)
        return NULL;
    date_format(d, b);
    return arena_strdup(rq->arena, b);
}

static json_t *question_row(struct web_req *rq, const struct survey_info *si, size_t k,
                            bool editable)
{
    const char *lang = rq->lang == WEB_EN ? "en" : "sv";
    const struct survey_question *q = &si->def.q[k];
    json_t *opts = json_array();
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:o}", "n", (json_int_t)(k + 1), "id",
                  q->id, "kind", SURVEY_KINDS[q->kind], "text_sv", q->text.sv, "text_en",
                  q->text.en, "required", q->required, "options", opts);
    if (!o)
        return NULL;
    for (size_t i = 0; opts && q->kind != SURVEY_SCALE && i < q->noptions; i++)
        json_array_append_new(opts,
                              json_string(survey_text_in(&q->options[i].label, lang)));
    if (!rq->api) {
        const char *path = arena_printf(rq->arena, "/surveys/%lld/questions/%zu",
                                        (long long)si->id, k + 1);
        const char *kind =
            q->kind == SURVEY_SCALE
                ? arena_printf(rq->arena, "%s %d–%d", web_t(rq, "se_kind_scale"), q->min,
                               q->max)
                : web_t(rq, arena_printf(rq->arena, "se_kind_%s", SURVEY_KINDS[q->kind]));
        if (!web_sets(o, "text", survey_text_in(&q->text, lang)) ||
            !web_sets(o, "kind_text", kind) || !web_sets(o, "path", path) ||
            !web_set(o, "editable", json_boolean(editable)) ||
            !web_set(o, "up", json_boolean(editable && k > 0)) ||
            !web_set(o, "down", json_boolean(editable && k + 1 < si->def.nq))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

int web_survey_edit(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    const char *creator = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (survey_creator(web_store(rq), si.id, &creator, rq->arena, &err) != 0)
        return 500;
    json_t *def = survey_def_to_json(&si.def), *qs = json_array();
    const char *lang = rq->lang == WEB_EN ? "en" : "sv";
    rq->model = json_pack(
        "{s:{s:I, s:s, s:i, s:s, s:b, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:o}, s:o, s:o}",
        "survey", "id", (json_int_t)si.id, "code", si.code, "version", si.version,
        "title", survey_text_in(&si.def.title, lang), "anonymous", si.anonymous,
        "created_by", creator, "created_on", day_text(rq, si.created_on), "sent_on",
        day_text(rq, si.sent_on), "closed_on", day_text(rq, si.closed_on), "invitations",
        (json_int_t)si.invitations, "responses", (json_int_t)si.responses, "pre_id",
        si.pre_id ? json_integer(si.pre_id) : json_null(), "definition", def, "questions",
        qs);
    if (!rq->model || !def || !qs)
        return 500;
    bool editable = !si.sent_on;
    for (size_t k = 0; k < si.def.nq; k++) {
        json_t *q = question_row(rq, &si, k, editable);
        if (!q || json_array_append_new(qs, q) != 0)
            return 500;
    }
    if (rq->api)
        return 200;
    const char *csrf = web_csrf_token(rq);
    const char *base = arena_printf(rq->arena, "/surveys/%lld", (long long)si.id);
    const char *saved = web_query(rq, "saved");
    if (!csrf || !web_sets(rq->model, "csrf", csrf) ||
        !web_sets(rq->model, "base", base) ||
        !web_sets(rq->model, "heading", survey_text_in(&si.def.title, lang)) ||
        !web_set(rq->model, "editable", json_boolean(editable)) ||
        !web_set(rq->model, "sent", json_boolean(!editable)) ||
        !web_set(rq->model, "can_send", json_boolean(!si.closed_on && si.def.nq > 0)) ||
        !web_set(rq->model, "can_close", json_boolean(si.sent_on && !si.closed_on)) ||
        !web_set(rq->model, "saved", json_boolean(saved && strcmp(saved, "1") == 0)))
        return 500;
    return 200;
}

int web_survey_preview(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    rc = web_survey_preview_model(rq, &si);
    if (rc != 200)
        return rc;
    return web_sets(rq->model, "back",
                    arena_printf(rq->arena, "/surveys/%lld/edit", (long long)si.id))
               ? 200
               : 500;
}
