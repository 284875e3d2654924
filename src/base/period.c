/* src/base/period.c: reporting periods (day, ISO week, month, quarter,
 * tertial, year) as half-open day intervals, and their text forms.
 *
 * Month, quarter, tertial and year are all runs of whole months (1, 3, 4
 * and 12) aligned to January, so one function builds them; a week starts on
 * its Monday. Next and previous are the period holding the day after the
 * end or before the start, which keeps chains of periods gap-free by
 * construction. Indicator reports walk a few hundred periods, so nothing
 * here is tuned for speed.
 */
#include "base/period.h"

#include "base/text.h"

#include <stdio.h>
#include <string.h>


static const char *const kind_names[] = {
    [PERIOD_DAY] = "day",         [PERIOD_WEEK] = "week",
    [PERIOD_MONTH] = "month",     [PERIOD_QUARTER] = "quarter",
    [PERIOD_TERTIAL] = "tertial", [PERIOD_YEAR] = "year",
};

#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

/* Months in a period of a month-based kind. */
static int kind_months(enum period_kind kind)
{
    switch (kind) {
    case PERIOD_QUARTER:
        return 3;
    case PERIOD_TERTIAL:
        return 4;
    case PERIOD_YEAR:
        return 12;
    default:
        return 1;
    }
}

/* The period of `months` months starting on the first of (year, month). */
static struct period month_run(enum period_kind kind, int year, int month,
                               int months)
{
    int end_month = month + months;
    int end_year = year + (end_month - 1) / 12;
    end_month = (end_month - 1) % 12 + 1;
    struct period p = {
        .kind = kind,
        .start = date_from_ymd(year, month, 1),
        .end = date_from_ymd(end_year, end_month, 1),
    };
    return p;
}

struct period period_of(enum period_kind kind, kn_day d)
{
    struct period p = { .kind = kind, .start = d, .end = d + 1 };
    switch (kind) {
    case PERIOD_DAY:
        return p;
    case PERIOD_WEEK:
        p.start = d - (date_weekday(d) - 1);
        p.end = p.start + 7;
        return p;
    case PERIOD_MONTH:
    case PERIOD_QUARTER:
    case PERIOD_TERTIAL:
    case PERIOD_YEAR: {
        struct kn_ymd t = date_to_ymd(d);
        int n = kind_months(kind);
        return month_run(kind, t.year, (t.month - 1) / n * n + 1, n);
    }
    }
    return p; /* not a kind: treat as a day */
}

struct period period_next(struct period p)
{
    return period_of(p.kind, p.end);
}

struct period period_prev(struct period p)
{
    return period_of(p.kind, p.start - 1);
}


int period_parse(const char *s, size_t len, struct period *out,
                 struct kn_error *err)
{
    char q[TEXT_QUOTE_MAX + 4];
    if (len == 10) {
        kn_day d;
        int rc = date_parse(s, len, &d, err);
        if (rc < 0)
            return rc;
        *out = period_of(PERIOD_DAY, d);
        return 0;
    }

    /* YYYY, YYYY-MM, YYYY-Qn, YYYY-Tn or YYYY-Www; n is the number after
     * the dash (and letter), -1 when it is not all digits. */
    int year = len >= 4 ? text_digits(s, 4) : -1;
    int n = -1;
    char letter = 0;
    if (len == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'T')) {
        letter = s[5];
        n = text_digits(s + 6, 1);
    } else if (len == 7 && s[4] == '-') {
        n = text_digits(s + 5, 2);
    } else if (len == 8 && s[4] == '-' && s[5] == 'W') {
        letter = 'W';
        n = text_digits(s + 6, 2);
    }
    if (year < 0 || (len != 4 && n < 0))
        return kn_fail(err, KN_EINPUT,
                       "'%s': expected a period as YYYY, YYYY-MM, YYYY-Qn, "
                       "YYYY-Tn, YYYY-Www or YYYY-MM-DD",
                       text_quote(s, len, q));
    if (year < 1)
        return kn_fail(err, KN_EINPUT, "'%s': year 0 does not exist",
                       text_quote(s, len, q));

    if (len == 4) {
        *out = month_run(PERIOD_YEAR, year, 1, 12);
        return 0;
    }
    switch (letter) {
    case 'Q':
        if (n < 1 || n > 4)
            return kn_fail(err, KN_EINPUT, "'%s': quarter %d does not exist",
                           text_quote(s, len, q), n);
        *out = month_run(PERIOD_QUARTER, year, 3 * (n - 1) + 1, 3);
        return 0;
    case 'T':
        if (n < 1 || n > 3)
            return kn_fail(err, KN_EINPUT, "'%s': tertial %d does not exist",
                           text_quote(s, len, q), n);
        *out = month_run(PERIOD_TERTIAL, year, 4 * (n - 1) + 1, 4);
        return 0;
    case 'W': {
        kn_day monday;
        if (n < 1)
            return kn_fail(err, KN_EINPUT, "'%s': week 0 does not exist",
                           text_quote(s, len, q));
        if (date_from_iso_week(year, n, &monday) < 0)
            return kn_fail(err, KN_EINPUT, "'%s': week %d does not exist in %d",
                           text_quote(s, len, q), n, year);
        out->kind = PERIOD_WEEK;
        out->start = monday;
        out->end = monday + 7;
        return 0;
    }
    default:
        if (n < 1 || n > 12)
            return kn_fail(err, KN_EINPUT, "'%s': month %d does not exist",
                           text_quote(s, len, q), n);
        *out = month_run(PERIOD_MONTH, year, n, 1);
        return 0;
    }
}

int period_format(struct period p, char *buf, size_t cap)
{
    char tmp[48];
    struct kn_ymd t = date_to_ymd(p.start);
    int week_year, week;
    int n;
    switch (p.kind) {
    case PERIOD_DAY:
        date_format(p.start, tmp);
        n = (int)strlen(tmp);
        break;
    case PERIOD_WEEK:
        date_iso_week(p.start, &week_year, &week);
        n = snprintf(tmp, sizeof tmp, "%04d-W%02d", week_year, week);
        break;
    case PERIOD_MONTH:
        n = snprintf(tmp, sizeof tmp, "%04d-%02d", t.year, t.month);
        break;
    case PERIOD_QUARTER:
        n = snprintf(tmp, sizeof tmp, "%04d-Q%d", t.year, (t.month - 1) / 3 + 1);
        break;
    case PERIOD_TERTIAL:
        n = snprintf(tmp, sizeof tmp, "%04d-T%d", t.year, (t.month - 1) / 4 + 1);
        break;
    case PERIOD_YEAR:
        n = snprintf(tmp, sizeof tmp, "%04d", t.year);
        break;
    default:
        n = -1;
        break;
    }
    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            buf[0] = '\0';
        return KN_ENOMEM;
    }
    memcpy(buf, tmp, (size_t)n + 1);
    return n;
}

const char *period_kind_name(enum period_kind kind)
{
    if ((size_t)kind >= KIND_COUNT)
        return "?";
    return kind_names[kind];
}

int period_kind_parse(const char *name, enum period_kind *out)
{
    if (name == NULL)
        return KN_EINPUT;
    for (size_t i = 0; i < KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (enum period_kind)i;
            return 0;
        }
    }
    return KN_EINPUT;
}
