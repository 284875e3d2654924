/* src/base/workday.c: Swedish holidays and working days (workday.h). */
#include "base/workday.h"

kn_day workday_easter(int year)
{
    int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return date_from_ymd(year, month, day);
}

/* The Saturday in [first, first + 6]. */
static kn_day saturday_from(kn_day first)
{
    /* date_weekday: 1 = Monday ... 7 = Sunday */
    return first + (6 - date_weekday(first) + 7) % 7;
}

bool workday_is_holiday(kn_day d)
{
    struct kn_ymd t = date_to_ymd(d);
    int md = t.month * 100 + t.day;
    switch (md) {
    case 101:
    case 106:
    case 501:
    case 606:
    case 1224:
    case 1225:
    case 1226:
    case 1231:
        return true;
    default:
        break;
    }
    kn_day easter = workday_easter(t.year);
    if (d == easter - 2 || d == easter || d == easter + 1 || d == easter + 39 ||
        d == easter + 49)
        return true;
    kn_day midsummer = saturday_from(date_from_ymd(t.year, 6, 20));
    if (d == midsummer || d == midsummer - 1)
        return true;
    return d == saturday_from(date_from_ymd(t.year, 10, 31));
}

bool workday_is_working(kn_day d)
{
    return date_weekday(d) <= 5 && !workday_is_holiday(d);
}

int workday_count(kn_day from, kn_day to)
{
    int n = 0;
    for (kn_day d = from + 1; d <= to; d++)
        n += workday_is_working(d);
    return n;
}
