/* src/disclosure/sup_since.c: which calendar periods a generation closes
 * again (sup.h, "By calendar period").
 *
 * A calendar period is a period length and its first month (the year
 * 2024: 12 months from January 2024). One changed cell of any definition
 * in it closes it again for every definition that has it, since the
 * definitions are linked within it; every other period of the run keeps
 * the last generation's suppression, copied cell by cell. The last
 * generation is usable when it was suppressed and its results have the
 * run's shapes, places and valid periods (the groups are the same); else
 * every period is closed.
 *
 * A cube the engine shared with the last generation (none of its cells
 * changed) holds the last suppression already; it is copied before it is
 * written, when one of its periods is closed again.
 *
 * Workload: a few hundred results with up to a few hundred calendar
 * periods each; the copy is of the kept periods' three flags per cell.
 */
#include <stdlib.h>
#include <string.h>

#include "disclosure/sup_impl.h"

static uint64_t period_key(const struct eng_result *r, int p)
{
    return (uint64_t)(uint32_t)r->months_per_period << 32 |
           (uint32_t)(r->first_month + p * r->months_per_period);
}

static int key_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorted, without repeats; the new count. */
static size_t uniq(uint64_t *k, size_t n)
{
    qsort(k, n, sizeof *k, key_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || k[m - 1] != k[i])
            k[m++] = k[i];
    return m;
}

static bool is_ratio(const struct eng_result *r)
{
    return r->def->measures[r->measure].kind == IND_M_RATIO;
}

/* Has r the shape, places and valid periods of the last generation's q? */
static bool same_shape(const struct eng_result *r, const struct eng_result *q)
{
    return r->def == q->def && r->measure == q->measure && r->nperiods == q->nperiods &&
           r->first_month == q->first_month && r->months_per_period == q->months_per_period &&
           r->ngeo == q->ngeo && r->nhc == q->nhc && r->nregion == q->nregion &&
           r->nfine == q->nfine && r->nfine_shown == q->nfine_shown && r->nband == q->nband &&
           memcmp(r->period_valid, q->period_valid, (size_t)r->nperiods * sizeof(bool)) == 0 &&
           memcmp(r->fine_region, q->fine_region, r->nfine * sizeof(int)) == 0 &&
           memcmp(r->fine_hc, q->fine_hc, r->nfine * sizeof(int)) == 0;
}

void sup_redo_free(uint8_t **redo, size_t n)
{
    for (size_t i = 0; redo && i < n; i++)
        free(redo[i]);
    free(redo);
}

uint8_t **sup_redo_periods(struct eng_run *run, const struct eng_run *last,
                           struct sup_stat *st)
{
    size_t total = 0;
    for (size_t i = 0; i < run->n; i++)
        total += (size_t)run->results[i].nperiods;
    uint64_t *all = malloc((total + 1) * sizeof *all);
    uint64_t *changed = malloc((total + 1) * sizeof *changed);
    size_t nall = 0, nchanged = 0;
    bool usable = all && changed && last && last->suppressed && last->n == run->n;
    for (size_t i = 0; all && changed && i < run->n; i++) {
        const struct eng_result *r = &run->results[i];
        if (usable && !same_shape(r, &last->results[i]))
            usable = false;
        for (int p = 0; p < r->nperiods; p++) {
            all[nall++] = period_key(r, p);
            if (!is_ratio(r) && (!r->period_changed || r->period_changed[p]))
                changed[nchanged++] = period_key(r, p);
        }
    }
    nall = all ? uniq(all, nall) : 0;
    nchanged = changed ? uniq(changed, nchanged) : 0;
    uint8_t **redo = usable ? calloc(run->n + 1, sizeof *redo) : NULL;
    for (size_t i = 0; redo && i < run->n; i++) {
        struct eng_result *r = &run->results[i];
        const struct eng_result *q = &last->results[i];
        if (!(redo[i] = malloc((size_t)r->nperiods + 1))) {
            sup_redo_free(redo, i);
            redo = NULL;
            break;
        }
        size_t per = r->ngeo * 3 * r->nband;
        bool any = false;
        for (int p = 0; p < r->nperiods; p++) {
            uint64_t key = period_key(r, p);
            redo[i][p] = bsearch(&key, changed, nchanged, sizeof key, key_cmp) != NULL;
            any |= redo[i][p];
        }
        /* a cube shared with the last generation (eng_inc.h) is written
         * only when a period of it is closed again: then it is copied */
        if (any && eng_result_own(r) != 0)
            abort(); /* no way to publish safely */
        for (int p = 0; r->cells != q->cells && p < r->nperiods; p++) {
            for (size_t c = (size_t)p * per; !redo[i][p] && c < (size_t)(p + 1) * per; c++) {
                r->cells[c].sup_num = q->cells[c].sup_num;
                r->cells[c].sup_den = q->cells[c].sup_den;
                r->cells[c].sup_value = q->cells[c].sup_value;
            }
        }
    }
    for (size_t i = 0; !redo && i < run->n; i++)
        if (eng_result_own(&run->results[i]) != 0)
            abort(); /* every period is closed: every cube is written */
    if (st)
        *st = (struct sup_stat){ nall, redo ? nchanged : nall };
    free(all);
    free(changed);
    return redo;
}
