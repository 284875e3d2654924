/* src/base/date.h: calendar dates and times, proleptic Gregorian.
 *
 * A date is a kn_day, the number of days since 1970-01-01 (negative before),
 * so days between two dates is a subtraction and dates sort as integers.
 * A time is a kn_time, seconds since 1970-01-01T00:00:00 in Swedish civil
 * time as written in the source system, without a zone: care data record
 * local times, and lead times are measured on that clock. Valid years are
 * 1 to 9999.
 *
 * Text forms are ISO 8601 extended: "2024-02-29", "2024-02-29T13:05",
 * "2024-02-29T13:05:59" (a space may stand for the T). Parsers take
 * (s, len), need no terminator, reject anything else (no surrounding
 * spaces, no lenient forms) and say why in err.
 */
#ifndef KNOD_BASE_DATE_H
#define KNOD_BASE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef int32_t kn_day;  /* days since 1970-01-01 */
typedef int64_t kn_time; /* seconds since 1970-01-01T00:00:00, civil time */

#define KN_DAY_SECONDS 86400

/* A broken-down date; month 1..12, day 1..31. */
struct kn_ymd {
    int year;
    int month;
    int day;
};

bool date_is_leap(int year);
int date_days_in_month(int year, int month); /* 0 for a bad month */
bool date_valid(int year, int month, int day); /* year 1..9999 */

/* Day number of a date (the date must be valid). */
kn_day date_from_ymd(int year, int month, int day);
struct kn_ymd date_to_ymd(kn_day d);

/* ISO weekday, 1 = Monday .. 7 = Sunday. */
int date_weekday(kn_day d);

/* ISO 8601 week: the week-numbering year (may differ from the calendar
 * year near new year) and the week 1..53. */
void date_iso_week(kn_day d, int *iso_year, int *week);

/* Monday of ISO week `week` of `iso_year`; KN_EINPUT if the year has no
 * such week. */
int date_from_iso_week(int iso_year, int week, kn_day *out);

/* Number of ISO weeks in the week-numbering year: 52 or 53. */
int date_iso_weeks(int iso_year);

/* Age in completed years on `on` of a person born on `birth` (a person born
 * on 29 February turns a year older on 1 March in common years). */
int date_age(kn_day birth, kn_day on);

/* Age attained during the calendar year of `on`: year(on) - year(birth). */
int date_age_in_year(kn_day birth, kn_day on);

/* "YYYY-MM-DD". 0, or KN_EINPUT naming what is wrong ("month 13"). */
int date_parse(const char *s, size_t len, kn_day *out, struct kn_error *err);

/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). */
void date_format(kn_day d, char buf[11]);

/* "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (T or space);
 * a date alone means midnight. 0 or KN_EINPUT. A clock time that does not
 * exist in Swedish time (the hour skipped when summer time begins, see
 * date_summer_start()) is KN_EINPUT too. */
int time_parse(const char *s, size_t len, kn_time *out, struct kn_error *err);

/* The day Swedish summer time began in year, or 0 if it did not: the clocks
 * went from 02:00 to 03:00 local time (01:00 UTC) on the last Sunday of
 * March from 1981 (the EU rule since 1996, the same Sunday before), on
 * 6 April in 1980, and not at all before 1980 (nor in 1916, which knod's
 * data does not reach). 1970-01-01 (day 0) was no such day. */
kn_day date_summer_start(int year);

/* Writes "YYYY-MM-DDTHH:MM:SS" and a NUL into buf (20 bytes). */
void time_format(kn_time t, char buf[20]);

kn_time time_from_day(kn_day d);          /* midnight starting d */
kn_day time_to_day(kn_time t);            /* the day t falls on */

/* Today's date in local time, from the system clock. */
kn_day date_today(void);
/* The time now in local time, from the system clock. */
kn_time time_now(void);

#endif /* KNOD_BASE_DATE_H */
