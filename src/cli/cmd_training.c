/* src/cli/cmd_training.c: `knod training`, trainings and their
 * participants as counts (network/training.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_rows.h"
#include "network/training.h"

static const char usage[] =
    "usage: knod training add --kind KIND --title TEXT --start DATE --end DATE\n"
    "                         --mode MODE --targets LIST --organiser TEXT\n"
    "       knod training update ID [--kind KIND] [--title TEXT] [--start DATE]\n"
    "                               [--end DATE] [--mode MODE] [--targets LIST]\n"
    "                               [--organiser TEXT] [--by NAME]\n"
    "       knod training participants ID FILE\n"
    "       knod training list [--from DATE] [--to DATE] [--format table|json|csv]\n"
    "       knod training stats --by KEY [--from DATE] [--to DATE]\n"
    "                           [--format table|json|csv]\n"
    "       (each also takes --dir DIR)\n"
    "\n"
    "A training has a kind, a title, its days, a mode and its target groups.\n"
    "update changes the fields given and checks the training as add does;\n"
    "the change and an audit entry (training-change, by --by) are one\n"
    "transaction.\n"
    "participants replaces training ID's participants with those of FILE, a\n"
    "CSV with the columns region, organisation, profession, participants (a\n"
    "count; no names). stats sums the participants of the trainings that start\n"
    "in [--from, --to] by region, profession, organisation or kind.\n"
    "\n"
    "  --kind KIND      attitude-course, web-training, film, dbt, conference, other\n"
    "  --mode MODE      on-site, digital, hybrid or self-paced\n"
    "  --targets LIST   comma-separated: care, social-services, school-health,\n"
    "                   police, youth-clinic, bris, municipality, other\n"
    "  --by KEY         stats: region, profession, organisation or kind;\n"
    "                   update: who makes the change, for the audit log\n"
    "                   (default: $USER)\n"
    "  --format FORMAT  table (default), json or csv\n"
    "  --dir DIR        the knod directory (default: $KNOD_DIR, else .)\n"
    "  -h, --help       show this help\n";

struct update_arg {
    int64_t id;
    const struct training *t;
    struct arena *a;
};

static int update_fn(struct store *st, void *arg, struct kn_error *err)
{
    struct update_arg *u = arg;
    return training_update(st, u->id, u->t, u->a, err);
}

int cmd_training(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"add", 0}, {"participants", 2}, {"list", 0}, {"stats", 0}, {"update", 1}};
    static const char *const opts[] = {"dir",  "kind",    "title",     "start", "end",
                                       "mode", "targets", "organiser", "from",  "to",
                                       "by",   "format",  NULL};
    enum {
        O_DIR,
        O_KIND,
        O_TITLE,
        O_START,
        O_END,
        O_MODE,
        O_TARGETS,
        O_ORG,
        O_FROM,
        O_TO,
        O_BY,
        O_FORMAT,
        O_N
    };
    const char *v[O_N];
    struct cli_parsed p = {.vals = v};
    int rc = cli_sub_parse("training", usage, argc, argv, subs, 5, opts, &p);
    if (rc)
        return cli_sub_exit(rc);
    int fmt =
        cli_format("training", v[O_FORMAT] ? v[O_FORMAT] : "table", cli_rows_formats);
    if (fmt < 0)
        return EXIT_USAGE;
    if (p.sub == 0 && (!v[O_START] || !v[O_END]))
        return cli_usage_error("training", "add needs --start DATE and --end DATE");
    if (p.sub == 3 && !v[O_BY])
        return cli_usage_error("training", "stats needs --by KEY");
    int64_t id = 0;
    if (p.sub == 1 || p.sub == 4) {
        char *end;
        id = strtoll(p.args[0], &end, 10);
        if (*end || id < 1)
            return cli_usage_error("training",
                                   "ID: a training's number (see knod training list)");
    }
    struct kn_error err = KN_ERROR_INIT;
    struct training t = {v[O_KIND], v[O_TITLE], v[O_MODE], v[O_TARGETS], v[O_ORG], 0, 0};
    kn_day from, to;
    kn_day unset = p.sub == 4 ? TRAINING_DAY_UNSET : 0;
    if (cli_opt_day("--start", v[O_START], unset, &t.starts, &err) != 0 ||
        cli_opt_day("--end", v[O_END], unset, &t.ends, &err) != 0 ||
        cli_opt_day("--from", v[O_FROM], date_from_ymd(1900, 1, 1), &from, &err) != 0 ||
        cli_opt_day("--to", v[O_TO], date_from_ymd(2199, 12, 31), &to, &err) != 0)
        return cli_fail(&err);
    int fd = -1;
    char shown[256];
    if (p.sub == 1) {
        cli_shown(p.args[1], shown, sizeof shown);
        fd = open(p.args[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            kn_fail(&err, KN_EINPUT, "cannot open '%s': %s", shown, strerror(errno));
            return cli_fail(&err);
        }
    }
    bool writes = p.sub <= 1 || p.sub == 4;
    struct config cfg;
    struct store *st = NULL;
    rc = cli_open_store(cli_dir(v[O_DIR]), writes ? 0 : STORE_READONLY, &cfg, &st);
    if (rc) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    struct arena a;
    arena_init(&a);
    struct net_rows out = {0};
    int e = 0, rows = 0;
    int64_t total = 0;
    switch (p.sub) {
    case 0:
        e = training_add(st, &t, &id, &err);
        if (e == 0)
            printf("training %" PRId64 ": added\n", id);
        break;
    case 1:
        e = training_participants_load(st, id, fd, shown, &rows, &total, &err);
        if (e == 0)
            printf("training %" PRId64 ": %d rows, %" PRId64 " participants\n", id, rows,
                   total);
        break;
    case 2:
        e = training_list(st, from, to, &out, &a, &err);
        break;
    case 3:
        e = training_stats(st, from, to, v[O_BY], &out, &a, &err);
        break;
    default: {
        struct update_arg u = {id, &t, &a};
        char detail[120], subject[24];
        cli_given(&opts[O_KIND], &v[O_KIND], O_FROM - O_KIND, detail, sizeof detail);
        snprintf(subject, sizeof subject, "%" PRId64, id);
        rc = cli_audited(st, &cfg, v[O_BY], "training-change", subject, detail, update_fn,
                         &u);
        if (rc == EXIT_OK)
            printf("training %" PRId64 ": updated\n", id);
        break;
    }
    }
    if (fd >= 0)
        close(fd);
    if (e != 0)
        rc = cli_fail(&err);
    else if (!writes)
        rc = cli_rows_print(&out, (enum cli_rows_format)fmt);
    arena_release(&a);
    store_close(st);
    return rc;
}
