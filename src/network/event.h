/* src/network/event.h: the events calendar, with registration and a
 * waiting list.
 *
 * An event (a webinar, a network meeting, a national or international
 * conference) has a time span in Swedish civil time (kn_time, base/date.h),
 * a title, an organiser, a mode (digital, or on site at a place), a theme,
 * an optional series, an optional capacity and the flag "fully booked —
 * recording afterwards". ev_check() validates one before it is stored and
 * names the field that is wrong.
 *
 * Registration: ev_register() gives a participant a seat while the
 * registered count is below the capacity (always, without one), else a
 * place on the waiting list. ev_cancel() cancels a participant's live
 * registration; if it held a seat, the first on the waiting list (the
 * earliest to register) moves up. Each call is one transaction, so two
 * knod processes never give the last seat twice.
 *
 * No personnummer in stored text: every free-text field (and the e-mail
 * address) is screened with pnr_find_shaped() (domain/pnr_shape.h) and
 * refused if it holds a part shaped like one.
 *
 * Strings returned in structs live in the caller's arena.
 */
#ifndef KNOD_NETWORK_EVENT_H
#define KNOD_NETWORK_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

#define EV_TEXT_MAX     200  /* title, organiser, place, theme, series, names */
#define EV_DESC_MAX     4000 /* description */
#define EV_CAPACITY_MAX 100000
#define EV_NO_CAPACITY  (-1)
#define EV_FROM_ALL     INT32_MIN /* ev_list()'s from: every event */

struct ev_event {
    int64_t id;       /* set by ev_add() */
    const char *uid;  /* set by ev_add(): the iCalendar UID */
    const char *kind; /* webinar, network-meeting, national-conference,
                         international-conference */
    const char *title, *organiser;
    kn_time starts, ends; /* civil time; ends > starts */
    const char *mode;     /* digital or on-site */
    const char *place;    /* required on site; "" if none */
    const char *url;      /* http(s) URL or "" */
    const char *theme;
    const char *series;      /* "" if none */
    const char *description; /* "" if none */
    int capacity;            /* seats, or EV_NO_CAPACITY */
    bool recording;          /* fully booked: a recording is published afterwards */
    const char *status;      /* confirmed, tentative or cancelled */
    int64_t stamp;           /* last written, Unix seconds UTC (set by ev_add()
                                and ev_update()) */
    const char *owner;       /* the portal user who added it ("" or NULL: none) */
    /* Read by ev_list() and ev_get(): */
    int registered, waiting;
    int sequence; /* revisions so far (iCalendar SEQUENCE): 0, +1 per ev_update() */
};

/* Check e's fields (not id, uid, stamp): KN_EINPUT naming the field
 * ("--title: ...") if one is missing, too long, holds control characters
 * (newlines are allowed in the description only) or what looks like a
 * personnummer, or is not one of its values. */
int ev_check(const struct ev_event *e, struct kn_error *err);

/* True if text holds a part shaped like a personnummer (pnr_find_shaped). */
bool ev_pnr_shaped(const char *text);

/* Store a checked event; sets e->id, e->uid (random, in a) and e->stamp
 * (now). */
int ev_add(struct store *st, struct ev_event *e, struct arena *a, struct kn_error *err);

/* Change event e->id to the checked e (every field but id, uid, owner and
 * the counts): the stamp becomes now and the sequence one more. Its seats
 * then follow the new capacity by the rules of registration: with more
 * seats (or none: no limit) the first on the waiting list move up; with
 * fewer, those who registered last lose their seats and go to the head of
 * the waiting list, in the order they registered. *up and *down (either
 * may be NULL) get how many moved up and down. KN_ENOTFOUND for no such
 * event. ev_update_in() inside the caller's transaction (store_begin), so
 * that the caller can check and audit in the same one. */
int ev_update(struct store *st, const struct ev_event *e, int *up, int *down,
              struct kn_error *err);
int ev_update_in(struct store *st, const struct ev_event *e, int *up, int *down,
                 struct kn_error *err);

/* Events that end on or after day from (EV_FROM_ALL: all), by start then
 * id, with their registered and waiting counts. */
int ev_list(struct store *st, kn_day from, struct ev_event **out, size_t *n,
            struct arena *a, struct kn_error *err);

/* One event by id; KN_ENOTFOUND if none. */
int ev_get(struct store *st, int64_t id, struct ev_event *out, struct arena *a,
           struct kn_error *err);

struct ev_participant {
    const char *name, *email, *organisation;
    const char *region; /* region code or "" (the caller checks the code) */
};

enum ev_place { EV_SEAT, EV_WAITING };

/* Check p: KN_EINPUT naming the field (--name, --email, --organisation). */
int ev_check_participant(const struct ev_participant *p, struct kn_error *err);

/* Register p for event id. *place says whether p got a seat or a place on
 * the waiting list; *position is that place (1 = first) or 0 for a seat.
 * KN_ENOTFOUND for no such event, KN_EEXIST if the e-mail address is
 * already registered or waiting, KN_EINPUT for a cancelled event. */
int ev_register(struct store *st, int64_t id, const struct ev_participant *p,
                enum ev_place *place, int *position, struct kn_error *err);

/* ev_register() inside a transaction the caller holds (store_begin), so
 * that the caller can write its audit entry in the same one; email is
 * p->email in lower case. */
int ev_register_in(struct store *st, int64_t id, const struct ev_participant *p,
                   const char *email, enum ev_place *place, int *position,
                   struct kn_error *err);

/* Cancel email's live registration for event id. If it held a seat and
 * someone waits, the first waiting moves up: *moved_up gets that e-mail
 * address (in a), else NULL. KN_ENOTFOUND if email has no live
 * registration. */
int ev_cancel(struct store *st, int64_t id, const char *email, const char **moved_up,
              struct arena *a, struct kn_error *err);

/* A participant as stored, for listing. */
struct ev_registration {
    const char *name, *email, *organisation, *region, *state;
};

/* The live registrations of event id: seats, then the waiting list, each
 * in the order they registered. */
int ev_registrations(struct store *st, int64_t id, struct ev_registration **out,
                     size_t *n, struct arena *a, struct kn_error *err);

#endif /* KNOD_NETWORK_EVENT_H */
