/* src/web/network/web_page_events_ics.c: GET /events.ics, the events calendar as
 * iCalendar (RFC 5545), public.
 *
 * The same bytes as `knod events ics [--from DATE]`: ics_feed()
 * (network/ics.h) over the store. ?from=YYYY-MM-DD keeps the events that
 * end on or after that day; without it, every event. The portal's results
 * thread has its own store connection for the indicators; the feed opens a
 * read-only connection of its own per request (a store is used by one
 * thread at a time, store.h), which costs about a millisecond, small
 * beside a calendar client's polling interval of hours. No personal data
 * is in the feed: registrations are not part of it.
 */
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "network/ics.h"
#include "web/web_pages.h"

int web_page_events_ics(struct web_req *rq)
{
    kn_day from = EV_FROM_ALL;
    const char *q = web_query(rq, "from");
    struct kn_error err = KN_ERROR_INIT;
    if (q && date_parse(q, strlen(q), &from, &err) != 0)
        return web_bad_param(rq, "from", "a date, YYYY-MM-DD");
    struct store *st = NULL;
    struct store_options so = {STORE_READONLY, rq->app->cfg->busy_timeout_ms};
    if (store_open(rq->app->cfg->store_path, &so, &st, &err) != 0) {
        log_error("/events.ics: %s", err.msg);
        rq->error = "the calendar is not available";
        return 503;
    }
    int rc = ics_feed(st, from, &rq->body, &err);
    store_close(st);
    if (rc != 0) {
        log_error("/events.ics: %s", err.msg);
        sb_reset(&rq->body);
        rq->error = "the calendar is not available";
        return 503;
    }
    rq->content_type = "text/calendar; charset=utf-8";
    rq->download_name = NULL;
    return 200;
}
