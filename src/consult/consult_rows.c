/* src/consult/consult_rows.c: consultations and their shares as network
 * rows (consult.h), for the CSV and XLSX downloads of the CLI and the
 * portal. */
#include <stdio.h>

#include "consult/consult.h"

static const struct net_col list_cols[] = {
    {"id", NET_INT},           {"asked", NET_TEXT},       {"answered", NET_TEXT},
    {"region", NET_TEXT},      {"asking_unit", NET_TEXT}, {"asking_role", NET_TEXT},
    {"asked_party", NET_TEXT}, {"urgency", NET_TEXT},     {"status", NET_TEXT},
    {"referral", NET_INT},     {"working_days", NET_INT},
};

int consult_rows(const struct consult_row *v, size_t n, struct net_rows *out,
                 struct arena *a, struct kn_error *err)
{
    *out = (struct net_rows){.cols = list_cols, .ncols = sizeof list_cols / sizeof *list_cols};
    for (size_t i = 0; i < n; i++) {
        char id[24], at[20], done[20], wd[16];
        snprintf(id, sizeof id, "%lld", (long long)v[i].id);
        time_format(v[i].asked, at);
        if (v[i].answered)
            time_format(v[i].answered, done);
        snprintf(wd, sizeof wd, "%d", v[i].working_days);
        const char *cells[] = {id,
                               at,
                               v[i].answered ? done : NULL,
                               v[i].region_code,
                               v[i].asking_unit,
                               v[i].asking_role,
                               v[i].asked_party,
                               v[i].urgency,
                               v[i].status,
                               v[i].referral ? "1" : "0",
                               wd};
        int rc = net_rows_add(out, cells, a, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static const struct net_col stats_cols[] = {
    {"region", NET_TEXT},  {"days", NET_INT},      {"answered_within", NET_INT},
    {"counted", NET_INT},  {"value", NET_REAL},    {"lower_95", NET_REAL},
    {"upper_95", NET_REAL},
};

int consult_stats_rows(const struct consult_share *v, size_t n, int days,
                       struct net_rows *out, struct arena *a, struct kn_error *err)
{
    *out = (struct net_rows){.cols = stats_cols,
                             .ncols = sizeof stats_cols / sizeof *stats_cols};
    for (size_t i = 0; i < n; i++) {
        char d[16], w[16], c[16], val[32], lo[32], hi[32];
        snprintf(d, sizeof d, "%d", days);
        snprintf(w, sizeof w, "%d", v[i].answered_within);
        snprintf(c, sizeof c, "%d", v[i].counted);
        /* %.17g: the doubles exactly, as the JSON of stats prints them */
        snprintf(val, sizeof val, "%.17g", v[i].value);
        snprintf(lo, sizeof lo, "%.17g", v[i].lo);
        snprintf(hi, sizeof hi, "%.17g", v[i].hi);
        bool any = v[i].counted > 0;
        const char *cells[] = {*v[i].region_code ? v[i].region_code : "nation",
                               d, w, c, any ? val : NULL, any ? lo : NULL, any ? hi : NULL};
        int rc = net_rows_add(out, cells, a, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}
