/* src/consult/consult.c: consultations in individual cases (consult.h). */
#include "consult/consult.h"

#include <string.h>

#include "base/workday.h"
#include "domain/pnr_shape.h"
#include "stats/stat.h"

static int bind_text(struct store_stmt *s, int i, const char *v)
{
    return v ? store_bind_text(s, i, v, strlen(v)) : store_bind_null(s, i);
}

int consult_ask(struct store *st, const struct consult_request *r, kn_time at,
                int64_t *id, struct kn_error *err)
{
    static const char *const names[] = {"region",      "asking_unit", "asking_role",
                                        "asked_party", "urgency",     "summary"};
    const char *vals[] = {r->region_code, r->asking_unit, r->asking_role,
                          r->asked_party, r->urgency,     r->summary};
    for (int i = 0; i < 6; i++) {
        if (!vals[i] || !*vals[i])
            return kn_fail(err, KN_EINPUT, "'%s' is missing", names[i]);
        if (pnr_find_shaped(vals[i], strlen(vals[i]), NULL, NULL))
            return kn_fail(err, KN_EINPUT,
                           "'%s' holds a personnummer-shaped number: a "
                           "consultation carries a de-identified case only",
                           names[i]);
    }
    if (strcmp(r->urgency, "acute") != 0 && strcmp(r->urgency, "urgent") != 0 &&
        strcmp(r->urgency, "routine") != 0)
        return kn_fail(err, KN_EINPUT, "'urgency': acute, urgent or routine");
    if (strlen(r->summary) > 4000)
        return kn_fail(err, KN_EINPUT, "'summary': at most 4000 bytes");
    struct store_stmt *s;
    if (store_prepare(st, "SELECT 1 FROM region WHERE code = $1", &s, err) != 0)
        return err->code;
    bind_text(s, 1, r->region_code);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_EINPUT, "'region': '%.8s' is not a region code",
                       r->region_code);
    if (rc < 0)
        return rc;
    if (store_prepare(
            st,
            "INSERT INTO net_consultation (asked, region_code, asking_unit, "
            "asking_role, asked_party, urgency, summary, status) VALUES ($1, $2, $3, "
            "$4, $5, $6, $7, 'asked')",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, at);
    for (int i = 0; i < 6; i++)
        bind_text(s, i + 2, i == 4 ? r->urgency : vals[i]);
    rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *id = store_last_insert_id(st);
    return 0;
}

/* Move consultation id from one of the states in `from` (a list like
 * "asked,triaged") with sql; KN_ENOTFOUND or KN_EINPUT naming its state. */
static int move(struct store *st, int64_t id, const char *from, struct store_stmt *s,
                struct kn_error *err)
{
    struct store_stmt *q;
    char state[16] = "";
    if (store_prepare(st, "SELECT status FROM net_consultation WHERE id = $1", &q, err) !=
        0) {
        store_finalize(s);
        return err->code;
    }
    store_bind_int(q, 1, id);
    int rc = store_step(q, err);
    if (rc == STORE_ROW)
        strncpy(state, store_col_text(q, 0, NULL), sizeof state - 1);
    store_finalize(q);
    if (rc == STORE_DONE)
        rc = kn_fail(err, KN_ENOTFOUND, "no consultation %lld", (long long)id);
    else if (rc == STORE_ROW && !strstr(from, state))
        rc = kn_fail(err, KN_EINPUT, "consultation %lld is %s already", (long long)id,
                     state);
    else if (rc == STORE_ROW)
        rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int consult_triage(struct store *st, int64_t id, kn_time at, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(
            st,
            "UPDATE net_consultation SET status = 'triaged', triaged = $1 WHERE "
            "id = $2",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, at);
    store_bind_int(s, 2, id);
    return move(st, id, "asked", s, err);
}

int consult_answer(struct store *st, int64_t id, const char *answer, bool referral,
                   kn_time at, struct kn_error *err)
{
    struct store_stmt *s;
    if (!answer || !*answer)
        return kn_fail(err, KN_EINPUT, "'answer' is missing");
    if (pnr_find_shaped(answer, strlen(answer), NULL, NULL))
        return kn_fail(err, KN_EINPUT,
                       "'answer' holds a personnummer-shaped number: a "
                       "consultation carries a de-identified case only");
    if (store_prepare(
            st,
            "UPDATE net_consultation SET status = 'answered', answered = $1, answer = "
            "$2, referral = $3 WHERE id = $4 AND $1 >= asked",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, at);
    bind_text(s, 2, answer);
    store_bind_int(s, 3, referral);
    store_bind_int(s, 4, id);
    int rc = move(st, id, "asked,triaged", s, err);
    if (rc == 0 && store_changes(st) == 0)
        rc = kn_fail(err, KN_EINPUT,
                     "consultation %lld: the answer is dated before the "
                     "question",
                     (long long)id);
    return rc;
}

static const char *col(struct store_stmt *s, int i, struct arena *a)
{
    const char *t = store_col_text(s, i, NULL);
    return arena_strdup(a, t ? t : "");
}

int consult_list(struct store *st, kn_day from, kn_day to, kn_day today,
                 struct consult_row **out, size_t *n, struct arena *a,
                 struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 0, count = 0;
    struct consult_row *v = NULL;
    if (store_prepare(
            st,
            "SELECT id, asked, answered, region_code, asking_unit, asking_role, "
            "asked_party, urgency, summary, status, answer, referral FROM "
            "net_consultation WHERE asked >= $1 AND asked < $2 ORDER BY asked, id",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, time_from_day(from));
    store_bind_int(s, 2, time_from_day(to + 1));
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &v, count, &cap, sizeof *v) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct consult_row *r = &v[count++];
        r->id = store_col_int(s, 0);
        r->asked = store_col_int(s, 1);
        r->answered = store_col_is_null(s, 2) ? 0 : store_col_int(s, 2);
        r->region_code = col(s, 3, a);
        r->asking_unit = col(s, 4, a);
        r->asking_role = col(s, 5, a);
        r->asked_party = col(s, 6, a);
        r->urgency = col(s, 7, a);
        r->summary = col(s, 8, a);
        r->status = col(s, 9, a);
        r->answer = col(s, 10, a);
        r->referral = store_col_int(s, 11) != 0;
        r->working_days = workday_count(time_to_day(r->asked),
                                        r->answered ? time_to_day(r->answered) : today);
    }
    store_finalize(s);
    *out = v;
    *n = count;
    return rc < 0 ? rc : 0;
}

int consult_stats(struct store *st, kn_day from, kn_day to, kn_day today, int days,
                  struct consult_share **out, size_t *n, struct arena *a,
                  struct kn_error *err)
{
    struct consult_row *rows;
    size_t nrows;
    int rc = consult_list(st, from, to, today, &rows, &nrows, a, err);
    if (rc)
        return rc;
    /* Regions in code order as they occur, then the nation. */
    struct consult_share *v = arena_calloc(a, nrows + 1, sizeof *v);
    if (!v)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    size_t nv = 0;
    for (size_t i = 0; i < nrows; i++) {
        const struct consult_row *r = &rows[i];
        bool open = r->answered == 0;
        if (open && r->working_days <= days)
            continue; /* may still be answered in time */
        bool within = !open && r->working_days <= days;
        size_t k;
        for (k = 0; k < nv && strcmp(v[k].region_code, r->region_code) != 0; k++)
            ;
        if (k == nv) {
            /* keep code order: insert sorted */
            for (k = 0; k < nv && strcmp(v[k].region_code, r->region_code) < 0; k++)
                ;
            memmove(&v[k + 1], &v[k], (nv - k) * sizeof *v);
            memset(&v[k], 0, sizeof *v);
            strncpy(v[k].region_code, r->region_code, 2);
            nv++;
        }
        v[k].counted++;
        v[k].answered_within += within;
    }
    struct consult_share nation = {.region_code = ""};
    for (size_t k = 0; k < nv; k++) {
        nation.counted += v[k].counted;
        nation.answered_within += v[k].answered_within;
    }
    v[nv++] = nation;
    for (size_t k = 0; k < nv; k++) {
        if (v[k].counted == 0)
            continue;
        struct stat_ci ci = stat_wilson(v[k].answered_within, v[k].counted, 0.95);
        v[k].value = 100.0 * ci.value; /* as the engine's proportions */
        v[k].lo = 100.0 * ci.lower;
        v[k].hi = 100.0 * ci.upper;
    }
    *out = v;
    *n = nv;
    return 0;
}
