/* src/cli/cmd_personnummer.c: `knod personnummer`, check identity numbers.
 *
 * For registrars checking a list: each number is validated and its kind,
 * birth date and legal sex printed, or the reason it is invalid. Numbers
 * come from the arguments, or one per line from standard input. The
 * pseudonym is never printed (it would let anyone with this output link
 * persons in exports), and nothing is logged.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/date.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "domain/pnr.h"

static const char usage[] =
    "usage: knod personnummer [--format text|json] [--today YYYY-MM-DD] [NUMBER...]\n"
    "\n"
    "Check Swedish personnummer and samordningsnummer: the form, the date,\n"
    "the birth number and the check digit. For each number prints whether\n"
    "it is valid, its kind, birth date and legal sex, or why it is invalid.\n"
    "Without NUMBER arguments, reads one number per line from standard input.\n"
    "\n"
    "  --format F          text (default), or json: one JSON object per line:\n"
    "                      {\"input\", \"valid\", \"kind\", \"birth_date\", \"sex\",\n"
    "                      \"error\"}\n"
    "  --json              the same as --format json\n"
    "  --today YYYY-MM-DD  the reference date deciding the century of 10-digit\n"
    "                      numbers and what lies in the future (default: today)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 if every number is valid, 1 if any is not, 2 on a usage error.\n";

/* A JSON string of arbitrary bytes: invalid UTF-8 becomes U+FFFD. */
static json_t *json_bytes(const char *s, size_t len)
{
    struct strbuf sb = STRBUF_INIT;
    size_t i = 0;
    while (i < len) {
        size_t bad = 0;
        if (utf8_valid(s + i, len - i, &bad)) {
            sb_add(&sb, s + i, len - i);
            break;
        }
        sb_add(&sb, s + i, bad);
        sb_addstr(&sb, "\xEF\xBF\xBD");
        i += bad + 1;
    }
    json_t *j = json_stringn(sb.buf, sb.len);
    sb_release(&sb);
    return j;
}

static bool check_one(const char *s, size_t len, kn_day today, bool as_json)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    bool ok = pnr_parse(s, len, today, &p, &err) == 0;
    char birth[11] = "";

    if (ok)
        pnr_format_birth(&p, birth);
    if (as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "input", json_bytes(s, len));
        json_object_set_new(o, "valid", json_boolean(ok));
        json_object_set_new(o, "kind", ok ? json_string(pnr_kind_name(p.kind)) : json_null());
        json_object_set_new(o, "birth_date", ok ? json_string(birth) : json_null());
        json_object_set_new(o, "sex", ok ? json_string(pnr_sex_code(p.sex)) : json_null());
        json_object_set_new(o, "error", ok ? json_null() : json_string(err.msg));
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        if (text != NULL)
            puts(text);
        free(text);
        json_decref(o);
    } else {
        printf("%.*s\t", (int)len, s);
        if (ok)
            printf("valid\t%s\t%s\t%s\n", pnr_kind_name(p.kind), birth,
                   pnr_sex_code(p.sex));
        else
            printf("invalid\t%s\n", err.msg);
    }
    pnr_wipe(&p);
    return ok;
}

int cmd_personnummer(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'f' },
        { "today", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool as_json = false;
    kn_day today = date_today();
    struct kn_error err = KN_ERROR_INIT;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            as_json = true;
            break;
        case 'f': {
            static const char *const formats[] = { "text", "json", NULL };
            int f = cli_format(argv[0], optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            as_json = f == 1;
            break;
        }
        case 't':
            if (date_parse(optarg, strlen(optarg), &today, &err) != 0)
                return cli_usage_error(argv[0], "--today: %s", err.msg);
            break;
        case 'h':
            fputs(usage, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error(argv[0], "unknown option");
        }
    }
    bool all_ok = true;
    if (optind < argc) {
        for (int i = optind; i < argc; i++)
            all_ok &= check_one(argv[i], strlen(argv[i]), today, as_json);
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) > 0) {
            size_t len = (size_t)n;
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                len--;
            all_ok &= check_one(line, len, today, as_json);
        }
        if (line != NULL)
            memset(line, 0, cap);
        free(line);
    }
    fflush(stdout);
    return all_ok ? EXIT_OK : EXIT_INPUT;
}
