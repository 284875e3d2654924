/* src/cli/cli_published.c: the engine's published rows for the reporting
 * commands (cli_published.h). Moved from cmd_report.c so that the
 * follow-up report and the newsletter read their figures the same way. */
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_published.h"
#include "report/followup.h"
#include "engine/eng.h"
#include "snapshot/snap.h"
#include "disclosure/sup.h"

int cli_published_rows(struct store *st, const struct config *cfg,
                       const struct ind_catalogue *cat, const struct geo *g, int from,
                       int to, json_t **rows, struct kn_error *err)
{
    const struct ind_def **defs = calloc(cat->n + 1, sizeof *defs);
    if (!defs)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < cat->n; i++)
        defs[i] = &cat->defs[i];
    struct store *st2 = NULL;
    struct store_options ro = {STORE_READONLY, cfg->busy_timeout_ms};
    if (store_open(cfg->store_path, &ro, &st2, err) != 0) {
        st2 = NULL; /* one connection will do */
        kn_error_clear(err);
    }
    struct snap *snap = NULL;
    struct eng_run run = {0};
    struct eng_options eo = {0};
    int rc = snap_build2(&snap, st, st2, g, err);
    store_close(st2);
    if (rc == 0)
        rc = eng_run(&run, snap, defs, cat->n, &eo, err);
    if (rc == 0) {
        struct sup_rules rules = {cfg->min_count, cfg->min_denominator};
        cli_warn_below_floor(cfg);
        sup_apply(&run, &rules);
        rc = followup_rows_years(rows, &run, from, to, err);
    }
    eng_run_free(&run);
    snap_free(snap);
    free(defs);
    return rc;
}

