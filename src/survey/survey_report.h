/* src/survey/survey_report.h: a survey's results per question, with small
 * groups suppressed, and the change between a pre and a post survey.
 *
 * The rule is the project's (disclosure/sup.h, docs/indicators.md "Disclosure
 * control"), with min_count from knod.ini [disclosure]:
 *
 * - the number of responses is shown when it is 0 or at least min_count;
 *   below that, nothing of the survey is shown;
 * - a question answered by fewer than min_count respondents is not shown
 *   at all (neither its respondents nor any count);
 * - an option chosen 1 .. min_count - 1 times is hidden (count); the
 *   options of a single choice or scale question add up to its
 *   respondents (shown), so when exactly one of them is hidden a second is
 *   hidden too (complementary): the smallest shown option with a non-zero
 *   count, else any shown option. A multiple choice question's options do
 *   not add up to anything, so none is hidden for another's sake;
 * - a scale's mean is shown only when none of its options is hidden (the
 *   mean and the shown counts would give the hidden ones away);
 * - free text is listed only when asked for (coordinators and admins), for
 *   a question shown by the rules above, every personnummer-shaped number
 *   masked, in byte order (not in the order of the answers).
 *
 * Shares are of the question's respondents (a multiple choice question's
 * shares may sum to more than 1). Everything lives in the caller's arena.
 */
#ifndef KNOD_SURVEY_SURVEY_REPORT_H
#define KNOD_SURVEY_SURVEY_REPORT_H

#include <stdbool.h>

#include "survey/survey.h"

struct survey_res_option {
    const struct survey_option *opt;
    long count; /* -1 when hidden */
    const char *reason; /* "" shown, "count" or "complementary" */
};

struct survey_res_question {
    const struct survey_question *q;
    long respondents; /* -1 when the question is hidden */
    struct survey_res_option *o; /* q->noptions; NULL for free text */
    bool has_mean;
    double mean; /* scale only, when has_mean */
    const char **texts; /* free text, when asked for and shown */
    size_t ntexts;
};

struct survey_result {
    struct survey_info info;
    int min_count;
    long responses; /* -1 when hidden */
    struct survey_res_question *q; /* info.def.nq */
};

/* The results of survey id under min_count; free_text lists the texts. */
int survey_result(struct store *st, int64_t id, int min_count, bool free_text,
                  struct survey_result *out, struct arena *a, struct kn_error *err);

/* Hide the counts c[0..n) as the rule above says; additive when they sum
 * to a shown total (single choice, scale). hidden[i] gets 0 (shown), 1
 * (count) or 2 (complementary). Exposed for the tests. */
void survey_suppress(const long *c, size_t n, bool additive, int min_count, int *hidden);

/* The results as rows: question, kind, option, label (in lang), count,
 * share, respondents, mean, status ("", "hidden: fewer than N answers",
 * "count", "complementary"); a free text question gives one row, then one
 * per text (option "text", label the text). */
int survey_result_rows(const struct survey_result *r, const char *lang,
                       struct net_rows *out, struct arena *a, struct kn_error *err);

/* The change from the survey before post (survey_link) to post, per scale
 * question of the same id in both: one row per option with the
 * respondents, count and share before (pre_*) and after (post_*), and a
 * row "mean" with pre_mean, post_mean and change (post less pre); NULL
 * wherever the rule hides it. KN_EINPUT when post has no pre. */
int survey_change(struct store *st, int64_t post, int min_count, struct net_rows *out,
                  struct arena *a, struct kn_error *err);

#endif /* KNOD_SURVEY_SURVEY_REPORT_H */
