/* src/web/network/web_net_newsletter.c: the newsletter's preview for
 * coordinators and administrators (report/newsletter.h).
 *
 *   GET /newsletter, /api/v1/newsletter   the newsletter of ?since= to
 *       ?until= (default: the 30 days up to today), ?region= for a
 *       region's results beside the nation's, in the request's language:
 *       the model `knod newsletter --format json` prints (without its
 *       words), as a page in the portal's layout or as JSON.
 *       ?format=html|txt|eml answers the e-mail, the text or the MIME
 *       message as a download, the bytes `knod newsletter` writes.
 *
 * The results are the portal's own (rq->view: suppressed), so the preview
 * shows what the public pages show.
 */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "report/followup.h"
#include "report/newsletter.h"
#include "web/network/web_net.h"
#include "web/web_model.h"
#include "web/web_results.h"
#include "web/web_session.h"

#define DEFAULT_DAYS 30

/* ?format=html|txt|eml: the rendering of model as a download. */
static int download(struct web_req *rq, const json_t *model, const char *f)
{
    struct kn_error err = KN_ERROR_INIT;
    struct strbuf html = STRBUF_INIT, text = STRBUF_INIT;
    bool is_html = strcmp(f, "html") == 0, is_txt = strcmp(f, "txt") == 0;
    int rc = nl_html(model, &html, &err);
    if (rc == 0)
        rc = nl_text(model, &text, &err);
    if (rc == 0)
        rc = is_html ? sb_add(&rq->body, html.buf, html.len)
             : is_txt ? sb_add(&rq->body, text.buf, text.len)
                      : nl_eml(model, &text, &html, &rq->body, &err);
    sb_release(&html);
    sb_release(&text);
    if (rc != 0) {
        log_error("/newsletter: %s", err.msg);
        sb_reset(&rq->body);
        return 500;
    }
    rq->content_type = is_html  ? "text/html; charset=utf-8"
                       : is_txt ? "text/plain; charset=utf-8"
                                : "message/rfc822";
    rq->download_name = arena_printf(rq->arena, "newsletter-%s-%s.%s",
                                     json_string_value(json_object_get(model, "since")),
                                     json_string_value(json_object_get(model, "until")), f);
    return rq->download_name ? 200 : 500;
}

int web_net_newsletter(struct web_req *rq)
{
    kn_day until, since;
    int status = 500;
    if (!web_net_day(rq, "until", time_to_day(rq->now), &until, &status) ||
        !web_net_day(rq, "since", until - (DEFAULT_DAYS - 1), &since, &status))
        return status;
    if (until < since || until - since >= NL_PERIOD_MAX)
        return web_bad_param(rq, "until", web_t(rq, "nl_err_period"));
    const char *region = web_query(rq, "region");
    if (region && !*region)
        region = NULL;
    if (region && !geo_region(rq->app->geo, region))
        return web_bad_param(rq, "region", web_t(rq, "net_err_region"));
    const char *f = web_query(rq, "format");
    if (f && *f && strcmp(f, "json") && strcmp(f, "html") && strcmp(f, "txt") &&
        strcmp(f, "eml"))
        return web_bad_param(rq, "format", web_t(rq, "nl_err_format"));
    struct store *st = web_store(rq);
    if (!st)
        return 500;
    struct nl_options o = {since, until, web_lang_code(rq->lang), region,
                           rq->app->cfg->web_base, NULL, rq->app->cfg->min_count};
    struct kn_error err = KN_ERROR_INIT;
    json_t *rows = NULL, *model = NULL;
    int year = nl_results_year(until);
    int rc = followup_rows_years(&rows, &rq->view->run, year - 1, year, &err);
    if (rc == 0)
        rc = nl_model(&model, st, rows, rq->app->cat, rq->app->geo, &o, rq->arena, &err);
    json_decref(rows);
    if (rc != 0) {
        log_error("/newsletter: %s", err.msg);
        return 500;
    }
    if (f && *f && strcmp(f, "json") != 0) {
        rc = download(rq, model, f);
        json_decref(model);
        return rc;
    }
    /* the page reads the portal's words; the API answers the data */
    json_object_del(model, "t");
    json_object_del(model, "intro_md");
    char q[96];
    snprintf(q, sizeof q, "since=%s&until=%s%s%s",
             json_string_value(json_object_get(model, "since")),
             json_string_value(json_object_get(model, "until")), region ? "&region=" : "",
             region ? region : "");
    if (!web_sets(model, "query", q)) {
        json_decref(model);
        return 500;
    }
    rq->model = model;
    return 200;
}
