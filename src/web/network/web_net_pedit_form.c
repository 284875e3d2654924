/* src/web/network/web_net_pedit_form.c: the programme's forms' shared
 * model and error handling (web_net_pedit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access_scope.h"
#include "domain/geo.h"
#include "domain/pnr_shape.h"
#include "web/network/web_net_pedit.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

int64_t web_net_pedit_id(struct web_req *rq)
{
    const char *s = web_param(rq, "id");
    char *end = NULL;
    long long id = s && *s ? strtoll(s, &end, 10) : 0;
    return id > 0 && *end == '\0' ? (int64_t)id : 0;
}

void web_net_pedit_init(struct pedit_form *f, const char *form,
                        const struct pedit_field *fields, size_t n)
{
    memset(f, 0, sizeof *f);
    f->form = form;
    f->fields = fields;
    f->n = n < PEDIT_MAX ? n : PEDIT_MAX;
    for (size_t i = 0; i < PEDIT_MAX; i++)
        f->v[i] = "";
}

/* The message key prefix + name, '-' as '_'. */
static const char *key(struct web_req *rq, const char *prefix, const char *name)
{
    char *k = arena_printf(rq->arena, "%s%s", prefix, name);
    for (char *c = k; c && *c; c++)
        if (*c == '-')
            *c = '_';
    return k ? web_t(rq, k) : "";
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

static json_t *options(struct web_req *rq, const struct pedit_field *fd, const char *v)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    if (fd->region) {
        const struct geo *g = rq->app->geo;
        for (size_t i = 0; i < g->nregions; i++) {
            const struct geo_region *r = &g->regions[i];
            if (!access_scope_has_region(&rq->session->user, r->code))
                continue;
            json_array_append_new(
                a, json_pack("{s:s, s:s, s:b}", "value", r->code, "text",
                             arena_printf(rq->arena, "%s %s", r->code, r->name),
                             "selected", strcmp(v, r->code) == 0));
        }
        return a;
    }
    for (size_t i = 0; fd->options && fd->options[i]; i++) {
        const char *o = fd->options[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", o, "text",
                                           key(rq, "pedit_o_", o), "selected",
                                           strcmp(v, o) == 0));
    }
    return a;
}

int web_net_pedit_render(struct web_req *rq, struct pedit_form *f)
{
    const char *csrf = web_csrf_token(rq);
    json_t *list = json_array();
    rq->model = json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:o, s:o}", "action", f->action,
                          "heading", f->heading, "intro", f->intro, "submit", f->submit,
                          "back", f->back, "fields", list, "errors",
                          f->summary ? json_incref(f->summary) : json_array());
    if (!rq->model || !list || !csrf || !web_sets(rq->model, "csrf", csrf))
        return 500;
    if (f->extra && json_object_update(rq->model, f->extra) != 0)
        return 500;
    for (size_t i = 0; i < f->n; i++) {
        const struct pedit_field *fd = &f->fields[i];
        char *hint_key = arena_printf(rq->arena, "pedit_h_%s_%s", f->form, fd->name);
        for (char *c = hint_key; c && *c; c++)
            if (*c == '-')
                *c = '_';
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s?, s:b, s:b, s:b, s:b, s:b, s:b}", "name",
            fd->name, "id", arena_printf(rq->arena, "f-%s", fd->name), "label",
            key(rq, "pedit_f_", fd->name), "hint", hint_key ? web_t(rq, hint_key) : "",
            "value", shown(rq, f->v[i]), "error", f->e[i], "text", fd->kind == PEDIT_TEXT,
            "area", fd->kind == PEDIT_AREA, "select", fd->kind == PEDIT_SELECT, "check",
            fd->kind == PEDIT_CHECK, "checked", f->v[i] && *f->v[i], "required",
            fd->required);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
        if (fd->kind == PEDIT_SELECT) {
            json_t *opts = options(rq, fd, f->v[i] ? f->v[i] : "");
            if (!opts || json_object_set_new(o, "options", opts) != 0)
                return 500;
        }
    }
    return 200;
}

void web_net_pedit_read(struct web_req *rq, struct pedit_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const char *x = web_form(rq, f->fields[i].name);
        if (f->fields[i].kind == PEDIT_CHECK)
            f->v[i] = x && *x ? "1" : "";
        else
            f->v[i] = x ? x : "";
    }
}

int web_net_pedit_field(const struct pedit_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

void web_net_pedit_error(struct web_req *rq, struct pedit_form *f, int i,
                         const char *text)
{
    if (i < 0 || (size_t)i >= f->n || f->e[i])
        return;
    if (!f->summary)
        f->summary = json_array();
    f->e[i] = text;
    json_array_append_new(f->summary,
                          json_pack("{s:s, s:s}", "field",
                                    arena_printf(rq->arena, "f-%s", f->fields[i].name),
                                    "text", text));
}

void web_net_pedit_refused(struct web_req *rq, struct pedit_form *f, const char *msg)
{
    int i = -1;
    if (strncmp(msg, "--", 2) == 0) {
        size_t len = strspn(msg + 2, "abcdefghijklmnopqrstuvwxyz-");
        char name[40];
        if (len < sizeof name) {
            memcpy(name, msg + 2, len);
            name[len] = '\0';
            i = web_net_pedit_field(f, name);
        }
    }
    if (i < 0) {
        web_net_pedit_error(rq, f, 0, key(rq, "pedit_e_", "other"));
        return;
    }
    const char *v = f->v[i];
    if (v && pnr_find_shaped(v, strlen(v), NULL, NULL))
        web_net_pedit_error(rq, f, i, web_t(rq, "pedit_e_pnr"));
    else {
        /* the form's own words for the field, else the shared ones */
        const char *own = arena_printf(rq->arena, "pedit_e_%s_", f->form);
        const char *text = own ? key(rq, own, f->fields[i].name) : NULL;
        if (!text || strncmp(text, "pedit_e_", 8) == 0)
            text = key(rq, "pedit_e_", f->fields[i].name);
        web_net_pedit_error(rq, f, i, text);
    }
}

const char *web_net_pedit_given(const struct pedit_form *f, int i)
{
    return i >= 0 && f->v[i] && *f->v[i] ? f->v[i] : NULL;
}
