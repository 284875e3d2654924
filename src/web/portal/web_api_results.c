/* src/web/portal/web_api_results.c: GET /api/v1/results, the suppressed rows of
 * the current view with filters and pages, as JSON (the rows of
 * `knod indicators run --format json`, built by the same eng_row_json()),
 * CSV (its columns), XLSX (the same columns, typed cells: report/rep_xlsx.h),
 * FHIR MeasureReports or Kolada-shaped JSON; and
 * GET /api/v1/status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/eng_fhir.h"
#include "export/eng_kolada.h"
#include "export/eng_out.h"
#include "web/web_cache.h"
#include "report/rep_xlsx.h"
#include "base/log.h"
#include "web/web_model.h"
#include "web/web_pages.h"
#include "base/config.h"
#include "web/web_results.h"

static const char *const csv_cols[] = {
    "indicator", "version", "measure", "period", "geo_level", "geo", "geo_name", "sex", "band",
    "numerator", "denominator", "value", "lower_95", "upper_95", "lower_99_8", "upper_99_8",
    "funnel_lower_95", "funnel_upper_95", "funnel_lower_99_8", "funnel_upper_99_8", "funnel",
    "target", "status", "suppressed", "reason", "series_break", "population_year", NULL,
};

struct filter {
    const char *indicator, *measure, *period, *level, *code, *sex, *band;
};

static const char *level_word(const struct eng_result *r, size_t g)
{
    static const char *const lv[] = { "nation", "healthcare_region", "region", "fine" };
    enum eng_geo_level l = eng_geo_level(r, g);
    if (l == ENG_GEO_FINE)
        return r->def->geo_unit ? "unit" : "municipality";
    return lv[l];
}

static bool row_matches(const struct web_view *v, const struct filter *f,
                        const struct eng_result *r, int p, size_t g, int so, size_t bo)
{
    static const char *const sexes[] = { "T", "F", "M" };
    if (f->level && strcmp(f->level, level_word(r, g)) != 0)
        return false;
    if (f->code && strcmp(f->code, eng_geo_code(r, v->snap, g)) != 0)
        return false;
    if (f->sex && strcmp(f->sex, sexes[so]) != 0)
        return false;
    if (f->period) {
        char per[16];
        eng_period_text(r, p, per);
        if (strcmp(per, f->period) != 0)
            return false;
    }
    if (f->band) {
        char band[24];
        if (bo == 0)
            snprintf(band, sizeof band, "all");
        else
            snprintf(band, sizeof band, "%d-%d", r->def->bands[bo - 1].lo,
                     r->def->bands[bo - 1].hi);
        if (strcmp(band, f->band) != 0)
            return false;
    }
    return true;
}

static bool result_matches(const struct filter *f, const struct eng_result *r)
{
    if (f->indicator && strcmp(f->indicator, r->def->id) != 0)
        return false;
    return !f->measure || strcmp(f->measure, r->def->measures[r->measure].name) == 0;
}

static int parse_count(struct web_req *rq, const char *name, long lo, long hi, long dflt,
                       long *out, int *status)
{
    const char *s = web_query(rq, name);
    *out = dflt;
    if (!s)
        return 0;
    char *end;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < lo || n > hi) {
        *status = web_bad_param(rq, name, arena_printf(rq->arena, "%s takes a whole number "
                                                       "from %ld to %ld", name, lo, hi));
        return -1;
    }
    *out = n;
    return 0;
}

static void csv_field(struct strbuf *sb, const json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strpbrk(s, ",\"\n\r")) {
            sb_addstr(sb, s);
            return;
        }
        sb_addch(sb, '"');
        for (; *s; s++) {
            if (*s == '"')
                sb_addch(sb, '"');
            sb_addch(sb, *s);
        }
        sb_addch(sb, '"');
    } else if (json_is_integer(v)) {
        sb_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        sb_addf(sb, "%.17g", json_real_value(v));
    } else if (json_is_boolean(v)) {
        sb_addch(sb, json_is_true(v) ? '1' : '0');
    }
}

/* FHIR or Kolada of the results of the indicator filter (whole cubes). */
static int export_run(struct web_req *rq, const struct filter *f, bool fhir)
{
    const struct web_view *v = rq->view;
    struct eng_run sub = v->run;
    struct eng_result *rs = arena_calloc(rq->arena, v->run.n + 1, sizeof *rs);
    if (!rs)
        return 500;
    sub.results = rs;
    sub.n = 0;
    for (size_t i = 0; i < v->run.n; i++)
        if (result_matches(f, &v->run.results[i]))
            rs[sub.n++] = v->run.results[i];
    /* as the CLI: the Measures' canonical URLs under knod.ini's [fhir]
     * canonical_base; MeasureReport.date when the results were computed */
    char when[32];
    struct tm tm;
    struct eng_out_options oo = { .geo_level = -1, .fhir_base = rq->app->cfg->fhir_base };
    if (gmtime_r(&v->computed_at, &tm) && strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
        oo.fhir_date = when;
    if (f->period) {
        char *end;
        oo.year_from = oo.year_to = (int)strtol(f->period, &end, 10);
        if (*end || oo.year_from < 1900)
            return web_bad_param(rq, "period", "FHIR and Kolada exports take a year");
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&buf, &len);
    if (!mf)
        return 500;
    struct kn_error err = KN_ERROR_INIT;
    size_t skipped = 0;
    int rc = fhir ? eng_fhir_write_bundle(mf, &sub, &oo, &err)
                  : eng_kolada_write(mf, &sub, &oo, &skipped, &err);
    fclose(mf);
    if (rc == 0 && sb_add(&rq->body, buf, len) != 0)
        rc = KN_ENOMEM;
    free(buf);
    if (rc != 0)
        return 500;
    rq->content_type = fhir ? "application/fhir+json" : "application/json";
    return 200;
}

int web_api_results(struct web_req *rq)
{
    const struct web_view *v = rq->view;
    struct filter f = { web_query(rq, "indicator"), web_query(rq, "measure"),
                        web_query(rq, "period"), web_query(rq, "level"),
                        web_query(rq, "code"), web_query(rq, "sex"), web_query(rq, "band") };
    int status = 0;
    long limit, offset;
    const char *format = web_query(rq, "format");
    bool csv = format && strcmp(format, "csv") == 0;
    bool xlsx = format && strcmp(format, "xlsx") == 0;
    bool whole = csv || xlsx;
    /* JSON pages by 1000 rows unless told; a download is whole unless told */
    if (parse_count(rq, "limit", 1, whole ? 1L << 40 : 100000, whole ? 1L << 40 : 1000, &limit,
                    &status) != 0 ||
        parse_count(rq, "offset", 0, 1L << 40, 0, &offset, &status) != 0)
        return status;
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx") &&
        strcmp(format, "fhir") && strcmp(format, "kolada"))
        return web_bad_param(rq, "format", "format takes json, csv, xlsx, fhir or kolada");
    if (f.sex && strcmp(f.sex, "T") && strcmp(f.sex, "F") && strcmp(f.sex, "M"))
        return web_bad_param(rq, "sex", "sex takes T, F or M");
    if (f.level && strcmp(f.level, "nation") && strcmp(f.level, "healthcare_region") &&
        strcmp(f.level, "region") && strcmp(f.level, "municipality") && strcmp(f.level, "unit"))
        return web_bad_param(rq, "level", "level takes nation, healthcare_region, region, "
                             "municipality or unit");
    if (f.indicator && !ind_find(rq->app->cat, f.indicator))
        return web_bad_param(rq, "indicator", "no such indicator (see /api/v1/indicators)");
    if (format && (strcmp(format, "fhir") == 0 || strcmp(format, "kolada") == 0)) {
        /* whole reports of the indicators asked for: a filter they cannot
         * apply is refused rather than ignored */
        static const char *const whole_only[] = { "level", "code", "sex", "band", "limit",
                                                  "offset" };
        for (size_t i = 0; i < sizeof whole_only / sizeof whole_only[0]; i++)
            if (web_query(rq, whole_only[i]))
                return web_bad_param(rq, whole_only[i],
                                     "FHIR and Kolada exports are whole reports: they take "
                                     "indicator, measure and period only");
        return export_run(rq, &f, strcmp(format, "fhir") == 0);
    }
    json_t *rows = json_array();
    struct rep_xlsx *book = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (!rows || (xlsx && rep_xlsx_new(&book, "results", csv_cols, NULL, &err) != 0)) {
        json_decref(rows);
        return 500;
    }
    if (csv) {
        for (size_t k = 0; csv_cols[k]; k++)
            sb_addf(&rq->body, "%s%s", k ? "," : "", csv_cols[k]);
        sb_addch(&rq->body, '\n');
    }
    struct eng_out_options oo = { .geo_level = -1 };
    long total = 0;
    for (size_t i = 0; i < v->run.n; i++) {
        const struct eng_result *r = &v->run.results[i];
        if (!result_matches(&f, r))
            continue;
        for (int p = 0; p < r->nperiods; p++)
            for (size_t g = 0; g < r->ngeo; g++)
                for (int so = 0; so < 3; so++)
                    for (size_t bo = 0; bo < r->nband; bo++) {
                        if (!eng_row_shown(r, &oo, p, g, so, bo) ||
                            !row_matches(v, &f, r, p, g, so, bo))
                            continue;
                        total++;
                        if (total <= offset || total > offset + limit)
                            continue;
                        json_t *row = eng_row_json(&v->run, r, p, g, so, bo);
                        if (!row) {
                            json_decref(rows);
                            rep_xlsx_free(book);
                            return 500;
                        }
                        if (xlsx) {
                            int rc = rep_xlsx_row(book, row, &err);
                            json_decref(row);
                            if (rc != 0) {
                                json_decref(rows);
                                rep_xlsx_free(book);
                                return rc == KN_EINPUT ? web_bad_param(rq, "limit", err.msg)
                                                       : 500;
                            }
                        } else if (csv) {
                            for (size_t k = 0; csv_cols[k]; k++) {
                                if (k)
                                    sb_addch(&rq->body, ',');
                                csv_field(&rq->body, json_object_get(row, csv_cols[k]));
                            }
                            sb_addch(&rq->body, '\n');
                            json_decref(row);
                        } else {
                            json_array_append_new(rows, row);
                        }
                    }
    }
    if (xlsx) {
        json_decref(rows);
        if (rep_xlsx_finish(book, &rq->body, &err) != 0) {
            log_msg(LOG_WARN, "results as XLSX: %s", err.msg);
            return 500;
        }
        rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        rq->download_name = "knod-results.xlsx";
        return 200;
    }
    if (csv) {
        json_decref(rows);
        rq->content_type = "text/csv; charset=utf-8";
        rq->download_name = "knod-results.csv";
        return 200;
    }
    rq->model = json_pack("{s:I, s:I, s:I, s:i, s:o}", "total", (json_int_t)total, "limit",
                          (json_int_t)limit, "offset", (json_int_t)offset, "generation",
                          (int)v->generation, "results", rows);
    return rq->model ? 200 : 500;
}

int web_api_status(struct web_req *rq)
{
    const struct web_view *v = web_results_acquire(rq->app->results);
    char err[KN_ERROR_MAX], when[32] = "";
    web_results_last_error(rq->app->results, err, sizeof err);
    if (v) {
        struct tm tm;
        gmtime_r(&v->computed_at, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    size_t entries = 0, bytes = 0;
    unsigned long long hits = 0;
    if (rq->app->cache)
        web_cache_stats(rq->app->cache, &entries, &bytes, &hits);
    rq->model = json_pack("{s:b, s:i, s:s, s:f, s:I, s:s, s:I, s:I}", "ready", v != NULL,
                          "generation", v ? (int)v->generation : 0, "computed_at", when,
                          "compute_ms", v ? v->compute_ms : 0.0, "events",
                          (json_int_t)(v ? v->snap->nevents : 0), "error", err,
                          "cached_answers", (json_int_t)entries, "cache_hits",
                          (json_int_t)hits);
    web_results_release(rq->app->results, v);
    return rq->model ? 200 : 500;
}
