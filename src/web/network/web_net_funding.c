/* src/web/network/web_net_funding.c: a national grant divided among the
 * regions by population share, as `knod funding allocate` divides it
 * (network/fund.h: the largest remainder, whole kronor that sum exactly
 * to the grant). Public.
 *
 *   GET /funding, /api/v1/funding   ?grant= (whole kronor, 0..10^15),
 *       ?year= (the population year, from the store: `knod init` loads the
 *       shipped 2025 table, `knod population import` others), ?by=region
 *       (the only level the store has populations for; municipalities
 *       need `knod funding allocate --by municipality --population FILE`).
 *       Without a grant the page shows the form only. Each row: code, name,
 *       population, share_percent, quota (exact, 4 decimals), rounding
 *       (amount - quota) and amount; "total" the grant and the sum of the
 *       amounts, which are equal. ?format=csv|xlsx downloads the rows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/activity.h"
#include "network/fund.h"
#include "network/net_text.h"
#include "web/network/web_net.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const struct net_col cols[] = {
    {"code", NET_TEXT},          {"name", NET_TEXT},  {"population", NET_INT},
    {"share_percent", NET_TEXT}, {"quota", NET_TEXT}, {"rounding", NET_TEXT},
    {"amount", NET_INT},
};

/* The same columns for ?format=csv|xlsx: the share, the exact quota and the
 * rounding are numbers there (the JSON keeps them as the CLI's exact
 * strings), so that a negative rounding is not guarded as a formula
 * ("'-0.1117") and a spreadsheet reads all three as numbers. */
static const struct net_col export_cols[] = {
    {"code", NET_TEXT},          {"name", NET_TEXT},  {"population", NET_INT},
    {"share_percent", NET_REAL}, {"quota", NET_REAL}, {"rounding", NET_REAL},
    {"amount", NET_INT},
};

/* The division of grant among the regions of pop into out. */
static int divide(struct web_req *rq, const struct net_rows *pop, int64_t grant,
                  struct net_rows *out, int64_t *sum, struct kn_error *err)
{
    size_t n = pop->nrows;
    struct fund_part *parts = arena_calloc(rq->arena, n ? n : 1, sizeof *parts);
    int64_t total = 0;
    if (!parts)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        parts[i].weight = strtoll(net_cell(pop, i, 1), NULL, 10);
    if (fund_allocate(parts, n, grant, &total, err) != 0)
        return err->code;
    *out = (struct net_rows){.cols = cols, .ncols = sizeof cols / sizeof cols[0]};
    *sum = 0;
    for (size_t i = 0; i < n; i++) {
        char popv[24], share[32], quota[40], diff[48], amount[24];
        snprintf(popv, sizeof popv, "%" PRId64, parts[i].weight);
        snprintf(share, sizeof share, "%.4f",
                 100.0 * (double)parts[i].weight / (double)total);
        fund_quota_text(&parts[i], total, quota);
        fund_rounding_text(&parts[i], total, diff);
        snprintf(amount, sizeof amount, "%" PRId64, parts[i].amount);
        const char *row[] = {
            net_cell(pop, i, 0), net_cell(pop, i, 2), popv, share, quota, diff, amount};
        if (net_rows_add(out, row, rq->arena, err) != 0)
            return err->code;
        *sum += parts[i].amount;
    }
    return 0;
}

int web_net_funding(struct web_req *rq)
{
    const char *grant_s = web_query(rq, "grant"), *year_s = web_query(rq, "year"),
               *by = web_query(rq, "by");
    struct kn_error err = KN_ERROR_INIT;
    long year = date_to_ymd(time_to_day(rq->now)).year;
    int64_t grant = -1;
    if (by && *by && strcmp(by, "region") != 0)
        return web_bad_param(rq, "by", web_t(rq, "net_err_by"));
    if (year_s && *year_s && net_int_parse("year", year_s, 1900, 2199, &year, &err) != 0)
        return web_bad_param(rq, "year", web_t(rq, "net_err_year"));
    if (grant_s && *grant_s) {
        char *end = NULL;
        long long g = strtoll(grant_s, &end, 10);
        if (*end || grant_s[0] == '-' || grant_s[0] == '+' || g < 0 || g > FUND_GRANT_MAX)
            return web_bad_param(rq, "grant", web_t(rq, "net_err_grant"));
        grant = g;
    }
    rq->model = json_pack("{s:I, s:s}", "year", (json_int_t)year, "by", "region");
    if (!rq->model)
        return 500;
    if (grant < 0) {
        if (web_query(rq, "format"))
            return web_bad_param(rq, "grant", web_t(rq, "net_err_grant"));
        return web_set(rq->model, "grant", json_null()) ? 200 : 500;
    }
    struct store *st = web_store(rq);
    struct net_rows pop = {0}, t = {0};
    int64_t sum = 0, popsum = 0;
    if (!st)
        return 500;
    int rc = activity_population(st, (int)year, &pop, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "year");
    for (size_t i = 0; i < pop.nrows; i++)
        popsum += strtoll(net_cell(&pop, i, 1), NULL, 10);
    if (popsum == 0)
        return web_bad_param(rq, "year", web_t(rq, "net_err_no_population"));
    if ((rc = divide(rq, &pop, grant, &t, &sum, &err)) != 0)
        return web_net_fail(rq, rc, &err, "grant");
    json_decref(rq->model);
    rq->model = NULL;
    struct net_rows x = t;
    x.cols = export_cols;
    if ((rc = web_net_export(rq, &x, "funding")) != 0)
        return rc;
    char g[24];
    snprintf(g, sizeof g, "%" PRId64, grant);
    if (!web_net_model(rq, "parts", &t) ||
        !web_set(rq->model, "year", json_integer(year)) ||
        !web_sets(rq->model, "by", "region") ||
        !web_set(rq->model, "grant", json_integer(grant)) ||
        !web_set(rq->model, "population", json_integer(popsum)) ||
        !web_set(rq->model, "sum", json_integer(sum)) ||
        !web_set(rq->model, "exact", json_boolean(sum == grant)) ||
        !web_sets(rq->model, "method", "largest remainder") ||
        !web_sets(rq->model, "grant_text", g))
        return 500;
    return 200;
}
