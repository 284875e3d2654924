/* src/access/access_emergency.h: emergency access (nödåtkomst) and its
 * review.
 *
 * A user whose role may see person-level data can reach a person outside
 * their scope only by asking for emergency access with a written reason
 * (ACCESS_REASON_MIN..ACCESS_REASON_MAX bytes, no personnummer in it). The
 * access holds for the rest of the session it was asked in and for that
 * person only (access_emergency_has); the route check (web_router.c)
 * consults it. Every access stays in the store, flagged for review by the
 * coordinator of the person's region (the home region, else the region
 * of a unit of the person's care), who marks it reviewed
 * (access_emergency_review). Auditing is the caller's: the grant, each
 * view and the review are audit entries.
 */
#ifndef KNOD_ACCESS_ACCESS_EMERGENCY_H
#define KNOD_ACCESS_ACCESS_EMERGENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

#define ACCESS_REASON_MIN 10
#define ACCESS_REASON_MAX 500

struct access_emergency {
    int64_t id;
    const char *user_name, *pseudonym, *region_code, *reason; /* region may be NULL */
    kn_time at;
    const char *reviewed_by; /* NULL until reviewed */
    kn_time reviewed_at;
};

/* Is reason acceptable? 0 or KN_EINPUT saying why (never quoting it). */
int access_emergency_reason_check(const char *reason, struct kn_error *err);

/* Grant session_id's user emergency access to the person of pseudonym.
 * KN_ENOTFOUND if there is no such person; KN_EINPUT for a bad reason. */
int access_emergency_grant(struct store *st, int64_t session_id, const char *user_name,
                           const char *pseudonym, const char *reason, kn_time now,
                           struct kn_error *err);

/* Has session_id emergency access to pseudonym? */
int access_emergency_has(struct store *st, int64_t session_id, const char *pseudonym,
                         bool *has, struct kn_error *err);

/* The emergency accesses to persons of region code, newest first
 * (strings in a). */
int access_emergency_list(struct store *st, const char *code, struct access_emergency **out,
                          size_t *n, struct arena *a, struct kn_error *err);

/* Mark access id of region code reviewed by reviewer at now. KN_ENOTFOUND
 * if there is no such access in that region or it is reviewed already. */
int access_emergency_review(struct store *st, int64_t id, const char *code,
                            const char *reviewer, kn_time now, struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_EMERGENCY_H */
