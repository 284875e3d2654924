/* src/engine/eng_target.h: is a cell's value at its target?
 *
 * A target is a level (`target >= 90`) or a change from a base year
 * (`target <= -10% from 2020`). The value at the boundary (9 acts in 2024
 * against 10 in 2020 over the same population: exactly 10 % lower) must
 * come out `met`, which floating-point arithmetic on the values does not
 * promise (9 / p * 1e5 against 10 / p * 1e5 * 0.9). So the decision is
 * taken on the counts: a value that is a quotient of whole numbers
 *   count             num / 1
 *   crude rate        num * per / population
 *   proportion        100 * num / den
 *   median            (x + y) / (2 * unit), x and y whole seconds
 * is compared with the level as a cross-multiplication in 128-bit
 * integers, the target's decimals (up to six) scaled to whole numbers:
 *   level:     a / b <= T                      as  a * 10^k <= T * 10^k * b
 *   relative:  a1 / b1 <= a0 / b0 * (100 + t) / 100
 *                                              as  a1 * 100 * 10^k * b0
 *                                                  <= a0 * (100 + t) * 10^k * b1
 * Other values (standardised rates, sums, survival, ratios, and rates over
 * a healthcare region's population, which splits Halland's and is not
 * whole) are compared the same way in long double, whole factors first, so
 * that a base and a value over the same population tie exactly where
 * their counts do. docs/indicators.md, "Targets".
 */
#ifndef KNOD_STATS_ENG_TARGET_H
#define KNOD_STATS_ENG_TARGET_H

#include <stdbool.h>

#include "engine/eng.h"

/* Does cell c (band slot bo: 0 all ages) of result r meet the target of
 * r's definition? base is the same cell of the base year for a relative
 * target, NULL for a level. Both cells must have values (ENG_HAS_VALUE). */
bool eng_target_met(const struct eng_result *r, const struct eng_cell *c, size_t bo,
                    const struct eng_cell *base);

#endif /* KNOD_STATS_ENG_TARGET_H */
