/* src/web/network/web_net_consult.c: consultations in individual cases
 * (consult/consult.h) in the portal, for their two parties only.
 *
 *   GET  /consultations            the user's consultations, those their
 *                                  scope asked and those asked of it
 *                                  (access_consult_party: the list never
 *                                  holds anyone else's), and the form to
 *                                  ask for one
 *   POST /consultations            ask: summary, urgency, asking_role,
 *                                  asked_party (an NHV clinic or a
 *                                  knowledge node), asking_unit (a region
 *                                  scope names it; a unit scope is its
 *                                  unit); the region is the user's
 *   GET  /consultations/{id}       the case, for either party (route rule
 *                                  @consultation)
 *   POST /consultations/{id}/triage, /consultations/{id}/answer (answer,
 *                                  referral): the party asked only
 *                                  (@consulted)
 * Forms follow the GOV.UK error pattern (a summary linking to each field
 * with its error); free text holding a personnummer-shaped number is
 * refused and never shown again, nor logged. Each change is one
 * transaction with its audit entry (consultation-ask, -triage, -answer).
 * The response time is in Swedish working days (base/workday.h).
 */
#include <stdlib.h>
#include <string.h>

#include "access/access_scope.h"
#include "domain/pnr_shape.h"
#include "consult/consult.h"
#include "network/node.h"
#include "network/unit.h"
#include "web/network/web_net.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const char *const urgencies[] = {"acute", "urgent", "routine", NULL};

/* The parties one may ask: the knowledge nodes and the NHV clinics of
 * today's inventory, as [{code, name, host}] (host: a node's region). */
static json_t *parties(struct web_req *rq, struct store *st, struct kn_error *err)
{
    struct net_rows nodes = {0}, nhv = {0};
    if (node_list(st, &nodes, rq->arena, err) != 0 ||
        unit_list(st, time_to_day(rq->now), NULL, "nhv", &nhv, rq->arena, err) != 0)
        return NULL;
    json_t *out = json_array();
    for (size_t i = 0; out && i < nodes.nrows + nhv.nrows; i++) {
        bool node = i < nodes.nrows;
        const struct net_rows *t = node ? &nodes : &nhv;
        size_t r = node ? i : i - nodes.nrows;
        json_t *o = json_pack("{s:s, s:s, s:s?}", "code", net_cell(t, r, 0), "name",
                              net_cell(t, r, 1), "host", node ? net_cell(t, r, 2) : NULL);
        if (!o || json_array_append_new(out, o) != 0) {
            json_decref(out);
            out = NULL;
        }
    }
    return out;
}

/* The host region of party code among ps, or NULL (not a node). */
static const char *host_of(const json_t *ps, const char *code)
{
    size_t i;
    json_t *o;
    json_array_foreach(ps, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "code")), code) == 0)
            return json_string_value(json_object_get(o, "host"));
    }
    return NULL;
}

static bool is_party(const json_t *ps, const char *code)
{
    size_t i;
    json_t *o;
    json_array_foreach(ps, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "code")), code) == 0)
            return true;
    }
    return false;
}

/* One consultation as a model object; with detail, the summary and the
 * answer too. */
static json_t *row_json(struct web_req *rq, const struct consult_row *c, bool detail,
                        bool asking, bool asked)
{
    char at[20], done[20] = "", key[40];
    time_format(c->asked, at);
    if (c->answered)
        time_format(c->answered, done);
    snprintf(key, sizeof key, "net_urgency_%s", c->urgency);
    json_t *o = json_pack(
        "{s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:s}", "id",
        (json_int_t)c->id, "asked", at, "answered", c->answered ? done : NULL, "region",
        c->region_code, "asking_unit", c->asking_unit, "asking_role", c->asking_role,
        "asked_party", c->asked_party, "urgency", c->urgency, "urgency_text", web_t(rq, key),
        "status", c->status, "working_days", c->working_days, "referral", c->referral, "side",
        asked ? "asked" : asking ? "asking" : "");
    if (o && detail &&
        (!web_sets(o, "summary", c->summary) ||
         !web_set(o, "answer", *c->answer ? json_string(c->answer) : json_null()))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The consultations of rq's user, oldest first: every one, then those the
 * user is a party of, by the one predicate; their sides in asking and
 * asked (may be NULL). */
static int mine(struct web_req *rq, struct store *st, const json_t *ps,
                struct consult_row **out, size_t *nout, bool **asking, bool **asked,
                struct kn_error *err)
{
    struct consult_row *cs = NULL;
    size_t n = 0, k = 0;
    if (consult_list(st, date_from_ymd(1900, 1, 1), date_from_ymd(2199, 12, 31),
                     time_to_day(rq->now), &cs, &n, rq->arena, err) != 0)
        return err->code;
    bool *ing = arena_calloc(rq->arena, n + 1, sizeof *ing);
    bool *ed = arena_calloc(rq->arena, n + 1, sizeof *ed);
    if (!ing || !ed)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        access_consult_party(&rq->session->user, cs[i].region_code, cs[i].asking_unit,
                             cs[i].asked_party, host_of(ps, cs[i].asked_party), &ing[k],
                             &ed[k]);
        if (ing[k] || ed[k])
            cs[k++] = cs[i];
    }
    *out = cs;
    *nout = k;
    if (asking)
        *asking = ing;
    if (asked)
        *asked = ed;
    return 0;
}

/* The list page's consultations, newest first. */
static json_t *my_list(struct web_req *rq, struct store *st, const json_t *ps,
                       struct kn_error *err)
{
    struct consult_row *cs = NULL;
    size_t n = 0;
    bool *asking, *asked;
    if (mine(rq, st, ps, &cs, &n, &asking, &asked, err) != 0)
        return NULL;
    json_t *out = json_array();
    for (size_t i = n; out && i-- > 0;) { /* newest first */
        json_t *o = row_json(rq, &cs[i], false, asking[i], asked[i]);
        if (!o || json_array_append_new(out, o) != 0) {
            json_decref(out);
            out = NULL;
        }
    }
    return out;
}

/* ?format=csv|xlsx: the user's consultations as a download (oldest first,
 * the columns of `knod consultation list --format csv`, never the case
 * text: consult_rows). 0 when no file is asked for. */
static int my_file(struct web_req *rq)
{
    const char *f = web_query(rq, "format");
    if (!f || !*f || strcmp(f, "json") == 0)
        return 0;
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    json_t *ps = st ? parties(rq, st, &err) : NULL;
    struct consult_row *cs = NULL;
    size_t n = 0;
    struct net_rows t;
    int rc = ps ? mine(rq, st, ps, &cs, &n, NULL, NULL, &err) : KN_ESTORE;
    json_decref(ps);
    if (rc != 0 || consult_rows(cs, n, &t, rq->arena, &err) != 0)
        return 500;
    return web_net_export(rq, &t, "consultations");
}

/* The region the user asks for: a region scope's own, a unit scope's
 * unit's; NULL for the nation (which cannot ask). */
static const char *my_region(struct web_req *rq, struct store *st)
{
    const struct access_user *u = &rq->session->user;
    if (u->scope == SCOPE_REGION)
        return u->scope_code;
    if (u->scope != SCOPE_UNIT)
        return NULL;
    static const struct net_col cols[] = {{"region", NET_TEXT}};
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    const char *p[] = {u->scope_code};
    if (net_rows_query(st, "SELECT region_code FROM care_unit WHERE code = $1", p, 1, cols, 1,
                       &t, rq->arena, &err) != 0 ||
        t.nrows == 0)
        return NULL;
    return net_cell(&t, 0, 0);
}

/* The list page's model, with the form's values and errors (may be
 * NULL). */
static int list_page(struct web_req *rq, json_t *errors, json_t *values)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    const char *csrf = web_csrf_token(rq);
    if (!st || !csrf) {
        json_decref(errors);
        json_decref(values);
        return 500;
    }
    json_t *ps = parties(rq, st, &err);
    json_t *list = ps ? my_list(rq, st, ps, &err) : NULL;
    const char *region = my_region(rq, st);
    const struct access_user *u = &rq->session->user;
    rq->model = json_pack("{s:o?, s:o?, s:s, s:s?, s:s?, s:b, s:o, s:o}", "consultations", list,
                          "parties", ps, "csrf", csrf, "region", region, "unit",
                          u->scope == SCOPE_UNIT ? u->scope_code : NULL, "can_ask",
                          region != NULL, "errors", errors ? errors : json_array(), "form",
                          values ? values : json_object());
    if (!rq->model || !list || !ps)
        return 500;
    json_t *o;
    size_t i;
    const char *chosen = json_string_value(json_object_get(json_object_get(rq->model, "form"),
                                                           "asked_party"));
    json_array_foreach(ps, i, o)
    {
        if (!web_set(o, "selected",
                     json_boolean(chosen && strcmp(chosen, json_string_value(json_object_get(
                                                               o, "code"))) == 0)))
            return 500;
    }
    json_t *us = json_array();
    if (!web_set(rq->model, "urgencies", us))
        return 500;
    const char *uc = json_string_value(json_object_get(json_object_get(rq->model, "form"),
                                                       "urgency"));
    for (size_t k = 0; urgencies[k]; k++) {
        char key[40];
        snprintf(key, sizeof key, "net_urgency_%s", urgencies[k]);
        json_t *x = json_pack("{s:s, s:s, s:b}", "value", urgencies[k], "text", web_t(rq, key),
                              "checked", uc && strcmp(uc, urgencies[k]) == 0);
        if (!x || json_array_append_new(us, x) != 0)
            return 500;
    }
    return 200;
}

int web_net_consultations(struct web_req *rq)
{
    int rc = my_file(rq);
    return rc ? rc : list_page(rq, NULL, NULL);
}

/* Record the error why of field name: {field: anchor, text} in errors
 * (the summary links to the anchor, the field's id), NAME_error in
 * values. */
static void field_error(json_t *errors, json_t *values, const char *name, const char *anchor,
                        const char *why)
{
    char key[48];
    snprintf(key, sizeof key, "%s_error", name);
    web_sets(values, key, why);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", anchor, "text", why));
}

/* Check free-text field name of the form (required, at most max bytes,
 * no personnummer); its value goes back into values unless it holds a
 * personnummer (never shown again). False after field_error(). */
static bool text_field(struct web_req *rq, const char *name, size_t max, json_t *errors,
                       json_t *values)
{
    const char *v = web_form(rq, name), *why = NULL;
    bool pnr = v && pnr_find_shaped(v, strlen(v), NULL, NULL);
    char key[48];
    if (v && !pnr)
        web_sets(values, name, v);
    snprintf(key, sizeof key, "net_err_%s_missing", name);
    if (!v || !*v)
        why = web_t(rq, key);
    else if (pnr)
        why = web_t(rq, "net_err_pnr");
    else if (strlen(v) > max)
        why = web_t(rq, "net_err_too_long");
    if (why)
        field_error(errors, values, name, name, why);
    return why == NULL;
}

int web_net_consult_ask(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    json_t *errors = json_array(), *values = json_object();
    if (!st || !errors || !values) {
        json_decref(errors);
        json_decref(values);
        return 500;
    }
    const struct access_user *u = &rq->session->user;
    const char *region = my_region(rq, st);
    if (!region) { /* the nation asks no one: only a region or a unit has cases */
        json_decref(errors);
        json_decref(values);
        rq->error = web_t(rq, "net_err_cannot_ask");
        return 403;
    }
    text_field(rq, "summary", 4000, errors, values);
    text_field(rq, "asking_role", 200, errors, values);
    if (u->scope == SCOPE_REGION)
        text_field(rq, "asking_unit", 200, errors, values);
    const char *urgency = web_form(rq, "urgency"), *party = web_form(rq, "asked_party");
    bool ok_urgency = false;
    for (size_t k = 0; urgency && urgencies[k]; k++)
        ok_urgency |= strcmp(urgency, urgencies[k]) == 0;
    if (ok_urgency)
        web_sets(values, "urgency", urgency);
    else
        field_error(errors, values, "urgency", "urgency-acute", web_t(rq, "net_err_urgency"));
    json_t *ps = parties(rq, st, &err);
    if (!ps) {
        json_decref(errors);
        json_decref(values);
        return 500;
    }
    bool ok_party = party && is_party(ps, party);
    json_decref(ps);
    if (ok_party)
        web_sets(values, "asked_party", party);
    else
        field_error(errors, values, "asked_party", "asked_party", web_t(rq, "net_err_party"));
    if (json_array_size(errors) > 0)
        return list_page(rq, errors, values);
    json_decref(errors);
    json_decref(values);
    struct consult_request r = {
        .region_code = region,
        .asking_unit = u->scope == SCOPE_UNIT ? u->scope_code : web_form(rq, "asking_unit"),
        .asking_role = web_form(rq, "asking_role"),
        .asked_party = party,
        .urgency = urgency,
        .summary = web_form(rq, "summary"),
    };
    int64_t id = 0;
    int rc = store_begin(st, &err);
    if (rc == 0)
        rc = consult_ask(st, &r, rq->now, &id, &err);
    if (rc == 0)
        rc = web_audit(rq, "consultation-ask", arena_printf(rq->arena, "%lld", (long long)id),
                       NULL, arena_printf(rq->arena, "region %s asks %s", region, party));
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        return web_net_fail(rq, rc, &err, "summary");
    }
    return web_redirect(rq, arena_printf(rq->arena, "/consultations/%lld", (long long)id));
}

/* The detail page of consultation {id} (the route has checked that the
 * user is a party), with the answer form's errors (may be NULL). */
static int detail_page(struct web_req *rq, json_t *errors, json_t *values)
{
    long long id = strtoll(web_param(rq, "id"), NULL, 10);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct consult_row *cs = NULL;
    size_t n = 0;
    bool asking = false, asked = false;
    const char *csrf = web_csrf_token(rq);
    if (!st || !csrf ||
        access_scope_consultation(st, &rq->session->user, id, &asking, &asked, &err) != 0 ||
        consult_list(st, date_from_ymd(1900, 1, 1), date_from_ymd(2199, 12, 31),
                     time_to_day(rq->now), &cs, &n, rq->arena, &err) != 0) {
        json_decref(errors);
        json_decref(values);
        return 500;
    }
    const struct consult_row *c = NULL;
    for (size_t i = 0; i < n; i++)
        if (cs[i].id == id)
            c = &cs[i];
    if (!c) {
        json_decref(errors);
        json_decref(values);
        return web_not_found(rq, web_t(rq, "net_err_not_found"));
    }
    bool open = strcmp(c->status, "asked") == 0 || strcmp(c->status, "triaged") == 0;
    rq->model = json_pack("{s:o?, s:s, s:b, s:b, s:o, s:o}", "consultation",
                          row_json(rq, c, true, asking, asked), "csrf", csrf, "can_triage",
                          asked && strcmp(c->status, "asked") == 0, "can_answer", asked && open,
                          "errors", errors ? errors : json_array(), "form",
                          values ? values : json_object());
    return rq->model && json_object_get(rq->model, "consultation") ? 200 : 500;
}

int web_net_consultation(struct web_req *rq)
{
    return detail_page(rq, NULL, NULL);
}

/* Run one change of consultation {id} (triage or answer) in a
 * transaction with its audit entry, then back to its page. */
static int change(struct web_req *rq, const char *action, const char *answer, bool referral)
{
    long long id = strtoll(web_param(rq, "id"), NULL, 10);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = store_begin(st, &err);
    if (rc == 0)
        rc = answer ? consult_answer(st, id, answer, referral, rq->now, &err)
                    : consult_triage(st, id, rq->now, &err);
    if (rc == 0)
        rc = web_audit(rq, action, arena_printf(rq->arena, "%lld", id), NULL,
                       referral ? "referral accepted" : NULL);
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        return web_net_fail(rq, rc, &err, "id");
    }
    return web_redirect(rq, arena_printf(rq->arena, "/consultations/%lld", id));
}

int web_net_consult_triage(struct web_req *rq)
{
    return change(rq, "consultation-triage", NULL, false);
}

int web_net_consult_answer(struct web_req *rq)
{
    json_t *errors = json_array(), *values = json_object();
    if (!errors || !values) {
        json_decref(errors);
        json_decref(values);
        return 500;
    }
    const char *referral = web_form(rq, "referral");
    if (!text_field(rq, "answer", 4000, errors, values))
        return detail_page(rq, errors, values);
    json_decref(errors);
    json_decref(values);
    return change(rq, "consultation-answer", web_form(rq, "answer"),
                  referral && strcmp(referral, "yes") == 0);
}
