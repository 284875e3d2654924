/* src/web/network/web_survey_question.c: a survey's questions added,
 * changed, moved and removed in the portal, one form post a step
 * (web_survey_edit.h).
 *
 *   GET/POST /surveys/{id}/questions/new          add a question at the end
 *   GET/POST /surveys/{id}/questions/{n}/change   change question n (from 1)
 *   POST /surveys/{id}/questions/{n}/move         dir=up|down
 *   POST /surveys/{id}/questions/{n}/remove
 *
 * Each step rebuilds the questionnaire's JSON from the stored one with the
 * step applied and stores it through the questionnaire's reader
 * (survey_draft_update): a refusal names the field ("q-min: a whole number
 * from 0 to 1"). The options are one a line, Swedish and English lines in
 * the same order; an option keeps its stored value by its place, a new one
 * gets the first free "oN". A question's id is the first free "qN"; its
 * help text (from a file) is kept. Audited survey-change; then 303 to the
 * survey's page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/survey_draft.h"
#include "web/network/web_survey_edit.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const char *const kinds[] = {"single", "multiple", "scale", "text", NULL};
static const char *const yes_no[] = {"yes", "no", NULL};

enum {
    F_KIND,
    F_TEXT_SV,
    F_TEXT_EN,
    F_OPT_SV,
    F_OPT_EN,
    F_MIN,
    F_MAX,
    F_MINL_SV,
    F_MINL_EN,
    F_MAXL_SV,
    F_MAXL_EN,
    F_REQUIRED,
    NF
};

static const struct ne_field fields[NF] = {
    {"q-kind", NE_SELECT, kinds, true},       {"q-text-sv", NE_AREA, NULL, true},
    {"q-text-en", NE_AREA, NULL, true},       {"q-options-sv", NE_AREA, NULL, false},
    {"q-options-en", NE_AREA, NULL, false},   {"q-min", NE_TEXT, NULL, false},
    {"q-max", NE_TEXT, NULL, false},          {"q-min-label-sv", NE_TEXT, NULL, false},
    {"q-min-label-en", NE_TEXT, NULL, false}, {"q-max-label-sv", NE_TEXT, NULL, false},
    {"q-max-label-en", NE_TEXT, NULL, false}, {"q-required", NE_SELECT, yes_no, true},
};

/* The route's question number n (1 .. nq), or 0. */
static size_t route_n(struct web_req *rq, const struct survey_info *si)
{
    const char *s = web_param(rq, "n");
    char *end = NULL;
    long n = s && *s ? strtol(s, &end, 10) : 0;
    return n >= 1 && *end == '\0' && (size_t)n <= si->def.nq ? (size_t)n : 0;
}

static void form(struct web_req *rq, struct ne_form *fm, const struct survey_info *si,
                 size_t n)
{
    ne_init(fm, fields, NF);
    fm->action =
        n ? arena_printf(rq->arena, "/surveys/%lld/questions/%zu/change",
                         (long long)si->id, n)
          : arena_printf(rq->arena, "/surveys/%lld/questions/new", (long long)si->id);
    fm->heading =
        n ? arena_printf(rq->arena, "%s %zu", web_t(rq, "se_question_change"), n)
          : web_t(rq, "se_question_add");
    fm->intro = web_t(rq, "se_question_intro");
    fm->submit = web_t(rq, "ne_save");
    fm->back = arena_printf(rq->arena, "/surveys/%lld/edit", (long long)si->id);
    fm->v[F_REQUIRED] = "no";
}

static const char *lines(struct web_req *rq, const struct survey_option *o, size_t n,
                         bool en)
{
    const char *out = "";
    for (size_t i = 0; i < n && out; i++)
        out = arena_printf(rq->arena, "%s%s%s", out, i ? "\n" : "",
                           en ? o[i].label.en : o[i].label.sv);
    return out ? out : "";
}

int web_survey_question_new(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    struct ne_form fm;
    form(rq, &fm, &si, 0);
    return ne_render(rq, &fm);
}

int web_survey_question_change(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    size_t n = route_n(rq, &si);
    if (!n)
        return web_not_found(rq, web_t(rq, "se_no_question"));
    const struct survey_question *q = &si.def.q[n - 1];
    struct ne_form fm;
    form(rq, &fm, &si, n);
    fm.v[F_KIND] = SURVEY_KINDS[q->kind];
    fm.v[F_TEXT_SV] = q->text.sv;
    fm.v[F_TEXT_EN] = q->text.en;
    fm.v[F_REQUIRED] = q->required ? "yes" : "no";
    if (q->kind == SURVEY_SINGLE || q->kind == SURVEY_MULTIPLE) {
        fm.v[F_OPT_SV] = lines(rq, q->options, q->noptions, false);
        fm.v[F_OPT_EN] = lines(rq, q->options, q->noptions, true);
    } else if (q->kind == SURVEY_SCALE) {
        fm.v[F_MIN] = arena_printf(rq->arena, "%d", q->min);
        fm.v[F_MAX] = arena_printf(rq->arena, "%d", q->max);
        fm.v[F_MINL_SV] = q->min_label.sv;
        fm.v[F_MINL_EN] = q->min_label.en;
        fm.v[F_MAXL_SV] = q->max_label.sv;
        fm.v[F_MAXL_EN] = q->max_label.en;
    }
    for (size_t i = 0; i < NF; i++)
        if (!fm.v[i])
            return 500;
    return ne_render(rq, &fm);
}

/* The non-empty lines of s (trimmed), in a. */
static size_t split(struct web_req *rq, const char *s, const char ***out)
{
    size_t n = 0, cap = 0;
    const char **v = NULL;
    for (const char *p = s; p && *p;) {
        size_t len = strcspn(p, "\r\n");
        const char *b = p, *e = p + len;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > b && arena_grow(rq->arena, &v, n, &cap, sizeof *v) == 0)
            v[n++] = arena_strndup(rq->arena, b, (size_t)(e - b));
        p += len;
        p += strspn(p, "\r\n");
    }
    *out = v;
    return n;
}

/* A form value as the reader takes a scale's end: a number if it is one,
 * else the text (which the reader refuses, naming the field). */
static json_t *number(const char *s)
{
    char *end = NULL;
    long v = s && *s ? strtol(s, &end, 10) : 0;
    if (!s || !*s)
        return NULL;
    return *end == '\0' ? json_integer(v) : json_string(s);
}

static bool value_used(json_t *opts, const char *v)
{
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "value")), v) == 0)
            return true;
    }
    return false;
}

/* The question of the form, with id, keeping old's option values and help
 * (old NULL for a new question); NULL with the field's error set in fm, or
 * when out of memory. */
static json_t *question(struct web_req *rq, struct ne_form *fm, const char *id,
                        const struct survey_question *old)
{
    const char *kind = fm->v[F_KIND];
    json_t *q = json_pack("{s:s, s:s, s:b, s:{s:s, s:s}}", "id", id, "kind", kind,
                          "required", strcmp(fm->v[F_REQUIRED], "yes") == 0, "text", "sv",
                          fm->v[F_TEXT_SV], "en", fm->v[F_TEXT_EN]);
    if (!q)
        return NULL;
    if (old && (*old->help.sv || *old->help.en))
        json_object_set_new(
            q, "help", json_pack("{s:s, s:s}", "sv", old->help.sv, "en", old->help.en));
    if (strcmp(kind, "single") == 0 || strcmp(kind, "multiple") == 0) {
        const char **sv, **en;
        size_t nsv = split(rq, fm->v[F_OPT_SV], &sv),
               nen = split(rq, fm->v[F_OPT_EN], &en);
        if (nsv != nen) {
            ne_refused(rq, fm,
                       arena_printf(rq->arena, "--q-options-en: %s",
                                    web_t(rq, "se_e_option_lines")));
            json_decref(q);
            return NULL;
        }
        json_t *opts = json_array();
        json_object_set_new(q, "options", opts);
        bool keep = old && (old->kind == SURVEY_SINGLE || old->kind == SURVEY_MULTIPLE);
        for (size_t i = 0; opts && i < nsv; i++) {
            const char *v = keep && i < old->noptions ? old->options[i].value : NULL;
            for (int k = (int)i + 1; !v || value_used(opts, v); k++)
                v = arena_printf(rq->arena, "o%d", k);
            json_array_append_new(
                opts, json_pack("{s:s, s:s, s:s}", "value", v, "sv", sv[i], "en", en[i]));
        }
    } else if (strcmp(kind, "scale") == 0) {
        json_t *s = json_object();
        json_object_set_new(q, "scale", s);
        json_t *mn = number(fm->v[F_MIN]), *mx = number(fm->v[F_MAX]);
        if (mn)
            json_object_set_new(s, "min", mn);
        if (mx)
            json_object_set_new(s, "max", mx);
        json_object_set_new(
            s, "min_label",
            json_pack("{s:s, s:s}", "sv", fm->v[F_MINL_SV], "en", fm->v[F_MINL_EN]));
        json_object_set_new(
            s, "max_label",
            json_pack("{s:s, s:s}", "sv", fm->v[F_MAXL_SV], "en", fm->v[F_MAXL_EN]));
    }
    return q;
}

/* The first free "qN" of si. */
static const char *new_id(struct web_req *rq, const struct survey_info *si)
{
    for (size_t k = 1;; k++) {
        const char *id = arena_printf(rq->arena, "q%zu", k);
        if (!id || !survey_def_question(&si->def, id))
            return id;
    }
}

static int post(struct web_req *rq, bool add)
{
    struct survey_info si;
    int status = web_survey_load(rq, &si);
    if (status)
        return status;
    size_t n = add ? 0 : route_n(rq, &si);
    if (!add && !n)
        return web_not_found(rq, web_t(rq, "se_no_question"));
    struct ne_form fm;
    form(rq, &fm, &si, n);
    ne_read(rq, &fm);
    if (!ne_get(&fm, "q-kind"))
        ne_refused(rq, &fm, "--q-kind is missing");
    const struct survey_question *old = n ? &si.def.q[n - 1] : NULL;
    json_t *def = survey_def_to_json(&si.def), *q = NULL;
    if (!def)
        return 500;
    if (!fm.summary) {
        q = question(rq, &fm, old ? old->id : new_id(rq, &si), old);
        json_t *qs = json_object_get(def, "questions");
        if (q &&
            (add ? json_array_append_new(qs, q) : json_array_set_new(qs, n - 1, q)) != 0)
            q = NULL;
    }
    int rc = 1;
    if (fm.summary)
        json_decref(def);
    else if (!q) {
        json_decref(def);
        rc = 500;
    } else
        rc = web_survey_store(rq, &fm, si.id, def,
                              add ? "question added"
                                  : arena_printf(rq->arena, "question %zu changed", n));
    return ne_done(
        rq, &fm, rc,
        arena_printf(rq->arena, "/surveys/%lld/edit?saved=1", (long long)si.id));
}

int web_survey_question_new_post(struct web_req *rq)
{
    return post(rq, true);
}

int web_survey_question_change_post(struct web_req *rq)
{
    return post(rq, false);
}

/* A move or a removal: the survey's page again, with the refusal (a sent
 * survey) in the error summary, or 303 to it. */
static int step(struct web_req *rq, bool remove)
{
    struct survey_info si;
    int status = web_survey_load(rq, &si);
    if (status)
        return status;
    size_t n = route_n(rq, &si);
    if (!n)
        return web_not_found(rq, web_t(rq, "se_no_question"));
    const char *dir = remove ? "" : web_form(rq, "dir");
    bool up = dir && strcmp(dir, "up") == 0, down = dir && strcmp(dir, "down") == 0;
    if (!remove && !up && !down)
        return web_bad_param(rq, "dir", "up or down");
    size_t to = up ? n - 1 : n + 1;
    if (!remove && (to < 1 || to > si.def.nq))
        return web_bad_param(rq, "dir", "no question there");
    json_t *def = survey_def_to_json(&si.def);
    json_t *qs = def ? json_object_get(def, "questions") : NULL;
    if (!qs)
        return 500;
    if (remove) {
        json_array_remove(qs, n - 1);
    } else {
        json_t *a = json_incref(json_array_get(qs, n - 1));
        json_array_set(qs, n - 1, json_array_get(qs, to - 1));
        json_array_set_new(qs, to - 1, a);
    }
    /* the form of a step is the question's kind alone: a refusal (a sent
     * survey) is shown in the survey page's error summary */
    static const struct ne_field one[] = {{"q-kind", NE_SELECT, kinds, true}};
    struct ne_form fm;
    ne_init(&fm, one, 1);
    const char *detail = remove
                             ? arena_printf(rq->arena, "question %zu removed", n)
                             : arena_printf(rq->arena, "question %zu moved %s", n, dir);
    int rc = web_survey_store(rq, &fm, si.id, def, detail);
    if (rc == 0)
        status = web_redirect(
            rq, arena_printf(rq->arena, "/surveys/%lld/edit?saved=1", (long long)si.id));
    else if (rc == 1) {
        json_t *errors = fm.summary ? json_incref(fm.summary) : json_array();
        status = web_survey_edit(rq);
        if (status == 200) {
            json_t *e;
            size_t i;
            json_array_foreach(errors, i, e) /* no field: the summary's text only */
                json_object_set_new(e, "field", json_string("questions"));
            if (!web_set(rq->model, "errors", errors) ||
                !web_sets(rq->model, "error_prefix", web_t(rq, "error_prefix")))
                status = 500;
        } else
            json_decref(errors);
    } else
        status = 500;
    json_decref(fm.summary);
    return status;
}

int web_survey_question_move(struct web_req *rq)
{
    return step(rq, false);
}

int web_survey_question_remove(struct web_req *rq)
{
    return step(rq, true);
}
