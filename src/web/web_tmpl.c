/* src/web/web_tmpl.c: parsing and rendering the Mustache dialect of
 * web_tmpl.h.
 *
 * A template is parsed into a flat array of nodes; a section node knows
 * the index just past its closing tag, so rendering walks index ranges
 * and needs no tree. Templates are a few KiB and a set a few dozen, so
 * lookups by name are linear.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "web/web_tmpl.h"

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
    enum node_kind kind;
    const char *s; /* text, or the name (NUL-terminated) */
    size_t len;
    size_t end;    /* sections: index just past the section's nodes */
    int line;
};

struct tmpl {
    char *name;
    char *text;    /* owned copy; node strings point into it */
    struct node *nodes;
    size_t n;
};

struct web_tmpl_set {
    struct tmpl *t;
    size_t n, cap;
};

int web_tmpl_set_new(struct web_tmpl_set **out, struct kn_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
}

void web_tmpl_set_free(struct web_tmpl_set *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n; i++) {
        free(ts->t[i].name);
        free(ts->t[i].text);
        free(ts->t[i].nodes);
    }
    free(ts->t);
    free(ts);
}

static const struct tmpl *find(const struct web_tmpl_set *ts, const char *name)
{
    for (size_t i = 0; i < ts->n; i++)
        if (strcmp(ts->t[i].name, name) == 0)
            return &ts->t[i];
    return NULL;
}

int web_tmpl_has(const struct web_tmpl_set *ts, const char *name)
{
    return find(ts, name) != NULL;
}

static bool name_ok(const char *s, size_t len)
{
    if (len == 1 && s[0] == '.')
        return true;
    if (len == 0 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || (c == '.' && s[i - 1] != '.');
        if (!ok)
            return false;
    }
    return true;
}

static int push(struct tmpl *t, size_t *cap, struct node nd)
{
    if (t->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct node *v = realloc(t->nodes, nc * sizeof *v);
        if (!v)
            return -1;
        t->nodes = v;
        *cap = nc;
    }
    t->nodes[t->n++] = nd;
    return 0;
}

static int parse(struct tmpl *t, struct kn_error *err)
{
    size_t cap = 0, open[WEB_TMPL_MAX_DEPTH];
    int depth = 0, line = 1;
    char *p = t->text;
    const char *name = t->name;
    while (*p) {
        char *tag = strstr(p, "{{");
        size_t tl = tag ? (size_t)(tag - p) : strlen(p);
        if (tl) {
            if (push(t, &cap, (struct node){ N_TEXT, p, tl, 0, line }) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            for (size_t i = 0; i < tl; i++)
                line += p[i] == '\n';
        }
        if (!tag)
            break;
        bool triple = tag[2] == '{';
        char *body = tag + (triple ? 3 : 2);
        char *close = strstr(body, triple ? "}}}" : "}}");
        if (!close)
            return kn_fail(err, KN_EINPUT, "%s:%d: unclosed tag", name, line);
        for (char *q = tag; q < close; q++)
            if (*q == '\n')
                return kn_fail(err, KN_EINPUT, "%s:%d: a tag may not span lines", name, line);
        char sigil = triple ? '{' : *body;
        if (!triple && strchr("#^/>!", sigil))
            body++;
        if (sigil == '!') {
            p = close + 2;
            continue;
        }
        while (body < close && (*body == ' ' || *body == '\t'))
            body++;
        char *e = close;
        while (e > body && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        size_t nl = (size_t)(e - body);
        if (!name_ok(body, nl))
            return kn_fail(err, KN_EINPUT, "%s:%d: bad name in tag '%.*s'", name, line,
                           (int)(nl > 40 ? 40 : nl), body);
        *e = '\0'; /* the name is a C string in place; close moves past it */
        struct node nd = { N_VAR, body, nl, 0, line };
        switch (triple ? '{' : sigil) {
        case '{': nd.kind = N_RAW; break;
        case '#': nd.kind = N_SECTION; break;
        case '^': nd.kind = N_INVERTED; break;
        case '>': nd.kind = N_PARTIAL; break;
        case '/': {
            if (depth == 0)
                return kn_fail(err, KN_EINPUT, "%s:%d: '{{/%s}}' closes no section", name,
                               line, body);
            struct node *o = &t->nodes[open[depth - 1]];
            if (strcmp(o->s, body) != 0)
                return kn_fail(err, KN_EINPUT, "%s:%d: '{{/%s}}' closes section '%s' of line "
                               "%d", name, line, body, o->s, o->line);
            o->end = t->n;
            depth--;
            p = close + (triple ? 3 : 2);
            continue;
        }
        default: break;
        }
        if (push(t, &cap, nd) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (nd.kind == N_SECTION || nd.kind == N_INVERTED) {
            if (depth == WEB_TMPL_MAX_DEPTH)
                return kn_fail(err, KN_EINPUT, "%s:%d: sections nest too deep", name, line);
            open[depth++] = t->n - 1;
        }
        p = close + (triple ? 3 : 2);
    }
    if (depth)
        return kn_fail(err, KN_EINPUT, "%s:%d: section '%s' is not closed", name,
                       t->nodes[open[depth - 1]].line, t->nodes[open[depth - 1]].s);
    return 0;
}

int web_tmpl_add(struct web_tmpl_set *ts, const char *name, const char *text, size_t len,
                 struct kn_error *err)
{
    if (memchr(text, '\0', len))
        return kn_fail(err, KN_EINPUT, "%s: NUL byte in template", name);
    if (find(ts, name))
        return kn_fail(err, KN_EEXIST, "%s: template defined twice", name);
    if (ts->n == ts->cap) {
        size_t nc = ts->cap ? ts->cap * 2 : 16;
        struct tmpl *v = realloc(ts->t, nc * sizeof *v);
        if (!v)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        ts->t = v;
        ts->cap = nc;
    }
    struct tmpl t = { strdup(name), malloc(len + 1), NULL, 0 };
    if (!t.name || !t.text) {
        free(t.name);
        free(t.text);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    memcpy(t.text, text, len);
    t.text[len] = '\0';
    int rc = parse(&t, err);
    if (rc != 0) {
        free(t.name);
        free(t.text);
        free(t.nodes);
        return rc;
    }
    ts->t[ts->n++] = t;
    return 0;
}

int web_tmpl_check(const struct web_tmpl_set *ts, struct kn_error *err)
{
    for (size_t i = 0; i < ts->n; i++)
        for (size_t k = 0; k < ts->t[i].n; k++) {
            const struct node *nd = &ts->t[i].nodes[k];
            if (nd->kind == N_PARTIAL && !find(ts, nd->s))
                return kn_fail(err, KN_EINPUT, "%s:%d: no template '%s' for the partial",
                               ts->t[i].name, nd->line, nd->s);
        }
    return 0;
}

int web_tmpl_load_embedded(struct web_tmpl_set **out, struct kn_error *err)
{
    struct web_tmpl_set *ts;
    int rc = web_tmpl_set_new(&ts, err);
    for (unsigned i = 0; rc == 0 && i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        size_t nl = strlen(f->name);
        if (strncmp(f->name, "templates/", 10) != 0 || nl < 16 ||
            strcmp(f->name + nl - 5, ".html") != 0)
            continue;
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(nl - 15), f->name + 10);
        size_t len = f->len; /* a file's final newline is not part of it (partials) */
        if (len && f->data[len - 1] == '\n')
            len--;
        rc = web_tmpl_add(ts, name, (const char *)f->data, len, err);
        if (rc != 0)
            kn_error_prefix(err, "web/");
    }
    if (rc == 0)
        rc = web_tmpl_check(ts, err);
    if (rc != 0) {
        web_tmpl_set_free(ts);
        return rc;
    }
    *out = ts;
    return 0;
}

int web_html_escape(struct strbuf *out, const char *s, size_t len)
{
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        if (sb_add(out, s + from, i - from) != 0 || sb_addstr(out, rep) != 0)
            return KN_ENOMEM;
        from = i + 1;
    }
    return sb_add(out, s + from, len - from);
}

/* Rendering: the context stack, bounded. */
struct render {
    const struct web_tmpl_set *ts;
    const json_t *stack[WEB_TMPL_MAX_DEPTH * 2];
    size_t depth;
    int partials;
    struct strbuf *out;
    struct kn_error *err;
};

static const json_t *lookup(const struct render *r, const char *name)
{
    if (name[0] == '.' && name[1] == '\0')
        return r->depth ? r->stack[r->depth - 1] : NULL;
    const char *dot = strchr(name, '.');
    size_t first = dot ? (size_t)(dot - name) : strlen(name);
    const json_t *v = NULL;
    for (size_t i = r->depth; i-- > 0;) {
        if (json_is_object(r->stack[i]) &&
            (v = json_object_getn(r->stack[i], name, first)) != NULL)
            break;
    }
    while (v && dot) {
        const char *part = dot + 1;
        dot = strchr(part, '.');
        size_t l = dot ? (size_t)(dot - part) : strlen(part);
        if (json_is_array(v) && l > 0 && l < 6 && strspn(part, "0123456789") >= l)
            v = json_array_get(v, strtoul(part, NULL, 10)); /* "rows.0" */
        else
            v = json_is_object(v) ? json_object_getn(v, part, l) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    return true;
}

static int put_value(struct render *r, const json_t *v, bool raw)
{
    char buf[64];
    const char *s = NULL;
    size_t len = 0;
    if (json_is_string(v)) {
        s = json_string_value(v);
        len = json_string_length(v);
    } else if (json_is_integer(v)) {
        len = (size_t)snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = buf;
    } else if (json_is_real(v)) {
        len = (size_t)snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
        s = buf;
    } else if (json_is_boolean(v)) {
        s = json_is_true(v) ? "true" : "false";
        len = strlen(s);
    }
    if (!s)
        return 0;
    int rc = raw ? sb_add(r->out, s, len) : web_html_escape(r->out, s, len);
    return rc ? kn_fail(r->err, KN_ENOMEM, "out of memory") : 0;
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to);

static int push_ctx(struct render *r, const json_t *v, const struct node *nd,
                    const struct tmpl *t)
{
    if (r->depth == sizeof r->stack / sizeof r->stack[0])
        return kn_fail(r->err, KN_EINPUT, "%s:%d: sections nest too deep", t->name, nd->line);
    r->stack[r->depth++] = v;
    return 0;
}

static int render_section(struct render *r, const struct tmpl *t, size_t i)
{
    const struct node *nd = &t->nodes[i];
    const json_t *v = lookup(r, nd->s);
    bool on = truthy(v);
    if (nd->kind == N_INVERTED)
        return on ? 0 : render_range(r, t, i + 1, nd->end);
    if (!on)
        return 0;
    if (json_is_array(v)) {
        size_t k;
        const json_t *el;
        json_array_foreach(v, k, el) {
            int rc = push_ctx(r, el, nd, t);
            if (rc == 0)
                rc = render_range(r, t, i + 1, nd->end);
            r->depth--;
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    int rc = push_ctx(r, v, nd, t);
    if (rc == 0)
        rc = render_range(r, t, i + 1, nd->end);
    r->depth--;
    return rc;
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const struct node *nd = &t->nodes[i];
        int rc = 0;
        switch (nd->kind) {
        case N_TEXT:
            if (sb_add(r->out, nd->s, nd->len) != 0)
                rc = kn_fail(r->err, KN_ENOMEM, "out of memory");
            break;
        case N_VAR:
        case N_RAW:
            rc = put_value(r, lookup(r, nd->s), nd->kind == N_RAW);
            break;
        case N_SECTION:
        case N_INVERTED:
            rc = render_section(r, t, i);
            i = nd->end - 1;
            break;
        case N_PARTIAL: {
            const struct tmpl *p = find(r->ts, nd->s);
            if (!p)
                return kn_fail(r->err, KN_EINPUT, "%s:%d: no template '%s'", t->name,
                               nd->line, nd->s);
            if (++r->partials > WEB_TMPL_MAX_DEPTH)
                return kn_fail(r->err, KN_EINPUT, "%s:%d: partials nest too deep", t->name,
                               nd->line);
            rc = render_range(r, p, 0, p->n);
            r->partials--;
            break;
        }
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

int web_tmpl_render(const struct web_tmpl_set *ts, const char *name, const json_t *const *ctx,
                    size_t nctx, struct strbuf *out, struct kn_error *err)
{
    const struct tmpl *t = find(ts, name);
    if (!t)
        return kn_fail(err, KN_ENOTFOUND, "no template '%s'", name);
    struct render r = { .ts = ts, .out = out, .err = err };
    if (nctx > WEB_TMPL_MAX_DEPTH)
        return kn_fail(err, KN_EINPUT, "too many contexts");
    for (size_t i = 0; i < nctx; i++)
        r.stack[r.depth++] = ctx[i];
    return render_range(&r, t, 0, t->n);
}
