/* src/cli/cmd_survey.c: `knod survey`, questionnaires sent by link,
 * answered in the portal or on paper, reported with small groups
 * suppressed (survey/survey.h, survey/survey_report.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "survey/survey.h"
#include "survey/survey_report.h"

static const char usage[] =
    "usage: knod survey create FILE\n"
    "       knod survey send ID --to KIND:TARGET [--count N] [--out FILE] [--base URL]\n"
    "       knod survey answer ID FILE\n"
    "       knod survey close ID\n"
    "       knod survey link ID --pre ID\n"
    "       knod survey list [--format table|json|csv]\n"
    "       knod survey report ID [--lang sv|en] [--format table|json|csv]\n"
    "       knod survey change ID [--format table|json|csv]\n"
    "       knod survey export ID [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "create stores the questionnaire of FILE (JSON, docs/network.md) as a new\n"
    "survey, or as the next version of its code; an unsent version is replaced.\n"
    "send makes invitations, one random link each, printed once (or written to\n"
    "--out FILE, mode 0600) and kept only as a hash: to units (unit:CODE,CODE),\n"
    "a region (region:CODE) or a training's participants (training:ID; --count\n"
    "defaults to its participants). answer imports paper answers from a CSV\n"
    "whose header names the questions. close ends the answering. link makes\n"
    "survey --pre the one before ID; change reports the change per scale\n"
    "question. report counts the answers per question with small groups\n"
    "suppressed (knod.ini [disclosure] min_count) and lists the free text.\n"
    "export writes every response, one row each.\n"
    "\n"
    "  --to KIND:TARGET  unit:CODES, region:CODE or training:ID\n"
    "  --count N         invitations (1 to 100000)\n"
    "  --out FILE        write the links to FILE (must not exist) instead of stdout\n"
    "  --base URL        put URL before each link's /s/TOKEN\n"
    "  --pre ID          the survey before (pre/post)\n"
    "  --lang LANG       sv (default) or en: the labels of the report\n"
    "  --format FORMAT   table (default; csv for export), json or csv\n"
    "  --dir DIR         the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help        show this help\n";

enum { S_CREATE, S_SEND, S_ANSWER, S_CLOSE, S_LINK, S_LIST, S_REPORT, S_CHANGE, S_EXPORT };

static int parse_id(const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 1)
        return cli_usage_error("survey", "ID: a survey's number (see knod survey list)");
    *id = v;
    return 0;
}

/* Read the file at path (at most max bytes) into a. */
static int read_file(const char *path, const char *shown, size_t max, char **out,
                     size_t *len, struct arena *a, struct kn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kn_fail(err, KN_EINPUT, "cannot open '%s': %s", shown, strerror(errno));
    char *buf = arena_alloc(a, max + 1);
    size_t n = 0;
    ssize_t r = 0;
    while (buf && n <= max && (r = read(fd, buf + n, max + 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    if (!buf)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (r < 0)
        return kn_fail(err, KN_EIO, "cannot read '%s': %s", shown, strerror(errno));
    if (n > max)
        return kn_fail(err, KN_EINPUT, "%s: larger than %zu bytes", shown, max);
    *out = buf;
    *len = n;
    return 0;
}

static int write_links(const char *out, const char *base, char **tokens, size_t n,
                       struct kn_error *err)
{
    int fd = STDOUT_FILENO;
    char shown[256];
    if (out) {
        cli_shown(out, shown, sizeof shown);
        fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return kn_fail(err, KN_EINPUT, "--out: cannot create '%s': %s", shown,
                           strerror(errno));
    }
    FILE *f = out ? fdopen(fd, "w") : stdout;
    if (!f) {
        close(fd);
        return kn_fail(err, KN_EIO, "--out: %s", strerror(errno));
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s/s/%s\n", base ? base : "", tokens[i]);
    int bad = fflush(f) != 0 || ferror(f);
    if (out && fclose(f) != 0)
        bad = 1;
    return bad ? kn_fail(err, KN_EIO, "cannot write the links") : 0;
}

static int run(struct store *st, const struct config *cfg, int sub, int64_t id,
               char **args, const char **v, const char *const *opts, int fmt,
               struct net_rows *rows, struct arena *a, struct kn_error *err)
{
    kn_day today = date_today();
    char shown[256];
    const char *to = v[cli_opt_index(opts, "to")];
    switch (sub) {
    case S_CREATE: {
        char *json = NULL;
        size_t len = 0;
        int version;
        bool replaced;
        cli_shown(args[0], shown, sizeof shown);
        if (read_file(args[0], shown, SURVEY_DEF_MAX, &json, &len, a, err) != 0 ||
            survey_create(st, json, len, shown, today, &id, &version, &replaced, err) != 0)
            return err->code;
        printf("survey %" PRId64 ": %s (version %d)\n", id,
               replaced ? "replaced, not yet sent" : "added", version);
        return 0;
    }
    case S_SEND: {
        const char *colon = to ? strchr(to, ':') : NULL;
        if (!colon)
            return kn_fail(err, KN_EINPUT, "--to: KIND:TARGET (unit:CODES, region:CODE or "
                                           "training:ID)");
        long count = 0;
        const char *cv = v[cli_opt_index(opts, "count")];
        if (cv) {
            char *end;
            errno = 0;
            count = strtol(cv, &end, 10);
            if (errno || *end || count < 1 || count > SURVEY_INVITATIONS_MAX)
                return kn_fail(err, KN_EINPUT, "--count: from 1 to %d invitations",
                               SURVEY_INVITATIONS_MAX);
        }
        char *kind = arena_strndup(a, to, (size_t)(colon - to));
        char **tokens;
        size_t n;
        if (!kind)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        const char *out = v[cli_opt_index(opts, "out")];
        if (out && access(out, F_OK) == 0)
            return kn_fail(err, KN_EINPUT, "--out: '%s' exists",
                           cli_shown(out, shown, sizeof shown));
        if (survey_send(st, id, kind, colon + 1, count, today, &tokens, &n, a, err) != 0 ||
            write_links(out, v[cli_opt_index(opts, "base")], tokens, n, err) != 0)
            return err->code;
        fprintf(stderr, "survey %" PRId64 ": %zu invitations to %s\n", id, n, to);
        return 0;
    }
    case S_ANSWER: {
        int nrows = 0;
        cli_shown(args[1], shown, sizeof shown);
        int fd = open(args[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return kn_fail(err, KN_EINPUT, "cannot open '%s': %s", shown, strerror(errno));
        int rc = survey_answer_import(st, id, fd, shown, today, &nrows, err);
        close(fd);
        if (rc == 0)
            printf("survey %" PRId64 ": %d paper answers added\n", id, nrows);
        return rc;
    }
    case S_CLOSE:
        if (survey_close(st, id, today, err) != 0)
            return err->code;
        printf("survey %" PRId64 ": closed\n", id);
        return 0;
    case S_LINK: {
        int64_t pre;
        const char *pv = v[cli_opt_index(opts, "pre")];
        char *end;
        pre = strtoll(pv, &end, 10);
        if (*end || pre < 1)
            return kn_fail(err, KN_EINPUT, "--pre: a survey's number");
        if (survey_link(st, id, pre, err) != 0)
            return err->code;
        printf("survey %" PRId64 ": after survey %" PRId64 "\n", id, pre);
        return 0;
    }
    case S_LIST:
        return survey_list(st, rows, a, err);
    case S_REPORT: {
        struct survey_result r;
        if (survey_result(st, id, cfg->min_count, true, &r, a, err) != 0)
            return err->code;
        if (fmt == CLI_ROWS_TABLE)
            printf("survey %" PRId64 " (%s, version %d): %s responses of %" PRId64
                   " invitations%s\n",
                   id, r.info.code, r.info.version,
                   r.responses < 0 ? "(hidden: few)"
                                   : arena_printf(a, "%ld", r.responses),
                   r.info.invitations, r.info.closed_on ? ", closed" : "");
        return survey_result_rows(&r, v[cli_opt_index(opts, "lang")], rows, a, err);
    }
    case S_CHANGE:
        return survey_change(st, id, cfg->min_count, rows, a, err);
    default:
        return survey_export(st, id, rows, a, err);
    }
}

int cmd_survey(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"create", 1}, {"send", 1},   {"answer", 2},
                                          {"close", 1},  {"link", 1},   {"list", 0},
                                          {"report", 1}, {"change", 1}, {"export", 1}};
    static const char *const opts[] = {"dir", "to",   "count",  "out", "base",
                                       "pre", "lang", "format", NULL};
    const char *v[8];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("survey", usage, argc, argv, subs, 9, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    const char *fv = v[cli_opt_index(opts, "format")];
    int fmt = cli_format("survey", fv ? fv : p.sub == S_EXPORT ? "csv" : "table",
                         cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    const char *lang = v[cli_opt_index(opts, "lang")];
    if (lang && strcmp(lang, "sv") != 0 && strcmp(lang, "en") != 0)
        return cli_usage_error("survey", "--lang: sv or en");
    if (p.sub == S_SEND && !v[cli_opt_index(opts, "to")])
        return cli_usage_error("survey", "send needs --to KIND:TARGET");
    if (p.sub == S_LINK && !v[cli_opt_index(opts, "pre")])
        return cli_usage_error("survey", "link needs --pre ID");
    int64_t id = 0;
    if (p.sub != S_CREATE && p.sub != S_LIST && (rc = parse_id(p.args[0], &id)) != 0)
        return rc;
    bool writes = p.sub <= S_LINK;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[0]), writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    if (p.sub == S_REPORT || p.sub == S_CHANGE)
        cli_warn_below_floor(&cfg);
    struct arena a;
    arena_init(&a);
    struct net_rows rows = {0};
    struct kn_error err = KN_ERROR_INIT;
    if (run(st, &cfg, p.sub, id, p.args, v, opts, fmt, &rows, &a, &err) != 0)
        rc = cli_fail(&err);
    else if (!writes)
        rc = cli_rows_print(&rows, (enum cli_rows_format)fmt);
    arena_release(&a);
    store_close(st);
    return rc;
}
