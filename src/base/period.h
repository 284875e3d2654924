/* src/base/period.h: reporting periods as half-open day intervals.
 *
 * A period is [start, end): it contains day d when start <= d < end, so
 * consecutive periods never overlap and their lengths add up. Kinds: day,
 * ISO week, month, quarter, tertial (the Swedish four-month period: T1 =
 * January-April, T2 = May-August, T3 = September-December) and year.
 *
 * Text forms (period_parse, period_format):
 *   day      2024-05-17      month    2024-05
 *   week     2024-W05        quarter  2024-Q2
 *   tertial  2024-T1         year     2024
 */
#ifndef KNOD_BASE_PERIOD_H
#define KNOD_BASE_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/error.h"

enum period_kind {
    PERIOD_DAY,
    PERIOD_WEEK,
    PERIOD_MONTH,
    PERIOD_QUARTER,
    PERIOD_TERTIAL,
    PERIOD_YEAR,
};

struct period {
    enum period_kind kind;
    kn_day start; /* first day */
    kn_day end;   /* first day after */
};

/* The period of the given kind that contains d. */
struct period period_of(enum period_kind kind, kn_day d);

/* The period after / before p, of the same kind. */
struct period period_next(struct period p);
struct period period_prev(struct period p);

static inline bool period_contains(struct period p, kn_day d)
{
    return d >= p.start && d < p.end;
}

/* Number of days in p. */
static inline int period_days(struct period p)
{
    return (int)(p.end - p.start);
}

/* Parse one of the text forms above; the kind follows from the form.
 * 0 or KN_EINPUT naming what is wrong ("quarter 5"). */
int period_parse(const char *s, size_t len, struct period *out,
                 struct kn_error *err);

/* Write the text form and a NUL into buf; returns the length, or a
 * negative value if cap is too small (16 bytes always suffice). */
int period_format(struct period p, char *buf, size_t cap);

/* "day", "week", "month", "quarter", "tertial", "year". */
const char *period_kind_name(enum period_kind kind);
int period_kind_parse(const char *name, enum period_kind *out);

#endif /* KNOD_BASE_PERIOD_H */
