/* src/cli/cmd_docs.c: `knod docs`, the knowledge-support documents of the
 * hub: import, list, show, move through the workflow, history, search,
 * diff. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "base/strbuf.h"
#include "lang/ind.h"
#include "cli/cli.h"
#include "cli/cli_docs.h"
#include "hub/hub.h"
#include "hub/hub_diff.h"
#include "hub/hub_doc.h"
#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "hub/hub_render.h"
#include "hub/hub_search.h"
#include "web/hub/web_doc_export.h"

static const char usage[] =
    "usage: knod docs import DIR [--by NAME] [--dir DIR]\n"
    "       knod docs list [--state STATE] [--format table|json] [--dir DIR]\n"
    "       knod docs show ID [--version N] [--format markdown|html|json] [--dir DIR]\n"
    "       knod docs move ID STATE [--decision TEXT] [--note TEXT] [--by NAME] [--dir "
    "DIR]\n"
    "       knod docs history ID [--format table|json] [--dir DIR]\n"
    "       knod docs search QUERY [--limit N] [--format table|json] [--dir DIR]\n"
    "       knod docs diff ID [--from N] [--to N] [--format unified|json] [--dir DIR]\n"
    "       knod docs comment ID --section ANCHOR --text TEXT [--by NAME] [--dir DIR]\n"
    "       knod docs invite ID --org NAME [--kind KIND] [--by NAME] [--dir DIR]\n"
    "       knod docs answer ID --org NAME --file FILE [--by NAME] [--dir DIR]\n"
    "       knod docs impact ID --file FILE [--by NAME] [--dir DIR]\n"
    "       knod docs reviewer ID --user NAME [--remove] [--by NAME] [--dir DIR]\n"
    "       knod docs comments ID [--format table|json] [--dir DIR]\n"
    "       knod docs lint ID|FILE [--rules FILE] [--format table|json] [--dir DIR]\n"
    "       knod docs export ID --out DIR [--format html|1177] [--version N] [--dir DIR]\n"
    "       knod docs due [--as-of DATE] [--owner OWNER] [--user NAME] [--format table|json]\n"
    "                [--dir DIR]\n"
    "       knod docs reviewed ID [--note TEXT] [--by NAME] [--dir DIR]\n"
    "       knod docs owner OWNER --user NAME [--remove] [--by NAME] [--dir DIR]\n"
    "       knod docs owners [--format table|json] [--dir DIR]\n"
    "\n";

/* The rest of the help (one string would be too long for ISO C). */
static const char usage_more[] =
    "Knowledge-support documents: Markdown files with a front matter\n"
    "(docs/hub.md), taken through the national knowledge-management process:\n"
    "draft -> review -> consultation (NPO decision) -> revision -> published\n"
    "(NPO decision) -> yearly review (revision) ... -> archived. A published\n"
    "version never changes; every step records who, when, the decision and a\n"
    "note. import reads every *.md file of DIR (material already decided\n"
    "elsewhere comes in as 'status: published' with its 'decided' date);\n"
    "search finds Swedish word forms and parts of compounds in published\n"
    "documents. diff compares the Markdown of two versions (default: the\n"
    "current one and the one before it) as a unified diff, or as a JSON model\n"
    "with the changed words of each changed line.\n"
    "\n"
    "reviewer names a user of the portal (knod user) as a reviewer of the\n"
    "internal review, in draft, review or revision (--remove: no longer).\n"
    "In review, reviewers comment on a section (the anchor of one of its\n"
    "headings, e.g. 'vad-kan-du-gora'); for the consultation round (remiss)\n"
    "regions, municipalities and organisations are invited in review or\n"
    "consultation, and each one's answer (a Markdown file) is recorded during\n"
    "consultation; the impact assessment (konsekvensbeskrivning, Markdown) is\n"
    "attached in review, consultation or revision. comments shows them all.\n"
    "A personnummer-shaped number in any of them is refused.\n"
    "\n"
    "A public document (for patients, relatives or vårdgrannar) is published\n"
    "only if it passes the safe-messaging lint: no method words, no\n"
    "sensational wording, and where to get help (112, 1177, 90101; BRIS\n"
    "116 111 for young people). lint checks a stored document or a file and\n"
    "exits 1 on any finding. The rules: --rules FILE, else\n"
    "DIR/safe-messaging.csv if there is one, else the shipped ones.\n"
    "\n"
    "export writes a standalone HTML page (OUT/ID.html) or, for a published\n"
    "public document, a package for 1177 Vårdguiden (OUT/ID-1177/ with\n"
    "index.html and manifest.json; images need alt text, links must lead to\n"
    "public pages, heading levels may not skip).\n"
    "\n"
    "Publishing sets the yearly review a year ahead. due lists the published\n"
    "documents whose review is due on or before --as-of (default today),\n"
    "with the days overdue; --owner takes those of one owner (the front\n"
    "matter's text), --user those a user owns: the owner is the user's name,\n"
    "or an owner linked to the user with owner (--remove unlinks; owners\n"
    "lists the links). reviewed records a yearly review that found no need\n"
    "to revise (published documents only): the next one is due a year later;\n"
    "a review that finds a need is 'move ID revision --note ...'. reviewed\n"
    "and owner are written to the audit log, as are comment, invite, answer,\n"
    "impact and reviewer.\n"
    "\n"
    "  --by NAME        who does it: the reviewer, the one who records\n"
    "                   (default: $USER)\n"
    "  --section ANCHOR the section commented on\n"
    "  --text TEXT      the comment\n"
    "  --org NAME       the invited organisation\n"
    "  --kind KIND      region, municipality or organisation (default)\n"
    "  --file FILE      the answer or the impact assessment (Markdown, UTF-8)\n"
    "  --rules FILE     safe-messaging rules to use (docs/hub.md)\n"
    "  --out DIR        the folder to export into (it must exist)\n"
    "  --state STATE    only documents in this state\n"
    "  --version N      an earlier version (default: the current one)\n"
    "  --from N, --to N the versions to compare (default: the one before the\n"
    "                   --to version, and the current one)\n"
    "  --decision TEXT  the decision a step rests on (required to send to\n"
    "                   consultation and to publish)\n"
    "  --note TEXT      a note (required to archive or to reopen)\n"
    "  --as-of DATE     the day to judge by, YYYY-MM-DD (default: today)\n"
    "  --owner OWNER    only documents with this owner\n"
    "  --user NAME      a user of knod user (due: the documents the user owns;\n"
    "                   reviewer: the reviewer)\n"
    "  --remove         owner: remove the link; reviewer: no longer a reviewer\n"
    "  --limit N        at most N hits (default 20)\n"
    "  --format FORMAT  see above (default: table, or markdown for show)\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";


static void print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text)
        puts(text);
    free(text);
    json_decref(o);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int docs_import(struct store *st, const char *path, const struct docs_opts *o,
                       const struct hub_lint_rules *rules)
{
    DIR *d = opendir(path);
    struct kn_error err = KN_ERROR_INIT;
    if (!d) {
        kn_fail(&err, KN_EIO, "cannot open folder '%s': %s", path, strerror(errno));
        return cli_fail(&err);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 || e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **more = realloc(names, cap * sizeof *names);
            if (!more)
                break;
            names = more;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    /* The catalogue and the pathways the documents' links must name. */
    struct arena links;
    arena_init(&links);
    struct ind_catalogue cat = {0};
    struct hub_pathways ps;
    size_t own;
    if (cli_catalogue(NULL, 0, &cat, &own, &links, &err) != 0 ||
        hub_pathways_shipped(&ps, &links, &err) != 0) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        arena_release(&links);
        return cli_fail(&err);
    }
    int failed = 0, counts[4] = {0};
    kn_time now = time_now();
    for (size_t i = 0; i < n; i++) {
        struct arena a;
        arena_init(&a);
        char *full = arena_printf(&a, "%s/%s", path, names[i]);
        FILE *f = full ? fopen(full, "rb") : NULL;
        struct strbuf text = STRBUF_INIT;
        char buf[65536];
        size_t got;
        while (f && (got = fread(buf, 1, sizeof buf, f)) > 0)
            sb_add(&text, buf, got);
        struct hub_doc doc;
        enum hub_outcome out = HUB_UNCHANGED;
        int rc = f ? 0 : kn_fail(&err, KN_EIO, "cannot read '%s'", names[i]);
        if (f)
            fclose(f);
        if (rc == 0)
            rc = hub_doc_parse(text.buf, text.len, names[i], &doc, &a, &err);
        if (rc == 0)
            rc = hub_doc_check_links(&doc, names[i], &cat, &ps, &err);
        if (rc == 0)
            rc = hub_doc_check_store_links(st, &doc, names[i], &err);
        if (rc == 0)
            rc = hub_import(st, &doc, o->by, now, rules, &out, &err);
        if (rc) {
            fprintf(stderr, "knod: error: %s\n", err.msg);
            failed++;
        } else {
            counts[out]++;
        }
        sb_release(&text);
        arena_release(&a);
        free(names[i]);
    }
    free(names);
    arena_release(&links);
    printf(
        "%zu documents: %d new, %d updated, %d new versions, %d unchanged, %d refused\n",
        n, counts[HUB_CREATED], counts[HUB_UPDATED], counts[HUB_NEW_VERSION],
        counts[HUB_UNCHANGED], failed);
    return failed ? EXIT_INPUT : EXIT_OK;
}

static json_t *version_json(const struct hub_version *v, bool body)
{
    char day[11];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(v->slug));
    json_object_set_new(o, "state", json_string(v->state));
    json_object_set_new(o, "version", json_integer(v->version));
    json_object_set_new(o, "current_version", json_integer(v->current_version));
    json_object_set_new(o, "title", json_string(v->title));
    json_object_set_new(o, "summary", json_string(v->summary));
    json_object_set_new(o, "language", json_string(v->language));
    json_object_set_new(o, "audience", json_string(v->audience));
    json_object_set_new(o, "topics", json_string(v->topics));
    json_object_set_new(o, "indicators", json_string(v->indicators));
    json_object_set_new(o, "steps", json_string(v->steps));
    json_object_set_new(o, "practices", json_string(v->practices));
    json_object_set_new(o, "owner", json_string(v->owner));
    if (v->published) {
        date_format(v->published, day);
        json_object_set_new(o, "published", json_string(day));
    } else
        json_object_set_new(o, "published", json_null());
    if (v->review_due) {
        date_format(v->review_due, day);
        json_object_set_new(o, "review_due", json_string(day));
    } else
        json_object_set_new(o, "review_due", json_null());
    if (body)
        json_object_set_new(o, "body", json_string(v->body));
    return o;
}

static int docs_list(struct store *st, const struct docs_opts *o, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version *v;
    size_t n;
    if (o->state && hub_state_parse(o->state) < 0)
        return cli_usage_error("docs list",
                               "--state: draft, review, consultation, revision, "
                               "published or archived");
    if (hub_list(st, o->state, &v, &n, a, &err) != 0)
        return cli_fail(&err);
    if (strcmp(o->format, "json") == 0) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, version_json(&v[i], false));
        print_json(arr);
        return EXIT_OK;
    }
    cli_pad("id", 28);
    cli_pad("state", 14);
    cli_pad("ver", 5);
    cli_pad("review due", 12);
    puts("title");
    for (size_t i = 0; i < n; i++) {
        char day[11] = "";
        char ver[12];
        if (v[i].review_due)
            date_format(v[i].review_due, day);
        snprintf(ver, sizeof ver, "%d", v[i].version);
        cli_pad(v[i].slug, 28);
        cli_pad(v[i].state, 14);
        cli_pad(ver, 5);
        cli_pad(day, 12);
        puts(v[i].title);
    }
    return EXIT_OK;
}

static int docs_show(struct store *st, const char *id, const struct docs_opts *o,
                     struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version v;
    if (hub_get(st, id, o->version, &v, a, &err) != 0)
        return cli_fail(&err);
    if (strcmp(o->format, "json") == 0) {
        /* its references, as the numbers of the register, comma-separated */
        struct hub_link *refs;
        size_t nrefs;
        struct strbuf rl = STRBUF_INIT;
        if (hub_doc_refs(st, v.slug, v.version, false, &refs, &nrefs, a, &err) != 0)
            return cli_fail(&err);
        for (size_t i = 0; i < nrefs; i++)
            if (sb_addf(&rl, "%s%s", i ? "," : "", refs[i].id) != 0) {
                sb_release(&rl);
                kn_fail(&err, KN_ENOMEM, "out of memory");
                return cli_fail(&err);
            }
        json_t *j = version_json(&v, true);
        json_object_set_new(j, "references", json_string(rl.len ? rl.buf : ""));
        sb_release(&rl);
        print_json(j);
    } else if (strcmp(o->format, "html") == 0) {
        struct strbuf html = STRBUF_INIT;
        if (hub_render_html(v.body, strlen(v.body), &html, &err) != 0)
            return cli_fail(&err);
        fputs(html.buf, stdout);
        sb_release(&html);
    } else {
        fputs(v.body, stdout);
    }
    return EXIT_OK;
}

static int docs_history(struct store *st, const char *id, const struct docs_opts *o,
                        struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_event *e;
    size_t n;
    if (hub_history(st, id, &e, &n, a, &err) != 0)
        return cli_fail(&err);
    json_t *arr = strcmp(o->format, "json") == 0 ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        char at[20];
        time_format(e[i].at, at);
        if (arr) {
            json_t *x = json_object();
            json_object_set_new(x, "at", json_string(at));
            json_object_set_new(x, "by", json_string(e[i].actor));
            json_object_set_new(
                x, "from", *e[i].from_state ? json_string(e[i].from_state) : json_null());
            json_object_set_new(x, "to", json_string(e[i].to_state));
            json_object_set_new(x, "decision", json_string(e[i].decision));
            json_object_set_new(x, "note", json_string(e[i].note));
            json_array_append_new(arr, x);
        } else {
            printf("%s  %-14s %s -> %s", at, e[i].actor,
                   *e[i].from_state ? e[i].from_state : "-", e[i].to_state);
            if (*e[i].decision)
                printf("  decision: %s", e[i].decision);
            if (*e[i].note)
                printf("  (%s)", e[i].note);
            putchar('\n');
        }
    }
    if (arr)
        print_json(arr);
    return EXIT_OK;
}

static int docs_search(struct store *st, const char *q, const struct docs_opts *o,
                       struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_hit *h;
    size_t n;
    if (hub_search(st, q, (size_t)o->limit, &h, &n, a, &err) != 0)
        return cli_fail(&err);
    json_t *arr = strcmp(o->format, "json") == 0 ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (arr) {
            json_t *x = json_object();
            json_object_set_new(x, "id", json_string(h[i].slug));
            json_object_set_new(x, "title", json_string(h[i].title));
            json_object_set_new(x, "summary", json_string(h[i].summary));
            json_object_set_new(x, "language", json_string(h[i].language));
            json_object_set_new(x, "match", json_string(h[i].words ? "words" : "parts"));
            /* The snippet as pieces, the hits marked: no markup to trust. */
            json_t *parts = json_array();
            const char *p = h[i].snippet;
            while (*p) {
                bool hit = *p == '\x01';
                if (hit)
                    p++;
                size_t len = strcspn(p, hit ? "\x02" : "\x01");
                json_t *piece = json_object();
                json_object_set_new(piece, "text", json_stringn(p, len));
                json_object_set_new(piece, "hit", json_boolean(hit));
                json_array_append_new(parts, piece);
                p += len + (hit && p[len] ? 1 : 0);
            }
            json_object_set_new(x, "snippet", parts);
            json_array_append_new(arr, x);
        } else {
            printf("%-28s %s\n", h[i].slug, h[i].title);
            if (*h[i].snippet) {
                fputs("    ", stdout);
                for (const char *p = h[i].snippet; *p; p++)
                    fputs(*p == '\x01'   ? "["
                          : *p == '\x02' ? "]"
                          : *p == '\n' || *p == '\r' ? " " /* one line a hit */
                                                     : (char[2]){*p, 0},
                          stdout);
                putchar('\n');
            }
        }
    }
    if (arr)
        print_json(arr);
    else if (n == 0)
        puts("no published document matches");
    return EXIT_OK;
}

/* The subcommands: arguments, formats (the first is the default) and
 * whether they change the store. */
static const struct sub {
    const char *name;
    int nargs;
    const char *formats[4];
    bool writes;
} subs[] = {
    {"import", 1, {"table", "json"}, true},
    {"list", 0, {"table", "json"}, false},
    {"show", 1, {"markdown", "html", "json"}, false},
    {"move", 2, {"table", "json"}, true},
    {"history", 1, {"table", "json"}, false},
    {"search", 1, {"table", "json"}, false},
    {"diff", 1, {"unified", "json"}, false},
    {"comment", 1, {"table", "json"}, true},
    {"invite", 1, {"table", "json"}, true},
    {"answer", 1, {"table", "json"}, true},
    {"impact", 1, {"table", "json"}, true},
    {"comments", 1, {"table", "json"}, false},
    {"lint", 1, {"table", "json"}, false},
    {"export", 1, {"html", "1177"}, false},
    {"due", 0, {"table", "json"}, false},
    {"reviewed", 1, {"table"}, true},
    {"owner", 1, {"table"}, true},
    {"owners", 0, {"table", "json"}, false},
    {"reviewer", 1, {"table"}, true},
};
#define NSUBS (sizeof subs / sizeof subs[0])

static int docs_export(struct store *st, const char *id, const struct docs_opts *o,
                       struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version v;
    struct strbuf path = STRBUF_INIT;
    char shown[512];
    if (!o->out)
        return cli_usage_error("docs export", "--out DIR is required");
    if (hub_get(st, id, o->version, &v, a, &err) != 0)
        return cli_fail(&err);
    int rc = strcmp(o->format, "1177") == 0 ? web_doc_export_1177(&v, o->out, &path, &err)
                                             : web_doc_export_html(&v, o->out, &path, &err);
    if (rc == 0)
        printf("%s\n", cli_shown(path.buf, shown, sizeof shown));
    sb_release(&path);
    return rc ? cli_fail(&err) : EXIT_OK;
}

static int docs_diff(struct store *st, const char *id, const struct docs_opts *o,
                     struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version cur, from, to;
    if (hub_get(st, id, 0, &cur, a, &err) != 0)
        return cli_fail(&err);
    int vto = o->to ? o->to : cur.current_version;
    int vfrom = o->from ? o->from : vto - 1;
    if (vfrom < 1) {
        kn_fail(&err, KN_EINPUT, "'%s' version %d has no version before it; name two "
                "versions with --from and --to", id, vto);
        return cli_fail(&err);
    }
    if (hub_get(st, id, vfrom, &from, a, &err) != 0 || hub_get(st, id, vto, &to, a, &err) != 0)
        return cli_fail(&err);
    if (strcmp(o->format, "json") == 0) {
        json_t *m;
        if (hub_diff_json(from.body, strlen(from.body), to.body, strlen(to.body), 3, &m,
                          &err) != 0)
            return cli_fail(&err);
        json_t *root = json_object();
        json_object_set_new(root, "id", json_string(id));
        json_object_set_new(root, "from", json_integer(vfrom));
        json_object_set_new(root, "to", json_integer(vto));
        json_object_update(root, m);
        json_decref(m);
        print_json(root);
        return EXIT_OK;
    }
    struct strbuf out = STRBUF_INIT;
    char *fname = arena_printf(a, "%s version %d", id, vfrom);
    char *tname = arena_printf(a, "%s version %d", id, vto);
    if (!fname || !tname ||
        hub_diff_unified(from.body, strlen(from.body), to.body, strlen(to.body), fname,
                         tname, 3, &out, &err) != 0) {
        sb_release(&out);
        if (!err.code)
            kn_fail(&err, KN_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    fputs(out.buf, stdout);
    sb_release(&out);
    return EXIT_OK;
}

int cmd_docs(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"by", required_argument, NULL, 'b'},
        {"state", required_argument, NULL, 's'},
        {"decision", required_argument, NULL, 'D'},
        {"note", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"version", required_argument, NULL, 'v'},
        {"limit", required_argument, NULL, 'l'},
        {"from", required_argument, NULL, 'F'},
        {"rules", required_argument, NULL, 'R'},
        {"out", required_argument, NULL, 'O'},
        {"section", required_argument, NULL, 'S'},
        {"text", required_argument, NULL, 'x'},
        {"org", required_argument, NULL, 'o'},
        {"kind", required_argument, NULL, 'k'},
        {"file", required_argument, NULL, 'i'},
        {"to", required_argument, NULL, 'T'},
        {"as-of", required_argument, NULL, 'A'},
        {"owner", required_argument, NULL, 'W'},
        {"user", required_argument, NULL, 'U'},
        {"remove", no_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct docs_opts o = {.by = getenv("USER") ? getenv("USER") : "knod", .limit = 20};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        fputs(usage_more, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    size_t k;
    for (k = 0; k < NSUBS && strcmp(subs[k].name, sub) != 0; k++)
        ;
    if (k == NSUBS)
        return cli_usage_error("docs", "unknown subcommand '%s'", sub);
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd':
            o.dir = optarg;
            break;
        case 'b':
            o.by = optarg;
            break;
        case 's':
            o.state = optarg;
            break;
        case 'D':
            o.decision = optarg;
            break;
        case 'n':
            o.note = optarg;
            break;
        case 'f':
            o.format = optarg;
            break;
        case 'v':
            o.version = (int)strtol(optarg, &end, 10);
            if (*end || o.version < 1)
                return cli_usage_error("docs", "--version: a number from 1");
            break;
        case 'l':
            o.limit = (int)strtol(optarg, &end, 10);
            if (*end || o.limit < 1 || o.limit > 1000)
                return cli_usage_error("docs", "--limit: 1 to 1000");
            break;
        case 'R':
            o.rules = optarg;
            break;
        case 'O':
            o.out = optarg;
            break;
        case 'S':
            o.section = optarg;
            break;
        case 'x':
            o.text = optarg;
            break;
        case 'o':
            o.org = optarg;
            break;
        case 'k':
            o.kind = optarg;
            break;
        case 'i':
            o.file = optarg;
            break;
        case 'F':
        case 'T':
            *(c == 'F' ? &o.from : &o.to) = (int)strtol(optarg, &end, 10);
            if (*end || (c == 'F' ? o.from : o.to) < 1)
                return cli_usage_error("docs", "--%s: a number from 1",
                                       c == 'F' ? "from" : "to");
            break;
        case 'A':
            o.as_of = optarg;
            break;
        case 'W':
            o.owner = optarg;
            break;
        case 'U':
            o.user = optarg;
            break;
        case 'X':
            o.remove = true;
            break;
        case 'h':
            fputs(usage, stdout);
            fputs(usage_more, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("docs", "unknown option");
        }
    }
    if (argc - optind != subs[k].nargs)
        return cli_usage_error("docs", "%s takes %d argument%s", sub, subs[k].nargs,
                               subs[k].nargs == 1 ? "" : "s");
    if (!o.format)
        o.format = subs[k].formats[0];
    size_t f;
    for (f = 0; subs[k].formats[f] && strcmp(subs[k].formats[f], o.format) != 0; f++)
        ;
    if (!subs[k].formats[f])
        return cli_usage_error("docs", "--format: %s%s%s%s%s", subs[k].formats[0],
                               subs[k].formats[1] ? " or " : "",
                               subs[k].formats[1] ? subs[k].formats[1] : "",
                               subs[k].formats[1] && subs[k].formats[2] ? " or " : "",
                               subs[k].formats[1] && subs[k].formats[2]
                                   ? subs[k].formats[2]
                                   : "");
    const char *arg = argv[optind];
    if (strcmp(sub, "lint") == 0)
        return docs_lint(arg, &o);
    struct config cfg;
    struct store *st = NULL;
    int rc =
        cli_open_store(cli_dir(o.dir), subs[k].writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc != 0)
        return rc;
    struct arena a;
    struct hub_lint_rules rules;
    struct kn_error rerr = KN_ERROR_INIT;
    arena_init(&a);
    if (subs[k].writes && docs_rules(cfg.dir, o.rules, &rules, &a, &rerr) != 0) {
        arena_release(&a);
        store_close(st);
        return cli_fail(&rerr);
    }
    switch (k) {
    case 0:
        rc = docs_import(st, arg, &o, &rules);
        break;
    case 1:
        rc = docs_list(st, &o, &a);
        break;
    case 2:
        rc = docs_show(st, arg, &o, &a);
        break;
    case 3: {
        int to = hub_state_parse(argv[optind + 1]);
        if (to < 0)
            rc = cli_usage_error("docs move",
                                 "STATE: draft, review, consultation, revision, "
                                 "published or archived");
        else
            rc = docs_move(st, &cfg, arg, (enum hub_state)to, &o, &rules);
        break;
    }
    case 4:
        rc = docs_history(st, arg, &o, &a);
        break;
    case 5:
        rc = docs_search(st, arg, &o, &a);
        break;
    case 6:
        rc = docs_diff(st, arg, &o, &a);
        break;
    case 7:
        rc = docs_comment(st, &cfg, arg, &o);
        break;
    case 8:
        rc = docs_invite(st, &cfg, arg, &o);
        break;
    case 9:
        rc = docs_answer(st, &cfg, arg, &o);
        break;
    case 10:
        rc = docs_impact(st, &cfg, arg, &o);
        break;
    case 13:
        rc = docs_export(st, arg, &o, &a);
        break;
    case 14:
        rc = docs_due(st, &o, &a);
        break;
    case 15:
        rc = docs_reviewed(st, &cfg, arg, &o);
        break;
    case 16:
        rc = docs_owner(st, &cfg, arg, &o);
        break;
    case 17:
        rc = docs_owners(st, &o, &a);
        break;
    case 18:
        rc = docs_reviewer(st, &cfg, arg, &o);
        break;
    default:
        rc = docs_comments(st, arg, &o, &a);
        break;
    }
    arena_release(&a);
    store_close(st);
    return rc;
}
