/* src/web/network/web_survey_answer.c: answering a survey at /s/{token}
 * (web_survey.h).
 *
 * The form works without JavaScript: each question is a fieldset with its
 * text as the legend; a single choice or a scale is a group of radio
 * buttons (named by the question's id), a multiple choice a group of
 * checkboxes (named "ID.N", since a form field may not repeat), free text
 * a textarea. A refused answer comes back with the GOV.UK error pattern.
 * The token is never logged or audited; a page never shows a
 * personnummer-shaped number that was typed (it is masked).
 */
#include <stdio.h>
#include <string.h>

#include "domain/pnr_shape.h"
#include "survey/survey.h"
#include "web/network/web_survey.h"
#include "web/network/web_survey_edit.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const char *lang_of(const struct web_req *rq)
{
    return rq->lang == WEB_EN ? "en" : "sv";
}

static const char *fault_key(enum survey_fault f)
{
    switch (f) {
    case SURVEY_MISSING:
        return "survey_err_missing";
    case SURVEY_CHOICE:
        return "survey_err_choice";
    case SURVEY_ONE:
        return "survey_err_one";
    case SURVEY_TEXTBAD:
        return "survey_err_text";
    case SURVEY_PNR:
        return "survey_err_pnr";
    case SURVEY_OK:
        break;
    }
    return NULL;
}

/* The posted value of multiple choice option i of q, or NULL. */
static const char *posted_option(struct web_req *rq, const struct survey_question *q,
                                 size_t i)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%zu", q->id, i);
    return web_form(rq, name);
}

static const char *masked(struct web_req *rq, const char *v)
{
    char *s = arena_strdup(rq->arena, v ? v : "");
    if (s)
        pnr_mask(s, strlen(s));
    return s;
}

/* The earlier answer's value of q (the first, or the one equal to v). */
static const char *prev_value(const struct survey_pair *prev, size_t nprev,
                              const struct survey_question *q, const char *v)
{
    for (size_t i = 0; i < nprev; i++)
        if (strcmp(prev[i].question, q->id) == 0 && (!v || strcmp(prev[i].value, v) == 0))
            return prev[i].value;
    return NULL;
}

/* A question of the form: values from the posted form (posted), else
 * from the earlier answer prev[0..nprev) (a survey that is not anonymous),
 * else none. */
static json_t *question_model(struct web_req *rq, const struct survey_question *q,
                              bool posted, const struct survey_pair *prev, size_t nprev,
                              enum survey_fault fault)
{
    const char *lang = lang_of(rq);
    const char *fid = arena_printf(rq->arena, "q-%s", q->id);
    const char *err = fault_key(fault) ? web_t(rq, fault_key(fault)) : NULL;
    json_t *m = json_pack(
        "{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:s?}", "id", q->id, "fid", fid,
        "legend", survey_text_in(&q->text, lang), "required", q->required, "single", q->kind == SURVEY_SINGLE, "multiple",
        q->kind == SURVEY_MULTIPLE, "scale", q->kind == SURVEY_SCALE, "text",
        q->kind == SURVEY_TEXT, "error", err);
    if (!m)
        return NULL;
    /* the hint: the question's help, a scale's ends, "choose all" */
    const char *help = survey_text_in(&q->help, lang);
    const char *hint =
        q->kind == SURVEY_SCALE
            ? arena_printf(rq->arena, "%s%s%d = %s, %d = %s", help, *help ? " " : "", q->min,
                           survey_text_in(&q->min_label, lang), q->max,
                           survey_text_in(&q->max_label, lang))
        : q->kind == SURVEY_MULTIPLE && !*help ? web_t(rq, "survey_choose_any")
                                               : help;
    const char *by = arena_printf(rq->arena, "%s%s%s%s", *hint ? fid : "",
                                  *hint ? "-hint" : "", err ? (*hint ? " " : "") : "",
                                  err ? arena_printf(rq->arena, "%s-error", fid) : "");
    if (!hint || !by || !web_sets(m, "hint", hint) || !web_sets(m, "describedby", by))
        goto fail;
    if (q->kind == SURVEY_TEXT) {
        const char *v = posted ? web_form(rq, q->id) : prev_value(prev, nprev, q, NULL);
        if (!web_sets(m, "value", masked(rq, v)))
            goto fail;
        return m;
    }
    json_t *opts = json_array();
    if (!opts || json_object_set_new(m, "options", opts) != 0)
        goto fail;
    const char *chosen = q->kind == SURVEY_MULTIPLE ? NULL
                         : posted                   ? web_form(rq, q->id)
                                                    : prev_value(prev, nprev, q, NULL);
    for (size_t i = 0; i < q->noptions; i++) {
        const struct survey_option *o = &q->options[i];
        bool multiple = q->kind == SURVEY_MULTIPLE;
        const char *p = !multiple ? NULL
                        : posted  ? posted_option(rq, q, i)
                                  : prev_value(prev, nprev, q, o->value);
        bool checked = multiple ? (p && strcmp(p, o->value) == 0)
                                : (chosen && strcmp(chosen, o->value) == 0);
        json_t *e = json_pack(
            "{s:s, s:s, s:s, s:s, s:b}", "oid", arena_printf(rq->arena, "%s-%zu", fid, i),
            "name", multiple ? arena_printf(rq->arena, "%s.%zu", q->id, i) : q->id, "value",
            o->value, "label", survey_text_in(&o->label, lang), "checked", checked);
        if (!e || json_array_append_new(opts, e) != 0)
            goto fail;
    }
    return m;
fail:
    json_decref(m);
    return NULL;
}

/* The form page of si for token; faults (or NULL) after a refused post. */
static int form_page(struct web_req *rq, const char *token, const struct survey_info *si,
                     const enum survey_fault *faults, bool replace)
{
    struct survey_pair *prev = NULL;
    size_t nprev = 0;
    struct kn_error err = KN_ERROR_INIT;
    struct store *st = web_store(rq);
    if (replace && !faults &&
        (!st || survey_token_answers(st, token, &prev, &nprev, rq->arena, &err) != 0))
        return 500;
    const char *lang = lang_of(rq);
    const char *csrf = web_csrf_token(rq);
    json_t *qs = json_array(), *errors = json_array();
    rq->model = json_pack("{s:s, s:s, s:s, s:s?, s:b, s:b, s:o, s:o}", "state", "open",
                          "title", survey_text_in(&si->def.title, lang), "intro",
                          survey_text_in(&si->def.intro, lang), "token", token,
                          "anonymous", si->anonymous, "replace", replace, "questions", qs,
                          "errors", errors);
    if (!rq->model || !csrf || !qs || !errors || !web_sets(rq->model, "csrf", csrf))
        return 500;
    for (size_t k = 0; k < si->def.nq; k++) {
        const struct survey_question *q = &si->def.q[k];
        enum survey_fault f = faults ? faults[k] : SURVEY_OK;
        json_t *qm = question_model(rq, q, faults != NULL, prev, nprev, f);
        if (!qm || json_array_append_new(qs, qm) != 0)
            return 500;
        if (f != SURVEY_OK) {
            const char *anchor = q->kind == SURVEY_TEXT
                                     ? arena_printf(rq->arena, "q-%s", q->id)
                                     : arena_printf(rq->arena, "q-%s-0", q->id);
            const char *text = arena_printf(rq->arena, "%s – %s",
                                            survey_text_in(&q->text, lang),
                                            web_t(rq, fault_key(f)));
            if (json_array_append_new(errors, json_pack("{s:s, s:s}", "field", anchor,
                                                        "text", text)) != 0)
                return 500;
        }
    }
    if (json_array_size(errors) && !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
        return 500;
    return 200;
}

int web_survey_preview_model(struct web_req *rq, const struct survey_info *si)
{
    /* no token: the form as a respondent sees it, posting nowhere */
    int rc = form_page(rq, NULL, si, NULL, false);
    if (rc != 200)
        return rc;
    return web_set(rq->model, "preview", json_true()) ? 200 : 500;
}

/* A page that says what became of the invitation: "closed", "used" or
 * "answered". */
static int state_page(struct web_req *rq, const char *state, const char *title)
{
    char key[64];
    snprintf(key, sizeof key, "survey_state_%s", state);
    rq->model = json_pack("{s:s, s:s, s:s, s:s}", "state", state, "title", title ? title : "",
                          "heading", web_t(rq, key), "message",
                          web_t(rq, arena_printf(rq->arena, "%s_text", key)));
    return rq->model ? 200 : 500;
}

/* The token's state and survey; 0, or the status already answered. */
static int load(struct web_req *rq, const char **token, enum survey_token_state *ts,
                struct survey_info *si)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    int64_t sid = 0;
    *token = web_param(rq, "token");
    if (!st)
        return 500;
    if (!*token || survey_token_state(st, *token, ts, &sid, &err) != 0)
        return 500;
    if (*ts == SURVEY_TOKEN_UNKNOWN)
        return web_not_found(rq, web_t(rq, "survey_unknown"));
    if (survey_get(st, sid, si, rq->arena, &err) != 0)
        return 500;
    return 0;
}

int web_survey_form(struct web_req *rq)
{
    const char *token;
    enum survey_token_state ts;
    struct survey_info si;
    int rc = load(rq, &token, &ts, &si);
    if (rc)
        return rc;
    rq->cache_control = "no-store";
    const char *title = survey_text_in(&si.def.title, lang_of(rq));
    bool answered = web_query(rq, "answered") != NULL;
    switch (ts) {
    case SURVEY_TOKEN_CLOSED:
        return state_page(rq, "closed", title);
    case SURVEY_TOKEN_USED:
        return state_page(rq, answered ? "answered" : "used", title);
    case SURVEY_TOKEN_REPLACE:
        if (answered)
            return state_page(rq, "answered", title);
        return form_page(rq, token, &si, NULL, true);
    default:
        return form_page(rq, token, &si, NULL, false);
    }
}

int web_survey_post(struct web_req *rq)
{
    const char *token;
    enum survey_token_state ts;
    struct survey_info si;
    int rc = load(rq, &token, &ts, &si);
    if (rc)
        return rc;
    rq->cache_control = "no-store";
    const char *title = survey_text_in(&si.def.title, lang_of(rq));
    if (ts == SURVEY_TOKEN_CLOSED)
        return state_page(rq, "closed", title);
    if (ts == SURVEY_TOKEN_USED)
        return state_page(rq, "used", title);
    size_t cap = 0, n = 0;
    struct survey_pair *p = NULL;
    for (size_t k = 0; k < si.def.nq; k++) {
        const struct survey_question *q = &si.def.q[k];
        size_t nv = q->kind == SURVEY_MULTIPLE ? q->noptions : 1;
        for (size_t i = 0; i < nv; i++) {
            const char *v = q->kind == SURVEY_MULTIPLE ? posted_option(rq, q, i)
                                                       : web_form(rq, q->id);
            if (!v || !*v)
                continue;
            if (arena_grow(rq->arena, &p, n, &cap, sizeof *p) != 0)
                return 500;
            p[n].question = q->id;
            p[n].value = v;
            n++;
        }
    }
    enum survey_fault *faults = arena_calloc(rq->arena, si.def.nq, sizeof *faults);
    struct kn_error err = KN_ERROR_INIT;
    struct store *st = web_store(rq);
    if (!faults || !st)
        return 500;
    rc = survey_answer_token(st, token, p, n, time_to_day(rq->now), faults, &err);
    if (rc == KN_EINPUT)
        return form_page(rq, token, &si, faults, ts == SURVEY_TOKEN_REPLACE);
    if (rc == KN_EEXIST) /* closed or used between the read and the write */
        return state_page(rq, "used", title);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "survey_unknown"));
    if (rc != 0)
        return 500;
    const char *loc = arena_printf(rq->arena, "/s/%s?answered=1", token);
    return loc ? web_redirect(rq, loc) : 500;
}
