/* src/web/care/web_page_person.c: the person-level page and what guards it.
 *
 * GET /persons/{pseudonym} shows one person's care records
 * (reg_person_view: pseudonyms and codes, never a personnummer). The
 * route admits the person-level roles within their scope, or by emergency
 * access (web_router.c decides; rq->emergency says which). The first
 * person-level page of a session asks for the purpose of use instead
 * (POST /purpose records it in the session and the audit log); every view
 * after that is audited: who, which pseudonym, the purpose, and
 * "emergency access" when so.
 *
 * GET /persons/{pseudonym}/emergency is the form to ask for emergency
 * access with a written reason; POST records it (access_emergency_grant,
 * audited "emergency-access" with the reason) and goes on to the person.
 */
#include <string.h>

#include "access/access_emergency.h"
#include "access/access_session.h"
#include "registry/reg_entry.h"
#include "registry/reg_person.h"
#include "web/web_dispatch.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_pages.h"
#include "web/web_session.h"

/* The purposes with their words, for the form. */
static json_t *purposes(struct web_req *rq)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < ACCESS_PURPOSES; i++) {
        char key[32];
        snprintf(key, sizeof key, "purpose_%s", access_purposes[i]);
        if (json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "key", access_purposes[i],
                                                  "text", web_t(rq, key), "first", i == 0)))
            return NULL;
    }
    return list;
}

/* /persons/{p}/ACTION?kind=&system=&id= of a record, in rq's arena. */
static const char *change_url(struct web_req *rq, const char *p, const char *action,
                              json_t *rec)
{
    const char *kind = json_string_value(json_object_get(rec, "form"));
    const char *sys = json_string_value(json_object_get(rec, "source_system"));
    const char *id = json_string_value(json_object_get(rec, "source_id"));
    struct strbuf u = STRBUF_INIT;
    bool good = kind && sys && id &&
                sb_addf(&u, "/persons/%s/%s?kind=%s&system=", p, action, kind) == 0 &&
                web_url_encode(&u, sys, strlen(sys)) == 0 && sb_addstr(&u, "&id=") == 0 &&
                web_url_encode(&u, id, strlen(id)) == 0;
    const char *url = good ? arena_strdup(rq->arena, u.buf) : NULL;
    sb_release(&u);
    return url;
}

/* Each record's ways to correct and delete it (web/care), and the
 * person's history of changes (registry/reg_entry.h). */
static int person_changes(struct web_req *rq, struct store *st, const char *p)
{
    json_t *records = json_object_get(rq->model, "records"), *rec, *history = NULL;
    size_t i;
    json_array_foreach(records, i, rec)
    {
        const char *c = change_url(rq, p, "correct", rec), *d = change_url(rq, p, "delete", rec);
        if (!c || !d || !web_sets(rec, "correct_url", c) || !web_sets(rec, "delete_url", d))
            return -1;
    }
    struct kn_error err = KN_ERROR_INIT;
    if (reg_entry_history(st, p, &history, &err) != 0)
        return -1;
    json_array_foreach(history, i, rec)
    {
        const char *action = json_string_value(json_object_get(rec, "action"));
        json_t *old = json_object_get(rec, "old");
        struct strbuf t = STRBUF_INIT;
        const char *k;
        json_t *v;
        json_object_foreach(old, k, v)
        {
            if (strcmp(k, "pseudonym") == 0 || strcmp(k, "source_system") == 0 ||
                strcmp(k, "source_id") == 0 || !json_string_length(v))
                continue;
            sb_addf(&t, "%s%s = %s", t.len ? "; " : "", k, json_string_value(v));
        }
        bool good = web_sets(rec, "old_text", t.len ? t.buf : "") &&
                    web_sets(rec, "action_text",
                             web_t(rq, strcmp(action ? action : "", "delete") == 0
                                           ? "care_action_delete"
                                           : "care_action_correct"));
        sb_release(&t);
        if (!good) {
            json_decref(history);
            return -1;
        }
    }
    return web_set(rq->model, "history", history) ? 0 : -1;
}

int web_page_person(struct web_req *rq)
{
    const char *p = web_param(rq, "pseudonym");
    const struct access_session *s = rq->session;
    if (!s->purpose) { /* once per session: the purpose first */
        const char *csrf = web_csrf_token(rq);
        rq->model = json_pack("{s:b, s:s, s:o}", "need_purpose", 1, "next",
                              arena_printf(rq->arena, "/persons/%s", p), "purposes",
                              purposes(rq));
        return rq->model && csrf && web_sets(rq->model, "csrf", csrf) ? 200 : 500;
    }
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = reg_person_view(st, p, &rq->model, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "err_404_text"));
    if (rc != 0)
        return 500;
    if (person_changes(rq, st, p) != 0)
        return 500;
    char key[32];
    snprintf(key, sizeof key, "purpose_%s", s->purpose);
    if (!web_sets(rq->model, "purpose", s->purpose) ||
        !web_sets(rq->model, "purpose_text", web_t(rq, key)) ||
        !web_set(rq->model, "emergency", json_boolean(rq->emergency)))
        return 500;
    if (web_audit(rq, "view-person", p, s->purpose, rq->emergency ? "emergency access" : "") !=
        0)
        return 500;
    return 200;
}

/* next if it is a person page, else "/account". */
static const char *person_next(struct web_req *rq, const char *next)
{
    size_t n = next ? strlen(next) : 0;
    if (n < 10 || n > 80 || strncmp(next, "/persons/", 9) != 0)
        return "/account";
    for (const char *c = next + 9; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            return "/account";
    return arena_strdup(rq->arena, next);
}

int web_page_purpose(struct web_req *rq)
{
    const char *purpose = web_form(rq, "purpose");
    if (!access_purpose_valid(purpose))
        return web_bad_param(rq, "purpose", web_t(rq, "purpose_err"));
    if (web_session_set_purpose(rq, purpose) != 0 ||
        web_audit(rq, "purpose", rq->session->user.name, purpose, "") != 0)
        return 500;
    const char *next = person_next(rq, web_form(rq, "next"));
    return next ? web_redirect(rq, next) : 500;
}

/* The emergency form with its errors ({field, text}). */
static int emergency_form(struct web_req *rq, const char *reason, const char *error)
{
    const char *p = web_param(rq, "pseudonym"), *csrf = web_csrf_token(rq);
    rq->model = json_pack("{s:s, s:s, s:s?}", "pseudonym", p, "reason", reason ? reason : "",
                          "reason_error", error);
    if (!rq->model || !csrf || !web_sets(rq->model, "csrf", csrf))
        return 500;
    if (error && (!web_set(rq->model, "errors", json_pack("[{s:s, s:s}]", "field", "reason",
                                                          "text", error)) ||
                  !web_sets(rq->model, "heading", web_t(rq, "error_prefix"))))
        return 500;
    return 200;
}

int web_page_emergency(struct web_req *rq)
{
    return emergency_form(rq, NULL, NULL);
}

int web_page_emergency_post(struct web_req *rq)
{
    const char *p = web_param(rq, "pseudonym"), *reason = web_form(rq, "reason");
    struct kn_error err = KN_ERROR_INIT;
    if (!reason || access_emergency_reason_check(reason, &err) != 0) {
        const char *key = !reason || err.msg[0] == '\0' || strstr(err.msg, "short")
                              ? "emergency_err_short"
                              : strstr(err.msg, "personnummer") ? "emergency_err_pnr"
                                                                : "emergency_err_long";
        /* a reason holding a personnummer is not shown again */
        bool keep = reason && strcmp(key, "emergency_err_pnr") != 0;
        return emergency_form(rq, keep ? reason : NULL, web_t(rq, key));
    }
    struct store *st = web_store(rq);
    if (!st)
        return 500;
    int rc = store_begin(st, &err);
    if (rc == 0)
        rc = access_emergency_grant(st, rq->session->id, rq->session->user.name, p, reason,
                                    rq->now, &err);
    if (rc == 0)
        rc = web_audit(rq, "emergency-access", p, NULL, reason);
    if (rc == 0)
        rc = store_commit(st, &err);
    if (rc != 0) {
        store_rollback(st);
        return rc == KN_ENOTFOUND ? web_not_found(rq, web_t(rq, "err_404_text")) : 500;
    }
    return web_redirect(rq, arena_printf(rq->arena, "/persons/%s", p));
}
