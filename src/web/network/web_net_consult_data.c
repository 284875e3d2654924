/* src/web/network/web_net_consult_data.c: the consultations' shares
 * answered within N working days in the portal (consult/consult.h,
 * consult_stats), for the network's staff, with the downloads.
 *
 *   GET /consultations/stats, /api/v1/consultations/stats
 *       ?days=N (1-365, default 5, the indicator net-consult-5d's)
 *       &from=DATE&until=DATE (the days asked, both included; default all)
 *       &format=csv|xlsx: the rows of `knod consultation stats --format csv`
 *       (the same bytes for the CSV), as a download
 *
 * Counts of consultations per asking region and the nation, nothing of a
 * case; open ones count as of today. The published figure, under
 * disclosure control, is the indicator (/indicators/net-consult-5d).
 */
#include <stdlib.h>
#include <string.h>

#include "consult/consult.h"
#include "web/network/web_net.h"
#include "web/web_model.h"
#include "web/web_session.h"

int web_net_consult_stats(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int days = 5;
    const char *d = web_query(rq, "days");
    if (d && *d) {
        char *end;
        long v = strtol(d, &end, 10);
        if (*end || v < 1 || v > 365)
            return web_bad_param(rq, "days", web_t(rq, "netdata_err_days"));
        days = (int)v;
    }
    kn_day from, until;
    int status = 400;
    if (!web_net_day(rq, "from", date_from_ymd(1900, 1, 1), &from, &status) ||
        !web_net_day(rq, "until", date_from_ymd(2199, 12, 31), &until, &status))
        return status;
    struct consult_share *v;
    size_t n;
    struct net_rows t;
    if (consult_stats(st, from, until, time_to_day(rq->now), days, &v, &n, rq->arena,
                      &err) != 0 ||
        consult_stats_rows(v, n, days, &t, rq->arena, &err) != 0)
        return web_net_fail(rq, err.code, &err, "days");
    int rc = web_net_export(rq, &t, "consultation-stats");
    if (rc != 0)
        return rc;
    if (!web_net_model(rq, "stats", &t) ||
        !web_set(rq->model, "days", json_integer(days)))
        return 500;
    return 200;
}
