/* src/web/network/web_net_events.c: the events calendar. Public, as the
 * iCalendar feed /events.ics is; the registrations (names, e-mail
 * addresses) are never shown here, only their counts.
 *
 *   GET /events, /api/v1/events   the events that end on or after ?from=
 *       (default today), by start, each with its registration state:
 *       "open" (seats left, or no limit), "waiting-list" (fully booked:
 *       new registrations wait), "recording" (fully booked — recording
 *       afterwards) or "cancelled". ?format=csv|xlsx downloads the list.
 *   GET /events/{id}, /api/v1/events/{id}   one event with its
 *       description.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/event.h"
#include "access/access_session.h"
#include "web/network/web_net.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

static const struct net_col cols[] = {
    {"id", NET_INT},         {"kind", NET_TEXT},       {"title", NET_TEXT},
    {"organiser", NET_TEXT}, {"starts", NET_TEXT},     {"ends", NET_TEXT},
    {"mode", NET_TEXT},      {"place", NET_TEXT},      {"theme", NET_TEXT},
    {"series", NET_TEXT},    {"url", NET_TEXT},        {"capacity", NET_INT},
    {"registered", NET_INT}, {"waiting", NET_INT},     {"recording", NET_INT},
    {"status", NET_TEXT},    {"registration", NET_TEXT},
};
#define NCOLS (sizeof cols / sizeof cols[0])

/* The registration state of e (see above). */
static const char *state(const struct ev_event *e)
{
    if (strcmp(e->status, "cancelled") == 0)
        return "cancelled";
    if (e->capacity == EV_NO_CAPACITY || e->registered < e->capacity)
        return "open";
    return e->recording ? "recording" : "waiting-list";
}

static int add_row(struct net_rows *t, const struct ev_event *e, struct arena *a,
                   struct kn_error *err)
{
    char id[24], starts[20], ends[20], cap[16], reg[16], wait[16];
    snprintf(id, sizeof id, "%" PRId64, e->id);
    time_format(e->starts, starts);
    time_format(e->ends, ends);
    snprintf(cap, sizeof cap, "%d", e->capacity);
    snprintf(reg, sizeof reg, "%d", e->registered);
    snprintf(wait, sizeof wait, "%d", e->waiting);
    const char *row[NCOLS] = {id,       e->kind,  e->title,  e->organiser,
                              starts,   ends,     e->mode,   e->place,
                              e->theme, e->series, e->url,   e->capacity < 0 ? NULL : cap,
                              reg,      wait,     e->recording ? "1" : "0",
                              e->status, state(e)};
    return net_rows_add(t, row, a, err);
}

/* Per event of arr, the words of its state and kind, and seats left. */
static bool decorate(struct web_req *rq, json_t *arr)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char key[64];
        const char *st = json_string_value(json_object_get(o, "registration"));
        json_t *cap = json_object_get(o, "capacity");
        snprintf(key, sizeof key, "net_reg_%s", st);
        for (char *c = key; *c; c++)
            *c = *c == '-' ? '_' : *c;
        if (!web_sets(o, "registration_text", web_t(rq, key)))
            return false;
        snprintf(key, sizeof key, "net_kind_%s", json_string_value(json_object_get(o, "kind")));
        for (char *c = key; *c; c++)
            *c = *c == '-' ? '_' : *c;
        if (!web_sets(o, "kind_text", web_t(rq, key)))
            return false;
        json_int_t left = json_is_integer(cap)
                              ? json_integer_value(cap) -
                                    json_integer_value(json_object_get(o, "registered"))
                              : -1;
        if (!web_set(o, "seats_left", left >= 0 ? json_integer(left) : json_null()))
            return false;
    }
    return true;
}

int web_net_events(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct ev_event *es = NULL;
    size_t n = 0;
    struct net_rows t = {.cols = cols, .ncols = NCOLS};
    struct kn_error err = KN_ERROR_INIT;
    kn_day from;
    int status = 500;
    if (!web_net_day(rq, "from", time_to_day(rq->now), &from, &status))
        return status;
    if (!st)
        return 500;
    int rc = ev_list(st, from, &es, &n, rq->arena, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = add_row(&t, &es[i], rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "from");
    if ((rc = web_net_export(rq, &t, "events")) != 0)
        return rc;
    char day[11];
    date_format(from, day);
    if (!web_net_model(rq, "events", &t) || !decorate(rq, json_object_get(rq->model, "events")) ||
        !web_sets(rq->model, "from", day))
        return 500;
    if (!rq->api &&
        !web_set(rq->model, "can_add", json_boolean(web_route_may(rq, "GET", "/events/new"))))
        return 500;
    return 200;
}

int web_net_event(struct web_req *rq)
{
    const char *id_s = web_param(rq, "id");
    char *end = NULL;
    long long id = strtoll(id_s, &end, 10);
    if (*end || id <= 0)
        return web_not_found(rq, web_t(rq, "net_err_not_found"));
    struct store *st = web_store(rq);
    struct ev_event e;
    struct net_rows t = {.cols = cols, .ncols = NCOLS};
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = ev_get(st, id, &e, rq->arena, &err);
    if (rc == 0)
        rc = add_row(&t, &e, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    rq->model = json_object();
    json_t *arr = net_rows_json(&t);
    if (!rq->model || !arr || !decorate(rq, arr) ||
        !web_set(rq->model, "event", json_incref(json_array_get(arr, 0))) ||
        !web_set(json_object_get(rq->model, "event"), "description",
                 *e.description ? json_string(e.description) : json_null())) {
        json_decref(arr);
        return 500;
    }
    json_decref(arr);
    /* The registration form is shown to coordinators (the route decides
     * who may post it); the token only to a signed-in user. */
    /* the forms of web_net_pedit_event.c, for those who may use them */
    if (!rq->api) {
        const char *saved = web_query(rq, "saved");
        bool change = web_route_may(rq, "GET", arena_printf(rq->arena, "/events/%lld/change", id));
        if (!web_set(rq->model, "can_change", json_boolean(change)) ||
            (saved && strcmp(saved, "1") == 0 && !web_set(rq->model, "saved", json_true())))
            return 500;
    }
    const char *reg = web_query(rq, "registered");
    if (reg && (strcmp(reg, "seat") == 0 || strcmp(reg, "waiting") == 0) &&
        !web_sets(rq->model, "registered", reg))
        return 500;
    if (rq->session && rq->session->user.role == ROLE_COORDINATOR) {
        const char *csrf = web_csrf_token(rq);
        if (!csrf || !web_sets(rq->model, "csrf", csrf) ||
            !web_set(rq->model, "can_register", json_true()) ||
            !web_set(rq->model, "form", json_object()) ||
            !web_set(rq->model, "errors", json_array()))
            return 500;
    }
    return 200;
}
