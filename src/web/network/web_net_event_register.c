/* src/web/network/web_net_event_register.c: a coordinator registers a
 * participant for an event (POST /events/{id}/register; route:
 * coordinator), as `knod events register` does: a seat while there are
 * any, else a place on the waiting list. The participant's region is the
 * coordinator's. Fields name, email, organisation; the GOV.UK error
 * pattern on the event's page, a personnummer-shaped text refused and
 * never shown again. The registration and its audit entry
 * ("event-register": the event, seat or waiting place; never the e-mail
 * address) are one transaction. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "network/event.h"
#include "web/network/web_net.h"
#include "web/web_model.h"
#include "web/web_session.h"

static void field_error(json_t *errors, json_t *form, const char *name, const char *why)
{
    char key[48];
    snprintf(key, sizeof key, "%s_error", name);
    web_sets(form, key, why);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", name, "text", why));
}

/* The event page again with the form's errors. */
static int again(struct web_req *rq, json_t *errors, json_t *form)
{
    int status = web_net_event(rq);
    if (status != 200) {
        json_decref(errors);
        json_decref(form);
        return status;
    }
    return web_set(rq->model, "errors", errors) && web_set(rq->model, "form", form) ? 200 : 500;
}

int web_net_event_register(struct web_req *rq)
{
    const char *id_s = web_param(rq, "id");
    char *end = NULL;
    long long id = strtoll(id_s, &end, 10);
    if (*end || id <= 0)
        return web_not_found(rq, web_t(rq, "net_err_not_found"));
    static const char *const names[] = {"name", "email", "organisation"};
    const char *v[3];
    json_t *errors = json_array(), *form = json_object();
    if (!errors || !form) {
        json_decref(errors);
        json_decref(form);
        return 500;
    }
    for (size_t i = 0; i < 3; i++) {
        char key[48];
        v[i] = web_form(rq, names[i]);
        if (!v[i])
            v[i] = "";
        if (ev_pnr_shaped(v[i])) {
            field_error(errors, form, names[i], web_t(rq, "net_err_pnr"));
            continue;
        }
        web_sets(form, names[i], v[i]);
        snprintf(key, sizeof key, "net_err_reg_%s", names[i]);
        struct ev_participant one = {.name = i == 0 ? v[0] : "x",
                                     .email = i == 1 ? v[1] : "x@example.org",
                                     .organisation = i == 2 ? v[2] : "",
                                     .region = ""};
        struct kn_error err = KN_ERROR_INIT;
        if (ev_check_participant(&one, &err) != 0)
            field_error(errors, form, names[i], web_t(rq, key));
    }
    if (json_array_size(errors) > 0)
        return again(rq, errors, form);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct ev_participant p = {.name = v[0], .email = v[1], .organisation = v[2],
                               .region = rq->session->user.scope_code
                                             ? rq->session->user.scope_code
                                             : ""};
    char email[256];
    size_t k = 0;
    for (; v[1][k] && k + 1 < sizeof email; k++)
        email[k] = (char)tolower((unsigned char)v[1][k]);
    email[k] = '\0';
    enum ev_place place = EV_SEAT;
    int position = 0;
    if (!st) {
        json_decref(errors);
        json_decref(form);
        return 500;
    }
    int rc = store_begin(st, &err);
    if (rc == 0)
        rc = ev_register_in(st, id, &p, email, &place, &position, &err);
    if (rc == 0)
        rc = web_audit(rq, "event-register", arena_printf(rq->arena, "%lld", id), NULL,
                       place == EV_SEAT ? "seat"
                                        : arena_printf(rq->arena, "waiting list %d", position));
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        if (rc == KN_EEXIST || rc == KN_EINPUT) {
            field_error(errors, form, "email",
                        web_t(rq, rc == KN_EEXIST ? "net_err_reg_twice" : "net_err_reg_closed"));
            return again(rq, errors, form);
        }
        json_decref(errors);
        json_decref(form);
        return web_net_fail(rq, rc, &err, "id");
    }
    json_decref(errors);
    json_decref(form);
    return web_redirect(rq, arena_printf(rq->arena, "/events/%lld?registered=%s", id,
                                         place == EV_SEAT ? "seat" : "waiting"));
}
