/* src/network/ics.h: the events calendar as iCalendar (RFC 5545).
 *
 * ics_calendar() writes one VCALENDAR: PRODID, VERSION 2.0, CALSCALE
 * GREGORIAN, a VTIMEZONE for Europe/Stockholm (CET/CEST with the EU
 * summer-time rule: from the last Sunday of March 02:00 to the last Sunday
 * of October 03:00 local time, i.e. 01:00 UTC both), and one VEVENT per
 * event: UID (stable per event), DTSTAMP (when the event was last written,
 * UTC), DTSTART and DTEND with TZID=Europe/Stockholm (the stored civil
 * times as they are), SUMMARY, DESCRIPTION (kind, organiser, theme, series,
 * seats, the description), LOCATION (the place, or "Digital"), URL if any,
 * CATEGORIES (the kind), STATUS (CONFIRMED, TENTATIVE, CANCELLED).
 *
 * Every content line ends in CRLF and is folded so that no line is longer
 * than 75 octets, never inside a UTF-8 sequence; TEXT values escape
 * backslash, semicolon, comma and newline. The output depends only on the
 * events, so the same store gives the same bytes.
 */
#ifndef KNOD_NETWORK_ICS_H
#define KNOD_NETWORK_ICS_H

#include <stddef.h>

#include "base/date.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "network/event.h"
#include "store/store.h"

#define ICS_LINE_MAX 75 /* octets a line, without the CRLF */

/* Append v escaped as an iCalendar TEXT value (backslash, ';', ',' and
 * newline escaped; a CR before a newline and other control characters
 * except tab dropped). 0 or KN_ENOMEM. */
int ics_text(struct strbuf *sb, const char *v);

/* Append one content line (name, parameters, ':' and value, unfolded, no
 * line end) folded at ICS_LINE_MAX octets with CRLF line ends. */
int ics_line(struct strbuf *sb, const char *line, size_t len);

/* Append the VTIMEZONE of Europe/Stockholm. */
int ics_vtimezone(struct strbuf *sb);

/* Append a whole VCALENDAR of events[0..n). */
int ics_calendar(struct strbuf *sb, const struct ev_event *events, size_t n,
                 struct kn_error *err);

/* The feed from the store: the events ending on or after from
 * (EV_FROM_ALL: all) as one VCALENDAR appended to sb. For `knod events
 * ics` and the portal's /events.ics. */
int ics_feed(struct store *st, kn_day from, struct strbuf *sb, struct kn_error *err);

#endif /* KNOD_NETWORK_ICS_H */
