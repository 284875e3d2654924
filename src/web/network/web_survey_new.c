/* src/web/network/web_survey_new.c: a new survey in the portal, in draft
 * (web_survey_edit.h), a coordinator's or an administrator's:
 *
 *   GET/POST /surveys/new           from nothing: code, title and intro in
 *                                   Swedish and English, anonymous or not
 *   GET/POST /surveys/new/file      from a questionnaire file (the JSON
 *                                   `knod survey create` takes), uploaded
 *                                   as multipart/form-data; refused as the
 *                                   CLI refuses it, naming the file and the
 *                                   path, or the line and column
 *   GET/POST /surveys/new/example   from a shipped example
 *                                   (data/examples/surveys, embedded), under
 *                                   its code or another
 *   GET/POST /surveys/{id}/change   its title, intro and anonymity changed
 *                                   while unsent (its code stays; @survey)
 *
 * Each is stored by survey_draft_add (a code no survey has; the user kept
 * as its maker) with its audit entry survey-add; then 303 to the survey's
 * page.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/embed.h"
#include "survey/survey_draft.h"
#include "web/care/web_upload_stream.h"
#include "web/network/web_survey_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const char *const yes_no[] = {"yes", "no", NULL};
/* the shipped examples (embedded from data/examples/surveys) */
static const char *const examples[] = {"sodra-uppfoljning", "bemotande-fore",
                                       "bemotande-efter", NULL};

static const struct ne_field blank_fields[] = {
    {"survey-code", NE_TEXT, NULL, true},
    {"survey-title-sv", NE_TEXT, NULL, true},
    {"survey-title-en", NE_TEXT, NULL, true},
    {"survey-intro-sv", NE_AREA, NULL, false},
    {"survey-intro-en", NE_AREA, NULL, false},
    {"survey-anonymous", NE_SELECT, yes_no, true},
};
static const struct ne_field file_fields[] = {
    {"survey-file", NE_FILE, NULL, true},
};
static const struct ne_field example_fields[] = {
    {"survey-example", NE_SELECT, examples, true},
    {"survey-code", NE_TEXT, NULL, false},
};
#define N(a) (sizeof a / sizeof a[0])

enum way { BLANK, FILE_, EXAMPLE };

static void form(struct web_req *rq, struct ne_form *fm, enum way w)
{
    static const char *const action[] = {"/surveys/new", "/surveys/new/file",
                                         "/surveys/new/example"};
    static const char *const heading[] = {"se_new", "se_new_file", "se_new_example"};
    static const char *const intro[] = {"se_new_intro", "se_new_file_intro",
                                        "se_new_example_intro"};
    if (w == BLANK)
        ne_init(fm, blank_fields, N(blank_fields));
    else if (w == FILE_)
        ne_init(fm, file_fields, N(file_fields));
    else
        ne_init(fm, example_fields, N(example_fields));
    fm->action = action[w];
    fm->heading = web_t(rq, heading[w]);
    fm->intro = web_t(rq, intro[w]);
    fm->submit = web_t(rq, "se_create");
    fm->back = "/surveys";
    if (w == BLANK)
        fm->v[5] = "yes";
}

int web_survey_new(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, BLANK);
    return ne_render(rq, &fm);
}

/* The form of a file, its input taking JSON (the template's default is
 * CSV). */
static int render_file(struct web_req *rq, struct ne_form *fm)
{
    int status = ne_render(rq, fm);
    if (status == 200 && !web_sets(rq->model, "accept", ".json,application/json"))
        status = 500;
    return status;
}

int web_survey_new_file(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, FILE_);
    return render_file(rq, &fm);
}

int web_survey_new_example(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, EXAMPLE);
    return ne_render(rq, &fm);
}

struct add_arg {
    const char *json, *name, *creator;
    size_t len;
    kn_day today;
    int64_t id;
    char subject[24];
    const char *field; /* where a refusal of the reader goes */
};

static int add_fn(struct store *st, void *p, struct kn_error *err)
{
    struct add_arg *x = p;
    int rc =
        survey_draft_add(st, x->json, x->len, x->name, x->creator, x->today, &x->id, err);
    if (rc == 0) {
        snprintf(x->subject, sizeof x->subject, "%lld", (long long)x->id);
    } else if ((rc == KN_EINPUT || rc == KN_EEXIST) && x->field) {
        /* a file's refusal stays whole (file, path or line), at its field */
        web_survey_field_msg(err, x->field, err->msg);
    }
    return rc;
}

/* Store x (a refusal of the reader mapped to its field unless x->field);
 * the status of the answer. */
static int add(struct web_req *rq, struct ne_form *fm, struct add_arg *x)
{
    x->creator = rq->session->user.name;
    x->today = time_to_day(rq->now);
    const char *subject = x->subject;
    int rc;
    if (fm->summary) {
        rc = 1;
    } else if (x->field) {
        rc = ne_store(rq, fm, add_fn, x, "survey-add", &subject, x->name);
    } else {
        /* the blank form: the reader's path names the field */
        struct store *st = web_store(rq);
        struct kn_error err = KN_ERROR_INIT;
        rc = st ? store_begin(st, &err) : 500;
        if (rc == 0) {
            rc = survey_draft_add(st, x->json, x->len, x->name, x->creator, x->today,
                                  &x->id, &err);
            if (rc == 0) {
                snprintf(x->subject, sizeof x->subject, "%lld", (long long)x->id);
                rc = web_audit(rq, "survey-add", x->subject, NULL, ne_given(rq, fm));
            }
            if (rc == 0)
                rc = store_commit(st, &err);
            else
                store_rollback(st);
            if (rc == KN_EINPUT || rc == KN_EEXIST) {
                web_survey_refused(rq, fm, x->name, err.msg);
                rc = 1;
            } else if (rc != 0) {
                rc = 500;
            }
        }
    }
    int status;
    if (rc == 1)
        status = fm->fields[0].kind == NE_FILE ? render_file(rq, fm) : ne_render(rq, fm);
    else if (rc != 0)
        status = 500;
    else
        status = web_redirect(
            rq, arena_printf(rq->arena, "/surveys/%lld/edit?saved=1", (long long)x->id));
    json_decref(fm->summary);
    return status;
}

int web_survey_new_post(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, BLANK);
    ne_read(rq, &fm);
    json_t *d = json_pack("{s:s, s:b, s:{s:s, s:s}, s:[]}", "code", fm.v[0], "anonymous",
                          strcmp(fm.v[5], "no") != 0, "title", "sv", fm.v[1], "en",
                          fm.v[2], "questions");
    if (d && (*fm.v[3] || *fm.v[4]))
        json_object_set_new(d, "intro",
                            json_pack("{s:s, s:s}", "sv", fm.v[3], "en", fm.v[4]));
    char *json = d ? json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(d);
    if (!json)
        return 500;
    struct add_arg x = {arena_strdup(rq->arena, json),
                        "questionnaire",
                        NULL,
                        strlen(json),
                        0,
                        0,
                        "",
                        NULL};
    free(json);
    return x.json ? add(rq, &fm, &x) : 500;
}

int web_survey_new_file_post(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, FILE_);
    struct web_upload_in *in = rq->upload;
    if (in && in->status == 400) {
        rq->error = web_t(rq, "upload_err_truncated");
        return 400;
    }
    if (in && in->status != 0)
        return 500;
    char *buf = NULL;
    size_t len = 0;
    if (!in || !in->has_file || !in->path[0] || in->bytes == 0) {
        ne_error(rq, &fm, "survey-file",
                 arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_f_survey_file"),
                              web_t(rq, "ne_e_no_file")));
    } else if (in->bytes > SURVEY_DEF_MAX) {
        ne_error(rq, &fm, "survey-file",
                 arena_printf(rq->arena, "%s: %s: larger than %d bytes",
                              web_t(rq, "ne_f_survey_file"), in->name, SURVEY_DEF_MAX));
    } else {
        int fd = open(in->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || !(buf = arena_alloc(rq->arena, (size_t)in->bytes + 1))) {
            if (fd >= 0)
                close(fd);
            return 500;
        }
        ssize_t r;
        while (len < in->bytes && (r = read(fd, buf + len, (size_t)in->bytes - len)) > 0)
            len += (size_t)r;
        close(fd);
        buf[len] = '\0';
    }
    struct add_arg x = {buf, in ? in->name : "", NULL, len, 0, 0, "", "survey-file"};
    return add(rq, &fm, &x);
}

int web_survey_new_example_post(struct web_req *rq)
{
    struct ne_form fm;
    form(rq, &fm, EXAMPLE);
    ne_read(rq, &fm);
    const char *ex = ne_get(&fm, "survey-example");
    const struct embed_file *f = NULL;
    for (size_t i = 0; ex && examples[i] && !f; i++)
        if (strcmp(ex, examples[i]) == 0)
            f = embed_find(arena_printf(rq->arena, "surveys/%s.json", ex));
    if (!f) {
        ne_refused(rq, &fm, "--survey-example is missing");
        return add(rq, &fm, &(struct add_arg){0});
    }
    const char *json = (const char *)f->data;
    size_t len = f->len;
    const char *code = ne_get(&fm, "survey-code");
    if (code) { /* the example under another code */
        json_t *d = json_loadb(json, len, 0, NULL);
        char *s = NULL;
        if (!d || json_object_set_new(d, "code", json_string(code)) != 0 ||
            !(s = json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
            json_decref(d);
            return 500;
        }
        json_decref(d);
        json = arena_strdup(rq->arena, s);
        free(s);
        if (!json)
            return 500;
        len = strlen(json);
    }
    struct add_arg x = {json, arena_printf(rq->arena, "%s.json", ex), NULL, len, 0, 0, "",
                        NULL};
    return add(rq, &fm, &x);
}

/* The survey's own fields changed (title, intro, anonymous): its code
 * stays. A step as a question's (web_survey_store), audited
 * survey-change. */
static void change_form(struct web_req *rq, struct ne_form *fm,
                        const struct survey_info *si)
{
    ne_init(fm, blank_fields + 1, N(blank_fields) - 1);
    fm->action = arena_printf(rq->arena, "/surveys/%lld/change", (long long)si->id);
    fm->heading =
        arena_printf(rq->arena, "%s %s", web_t(rq, "se_change_survey"), si->code);
    fm->intro = web_t(rq, "se_change_survey_intro");
    fm->submit = web_t(rq, "ne_save");
    fm->back = arena_printf(rq->arena, "/surveys/%lld/edit", (long long)si->id);
}

int web_survey_change(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    struct ne_form fm;
    change_form(rq, &fm, &si);
    const char *v[] = {si.def.title.sv, si.def.title.en, si.def.intro.sv, si.def.intro.en,
                       si.anonymous ? "yes" : "no"};
    for (size_t i = 0; i < fm.n; i++)
        fm.v[i] = v[i] ? v[i] : "";
    return ne_render(rq, &fm);
}

int web_survey_change_post(struct web_req *rq)
{
    struct survey_info si;
    int status = web_survey_load(rq, &si);
    if (status)
        return status;
    struct ne_form fm;
    change_form(rq, &fm, &si);
    ne_read(rq, &fm);
    json_t *def = survey_def_to_json(&si.def);
    if (!def)
        return 500;
    json_object_set_new(def, "title",
                        json_pack("{s:s, s:s}", "sv", fm.v[0], "en", fm.v[1]));
    json_object_del(def, "intro");
    if (*fm.v[2] || *fm.v[3])
        json_object_set_new(def, "intro",
                            json_pack("{s:s, s:s}", "sv", fm.v[2], "en", fm.v[3]));
    json_object_set_new(def, "anonymous", json_boolean(strcmp(fm.v[4], "no") != 0));
    int rc = web_survey_store(rq, &fm, si.id, def, ne_given(rq, &fm));
    return ne_done(
        rq, &fm, rc,
        arena_printf(rq->arena, "/surveys/%lld/edit?saved=1", (long long)si.id));
}
