/* src/cli/cmd_refs.c: `knod refs`, the evidence register's references:
 * import and export as RIS or CSL-JSON, list, show and search
 * (hub/hub_ref.h, hub/hub_ref_store.h, docs/hub-references.md). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "cli/cli_docs.h"
#include "cli/cli_opts.h"
#include "cli/cli_refs.h"
#include "cli/cli_rows.h"
#include "hub/hub_ref.h"
#include "hub/hub_ref_store.h"

static const char usage[] =
    "usage: knod refs import FILE [--format ris|csl-json] [--merge] [--public]\n"
    "       knod refs list [--type TYPE] [--grade GRADE] [--topic WORD]\n"
    "                      [--format table|json|csv]\n"
    "       knod refs show ID|DOI [--format text|json]\n"
    "       knod refs export --format ris|csl-json|csv [--type TYPE] [--grade GRADE]\n"
    "                      [--topic WORD]\n"
    "       knod refs search QUERY [--format table|json|csv]\n"
    "       knod refs link ID|DOI --step PATHWAY/STEP [--unlink] [--by NAME]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "The evidence register's references: literature with its type of study,\n"
    "evidence grade, a summary in Swedish and topics. import reads a RIS or\n"
    "CSL-JSON file (Zotero, EndNote; the format from the name's .ris or .json\n"
    "unless given) in one transaction; a reference whose DOI or PubMed id is\n"
    "already stored is a duplicate, reported and skipped, or with --merge\n"
    "given the fields the stored one lacks. --public marks the new ones\n"
    "public. export writes them all (or those of the filters) on stdout.\n"
    "search finds references by Swedish word forms and parts of words.\n"
    "link links a reference to a step of a care pathway (adult/2_assessment;\n"
    "knod pathways show CODE lists the steps), or --unlink removes the link;\n"
    "the pathway page lists it at the step. Written to the audit log.\n"
    "\n"
    "  --type TYPE      a type of study: systematic-review, meta-analysis, rct,\n"
    "                   cohort, case-control, cross-sectional, qualitative,\n"
    "                   case-series, guideline, expert-opinion, other\n"
    "  --grade GRADE    an evidence grade: high, moderate, low, very-low\n"
    "  --topic WORD     one of its topics\n"
    "  --format FORMAT  as above; list and search: table (default), json, csv\n"
    "  --step P/S       a pathway's code and one of its step codes\n"
    "  --by NAME        who links (default: $USER)\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

static const struct net_col cols[] = {
    {"id", NET_INT},          {"type", NET_TEXT},    {"study_type", NET_TEXT},
    {"grade", NET_TEXT},      {"year", NET_INT},     {"title", NET_TEXT},
    {"authors", NET_TEXT},    {"journal", NET_TEXT}, {"volume", NET_TEXT},
    {"issue", NET_TEXT},      {"pages", NET_TEXT},   {"doi", NET_TEXT},
    {"pmid", NET_TEXT},       {"url", NET_TEXT},     {"topics", NET_TEXT},
    {"public", NET_INT},      {"summary", NET_TEXT},
};
#define NCOLS (sizeof cols / sizeof *cols)

/* The references as rows: list, search and CSV export share the columns. */
static int to_rows(const struct hub_ref *r, size_t n, struct net_rows *out,
                   struct arena *a, struct kn_error *err)
{
    out->cols = cols;
    out->ncols = NCOLS;
    for (size_t i = 0; i < n; i++) {
        struct strbuf au = STRBUF_INIT, tp = STRBUF_INIT;
        int rc = 0;
        for (size_t k = 0; k < r[i].nauthors && rc == 0; k++)
            rc = sb_addf(&au, "%s%s", k ? "; " : "", r[i].authors[k]);
        for (size_t k = 0; k < r[i].ntopics && rc == 0; k++)
            rc = sb_addf(&tp, "%s%s", k ? ", " : "", r[i].topics[k]);
        const char *cells[NCOLS] = {
            arena_printf(a, "%lld", (long long)r[i].id),
            r[i].pub_type,
            r[i].study_type,
            r[i].grade,
            r[i].year ? arena_printf(a, "%d", r[i].year) : NULL,
            r[i].title,
            au.len ? au.buf : NULL,
            r[i].journal,
            r[i].volume,
            r[i].issue,
            r[i].pages,
            r[i].doi,
            r[i].pmid,
            r[i].url,
            tp.len ? tp.buf : NULL,
            r[i].is_public ? "1" : "0",
            r[i].summary};
        if (rc == 0)
            rc = net_rows_add(out, cells, a, err);
        else
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
        sb_release(&au);
        sb_release(&tp);
        if (rc)
            return rc;
    }
    return 0;
}

static int do_import(struct store *st, const char *path, const char *format, bool merge,
                     bool make_public, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    char shown[256];
    cli_shown(path, shown, sizeof shown);
    size_t plen = strlen(path);
    bool csl;
    if (format)
        csl = strcmp(format, "csl-json") == 0;
    else if (plen > 4 && strcmp(path + plen - 4, ".ris") == 0)
        csl = false;
    else if (plen > 5 && strcmp(path + plen - 5, ".json") == 0)
        csl = true;
    else
        return cli_usage_error("refs", "import: --format ris or csl-json (the name of "
                                       "'%s' does not say)",
                               shown);
    struct strbuf text = STRBUF_INIT;
    struct hub_ref_set set = {0};
    struct hub_ref_report rep;
    int rc = docs_read_file(path, HUB_REF_FILE_MAX, &text, &err);
    if (rc == 0)
        rc = csl ? hub_csl_parse(text.buf, text.len, shown, &set, a, &err)
                 : hub_ris_parse(text.buf, text.len, shown, &set, a, &err);
    sb_release(&text);
    if (rc == 0 && hub_ref_import(st, set.refs, set.n, merge ? HUB_REF_MERGE : HUB_REF_SKIP,
                                  make_public, time_now(), &rep, a, &err) != 0)
        rc = kn_error_prefix(&err, "%s: ", shown);
    if (rc)
        return cli_fail(&err);
    for (size_t i = 0; i < rep.ndups; i++) {
        const struct hub_ref_dup *d = &rep.dups[i];
        if (csl)
            printf("%s: [%d]: ", shown, d->line);
        else
            printf("%s:%d: ", shown, d->line);
        printf("duplicate of reference %lld (%s %s): %s\n", (long long)d->stored, d->by,
               d->value, merge ? "merged" : "skipped");
    }
    printf("%s: %zu added, %zu duplicates %s\n", shown, rep.added, rep.ndups,
           merge ? "merged" : "skipped");
    return 0;
}

/* One reference, a field a line (text) or as a JSON object. */
static int print_one(const struct net_rows *t, bool json)
{
    if (!json) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = net_cell(t, 0, c);
            if (v && *v)
                printf("%s: %s\n", t->cols[c].name, v);
        }
        return 0;
    }
    json_t *o = json_object();
    for (size_t c = 0; o && c < t->ncols; c++) {
        const char *v = net_cell(t, 0, c);
        json_t *x = !v                          ? json_null()
                    : t->cols[c].kind == NET_INT ? json_integer(strtoll(v, NULL, 10))
                                                 : json_string(v);
        if (json_object_set_new(o, t->cols[c].name, x) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    if (!o || json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        json_decref(o);
        return EXIT_RUNTIME;
    }
    json_decref(o);
    putchar('\n');
    return 0;
}

int cmd_refs(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"import", 1}, {"list", 0}, {"show", 1}, {"export", 0}, {"search", 1}, {"link", 1}};
    static const char *const opts[] = {"dir",   "format", "merge!", "public!", "type",
                                       "grade", "topic",  "step",   "unlink!", "by",
                                       NULL};
    enum {
        O_DIR,
        O_FORMAT,
        O_MERGE,
        O_PUBLIC,
        O_TYPE,
        O_GRADE,
        O_TOPIC,
        O_STEP,
        O_UNLINK,
        O_BY,
        O_N
    };
    static const char *const import_formats[] = {"ris", "csl-json", NULL};
    static const char *const show_formats[] = {"text", "json", NULL};
    static const char *const export_formats[] = {"ris", "csl-json", "csv", NULL};
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("refs", usage, argc, argv, subs, 6, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    const char *const *formats = p.sub == 0   ? import_formats
                                 : p.sub == 2 ? show_formats
                                 : p.sub == 3 ? export_formats
                                              : cli_rows_formats;
    if (p.sub == 3 && !v[O_FORMAT])
        return cli_usage_error("refs", "export needs --format ris, csl-json or csv");
    int fmt = 0;
    if (v[O_FORMAT] && (fmt = cli_format("refs", v[O_FORMAT], formats)) < 0)
        return EXIT_USAGE;
    if ((v[O_MERGE] || v[O_PUBLIC]) && p.sub != 0)
        return cli_usage_error("refs", "--merge and --public are for import");
    if ((v[O_TYPE] || v[O_GRADE] || v[O_TOPIC]) && p.sub != 1 && p.sub != 3)
        return cli_usage_error("refs", "--type, --grade and --topic are for list and export");
    if ((v[O_STEP] || v[O_UNLINK] || v[O_BY]) && p.sub != 5)
        return cli_usage_error("refs", "--step, --unlink and --by are for link");
    if (p.sub == 5 && (!v[O_STEP] || v[O_FORMAT]))
        return cli_usage_error("refs", "link needs --step PATHWAY/STEP (and no --format)");
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), p.sub == 0 || p.sub == 5 ? 0 : STORE_READONLY,
                        &cfg, &st);
    if (rc)
        return rc;
    if (p.sub == 5) {
        const char *by = v[O_BY] ? v[O_BY] : getenv("USER") ? getenv("USER") : "knod";
        rc = refs_link(st, &cfg, p.args[0], v[O_STEP], v[O_UNLINK] != NULL, by);
        store_close(st);
        return rc;
    }
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_ref *refs = NULL;
    size_t n = 0;
    struct net_rows rows = {0};
    struct hub_ref_filter f = {v[O_TYPE], v[O_GRADE], v[O_TOPIC], false};
    int e = 0;
    if (p.sub == 0) {
        rc = do_import(st, p.args[0], v[O_FORMAT], v[O_MERGE] != NULL, v[O_PUBLIC] != NULL,
                       &a);
        goto out;
    }
    if (p.sub == 2) {
        int64_t id;
        struct hub_ref r;
        e = hub_ref_resolve(st, p.args[0], &id, &err);
        if (e == 0)
            e = hub_ref_get(st, id, false, &r, &a, &err);
        if (e == 0)
            e = to_rows(&r, 1, &rows, &a, &err);
        rc = e ? cli_fail(&err) : print_one(&rows, fmt == 1);
        goto out;
    }
    e = p.sub == 4 ? hub_ref_search(st, p.args[0], false, 1000, &refs, &n, &a, &err)
                   : hub_ref_list(st, &f, &refs, &n, &a, &err);
    if (e != 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (p.sub == 3 && fmt < 2) {
        struct strbuf b = STRBUF_INIT;
        e = fmt == 0 ? hub_ris_write(refs, n, &b) : hub_csl_write(refs, n, &b);
        if (e == 0)
            fwrite(b.buf, 1, b.len, stdout);
        sb_release(&b);
        rc = e ? EXIT_RUNTIME : 0;
        goto out;
    }
    if (to_rows(refs, n, &rows, &a, &err) != 0)
        rc = cli_fail(&err);
    else
        rc = cli_rows_print(&rows, p.sub == 3 ? CLI_ROWS_CSV : (enum cli_rows_format)fmt);
out:
    arena_release(&a);
    store_close(st);
    return rc;
}
