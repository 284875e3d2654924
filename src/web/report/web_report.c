/* src/web/report/web_report.c: the follow-up report as a page and as a
 * download (web_report.h). */
#include <stdlib.h>
#include <string.h>

#include "access/access_scope.h"
#include "access/access_session.h"
#include "base/date.h"
#include "base/log.h"
#include "report/followup.h"
#include "web/report/web_report.h"
#include "web/web_db.h"
#include "web/web_i18n.h"
#include "web/web_model.h"
#include "web/web_results.h"

/* The report's model of the request's ?year= and ?region= (checked) into
 * *out; *year and *region (NULL: the nation) as read. Returns 0, or the
 * status of the answer (400 naming the parameter, 403 outside the
 * scope, 500). */
static int report_model(struct web_req *rq, json_t **out, long *year, const char **region)
{
    const char *ys = web_query(rq, "year");
    *region = web_query(rq, "region");
    if (*region && !**region)
        *region = NULL;
    *year = date_to_ymd(time_to_day(rq->now)).year - 1;
    if (ys && *ys) {
        char *end;
        *year = strtol(ys, &end, 10);
        if (*end || end == ys || *year < 2000 || *year > 2199)
            return web_bad_param(rq, "year", "a year, 2000 to 2199");
    }
    if (*region && !geo_region(rq->app->geo, *region))
        return web_bad_param(rq, "region", "a region's code");
    if (*region && !access_scope_has_region(&rq->session->user, *region)) {
        rq->error = web_t(rq, "rep_err_scope");
        return 403;
    }
    struct kn_error err = KN_ERROR_INIT;
    struct followup_options fo = {(int)*year, *region, NULL, web_lang_code(rq->lang), 5,
                                  rq->app->cfg->min_count};
    json_t *rows = NULL;
    struct store *st = web_db_store(rq->app->db, &err);
    int rc = st ? followup_rows(&rows, &rq->view->run, (int)*year, &err) : err.code;
    if (rc == 0)
        rc = followup_model(out, st, rows, rq->app->cat, rq->app->geo, &fo, rq->arena, &err);
    json_decref(rows);
    if (rc != 0) {
        log_error("/report/followup: %s", err.msg);
        return 500;
    }
    return 0;
}

/* The name `knod report followup` gives the file. */
static const char *file_name(struct web_req *rq, long year, const char *region)
{
    return region ? arena_printf(rq->arena, "followup-%ld-%s.html", year, region)
                  : arena_printf(rq->arena, "followup-%ld.html", year);
}

/* The form's choices: the last six whole years (and the one shown), the
 * nation and the regions within the user's scope. */
static bool choices(struct web_req *rq, json_t *m, long year, const char *region)
{
    long last = date_to_ymd(time_to_day(rq->now)).year - 1;
    long hi = year > last ? year : last, lo = year < last - 5 ? year : last - 5;
    json_t *ys = json_array(), *rs = json_array();
    if (!web_set(m, "form_years", ys) || !web_set(m, "form_regions", rs))
        return false;
    for (long y = hi; y >= lo; y--)
        if (json_array_append_new(ys, json_pack("{s:I, s:b}", "value", (json_int_t)y,
                                                "selected", y == year)) != 0)
            return false;
    const struct geo *g = rq->app->geo;
    for (size_t i = 0; i < g->nregions; i++) {
        const struct geo_region *r = &g->regions[i];
        if (!access_scope_has_region(&rq->session->user, r->code))
            continue;
        if (json_array_append_new(rs, json_pack("{s:s, s:s, s:b}", "value", r->code, "name",
                                                r->name, "selected",
                                                region && strcmp(region, r->code) == 0)) != 0)
            return false;
    }
    return web_sets(m, "download",
                    arena_printf(rq->arena, "/report/followup.html?year=%ld&region=%s", year,
                                 region ? region : "")) &&
           web_sets(m, "download_name", file_name(rq, year, region));
}

int web_page_report_followup(struct web_req *rq)
{
    json_t *model = NULL, *page = NULL;
    long year;
    const char *region;
    int status = report_model(rq, &model, &year, &region);
    if (status != 0)
        return status;
    struct kn_error err = KN_ERROR_INIT;
    int rc = followup_page_model(&page, model, &err);
    json_decref(model);
    if (rc != 0) {
        log_error("/report/followup: %s", err.msg);
        return 500;
    }
    rq->model = page;
    return choices(rq, page, year, region) ? 200 : 500;
}

int web_page_report_followup_file(struct web_req *rq)
{
    json_t *model = NULL;
    long year;
    const char *region;
    int status = report_model(rq, &model, &year, &region);
    if (status != 0)
        return status;
    struct kn_error err = KN_ERROR_INIT;
    int rc = followup_html(model, &rq->body, &err);
    json_decref(model);
    if (rc != 0) {
        log_error("/report/followup.html: %s", err.msg);
        return 500;
    }
    rq->content_type = "text/html; charset=utf-8";
    rq->download_name = file_name(rq, year, region);
    return 200;
}
