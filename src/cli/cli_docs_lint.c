/* src/cli/cli_docs_lint.c: the safe-messaging rules in use, and `knod docs
 * lint ID|FILE` (hub_lint.h, docs/hub.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_docs.h"
#include "hub/hub.h"
#include "hub/hub_lint.h"
#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "lang/ind.h"

#define RULES_MAX_BYTES (1024 * 1024)

static int rules_from(const char *path, const char *name, struct hub_lint_rules *out,
                      struct arena *a, struct kn_error *err)
{
    struct strbuf text = STRBUF_INIT;
    int rc = docs_read_file(path, RULES_MAX_BYTES, &text, err);
    if (rc == 0)
        rc = hub_lint_rules_parse(text.buf, text.len, name, out, a, err);
    sb_release(&text);
    return rc;
}

int docs_rules(const char *dir, const char *path, struct hub_lint_rules *out,
               struct arena *a, struct kn_error *err)
{
    char shown[256];
    if (path)
        return rules_from(path, cli_shown(path, shown, sizeof shown), out, a, err);
    return hub_lint_rules_dir(dir, out, a, err);
}

static json_t *finding_json(const struct hub_lint_finding *f)
{
    json_t *x = json_object();
    json_object_set_new(x, "rule", json_string(f->rule->id));
    json_object_set_new(x, "kind", json_string(f->rule->kind == HUB_LINT_METHOD ? "method"
                                               : f->rule->kind == HUB_LINT_SENSATIONAL
                                                   ? "sensational"
                                                   : "help"));
    json_object_set_new(x, "where", json_string(f->where ? f->where : "text"));
    json_object_set_new(x, "line", f->line ? json_integer(f->line) : json_null());
    json_object_set_new(x, "found", f->found ? json_string(f->found) : json_null());
    json_object_set_new(x, "message", json_string(f->rule->message));
    return x;
}

/* Lint t (shown as name) and print the findings; 0 if none, else 1. */
static int report(const struct hub_lint_rules *rules, const struct hub_lint_text *t,
                  const char *name, const struct docs_opts *o, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_lint_finding *f;
    size_t n;
    if (hub_lint(rules, t, &f, &n, a, &err) != 0)
        return cli_fail(&err);
    bool pub = hub_lint_public(t->audience);
    if (strcmp(o->format, "json") == 0) {
        json_t *root = json_object(), *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, finding_json(&f[i]));
        json_object_set_new(root, "name", json_string(name));
        json_object_set_new(root, "public", json_boolean(pub));
        json_object_set_new(root, "findings", arr);
        char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text)
            puts(text);
        free(text);
        json_decref(root);
    } else {
        for (size_t i = 0; i < n; i++) {
            const char *line = hub_lint_describe(&f[i], a);
            printf("%s: %s\n", name, line ? line : "?");
        }
        if (n == 0)
            printf("%s: no finding (%s)\n", name,
                   pub ? "a public document" : "not public: only rules for its audiences");
    }
    return n ? EXIT_INPUT : EXIT_OK;
}

int docs_lint(const char *arg, const struct docs_opts *o)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_lint_rules rules;
    struct arena a;
    struct stat sb;
    char shown[256];
    int rc;
    arena_init(&a);
    if (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode)) {
        /* A file: no store needed. */
        struct strbuf text = STRBUF_INIT;
        struct hub_doc d;
        const char *slash = strrchr(arg, '/');
        const char *name = cli_shown(slash ? slash + 1 : arg, shown, sizeof shown);
        rc = docs_rules(cli_dir(o->dir), o->rules, &rules, &a, &err);
        if (rc == 0)
            rc = docs_read_file(arg, 8 * 1024 * 1024, &text, &err);
        if (rc == 0)
            rc = hub_doc_parse(text.buf, text.len, name, &d, &a, &err);
        if (rc == 0) {
            struct ind_catalogue cat = {0};
            struct hub_pathways ps;
            size_t own;
            rc = cli_catalogue(NULL, 0, &cat, &own, &a, &err);
            if (rc == 0)
                rc = hub_pathways_shipped(&ps, &a, &err);
            if (rc == 0)
                rc = hub_doc_check_links(&d, name, &cat, &ps, &err);
        }
        if (rc == 0 && (*d.references || *d.practices)) {
            /* references and practices are checked against the store */
            struct config cfg;
            struct store *st = NULL;
            rc = cli_open_store(cli_dir(o->dir), STORE_READONLY, &cfg, &st);
            if (rc) {
                sb_release(&text);
                arena_release(&a);
                return rc;
            }
            rc = hub_doc_check_store_links(st, &d, name, &err);
            store_close(st);
        }
        if (rc == 0) {
            const struct hub_lint_text t = {d.title,    d.summary,  d.body,
                                            d.audience, d.language, d.body_line};
            rc = report(&rules, &t, name, o, &a);
        } else {
            rc = cli_fail(&err);
        }
        sb_release(&text);
        arena_release(&a);
        return rc;
    }
    struct config cfg;
    struct store *st = NULL;
    struct hub_version v;
    rc = cli_open_store(cli_dir(o->dir), STORE_READONLY, &cfg, &st);
    if (rc != 0) {
        arena_release(&a);
        return rc;
    }
    if (docs_rules(cfg.dir, o->rules, &rules, &a, &err) != 0 ||
        hub_get(st, arg, o->version, &v, &a, &err) != 0) {
        rc = cli_fail(&err);
    } else {
        const struct hub_lint_text t = {v.title, v.summary, v.body, v.audience, v.language, 1};
        rc = report(&rules, &t, arg, o, &a);
    }
    store_close(st);
    arena_release(&a);
    return rc;
}
