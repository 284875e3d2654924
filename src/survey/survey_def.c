/* src/survey/survey_def.c: the questionnaire's JSON reader and the check
 * of answers (survey_def.h). Definitions are small (a few dozen questions);
 * the reader walks jansson's tree once and copies what it keeps into the
 * arena, building a path ("questions[2].options[0]") for its messages. */
#include "survey/survey_def.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"
#include "network/net_text.h"

const char *const SURVEY_KINDS[] = {"single", "multiple", "scale", "text", NULL};

struct rd {
    const char *name;
    struct arena *a;
    struct kn_error *err;
    bool draft; /* no questions yet is allowed */
};

static int bad(struct rd *r, const char *path, const char *field, const char *why)
{
    return kn_fail(r->err, KN_EINPUT, "%s: %s%s%s: %s", r->name, path, *path ? "." : "",
                   field, why);
}

/* Every key of o is one of keys (NULL-terminated). */
static int closed(struct rd *r, json_t *o, const char *path, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i]) {
            char shown[64];
            pnr_mask_copy(k, strlen(k), shown, sizeof shown);
            return kn_fail(r->err, KN_EINPUT, "%s: %s%s'%s': not a known key", r->name,
                           path, *path ? ": " : "", shown);
        }
    }
    return 0;
}

static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SURVEY_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* A string field of o; NULL in *out when absent and optional. */
static int str_field(struct rd *r, json_t *o, const char *path, const char *field,
                     bool required, size_t max, const char **out)
{
    json_t *v = json_object_get(o, field);
    *out = NULL;
    if (!v)
        return required ? bad(r, path, field, "is missing") : 0;
    if (!json_is_string(v))
        return bad(r, path, field, "must be a text");
    char full[160];
    snprintf(full, sizeof full, "%s: %s%s%s", r->name, path, *path ? "." : "", field);
    if (net_text_check(full, json_string_value(v), max, required, false, r->err) != 0)
        return r->err->code;
    *out = arena_strdup(r->a, json_string_value(v));
    return *out ? 0 : kn_fail(r->err, KN_ENOMEM, "out of memory");
}

static int id_field(struct rd *r, json_t *o, const char *path, const char *field,
                    const char **out)
{
    if (str_field(r, o, path, field, true, SURVEY_ID_MAX + 100, out) != 0)
        return r->err->code;
    if (!id_ok(*out))
        return bad(r, path, field, "1 to 40 of a-z, 0-9 and '-'");
    return 0;
}

/* {"sv": ..., "en": ...} at o[field]; both required when the text is. */
static int text_field(struct rd *r, json_t *o, const char *path, const char *field,
                      bool required, size_t max, struct survey_text *t)
{
    static const char *const keys[] = {"sv", "en", NULL};
    json_t *v = json_object_get(o, field);
    t->sv = t->en = "";
    if (!v)
        return required ? bad(r, path, field, "is missing") : 0;
    if (!json_is_object(v))
        return bad(r, path, field, "must be an object with \"sv\" and \"en\"");
    char sub[160];
    snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", field);
    if (closed(r, v, sub, keys) != 0 || str_field(r, v, sub, "sv", true, max, &t->sv) != 0 ||
        str_field(r, v, sub, "en", true, max, &t->en) != 0)
        return r->err->code;
    return 0;
}

static int bool_field(struct rd *r, json_t *o, const char *path, const char *field,
                      bool dflt, bool *out)
{
    json_t *v = json_object_get(o, field);
    *out = dflt;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return bad(r, path, field, "must be true or false");
    *out = json_is_true(v);
    return 0;
}

static int int_field(struct rd *r, json_t *o, const char *path, const char *field, int lo,
                     int hi, int *out)
{
    json_t *v = json_object_get(o, field);
    if (!v)
        return bad(r, path, field, "is missing");
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        char why[64];
        snprintf(why, sizeof why, "a whole number from %d to %d", lo, hi);
        return bad(r, path, field, why);
    }
    *out = (int)json_integer_value(v);
    return 0;
}

static int read_options(struct rd *r, json_t *qo, const char *path,
                        struct survey_question *q)
{
    static const char *const keys[] = {"value", "sv", "en", NULL};
    json_t *arr = json_object_get(qo, "options");
    if (!arr)
        return bad(r, path, "options", "is missing");
    if (!json_is_array(arr) || json_array_size(arr) < 2 ||
        json_array_size(arr) > SURVEY_OPTIONS_MAX)
        return bad(r, path, "options", "a list of 2 to 30 options");
    q->noptions = json_array_size(arr);
    q->options = arena_calloc(r->a, q->noptions, sizeof *q->options);
    if (!q->options)
        return kn_fail(r->err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < q->noptions; i++) {
        char sub[128];
        snprintf(sub, sizeof sub, "%s.options[%zu]", path, i);
        json_t *o = json_array_get(arr, i);
        struct survey_option *op = &q->options[i];
        if (!json_is_object(o))
            return kn_fail(r->err, KN_EINPUT, "%s: %s: must be an object", r->name, sub);
        if (closed(r, o, sub, keys) != 0 || id_field(r, o, sub, "value", &op->value) != 0 ||
            str_field(r, o, sub, "sv", true, NET_TEXT_MAX, &op->label.sv) != 0 ||
            str_field(r, o, sub, "en", true, NET_TEXT_MAX, &op->label.en) != 0)
            return r->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(q->options[j].value, op->value) == 0)
                return bad(r, sub, "value", "repeats an earlier option's value");
    }
    return 0;
}

static int read_scale(struct rd *r, json_t *qo, const char *path, struct survey_question *q)
{
    static const char *const keys[] = {"min", "max", "min_label", "max_label", NULL};
    json_t *s = json_object_get(qo, "scale");
    char sub[128];
    snprintf(sub, sizeof sub, "%s.scale", path);
    if (!s)
        return bad(r, path, "scale", "is missing");
    if (!json_is_object(s))
        return bad(r, path, "scale", "must be an object");
    if (closed(r, s, sub, keys) != 0 || int_field(r, s, sub, "min", 0, 1, &q->min) != 0 ||
        int_field(r, s, sub, "max", q->min + 1, q->min + 10, &q->max) != 0 ||
        text_field(r, s, sub, "min_label", true, NET_TEXT_MAX, &q->min_label) != 0 ||
        text_field(r, s, sub, "max_label", true, NET_TEXT_MAX, &q->max_label) != 0)
        return r->err->code;
    q->noptions = (size_t)(q->max - q->min + 1);
    q->options = arena_calloc(r->a, q->noptions, sizeof *q->options);
    if (!q->options)
        return kn_fail(r->err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < q->noptions; i++) {
        char *v = arena_printf(r->a, "%d", q->min + (int)i);
        if (!v)
            return kn_fail(r->err, KN_ENOMEM, "out of memory");
        q->options[i].value = v;
        q->options[i].label.sv = q->options[i].label.en = v;
    }
    return 0;
}

static int read_question(struct rd *r, json_t *qo, size_t i, struct survey_question *q,
                         const struct survey_question *before)
{
    static const char *const keys[] = {"id",      "kind",    "required", "text",
                                       "help",    "options", "scale",    NULL};
    char path[64];
    snprintf(path, sizeof path, "questions[%zu]", i);
    if (!json_is_object(qo))
        return kn_fail(r->err, KN_EINPUT, "%s: %s: must be an object", r->name, path);
    const char *kind;
    if (closed(r, qo, path, keys) != 0 || id_field(r, qo, path, "id", &q->id) != 0 ||
        str_field(r, qo, path, "kind", true, 20, &kind) != 0)
        return r->err->code;
    for (size_t j = 0; j < i; j++)
        if (strcmp(before[j].id, q->id) == 0)
            return bad(r, path, "id", "repeats an earlier question's id");
    size_t k = 0;
    while (SURVEY_KINDS[k] && strcmp(SURVEY_KINDS[k], kind) != 0)
        k++;
    if (!SURVEY_KINDS[k])
        return bad(r, path, "kind", "one of single, multiple, scale or text");
    q->kind = (enum survey_kind)k;
    if (bool_field(r, qo, path, "required", false, &q->required) != 0 ||
        text_field(r, qo, path, "text", true, SURVEY_QTEXT_MAX, &q->text) != 0 ||
        text_field(r, qo, path, "help", false, SURVEY_QTEXT_MAX, &q->help) != 0)
        return r->err->code;
    bool has_opts = json_object_get(qo, "options") != NULL;
    bool has_scale = json_object_get(qo, "scale") != NULL;
    switch (q->kind) {
    case SURVEY_SINGLE:
    case SURVEY_MULTIPLE:
        if (has_scale)
            return bad(r, path, "scale", "only for a scale question");
        return read_options(r, qo, path, q);
    case SURVEY_SCALE:
        if (has_opts)
            return bad(r, path, "options", "a scale's options are its numbers");
        return read_scale(r, qo, path, q);
    case SURVEY_TEXT:
        if (has_opts || has_scale)
            return bad(r, path, has_opts ? "options" : "scale",
                       "not for a free text question");
        return 0;
    }
    return 0;
}

static int read_def(struct rd *r, json_t *root, struct survey_def *out)
{
    static const char *const keys[] = {"code", "anonymous", "title", "intro", "questions",
                                       NULL};
    if (!json_is_object(root))
        return kn_fail(r->err, KN_EINPUT, "%s: the questionnaire must be a JSON object",
                       r->name);
    if (closed(r, root, "", keys) != 0 || id_field(r, root, "", "code", &out->code) != 0 ||
        bool_field(r, root, "", "anonymous", true, &out->anonymous) != 0 ||
        text_field(r, root, "", "title", true, NET_TEXT_MAX, &out->title) != 0 ||
        text_field(r, root, "", "intro", false, SURVEY_QTEXT_MAX, &out->intro) != 0)
        return r->err->code;
    json_t *qs = json_object_get(root, "questions");
    if (!qs)
        return bad(r, "", "questions", "is missing");
    if (!json_is_array(qs) || json_array_size(qs) < (r->draft ? 0 : 1) ||
        json_array_size(qs) > SURVEY_QUESTIONS_MAX)
        return bad(r, "", "questions", "a list of 1 to 100 questions");
    out->nq = json_array_size(qs);
    out->q = arena_calloc(r->a, out->nq ? out->nq : 1, sizeof *out->q);
    if (!out->q)
        return kn_fail(r->err, KN_ENOMEM, "out of memory");
    size_t fields = 0;
    for (size_t i = 0; i < out->nq; i++) {
        if (read_question(r, json_array_get(qs, i), i, &out->q[i], out->q) != 0)
            return r->err->code;
        fields += out->q[i].kind == SURVEY_MULTIPLE ? out->q[i].noptions : 1;
    }
    if (fields > SURVEY_FIELDS_MAX) {
        char why[128];
        snprintf(why, sizeof why,
                 "%zu form fields (one per question and per multiple choice option); at "
                 "most %d",
                 fields, SURVEY_FIELDS_MAX);
        return bad(r, "", "questions", why);
    }
    return 0;
}

static int parse(const char *json, size_t len, const char *name, bool draft,
                 struct survey_def *out, struct arena *a, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    if (len > SURVEY_DEF_MAX)
        return kn_fail(err, KN_EINPUT, "%s: larger than %d bytes", name, SURVEY_DEF_MAX);
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return kn_fail(err, KN_EINPUT, "%s:%d:%d: not valid JSON (%s)", name, je.line,
                       je.column, je.text);
    struct rd r = {name, a, err, draft};
    int rc = read_def(&r, root, out);
    json_decref(root);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

const struct survey_question *survey_def_question(const struct survey_def *d,
                                                  const char *id)
{
    for (size_t i = 0; i < d->nq; i++)
        if (strcmp(d->q[i].id, id) == 0)
            return &d->q[i];
    return NULL;
}

const char *survey_text_in(const struct survey_text *t, const char *lang)
{
    return lang && strcmp(lang, "en") == 0 ? t->en : t->sv;
}

static bool is_option(const struct survey_question *q, const char *v)
{
    for (size_t i = 0; i < q->noptions; i++)
        if (strcmp(q->options[i].value, v) == 0)
            return true;
    return false;
}

/* The fault of the values of question q among p[0..n). */
static enum survey_fault question_fault(const struct survey_question *q,
                                        const struct survey_pair *p, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!*p[i].value || strcmp(p[i].question, q->id) != 0)
            continue;
        count++;
        if (q->kind == SURVEY_TEXT) {
            size_t len = strlen(p[i].value);
            if (len > SURVEY_ANSWER_MAX || !utf8_valid(p[i].value, len, NULL))
                return SURVEY_TEXTBAD;
            for (size_t c = 0; c < len; c++) {
                unsigned char ch = (unsigned char)p[i].value[c];
                if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7f)
                    return SURVEY_TEXTBAD;
            }
            if (pnr_find_shaped(p[i].value, len, NULL, NULL))
                return SURVEY_PNR;
        } else if (!is_option(q, p[i].value)) {
            return SURVEY_CHOICE;
        }
        for (size_t j = 0; j < i; j++)
            if (*p[j].value && strcmp(p[j].question, q->id) == 0 &&
                strcmp(p[j].value, p[i].value) == 0)
                return SURVEY_ONE;
    }
    if (count == 0)
        return q->required ? SURVEY_MISSING : SURVEY_OK;
    if (count > 1 && q->kind != SURVEY_MULTIPLE)
        return SURVEY_ONE;
    return SURVEY_OK;
}

static const char *fault_text(enum survey_fault f)
{
    switch (f) {
    case SURVEY_MISSING:
        return "required, and not answered";
    case SURVEY_CHOICE:
        return "not one of the question's options";
    case SURVEY_ONE:
        return "one answer only, or an option given twice";
    case SURVEY_TEXTBAD:
        return "at most 4000 bytes of UTF-8 text without control characters";
    case SURVEY_PNR:
        return "holds a personnummer-shaped number: answers must not name anyone";
    case SURVEY_OK:
        break;
    }
    return "";
}

int survey_answers_check(const struct survey_def *d, const struct survey_pair *p, size_t n,
                         enum survey_fault *faults, struct kn_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (*p[i].value && !survey_def_question(d, p[i].question)) {
            char shown[64];
            pnr_mask_copy(p[i].question, strlen(p[i].question), shown, sizeof shown);
            rc = kn_fail(err, KN_EINPUT, "'%s': not a question of this survey", shown);
        }
    for (size_t k = 0; k < d->nq; k++) {
        enum survey_fault f = question_fault(&d->q[k], p, n);
        if (faults)
            faults[k] = f;
        if (f != SURVEY_OK && rc == 0)
            rc = kn_fail(err, KN_EINPUT, "%s: %s", d->q[k].id, fault_text(f));
    }
    return rc;
}

int survey_def_parse(const char *json, size_t len, const char *name, struct survey_def *out,
                     struct arena *a, struct kn_error *err)
{
    return parse(json, len, name, false, out, a, err);
}

int survey_def_parse_draft(const char *json, size_t len, const char *name,
                           struct survey_def *out, struct arena *a, struct kn_error *err)
{
    return parse(json, len, name, true, out, a, err);
}
