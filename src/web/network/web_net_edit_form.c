/* src/web/network/web_net_edit_form.c: the one form of the network's
 * editing pages (web_net_edit.h): fields named as the command's options,
 * values kept, errors at their fields. A form has a dozen fields. */
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "domain/pnr_shape.h"
#include "web/network/web_net_edit.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

void ne_init(struct ne_form *fm, const struct ne_field *f, size_t n)
{
    memset(fm, 0, sizeof *fm);
    fm->fields = f;
    fm->n = n < NE_MAX ? n : NE_MAX;
    for (size_t i = 0; i < fm->n; i++)
        fm->v[i] = "";
}

static int find(const struct ne_form *fm, const char *name, size_t len)
{
    for (size_t i = 0; i < fm->n; i++)
        if (strlen(fm->fields[i].name) == len &&
            strncmp(fm->fields[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

const char *ne_get(const struct ne_form *fm, const char *name)
{
    int i = find(fm, name, strlen(name));
    return i >= 0 && *fm->v[i] ? fm->v[i] : NULL;
}

/* The message key prefix + name, '-' as '_'. */
static const char *key(struct web_req *rq, const char *prefix, const char *name)
{
    char k[64];
    int n = snprintf(k, sizeof k, "%s%s", prefix, name);
    for (int i = 0; i < n && i < (int)sizeof k; i++)
        if (k[i] == '-')
            k[i] = '_';
    return web_t(rq, k);
}

void ne_read(struct web_req *rq, struct ne_form *fm)
{
    for (size_t i = 0; i < fm->n; i++) {
        const struct ne_field *f = &fm->fields[i];
        if (f->kind == NE_FILE)
            continue;
        if (f->kind != NE_CHECKS) {
            const char *x = web_form(rq, f->name);
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
    const char *label =
        key(rq, "ne_f_", i >= 0 ? fm->fields[i].name : fm->fields[0].name);
    ne_error(rq, fm, i >= 0 ? fm->fields[i].name : fm->fields[0].name,
             arena_printf(rq->arena, "%s: %s", label, i >= 0 ? reason : msg));
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
    ne_error(
        rq, fm, name,
        arena_printf(rq->arena, "%s: %s", key(rq, "ne_f_", name), web_t(rq, "ne_e_day")));
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

static bool in_list(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static json_t *choices(struct web_req *rq, const struct ne_field *f, const char *v)
{
    json_t *a = json_array();
    for (size_t j = 0; a && f->choices[j]; j++) {
        const char *c = f->choices[j];
        json_t *o =
            f->kind == NE_SELECT
                ? json_pack("{s:s, s:s, s:b}", "value", c, "text", c, "selected",
                            strcmp(v, c) == 0)
                : json_pack("{s:s, s:s, s:s, s:b}", "name",
                            arena_printf(rq->arena, "%s.%s", f->name, c), "id",
                            j == 0 ? arena_printf(rq->arena, "f-%s", f->name)
                                   : arena_printf(rq->arena, "f-%s-%s", f->name, c),
                            "text", c, "checked", in_list(v, c));
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

int ne_render(struct web_req *rq, struct ne_form *fm)
{
    const char *csrf = web_csrf_token(rq);
    json_t *list = json_array();
    bool file = false;
    for (size_t i = 0; i < fm->n; i++)
        file = file || fm->fields[i].kind == NE_FILE;
    rq->model =
        json_pack("{s:s, s:s?, s:s?, s:s, s:s?, s:b, s:o, s:o}", "action", fm->action,
                  "title", fm->heading, "intro", fm->intro, "submit", fm->submit, "back",
                  fm->back, "multipart", file, "fields", list, "errors",
                  fm->summary ? json_incref(fm->summary) : json_array());
    if (!rq->model || !list || !csrf || !web_sets(rq->model, "csrf", csrf))
        return 500;
    if (json_array_size(fm->summary) > 0 &&
        !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
        return 500;
    for (size_t i = 0; i < fm->n; i++) {
        const struct ne_field *f = &fm->fields[i];
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s?, s:b, s:b, s:b, s:b, s:b, s:b}", "name",
            f->name, "id", arena_printf(rq->arena, "f-%s", f->name), "label",
            key(rq, "ne_f_", f->name), "hint", key(rq, "ne_h_", f->name), "value",
            shown(rq, fm->v[i]), "error", fm->e[i], "text", f->kind == NE_TEXT, "area",
            f->kind == NE_AREA, "select", f->kind == NE_SELECT, "checks_kind",
            f->kind == NE_CHECKS, "file", f->kind == NE_FILE, "required", f->required);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
        if (f->kind == NE_SELECT || f->kind == NE_CHECKS) {
            json_t *c = choices(rq, f, fm->v[i]);
            if (!c || json_object_set_new(o, f->kind == NE_SELECT ? "options" : "checks",
                                          c) != 0)
                return 500;
        }
    }
    return 200;
}

int ne_store(struct web_req *rq, struct ne_form *fm,
             int (*fn)(struct store *, void *, struct kn_error *), void *arg,
             const char *action, const char *const *subject, const char *detail)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    if (fm->summary && json_array_size(fm->summary) > 0)
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
    if (rc == 0)
        rc = web_audit(rq, action, *subject, NULL, detail);
    if (rc == 0)
        rc = store_commit(st, &err);
    else
        store_rollback(st);
    return rc == 0 ? 0 : 500;
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
