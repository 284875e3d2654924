/* src/cli/cmd_events.c: `knod events`, the events calendar: add, list,
 * register, cancel, and the iCalendar feed. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/outfile.h"
#include "access/access_audit.h"
#include "base/strbuf.h"
#include "cli/cli.h"
#include "cli/cli_rows.h"
#include "domain/geo.h"
#include "network/event.h"
#include "network/ics.h"

static const char usage[] =
    "usage: knod events add --kind KIND --title TEXT --start TIME --end TIME\n"
    "                       --organiser TEXT --mode digital|on-site [--place TEXT]\n"
    "                       --theme TEXT [--series TEXT] [--url URL]\n"
    "                       [--description TEXT] [--capacity N] [--recording]\n"
    "                       [--status confirmed|tentative|cancelled] [--by NAME]\n"
    "                       [--dir DIR]\n"
    "       knod events update ID [--kind KIND] [--title TEXT] [--start TIME]\n"
    "                       [--end TIME] [--organiser TEXT] [--mode MODE] [--place "
    "TEXT]\n"
    "                       [--theme TEXT] [--series TEXT] [--url URL]\n"
    "                       [--description TEXT] [--capacity N|none]\n"
    "                       [--recording|--no-recording] [--status STATUS]\n"
    "                       [--by NAME] [--dir DIR]\n"
    "       knod events list [--from DATE] [--format table|json|csv] [--dir DIR]\n"
    "       knod events register ID --name TEXT --email ADDRESS\n"
    "                       [--organisation TEXT] [--region CODE] [--dir DIR]\n"
    "       knod events cancel ID --email ADDRESS [--dir DIR]\n"
    "       knod events ics [--from DATE] [--out FILE|-] [--force] [--dir DIR]\n"
    "\n"
    "The events calendar: webinars, network meetings, national and\n"
    "international conferences. Times are Swedish civil time (Europe/Stockholm),\n"
    "\"YYYY-MM-DDTHH:MM\". KIND is webinar, network-meeting, national-conference\n"
    "or international-conference; an event on site needs --place. --capacity\n"
    "limits the seats (none: no limit); --recording marks \"fully booked —\n"
    "recording afterwards\".\n"
    "\n"
    "register gives the participant a seat while there is one, else a place on\n"
    "the waiting list; cancel frees the seat and moves the first on the waiting\n"
    "list up. update changes the fields given and keeps the others, with the\n"
    "checks of add. add and update each write the event and an entry in the\n"
    "audit log by NAME (default: $USER) in one transaction. After an update\n"
    "the seats follow the new capacity: more seats move\n"
    "the first waiting up, fewer move those who registered last to the head of\n"
    "the waiting list. Each update counts as a revision in the feed (its\n"
    "SEQUENCE); --status cancelled shows there as STATUS:CANCELLED.\n"
    "ics writes the calendar as iCalendar (RFC 5545) to FILE or\n"
    "standard output (the default, or -). --from DATE keeps the events that end\n"
    "on or after DATE. No text may hold a personnummer.\n"
    "\n"
    "  --format FORMAT  list: table (default), json or csv\n"
    "  --out FILE       ics: where to write (default: standard output)\n"
    "  --force          ics: replace an existing regular FILE\n"
    "  --dir DIR        the knod directory (default $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

struct opts {
    struct ev_event e;
    struct ev_participant p;
    const char *dir, *format, *from, *out, *start, *end, *capacity, *by;
    bool force, recording_given, no_recording;
};

static int parse_id(const char *sub, const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v <= 0) {
        struct kn_error err = KN_ERROR_INIT;
        kn_fail(&err, KN_EINPUT, "%s: ID: '%s' is not an event number", sub, s);
        return cli_fail(&err);
    }
    *id = v;
    return 0;
}

/* The times and capacity given in o into e (those not given stay). */
static int parse_times(const struct opts *o, struct ev_event *e, struct kn_error *err)
{
    if (o->start && time_parse(o->start, strlen(o->start), &e->starts, err) != 0) {
        kn_error_prefix(err, "--start: ");
        return err->code;
    }
    if (o->end && time_parse(o->end, strlen(o->end), &e->ends, err) != 0) {
        kn_error_prefix(err, "--end: ");
        return err->code;
    }
    if (o->capacity && strcmp(o->capacity, "none") == 0) {
        e->capacity = EV_NO_CAPACITY;
    } else if (o->capacity) {
        char *end;
        errno = 0;
        long v = strtol(o->capacity, &end, 10);
        if (!*o->capacity || *end || errno || v < 0 || v > EV_CAPACITY_MAX)
            return kn_fail(err, KN_EINPUT, "--capacity: a whole number 0 to %d",
                           EV_CAPACITY_MAX);
        e->capacity = (int)v;
    }
    return 0;
}

static int parse_event(struct opts *o, struct kn_error *err)
{
    if (!o->start)
        return kn_fail(err, KN_EINPUT, "--start: required");
    if (!o->end)
        return kn_fail(err, KN_EINPUT, "--end: required");
    o->e.capacity = EV_NO_CAPACITY;
    if (parse_times(o, &o->e, err) != 0)
        return err->code;
    if (!o->e.status)
        o->e.status = "confirmed";
    return ev_check(&o->e, err);
}

/* `add` under cli_audited(): the event, then the entry's subject (its
 * number) and detail, as the portal's form writes them. */
struct add_arg {
    struct ev_event *e;
    struct arena *a;
    char subject[24], detail[64];
};

static int add_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct add_arg *x = arg;
    int rc = ev_add(st, x->e, x->a, err);
    snprintf(x->subject, sizeof x->subject, "%" PRId64, x->e->id);
    snprintf(x->detail, sizeof x->detail, "status %s, 0 moved up, 0 moved down",
             x->e->status);
    return rc;
}

static int do_add(struct store *st, const struct config *cfg, struct opts *o,
                  struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    if (parse_event(o, &err) != 0)
        return cli_fail(&err);
    struct add_arg x = {&o->e, a, "", ""};
    int rc = cli_audited(st, cfg, o->by, "event-add", x.subject, x.detail, add_fn, &x);
    if (rc == EXIT_OK)
        printf("event %" PRId64 " added: %s\n", o->e.id, o->e.title);
    return rc;
}

static const char *seats(const struct ev_event *e, char buf[32])
{
    if (e->capacity == EV_NO_CAPACITY)
        snprintf(buf, 32, "%d", e->registered);
    else
        snprintf(buf, 32, "%d/%d", e->registered, e->capacity);
    return buf;
}

/* The columns of `events list --format json|csv`, the same in both. */
static const struct net_col ev_cols[] = {
    {"id", NET_INT},           {"uid", NET_TEXT},       {"kind", NET_TEXT},
    {"title", NET_TEXT},       {"organiser", NET_TEXT}, {"start", NET_TEXT},
    {"end", NET_TEXT},         {"mode", NET_TEXT},      {"place", NET_TEXT},
    {"url", NET_TEXT},         {"theme", NET_TEXT},     {"series", NET_TEXT},
    {"description", NET_TEXT}, {"capacity", NET_INT},   {"recording", NET_BOOL},
    {"status", NET_TEXT},      {"registered", NET_INT}, {"waiting", NET_INT},
    {"sequence", NET_INT},     {"owner", NET_TEXT},
};

/* The events ev[0..n) as rows of ev_cols. */
static int ev_rows(const struct ev_event *ev, size_t n, struct net_rows *out,
                   struct arena *a, struct kn_error *err)
{
    *out = (struct net_rows){.cols = ev_cols, .ncols = sizeof ev_cols / sizeof *ev_cols};
    for (size_t i = 0; i < n; i++) {
        char id[24], s[20], e[20], cap[16], reg[16], wait[16], seq[16];
        snprintf(id, sizeof id, "%" PRId64, ev[i].id);
        time_format(ev[i].starts, s);
        time_format(ev[i].ends, e);
        snprintf(cap, sizeof cap, "%d", ev[i].capacity);
        snprintf(reg, sizeof reg, "%d", ev[i].registered);
        snprintf(wait, sizeof wait, "%d", ev[i].waiting);
        snprintf(seq, sizeof seq, "%d", ev[i].sequence);
        const char *cells[] = {id,
                               ev[i].uid,
                               ev[i].kind,
                               ev[i].title,
                               ev[i].organiser,
                               s,
                               e,
                               ev[i].mode,
                               ev[i].place,
                               ev[i].url,
                               ev[i].theme,
                               ev[i].series,
                               ev[i].description,
                               ev[i].capacity == EV_NO_CAPACITY ? NULL : cap,
                               ev[i].recording ? "1" : "0",
                               ev[i].status,
                               reg,
                               wait,
                               seq,
                               ev[i].owner};
        if (net_rows_add(out, cells, a, err) != 0)
            return err->code;
    }
    return 0;
}

static int do_list(struct store *st, struct opts *o, kn_day from, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event *ev;
    size_t n;
    if (ev_list(st, from, &ev, &n, a, &err) != 0)
        return cli_fail(&err);
    if (strcmp(o->format, "table") != 0) {
        struct net_rows t;
        return ev_rows(ev, n, &t, a, &err) != 0
                   ? cli_fail(&err)
                   : cli_rows_print(&t, strcmp(o->format, "json") == 0 ? CLI_ROWS_JSON
                                                                       : CLI_ROWS_CSV);
    }
    cli_pad("id", 5);
    cli_pad("start", 17);
    cli_pad("kind", 25);
    cli_pad("seats", 10);
    cli_pad("waiting", 8);
    printf("title\n");
    for (size_t i = 0; i < n; i++) {
        char s[20], id[24], buf[32], w[16];
        time_format(ev[i].starts, s);
        s[16] = '\0';
        s[10] = ' ';
        snprintf(id, sizeof id, "%" PRId64, ev[i].id);
        snprintf(w, sizeof w, "%d", ev[i].waiting);
        cli_pad(id, 5);
        cli_pad(s, 17);
        cli_pad(ev[i].kind, 25);
        cli_pad(seats(&ev[i], buf), 10);
        cli_pad(w, 8);
        printf("%s%s\n", ev[i].title,
               strcmp(ev[i].status, "confirmed") == 0   ? ""
               : strcmp(ev[i].status, "cancelled") == 0 ? " (cancelled)"
                                                        : " (tentative)");
    }
    return EXIT_OK;
}

/* `update`: event id with the fields given in o replaced, checked, stored
 * and audited in one transaction. */
static int do_update(struct store *st, const struct config *cfg, struct opts *o,
                     int64_t id, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct audit_key key;
    struct ev_event e;
    int up = 0, down = 0;
    int rc = cli_audit_key(cfg, &key);
    if (rc != 0)
        return rc;
    rc = ev_get(st, id, &e, a, &err);
    if (rc == 0) {
        const char **text[] = {&e.kind,        &e.title, &e.organiser, &e.mode,
                               &e.place,       &e.url,   &e.theme,     &e.series,
                               &e.description, &e.status};
        const char *given[] = {o->e.kind,        o->e.title, o->e.organiser, o->e.mode,
                               o->e.place,       o->e.url,   o->e.theme,     o->e.series,
                               o->e.description, o->e.status};
        for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
            if (given[i])
                *text[i] = given[i];
        if (o->recording_given)
            e.recording = !o->no_recording;
        rc = parse_times(o, &e, &err);
    }
    if (rc == 0)
        rc = ev_check(&e, &err);
    if (rc == 0)
        rc = store_begin(st, &err);
    if (rc == 0) {
        rc = ev_update_in(st, &e, &up, &down, &err);
        if (rc == 0)
            rc = access_audit_add(st, &key, time_now(),
                                  o->by            ? o->by
                                  : getenv("USER") ? getenv("USER")
                                                   : "knod",
                                  "event-change", arena_printf(a, "%" PRId64, id), "",
                                  arena_printf(a, "status %s, %d moved up, %d moved down",
                                               e.status, up, down),
                                  &err);
        if (rc == 0)
            rc = store_commit(st, &err);
        else
            store_rollback(st);
    }
    sodium_memzero(&key, sizeof key);
    if (rc != 0)
        return cli_fail(&err);
    printf("event %" PRId64 " updated: %s\n", id, e.title);
    if (up)
        printf("%d moved up from the waiting list\n", up);
    if (down)
        printf("%d moved to the waiting list\n", down);
    return EXIT_OK;
}

static int do_register(struct store *st, struct opts *o, int64_t id)
{
    struct kn_error err = KN_ERROR_INIT;
    if (ev_check_participant(&o->p, &err) != 0)
        return cli_fail(&err);
    if (o->p.region && *o->p.region) {
        struct arena a;
        arena_init(&a);
        struct geo g;
        int rc = geo_load(&g, &a, &err);
        if (rc == 0 && !geo_region(&g, o->p.region))
            rc = kn_fail(&err, KN_EINPUT,
                         "--region: '%s' is not a region code "
                         "(see knod geo)",
                         o->p.region);
        arena_release(&a);
        if (rc != 0)
            return cli_fail(&err);
    }
    enum ev_place place;
    int position;
    if (ev_register(st, id, &o->p, &place, &position, &err) != 0)
        return cli_fail(&err);
    if (place == EV_SEAT)
        printf("registered for event %" PRId64 "\n", id);
    else
        printf("event %" PRId64 " is fully booked: on the waiting list as number %d\n",
               id, position);
    return EXIT_OK;
}

static int do_cancel(struct store *st, struct opts *o, int64_t id, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    const char *up;
    if (!o->p.email || !*o->p.email) {
        kn_fail(&err, KN_EINPUT, "--email: required");
        return cli_fail(&err);
    }
    if (ev_cancel(st, id, o->p.email, &up, a, &err) != 0)
        return cli_fail(&err);
    printf("cancelled for event %" PRId64 "\n", id);
    if (up)
        printf("moved up from the waiting list: %s\n", up);
    return EXIT_OK;
}

static int do_ics(struct store *st, struct opts *o, kn_day from)
{
    struct kn_error err = KN_ERROR_INIT;
    struct strbuf sb = STRBUF_INIT;
    struct outfile of = OUTFILE_INIT;
    const char *out = o->out ? o->out : "-";
    int rc = ics_feed(st, from, &sb, &err);
    if (rc == 0)
        rc = outfile_open(&of, out, OUTFILE_STDOUT | (o->force ? OUTFILE_REPLACE : 0),
                          &err);
    if (rc == 0)
        rc = outfile_write(&of, sb.buf, sb.len, &err);
    if (rc == 0)
        rc = outfile_commit(&of, &err);
    else
        outfile_abort(&of);
    sb_release(&sb);
    if (rc == KN_EEXIST) {
        fprintf(stderr, "knod: error: %s; give --force to replace it\n", err.msg);
        return EXIT_INPUT;
    }
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}

int cmd_events(int argc, char **argv)
{
    static const char *const subs[] = {"add",    "list", "register",
                                       "cancel", "ics",  "update"};
    static const int nargs[] = {0, 0, 1, 1, 0, 1};
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"title", required_argument, NULL, 't'},
        {"start", required_argument, NULL, 's'},
        {"end", required_argument, NULL, 'e'},
        {"organiser", required_argument, NULL, 'o'},
        {"mode", required_argument, NULL, 'm'},
        {"place", required_argument, NULL, 'p'},
        {"url", required_argument, NULL, 'u'},
        {"theme", required_argument, NULL, 'T'},
        {"series", required_argument, NULL, 'S'},
        {"description", required_argument, NULL, 'd'},
        {"capacity", required_argument, NULL, 'c'},
        {"recording", no_argument, NULL, 'R'},
        {"no-recording", no_argument, NULL, 'N'},
        {"by", required_argument, NULL, 'b'},
        {"status", required_argument, NULL, 'x'},
        {"name", required_argument, NULL, 'n'},
        {"email", required_argument, NULL, 'E'},
        {"organisation", required_argument, NULL, 'O'},
        {"region", required_argument, NULL, 'r'},
        {"from", required_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'w'},
        {"force", no_argument, NULL, 'y'},
        {"dir", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* Which options each subcommand takes (by short letter). */
    static const char *const allowed[] = {
        "ktseompuTSdcRxbD", "FfD", "nEOrD", "ED", "FwyD", "ktseompuTSdcRNxbD"};
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    int k = -1;
    for (int i = 0; argc >= 2 && i < 6; i++)
        if (strcmp(argv[1], subs[i]) == 0)
            k = i;
    if (k < 0)
        return cli_usage_error("events", argc >= 2 ? "unknown subcommand '%s'" : "%s",
                               argc >= 2
                                   ? argv[1]
                                   : "give a subcommand: add, list, register, cancel, "
                                     "ics or update");
    argc--;
    argv++;
    struct opts o;
    memset(&o, 0, sizeof o);
    o.format = "table";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return EXIT_OK;
        }
        if (c == '?' || !strchr(allowed[k], c))
            return cli_usage_error(
                "events", c == '?' ? "unknown option" : "%s takes no such option",
                subs[k]);
        switch (c) {
        case 'k':
            o.e.kind = optarg;
            break;
        case 't':
            o.e.title = optarg;
            break;
        case 's':
            o.start = optarg;
            break;
        case 'e':
            o.end = optarg;
            break;
        case 'o':
            o.e.organiser = optarg;
            break;
        case 'm':
            o.e.mode = optarg;
            break;
        case 'p':
            o.e.place = optarg;
            break;
        case 'u':
            o.e.url = optarg;
            break;
        case 'T':
            o.e.theme = optarg;
            break;
        case 'S':
            o.e.series = optarg;
            break;
        case 'd':
            o.e.description = optarg;
            break;
        case 'c':
            o.capacity = optarg;
            break;
        case 'R':
        case 'N':
            if (o.recording_given)
                return cli_usage_error("events", "--recording or --no-recording, once");
            o.recording_given = true;
            o.no_recording = c == 'N';
            o.e.recording = c == 'R';
            break;
        case 'b':
            o.by = optarg;
            break;
        case 'x':
            o.e.status = optarg;
            break;
        case 'n':
            o.p.name = optarg;
            break;
        case 'E':
            o.p.email = optarg;
            break;
        case 'O':
            o.p.organisation = optarg;
            break;
        case 'r':
            o.p.region = optarg;
            break;
        case 'F':
            o.from = optarg;
            break;
        case 'f':
            o.format = optarg;
            break;
        case 'w':
            o.out = optarg;
            break;
        case 'y':
            o.force = true;
            break;
        default:
            o.dir = optarg;
            break;
        }
    }
    if (argc - optind != nargs[k])
        return argc - optind > nargs[k]
                   ? cli_usage_error("events", "unexpected argument '%s'",
                                     argv[optind + nargs[k]])
                   : cli_usage_error("events", "%s needs an event ID", subs[k]);
    if (strcmp(o.format, "table") != 0 && strcmp(o.format, "json") != 0 &&
        strcmp(o.format, "csv") != 0)
        return cli_usage_error("events", "--format: table, json or csv");
    int64_t id = 0;
    int rc;
    if (nargs[k] && (rc = parse_id(subs[k], argv[optind], &id)) != 0)
        return rc;
    kn_day from = EV_FROM_ALL;
    if (o.from) {
        struct kn_error err = KN_ERROR_INIT;
        if (date_parse(o.from, strlen(o.from), &from, &err) != 0) {
            kn_error_prefix(&err, "--from: ");
            return cli_fail(&err);
        }
    }
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(o.dir), k == 1 || k == 4 ? STORE_READONLY : 0, &cfg, &st);
    if (rc != 0)
        return rc;
    struct arena a;
    arena_init(&a);
    switch (k) {
    case 0:
        rc = do_add(st, &cfg, &o, &a);
        break;
    case 1:
        rc = do_list(st, &o, from, &a);
        break;
    case 2:
        rc = do_register(st, &o, id);
        break;
    case 3:
        rc = do_cancel(st, &o, id, &a);
        break;
    case 4:
        rc = do_ics(st, &o, from);
        break;
    default:
        rc = do_update(st, &cfg, &o, id, &a);
        break;
    }
    arena_release(&a);
    store_close(st);
    return rc;
}
