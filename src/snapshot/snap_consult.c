/* src/snapshot/snap_consult.c: the network's consultations in a snapshot,
 * for the indicators `from consultation` (snap.h, engine/eng_consult.c). */
#include <string.h>

#include "snapshot/snap_impl.h"

static int region_index(const struct geo *g, const char *code)
{
    for (size_t r = 0; code && r < g->nregions; r++)
        if (strcmp(g->regions[r].code, code) == 0)
            return (int)r;
    return -1;
}

int snap_read_consults(struct snap *s, struct store *st, struct kn_error *err)
{
    s->consults = NULL;
    s->nconsults = 0;
    s->consult_today = time_to_day(time_now());
    s->consult_year_min = s->consult_year_max = 0;
    struct store_stmt *q;
    if (store_prepare(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                      "name = 'net_consultation'", &q, err) != 0)
        return err->code;
    int rc = store_step(q, err);
    bool has = rc == STORE_ROW && store_col_int(q, 0) > 0;
    store_finalize(q);
    if (rc < 0)
        return rc;
    if (!has)
        return 0;
    if (store_prepare(st, "SELECT asked, answered, region_code FROM net_consultation "
                      "ORDER BY asked, id", &q, err) != 0)
        return err->code;
    size_t cap = 0;
    while ((rc = store_step(q, err)) == STORE_ROW) {
        if (arena_grow(&s->arena, &s->consults, s->nconsults, &cap, sizeof *s->consults) !=
            0) {
            rc = kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
            break;
        }
        struct snap_consult *c = &s->consults[s->nconsults++];
        c->asked = time_to_day(store_col_int(q, 0));
        c->answered = store_col_is_null(q, 1) ? SNAP_CONSULT_OPEN
                                              : time_to_day(store_col_int(q, 1));
        c->region = (int8_t)region_index(s->geo, store_col_text(q, 2, NULL));
        int y = date_to_ymd(c->asked).year;
        if (s->consult_year_min == 0 || y < s->consult_year_min)
            s->consult_year_min = y;
        if (y > s->consult_year_max)
            s->consult_year_max = y;
    }
    store_finalize(q);
    return rc < 0 ? rc : 0;
}
