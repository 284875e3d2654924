/* src/cli/cmd_user.c: `knod user`, the portal's users, and `knod audit`,
 * the audit log. Every change to a user is itself audited. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "access/access_audit.h"
#include "access/access_user.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: knod user add NAME --role ROLE [--region CODE | --unit CODE] "
    "[--no-password]\n"
    "       knod user list [--format table|json]\n"
    "       knod user show NAME [--format table|json]\n"
    "       knod user role NAME --role ROLE [--region CODE | --unit CODE]\n"
    "       knod user disable NAME | knod user enable NAME\n"
    "       knod user passwd NAME\n"
    "       (each also takes --by NAME and --dir DIR)\n"
    "\n"
    "The portal's users. ROLE is admin or analyst (the nation), coordinator\n"
    "(--region), registrar (--region or --unit) or clinician (--unit; an NHV\n"
    "clinician). A password is read from standard input when it is not a\n"
    "terminal, otherwise asked for twice; --no-password makes a user who signs\n"
    "in only through the region's identity provider. Passwords: at least 12\n"
    "characters, 6 of them different, not the user name; stored as argon2id.\n"
    "Every change is written to the audit log (knod audit show).\n"
    "\n"
    "  --by NAME        who makes the change (default: $USER)\n"
    "  --format FORMAT  table (default) or json\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

static const char audit_usage[] =
    "usage: knod audit verify [--dir DIR]\n"
    "       knod audit show [--since YYYY-MM-DD] [--user NAME] [--person PSEUDONYM]\n"
    "                       [--format table|json] [--dir DIR]\n"
    "\n"
    "The append-only audit log: every sign-in and failure, every view of\n"
    "person-level data with its purpose, every change and export. Each entry\n"
    "is chained to the one before by a hash keyed with a key derived from the\n"
    "pseudonym key. verify walks the chain and exits 1 naming the first entry\n"
    "that was changed, removed or reordered; on success it prints the number\n"
    "of entries and the head hash (keep it apart to find a cut-off end too).\n"
    "\n"
    "  --since DATE     entries from this day on\n"
    "  --user NAME      entries by this user\n"
    "  --person P       entries about this pseudonym (or user, file)\n"
    "  --format FORMAT  table (default) or json\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

/* A password from standard input (one line), or asked twice at a terminal. */
static int read_password(char *buf, size_t cap, struct kn_error *err)
{
    bool tty = isatty(STDIN_FILENO);
    char again[320];
    for (int round = 0; round < (tty ? 2 : 1); round++) {
        char *dst = round ? again : buf;
        size_t dcap = round ? sizeof again : cap;
        struct termios old, quiet;
        if (tty) {
            fputs(round ? "Password again: " : "Password: ", stderr);
            tcgetattr(STDIN_FILENO, &old);
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        char *got = fgets(dst, (int)dcap, stdin);
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
            fputc('\n', stderr);
        }
        if (!got)
            return kn_fail(err, KN_EINPUT, "no password on standard input");
        dst[strcspn(dst, "\r\n")] = '\0';
    }
    int rc = tty && strcmp(buf, again) != 0
                 ? kn_fail(err, KN_EINPUT, "the passwords differ")
                 : 0;
    sodium_memzero(again, sizeof again);
    return rc;
}

static json_t *user_json(const struct access_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(u->name));
    json_object_set_new(o, "role", json_string(access_role_name(u->role)));
    json_object_set_new(o, "scope", json_string(access_scope_name(u->scope)));
    json_object_set_new(o, "scope_code",
                        u->scope_code ? json_string(u->scope_code) : json_null());
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_object_set_new(o, "password", json_boolean(u->has_password));
    json_object_set_new(o, "failures", json_integer(u->failures));
    return o;
}

static void print_users(const struct access_user *u, size_t n, bool json)
{
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, user_json(&u[i]));
        char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (t)
            puts(t);
        free(t);
        json_decref(arr);
        return;
    }
    cli_pad("name", 24);
    cli_pad("role", 13);
    cli_pad("scope", 16);
    puts("sign-in");
    for (size_t i = 0; i < n; i++) {
        char scope[40];
        snprintf(scope, sizeof scope, "%s%s%s", access_scope_name(u[i].scope),
                 u[i].scope_code ? " " : "", u[i].scope_code ? u[i].scope_code : "");
        cli_pad(u[i].name, 24);
        cli_pad(access_role_name(u[i].role), 13);
        cli_pad(scope, 16);
        puts(u[i].disabled       ? "disabled"
             : u[i].has_password ? "password"
                                 : "identity provider");
    }
}

struct uopts {
    const char *dir, *by, *role, *region, *unit, *format, *since, *user, *person;
    bool no_password;
};

static int parse(int argc, char **argv, const char *name, int nargs, struct uopts *o)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"by", required_argument, NULL, 'b'},
        {"role", required_argument, NULL, 'r'},
        {"region", required_argument, NULL, 'g'},
        {"unit", required_argument, NULL, 'u'},
        {"format", required_argument, NULL, 'f'},
        {"since", required_argument, NULL, 's'},
        {"user", required_argument, NULL, 'U'},
        {"person", required_argument, NULL, 'p'},
        {"no-password", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->dir = optarg;
            break;
        case 'b':
            o->by = optarg;
            break;
        case 'r':
            o->role = optarg;
            break;
        case 'g':
            o->region = optarg;
            break;
        case 'u':
            o->unit = optarg;
            break;
        case 'f':
            o->format = optarg;
            break;
        case 's':
            o->since = optarg;
            break;
        case 'U':
            o->user = optarg;
            break;
        case 'p':
            o->person = optarg;
            break;
        case 'n':
            o->no_password = true;
            break;
        case 'h':
            fputs(strcmp(name, "audit") == 0 ? audit_usage : usage, stdout);
            return -1;
        default:
            return cli_usage_error(name, "unknown option");
        }
    }
    if (argc - optind != nargs)
        return cli_usage_error(name, "%s %s takes %d argument%s", name, argv[1], nargs,
                               nargs == 1 ? "" : "s");
    if (strcmp(o->format, "table") != 0 && strcmp(o->format, "json") != 0)
        return cli_usage_error(name, "--format: table or json");
    if (o->region && o->unit)
        return cli_usage_error(name, "give --region or --unit, not both");
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const char *const subs[] = {"add",     "list",   "show",  "role",
                                       "disable", "enable", "passwd"};
    static const int nargs[] = {1, 0, 1, 1, 1, 1, 1};
    struct uopts o = {.by = getenv("USER") ? getenv("USER") : "knod", .format = "table"};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    int k;
    for (k = 0; k < 7 && strcmp(subs[k], argv[1]) != 0; k++)
        ;
    if (k == 7)
        return cli_usage_error("user", "unknown subcommand '%s'", argv[1]);
    int prc = parse(argc, argv, "user", nargs[k], &o);
    if (prc)
        return prc < 0 ? EXIT_OK : prc;
    const char *name = nargs[k] ? argv[optind] : NULL;
    int role = -1;
    if (k == 0 || k == 3) {
        if (!o.role || (role = access_role_parse(o.role)) < 0)
            return cli_usage_error("user",
                                   "--role: admin, analyst, coordinator, registrar or "
                                   "clinician");
    }
    enum access_scope scope = o.region ? SCOPE_REGION
                              : o.unit ? SCOPE_UNIT
                                       : SCOPE_NATION;
    const char *code = o.region ? o.region : o.unit;

    struct config cfg;
    struct store *st = NULL;
    bool writes = k == 0 || k >= 3;
    int rc = cli_open_store(cli_dir(o.dir), writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    struct audit_key key;
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    char password[320] = "";
    if (writes && (rc = cli_audit_key(&cfg, &key)) != 0)
        goto out;
    if ((k == 0 && !o.no_password) || k == 6) {
        struct access_user u;
        if (k == 6 && access_user_get(st, name, &u, &a, &err) != 0) {
            rc = cli_fail(&err);
            goto out;
        }
        if (read_password(password, sizeof password, &err) != 0) {
            rc = cli_fail(&err);
            goto out;
        }
    }
    kn_time now = time_now();
    char detail[96] = "";
    rc = store_begin(st, &err);
    switch (k) {
    case 0:
        if (rc == 0)
            rc = access_user_add(st, name, (enum access_role)role, scope, code,
                                 o.no_password ? NULL : password, now, &err);
        snprintf(detail, sizeof detail, "role %s, %s%s%s", o.role,
                 access_scope_name(scope), code ? " " : "", code ? code : "");
        break;
    case 3:
        if (rc == 0)
            rc =
                access_user_set_role(st, name, (enum access_role)role, scope, code, &err);
        snprintf(detail, sizeof detail, "role %s, %s%s%s", o.role,
                 access_scope_name(scope), code ? " " : "", code ? code : "");
        break;
    case 4:
    case 5:
        if (rc == 0)
            rc = access_user_set_disabled(st, name, k == 4, &err);
        break;
    case 6:
        if (rc == 0)
            rc = access_user_set_password(st, name, password, &err);
        break;
    default: {
        struct access_user *u, one;
        size_t n = 1;
        if (rc == 0)
            rc = k == 1 ? access_user_list(st, &u, &n, &a, &err)
                        : access_user_get(st, name, &one, &a, &err);
        if (rc == 0)
            print_users(k == 1 ? u : &one, n, strcmp(o.format, "json") == 0);
        break;
    }
    }
    if (rc == 0 && writes) {
        char action[24];
        snprintf(action, sizeof action, "user-%s", subs[k]);
        rc = access_audit_add(st, &key, now, o.by, action, name, "", detail, &err);
    }
    if (rc == 0)
        rc = store_commit(st, &err);
    else
        store_rollback(st);
    if (rc)
        rc = cli_fail(&err);
    else if (writes)
        printf("user %s: %s\n", name,
               k == 0   ? "added"
               : k == 3 ? "role set"
               : k == 4 ? "disabled"
               : k == 5 ? "enabled"
                        : "password set");
out:
    sodium_memzero(password, sizeof password);
    sodium_memzero(&key, sizeof key);
    arena_release(&a);
    store_close(st);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    struct uopts o = {.format = "table"};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(audit_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    bool verify = strcmp(argv[1], "verify") == 0;
    if (!verify && strcmp(argv[1], "show") != 0)
        return cli_usage_error("audit", "unknown subcommand '%s'", argv[1]);
    int prc = parse(argc, argv, "audit", 0, &o);
    if (prc)
        return prc < 0 ? EXIT_OK : prc;
    kn_day since = 0;
    struct kn_error err = KN_ERROR_INIT;
    if (o.since && date_parse(o.since, strlen(o.since), &since, &err) != 0) {
        kn_error_prefix(&err, "--since: ");
        return cli_fail(&err);
    }
    struct config cfg;
    struct store *st = NULL;
    int rc = cli_open_store(cli_dir(o.dir), STORE_READONLY, &cfg, &st);
    if (rc)
        return rc;
    struct arena a;
    arena_init(&a);
    if (verify) {
        struct audit_key key;
        int64_t count, bad;
        char head[AUDIT_HASH_HEX + 1];
        rc = cli_audit_key(&cfg, &key);
        if (rc == 0 && access_audit_verify(st, &key, &count, head, &bad, &err) != 0)
            rc = cli_fail(&err);
        else if (rc == 0)
            printf("audit log intact: %lld entries, head %s\n", (long long)count, head);
        sodium_memzero(&key, sizeof key);
    } else {
        struct audit_entry *e;
        size_t n;
        if (access_audit_list(st, o.since ? time_from_day(since) : INT64_MIN, o.user,
                              o.person, &e, &n, &a, &err) != 0) {
            rc = cli_fail(&err);
        } else if (strcmp(o.format, "json") == 0) {
            json_t *arr = json_array();
            for (size_t i = 0; i < n; i++) {
                char at[20];
                time_format(e[i].at, at);
                json_t *x = json_object();
                json_object_set_new(x, "id", json_integer(e[i].id));
                json_object_set_new(x, "at", json_string(at));
                json_object_set_new(x, "actor", json_string(e[i].actor));
                json_object_set_new(x, "action", json_string(e[i].action));
                json_object_set_new(x, "subject", json_string(e[i].subject));
                json_object_set_new(x, "purpose", json_string(e[i].purpose));
                json_object_set_new(x, "detail", json_string(e[i].detail));
                json_object_set_new(x, "hash", json_string(e[i].hash));
                json_array_append_new(arr, x);
            }
            char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (t)
                puts(t);
            free(t);
            json_decref(arr);
        } else {
            for (size_t i = 0; i < n; i++) {
                char at[20];
                time_format(e[i].at, at);
                printf("%6lld  %s  %-16s %-16s %s", (long long)e[i].id, at, e[i].actor,
                       e[i].action, e[i].subject);
                if (*e[i].purpose)
                    printf("  purpose: %s", e[i].purpose);
                if (*e[i].detail)
                    printf("  (%s)", e[i].detail);
                putchar('\n');
            }
        }
    }
    arena_release(&a);
    store_close(st);
    return rc;
}
