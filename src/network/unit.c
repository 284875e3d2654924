/* src/network/unit.c: units and their resources with history (unit.h). */
#include "network/unit.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "network/net_text.h"

const char *const UNIT_OFFERS[] = {"dbt",
                                   "mbt",
                                   "cbt",
                                   "family-therapy",
                                   "group-therapy",
                                   "medication",
                                   "crisis-support",
                                   "school-support",
                                   "other",
                                   NULL};
const char *const UNIT_NHV_OFFERS[] = {"consultation", "assessment", "treatment", NULL};

const char *const UNIT_TYPES[] = {
    "bup", "adult_psychiatry", "emergency", "somatic", "primary_care",
    "nhv", "municipal",        NULL};
const char *const UNIT_SETTINGS[] = {"inpatient", "outpatient", NULL};

#define COUNT_MAX 100000
#define WAIT_MAX  3650

static int count_check(const char *field, int v, int max, struct kn_error *err)
{
    if (v != UNIT_UNSET && (v < 0 || v > max))
        return kn_fail(err, KN_EINPUT, "%s: a whole number from 0 to %d", field, max);
    return 0;
}

/* Check every region code of the comma list v (field --catchment). */
static int catchment_check(struct store *st, const char *v, struct kn_error *err)
{
    const char *p;
    size_t len;
    for (const char *at = v; text_list_next(&at, &p, &len);) {
        char code[9];
        if (len == 0 || len >= sizeof code)
            return kn_fail(err, KN_EINPUT,
                           "--catchment: region codes separated by commas");
        memcpy(code, p, len);
        code[len] = '\0';
        if (net_region_check(st, "--catchment", code, err) != 0)
            return err->code;
    }
    return 0;
}

/* Check the resources of r (after merging, on update) for a unit of type
 * nhv or not. */
static int res_check(struct store *st, const struct unit_res *r, bool nhv,
                     struct kn_error *err)
{
    if (r->age_from == UNIT_UNSET || r->age_to == UNIT_UNSET)
        return kn_fail(err, KN_EINPUT, "--ages is missing (the ages served, like 13-17)");
    if (r->age_from < 0 || r->age_to > 120 || r->age_to < r->age_from)
        return kn_fail(err, KN_EINPUT, "--ages: FROM-TO, ages 0 to 120, FROM <= TO");
    if (count_check("--staff", r->staff, COUNT_MAX, err) != 0 ||
        count_check("--trained-bemotande", r->trained_bemotande, COUNT_MAX, err) != 0 ||
        count_check("--trained-dbt", r->trained_dbt, COUNT_MAX, err) != 0 ||
        count_check("--waiting-days", r->waiting_days, WAIT_MAX, err) != 0 ||
        net_list_check("--offers", r->offers, UNIT_OFFERS, false, err) != 0 ||
        net_list_check("--nhv-offers", r->nhv_offers, UNIT_NHV_OFFERS, false, err) != 0 ||
        net_text_check("--note", r->note, NET_LONG_MAX, false, true, err) != 0)
        return err->code;
    if (r->staff != UNIT_UNSET && r->trained_bemotande > r->staff)
        return kn_fail(err, KN_EINPUT, "--trained-bemotande: more than --staff (%d)",
                       r->staff);
    if (r->staff != UNIT_UNSET && r->trained_dbt > r->staff)
        return kn_fail(err, KN_EINPUT, "--trained-dbt: more than --staff (%d)", r->staff);
    if (!nhv) {
        if (r->catchment && *r->catchment)
            return kn_fail(err, KN_EINPUT,
                           "--catchment: for an NHV clinic (type nhv) only");
        if (r->nhv_offers && *r->nhv_offers)
            return kn_fail(err, KN_EINPUT,
                           "--nhv-offers: for an NHV clinic (type nhv) only");
        if (r->placed_access == 1 || r->sis_access == 1)
            return kn_fail(err, KN_EINPUT, "--%s: for an NHV clinic (type nhv) only",
                           r->placed_access == 1 ? "placed-access" : "sis-access");
    }
    if (r->catchment && catchment_check(st, r->catchment, err) != 0)
        return err->code;
    return 0;
}

static void bind_count(struct store_stmt *s, int i, int v)
{
    if (v == UNIT_UNSET)
        store_bind_null(s, i);
    else
        store_bind_int(s, i, v);
}

static void bind_str(struct store_stmt *s, int i, const char *v)
{
    store_bind_text(s, i, v ? v : "", v ? strlen(v) : 0);
}

static int insert_version(struct store *st, int64_t unit, const struct unit_res *r,
                          struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(
            st,
            "INSERT INTO net_unit_resource (unit_id, valid_from, age_from, age_to, "
            "staff, trained_bemotande, trained_dbt, brief_admission, offers, "
            "waiting_days, catchment, nhv_offers, placed_access, sis_access, "
            "note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
            "$13, $14, $15)",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, unit);
    store_bind_int(s, 2, r->as_of);
    store_bind_int(s, 3, r->age_from);
    store_bind_int(s, 4, r->age_to);
    bind_count(s, 5, r->staff);
    bind_count(s, 6, r->trained_bemotande);
    bind_count(s, 7, r->trained_dbt);
    bind_count(s, 8, r->brief_admission);
    bind_str(s, 9, r->offers);
    bind_count(s, 10, r->waiting_days);
    bind_str(s, 11, r->catchment);
    bind_str(s, 12, r->nhv_offers);
    bind_count(s, 13, r->placed_access);
    bind_count(s, 14, r->sis_access);
    bind_str(s, 15, r->note);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

/* The care unit of code: *id and whether it is an NHV clinic; STORE_DONE
 * if there is none. */
static int find_unit(struct store *st, const char *code, int64_t *id, bool *nhv,
                     struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT id, unit_type FROM care_unit WHERE code = $1", &s,
                      err) != 0)
        return err->code;
    store_bind_text(s, 1, code, strlen(code));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *id = store_col_int(s, 0);
        *nhv = strcmp(store_col_text(s, 1, NULL), "nhv") == 0;
    }
    store_finalize(s);
    return rc;
}

static int add_locked(struct store *st, const struct unit_res *r, struct kn_error *err)
{
    int64_t id = 0;
    bool nhv = false;
    int rc = find_unit(st, r->code, &id, &nhv, err);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW && (r->name || r->region || r->type || r->setting))
        return kn_fail(
            err, KN_EINPUT,
            "--%s: unit '%s' is in the registry already, which gives its name, "
            "region, type and setting",
            r->name     ? "name"
            : r->region ? "region"
            : r->type   ? "type"
                        : "setting",
            r->code);
    if (rc == STORE_DONE) {
        if (net_text_check("--name", r->name, NET_TEXT_MAX, true, false, err) != 0 ||
            net_region_check(st, "--region", r->region, err) != 0 ||
            net_enum_check("--type", r->type, UNIT_TYPES, err) != 0 ||
            net_enum_check("--setting", r->setting, UNIT_SETTINGS, err) != 0)
            return kn_error_prefix(err, "unit '%s' is not in the registry: ", r->code);
        nhv = strcmp(r->type, "nhv") == 0;
    }
    if (res_check(st, r, nhv, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (rc == STORE_DONE) {
        if (store_prepare(
                st,
                "INSERT INTO care_unit (code, name, region_code, unit_type, "
                "setting, source_system, source_id) VALUES ($1, $2, $3, $4, $5, "
                "'network', $1)",
                &s, err) != 0)
            return err->code;
        bind_str(s, 1, r->code);
        bind_str(s, 2, r->name);
        bind_str(s, 3, r->region);
        bind_str(s, 4, r->type);
        bind_str(s, 5, r->setting);
        rc = store_step(s, err);
        store_finalize(s);
        if (rc < 0)
            return rc;
        id = store_last_insert_id(st);
    } else {
        if (store_prepare(st, "SELECT 1 FROM net_unit_resource WHERE unit_id = $1", &s,
                          err) != 0)
            return err->code;
        store_bind_int(s, 1, id);
        rc = store_step(s, err);
        store_finalize(s);
        if (rc == STORE_ROW)
            return kn_fail(
                err, KN_EEXIST,
                "unit '%s' has resources already (knod unit update changes them)",
                r->code);
        if (rc < 0)
            return rc;
    }
    return insert_version(st, id, r, err);
}

int unit_add_in(struct store *st, const struct unit_res *r, struct kn_error *err)
{
    if (net_text_check("CODE", r->code, 64, true, false, err) != 0)
        return err->code;
    return add_locked(st, r, err);
}

int unit_add(struct store *st, const struct unit_res *r, struct kn_error *err)
{
    if (net_text_check("CODE", r->code, 64, true, false, err) != 0)
        return err->code;
    if (store_begin(st, err) != 0)
        return err->code;
    int rc = add_locked(st, r, err);
    if (rc < 0) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}

static int update_locked(struct store *st, const struct unit_res *r, struct kn_error *err)
{
    int64_t id = 0;
    bool nhv = false;
    int rc = find_unit(st, r->code, &id, &nhv, err);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no unit '%s' (knod unit add adds it)",
                       r->code);
    if (rc < 0)
        return rc;
    if (r->name || r->region || r->type || r->setting)
        return kn_fail(err, KN_EINPUT,
                       "update changes resources only; a unit's name, region, type and "
                       "setting are the registry's");
    struct store_stmt *s;
    if (store_prepare(
            st,
            "SELECT id, valid_from, age_from, age_to, staff, trained_bemotande, "
            "trained_dbt, brief_admission, offers, waiting_days, catchment, "
            "nhv_offers, placed_access, sis_access, note FROM net_unit_resource "
            "WHERE unit_id = $1 AND valid_to IS NULL",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    rc = store_step(s, err);
    if (rc != STORE_ROW) {
        store_finalize(s);
        return rc < 0
                   ? rc
                   : kn_fail(err, KN_ENOTFOUND,
                             "unit '%s' has no resources yet (knod unit add)", r->code);
    }
    struct arena a;
    arena_init(&a);
    int64_t current = store_col_int(s, 0);
    kn_day since = (kn_day)store_col_int(s, 1);
#define INT_OR(col, v)                                                                   \
    ((v) != UNIT_UNSET           ? (v)                                                   \
     : store_col_is_null(s, col) ? UNIT_UNSET                                            \
                                 : (int)store_col_int(s, col))
#define STR_OR(col, v) ((v) ? (v) : arena_strdup(&a, store_col_text(s, col, NULL)))
    struct unit_res m = *r;
    m.age_from = INT_OR(2, r->age_from);
    m.age_to = INT_OR(3, r->age_to);
    m.staff = INT_OR(4, r->staff);
    m.trained_bemotande = INT_OR(5, r->trained_bemotande);
    m.trained_dbt = INT_OR(6, r->trained_dbt);
    m.brief_admission = INT_OR(7, r->brief_admission);
    m.offers = STR_OR(8, r->offers);
    m.waiting_days = INT_OR(9, r->waiting_days);
    m.catchment = STR_OR(10, r->catchment);
    m.nhv_offers = STR_OR(11, r->nhv_offers);
    m.placed_access = INT_OR(12, r->placed_access);
    m.sis_access = INT_OR(13, r->sis_access);
    m.note = STR_OR(14, r->note);
#undef INT_OR
#undef STR_OR
    store_finalize(s);
    if (!m.offers || !m.catchment || !m.nhv_offers || !m.note)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    else if (r->as_of <= since) {
        char d[11];
        date_format(since, d);
        rc = kn_fail(err, KN_EINPUT,
                     "--as-of: must be after the current version's day (%s)", d);
    } else if (res_check(st, &m, nhv, err) != 0)
        rc = err->code;
    else if (store_prepare(st, "UPDATE net_unit_resource SET valid_to = $1 WHERE id = $2",
                           &s, err) != 0)
        rc = err->code;
    else {
        store_bind_int(s, 1, r->as_of);
        store_bind_int(s, 2, current);
        rc = store_step(s, err);
        store_finalize(s);
        if (rc >= 0)
            rc = insert_version(st, id, &m, err);
    }
    arena_release(&a);
    return rc < 0 ? rc : 0;
}

int unit_update_in(struct store *st, const struct unit_res *r, struct kn_error *err)
{
    if (net_text_check("CODE", r->code, 64, true, false, err) != 0)
        return err->code;
    return update_locked(st, r, err);
}

int unit_update(struct store *st, const struct unit_res *r, struct kn_error *err)
{
    if (net_text_check("CODE", r->code, 64, true, false, err) != 0)
        return err->code;
    if (store_begin(st, err) != 0)
        return err->code;
    int rc = update_locked(st, r, err);
    if (rc < 0) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}

#define RES_COLS                                                                         \
    "u.code, u.name, u.region_code, u.unit_type, u.setting, r.valid_from, r.valid_to, "  \
    "r.age_from, r.age_to, r.staff, r.trained_bemotande, r.trained_dbt, "                \
    "r.brief_admission, "                                                                \
    "r.offers, r.waiting_days, r.catchment, r.nhv_offers, r.placed_access, "             \
    "r.sis_access, "                                                                     \
    "r.note FROM net_unit_resource r JOIN care_unit u ON u.id = r.unit_id "

static const struct net_col res_cols[] = {
    {"code", NET_TEXT},
    {"name", NET_TEXT},
    {"region", NET_TEXT},
    {"type", NET_TEXT},
    {"setting", NET_TEXT},
    {"since", NET_DAY},
    {"until", NET_DAY},
    {"age_from", NET_INT},
    {"age_to", NET_INT},
    {"staff", NET_INT},
    {"trained_bemotande", NET_INT},
    {"trained_dbt", NET_INT},
    {"brief_admission", NET_INT},
    {"offers", NET_TEXT},
    {"waiting_days", NET_INT},
    {"catchment", NET_TEXT},
    {"nhv_offers", NET_TEXT},
    {"placed_access", NET_INT},
    {"sis_access", NET_INT},
    {"note", NET_TEXT},
};
#define NRES (sizeof res_cols / sizeof res_cols[0])

int unit_list(struct store *st, kn_day on, const char *region, const char *type,
              struct net_rows *out, struct arena *a, struct kn_error *err)
{
    char day[16];
    snprintf(day, sizeof day, "%d", (int)on);
    const char *p[] = {day, region, type};
    return net_rows_query(
        st,
        "SELECT " RES_COLS
        "WHERE r.valid_from <= $1 AND (r.valid_to IS NULL OR r.valid_to > "
        "$1) AND ($2 IS NULL OR u.region_code = $2) AND ($3 IS NULL OR "
        "u.unit_type = $3) ORDER BY u.region_code, u.code",
        p, 3, res_cols, NRES, out, a, err);
}

int unit_history(struct store *st, const char *code, struct net_rows *out,
                 struct arena *a, struct kn_error *err)
{
    const char *p[] = {code};
    int rc =
        net_rows_query(st, "SELECT " RES_COLS "WHERE u.code = $1 ORDER BY r.valid_from",
                       p, 1, res_cols, NRES, out, a, err);
    if (rc == 0 && out->nrows == 0)
        return net_text_check("CODE", code, 64, true, false, err) != 0
                   ? err->code
                   : kn_fail(err, KN_ENOTFOUND, "unit '%s' has no resources", code);
    return rc;
}
