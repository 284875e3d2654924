/* src/report/followup_network.c: the follow-up report's network sections,
 * trainings, consultations and activities with their funding, from the
 * network's own queries (followup.h, followup_impl.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "network/activity.h"
#include "consult/consult.h"
#include "network/net_rows.h"
#include "network/training.h"
#include "report/followup_impl.h"

/* rows as JSON into obj[key]; KN_ENOMEM when that fails. */
static int put_rows(json_t *obj, const char *key, const struct net_rows *t, struct kn_error *err)
{
    json_t *v = net_rows_json(t);
    if (!v || json_object_set_new(obj, key, v) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    return 0;
}

/* Whole kronor with thousands separated: "1 250 000". */
static json_t *kronor(const struct fu_ctx *c, const json_t *v)
{
    char buf[48];
    if (!json_is_integer(v))
        return json_string("");
    fu_fmt(c, (double)json_integer_value(v), 0, buf, sizeof buf);
    return json_string(buf);
}

/* A row's "region" code as the region's name ("" for national ones). */
static void name_regions(const struct fu_ctx *c, json_t *list, const char *key)
{
    size_t i;
    json_t *r;
    json_array_foreach (list, i, r) {
        const char *code = json_string_value(json_object_get(r, key));
        const struct geo_region *g = code ? geo_region(c->g, code) : NULL;
        json_object_set_new(r, "region_name",
                            json_string(g ? g->name
                                          : code && strcmp(code, "total") == 0
                                              ? fu_word(c, "rep_total")
                                              : fu_word(c, "rep_national")));
    }
}

static int trainings(struct fu_ctx *c, kn_day from, kn_day to, json_t *model,
                     struct kn_error *err)
{
    struct net_rows list = { 0 }, by_region = { 0 }, by_prof = { 0 };
    int rc = training_list(c->st, from, to, &list, c->a, err);
    if (rc == 0)
        rc = training_stats(c->st, from, to, "region", &by_region, c->a, err);
    if (rc == 0)
        rc = training_stats(c->st, from, to, "profession", &by_prof, c->a, err);
    json_t *t = json_object();
    json_object_set_new(model, "trainings", t);
    if (rc == 0)
        rc = put_rows(t, "list", &list, err);
    if (rc == 0)
        rc = put_rows(t, "by_region", &by_region, err);
    if (rc == 0)
        rc = put_rows(t, "by_profession", &by_prof, err);
    if (rc != 0)
        return rc;
    json_t *regions = json_object_get(t, "by_region");
    size_t i;
    json_t *r;
    /* the last row of each sum is "total"; with --region only its own row */
    json_array_foreach (regions, i, r) {
        const char *k = json_string_value(json_object_get(r, "key"));
        json_object_set_new(r, "total", json_boolean(k && strcmp(k, "total") == 0));
    }
    if (c->region) {
        for (i = json_array_size(regions); i-- > 0;) {
            const char *k = json_string_value(json_object_get(json_array_get(regions, i), "key"));
            if (k && strcmp(k, c->region->code) && strcmp(k, "total"))
                json_array_remove(regions, i);
        }
    }
    name_regions(c, regions, "key");
    json_array_foreach (json_object_get(t, "by_profession"), i, r) {
        const char *k = json_string_value(json_object_get(r, "key"));
        json_object_set_new(r, "total", json_boolean(k && strcmp(k, "total") == 0));
    }
    json_object_set_new(t, "count", json_integer((json_int_t)list.nrows));
    return 0;
}

static int consultations(struct fu_ctx *c, kn_day from, kn_day to, json_t *model,
                         struct kn_error *err)
{
    struct consult_share *v = NULL;
    size_t n = 0;
    /* open ones are counted as of the year's last day: the same data gives
     * the same report whenever it is made */
    int rc = consult_stats(c->st, from, to, to, c->o->consult_days, &v, &n, c->a, err);
    if (rc != 0)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        bool nation = v[i].region_code[0] == '\0';
        if (c->region && !nation && strcmp(v[i].region_code, c->region->code))
            continue;
        const struct geo_region *g = nation ? NULL : geo_region(c->g, v[i].region_code);
        char share[48] = "", ci[112] = "", lo[48], hi[48];
        if (v[i].counted > 0) {
            fu_fmt(c, v[i].value, 1, share, sizeof share);
            fu_fmt(c, v[i].lo, 1, lo, sizeof lo);
            fu_fmt(c, v[i].hi, 1, hi, sizeof hi);
            snprintf(ci, sizeof ci, "%s–%s", lo, hi);
        }
        json_array_append_new(
            list, json_pack("{s:s,s:b,s:i,s:i,s:s,s:s}", "place",
                            nation ? c->nation_name : g ? g->name : v[i].region_code, "nation",
                            nation, "answered_within", v[i].answered_within, "counted",
                            v[i].counted, "share", share, "ci", ci));
    }
    return json_object_set_new(model, "consultations",
                               json_pack("{s:i,s:o}", "days", c->o->consult_days, "rows", list))
               ? kn_fail(err, KN_ENOMEM, "out of memory")
               : 0;
}

/* An activity runs in the year when it starts before its end and does not
 * end before its start. */
static bool runs_in(const json_t *r, const char *from, const char *to)
{
    const char *s = json_string_value(json_object_get(r, "starts"));
    const char *e = json_string_value(json_object_get(r, "ends"));
    return s && strcmp(s, to) <= 0 && (!e || strcmp(e, from) >= 0);
}

static int activities(struct fu_ctx *c, kn_day from, kn_day to, json_t *model,
                      struct kn_error *err)
{
    struct net_rows list = { 0 }, funding = { 0 };
    int rc = activity_list(c->st, c->region ? c->region->code : NULL, &list, c->a, err);
    if (rc == 0)
        rc = activity_funding(c->st, c->o->year, -1, &funding, c->a, err);
    if (rc != 0)
        return rc;
    json_t *t = json_object();
    json_object_set_new(model, "activities", t);
    if (put_rows(t, "list", &list, err) != 0 || put_rows(t, "funding", &funding, err) != 0)
        return err->code;
    char f[11], e[11];
    date_format(from, f);
    date_format(to, e);
    json_t *acts = json_object_get(t, "list");
    for (size_t i = json_array_size(acts); i-- > 0;)
        if (!runs_in(json_array_get(acts, i), f, e))
            json_array_remove(acts, i);
    name_regions(c, acts, "region");
    json_t *fund = json_object_get(t, "funding");
    size_t i;
    json_t *r;
    for (i = json_array_size(fund); i-- > 0;) {
        r = json_array_get(fund, i);
        const char *k = json_string_value(json_object_get(r, "region"));
        bool total = k && strcmp(k, "total") == 0;
        /* with --region: its row only; without: the regions with money */
        if ((c->region && !total && (!k || strcmp(k, c->region->code))) ||
            (!c->region && !total &&
             json_integer_value(json_object_get(r, "allocated")) == 0 &&
             json_integer_value(json_object_get(r, "spent")) == 0))
            json_array_remove(fund, i);
    }
    json_array_foreach (fund, i, r) {
        const char *k = json_string_value(json_object_get(r, "region"));
        json_object_set_new(r, "total", json_boolean(k && strcmp(k, "total") == 0));
        json_object_set_new(r, "allocated_text", kronor(c, json_object_get(r, "allocated")));
        json_object_set_new(r, "spent_text", kronor(c, json_object_get(r, "spent")));
    }
    name_regions(c, fund, "region");
    json_array_foreach (acts, i, r) {
        char key[48];
        const char *st = json_string_value(json_object_get(r, "status"));
        snprintf(key, sizeof key, "rep_status_%s", st ? st : "");
        json_object_set_new(r, "status_text", json_string(fu_word(c, key)));
        json_object_set_new(r, "allocated_text", kronor(c, json_object_get(r, "allocated")));
        json_object_set_new(r, "spent_text", kronor(c, json_object_get(r, "spent")));
    }
    return 0;
}

int fu_network(struct fu_ctx *c, json_t *model, struct kn_error *err)
{
    kn_day from = date_from_ymd(c->o->year, 1, 1), to = date_from_ymd(c->o->year, 12, 31);
    int rc = trainings(c, from, to, model, err);
    if (rc == 0)
        rc = consultations(c, from, to, model, err);
    if (rc == 0)
        rc = activities(c, from, to, model, err);
    return rc;
}
