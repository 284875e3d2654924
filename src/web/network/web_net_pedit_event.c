/* src/web/network/web_net_pedit_event.c: events added and changed in the
 * portal, and an event's registrations for its organiser
 * (web_net_pedit.h).
 *
 *   GET/POST /events/new   add an event as `knod events add`; the user who
 *       adds it is its owner (its organiser in the portal). Audited
 *       "event-add".
 *   GET/POST /events/{id}/change   (@event) change it as `knod events
 *       update` (ev_update_in: a revision, the seats following the new
 *       capacity). Audited "event-change".
 *   GET /events/{id}/registrations, /api/v1/events/{id}/registrations
 *       (@event) the seats and the waiting list with names and e-mail
 *       addresses: personal data, for the event's owner and administrators
 *       only, never on the public pages or in the feed. Each view is
 *       audited ("event-registrations").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/event.h"
#include "web/network/web_net.h"
#include "web/network/web_net_form.h"
#include "web/network/web_net_pedit.h"
#include "web/web_model.h"
#include "web/web_session.h"

enum {
    F_KIND,
    F_TITLE,
    F_START,
    F_END,
    F_ORGANISER,
    F_MODE,
    F_PLACE,
    F_URL,
    F_THEME,
    F_SERIES,
    F_DESC,
    F_CAPACITY,
    F_RECORDING,
    F_STATUS,
    NF
};

static const char *const kinds[] = {"webinar", "network-meeting", "national-conference",
                                    "international-conference", NULL};
static const char *const modes[] = {"digital", "on-site", NULL};
static const char *const states[] = {"confirmed", "tentative", "cancelled", NULL};

static const struct ne_field fields[NF] = {
    {"kind", NE_SELECT, kinds, true},      {"title", NE_TEXT, NULL, true},
    {"start", NE_TEXT, NULL, true},        {"end", NE_TEXT, NULL, true},
    {"organiser", NE_TEXT, NULL, true},    {"mode", NE_SELECT, modes, true},
    {"place", NE_TEXT, NULL, false},       {"url", NE_TEXT, NULL, false},
    {"theme", NE_TEXT, NULL, true},        {"series", NE_TEXT, NULL, false},
    {"description", NE_AREA, NULL, false}, {"capacity", NE_TEXT, NULL, false},
    {"recording", NE_CHECK, NULL, false},  {"status", NE_SELECT, states, true},
};

int web_net_pedit_event_allows(struct web_req *rq, const struct access_user *u)
{
    int64_t id = ne_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e;
    if (id <= 0) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (!st)
        return 500;
    int rc = ev_get(st, id, &e, rq->arena, &err);
    if (rc == KN_ENOTFOUND) {
        rq->error = web_t(rq, "err_404_text");
        return 404;
    }
    if (rc != 0)
        return 500;
    return u->role == ROLE_ADMIN || (*e.owner && strcmp(e.owner, u->name) == 0) ? 0 : 403;
}

static void form_init(struct web_req *rq, struct ne_form *f, int64_t id)
{
    ne_init(f, fields, NF);
    f->keys = "pedit";
    f->form = "event";
    f->worded = true;
    f->choice_words = "pedit_o_";
    f->action =
        id ? arena_printf(rq->arena, "/events/%" PRId64 "/change", id) : "/events/new";
    f->heading = web_t(rq, id ? "pedit_event_change_heading" : "pedit_event_add_heading");
    f->intro = web_t(rq, id ? "pedit_event_change_intro" : "pedit_event_add_intro");
    f->submit = web_t(rq, id ? "pedit_save" : "pedit_event_add_submit");
    f->back = id ? arena_printf(rq->arena, "/events/%" PRId64, id) : "/events";
}

int web_net_pedit_event_new(struct web_req *rq)
{
    struct ne_form f;
    form_init(rq, &f, 0);
    f.v[F_STATUS] = "confirmed";
    return ne_render(rq, &f);
}

int web_net_pedit_event_change(struct web_req *rq)
{
    int64_t id = ne_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e;
    struct ne_form f;
    if (!st)
        return 500;
    int rc = ev_get(st, id, &e, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    form_init(rq, &f, id);
    char s[20], t[20];
    time_format(e.starts, s);
    time_format(e.ends, t);
    /* minutes, as the form asks for them, when the seconds are none */
    if (strcmp(s + 16, ":00") == 0)
        s[16] = '\0';
    if (strcmp(t + 16, ":00") == 0)
        t[16] = '\0';
    const char *v[NF] = {
        e.kind,
        e.title,
        arena_strdup(rq->arena, s),
        arena_strdup(rq->arena, t),
        e.organiser,
        e.mode,
        e.place,
        e.url,
        e.theme,
        e.series,
        e.description,
        e.capacity == EV_NO_CAPACITY ? "" : arena_printf(rq->arena, "%d", e.capacity),
        e.recording ? "1" : "",
        e.status};
    for (int k = 0; k < NF; k++)
        f.v[k] = v[k] ? v[k] : "";
    return ne_render(rq, &f);
}

/* The posted fields into e; false after a field error. */
static bool read_event(struct web_req *rq, struct ne_form *f, struct ev_event *e)
{
    struct kn_error err = KN_ERROR_INIT;
    e->kind = f->v[F_KIND];
    e->title = f->v[F_TITLE];
    e->organiser = f->v[F_ORGANISER];
    e->mode = f->v[F_MODE];
    e->place = f->v[F_PLACE];
    e->url = f->v[F_URL];
    e->theme = f->v[F_THEME];
    e->series = f->v[F_SERIES];
    e->description = f->v[F_DESC];
    e->recording = *f->v[F_RECORDING] != '\0';
    e->status = f->v[F_STATUS];
    for (int k = F_START; k <= F_END; k++) {
        const char *v = f->v[k];
        if (time_parse(v, strlen(v), k == F_START ? &e->starts : &e->ends, &err) != 0)
            ne_error(
                rq, f, fields[k].name,
                web_t(rq, k == F_START ? "pedit_e_event_start" : "pedit_e_event_end"));
    }
    e->capacity = EV_NO_CAPACITY;
    const char *c = f->v[F_CAPACITY];
    if (*c) {
        long n = 0;
        char *end;
        errno = 0;
        n = strtol(c, &end, 10);
        if (*end || errno || n < 0 || n > EV_CAPACITY_MAX)
            ne_error(rq, f, "capacity", web_t(rq, "pedit_e_capacity"));
        else
            e->capacity = (int)n;
    }
    if (json_array_size(f->summary) > 0)
        return false;
    if (ev_check(e, &err) != 0) {
        ne_refused(rq, f, err.msg);
        return false;
    }
    return true;
}

struct arg {
    struct web_req *rq;
    struct ev_event e;
    int up, down;
    const char *subject, *detail;
};

static int store_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    int rc = x->e.id ? ev_update_in(st, &x->e, &x->up, &x->down, err)
                     : ev_add(st, &x->e, x->rq->arena, err);
    x->subject = arena_printf(x->rq->arena, "%" PRId64, x->e.id);
    x->detail = arena_printf(x->rq->arena, "status %s, %d moved up, %d moved down",
                             x->e.status, x->up, x->down);
    return rc;
}

static int post(struct web_req *rq, int64_t id)
{
    struct ne_form f;
    struct arg x = {.rq = rq, .e = {.id = id, .owner = rq->session->user.name}};
    form_init(rq, &f, id);
    ne_read(rq, &f);
    read_event(rq, &f, &x.e);
    int rc = ne_store_in(rq, &f, store_fn, &x, id ? "event-change" : "event-add",
                         &x.subject, &x.detail);
    return ne_done(rq, &f, rc,
                   arena_printf(rq->arena, "/events/%" PRId64 "?saved=1", x.e.id));
}

int web_net_pedit_event_new_post(struct web_req *rq)
{
    return post(rq, 0);
}

int web_net_pedit_event_change_post(struct web_req *rq)
{
    int64_t id = ne_id(rq);
    return id > 0 ? post(rq, id) : web_not_found(rq, web_t(rq, "net_err_not_found"));
}

int web_net_pedit_registrations(struct web_req *rq)
{
    int64_t id = ne_id(rq);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_event e;
    struct ev_registration *r = NULL;
    size_t n = 0;
    if (!st)
        return 500;
    int rc = ev_get(st, id, &e, rq->arena, &err);
    if (rc == 0)
        rc = ev_registrations(st, id, &r, &n, rq->arena, &err);
    if (rc == 0)
        rc = web_audit(rq, "event-registrations", arena_printf(rq->arena, "%" PRId64, id),
                       NULL, arena_printf(rq->arena, "%zu registrations", n));
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    json_t *seats = json_array(), *waiting = json_array();
    rq->model = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)id, "title", e.title,
                          "seats", seats, "waiting", waiting);
    if (!rq->model || !seats || !waiting)
        return 500;
    for (size_t i = 0; i < n; i++) {
        bool seat = strcmp(r[i].state, "registered") == 0;
        json_t *arr = seat ? seats : waiting;
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s}", "name", r[i].name, "email", r[i].email,
                      "organisation", r[i].organisation, "region", r[i].region);
        if (!o ||
            (!seat && json_object_set_new(
                          o, "position",
                          json_integer((json_int_t)json_array_size(arr) + 1)) != 0) ||
            json_array_append_new(arr, o) != 0)
            return 500;
    }
    return 200;
}
