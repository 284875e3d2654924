/* tests/fuzz/fuzz_date.c: fuzz target for src/base/date.c and period.c.
 *
 * Whatever the parsers accept must print back to the same text (the forms
 * are canonical) and parse again to the same value; a period must contain
 * its first day and not its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/period.h"
#include "fuzz.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_date: %s:%d: check failed: %s\n", __FILE__,        \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct kn_error err = KN_ERROR_INIT;
    kn_day d;
    if (date_parse(s, size, &d, &err) == 0) {
        char buf[11];
        date_format(d, buf);
        CHECK(size == 10 && memcmp(buf, s, 10) == 0);
    }
    kn_time t;
    if (time_parse(s, size, &t, &err) == 0) {
        char buf[20];
        time_format(t, buf);
        kn_time t2;
        CHECK(time_parse(buf, strlen(buf), &t2, &err) == 0 && t2 == t);
        CHECK(time_to_day(t) == time_to_day(time_from_day(time_to_day(t))));
    }
    struct period p;
    if (period_parse(s, size, &p, &err) == 0) {
        char buf[32];
        int n = period_format(p, buf, sizeof buf);
        CHECK(n > 0 && (size_t)n == size && memcmp(buf, s, size) == 0);
        CHECK(p.start < p.end);
        CHECK(period_contains(p, p.start) && !period_contains(p, p.end));
        struct period next = period_next(p);
        CHECK(next.start == p.end && next.kind == p.kind);
        CHECK(period_prev(next).start == p.start);
    }
    return 0;
}
