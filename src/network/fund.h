/* src/network/fund.h: a grant divided among areas in proportion to their
 * population, in whole kronor that sum exactly to the grant.
 *
 * The method is the largest remainder (Hamilton): area i's quota is
 * grant * w_i / W (W the sum of the weights); it gets the whole kronor of
 * its quota, and the kronor left over (fewer than the number of areas) go
 * one each to the areas with the largest remainders, a tie going to the
 * area that comes first (callers list areas in code order, so the result
 * does not depend on anything else). All arithmetic is exact (128-bit
 * products), so no floating-point rounding can move a krona.
 *
 * Properties the tests hold it to: the amounts sum to the grant; each is
 * its quota rounded down or up; every area rounded up has a remainder at
 * least as large as every area rounded down.
 */
#ifndef KNOD_NETWORK_FUND_H
#define KNOD_NETWORK_FUND_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define FUND_GRANT_MAX 1000000000000000LL /* 10^15 kronor */

struct fund_part {
    int64_t weight; /* in: the area's population (>= 0) */
    int64_t floor;  /* out: whole kronor of the quota */
    int64_t rem;    /* out: the quota's remainder, in units of 1/W krona */
    int64_t amount; /* out: floor, or floor + 1 */
};

/* Divide grant (0..FUND_GRANT_MAX kronor) among parts[0..n) by weight;
 * *total gets W. KN_EINPUT for no parts, a negative weight, a weight sum
 * of 0 or above 10^15, or a grant out of range. */
int fund_allocate(struct fund_part *parts, size_t n, int64_t grant, int64_t *total,
                  struct kn_error *err);

/* The quota of p as a decimal with 4 decimals, "1234.5678" (rounded
 * half up at the fourth), into buf. */
const char *fund_quota_text(const struct fund_part *p, int64_t total, char buf[40]);

/* How far rounding moved p: amount - quota to 4 decimals with its sign,
 * "+0.2500", "-0.7500", or "0.0000" when the quota was whole, into buf
 * (the column "rounding" of `knod funding allocate` and /funding). */
const char *fund_rounding_text(const struct fund_part *p, int64_t total, char buf[48]);

#endif /* KNOD_NETWORK_FUND_H */
