/* src/network/ics.c: the events calendar as iCalendar (ics.h). */
#include "network/ics.h"

#include <inttypes.h>
#include <string.h>

int ics_text(struct strbuf *sb, const char *v)
{
    int rc = 0;
    for (const char *p = v; *p && rc == 0; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' || c == ';' || c == ',') {
            char esc[2] = {'\\', (char)c};
            rc = sb_add(sb, esc, 2);
        } else if (c == '\n') {
            rc = sb_add(sb, "\\n", 2);
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            continue; /* CR and other controls: TEXT may not hold them */
        } else {
            rc = sb_addch(sb, (char)c);
        }
    }
    return rc;
}

int ics_line(struct strbuf *sb, const char *line, size_t len)
{
    size_t pos = 0;
    int rc = 0;
    bool first = true;
    while (rc == 0) {
        size_t room =
            first ? ICS_LINE_MAX : ICS_LINE_MAX - 1; /* a fold starts with ' ' */
        size_t take = len - pos;
        if (take > room) {
            take = room;
            /* Never cut inside a UTF-8 sequence: back up to a lead byte. */
            while (take > 0 && ((unsigned char)line[pos + take] & 0xC0) == 0x80)
                take--;
        }
        if (!first)
            rc = sb_addch(sb, ' ');
        if (rc == 0)
            rc = sb_add(sb, line + pos, take);
        if (rc == 0)
            rc = sb_add(sb, "\r\n", 2);
        pos += take;
        first = false;
        if (pos >= len)
            break;
    }
    return rc;
}

/* Append the logical line in tmp, folded, and empty tmp. */
static int flush(struct strbuf *sb, struct strbuf *tmp)
{
    int rc = ics_line(sb, tmp->buf, tmp->len);
    sb_reset(tmp);
    return rc;
}

static int put(struct strbuf *sb, const char *line)
{
    return ics_line(sb, line, strlen(line));
}

int ics_vtimezone(struct strbuf *sb)
{
    static const char *const lines[] = {
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Stockholm",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19810329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19961027T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof lines / sizeof lines[0]; i++)
        rc = put(sb, lines[i]);
    return rc;
}

/* "YYYYMMDDTHHMMSS" of t (seconds since 1970 on whichever clock). */
static void basic_time(int64_t t, char out[16])
{
    char iso[20];
    time_format((kn_time)t, iso);
    memcpy(out, iso, 4);
    memcpy(out + 4, iso + 5, 2);
    memcpy(out + 6, iso + 8, 2);
    out[8] = 'T';
    memcpy(out + 9, iso + 11, 2);
    memcpy(out + 11, iso + 14, 2);
    memcpy(out + 13, iso + 17, 2);
    out[15] = '\0';
}

static const char *kind_label(const char *kind)
{
    if (strcmp(kind, "webinar") == 0)
        return "Webinar";
    if (strcmp(kind, "network-meeting") == 0)
        return "Network meeting";
    if (strcmp(kind, "national-conference") == 0)
        return "National conference";
    return "International conference";
}

/* The DESCRIPTION's text, unescaped. */
static int description(struct strbuf *d, const struct ev_event *e)
{
    int rc = sb_addf(d, "%s organised by %s.\nTheme: %s\n", kind_label(e->kind),
                     e->organiser, e->theme);
    if (rc == 0 && e->series && *e->series)
        rc = sb_addf(d, "Series: %s\n", e->series);
    if (rc == 0 && strcmp(e->mode, "digital") == 0)
        rc = sb_addstr(d, "Digital.\n");
    if (rc == 0 && e->capacity != EV_NO_CAPACITY) {
        if (e->registered >= e->capacity)
            rc = sb_addf(d, "Fully booked (%d seats).\n", e->capacity);
        else
            rc = sb_addf(d, "Seats: %d, %d left.\n", e->capacity,
                         e->capacity - e->registered);
    }
    if (rc == 0 && e->recording)
        rc = sb_addstr(d, "A recording is published afterwards.\n");
    if (rc == 0 && e->description && *e->description)
        rc = sb_addf(d, "\n%s", e->description);
    while (rc == 0 && d->len && d->buf[d->len - 1] == '\n')
        sb_truncate(d, d->len - 1);
    return rc;
}

static int vevent(struct strbuf *sb, struct strbuf *tmp, const struct ev_event *e)
{
    char t[16];
    struct strbuf d = STRBUF_INIT;
    int rc = put(sb, "BEGIN:VEVENT");
    if (rc == 0 && (rc = sb_addstr(tmp, "UID:")) == 0 &&
        (rc = ics_text(tmp, e->uid)) == 0)
        rc = flush(sb, tmp);
    basic_time(e->stamp, t);
    if (rc == 0 && (rc = sb_addf(tmp, "DTSTAMP:%sZ", t)) == 0)
        rc = flush(sb, tmp);
    /* RFC 5545 3.8.7.4: 0 when created, one more at each revision (a
     * cancellation too), so a calendar replaces its older copy. */
    if (rc == 0 && (rc = sb_addf(tmp, "SEQUENCE:%d", e->sequence)) == 0)
        rc = flush(sb, tmp);
    basic_time(e->starts, t);
    if (rc == 0 && (rc = sb_addf(tmp, "DTSTART;TZID=Europe/Stockholm:%s", t)) == 0)
        rc = flush(sb, tmp);
    basic_time(e->ends, t);
    if (rc == 0 && (rc = sb_addf(tmp, "DTEND;TZID=Europe/Stockholm:%s", t)) == 0)
        rc = flush(sb, tmp);
    if (rc == 0 && (rc = sb_addstr(tmp, "SUMMARY:")) == 0 &&
        (rc = ics_text(tmp, e->title)) == 0)
        rc = flush(sb, tmp);
    if (rc == 0)
        rc = description(&d, e);
    if (rc == 0 && (rc = sb_addstr(tmp, "DESCRIPTION:")) == 0 &&
        (rc = ics_text(tmp, d.buf)) == 0)
        rc = flush(sb, tmp);
    if (rc == 0 && (rc = sb_addstr(tmp, "LOCATION:")) == 0 &&
        (rc = ics_text(tmp, strcmp(e->mode, "on-site") == 0 ? e->place : "Digital")) == 0)
        rc = flush(sb, tmp);
    if (rc == 0 && e->url && *e->url && (rc = sb_addf(tmp, "URL:%s", e->url)) == 0)
        rc = flush(sb, tmp);
    if (rc == 0 && (rc = sb_addstr(tmp, "CATEGORIES:")) == 0 &&
        (rc = ics_text(tmp, kind_label(e->kind))) == 0)
        rc = flush(sb, tmp);
    if (rc == 0) {
        const char *status = strcmp(e->status, "cancelled") == 0   ? "CANCELLED"
                             : strcmp(e->status, "tentative") == 0 ? "TENTATIVE"
                                                                   : "CONFIRMED";
        if ((rc = sb_addf(tmp, "STATUS:%s", status)) == 0)
            rc = flush(sb, tmp);
    }
    if (rc == 0)
        rc = put(sb, "END:VEVENT");
    sb_release(&d);
    return rc;
}

int ics_calendar(struct strbuf *sb, const struct ev_event *events, size_t n,
                 struct kn_error *err)
{
    struct strbuf tmp = STRBUF_INIT;
    int rc = put(sb, "BEGIN:VCALENDAR");
    if (rc == 0)
        rc = put(sb, "VERSION:2.0");
    if (rc == 0)
        rc = put(sb, "PRODID:-//knod//events calendar//EN");
    if (rc == 0)
        rc = put(sb, "CALSCALE:GREGORIAN");
    if (rc == 0)
        rc = put(sb, "X-WR-CALNAME:knod events");
    if (rc == 0)
        rc = ics_vtimezone(sb);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = vevent(sb, &tmp, &events[i]);
    if (rc == 0)
        rc = put(sb, "END:VCALENDAR");
    sb_release(&tmp);
    return rc == 0 ? 0 : kn_fail(err, rc, "out of memory writing the calendar");
}

int ics_feed(struct store *st, kn_day from, struct strbuf *sb, struct kn_error *err)
{
    struct arena a;
    arena_init(&a);
    struct ev_event *events;
    size_t n;
    int rc = store_begin_read(st, err);
    if (rc == 0) {
        rc = ev_list(st, from, &events, &n, &a, err);
        store_rollback(st);
    }
    if (rc == 0)
        rc = ics_calendar(sb, events, n, err);
    arena_release(&a);
    return rc;
}
