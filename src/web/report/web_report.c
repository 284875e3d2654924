/* src/web/report/web_report.c: the follow-up report as a page
 * (web_report.h). */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "report/followup.h"
#include "web/report/web_report.h"
#include "web/web_db.h"
#include "web/web_i18n.h"
#include "web/web_results.h"

int web_page_report_followup(struct web_req *rq)
{
    const char *ys = web_query(rq, "year"), *region = web_query(rq, "region");
    long year = date_to_ymd(time_to_day(rq->now)).year - 1;
    if (ys) {
        char *end;
        year = strtol(ys, &end, 10);
        if (*end || end == ys || year < 2000 || year > 2199)
            return web_bad_param(rq, "year", "a year, 2000 to 2199");
    }
    if (region && !geo_region(rq->app->geo, region))
        return web_bad_param(rq, "region", "a region's code");
    struct kn_error err = KN_ERROR_INIT;
    struct followup_options fo = {(int)year, region, NULL, web_lang_code(rq->lang), 5,
                                  rq->app->cfg->min_count};
    json_t *rows = NULL, *model = NULL;
    struct store *st = web_db_store(rq->app->db, &err);
    int rc = st ? followup_rows(&rows, &rq->view->run, (int)year, &err) : err.code;
    if (rc == 0)
        rc = followup_model(&model, st, rows, rq->app->cat, rq->app->geo, &fo, rq->arena, &err);
    if (rc == 0)
        rc = followup_html(model, &rq->body, &err);
    json_decref(rows);
    json_decref(model);
    if (rc != 0) {
        log_error("/report/followup: %s", err.msg);
        return 500;
    }
    rq->content_type = "text/html; charset=utf-8";
    return 200;
}
