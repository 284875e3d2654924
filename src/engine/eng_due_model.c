/* src/engine/eng_due_model.c: a worklist as JSON (eng_due.h), for the
 * portal's /api/v1/worklist and `knod worklist`. Persons are named by
 * their pseudonym (read from the store by id), never otherwise. */
#include <stdio.h>
#include <string.h>

#include "engine/eng_due.h"

static json_t *unit_json(const struct snap *s, uint16_t u)
{
    if (u == SNAP_NONE)
        return json_null();
    return json_pack("{s:s, s:s, s:s}", "code", s->units[u].code, "name", s->units[u].name,
                     "region", s->geo->regions[s->units[u].region].code);
}

static json_t *time_json(kn_time t)
{
    char buf[20];
    time_format(t, buf);
    return json_string(buf);
}

static json_t *day_json(kn_time t)
{
    char buf[11];
    date_format(time_to_day(t), buf);
    return json_string(buf);
}

static int items_json(const struct snap *s, struct store *st, const struct eng_due_list *l,
                      json_t *items, struct kn_error *err)
{
    struct store_stmt *q = NULL;
    int rc = store_prepare(st, "SELECT pseudonym FROM person WHERE id = ?", &q, err);
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const struct eng_due_item *it = &l->items[i];
        const struct eng_due_clock *c = &eng_due_clocks[it->clock];
        store_reset(q);
        store_bind_int(q, 1, it->person_id);
        int r = store_step(q, err);
        if (r != STORE_ROW) {
            rc = r < 0 ? r : kn_fail(err, KN_ESTORE, "worklist: a person left the store");
            break;
        }
        size_t n;
        const char *ps = store_col_text(q, 0, &n);
        json_t *o = json_pack("{s:s%, s:s, s:s?, s:s, s:o, s:o, s:o, s:i, s:s, s:o}",
                              "pseudonym", ps ? ps : "", ps ? n : 0,
                              "step", eng_due_step_name(c->step),
                              "pathway", c->pathway[0] ? c->pathway : NULL,
                              "indicator", c->indicator,
                              "started", time_json(it->started),
                              "due", time_json(it->due),
                              "due_date", day_json(it->due),
                              "days_overdue", it->days_overdue,
                              "status", it->days_overdue > 0 ? "overdue" : "due",
                              "unit", unit_json(s, it->unit));
        if (!o || json_array_append_new(items, o) != 0)
            rc = kn_fail(err, KN_ENOMEM, "worklist: out of memory");
    }
    store_finalize(q);
    return rc;
}

static json_t *units_json(const struct snap *s, const struct eng_due_list *l)
{
    json_t *units = json_array();
    for (size_t k = 0; units && k < l->nunits; k++) {
        const struct eng_due_unit *u = &l->units[k];
        json_t *steps = json_object();
        for (int j = 0; steps && j < ENG_DUE_NSTEPS; j++)
            if (json_object_set_new(steps, eng_due_step_name((enum eng_due_step)j),
                                    json_integer(u->by_step[j])) != 0) {
                json_decref(steps);
                steps = NULL;
            }
        json_t *o = steps ? json_pack("{s:o, s:i, s:i, s:o, s:o, s:i, s:i, s:i, s:i, s:b, s:b}",
                                      "unit", unit_json(s, u->unit),
                                      "due", u->due, "overdue", u->overdue,
                                      "by_step", steps,
                                      "last_contact", u->last_contact ? day_json(u->last_contact)
                                                                      : json_null(),
                                      "contacts_recent", u->recent,
                                      "contacts_year_before", u->before,
                                      "followup_clocks", u->fu_clocks,
                                      "followup_missing", u->fu_missing,
                                      "late", u->late, "incomplete", u->incomplete)
                          : NULL;
        if (!o || json_array_append_new(units, o) != 0) {
            json_decref(units);
            return NULL;
        }
    }
    return units;
}

int eng_due_model(const struct snap *s, struct store *st, const struct eng_due_list *l,
                  json_t **out, struct kn_error *err)
{
    char day[11];
    date_format(l->as_of, day);
    json_t *items = json_array(), *units = units_json(s, l);
    json_t *m = json_pack("{s:s, s:i, s:i, s:i, s:i}", "as_of", day, "horizon_days",
                          l->horizon_days, "recent_days", ENG_DUE_RECENT_DAYS,
                          "year_before_days", ENG_DUE_BEFORE_DAYS, "min_followup_clocks",
                          ENG_DUE_MIN_CLOCKS);
    int rc = items && units && m ? 0 : kn_fail(err, KN_ENOMEM, "worklist: out of memory");
    if (rc == 0)
        rc = items_json(s, st, l, items, err);
    if (rc == 0 && (json_object_set_new(m, "items", items) != 0 ||
                    json_object_set_new(m, "units", units) != 0)) {
        items = units = NULL;
        rc = kn_fail(err, KN_ENOMEM, "worklist: out of memory");
    }
    if (rc != 0) {
        json_decref(items);
        json_decref(units);
        json_decref(m);
        return rc;
    }
    *out = m;
    return 0;
}
