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
 * error names its option, which names the form's field. The form is one
 * of the network's form layer (web_net_form.h, words "unit_*" of
 * data/i18n/network_edit.csv): a refused form comes back in the GOV.UK
 * error pattern (a summary linking the fields, each error at its field),
 * its values kept, masked where they hold something shaped like a
 * personnummer. The version and its audit entry
 * ("unit-add" or "unit-change": the unit's code and the day) are one
 * transaction; then 303 to the unit's page, whose history shows it.
 */
#include <stdio.h>
#include <string.h>

#include "access/access_scope.h"
#include "access/access_session.h"
#include "domain/pnr_shape.h"
#include "network/unit.h"
#include "web/network/web_net.h"
#include "web/network/web_net_form.h"
#include "web/web_dispatch.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

/* The form's fields: unit.h's, and the unit's code (add only). */
#define F_CODE UNIT_F_N
#define NF     (UNIT_F_N + 1)

static const struct {
    int f;
    enum ne_kind kind;
    const char *const *choices;
    bool add_only; /* the registry's: name, region, type, setting */
    bool nhv;      /* an NHV clinic's only */
} fields[] = {
    {F_CODE, NE_TEXT, NULL, true, false},
    {UNIT_F_NAME, NE_TEXT, NULL, true, false},
    {UNIT_F_REGION, NE_REGION, NULL, true, false},
    {UNIT_F_TYPE, NE_SELECT, UNIT_TYPES, true, false},
    {UNIT_F_SETTING, NE_SELECT, UNIT_SETTINGS, true, false},
    {UNIT_F_AS_OF, NE_TEXT, NULL, false, false},
    {UNIT_F_AGES, NE_TEXT, NULL, false, false},
    {UNIT_F_STAFF, NE_TEXT, NULL, false, false},
    {UNIT_F_TRAINED_BEMOTANDE, NE_TEXT, NULL, false, false},
    {UNIT_F_TRAINED_DBT, NE_TEXT, NULL, false, false},
    {UNIT_F_BRIEF_ADMISSION, NE_YESNO, NULL, false, false},
    {UNIT_F_OFFERS, NE_CHECKS, UNIT_OFFERS, false, false},
    {UNIT_F_WAITING_DAYS, NE_TEXT, NULL, false, false},
    {UNIT_F_NOTE, NE_AREA, NULL, false, false},
    {UNIT_F_CATCHMENT, NE_TEXT, NULL, false, true},
    {UNIT_F_NHV_OFFERS, NE_CHECKS, UNIT_NHV_OFFERS, false, true},
    {UNIT_F_PLACED_ACCESS, NE_YESNO, NULL, false, true},
    {UNIT_F_SIS_ACCESS, NE_YESNO, NULL, false, true},
};
#define NFIELDS (sizeof fields / sizeof fields[0])
_Static_assert(NFIELDS <= NE_MAX, "the unit form's fields fit a form");

/* The state of one form: add or change, and for a change the unit. */
struct form {
    bool add;
    bool nhv;                      /* the NHV fields are shown (always on add) */
    const char *code;              /* change: the route's unit */
    json_t *current;               /* change: its current version (borrowed) */
    struct ne_field list[NFIELDS]; /* the fields shown */
    int at[NF];                    /* field f's index in ne, or -1 */
    struct ne_form ne;
};

static const char *fname(int f)
{
    return f == F_CODE ? "code" : UNIT_FIELDS[f];
}

/* The value of field f ("" when it is not shown). */
static const char *value(const struct form *fm, int f)
{
    return fm->at[f] >= 0 ? fm->ne.v[fm->at[f]] : "";
}

static void set_value(struct form *fm, int f, const char *v)
{
    if (fm->at[f] >= 0)
        fm->ne.v[fm->at[f]] = v ? v : "";
}

/* fm's form: the fields an add or a change of this unit shows, and its
 * words. */
static void form_init(struct web_req *rq, struct form *fm, bool add, bool nhv)
{
    size_t n = 0;
    fm->add = add;
    fm->nhv = nhv;
    for (int f = 0; f < NF; f++)
        fm->at[f] = -1;
    for (size_t i = 0; i < NFIELDS; i++) {
        int f = fields[i].f;
        if ((fields[i].add_only && !add) || (fields[i].nhv && !nhv))
            continue;
        bool required = f == UNIT_F_AGES ? add : f == UNIT_F_AS_OF ? !add : false;
        fm->list[n] =
            (struct ne_field){fname(f), fields[i].kind, fields[i].choices, required};
        fm->at[f] = (int)n++;
    }
    ne_init(&fm->ne, fm->list, n);
    struct ne_form *ne = &fm->ne;
    const char *since =
        fm->current ? json_string_value(json_object_get(fm->current, "since")) : NULL;
    const char *name =
        fm->current ? json_string_value(json_object_get(fm->current, "name")) : NULL;
    ne->keys = "unit";
    ne->worded = true;
    ne->choice_words = "unit_o_"; /* types, settings, offers in words */
    ne->hint[fm->at[UNIT_F_AS_OF]] =
        add ? web_t(rq, "unit_h_as_of_add")
            : arena_printf(rq->arena, "%s %s.", web_t(rq, "unit_h_as_of_change"),
                           since ? since : "");
    ne->action =
        add ? "/units/new"
            : arena_printf(rq->arena, "/units/%s/change", fm->code ? fm->code : "");
    ne->heading = add ? web_t(rq, "unit_add_heading")
                      : arena_printf(rq->arena, "%s: %s",
                                     web_t(rq, "unit_change_heading"), name ? name : "");
    ne->heading_id = add ? NULL : fm->code;
    ne->intro = web_t(rq, add ? "unit_add_intro" : "unit_change_intro");
    ne->submit = web_t(rq, add ? "unit_add_submit" : "unit_change_submit");
    ne->back =
        add ? NULL : arena_printf(rq->arena, "/units/%s", fm->code ? fm->code : "");
}

/* An error at field f: at the field and in the summary (linking it). */
static void field_error(struct web_req *rq, struct form *fm, int f, const char *text)
{
    ne_error(rq, &fm->ne, fname(f), text);
}

/* The posted values into the form, and as unit_res_parse reads them into
 * p (an empty field: not given; a group of boxes always given). */
static void read_post(struct web_req *rq, struct form *fm, const char **p)
{
    ne_read(rq, &fm->ne);
    for (int f = 0; f < UNIT_F_N; f++) {
        const char *v = value(fm, f);
        if (fm->at[f] >= 0 && (*v || fm->list[fm->at[f]].kind == NE_CHECKS))
            p[f] = v;
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
    if (f < 0 || fm->at[f] < 0) {
        field_error(rq, fm, fm->add ? F_CODE : UNIT_F_AS_OF, web_t(rq, "unit_e_other"));
        return;
    }
    const char *v = value(fm, f);
    if (pnr_find_shaped(v, strlen(v), NULL, NULL))
        field_error(rq, fm, f, web_t(rq, "unit_e_pnr"));
    else if (f == UNIT_F_AS_OF && strstr(msg, "must be after"))
        field_error(
            rq, fm, f,
            arena_printf(rq->arena, "%s %s.", web_t(rq, "unit_e_as_of_after"),
                         json_string_value(json_object_get(fm->current, "since"))));
    else if (f == UNIT_F_NAME && strstr(msg, "in the registry already"))
        field_error(rq, fm, f, web_t(rq, "unit_e_in_registry"));
    else if (f == UNIT_F_TRAINED_BEMOTANDE || f == UNIT_F_TRAINED_DBT)
        field_error(
            rq, fm, f,
            web_t(rq, strstr(msg, "more than") ? "unit_e_trained_more" : "unit_e_count"));
    else
        field_error(rq, fm, f, ne_words(rq, &fm->ne, "e_", fname(f)));
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
    return 0;
}

/* fm's values from the current version (a change form). */
static void fill_current(struct web_req *rq, struct form *fm)
{
    json_t *c = fm->current;
#define INT_TEXT(k)                                                                      \
    (json_is_integer(json_object_get(c, k))                                              \
         ? arena_printf(rq->arena, "%lld",                                               \
                        (long long)json_integer_value(json_object_get(c, k)))            \
         : "")
#define YES_NO(k)                                                                        \
    (!json_is_integer(json_object_get(c, k))     ? ""                                    \
     : json_integer_value(json_object_get(c, k)) ? "yes"                                 \
                                                 : "no")
#define TEXT(k)                                                                          \
    (json_string_value(json_object_get(c, k)) ? json_string_value(json_object_get(c, k)) \
                                              : "")
    set_value(fm, UNIT_F_AGES,
              arena_printf(rq->arena, "%s-%s", INT_TEXT("age_from"), INT_TEXT("age_to")));
    set_value(fm, UNIT_F_STAFF, INT_TEXT("staff"));
    set_value(fm, UNIT_F_TRAINED_BEMOTANDE, INT_TEXT("trained_bemotande"));
    set_value(fm, UNIT_F_TRAINED_DBT, INT_TEXT("trained_dbt"));
    set_value(fm, UNIT_F_BRIEF_ADMISSION, YES_NO("brief_admission"));
    set_value(fm, UNIT_F_OFFERS, TEXT("offers"));
    set_value(fm, UNIT_F_WAITING_DAYS, INT_TEXT("waiting_days"));
    set_value(fm, UNIT_F_NOTE, TEXT("note"));
    set_value(fm, UNIT_F_CATCHMENT, TEXT("catchment"));
    set_value(fm, UNIT_F_NHV_OFFERS, TEXT("nhv_offers"));
    set_value(fm, UNIT_F_PLACED_ACCESS, YES_NO("placed_access"));
    set_value(fm, UNIT_F_SIS_ACCESS, YES_NO("sis_access"));
#undef INT_TEXT
#undef YES_NO
#undef TEXT
}

/* A change form: the route's unit loaded, its fields (the NHV ones for an
 * NHV clinic). */
static int change_init(struct web_req *rq, struct form *fm, json_t **versions)
{
    memset(fm, 0, sizeof *fm);
    int rc = load_current(rq, fm, versions);
    if (rc != 0)
        return rc;
    const char *type = json_string_value(json_object_get(fm->current, "type"));
    form_init(rq, fm, false, type && strcmp(type, "nhv") == 0);
    return 0;
}

int web_net_unit_new(struct web_req *rq)
{
    struct form fm = {0};
    form_init(rq, &fm, true, true);
    return ne_render(rq, &fm.ne);
}

int web_net_unit_change(struct web_req *rq)
{
    struct form fm;
    json_t *versions = NULL;
    int rc = change_init(rq, &fm, &versions);
    if (rc == 0) {
        fill_current(rq, &fm);
        rc = ne_render(rq, &fm.ne);
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

struct arg {
    struct web_req *rq;
    struct form *fm;
    struct unit_res r;
};

/* Within the form's transaction: the scope of a new unit, then the
 * version as `knod unit add|update` stores it; a refusal at its field. */
static int store_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    bool in = true;
    int rc = x->fm->add ? add_in_scope(x->rq, st, x->fm, &x->r, &in, err) : 0;
    if (rc != 0 || !in)
        return rc;
    rc = x->fm->add ? unit_add_in(st, &x->r, err) : unit_update_in(st, &x->r, err);
    if (rc == KN_EINPUT || rc == KN_EEXIST) {
        refused(x->rq, x->fm, rc, err->msg);
        return 0;
    }
    return rc;
}

/* A posted form: parse, check, store and audit in one transaction. */
static int post(struct web_req *rq, bool add)
{
    struct form fm = {0};
    json_t *versions = NULL;
    if (add)
        form_init(rq, &fm, true, true);
    else {
        int rc = change_init(rq, &fm, &versions);
        if (rc != 0) {
            json_decref(versions);
            return rc;
        }
    }
    const char *p[UNIT_F_N] = {0};
    read_post(rq, &fm, p);
    struct kn_error err = KN_ERROR_INIT;
    struct arg x = {rq, &fm, {.code = add ? value(&fm, F_CODE) : fm.code}};
    int rc = unit_res_parse(p, time_to_day(rq->now), &x.r, &err);
    if (rc == KN_EINPUT)
        refused(rq, &fm, rc, err.msg);
    char day[11];
    date_format(x.r.as_of, day);
    const char *subject = x.r.code;
    if (rc == 0 || rc == KN_EINPUT)
        rc = ne_store(rq, &fm.ne, store_fn, &x, add ? "unit-add" : "unit-change",
                      &subject, arena_printf(rq->arena, "as of %s", day));
    int status;
    if (rc == 1) {
        status = ne_render(rq, &fm.ne);
    } else if (rc != 0) {
        status = 500;
    } else {
        struct strbuf u = STRBUF_INIT;
        bool good = sb_addstr(&u, "/units/") == 0 &&
                    web_url_encode(&u, x.r.code, strlen(x.r.code)) == 0 &&
                    sb_addf(&u, "?saved=%s", day) == 0;
        const char *loc = good ? arena_strndup(rq->arena, u.buf, u.len) : NULL;
        sb_release(&u);
        status = loc ? web_redirect(rq, loc) : 500;
    }
    json_decref(fm.ne.summary);
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
