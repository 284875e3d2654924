/* src/access/access_emergency.c: emergency access and its review
 * (access_emergency.h). A handful of rows a day. */
#include "access/access_emergency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"

int access_emergency_reason_check(const char *reason, struct kn_error *err)
{
    size_t n = strlen(reason), letters = 0;
    for (const char *p = reason; *p; p++)
        letters += (unsigned char)*p > ' ';
    if (letters < ACCESS_REASON_MIN)
        return kn_fail(err, KN_EINPUT, "the reason is too short: at least %d characters",
                       ACCESS_REASON_MIN);
    if (n > ACCESS_REASON_MAX)
        return kn_fail(err, KN_EINPUT, "the reason is too long: at most %d bytes",
                       ACCESS_REASON_MAX);
    if (!utf8_valid(reason, n, NULL))
        return kn_fail(err, KN_EINPUT, "the reason is not UTF-8 text");
    if (pnr_find_shaped(reason, n, NULL, NULL))
        return kn_fail(err, KN_EINPUT, "the reason must not hold a personnummer");
    return 0;
}

static int step_once(struct store_stmt *s, struct kn_error *err)
{
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int access_emergency_grant(struct store *st, int64_t session_id, const char *user_name,
                           const char *pseudonym, const char *reason, kn_time now,
                           struct kn_error *err)
{
    struct store_stmt *s;
    if (access_emergency_reason_check(reason, err) != 0)
        return err->code;
    /* The person's home region, else the region of a unit of their care. */
    if (store_prepare(st,
                      "SELECT coalesce(p.region_code, (SELECT min(cu.region_code) FROM "
                      "contact k JOIN care_unit cu ON cu.id = k.unit_id WHERE k.person_id "
                      "= p.id)) FROM person p WHERE p.pseudonym = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, pseudonym, strlen(pseudonym));
    int rc = store_step(s, err);
    char region[16] = "";
    bool has_region = false;
    if (rc == STORE_ROW && !store_col_is_null(s, 0)) {
        snprintf(region, sizeof region, "%s", store_col_text(s, 0, NULL));
        has_region = true;
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no such person");
    if (store_prepare(st,
                      "INSERT INTO access_emergency (session_id, user_name, pseudonym, "
                      "region_code, reason, at) VALUES ($1, $2, $3, $4, $5, $6)",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, session_id);
    store_bind_text(s, 2, user_name, strlen(user_name));
    store_bind_text(s, 3, pseudonym, strlen(pseudonym));
    if (has_region)
        store_bind_text(s, 4, region, strlen(region));
    else
        store_bind_null(s, 4);
    store_bind_text(s, 5, reason, strlen(reason));
    store_bind_int(s, 6, now);
    return step_once(s, err);
}

int access_emergency_has(struct store *st, int64_t session_id, const char *pseudonym,
                         bool *has, struct kn_error *err)
{
    struct store_stmt *s;
    *has = false;
    if (store_prepare(st,
                      "SELECT 1 FROM access_emergency WHERE session_id = $1 AND pseudonym = $2",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, session_id);
    store_bind_text(s, 2, pseudonym, strlen(pseudonym));
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *has = rc == STORE_ROW;
    return 0;
}

static const char *col(struct store_stmt *s, int i, struct arena *a)
{
    return store_col_is_null(s, i) ? NULL : arena_strdup(a, store_col_text(s, i, NULL));
}

int access_emergency_list(struct store *st, const char *code, struct access_emergency **out,
                          size_t *n, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    *out = NULL;
    *n = 0;
    if (store_prepare(st,
                      "SELECT id, user_name, pseudonym, region_code, reason, at, reviewed_by, "
                      "reviewed_at FROM access_emergency WHERE region_code = $1 ORDER BY at "
                      "DESC, id DESC",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, code, strlen(code));
    size_t cap = 0;
    struct access_emergency *v = NULL;
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &v, *n, &cap, sizeof *v) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct access_emergency *e = &v[(*n)++];
        e->id = store_col_int(s, 0);
        e->user_name = col(s, 1, a);
        e->pseudonym = col(s, 2, a);
        e->region_code = col(s, 3, a);
        e->reason = col(s, 4, a);
        e->at = store_col_int(s, 5);
        e->reviewed_by = col(s, 6, a);
        e->reviewed_at = store_col_is_null(s, 7) ? 0 : store_col_int(s, 7);
    }
    store_finalize(s);
    *out = v;
    return rc < 0 ? rc : 0;
}

int access_emergency_review(struct store *st, int64_t id, const char *code,
                            const char *reviewer, kn_time now, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "UPDATE access_emergency SET reviewed_by = $1, reviewed_at = $2 WHERE "
                      "id = $3 AND region_code = $4 AND reviewed_by IS NULL",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, reviewer, strlen(reviewer));
    store_bind_int(s, 2, now);
    store_bind_int(s, 3, id);
    store_bind_text(s, 4, code, strlen(code));
    int rc = step_once(s, err);
    if (rc == 0 && store_changes(st) == 0)
        rc = kn_fail(err, KN_ENOTFOUND, "no emergency access %lld waiting for review in "
                     "region %s", (long long)id, code);
    return rc;
}
