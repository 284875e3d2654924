/* src/report/followup_surveys.c: the follow-up report's surveys, those
 * closed in the year, with small groups hidden as the survey reports hide
 * them (survey/survey_report.h; followup.h, followup_impl.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network/net_rows.h"
#include "survey/survey.h"
#include "survey/survey_report.h"
#include "report/followup_impl.h"

static const char *text_of(const struct fu_ctx *c, const struct survey_text *t)
{
    return c->en && t->en && *t->en ? t->en : t->sv;
}

/* A count, or "protected" when the rule hides it (-1). */
static json_t *count_text(const struct fu_ctx *c, long n)
{
    char buf[48];
    if (n < 0)
        return json_string(fu_word(c, "rep_suppressed"));
    fu_fmt(c, (double)n, 0, buf, sizeof buf);
    return json_string(buf);
}

static json_t *question(const struct fu_ctx *c, const struct survey_res_question *rq)
{
    json_t *q = json_object(), *opts = json_array();
    json_object_set_new(q, "text", json_string(text_of(c, &rq->q->text)));
    json_object_set_new(q, "hidden", json_boolean(rq->respondents < 0));
    json_object_set_new(q, "respondents", count_text(c, rq->respondents));
    for (size_t i = 0; rq->respondents >= 0 && i < rq->q->noptions; i++) {
        const struct survey_res_option *o = &rq->o[i];
        char share[48] = "";
        if (o->count >= 0 && rq->respondents > 0)
            fu_fmt(c, 100.0 * (double)o->count / (double)rq->respondents, 0, share,
                   sizeof share);
        json_array_append_new(opts, json_pack("{s:s,s:o,s:s}", "label",
                                              text_of(c, &o->opt->label), "count",
                                              count_text(c, o->count), "share", share));
    }
    json_object_set_new(q, "options", opts);
    if (rq->has_mean) {
        char mean[48];
        fu_fmt(c, rq->mean, 1, mean, sizeof mean);
        json_object_set_new(q, "mean", json_string(mean));
    }
    return q;
}

int fu_surveys(struct fu_ctx *c, json_t *model, struct kn_error *err)
{
    struct net_rows list = {0};
    json_t *out = json_array();
    json_object_set_new(model, "surveys", out);
    if (survey_list(c->st, &list, c->a, err) != 0)
        return err->code;
    char year[8];
    snprintf(year, sizeof year, "%d-", c->o->year);
    size_t col_id = 0, col_closed = 0;
    for (size_t k = 0; k < list.ncols; k++) {
        if (strcmp(list.cols[k].name, "id") == 0)
            col_id = k;
        if (strcmp(list.cols[k].name, "closed_on") == 0)
            col_closed = k;
    }
    for (size_t r = 0; r < list.nrows; r++) {
        const char *closed = net_cell(&list, r, col_closed);
        if (!closed || strncmp(closed, year, 5) != 0)
            continue;
        struct survey_result res;
        int64_t id = strtoll(net_cell(&list, r, col_id), NULL, 10);
        if (survey_result(c->st, id, c->o->min_count, false, &res, c->a, err) != 0)
            return err->code;
        json_t *s = json_object(), *qs = json_array();
        json_object_set_new(s, "title", json_string(text_of(c, &res.info.def.title)));
        json_object_set_new(s, "closed", json_string(closed));
        json_object_set_new(s, "hidden", json_boolean(res.responses < 0));
        json_object_set_new(s, "responses", count_text(c, res.responses));
        json_object_set_new(s, "invitations", count_text(c, (long)res.info.invitations));
        for (size_t k = 0; res.responses >= 0 && k < res.info.def.nq; k++)
            if (res.q[k].q->kind != SURVEY_TEXT) /* free text stays with the coordinators */
                json_array_append_new(qs, question(c, &res.q[k]));
        json_object_set_new(s, "questions", qs);
        if (json_array_append_new(out, s) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    return 0;
}
