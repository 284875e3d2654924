/* src/web/network/web_net_unit_edit.c: a region's coordinator keeps the
 * inventory of units in the portal (issue 15: "maintained by the region's
 * coordinator, with history").
 *
 *   GET/POST /units/new            add a unit's first version (a unit of
 *       the registry, or one it lacks with its name, region, type and
 *       setting), as `knod unit add`; the region (the registry's, or the
 *       one chosen) must be within the user's scope.
 *   GET/POST /units/{code}/change  record a change as of a day, as `knod
 *       unit update`: the form holds the current version; an empty field
 *       keeps its value; the day must be after the current version's
 *       (the route's @unit rule: the unit within the user's scope).
 *
 * The fields are the command's options (unit.h's UNIT_FIELDS) read by the
 * same unit_res_parse() and checked by the same unit_add_in() and
 * unit_update_in(), so a form and `knod unit` obey one set of rules; an
 * error names its option, which names the form's field. A refused form
 * comes back in the GOV.UK error pattern (a summary linking the fields,
 * each error at its field), its values kept, masked where they hold
 * something shaped like a personnummer. The version and its audit entry
 * ("unit-add" or "unit-change": the unit's code and the day) are one
 * transaction; then 303 to the unit's page, whose history shows it.
 */
#include <stdio.h>
#include <string.h>

#include "access/access_scope.h"
#include "access/access_session.h"
#include "domain/geo.h"
#include "domain/pnr_shape.h"
#include "network/unit.h"
#include "web/network/web_net.h"
#include "web/web_csrf.h"
#include "web/web_dispatch.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

/* The form's fields: unit.h's, and the unit's code (add only). */
#define F_CODE UNIT_F_N
#define NF     (UNIT_F_N + 1)

enum kind { K_TEXT, K_AREA, K_SELECT, K_YESNO, K_CHECKS };

static const struct {
    int f;
    enum kind kind;
    bool add_only; /* the registry's: name, region, type, setting */
    bool nhv;      /* an NHV clinic's only */
} fields[] = {
    {F_CODE, K_TEXT, true, false},
    {UNIT_F_NAME, K_TEXT, true, false},
    {UNIT_F_REGION, K_SELECT, true, false},
    {UNIT_F_TYPE, K_SELECT, true, false},
    {UNIT_F_SETTING, K_SELECT, true, false},
    {UNIT_F_AS_OF, K_TEXT, false, false},
    {UNIT_F_AGES, K_TEXT, false, false},
    {UNIT_F_STAFF, K_TEXT, false, false},
    {UNIT_F_TRAINED_BEMOTANDE, K_TEXT, false, false},
    {UNIT_F_TRAINED_DBT, K_TEXT, false, false},
    {UNIT_F_BRIEF_ADMISSION, K_YESNO, false, false},
    {UNIT_F_OFFERS, K_CHECKS, false, false},
    {UNIT_F_WAITING_DAYS, K_TEXT, false, false},
    {UNIT_F_NOTE, K_AREA, false, false},
    {UNIT_F_CATCHMENT, K_TEXT, false, true},
    {UNIT_F_NHV_OFFERS, K_CHECKS, false, true},
    {UNIT_F_PLACED_ACCESS, K_YESNO, false, true},
    {UNIT_F_SIS_ACCESS, K_YESNO, false, true},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* The state of one form: add or change, and for a change the unit. */
struct form {
    bool add;
    bool nhv;           /* the NHV fields are shown (always on add) */
    const char *code;   /* change: the route's unit */
    json_t *current;    /* change: its current version (borrowed) */
    const char *v[NF];  /* the values shown or posted ("" none) */
    const char *e[NF];  /* the error at each field, or NULL */
    json_t *summary;    /* [{field, text}] */
};

static const char *fname(int f)
{
    return f == F_CODE ? "code" : UNIT_FIELDS[f];
}

/* The message key of field f with prefix ("unit_f_", "unit_h_", ...). */
static const char *fkey(struct web_req *rq, const char *prefix, int f)
{
    char key[64];
    int n = snprintf(key, sizeof key, "%s%s", prefix, fname(f));
    for (int i = 0; i < n && i < (int)sizeof key; i++)
        if (key[i] == '-')
            key[i] = '_';
    return web_t(rq, key);
}

static const char *const *checks_of(int f)
{
    return f == UNIT_F_OFFERS ? UNIT_OFFERS : UNIT_NHV_OFFERS;
}

/* A value as it may be shown again: anything shaped like a personnummer
 * masked. */
static const char *shown(struct web_req *rq, const char *v)
{
    char *s = arena_strdup(rq->arena, v ? v : "");
    if (s)
        pnr_mask(s, strlen(s));
    return s ? s : "";
}

static bool in_list(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static json_t *option(const char *value, const char *text, bool selected)
{
    return json_pack("{s:s, s:s, s:b}", "value", value, "text", text, "selected", selected);
}

/* The options of a select field f, value v selected. */
static json_t *options(struct web_req *rq, int f, const char *v)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    if (f == UNIT_F_REGION) {
        const struct geo *g = rq->app->geo;
        for (size_t i = 0; i < g->nregions; i++) {
            const struct geo_region *r = &g->regions[i];
            if (!access_scope_has_region(&rq->session->user, r->code))
                continue;
            json_array_append_new(
                a, option(r->code, arena_printf(rq->arena, "%s %s", r->code, r->name),
                          strcmp(v, r->code) == 0));
        }
        return a;
    }
    if (f == UNIT_F_TYPE || f == UNIT_F_SETTING) {
        const char *const *list = f == UNIT_F_TYPE ? UNIT_TYPES : UNIT_SETTINGS;
        for (size_t i = 0; list[i]; i++)
            json_array_append_new(a, option(list[i], list[i], strcmp(v, list[i]) == 0));
        return a;
    }
    static const char *const yn[] = {"yes", "no", NULL};
    for (size_t i = 0; yn[i]; i++)
        json_array_append_new(
            a, option(yn[i], web_t(rq, i == 0 ? "net_yes" : "net_no"), strcmp(v, yn[i]) == 0));
    return a;
}

/* The checkboxes of field f (offers or nhv-offers), the checked ones in
 * the comma list v. The first box has the field's id (the error's link). */
static json_t *checks(struct web_req *rq, int f, const char *v)
{
    json_t *a = json_array();
    const char *const *list = checks_of(f);
    for (size_t i = 0; a && list[i]; i++) {
        json_t *c = json_pack(
            "{s:s, s:s, s:s, s:b}", "name", arena_printf(rq->arena, "%s.%s", fname(f), list[i]),
            "id",
            i == 0 ? arena_printf(rq->arena, "f-%s", fname(f))
                   : arena_printf(rq->arena, "f-%s-%s", fname(f), list[i]),
            "text", list[i], "checked", in_list(v, list[i]));
        if (!c || json_array_append_new(a, c) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* rq's model: the form with its values, errors and summary. */
static int render(struct web_req *rq, struct form *fm)
{
    const char *csrf = web_csrf_token(rq);
    json_t *list = json_array();
    const char *since = fm->current
                            ? json_string_value(json_object_get(fm->current, "since"))
                            : NULL;
    rq->model = json_pack(
        "{s:b, s:s, s:s?, s:O?, s:s?, s:o, s:o}", "add", fm->add, "action",
        fm->add ? "/units/new"
                : arena_printf(rq->arena, "/units/%s/change", fm->code ? fm->code : ""),
        "code", fm->code, "unit", fm->current, "since", since, "fields", list, "errors",
        fm->summary ? json_incref(fm->summary) : json_array());
    if (!rq->model || !list || !csrf || !web_sets(rq->model, "csrf", csrf))
        return 500;
    if (json_array_size(fm->summary) > 0 &&
        !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
        return 500;
    for (size_t i = 0; i < NFIELDS; i++) {
        int f = fields[i].f;
        if ((fields[i].add_only && !fm->add) || (fields[i].nhv && !fm->nhv))
            continue;
        enum kind k = fields[i].kind;
        const char *hint = fkey(rq, "unit_h_", f);
        if (f == UNIT_F_AS_OF)
            hint = fm->add ? web_t(rq, "unit_h_as_of_add")
                           : arena_printf(rq->arena, "%s %s.", web_t(rq, "unit_h_as_of_change"),
                                          since ? since : "");
        bool required = f == UNIT_F_AGES ? fm->add : f == UNIT_F_AS_OF ? !fm->add : false;
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s?, s:b, s:b, s:b, s:b, s:b}", "name", fname(f),
            "id", arena_printf(rq->arena, "f-%s", fname(f)), "label", fkey(rq, "unit_f_", f),
            "hint", hint, "value", shown(rq, fm->v[f]), "error", fm->e[f], "text", k == K_TEXT,
            "area", k == K_AREA, "select", k == K_SELECT || k == K_YESNO, "checks_kind",
            k == K_CHECKS, "required", required);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
        if (k == K_SELECT || k == K_YESNO) {
            json_t *opts = options(rq, f, fm->v[f]);
            if (!opts || json_object_set_new(o, "options", opts) != 0)
                return 500;
        } else if (k == K_CHECKS) {
            json_t *c = checks(rq, f, fm->v[f]);
            if (!c || json_object_set_new(o, "checks", c) != 0)
                return 500;
        }
    }
    return 200;
}

/* An error at field f: at the field and in the summary (linking it). */
static void field_error(struct web_req *rq, struct form *fm, int f, const char *text)
{
    if (fm->e[f])
        return;
    fm->e[f] = text;
    json_array_append_new(fm->summary,
                          json_pack("{s:s, s:s}", "field",
                                    arena_printf(rq->arena, "f-%s", fname(f)), "text", text));
}

/* The posted values into fm->v, and as unit_res_parse reads them into p
 * (an empty field: not given; a group of boxes always given). */
static void read_post(struct web_req *rq, struct form *fm, const char **p)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        int f = fields[i].f;
        if ((fields[i].add_only && !fm->add) || (fields[i].nhv && !fm->nhv))
            continue;
        if (fields[i].kind == K_CHECKS) {
            struct strbuf sb = STRBUF_INIT;
            const char *const *list = checks_of(f);
            for (size_t j = 0; list[j]; j++) {
                const char *x = web_form(rq, arena_printf(rq->arena, "%s.%s", fname(f), list[j]));
                if (x && *x)
                    sb_addf(&sb, "%s%s", sb.len ? "," : "", list[j]);
            }
            fm->v[f] = arena_strndup(rq->arena, sb.buf, sb.len);
            sb_release(&sb);
            p[f] = fm->v[f];
            continue;
        }
        const char *x = web_form(rq, fname(f));
        fm->v[f] = x ? x : "";
        if (f < UNIT_F_N)
            p[f] = x && *x ? x : NULL;
    }
}

/* The error of a refused form: the field its message names (the option),
 * in the portal's words. */
static void refused(struct web_req *rq, struct form *fm, int rc, const char *msg)
{
    if (rc == KN_EEXIST) {
        field_error(rq, fm, F_CODE, web_t(rq, "unit_e_code_exists"));
        return;
    }
    int f = strncmp(msg, "CODE:", 5) == 0 ? F_CODE : unit_field_of(msg);
    bool hidden = f != F_CODE && ((!fm->add && f <= UNIT_F_SETTING) ||
                                  (!fm->nhv && f >= UNIT_F_CATCHMENT && f <= UNIT_F_SIS_ACCESS));
    if (f < 0 || hidden) {
        field_error(rq, fm, fm->add ? F_CODE : UNIT_F_AS_OF, web_t(rq, "unit_e_other"));
        return;
    }
    const char *v = fm->v[f];
    if (v && pnr_find_shaped(v, strlen(v), NULL, NULL))
        field_error(rq, fm, f, web_t(rq, "unit_e_pnr"));
    else if (f == UNIT_F_AS_OF && strstr(msg, "must be after"))
        field_error(rq, fm, f,
                    arena_printf(rq->arena, "%s %s.", web_t(rq, "unit_e_as_of_after"),
                                 json_string_value(json_object_get(fm->current, "since"))));
    else if (f == UNIT_F_NAME && strstr(msg, "in the registry already"))
        field_error(rq, fm, f, web_t(rq, "unit_e_in_registry"));
    else if (f == UNIT_F_TRAINED_BEMOTANDE || f == UNIT_F_TRAINED_DBT)
        field_error(rq, fm, f,
                    web_t(rq, strstr(msg, "more than") ? "unit_e_trained_more"
                                                       : "unit_e_count"));
    else
        field_error(rq, fm, f, fkey(rq, "unit_e_", f));
}

/* The route's unit: its versions (a new array into *versions) and the
 * current one into fm; 404 if it has none. */
static int load_current(struct web_req *rq, struct form *fm, json_t **versions)
{
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    *versions = NULL;
    if (!st)
        return 500;
    fm->code = web_param(rq, "code");
    int rc = unit_history(st, fm->code, &t, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "code");
    if (!(*versions = net_rows_json(&t)))
        return 500;
    fm->current = json_array_get(*versions, json_array_size(*versions) - 1);
    fm->nhv = strcmp(json_string_value(json_object_get(fm->current, "type")), "nhv") == 0;
    return 0;
}

/* fm's values from the current version (a change form). */
static void fill_current(struct web_req *rq, struct form *fm)
{
    json_t *c = fm->current;
#define INT_TEXT(k) (json_is_integer(json_object_get(c, k)) ? arena_printf(rq->arena, "%lld", \
                         (long long)json_integer_value(json_object_get(c, k))) : "")
#define YES_NO(k)   (json_integer_value(json_object_get(c, k)) ? "yes" : "no")
#define TEXT(k)     (json_string_value(json_object_get(c, k)) ? json_string_value(json_object_get(c, k)) : "")
    fm->v[UNIT_F_AS_OF] = "";
    fm->v[UNIT_F_AGES] = arena_printf(rq->arena, "%s-%s", INT_TEXT("age_from"), INT_TEXT("age_to"));
    fm->v[UNIT_F_STAFF] = INT_TEXT("staff");
    fm->v[UNIT_F_TRAINED_BEMOTANDE] = INT_TEXT("trained_bemotande");
    fm->v[UNIT_F_TRAINED_DBT] = INT_TEXT("trained_dbt");
    fm->v[UNIT_F_BRIEF_ADMISSION] = YES_NO("brief_admission");
    fm->v[UNIT_F_OFFERS] = TEXT("offers");
    fm->v[UNIT_F_WAITING_DAYS] = INT_TEXT("waiting_days");
    fm->v[UNIT_F_NOTE] = TEXT("note");
    fm->v[UNIT_F_CATCHMENT] = TEXT("catchment");
    fm->v[UNIT_F_NHV_OFFERS] = TEXT("nhv_offers");
    fm->v[UNIT_F_PLACED_ACCESS] = YES_NO("placed_access");
    fm->v[UNIT_F_SIS_ACCESS] = YES_NO("sis_access");
#undef INT_TEXT
#undef YES_NO
#undef TEXT
}

static void form_init(struct form *fm, bool add)
{
    memset(fm, 0, sizeof *fm);
    fm->add = add;
    fm->nhv = add;
    for (int f = 0; f < NF; f++)
        fm->v[f] = "";
}

int web_net_unit_new(struct web_req *rq)
{
    struct form fm;
    form_init(&fm, true);
    return render(rq, &fm);
}

int web_net_unit_change(struct web_req *rq)
{
    struct form fm;
    json_t *versions = NULL;
    form_init(&fm, false);
    int rc = load_current(rq, &fm, &versions);
    if (rc == 0) {
        fill_current(rq, &fm);
        rc = render(rq, &fm);
    }
    json_decref(versions);
    return rc;
}

/* Is the unit being added within the user's scope? Its region is the
 * registry's for a unit the registry has, else the one chosen (none
 * chosen: unit_add refuses it). Sets the field error if not. */
static int add_in_scope(struct web_req *rq, struct store *st, struct form *fm,
                        const struct unit_res *r, bool *in, struct kn_error *err)
{
    const struct access_user *u = &rq->session->user;
    *in = true;
    if (!r->code || !*r->code)
        return 0;
    int rc = access_scope_has_unit(st, u, r->code, in, err);
    if (rc == KN_ENOTFOUND) {
        *in = !r->region || access_scope_has_region(u, r->region);
        if (!*in)
            field_error(rq, fm, UNIT_F_REGION, web_t(rq, "unit_e_scope"));
        return 0;
    }
    if (rc == 0 && !*in)
        field_error(rq, fm, F_CODE, web_t(rq, "unit_e_scope"));
    return rc;
}

/* A posted form: parse, check, store and audit in one transaction. */
static int post(struct web_req *rq, bool add)
{
    struct form fm;
    form_init(&fm, add);
    json_t *versions = NULL;
    if (!add) {
        int rc = load_current(rq, &fm, &versions);
        if (rc != 0) {
            json_decref(versions);
            return rc;
        }
    }
    fm.summary = json_array();
    const char *p[UNIT_F_N] = {0};
    read_post(rq, &fm, p);
    struct kn_error err = KN_ERROR_INIT;
    struct unit_res r = {.code = add ? fm.v[F_CODE] : fm.code};
    struct store *st = web_store(rq);
    int rc = st ? 0 : KN_ESTORE;
    if (rc == 0 && (rc = unit_res_parse(p, time_to_day(rq->now), &r, &err)) != 0 &&
        rc == KN_EINPUT)
        refused(rq, &fm, rc, err.msg);
    bool began = false, in = true;
    if (rc == 0 && (rc = store_begin(st, &err)) == 0)
        began = true;
    if (rc == 0 && add)
        rc = add_in_scope(rq, st, &fm, &r, &in, &err);
    if (rc == 0 && in) {
        rc = add ? unit_add_in(st, &r, &err) : unit_update_in(st, &r, &err);
        if (rc == KN_EINPUT || rc == KN_EEXIST)
            refused(rq, &fm, rc, err.msg);
    }
    char day[11];
    date_format(r.as_of, day);
    if (rc == 0 && in)
        rc = web_audit(rq, add ? "unit-add" : "unit-change", r.code,
                       NULL, arena_printf(rq->arena, "as of %s", day));
    if (rc == 0 && in)
        rc = store_commit(st, &err);
    else if (began)
        store_rollback(st);
    int status;
    if (json_array_size(fm.summary) > 0) {
        status = render(rq, &fm);
    } else if (rc != 0) {
        status = 500;
    } else {
        struct strbuf u = STRBUF_INIT;
        bool good = sb_addstr(&u, "/units/") == 0 &&
                    web_url_encode(&u, r.code, strlen(r.code)) == 0 &&
                    sb_addf(&u, "?saved=%s", day) == 0;
        const char *loc = good ? arena_strndup(rq->arena, u.buf, u.len) : NULL;
        sb_release(&u);
        status = loc ? web_redirect(rq, loc) : 500;
    }
    json_decref(fm.summary);
    json_decref(versions);
    return status;
}

int web_net_unit_new_post(struct web_req *rq)
{
    return post(rq, true);
}

int web_net_unit_change_post(struct web_req *rq)
{
    return post(rq, false);
}
