/* src/web/network/web_survey_report.c: the surveys and their results for
 * coordinators and admins (web_survey.h).
 *
 * The numbers are survey/survey_report.h's, with knod.ini's min_count:
 * a hidden count is null in JSON and a gap in the chart, never a zero.
 * Each question that has options gets a bar chart of its shares (chart_bar
 * from src/report: role=img, a title and a description) with its table
 * beside it in the page. The free text is listed, masked as the report
 * masks it; the route is for coordinators and admins only. ?format=csv or
 * xlsx downloads the same results as the rows of `knod survey report ID
 * --format csv` (the same bytes for the CSV, in the page's language).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "survey/survey_report.h"
#include "chart/chart.h"
#include "web/network/web_net.h"
#include "web/network/web_survey.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

static const char *lang_of(const struct web_req *rq)
{
    return rq->lang == WEB_EN ? "en" : "sv";
}

int web_survey_list(struct web_req *rq)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct net_rows rows = {0};
    if (!st || survey_list(st, &rows, rq->arena, &err) != 0)
        return 500;
    json_t *list = net_rows_json(&rows);
    rq->model = list ? json_pack("{s:o}", "surveys", list) : NULL;
    if (!rq->model)
        return 500;
    if (rq->api)
        return 200;
    /* the page links a survey's own page to who may open it (@survey) */
    json_t *o;
    size_t i;
    json_array_foreach(list, i, o)
    {
        const char *path = arena_printf(
            rq->arena, "/surveys/%lld/edit",
            (long long)json_integer_value(json_object_get(o, "id")));
        if (!path || !web_set(o, "may_edit", json_boolean(web_route_may(rq, "GET", path))))
            return 500;
    }
    return 200;
}

static json_t *num_or_null(long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *day_or_null(kn_day d)
{
    char buf[11];
    if (!d)
        return json_null();
    date_format(d, buf);
    return json_string(buf);
}

/* The bar chart of question rq, as SVG, or NULL (the table stays). */
static const char *chart(struct web_req *rq, const struct survey_res_question *r, size_t k)
{
    const char *lang = lang_of(rq);
    json_t *bars = json_array();
    for (size_t i = 0; bars && i < r->q->noptions; i++) {
        const struct survey_res_option *o = &r->o[i];
        bool shown = o->count >= 0 && r->respondents > 0;
        double share = shown ? 100.0 * (double)o->count / (double)r->respondents : 0;
        const char *text = shown ? arena_printf(rq->arena, "%.0f %%", share)
                                 : web_t(rq, "survey_hidden");
        json_t *b = json_pack("{s:s, s:o, s:s}", "label", survey_text_in(&o->opt->label, lang),
                              "value", shown ? json_real(share) : json_null(), "text", text);
        if (!b || json_array_append_new(bars, b) != 0) {
            json_decref(bars);
            return NULL;
        }
    }
    json_t *m = bars ? json_pack("{s:s, s:s, s:s, s:s, s:o}", "id",
                                 arena_printf(rq->arena, "q%zu", k), "title",
                                 survey_text_in(&r->q->text, lang), "desc",
                                 web_t(rq, "survey_chart_desc"), "unit", "%", "bars", bars)
                     : NULL;
    struct strbuf svg = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    const char *out = NULL;
    if (m && chart_bar(m, &svg, &err) == 0)
        out = arena_strndup(rq->arena, svg.buf, svg.len);
    sb_release(&svg);
    json_decref(m);
    return out;
}

static json_t *question(struct web_req *rq, const struct survey_res_question *r, size_t k)
{
    const char *lang = lang_of(rq);
    const struct survey_question *q = r->q;
    json_t *m = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "id", q->id, "kind",
                          SURVEY_KINDS[q->kind], "text", survey_text_in(&q->text, lang),
                          "respondents", num_or_null(r->respondents), "mean",
                          r->has_mean ? json_real(r->mean) : json_null(), "hidden",
                          r->respondents < 0);
    if (!m)
        return NULL;
    json_t *opts = json_array(), *texts = json_array();
    if (!opts || !texts || json_object_set_new(m, "options", opts) != 0 ||
        json_object_set_new(m, "texts", texts) != 0)
        goto fail;
    for (size_t i = 0; r->o && i < q->noptions; i++) {
        const struct survey_res_option *o = &r->o[i];
        bool shown = o->count >= 0 && r->respondents > 0;
        json_t *e = json_pack(
            "{s:s, s:s, s:o, s:o, s:s}", "value", o->opt->value, "label",
            survey_text_in(&o->opt->label, lang), "count", num_or_null(o->count), "share",
            shown ? json_real((double)o->count / (double)r->respondents) : json_null(),
            "status", o->reason ? o->reason : "");
        if (!e || json_array_append_new(opts, e) != 0)
            goto fail;
        if (!rq->api &&
            !web_sets(e, "share_text",
                      shown ? arena_printf(rq->arena, "%.0f %%",
                                           100.0 * (double)o->count / (double)r->respondents)
                            : web_t(rq, "survey_hidden")))
            goto fail;
    }
    for (size_t t = 0; t < r->ntexts; t++)
        if (json_array_append_new(texts, json_string(r->texts[t])) != 0)
            goto fail;
    if (!rq->api && r->has_mean &&
        !web_sets(m, "mean_text", arena_printf(rq->arena, "%.2f", r->mean)))
        goto fail;
    if (!rq->api && r->o && r->respondents > 0) {
        const char *svg = chart(rq, r, k);
        if (svg && !web_sets(m, "svg", svg))
            goto fail;
    }
    return m;
fail:
    json_decref(m);
    return NULL;
}

/* The page's words for the rows of the change (survey_change): the
 * question's text, "Mean" for a mean row, the means to two decimals with
 * the change signed, and "hidden" for a count disclosure control hid,
 * as "pre_text", "post_text", "change_text", "question_text" and
 * "option_text" (the JSON keeps the numbers). */
static bool change_words(struct web_req *rq, const struct survey_def *d, const char *lang,
                         json_t *rows)
{
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        const char *qid = json_string_value(json_object_get(o, "question"));
        const char *opt = json_string_value(json_object_get(o, "option"));
        const struct survey_question *q = qid ? survey_def_question(d, qid) : NULL;
        bool mean = opt && strcmp(opt, "mean") == 0;
        const char *side[2] = {"pre", "post"}, *text[2];
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(
                o, arena_printf(rq->arena, "%s_%s", side[k], mean ? "mean" : "count"));
            text[k] = json_is_number(v) ? arena_printf(rq->arena, mean ? "%.2f" : "%.0f",
                                                       json_number_value(v))
                      : mean            ? ""
                                        : web_t(rq, "survey_hidden");
        }
        json_t *c = json_object_get(o, "change");
        if (!web_sets(o, "question_text", q ? survey_text_in(&q->text, lang) : qid) ||
            !web_sets(o, "option_text", mean ? web_t(rq, "survey_mean") : opt) ||
            !web_sets(o, "pre_text", text[0]) || !web_sets(o, "post_text", text[1]) ||
            !web_sets(o, "change_text",
                      json_is_number(c)
                          ? arena_printf(rq->arena, "%+.2f", json_number_value(c))
                          : ""))
            return false;
    }
    return true;
}

int web_survey_report(struct web_req *rq)
{
    struct store *st = web_store(rq);
    const char *idv = web_param(rq, "id");
    char *end;
    long long id = idv ? strtoll(idv, &end, 10) : 0;
    if (!idv || *end || id < 1)
        return web_not_found(rq, web_t(rq, "survey_no_such"));
    if (!st)
        return 500;
    struct kn_error err = KN_ERROR_INIT;
    struct survey_result r;
    int rc = survey_result(st, id, rq->app->cfg->min_count, true, &r, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "survey_no_such"));
    if (rc != 0)
        return 500;
    /* ?format=csv|xlsx: the rows of `knod survey report ID --format csv` */
    struct net_rows t;
    const char *f = web_query(rq, "format");
    if (f && *f && strcmp(f, "json") != 0)
        return survey_result_rows(&r, lang_of(rq), &t, rq->arena, &err) != 0
                   ? 500
                   : web_net_export(rq, &t, arena_printf(rq->arena, "survey-%lld", id));
    const char *lang = lang_of(rq);
    json_t *qs = json_array();
    json_t *s = json_pack(
        "{s:I, s:s, s:i, s:s, s:b, s:o, s:o, s:o, s:I, s:o, s:i, s:o}", "id", (json_int_t)id,
        "code", r.info.code, "version", r.info.version, "title",
        survey_text_in(&r.info.def.title, lang), "anonymous", r.info.anonymous,
        "created_on", day_or_null(r.info.created_on), "sent_on",
        day_or_null(r.info.sent_on), "closed_on", day_or_null(r.info.closed_on),
        "invitations", (json_int_t)r.info.invitations, "responses",
        num_or_null(r.responses), "min_count", r.min_count, "pre_id",
        r.info.pre_id ? json_integer(r.info.pre_id) : json_null());
    rq->model = json_pack("{s:o, s:o}", "survey", s, "questions", qs);
    if (!rq->model || !qs)
        return 500;
    for (size_t k = 0; k < r.info.def.nq; k++) {
        json_t *q = question(rq, &r.q[k], k);
        if (!q || json_array_append_new(qs, q) != 0)
            return 500;
    }
    json_t *change = json_null();
    if (r.info.pre_id) {
        struct net_rows rows = {0};
        if (survey_change(st, id, rq->app->cfg->min_count, &rows, rq->arena, &err) != 0 ||
            !(change = net_rows_json(&rows)))
            return 500;
    }
    /* the page asks has_change, not change.0: inside {{#change.0}} a
     * row's own "change" (its difference) hid the array, so the table
     * had no rows */
    if (!web_set(rq->model, "change", change) ||
        (!rq->api &&
         (!web_sets(rq->model, "heading", survey_text_in(&r.info.def.title, lang)) ||
          !change_words(rq, &r.info.def, lang, change) ||
          !web_set(rq->model, "has_change", json_boolean(json_array_size(change) > 0)))))
        return 500;
    return 200;
}
