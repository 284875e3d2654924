/* src/base/workday.h: Swedish public holidays and working days.
 *
 * The public holidays of Lag (1989:253) om allmänna helgdagar: New Year's
 * Day, Epiphany (6 January), Good Friday, Easter Sunday and Monday, 1 May,
 * Ascension Day (Easter + 39), Whit Sunday (Easter + 49), the National Day
 * (6 June), Midsummer Day (the Saturday of 20-26 June), All Saints' Day
 * (the Saturday of 31 October - 6 November), Christmas Day and Boxing Day.
 * Easter by the Gregorian computus (the anonymous algorithm of 1876, as
 * Meeus gives it). Midsummer Eve, Christmas Eve and New Year's Eve are not
 * public holidays by that law but are treated as such in working life
 * (Semesterlagen counts them with Sundays), so knod counts them as
 * holidays too. A working day is a Monday to Friday that is none of these.
 */
#ifndef KNOD_BASE_WORKDAY_H
#define KNOD_BASE_WORKDAY_H

#include <stdbool.h>

#include "base/date.h"

/* Easter Sunday of year (1583-9999). */
kn_day workday_easter(int year);

/* Is d a holiday (above) or a weekend day? */
bool workday_is_holiday(kn_day d);
bool workday_is_working(kn_day d);

/* The working days after from, up to and including to (0 when to <= from):
 * a request on a Friday answered on the Monday after took 1 working day. */
int workday_count(kn_day from, kn_day to);

#endif /* KNOD_BASE_WORKDAY_H */
