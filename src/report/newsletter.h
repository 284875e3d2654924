/* src/report/newsletter.h: the network's newsletter, composed from data.
 *
 * `knod newsletter --since DAY --until DAY --out DIR` and the portal's
 * /newsletter preview put together, for a period (both days inclusive):
 *   - the public documents first published or revised in the period, as
 *     hub_public shows them (never a draft, a version under review or an
 *     archived document): title, summary, link;
 *   - the events to come (starting within NL_AHEAD_DAYS after the period):
 *     date, time, title, organiser, digital or on site, fully booked; and
 *     the events of the period that said a recording follows;
 *   - the trainings that started in the period, with their participants;
 *   - the results: the three goals' headline indicators (the follow-up
 *     report's, followup_model()) for the latest full year of the period
 *     against the year before and the target, for the nation and a region.
 *     Every figure is a published row of the engine's output under
 *     disclosure control: a hidden value is the word "hidden", never a
 *     number;
 *   - the help information the public pages carry (safe messaging).
 *
 * One jansson model (nl_model) feeds three renderings: an HTML e-mail
 * (nl_html: one file, inline styles, a single column, no script, no image,
 * no external resource), plain text wrapped at NL_WIDTH columns with the
 * links as numbered footnotes (nl_text), and a MIME multipart/alternative
 * message holding both (nl_eml: UTF-8, base64, a Subject, no To:). Links
 * are absolute, on [web] base_url. Nothing in them depends on the clock:
 * the message's Date is the day after the period and its Message-ID a
 * hash of the content, so the same data gives the same bytes.
 *
 * Sizes: tens of documents and events a period; everything is built in
 * memory.
 */
#ifndef KNOD_REPORT_NEWSLETTER_H
#define KNOD_REPORT_NEWSLETTER_H

#include <jansson.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "domain/geo.h"
#include "lang/ind.h"
#include "store/store.h"

#define NL_WIDTH 72       /* columns of the plain text */
#define NL_AHEAD_DAYS 60  /* coming events: this many days after the period */
#define NL_PERIOD_MAX 366 /* days a period may span */

struct nl_options {
    kn_day since, until;  /* the period, both inclusive; since <= until */
    const char *lang;     /* "sv" or "en" */
    const char *region;   /* a region's code: its results beside the nation's; or NULL */
    const char *base_url; /* the portal's base, http(s) without a trailing '/' */
    const char *intro_md; /* the introduction in Markdown (nl_intro), or NULL */
    int min_count;        /* [disclosure] min_count (passed to the follow-up model) */
};

/* The year whose results a newsletter of [since, until] shows: the last
 * calendar year that has ended by until. */
int nl_results_year(kn_day until);

/* Read the introduction from path (Markdown, at most 64 KiB) into md.
 * KN_EINPUT "--intro PATH:LINE: ..." when it holds something shaped like
 * a personnummer (the message never repeats it) or is not UTF-8; KN_EIO
 * when it cannot be read. */
int nl_intro(const char *path, struct strbuf *md, struct kn_error *err);

/* The newsletter's model. rows: the engine's published rows of the
 * results year and the year before (followup_rows_years()). KN_EINPUT naming the option (--since,
 * --until, --lang, --region); KN_ESTORE. */
int nl_model(json_t **out, struct store *st, const json_t *rows,
             const struct ind_catalogue *cat, const struct geo *g, const struct nl_options *o,
             struct arena *a, struct kn_error *err);

/* The model as an HTML e-mail (web/templates/newsletter_mail.html). */
int nl_html(const json_t *model, struct strbuf *out, struct kn_error *err);

/* The model as plain text, no line longer than NL_WIDTH columns (a URL
 * longer than a line stands alone on its line), links as footnotes. */
int nl_text(const json_t *model, struct strbuf *out, struct kn_error *err);

/* The MIME message of both: multipart/alternative, text then HTML, each
 * UTF-8 in base64; Subject from the model, Date and Message-ID from the
 * period and the content. */
int nl_eml(const json_t *model, const struct strbuf *text, const struct strbuf *html,
           struct strbuf *out, struct kn_error *err);

#endif /* KNOD_REPORT_NEWSLETTER_H */
