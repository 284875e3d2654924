/* src/network/fund.c: the largest-remainder division of a grant (fund.h). */
#include "network/fund.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

int fund_allocate(struct fund_part *parts, size_t n, int64_t grant, int64_t *total,
                  struct kn_error *err)
{
    int64_t w = 0;
    if (n == 0)
        return kn_fail(err, KN_EINPUT, "no areas to divide the grant among");
    if (grant < 0 || grant > FUND_GRANT_MAX)
        return kn_fail(err, KN_EINPUT, "the grant must be 0 to %lld kronor",
                       (long long)FUND_GRANT_MAX);
    for (size_t i = 0; i < n; i++) {
        if (parts[i].weight < 0)
            return kn_fail(err, KN_EINPUT, "area %zu has a negative population", i + 1);
        w += parts[i].weight;
        if (w > FUND_GRANT_MAX)
            return kn_fail(err, KN_EINPUT, "the populations sum to more than 10^15");
    }
    if (w == 0)
        return kn_fail(err, KN_EINPUT, "the populations sum to 0: nothing to divide by");
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        u128 q = (u128)(uint64_t)grant * (uint64_t)parts[i].weight;
        parts[i].floor = (int64_t)(q / (uint64_t)w);
        parts[i].rem = (int64_t)(q % (uint64_t)w);
        parts[i].amount = parts[i].floor;
        given += parts[i].floor;
    }
    /* left < n: hand one krona each to the largest remainders. Picking
     * the largest `left` times is O(n * left), fine for 290 areas; ties go
     * to the earlier area because only a strictly larger one replaces it. */
    int64_t left = grant - given;
    for (; left > 0; left--) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (parts[i].amount == parts[i].floor &&
                (best == n || parts[i].rem > parts[best].rem))
                best = i;
        parts[best].amount++;
    }
    *total = w;
    return 0;
}

const char *fund_quota_text(const struct fund_part *p, int64_t total, char buf[40])
{
    /* floor + rem / total, the fraction to 4 decimals, half up. */
    u128 frac = ((u128)(uint64_t)p->rem * 20000u / (uint64_t)total + 1) / 2;
    int64_t whole = p->floor;
    if (frac >= 10000) {
        whole++;
        frac -= 10000;
    }
    snprintf(buf, 40, "%" PRId64 ".%04u", whole, (unsigned)frac);
    return buf;
}

const char *fund_rounding_text(const struct fund_part *p, int64_t total, char buf[48])
{
    char quota[40];
    fund_quota_text(p, total, quota);
    if (p->amount == p->floor)
        snprintf(buf, 48, "-0.%s", strchr(quota, '.') + 1);
    else {
        int frac = atoi(strchr(quota, '.') + 1);
        snprintf(buf, 48, "+0.%04d", frac ? 10000 - frac : 0);
    }
    if (strcmp(buf, "-0.0000") == 0 || strcmp(buf, "+0.0000") == 0)
        strcpy(buf, "0.0000");
    return buf;
}
