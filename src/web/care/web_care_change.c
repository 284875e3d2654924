/* src/web/care/web_care_change.c: correcting and deleting a stored care
 * record (web_care.h, docs/registration.md).
 *
 * The routes name the person, so that the route table decides who may
 * reach them ("@person": within the scope, or by emergency access); the
 * record is named by kind, source_system and source_id and must be the
 * person's (else 404). The forms show person-level data: like the person
 * page they ask for the purpose first and each view is audited. A
 * correction is the record's form filled with its stored values (the
 * export's, registry/reg_export.h), the personnummer typed again, and
 * goes through the import's rules (reg_entry_correct); a deletion needs a
 * written reason (the rules of an emergency access's reason: at least 10
 * characters, no personnummer). Both keep the values before in the
 * record's history, shown on the person page, and are audited.
 */
#include <stdio.h>
#include <string.h>

#include "access/access_emergency.h"
#include "access/access_session.h"
#include "base/config.h"
#include "registry/reg_entry.h"
#include "registry/reg_export.h"
#include "web/care/web_care.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

/* The record of the request: kind, source key (query on GET, form on
 * POST) and its stored values, which must be the person's. 0, or the
 * status to answer. */
struct record {
    const struct reg_kind *k;
    const char *system, *id;
    json_t *values; /* owned */
};

static const char *arg(struct web_req *rq, const char *name)
{
    return strcmp(rq->method, "POST") == 0 ? web_form(rq, name) : web_query(rq, name);
}

static int find_record(struct web_req *rq, struct record *r)
{
    const char *p = web_param(rq, "pseudonym");
    memset(r, 0, sizeof *r);
    r->k = web_care_kind(arg(rq, "kind"));
    r->system = arg(rq, strcmp(rq->method, "POST") == 0 ? "source_system" : "system");
    r->id = arg(rq, strcmp(rq->method, "POST") == 0 ? "source_id" : "id");
    if (!r->k || !r->system || !r->id || !*r->system || !*r->id)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = reg_export_record(st, r->k, r->system, r->id, &r->values, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    if (rc != 0)
        return 500;
    const char *owner = json_string_value(json_object_get(r->values, "pseudonym"));
    if (!owner || strcmp(owner, p) != 0) {
        json_decref(r->values);
        r->values = NULL;
        return web_not_found(rq, web_t(rq, "err_404_text"));
    }
    return 0;
}

/* The purpose first (the person page asks it), then the audited view. */
static int view(struct web_req *rq, const char *what)
{
    const char *p = web_param(rq, "pseudonym");
    const struct access_session *s = rq->session;
    if (!s->purpose)
        return web_redirect(rq, arena_printf(rq->arena, "/persons/%s", p));
    return web_audit(rq, "view-person", p, s->purpose,
                     rq->emergency ? arena_printf(rq->arena, "%s, emergency access", what)
                                   : what) == 0
               ? 0
               : 500;
}

static int correct_form(struct web_req *rq, const struct record *r, const json_t *prefill,
                        const char *const *errors, json_t *summary)
{
    const char *p = web_param(rq, "pseudonym");
    struct web_care_form_opts o = {arena_printf(rq->arena, "/persons/%s/correct", p),
                                   web_t(rq, "care_correct_heading"), prefill, true, p};
    return o.action ? web_care_form(rq, r->k, &o, errors, summary) : 500;
}

int web_care_correct_form(struct web_req *rq)
{
    struct record r;
    int status = find_record(rq, &r);
    if (status == 0)
        status = view(rq, "correction form");
    if (status == 0)
        status = correct_form(rq, &r, r.values, NULL, NULL);
    json_decref(r.values);
    return status;
}

int web_care_correct_post(struct web_req *rq)
{
    struct record r;
    int status = find_record(rq, &r);
    if (status != 0)
        return status;
    json_decref(r.values);
    const struct reg_kind *k = r.k;
    size_t nc = reg_kind_ncols(k);
    const char *fields[32];
    size_t lens[32];
    const char **errors = arena_calloc(rq->arena, nc, sizeof *errors);
    json_t *summary = json_array();
    struct store *st = web_store(rq);
    if (!errors || !summary || nc > 32 || !st) {
        json_decref(summary);
        return 500;
    }
    for (size_t c = 0; c < nc; c++) {
        fields[c] = web_form(rq, reg_kind_col(k, c));
        fields[c] = fields[c] ? fields[c] : "";
        lens[c] = strlen(fields[c]);
    }
    struct kn_error err = KN_ERROR_INIT;
    struct reg_entry_result res;
    struct pseudo_key key;
    struct web_care_check_ctx cx = {rq, k, fields[0], fields[1], "correct", NULL};
    int rc = pseudo_key_load(rq->app->cfg->key_path, &key, &err);
    if (rc == 0)
        rc = reg_entry_correct(st, &key, k, fields, lens, rq->session->user.name, rq->now,
                               web_care_check, &cx, &res, &err);
    pseudo_key_wipe(&key);
    if (rc == 0) {
        json_decref(summary);
        return web_redirect(rq, arena_printf(rq->arena, "/persons/%s", res.pseudonym));
    }
    const char *msg;
    if (rc == KN_EINPUT || rc == KN_ENOTFOUND)
        msg = web_care_field_error(rq, k, res.col, err.msg);
    else if (rc == KN_EPERM)
        msg = web_t(rq, "care_err_person_scope");
    else {
        json_decref(summary);
        return 500;
    }
    int col = res.col >= 0 ? res.col : 1;
    errors[col] = msg;
    if (json_array_append_new(
            summary,
            json_pack("{s:s, s:s}", "field",
                      arena_printf(rq->arena, "f-%s", reg_kind_col(k, (size_t)col)),
                      "text", msg)) != 0)
        return 500;
    return correct_form(rq, &r, NULL, errors, summary);
}

/* The deletion page: the record's values and the reason field. */
static int delete_form(struct web_req *rq, const struct record *r, const char *reason,
                       const char *error)
{
    const char *csrf = web_csrf_token(rq);
    json_t *vals = json_array();
    const char *key;
    json_t *v;
    rq->model =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s?}", "pseudonym",
                  web_param(rq, "pseudonym"), "kind", reg_kind_name(r->k), "kind_label",
                  web_t(rq, arena_printf(rq->arena, "care_kind_%s", reg_kind_name(r->k))),
                  "system", r->system, "id", r->id, "reason", reason ? reason : "",
                  "values", vals, "reason_error", error);
    if (!rq->model || !vals || !csrf || !web_sets(rq->model, "csrf", csrf))
        return 500;
    json_object_foreach(r->values, key, v)
    {
        if (strcmp(key, "source_system") == 0 || strcmp(key, "source_id") == 0)
            continue;
        const char *label = strcmp(key, "pseudonym") == 0
                                ? web_t(rq, "person_pseudonym")
                                : web_t(rq, arena_printf(rq->arena, "care_col_%s", key));
        if (json_array_append_new(vals,
                                  json_pack("{s:s, s:O}", "label", label, "value", v)))
            return 500;
    }
    if (error && (!web_set(rq->model, "errors",
                           json_pack("[{s:s, s:s}]", "field", "reason", "text", error)) ||
                  !web_sets(rq->model, "heading", web_t(rq, "error_prefix"))))
        return 500;
    return 200;
}

int web_care_delete_form(struct web_req *rq)
{
    struct record r;
    int status = find_record(rq, &r);
    if (status == 0)
        status = view(rq, "deletion form");
    if (status == 0)
        status = delete_form(rq, &r, NULL, NULL);
    json_decref(r.values);
    return status;
}

int web_care_delete_post(struct web_req *rq)
{
    struct record r;
    int status = find_record(rq, &r);
    if (status != 0)
        return status;
    const char *reason = web_form(rq, "reason");
    struct kn_error err = KN_ERROR_INIT;
    if (!reason || access_emergency_reason_check(reason, &err) != 0) {
        const char *key = !reason || strstr(err.msg, "short") ? "emergency_err_short"
                          : strstr(err.msg, "personnummer")   ? "emergency_err_pnr"
                                                              : "emergency_err_long";
        /* a reason holding a personnummer is not shown again */
        bool keep = reason && strcmp(key, "emergency_err_pnr") != 0;
        status = delete_form(rq, &r, keep ? reason : NULL, web_t(rq, key));
        json_decref(r.values);
        return status;
    }
    struct store *st = web_store(rq);
    struct reg_entry_result res;
    struct web_care_check_ctx cx = {rq, r.k, r.system, r.id, "delete", reason};
    int rc =
        st ? reg_entry_delete(st, r.k, r.system, r.id, reason, rq->session->user.name,
                              rq->now, web_care_check, &cx, &res, &err)
           : KN_ESTORE;
    if (rc == KN_EINPUT) { /* other records refer to it */
        status = delete_form(rq, &r, reason, web_t(rq, "care_err_referred"));
        json_decref(r.values);
        return status;
    }
    json_decref(r.values);
    if (rc == KN_EPERM) {
        rq->error = web_t(rq, "care_err_person_scope");
        return 403;
    }
    if (rc != 0)
        return 500;
    return web_redirect(
        rq, arena_printf(rq->arena, "/persons/%s", web_param(rq, "pseudonym")));
}
