/* src/cli/cmd_serve.c: `knod serve`, the public portal over a knod
 * directory: HTML pages and the JSON API (src/web, docs/architecture.md
 * "Web"), until SIGTERM or SIGINT. */
#include <getopt.h>
#include <sodium.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "access/access_audit.h"
#include "access/access_oidc.h"
#include "base/text.h"
#include "domain/geo.h"
#include "domain/pseudo.h"
#include "hub/hub_pathway.h"
#include "lang/ind.h"
#include "web/web_cache.h"
#include "web/web_db.h"
#include "web/web_i18n.h"
#include "web/web_results.h"
#include "web/care/web_upload_job.h"
#include "web/web_server.h"
#include "web/web_static.h"
#include "web/web_tmpl.h"

static const char usage[] =
    "usage: knod serve [--dir DIR] [--listen ADDR:PORT] [--threads N] [--id ID,...]\n"
    "\n"
    "Serve the public portal: the start page, the indicator catalogue, indicator\n"
    "pages, region profiles, the overview, downloads, and the JSON API under\n"
    "/api/v1 (described at /api/v1/openapi.json). Every number is suppressed as\n"
    "`knod indicators run` suppresses it. Results are computed in the background\n"
    "and recomputed when an import commits; until the first computation is done\n"
    "pages answer 503 \"being computed\". Signed-in pages need the store to be\n"
    "writable and the key file (for the audit log); without them the portal is\n"
    "public only and says so. Stops on SIGTERM or SIGINT.\n"
    "\n"
    "  --dir DIR            the knod directory (default: $KNOD_DIR, else .)\n"
    "  --listen ADDR:PORT   where to listen (default: [web] listen in knod.ini,\n"
    "                       127.0.0.1:8080); port 0 picks a free port\n"
    "  --threads N          threads answering requests (default: [web] threads)\n"
    "  --id ID,...          serve only these indicators (default: the catalogue);\n"
    "                       the whole catalogue is still computed, since disclosure\n"
    "                       control runs across indicators (as indicators run --id)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Prints \"knod: serving http://ADDR:PORT/\" once it listens, then one access\n"
    "line per request on stderr (no query values, no personal data).\n";

/* Is the host of listen ("127.0.0.1:8080", "[::1]:0") a loopback one? */
static bool loopback(const char *listen)
{
    return strncmp(listen, "127.", 4) == 0 || strncmp(listen, "[::1]:", 6) == 0 ||
           strncmp(listen, "localhost:", 10) == 0;
}

/* Sign-in: a connection per request thread and the audit key. Without a
 * writable store or the key the portal serves its public pages only. */
/* [oidc]: the OpenID Connect client, when sign-in is on at all. A bad
 * secret file stops the server (the configuration is wrong); the
 * provider itself is reached at the first sign-in. */
static int open_oidc(const struct config *cfg, struct web_app *app, struct kn_error *err)
{
    if (!cfg->oidc.on)
        return 0;
    if (app->db == NULL) {
        fprintf(stderr, "knod: notice: OpenID Connect sign-in is off with sign-in\n");
        return 0;
    }
    if (access_oidc_new(&cfg->oidc, &app->oidc, err) != 0)
        return kn_error_prefix(err, "[oidc]: ");
    return 0;
}

static void open_signin(const struct config *cfg, struct web_app *app)
{
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key pk;
    if (pseudo_key_load(cfg->key_path, &pk, &err) != 0) {
        pseudo_key_wipe(&pk);
        fprintf(stderr, "knod: notice: sign-in is off (public pages only): %s\n", err.msg);
        return;
    }
    access_audit_key(&pk, &app->audit);
    pseudo_key_wipe(&pk);
    if (web_db_open(&app->db, cfg, &err) != 0)
        fprintf(stderr, "knod: notice: sign-in is off (public pages only): %s\n", err.msg);
}

/* Into `only`, copies of the definitions of cat whose id is in the
 * comma-separated ids (the catalogue the pages show; cat itself is computed
 * whole, since disclosure control runs across indicators). */
static int keep_ids(const struct ind_catalogue *cat, struct ind_catalogue *only,
                    const char *ids, struct arena *a, struct kn_error *err)
{
    size_t n = 0;
    only->defs = arena_calloc(a, cat->n + 1, sizeof *only->defs);
    if (!only->defs)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < cat->n; i++) {
        size_t l = strlen(cat->defs[i].id);
        bool keep = false;
        const char *p;
        size_t pl;
        for (const char *at = ids; text_list_next(&at, &p, &pl);)
            keep |= pl == l && memcmp(p, cat->defs[i].id, l) == 0;
        if (keep)
            only->defs[n++] = cat->defs[i];
    }
    only->n = only->cap = n;
    if (n == 0)
        return kn_fail(err, KN_ENOTFOUND, "no indicator matches '%s' (see knod indicators "
                       "list)", ids);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "listen", required_argument, NULL, 'l' },
        { "threads", required_argument, NULL, 'T' },
        { "id", required_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *listen = NULL, *ids = NULL;
    int threads = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'l': listen = optarg; break;
        case 'i': ids = optarg; break;
        case 'T':
            threads = atoi(optarg);
            if (threads < 1 || threads > 16)
                return cli_usage_error("serve", "--threads takes 1 to 16");
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return cli_usage_error("serve", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    struct config cfg;
    struct store *st = NULL;
    int rc = cli_open_store(cli_dir(dir), STORE_READONLY, &cfg, &st);
    if (rc != 0)
        return rc;
    store_close(st); /* checked; the results thread opens its own */
    if (threads)
        cfg.web_threads = threads;
    if (!listen)
        listen = cfg.web_listen;
    log_set_level(cfg.log_level);

    /* Signals go to this thread only: block them before any thread starts. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct geo g;
    struct ind_catalogue cat = { 0 }, only = { 0 };
    size_t own = 0;
    struct web_app app = { .cfg = &cfg, .geo = &g, .cat = ids ? &only : &cat, .cat_all = &cat };
    struct web_tmpl_set *tmpl = NULL;
    struct web_i18n *i18n = NULL;
    struct web_static *assets = NULL;
    struct web_results *results = NULL;
    struct web_cache *cache = NULL;
    struct web_server *server = NULL;
    rc = geo_load(&g, &a, &err);
    if (rc == 0)
        rc = cli_catalogue(NULL, 0, &cat, &own, &a, &err);
    if (rc == 0 && ids)
        rc = keep_ids(&cat, &only, ids, &a, &err);
    if (rc == 0)
        rc = web_tmpl_load_embedded(&tmpl, &err);
    if (rc == 0)
        rc = web_i18n_load_embedded(&i18n, &err);
    if (rc == 0)
        rc = web_static_load(&assets, &err);
    struct hub_pathways pathways; /* the pathway pages read them: parse once */
    if (rc == 0 && (rc = hub_pathways_shipped(&pathways, &a, &err)) == 0)
        app.pathways = &pathways;
    if (rc == 0)
        rc = web_results_new(&results, &cfg, &cat, ids ? &only : NULL, &g, &err);
    if (rc == 0)
        rc = web_cache_new(&cache, 0, &err);
    if (rc == 0)
        rc = web_results_start(results, &err);
    app.tmpl = tmpl;
    app.i18n = i18n;
    app.assets = assets;
    app.results = results;
    app.cache = cache;
    app.cookie_secure = !loopback(listen);
    if (rc == 0)
        open_signin(&cfg, &app);
    if (rc == 0)
        rc = open_oidc(&cfg, &app, &err);
    if (rc == 0 && app.db && web_uploads_new(&app.uploads, &app, &err) != 0) {
        fprintf(stderr, "knod: notice: uploads are off: %s\n", err.msg);
        kn_error_clear(&err);
    }
    if (rc == 0)
        rc = web_server_start(&server, &app, listen, &err);
    if (rc == 0) {
        char host[64];
        const char *colon = strrchr(listen, ':');
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
        printf("knod: serving http://%s:%u/\n", host, web_server_port(server));
        fflush(stdout);
        int sig = 0;
        sigwait(&sigs, &sig);
        fprintf(stderr, "knod: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
    web_server_stop(server);
    web_uploads_free(app.uploads);
    access_oidc_free(app.oidc);
    web_db_free(app.db);
    sodium_memzero(&app.audit, sizeof app.audit);
    web_results_free(results);
    web_cache_free(cache);
    web_static_free(assets);
    web_i18n_free(i18n);
    web_tmpl_set_free(tmpl);
    arena_release(&a);
    return rc == 0 ? EXIT_OK : cli_fail(&err);
}
