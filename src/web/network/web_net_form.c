/* src/web/network/web_net_form.c: the one form layer of the network's
 * editing pages (web_net_form.h): fields named as the command's options,
 * values kept, errors at their fields, one template. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access_scope.h"
#include "access/access_session.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "domain/geo.h"
#include "domain/pnr_shape.h"
#include "network/net_rows.h"
#include "network/net_text.h"
#include "web/network/web_net_form.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

void ne_init(struct ne_form *fm, const struct ne_field *f, size_t n)
{
    memset(fm, 0, sizeof *fm);
    fm->fields = f;
    fm->n = n < NE_MAX ? n : NE_MAX;
    for (size_t i = 0; i < NE_MAX; i++)
        fm->v[i] = "";
}

int64_t ne_id(struct web_req *rq)
{
    const char *s = web_param(rq, "id");
    char *end = NULL;
    long long id = s && *s ? strtoll(s, &end, 10) : 0;
    return id > 0 && *end == '\0' ? (int64_t)id : 0;
}

static int find(const struct ne_form *fm, const char *name, size_t len)
{
    for (size_t i = 0; i < fm->n; i++)
        if (strlen(fm->fields[i].name) == len &&
            strncmp(fm->fields[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int ne_field(const struct ne_form *fm, const char *name)
{
    return find(fm, name, strlen(name));
}

const char *ne_get(const struct ne_form *fm, const char *name)
{
    int i = find(fm, name, strlen(name));
    return i >= 0 && *fm->v[i] ? fm->v[i] : NULL;
}

/* The message prefix + name, '-' as '_'. */
static const char *key(struct web_req *rq, const char *prefix, const char *name)
{
    char *k = arena_printf(rq->arena, "%s%s", prefix, name);
    for (char *c = k; c && *c; c++)
        if (*c == '-')
            *c = '_';
    return k ? web_t(rq, k) : "";
}

const char *ne_words(struct web_req *rq, const struct ne_form *fm, const char *kind,
                     const char *name)
{
    const char *prefix =
        arena_printf(rq->arena, "%s_%s", fm->keys ? fm->keys : "ne", kind);
    return prefix ? key(rq, prefix, name) : "";
}

/* The hint of field f: the form's own ("<keys>_h_<form>_NAME") or the
 * field's. */
static const char *hint(struct web_req *rq, const struct ne_form *fm, size_t i)
{
    if (fm->hint[i])
        return fm->hint[i];
    const char *name = fm->fields[i].name;
    if (fm->form)
        name = arena_printf(rq->arena, "%s_%s", fm->form, name);
    return name ? ne_words(rq, fm, "h_", name) : "";
}

void ne_read(struct web_req *rq, struct ne_form *fm)
{
    for (size_t i = 0; i < fm->n; i++) {
        const struct ne_field *f = &fm->fields[i];
        if (f->kind == NE_FILE)
            continue;
        if (f->kind != NE_CHECKS) {
            const char *x = web_form(rq, f->name);
            if (f->kind == NE_CHECK)
                fm->v[i] = x && *x ? "1" : "";
            else
                fm->v[i] = x ? x : "";
            continue;
        }
        struct strbuf sb = STRBUF_INIT;
        for (size_t j = 0; f->choices[j]; j++) {
            const char *x =
                web_form(rq, arena_printf(rq->arena, "%s.%s", f->name, f->choices[j]));
            if (x && *x)
                sb_addf(&sb, "%s%s", sb.len ? "," : "", f->choices[j]);
        }
        fm->v[i] = arena_strndup(rq->arena, sb.buf ? sb.buf : "", sb.len);
        if (!fm->v[i])
            fm->v[i] = "";
        sb_release(&sb);
    }
}

void ne_error(struct web_req *rq, struct ne_form *fm, const char *name, const char *text)
{
    int i = find(fm, name, strlen(name));
    if (i < 0)
        i = 0;
    if (fm->e[i])
        return;
    fm->e[i] = text;
    if (!fm->summary)
        fm->summary = json_array();
    json_array_append_new(fm->summary,
                          json_pack("{s:s, s:s}", "field",
                                    arena_printf(rq->arena, "f-%s", fm->fields[i].name),
                                    "text", text));
}

/* A worded refusal at field i (-1: none of the form's). */
static void refused_worded(struct web_req *rq, struct ne_form *fm, int i)
{
    if (i < 0) {
        ne_error(rq, fm, fm->fields[0].name, ne_words(rq, fm, "e_", "other"));
        return;
    }
    const char *name = fm->fields[i].name, *v = fm->v[i], *text = NULL;
    if (v && pnr_find_shaped(v, strlen(v), NULL, NULL)) {
        ne_error(rq, fm, name, ne_words(rq, fm, "e_", "pnr"));
        return;
    }
    if (fm->form) { /* the form's own words for the field, else the shared ones */
        const char *own = arena_printf(rq->arena, "%s_%s", fm->form, name);
        text = own ? ne_words(rq, fm, "e_", own) : NULL;
        const char *own_key =
            arena_printf(rq->arena, "%s_e_", fm->keys ? fm->keys : "ne");
        if (text && own_key && strncmp(text, own_key, strlen(own_key)) == 0)
            text = NULL; /* no such message: web_t answers its key */
    }
    ne_error(rq, fm, name, text ? text : ne_words(rq, fm, "e_", name));
}

void ne_refused(struct web_req *rq, struct ne_form *fm, const char *msg)
{
    /* "--name: reason", "--name is missing", "--node: no knowledge node" */
    const char *name = "", *reason = msg;
    size_t len = 0;
    if (strncmp(msg, "--", 2) == 0) {
        name = msg + 2;
        len = strcspn(name, ": ");
        reason = name + len;
        reason += strspn(reason, ": ");
    }
    int i = find(fm, name, len);
    if (fm->worded) {
        refused_worded(rq, fm, i);
        return;
    }
    const char *field = i >= 0 ? fm->fields[i].name : fm->fields[0].name;
    ne_error(rq, fm, field,
             arena_printf(rq->arena, "%s: %s", ne_words(rq, fm, "f_", field),
                          i >= 0 ? reason : msg));
}

bool ne_day(struct web_req *rq, struct ne_form *fm, const char *name, kn_day dflt,
            kn_day *out)
{
    const char *v = ne_get(fm, name);
    struct kn_error err = KN_ERROR_INIT;
    *out = dflt;
    if (!v)
        return true;
    if (date_parse(v, strlen(v), out, &err) == 0)
        return true;
    ne_error(rq, fm, name,
             arena_printf(rq->arena, "%s: %s", ne_words(rq, fm, "f_", name),
                          ne_words(rq, fm, "e_", "day")));
    return false;
}

/* A value as it may be shown again: anything shaped like a personnummer
 * masked. */
static const char *shown(struct web_req *rq, const char *v)
{
    char *s = arena_strdup(rq->arena, v ? v : "");
    if (s)
        pnr_mask(s, strlen(s));
    return s ? s : "";
}

/* The regions a select of regions offers: all for an administrator, else
 * those in the user's scope. */
static json_t *regions(struct web_req *rq, const char *v)
{
    const struct geo *g = rq->app->geo;
    const struct access_user *u = &rq->session->user;
    json_t *a = json_array();
    for (size_t i = 0; a && i < g->nregions; i++) {
        const struct geo_region *r = &g->regions[i];
        if (u->role != ROLE_ADMIN && !access_scope_has_region(u, r->code))
            continue;
        json_t *o = json_pack("{s:s, s:s, s:b}", "value", r->code, "text",
                              arena_printf(rq->arena, "%s %s", r->code, r->name),
                              "selected", strcmp(v, r->code) == 0);
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The words of choice c of a field of fm. */
static const char *choice_text(struct web_req *rq, const struct ne_form *fm,
                               const struct ne_field *f, const char *c)
{
    if (f->kind == NE_YESNO)
        return web_t(rq, strcmp(c, "yes") == 0 ? "net_yes" : "net_no");
    if (!fm->choice_words)
        return c;
    const char *text = key(rq, fm->choice_words, c);
    /* no such message: web_t answers its key */
    return strncmp(text, fm->choice_words, strlen(fm->choice_words)) == 0 ? c : text;
}

static json_t *choices(struct web_req *rq, const struct ne_form *fm,
                       const struct ne_field *f, const char *v)
{
    static const char *const yes_no[] = {"yes", "no", NULL};
    const char *const *list = f->kind == NE_YESNO ? yes_no : f->choices;
    if (f->kind == NE_REGION)
        return regions(rq, v);
    const char *const *labels = fm->labels[f - fm->fields];
    json_t *a = json_array();
    for (size_t j = 0; a && list[j]; j++) {
        const char *c = list[j];
        const char *text = labels && labels[j] ? labels[j] : choice_text(rq, fm, f, c);
        json_t *o =
            f->kind != NE_CHECKS
                ? json_pack("{s:s, s:s, s:b}", "value", c, "text", text, "selected",
                            strcmp(v, c) == 0)
                : json_pack("{s:s, s:s, s:s, s:b}", "name",
                            arena_printf(rq->arena, "%s.%s", f->name, c), "id",
                            j == 0 ? arena_printf(rq->arena, "f-%s", f->name)
                                   : arena_printf(rq->arena, "f-%s-%s", f->name, c),
                            "text", text, "checked", text_list_has(v, c));
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The model's fixed part: the page's words, the CSRF token, the table. */
static json_t *page(struct web_req *rq, const struct ne_form *fm, json_t *list)
{
    bool file = false, failed = json_array_size(fm->summary) > 0;
    for (size_t i = 0; i < fm->n; i++)
        file = file || fm->fields[i].kind == NE_FILE;
    const char *csrf = web_csrf_token(rq);
    const char *back_text = fm->back_text ? fm->back_text : ne_words(rq, fm, "", "back");
    /* the page's title: its heading, after "Error" when refused */
    const char *title = failed
                            ? arena_printf(rq->arena, "%s: %s", web_t(rq, "error_prefix"),
                                           fm->heading ? fm->heading : "")
                            : fm->heading;
    json_t *m = json_pack(
        "{s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s, s:b, s:o, s:o, s:s?, s:O?}", "action",
        fm->action, "title", fm->heading, "title_id", fm->heading_id, "intro", fm->intro,
        "submit", fm->submit, "back", fm->back, "back_text", back_text, "multipart", file,
        "fields", list, "errors", fm->summary ? json_incref(fm->summary) : json_array(),
        "heading", title, "table", fm->table);
    if (m && (!csrf || !web_sets(m, "csrf", csrf))) {
        json_decref(m);
        return NULL;
    }
    return m;
}

int ne_done(struct web_req *rq, struct ne_form *fm, int rc, const char *location)
{
    int status = rc == 1 ? ne_render(rq, fm) : rc != 0 ? 500 : web_redirect(rq, location);
    json_decref(fm->summary);
    fm->summary = NULL;
    return status;
}

void ne_fill(struct web_req *rq, struct ne_form *fm, const json_t *row,
             const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n && i < fm->n; i++) {
        const char *v = json_string_value(json_object_get(row, keys[i]));
        fm->v[i] = v ? arena_strdup(rq->arena, v) : "";
        if (!fm->v[i])
            fm->v[i] = "";
    }
}

int ne_render(struct web_req *rq, struct ne_form *fm)
{
    json_t *list = json_array();
    rq->model = list ? page(rq, fm, list) : NULL;
    if (!rq->model)
        return 500;
    for (size_t i = 0; i < fm->n; i++) {
        const struct ne_field *f = &fm->fields[i];
        enum ne_kind k = f->kind;
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s?, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, "
            "s:b}",
            "name", f->name, "id", arena_printf(rq->arena, "f-%s", f->name), "label",
            ne_words(rq, fm, "f_", f->name), "hint", hint(rq, fm, i), "value",
            shown(rq, fm->v[i]), "error", fm->e[i], "text", k == NE_TEXT, "area",
            k == NE_AREA, "select", k == NE_SELECT || k == NE_REGION || k == NE_YESNO,
            "checks_kind", k == NE_CHECKS, "check", k == NE_CHECK, "checked",
            k == NE_CHECK && *fm->v[i], "file", k == NE_FILE, "required", f->required,
            "group", k == NE_CHECKS || k == NE_CHECK);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
        if (k == NE_SELECT || k == NE_REGION || k == NE_YESNO || k == NE_CHECKS) {
            json_t *c = choices(rq, fm, f, fm->v[i]);
            if (!c ||
                json_object_set_new(o, k == NE_CHECKS ? "checks" : "options", c) != 0)
                return 500;
        }
    }
    return 200;
}

int ne_store_in(struct web_req *rq, struct ne_form *fm,
                int (*fn)(struct store *, void *, struct kn_error *), void *arg,
                const char *action, const char *const *subject, const char *const *detail)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    if (json_array_size(fm->summary) > 0)
        return 1; /* refused before: nothing to store */
    int rc = store_begin(st, &err);
    if (rc != 0)
        return 500;
    rc = fn(st, arg, &err);
    if (rc == KN_EINPUT || rc == KN_EEXIST ||
        (rc == KN_ENOTFOUND && strncmp(err.msg, "--", 2) == 0)) {
        store_rollback(st);
        ne_refused(rq, fm, err.msg);
        return 1;
    }
    if (rc == 0 && json_array_size(fm->summary) > 0) {
        store_rollback(st); /* fn refused at a field itself */
        return 1;
    }
    if (rc == 0)
        rc = web_audit(rq, action, *subject, NULL, *detail);
    if (rc == 0)
        rc = store_commit(st, &err);
    else
        store_rollback(st);
    return rc == 0 ? 0 : 500;
}

int ne_store(struct web_req *rq, struct ne_form *fm,
             int (*fn)(struct store *, void *, struct kn_error *), void *arg,
             const char *action, const char *const *subject, const char *detail)
{
    return ne_store_in(rq, fm, fn, arg, action, subject, &detail);
}

const char *ne_given(struct web_req *rq, const struct ne_form *fm)
{
    const char *out = "";
    for (size_t i = 0; i < fm->n && out; i++)
        if (*fm->v[i] && fm->fields[i].kind != NE_FILE)
            out = arena_printf(rq->arena, "%s%s--%s", out, *out ? ", " : "",
                               fm->fields[i].name);
    return out ? out : "";
}

json_t *ne_table(struct web_req *rq, const char *caption, const char *const *cols,
                 const struct net_rows *t)
{
    json_t *heads = json_array(), *rows = json_array();
    json_t *out =
        json_pack("{s:s, s:o, s:o}", "caption", caption, "cols", heads, "rows", rows);
    bool good = out != NULL;
    for (size_t k = 0; good && cols[k]; k++)
        good = json_array_append_new(heads,
                                     json_pack("{s:s}", "text", web_t(rq, cols[k]))) == 0;
    for (size_t r = 0; good && r < t->nrows; r++) {
        const char **cell = t->cells + r * t->ncols;
        json_t *td = json_array();
        json_t *row = json_pack("{s:s, s:o}", "th", cell[0] ? cell[0] : "", "td", td);
        good = row && json_array_append_new(rows, row) == 0;
        for (size_t c = 1; good && c < t->ncols; c++)
            good = json_array_append_new(
                       td, json_pack("{s:s}", "text", cell[c] ? cell[c] : "")) == 0;
    }
    if (!good) {
        json_decref(out);
        return NULL;
    }
    return out;
}
