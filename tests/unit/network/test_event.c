/* tests/unit/network/test_event.c: the events calendar (network/event.h)
 * and its iCalendar writer (network/ics.h): seats and the waiting list,
 * a cancellation moving the first waiting up, the checks naming their
 * field, and the iCalendar text on hostile input: escaping, folding at 75
 * octets without splitting a UTF-8 sequence, CRLF, the VTIMEZONE rules. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/strbuf.h"
#include "network/event.h"
#include "network/ics.h"
#include "testutil.h"

static struct ev_event webinar(int capacity)
{
    struct ev_event e;
    memset(&e, 0, sizeof e);
    e.kind = "webinar";
    e.title = "Bemötande vid självskada";
    e.organiser = "Kunskapsnod Skåne";
    e.mode = "digital";
    e.place = "";
    e.url = "";
    e.theme = "Bemötande";
    e.series = "";
    e.description = "";
    e.status = "confirmed";
    e.capacity = capacity;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(time_parse("2026-03-10T13:00", 16, &e.starts, &err), 0);
    assert_int_equal(time_parse("2026-03-10T14:30", 16, &e.ends, &err), 0);
    return e;
}

static int reg(struct store *s, int64_t id, const char *email, enum ev_place *place)
{
    struct ev_participant p = {"Namn Efternamn", email, "Region Skåne", "12"};
    struct kn_error err = KN_ERROR_INIT;
    int pos = -1;
    int rc = ev_register(s, id, &p, place, &pos, &err);
    if (rc == 0 && *place == EV_SEAT)
        assert_int_equal(pos, 0);
    return rc == 0 ? pos : rc;
}

static void counts(struct store *s, int64_t id, int registered, int waiting)
{
    struct arena a;
    arena_init(&a);
    struct ev_event e;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ev_get(s, id, &e, &a, &err), 0);
    assert_int_equal(e.registered, registered);
    assert_int_equal(e.waiting, waiting);
    arena_release(&a);
}

static void test_capacity_and_waiting_list(void **state)
{
    (void)state;
    struct store *s = tu_store("wait.db", false);
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e = webinar(2);
    assert_int_equal(ev_add(s, &e, &a, &err), 0);
    enum ev_place place;
    assert_int_equal(reg(s, e.id, "a@example.se", &place), 0);
    assert_int_equal(place, EV_SEAT);
    assert_int_equal(reg(s, e.id, "b@example.se", &place), 0);
    assert_int_equal(place, EV_SEAT);
    /* Full: the next two wait, in order. */
    assert_int_equal(reg(s, e.id, "c@example.se", &place), 1);
    assert_int_equal(place, EV_WAITING);
    assert_int_equal(reg(s, e.id, "d@example.se", &place), 2);
    assert_int_equal(place, EV_WAITING);
    counts(s, e.id, 2, 2);
    /* The same address again, in another case: refused. */
    assert_int_equal(reg(s, e.id, "C@Example.se", &place), KN_EEXIST);
    counts(s, e.id, 2, 2);

    /* A seat holder cancels: the first waiting (c) moves up. */
    const char *up = NULL;
    assert_int_equal(ev_cancel(s, e.id, "B@example.se", &up, &a, &err), 0);
    assert_non_null(up);
    assert_string_equal(up, "c@example.se");
    counts(s, e.id, 2, 1);
    /* Someone waiting cancels: nobody moves up. */
    assert_int_equal(ev_cancel(s, e.id, "d@example.se", &up, &a, &err), 0);
    assert_null(up);
    counts(s, e.id, 2, 0);
    /* Cancelling again: no live registration. */
    assert_int_equal(ev_cancel(s, e.id, "d@example.se", &up, &a, &err), KN_ENOTFOUND);
    /* A cancelled participant may register again: to the back of the list. */
    assert_int_equal(reg(s, e.id, "b@example.se", &place), 1);
    assert_int_equal(place, EV_WAITING);
    struct ev_registration *r;
    size_t n;
    assert_int_equal(ev_registrations(s, e.id, &r, &n, &a, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(r[0].email, "a@example.se");
    assert_string_equal(r[1].email, "c@example.se");
    assert_string_equal(r[2].email, "b@example.se");
    assert_string_equal(r[2].state, "waiting");
    /* No such event. */
    assert_int_equal(reg(s, e.id + 100, "x@example.se", &place), KN_ENOTFOUND);

    /* Without a capacity everyone gets a seat; capacity 0 puts all on the list. */
    struct ev_event open = webinar(EV_NO_CAPACITY), none = webinar(0);
    assert_int_equal(ev_add(s, &open, &a, &err), 0);
    assert_int_equal(ev_add(s, &none, &a, &err), 0);
    assert_string_not_equal(open.uid, none.uid);
    for (int i = 0; i < 5; i++) {
        char mail[32];
        snprintf(mail, sizeof mail, "p%d@example.se", i);
        assert_int_equal(reg(s, open.id, mail, &place), 0);
        assert_int_equal(reg(s, none.id, mail, &place), i + 1);
    }
    counts(s, open.id, 5, 0);
    counts(s, none.id, 0, 5);
    arena_release(&a);
    store_close(s);
}

static void test_checks_name_the_field(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e = webinar(10);
    assert_int_equal(ev_check(&e, &err), 0);
    e.title = "";
    assert_int_equal(ev_check(&e, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--title"));
    e = webinar(10);
    e.ends = e.starts;
    assert_int_equal(ev_check(&e, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--end"));
    e = webinar(10);
    e.mode = "on-site";
    assert_int_equal(ev_check(&e, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--place"));
    e = webinar(10);
    e.kind = "party";
    assert_int_equal(ev_check(&e, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--kind"));
    e = webinar(10);
    e.theme = "line\nbreak";
    assert_int_equal(ev_check(&e, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--theme"));
    e = webinar(10);
    e.url = "javascript:alert(1)";
    assert_int_equal(ev_check(&e, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--url"));
    /* Personnummer shapes, in any free-text field, are refused, and the
     * message does not repeat them. */
    const char *pnrs[] = {"Fall 19121212-1212 tas upp", "ring 121212-1212", "1212121212",
                          "nr 191212121212."};
    for (size_t i = 0; i < sizeof pnrs / sizeof pnrs[0]; i++) {
        e = webinar(10);
        e.description = pnrs[i];
        assert_int_equal(ev_check(&e, &err), KN_EINPUT);
        assert_non_null(strstr(err.msg, "--description"));
        assert_null(strstr(err.msg, "1212-"));
    }
    /* Numbers that are no personnummer pass: a phone number, a year. */
    e = webinar(10);
    e.description = "Ring 08-123 456 78 år 2026, rum 12345";
    assert_int_equal(ev_check(&e, &err), 0);
    struct ev_participant p = {"Anna", "anna@example", "", ""};
    assert_int_equal(ev_check_participant(&p, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--email"));
    p.email = "anna@example.se";
    p.name = "";
    assert_int_equal(ev_check_participant(&p, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--name"));
}

/* The logical lines of an iCalendar text: unfolded, each checked to end
 * in CRLF and be at most 75 octets, never with a fold inside a UTF-8
 * sequence. */
static char *unfold(const char *ics, size_t len)
{
    char *out = malloc(len + 1);
    size_t o = 0, start = 0;
    for (size_t i = 0; i < len; i++) {
        if (ics[i] == '\n') {
            assert_true(i > 0 && ics[i - 1] == '\r');
            size_t line_len = i - 1 - start;
            assert_true(line_len <= 75);
            /* The next line's first byte after a fold must not be a
             * continuation byte. */
            if (i + 2 < len && ics[i + 1] == ' ')
                assert_true(((unsigned char)ics[i + 2] & 0xC0) != 0x80);
            start = i + 1;
            continue;
        }
        if (ics[i] == '\r')
            continue;
        if (ics[i] == ' ' && i > 0 && ics[i - 1] == '\n')
            continue; /* a fold */
        if (i > 0 && ics[i - 1] == '\n' && o > 0)
            out[o++] = '\n';
        out[o++] = ics[i];
    }
    assert_int_equal(start, len); /* ends with CRLF */
    out[o] = '\0';
    return out;
}

/* ev_update: the seats follow a new capacity by the rules of registration
 * (fewer: the last to register wait first; more or none: the first waiting
 * move up), each update is a revision (the sequence and stamp), the owner
 * stays, and no such event is KN_ENOTFOUND. */
static void test_update_moves_seats(void **state)
{
    (void)state;
    struct store *s = tu_store("update.db", false);
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e = webinar(3);
    e.owner = "anna.coord";
    assert_int_equal(ev_add(s, &e, &a, &err), 0);
    assert_int_equal(e.sequence, 0);
    enum ev_place place;
    const char *mail[] = {"a@example.se", "b@example.se", "c@example.se", "d@example.se",
                          "e@example.se"};
    for (size_t i = 0; i < 5; i++)
        assert_true(reg(s, e.id, mail[i], &place) >= 0);
    counts(s, e.id, 3, 2);
    int up = -1, down = -1;
    e.capacity = 1;
    assert_int_equal(ev_update(s, &e, &up, &down, &err), 0);
    assert_int_equal(up, 0);
    assert_int_equal(down, 2);
    counts(s, e.id, 1, 4);
    struct ev_registration *r;
    size_t n;
    assert_int_equal(ev_registrations(s, e.id, &r, &n, &a, &err), 0);
    assert_int_equal(n, 5);
    const char *order[] = {"a@example.se", "b@example.se", "c@example.se", "d@example.se",
                           "e@example.se"};
    for (size_t i = 0; i < 5; i++) { /* b and c wait first: they registered before d, e */
        assert_string_equal(r[i].email, order[i]);
        assert_string_equal(r[i].state, i == 0 ? "registered" : "waiting");
    }
    e.capacity = 4;
    assert_int_equal(ev_update(s, &e, &up, &down, &err), 0);
    assert_int_equal(up, 3);
    assert_int_equal(down, 0);
    counts(s, e.id, 4, 1);
    e.capacity = EV_NO_CAPACITY;
    e.status = "cancelled";
    assert_int_equal(ev_update(s, &e, &up, &down, &err), 0);
    assert_int_equal(up, 1);
    counts(s, e.id, 5, 0);
    struct ev_event got;
    assert_int_equal(ev_get(s, e.id, &got, &a, &err), 0);
    assert_int_equal(got.sequence, 3);
    assert_string_equal(got.status, "cancelled");
    assert_string_equal(got.owner, "anna.coord");
    assert_int_equal(got.capacity, EV_NO_CAPACITY);
    assert_true(got.stamp >= e.stamp);
    /* a cancelled event takes no registrations */
    assert_int_equal(reg(s, e.id, "f@example.se", &place), KN_EINPUT);
    struct ev_event none = e;
    none.id = 999;
    assert_int_equal(ev_update(s, &none, &up, &down, &err), KN_ENOTFOUND);
    /* the feed carries the revision and the status */
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(ics_feed(s, EV_FROM_ALL, &sb, &err), 0);
    assert_non_null(strstr(sb.buf, "SEQUENCE:3\r\n"));
    assert_non_null(strstr(sb.buf, "STATUS:CANCELLED\r\n"));
    sb_release(&sb);
    arena_release(&a);
    store_close(s);
}

static void test_ics_text_escaping(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(ics_text(&sb, "a\\b;c,d\ne\r\nf\x01g\tH"), 0);
    assert_string_equal(sb.buf, "a\\\\b\\;c\\,d\\ne\\nfg\tH");
    sb_release(&sb);
}

static void test_ics_folding_utf8(void **state)
{
    (void)state;
    /* A line of two-, three- and four-byte characters at every offset: no
     * physical line over 75 octets, none split in a sequence, and the
     * unfolded text is the original. */
    const char *pieces[] = {"ö", "—", "😀", "a"};
    for (int shift = 0; shift < 4; shift++) {
        struct strbuf line = STRBUF_INIT, sb = STRBUF_INIT;
        sb_addstr(&line, "SUMMARY:");
        for (int i = 0; i < shift; i++)
            sb_addch(&line, 'x');
        for (int i = 0; i < 120; i++)
            sb_addstr(&line, pieces[(i + shift) % 4]);
        assert_int_equal(ics_line(&sb, line.buf, line.len), 0);
        char *un = unfold(sb.buf, sb.len);
        assert_string_equal(un, line.buf);
        free(un);
        sb_release(&line);
        sb_release(&sb);
    }
    /* Exactly 75 octets: one line; 76: folded. */
    char l75[76], l76[77];
    memset(l75, 'x', 75);
    l75[75] = '\0';
    memset(l76, 'x', 76);
    l76[76] = '\0';
    struct strbuf sb = STRBUF_INIT;
    ics_line(&sb, l75, 75);
    assert_int_equal(sb.len, 77);
    sb_reset(&sb);
    ics_line(&sb, l76, 76);
    assert_int_equal(sb.len, 75 + 2 + 1 + 1 + 2);
    assert_memory_equal(sb.buf + 75, "\r\n x\r\n", 6);
    sb_release(&sb);
}

static void test_ics_calendar_hostile(void **state)
{
    (void)state;
    struct ev_event e = webinar(3);
    e.uid = "abc@knod";
    e.stamp = 1772000000; /* 2026-02-25T06:13:20Z */
    e.title = "Självskada; bemötande, \\ och \"vård\" — en lång titel med åäö som måste "
              "vikas över flera rader 😀😀😀";
    e.description = "Rad ett\nRad två; med, tecken\\";
    e.mode = "on-site";
    e.place = "Malmö, Skånes universitetssjukhus; aula";
    e.url = "https://example.se/event?a=1&b=2";
    e.registered = 3;
    e.recording = true;
    struct strbuf sb = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ics_calendar(&sb, &e, 1, &err), 0);
    char *un = unfold(sb.buf, sb.len);
    assert_non_null(strstr(un, "BEGIN:VCALENDAR\nVERSION:2.0\n"));
    assert_non_null(strstr(un, "\nUID:abc@knod\n"));
    assert_non_null(strstr(un, "\nDTSTAMP:20260225T061320Z\n"));
    assert_non_null(strstr(un, "\nDTSTART;TZID=Europe/Stockholm:20260310T130000\n"));
    assert_non_null(strstr(un, "\nDTEND;TZID=Europe/Stockholm:20260310T143000\n"));
    assert_non_null(
        strstr(un, "\nSUMMARY:Självskada\\; bemötande\\, \\\\ och \"vård\" — "));
    assert_non_null(
        strstr(un, "\nLOCATION:Malmö\\, Skånes universitetssjukhus\\; aula\n"));
    assert_non_null(strstr(un,
                           "Fully booked (3 seats).\\nA recording is published "
                           "afterwards.\\n\\nRad ett\\nRad två\\; med\\, tecken\\\\\n"));
    assert_non_null(strstr(un, "\nURL:https://example.se/event?a=1&b=2\n"));
    assert_non_null(strstr(un, "\nSTATUS:CONFIRMED\nEND:VEVENT\nEND:VCALENDAR"));
    free(un);
    sb_release(&sb);
}

static void test_ics_vtimezone(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(ics_vtimezone(&sb), 0);
    char *un = unfold(sb.buf, sb.len);
    /* Summer time: the last Sunday of March at 02:00 local (01:00 UTC),
     * +01 to +02; back on the last Sunday of October at 03:00 local. */
    assert_non_null(strstr(un, "BEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
                               "TZNAME:CEST\nDTSTART:19810329T020000\n"
                               "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT"));
    assert_non_null(strstr(un, "BEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
                               "TZNAME:CET\nDTSTART:19961027T030000\n"
                               "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD"));
    /* The DTSTARTs are such Sundays. */
    assert_int_equal(date_weekday(date_from_ymd(1981, 3, 29)), 7);
    assert_true(date_from_ymd(1981, 3, 29) + 7 > date_from_ymd(1981, 3, 31));
    assert_int_equal(date_weekday(date_from_ymd(1996, 10, 27)), 7);
    assert_true(date_from_ymd(1996, 10, 27) + 7 > date_from_ymd(1996, 10, 31));
    free(un);
    sb_release(&sb);
}

static void test_feed_from_store(void **state)
{
    (void)state;
    struct store *s = tu_store("feed.db", false);
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e1 = webinar(1), e2 = webinar(EV_NO_CAPACITY);
    e2.title = "Later";
    e2.starts += 40 * KN_DAY_SECONDS;
    e2.ends += 40 * KN_DAY_SECONDS;
    assert_int_equal(ev_add(s, &e1, &a, &err), 0);
    assert_int_equal(ev_add(s, &e2, &a, &err), 0);
    struct strbuf all = STRBUF_INIT, later = STRBUF_INIT, again = STRBUF_INIT;
    assert_int_equal(ics_feed(s, EV_FROM_ALL, &all, &err), 0);
    assert_int_equal(ics_feed(s, EV_FROM_ALL, &again, &err), 0);
    assert_int_equal(all.len, again.len); /* the same store, the same bytes */
    assert_memory_equal(all.buf, again.buf, all.len);
    char uidline[128];
    snprintf(uidline, sizeof uidline, "UID:%s\r\n", e1.uid);
    assert_non_null(strstr(all.buf, uidline));
    assert_int_equal(ics_feed(s, time_to_day(e1.ends) + 1, &later, &err), 0);
    assert_null(strstr(later.buf, uidline));
    assert_non_null(strstr(later.buf, "SUMMARY:Later\r\n"));
    sb_release(&all);
    sb_release(&later);
    sb_release(&again);
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity_and_waiting_list),
        cmocka_unit_test(test_checks_name_the_field),
        cmocka_unit_test(test_update_moves_seats),
        cmocka_unit_test(test_ics_text_escaping),
        cmocka_unit_test(test_ics_folding_utf8),
        cmocka_unit_test(test_ics_calendar_hostile),
        cmocka_unit_test(test_ics_vtimezone),
        cmocka_unit_test(test_feed_from_store),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
