/* src/consult/consult.h: consultations in individual cases.
 *
 * A unit of a region or municipality asks an NHV clinic or a knowledge node
 * for advice in one case (consult_ask), with a de-identified summary: any
 * text field holding a personnummer-shaped string is refused without
 * echoing it. The party asked triages it (consult_triage), answers it
 * (consult_answer, possibly accepting a referral) and may close it. The
 * response time is counted in Swedish working days (base/workday.h) from
 * the day asked to the day answered, and consult_stats gives the share
 * answered within N working days, per region and for the nation, with
 * Wilson intervals. A consultation not yet answered counts as not answered
 * within N once N working days have passed, and is left out before that.
 */
#ifndef KNOD_CONSULT_CONSULT_H
#define KNOD_CONSULT_CONSULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "store/store.h"

struct consult_request {
    const char *region_code, *asking_unit, *asking_role, *asked_party, *urgency, *summary;
};

/* Store a new consultation asked at time at; *id gets its number. */
int consult_ask(struct store *st, const struct consult_request *r, kn_time at,
                int64_t *id, struct kn_error *err);
int consult_triage(struct store *st, int64_t id, kn_time at, struct kn_error *err);
int consult_answer(struct store *st, int64_t id, const char *answer, bool referral,
                   kn_time at, struct kn_error *err);

struct consult_row {
    int64_t id;
    kn_time asked, answered; /* answered 0 if not yet */
    const char *region_code, *asking_unit, *asking_role, *asked_party, *urgency, *summary,
        *status, *answer;
    bool referral;
    int working_days; /* asked -> answered, or -> today while open */
};

/* Consultations asked in [from, to] (days), oldest first; today counts
 * the working days of open ones. */
int consult_list(struct store *st, kn_day from, kn_day to, kn_day today,
                 struct consult_row **out, size_t *n, struct arena *a,
                 struct kn_error *err);

struct consult_share {
    char region_code[3]; /* "" for the nation */
    int answered_within, counted;
    double value, lo, hi; /* percent, 95 % Wilson */
};

/* The share answered within days working days of those asked in [from,
 * to], per region (in code order) and last the nation. */
int consult_stats(struct store *st, kn_day from, kn_day to, kn_day today, int days,
                  struct consult_share **out, size_t *n, struct arena *a,
                  struct kn_error *err);

/* The consultations v[0..n) as rows for a download (consult_rows.c):
 * id, asked, answered, region, asking_unit, asking_role, asked_party,
 * urgency, status, referral (0/1), working_days. Never the case text (the
 * summary and the answer): a download leaves the portal, and the case is
 * read in the portal by its two parties only (docs/network.md). */
int consult_rows(const struct consult_row *v, size_t n, struct net_rows *out,
                 struct arena *a, struct kn_error *err);

/* The shares v[0..n) of consult_stats for days working days as rows:
 * region ("nation" last), days, answered_within, counted, value, lower_95,
 * upper_95 (empty when nothing was counted). */
int consult_stats_rows(const struct consult_share *v, size_t n, int days,
                       struct net_rows *out, struct arena *a, struct kn_error *err);

#endif /* KNOD_CONSULT_CONSULT_H */
