/* src/base/date.c: day numbers, ISO weeks, ages and the ISO 8601 text forms.
 *
 * A date is converted through its ordinal, the number of days since
 * 0001-01-01: whole 400-, 100- and 4-year cycles of the Gregorian calendar
 * followed by the days before the month. The arithmetic uses floor
 * division throughout, so it is exact for every year, not only 1..9999;
 * only the parsers and date_valid() hold the 1..9999 limit, and
 * period_of() may step a day past 9999-12-31. Callers convert millions of
 * event dates, so nothing here allocates, loops or touches the locale
 * (date_today() aside).
 */
#include "base/date.h"

#include "base/text.h"

#include <assert.h>
#include <string.h>
#include <time.h>

#define DAYS_400Y 146097 /* days in 400 Gregorian years */
#define DAYS_100Y 36524  /* ... in 100 years whose last year is common */
#define DAYS_4Y 1461     /* ... in 4 years whose last year is leap */
#define ORDINAL_1970 719162 /* days from 0001-01-01 to 1970-01-01 */

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* Days before the first of each month in a common year. */
static const int days_before_month[13] = {
    0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

bool date_is_leap(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int date_days_in_month(int year, int month)
{
    if (month < 1 || month > 12)
        return 0;
    if (month == 2)
        return date_is_leap(year) ? 29 : 28;
    return days_before_month[month] - days_before_month[month - 1];
}

bool date_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && day >= 1 &&
           day <= date_days_in_month(year, month);
}

/* Days from 0001-01-01 to the first of January of year. */
static int64_t ordinal_of_year(int year)
{
    int64_t y = (int64_t)year - 1;
    return 365 * y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
}

kn_day date_from_ymd(int year, int month, int day)
{
    assert(month >= 1 && month <= 12);
    int64_t n = ordinal_of_year(year) + days_before_month[month - 1] +
                (month > 2 && date_is_leap(year)) + day - 1;
    return (kn_day)(n - ORDINAL_1970);
}

struct kn_ymd date_to_ymd(kn_day d)
{
    int64_t n = (int64_t)d + ORDINAL_1970;
    int64_t c400 = floor_div(n, DAYS_400Y);
    int64_t r = n - c400 * DAYS_400Y; /* 0 .. 146096 */
    int64_t c100 = r / DAYS_100Y;
    if (c100 == 4) /* the last day of a 400-year cycle, 31 December */
        c100 = 3;
    r -= c100 * DAYS_100Y;
    int64_t c4 = r / DAYS_4Y;
    r -= c4 * DAYS_4Y; /* 0 .. 1460 */
    int64_t c1 = r / 365;
    if (c1 == 4) /* the last day of a leap year */
        c1 = 3;
    r -= c1 * 365; /* day of the year, 0-based */

    struct kn_ymd out;
    out.year = (int)(c400 * 400 + c100 * 100 + c4 * 4 + c1 + 1);
    int leap = date_is_leap(out.year);
    int m = 12;
    while (days_before_month[m - 1] + (m > 2 && leap) > r)
        m--;
    out.month = m;
    out.day = (int)(r - days_before_month[m - 1] - (m > 2 && leap)) + 1;
    return out;
}

int date_weekday(kn_day d)
{
    /* 1970-01-01 was a Thursday (4). */
    return (int)floor_mod((int64_t)d + 3, 7) + 1;
}

void date_iso_week(kn_day d, int *iso_year, int *week)
{
    /* A week belongs to the year that holds its Thursday. */
    kn_day thursday = d - date_weekday(d) + 4;
    int y = date_to_ymd(thursday).year;
    if (iso_year != NULL)
        *iso_year = y;
    if (week != NULL)
        *week = (thursday - date_from_ymd(y, 1, 1)) / 7 + 1;
}

int date_iso_weeks(int iso_year)
{
    /* 28 December is always in the last week of its year. */
    int week;
    date_iso_week(date_from_ymd(iso_year, 12, 28), NULL, &week);
    return week;
}

int date_from_iso_week(int iso_year, int week, kn_day *out)
{
    if (iso_year < 1 || iso_year > 9999 || week < 1 ||
        week > date_iso_weeks(iso_year))
        return KN_EINPUT;
    /* 4 January is always in week 1. */
    kn_day jan4 = date_from_ymd(iso_year, 1, 4);
    *out = jan4 - (date_weekday(jan4) - 1) + 7 * (week - 1);
    return 0;
}

int date_age(kn_day birth, kn_day on)
{
    struct kn_ymd b = date_to_ymd(birth);
    struct kn_ymd o = date_to_ymd(on);
    int age = o.year - b.year;
    /* Comparing (month, day) makes a 29 February birthday fall on 1 March
     * in a common year: 28 February still comes before it. */
    if (o.month < b.month || (o.month == b.month && o.day < b.day))
        age--;
    return age;
}

int date_age_in_year(kn_day birth, kn_day on)
{
    return date_to_ymd(on).year - date_to_ymd(birth).year;
}


/* Parse "YYYY-MM-DD" at s (10 bytes, already length-checked); whole/wlen is
 * the complete input, quoted in messages. shape is what the caller expected,
 * for the message when the form is wrong. */
static int parse_ymd(const char *s, const char *whole, size_t wlen,
                     const char *shape, kn_day *out, struct kn_error *err)
{
    char q[TEXT_QUOTE_MAX + 4];
    int y = text_digits(s, 4), m = text_digits(s + 5, 2), d = text_digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-')
        return kn_fail(err, KN_EINPUT, "'%s': expected %s",
                       text_quote(whole, wlen, q), shape);
    if (y < 1)
        return kn_fail(err, KN_EINPUT, "'%s': year 0 does not exist",
                       text_quote(whole, wlen, q));
    if (m < 1 || m > 12)
        return kn_fail(err, KN_EINPUT, "'%s': month %d does not exist",
                       text_quote(whole, wlen, q), m);
    if (d < 1 || d > date_days_in_month(y, m))
        return kn_fail(err, KN_EINPUT, "'%s': day %d is not in %s %d",
                       text_quote(whole, wlen, q), d, month_names[m - 1], y);
    *out = date_from_ymd(y, m, d);
    return 0;
}

int date_parse(const char *s, size_t len, kn_day *out, struct kn_error *err)
{
    static const char shape[] = "a date as YYYY-MM-DD";
    if (len != 10) {
        char q[TEXT_QUOTE_MAX + 4];
        return kn_fail(err, KN_EINPUT, "'%s': expected %s", text_quote(s, len, q),
                       shape);
    }
    return parse_ymd(s, s, len, shape, out, err);
}

/* Write the n low decimal digits of v (v >= 0) at p. */
static void put_digits(char *p, int v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(kn_day d, char buf[11])
{
    struct kn_ymd t = date_to_ymd(d);
    /* Outside 0001..9999 there is no YYYY form; write a date no parser
     * accepts rather than a wrong one. */
    if (t.year < 1 || t.year > 9999)
        t = (struct kn_ymd){ 0, 0, 0 };
    put_digits(buf, t.year, 4);
    buf[4] = '-';
    put_digits(buf + 5, t.month, 2);
    buf[7] = '-';
    put_digits(buf + 8, t.day, 2);
    buf[10] = '\0';
}

kn_day date_summer_start(int year)
{
    if (year < 1980 || year > 9999)
        return 0;
    if (year == 1980)
        return date_from_ymd(1980, 4, 6);
    kn_day last = date_from_ymd(year, 3, 31);
    return last - date_weekday(last) % 7; /* weekday 7 is Sunday */
}

int time_parse(const char *s, size_t len, kn_time *out, struct kn_error *err)
{
    static const char shape[] =
        "a time as YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS";
    char q[TEXT_QUOTE_MAX + 4];
    if (len != 10 && len != 16 && len != 19)
        return kn_fail(err, KN_EINPUT, "'%s': expected %s", text_quote(s, len, q),
                       shape);
    kn_day day;
    int rc = parse_ymd(s, s, len, shape, &day, err);
    if (rc < 0)
        return rc;
    int h = 0, mi = 0, sec = 0;
    if (len > 10) {
        h = text_digits(s + 11, 2);
        mi = text_digits(s + 14, 2);
        if (len == 19)
            sec = text_digits(s + 17, 2);
        if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || h < 0 ||
            mi < 0 || sec < 0 || (len == 19 && s[16] != ':'))
            return kn_fail(err, KN_EINPUT, "'%s': expected %s",
                           text_quote(s, len, q), shape);
        if (h > 23)
            return kn_fail(err, KN_EINPUT, "'%s': hour %d is out of range (00-23)",
                           text_quote(s, len, q), h);
        if (mi > 59)
            return kn_fail(err, KN_EINPUT,
                           "'%s': minute %d is out of range (00-59)",
                           text_quote(s, len, q), mi);
        if (sec > 59)
            return kn_fail(err, KN_EINPUT,
                           "'%s': second %d is out of range (00-59)",
                           text_quote(s, len, q), sec);
    }
    kn_day spring = h == 2 ? date_summer_start(date_to_ymd(day).year) : 0;
    if (spring != 0 && day == spring)
        return kn_fail(err, KN_EINPUT, "'%s': does not exist in Swedish time (the clocks "
                       "went from 02:00 to 03:00 that night)", text_quote(s, len, q));
    *out = time_from_day(day) + (kn_time)h * 3600 + mi * 60 + sec;
    return 0;
}

void time_format(kn_time t, char buf[20])
{
    kn_day d = time_to_day(t);
    int secs = (int)(t - time_from_day(d)); /* 0 .. 86399 */
    date_format(d, buf);
    buf[10] = 'T';
    put_digits(buf + 11, secs / 3600, 2);
    buf[13] = ':';
    put_digits(buf + 14, secs / 60 % 60, 2);
    buf[16] = ':';
    put_digits(buf + 17, secs % 60, 2);
    buf[19] = '\0';
}

kn_time time_from_day(kn_day d)
{
    return (kn_time)d * KN_DAY_SECONDS;
}

kn_day time_to_day(kn_time t)
{
    return (kn_day)floor_div(t, KN_DAY_SECONDS);
}

kn_day date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL)
        return time_to_day((kn_time)now); /* UTC, better than nothing */
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

kn_time time_now(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL)
        return (kn_time)now; /* UTC, better than nothing */
    return time_from_day(date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)) +
           tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}
