/* src/web/care/web_care_register.c: the registration forms (web_care.h).
 *
 * One form per kind of care record: its fields are the kind's import
 * columns (registry/reg_import.h), labelled and hinted in Swedish and
 * English (data/i18n/care.csv), and a posted form is ONE row through the
 * import session (registry/reg_entry.h), so that a form and a CSV file
 * obey one set of rules. A refused form comes back with the GOV.UK error
 * pattern: a summary at the top (role=alert, focused, links to the
 * fields) and each error at its field, the values kept, except the
 * personnummer, which is never written into a page: it is typed again.
 *
 * Scope: what is registered must lie within the user's scope
 * (access_scope.h): a contact's unit is checked before the row, the
 * person of any record (and a new person's home region) inside the
 * import's transaction, which is rolled back when it is outside. Every
 * stored record is audited ("register", the pseudonym, the kind and id).
 *
 * The personnummer form field lives only in the request's arena; the key
 * file is read for each stored form and wiped at once.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "access/access_scope.h"
#include "access/access_session.h"
#include "base/config.h"
#include "domain/geo.h"
#include "domain/pnr_shape.h"
#include "domain/pseudo.h"
#include "registry/reg_entry.h"
#include "web/care/web_care.h"
#include "web/web_csrf.h"
#include "web/web_dispatch.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

/* The kinds a form registers: a person and the care records. */
static const char *const form_kinds[] = {
    "persons",    "contacts",   "self_harm",  "coercive_measures", "assessments",
    "care_plans", "treatments", "follow_ups", "pathway_steps",     NULL};

#define SOURCE_SYSTEM "knod-web"

const struct reg_kind *web_care_kind(const char *name)
{
    for (size_t i = 0; name && form_kinds[i]; i++)
        if (strcmp(form_kinds[i], name) == 0)
            return reg_kind_find(name);
    return NULL;
}

static const char *t_key(struct web_req *rq, const char *prefix, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "%s%s", prefix, name);
    return web_t(rq, key);
}

static json_t *kind_list(struct web_req *rq, const char *current)
{
    json_t *list = json_array();
    for (size_t i = 0; list && form_kinds[i]; i++) {
        json_t *e = json_pack("{s:s, s:s, s:s, s:b}", "name", form_kinds[i], "label",
                              t_key(rq, "care_kind_", form_kinds[i]), "intro",
                              t_key(rq, "care_intro_", form_kinds[i]), "current",
                              current && strcmp(current, form_kinds[i]) == 0);
        if (!e || json_array_append_new(list, e) != 0)
            return NULL;
    }
    return list;
}

int web_care_register_index(struct web_req *rq)
{
    rq->model = json_pack("{s:o, s:b}", "kinds", kind_list(rq, NULL), "may_upload",
                          web_route_may(rq, "GET", "/upload"));
    return rq->model ? 200 : 500;
}

/* A value as it may be shown again: anything shaped like a personnummer
 * masked (a number typed into the wrong field is not echoed either). */
static const char *shown(struct web_req *rq, const char *v)
{
    char *s = arena_strdup(rq->arena, v ? v : "");
    if (s)
        pnr_mask(s, strlen(s));
    return s;
}

int web_care_form(struct web_req *rq, const struct reg_kind *k,
                  const struct web_care_form_opts *o, const char *const *errors,
                  json_t *summary)
{
    const char *csrf = web_csrf_token(rq);
    json_t *fields = json_array();
    bool posted = o->prefill == NULL && strcmp(rq->method, "POST") == 0;
    rq->model = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:b}", "kind",
                          reg_kind_name(k), "kind_label",
                          t_key(rq, "care_kind_", reg_kind_name(k)), "intro",
                          t_key(rq, "care_intro_", reg_kind_name(k)), "kinds",
                          kind_list(rq, reg_kind_name(k)), "fields", fields, "errors",
                          summary ? summary : json_array(), "action", o->action, "title",
                          o->title, "correct", o->correct);
    if (!rq->model || !csrf || !fields || !web_sets(rq->model, "csrf", csrf))
        return 500;
    if (o->pseudonym && !web_sets(rq->model, "pseudonym", o->pseudonym))
        return 500;
    if (!web_set(rq->model, "may_upload", json_boolean(web_route_may(rq, "GET", "/upload"))))
        return 500;
    for (size_t c = 0; c < reg_kind_ncols(k); c++) {
        if (reg_kind_col_external(k, c))
            continue; /* the ext_id layout's birth and sex: a form takes a pnr */
        const char *name = reg_kind_col(k, c), *fmt = reg_kind_col_format(k, c);
        bool pnr = strcmp(fmt, "pnr") == 0;
        const char *value = posted ? web_form(rq, name) : NULL;
        if (o->prefill)
            value = json_string_value(json_object_get(o->prefill, name));
        else if (!posted && c == 0)
            value = SOURCE_SYSTEM;
        json_t *f = json_pack(
            "{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s?, s:b}", "name", name, "id",
            arena_printf(rq->arena, "f-%s", name), "label", t_key(rq, "care_col_", name),
            "hint", t_key(rq, "care_hint_", c == 1 && !o->correct ? "source_id" : fmt),
            "required", reg_kind_col_required(k, c), "pnr", pnr, "value",
            pnr ? "" : shown(rq, value), "error", errors ? errors[c] : NULL, "readonly",
            o->correct && c < 2);
        if (!f || json_array_append_new(fields, f) != 0)
            return 500;
        const char *const *codes = reg_kind_col_codes(k, c);
        bool boolean = strcmp(fmt, "bool") == 0;
        if (codes || boolean) {
            json_t *opts = json_array();
            static const char *const bools[] = {"1", "0", NULL};
            const char *const *list = codes ? codes : bools;
            if (!opts || json_object_set_new(f, "options", opts) != 0)
                return 500;
            for (size_t i = 0; list[i]; i++) {
                const char *text = codes ? list[i] : t_key(rq, "care_bool_", list[i]);
                json_t *op = json_pack("{s:s, s:s, s:b}", "value", list[i], "text", text,
                                       "selected", value && strcmp(value, list[i]) == 0);
                if (!op || json_array_append_new(opts, op) != 0)
                    return 500;
            }
        }
    }
    if (json_array_size(summary) &&
        !web_sets(rq->model, "heading", web_t(rq, "error_prefix")))
        return 500;
    /* after a stored form (303 here): the record's person, by pseudonym */
    const char *p = web_query(rq, "stored"), *id = web_query(rq, "id");
    if (!posted && !o->correct && pseudo_hex_is(p)) {
        if (!web_set(rq->model, "stored",
                     json_pack("{s:s, s:s}", "pseudonym", p, "id", shown(rq, id))))
            return 500;
    }
    return 200;
}

/* The registration form of k (a new record). */
static int form(struct web_req *rq, const struct reg_kind *k, const char *const *errors,
                json_t *summary)
{
    struct web_care_form_opts o = {
        arena_printf(rq->arena, "/register/%s", reg_kind_name(k)),
        web_t(rq, "care_register_heading"), NULL, false, NULL};
    return o.action ? web_care_form(rq, k, &o, errors, summary) : 500;
}

int web_care_register_form(struct web_req *rq)
{
    const struct reg_kind *k = web_care_kind(web_param(rq, "kind"));
    if (!k)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    return form(rq, k, NULL, NULL);
}

/* Inside the transaction: the person within the scope, then the audit
 * (web_care.h). */
int web_care_check(void *arg, const char *pseudonym, int *col, struct kn_error *err)
{
    struct web_care_check_ctx *cx = arg;
    struct web_req *rq = cx->rq;
    const struct access_user *u = &rq->session->user;
    struct store *st = web_store(rq);
    bool in = false;
    int rc;
    if (!st)
        return kn_fail(err, KN_ESTORE, "no store");
    if (strcmp(reg_kind_name(cx->k), "persons") == 0) {
        const char *m = web_form(rq, "municipality");
        const struct geo_municipality *gm = m ? geo_municipality(rq->app->geo, m) : NULL;
        rc = access_scope_has_home(st, u, gm ? gm->region_code : NULL, &in, err);
        *col = reg_kind_col_index(cx->k, "municipality");
    } else {
        rc = access_scope_has_person(st, u, pseudonym, &in, err);
        *col = reg_kind_pnr_col(cx->k);
    }
    if (rc != 0)
        return rc;
    if (!in)
        return kn_fail(err, KN_EPERM, "outside the scope");
    *col = -1;
    const char *detail =
        arena_printf(rq->arena, "%s %s/%s%s%s", reg_kind_name(cx->k), cx->source_system,
                     cx->source_id, cx->reason ? ": " : "", cx->reason ? cx->reason : "");
    if (!detail)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    return web_audit(rq, cx->action, pseudonym, NULL, detail) == 0
               ? 0
               : kn_fail(err, KN_ESTORE, "the audit log failed");
}

/* The form's error for column col (message without "field 'x': "). */
const char *web_care_field_error(struct web_req *rq, const struct reg_kind *k, int col,
                                 const char *msg)
{
    const char *why = msg;
    if (strncmp(why, "field '", 7) == 0 && strstr(why, "': "))
        why = strstr(why, "': ") + 3;
    return arena_printf(rq->arena, "%s: %s",
                        col >= 0 ? t_key(rq, "care_col_", reg_kind_col(k, (size_t)col))
                                 : web_t(rq, "care_record"),
                        why);
}

int web_care_register_post(struct web_req *rq)
{
    const struct reg_kind *k = web_care_kind(web_param(rq, "kind"));
    if (!k)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    size_t nc = reg_kind_ncols(k);
    const char *fields[32];
    size_t lens[32];
    const char **errors = arena_calloc(rq->arena, nc, sizeof *errors);
    json_t *summary = json_array();
    if (!errors || !summary || nc > 32)
        return 500;
    for (size_t c = 0; c < nc; c++) {
        fields[c] = web_form(rq, reg_kind_col(k, c));
        if (fields[c] == NULL)
            fields[c] = "";
        lens[c] = strlen(fields[c]);
    }
    /* an empty source_id: a new random one */
    char gen[32];
    if (lens[1] == 0) {
        unsigned char r[8];
        randombytes_buf(r, sizeof r);
        snprintf(gen, sizeof gen, "web-");
        sodium_bin2hex(gen + 4, sizeof gen - 4, r, sizeof r);
        fields[1] = gen;
        lens[1] = strlen(gen);
    }
    struct store *st = web_store(rq);
    if (!st)
        return 500;
    struct kn_error err = KN_ERROR_INIT;
    int col = -1, rc = 0;
    const char *msg = NULL;
    /* a contact's unit: within the scope before anything is stored */
    int uc = reg_kind_col_index(k, "unit");
    if (uc >= 0 && lens[uc] > 0) {
        bool in = false;
        rc = access_scope_has_unit(st, &rq->session->user, fields[uc], &in, &err);
        if (rc == 0 && !in) {
            col = uc;
            msg = web_t(rq, "care_err_unit_scope");
        } else if (rc != 0 && rc != KN_ENOTFOUND) {
            return 500;
        }
        rc = 0;
    }
    struct reg_entry_result res;
    memset(&res, 0, sizeof res);
    res.col = -1;
    if (!msg) {
        struct pseudo_key key;
        rc = pseudo_key_load(rq->app->cfg->key_path, &key, &err);
        if (rc == 0) {
            struct web_care_check_ctx cx = {rq,        k,          fields[0],
                                            fields[1], "register", NULL};
            rc =
                reg_entry_add(st, &key, k, fields, lens, web_care_check, &cx, &res, &err);
        }
        pseudo_key_wipe(&key);
        col = res.col;
        if (rc == KN_EINPUT || rc == KN_EEXIST)
            msg = web_care_field_error(rq, k, col, err.msg);
        else if (rc == KN_EPERM)
            msg = web_t(rq, strcmp(reg_kind_name(k), "persons") == 0
                                ? "care_err_home_scope"
                                : "care_err_person_scope");
        else if (rc != 0)
            return 500;
    }
    if (msg) {
        const char *id =
            col >= 0 ? arena_printf(rq->arena, "f-%s", reg_kind_col(k, (size_t)col))
                     : "f-source_id";
        if (col >= 0)
            errors[col] = msg;
        else
            errors[1] = msg;
        if (json_array_append_new(summary,
                                  json_pack("{s:s, s:s}", "field", id, "text", msg)))
            return 500;
        return form(rq, k, errors, summary);
    }
    json_decref(summary);
    struct strbuf u = STRBUF_INIT;
    bool good =
        sb_addf(&u, "/register/%s?stored=%s&id=", reg_kind_name(k), res.pseudonym) == 0 &&
        web_url_encode(&u, fields[1], lens[1]) == 0;
    const char *loc = good ? arena_strdup(rq->arena, u.buf) : NULL;
    sb_release(&u);
    return loc ? web_redirect(rq, loc) : 500;
}
