/* src/web/network/web_survey_close.c: a survey closed, and linked to the
 * survey before it, in the portal (web_survey_edit.h), as `knod survey
 * close` and `knod survey link` do.
 *
 *   GET/POST /surveys/{id}/close   closing asks for a confirmation (a box
 *       to tick): the links then answer that the survey is closed. Audited
 *       survey-close.
 *   GET/POST /surveys/{id}/link    the survey before it (pre/post), a
 *       select of the surveys made before it, each by its title, code,
 *       version and day (its number the value); the results page then shows
 *       the change per scale question. Audited survey-link.
 * Then 303 to the survey's page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/network/web_survey_edit.h"
#include "web/web_model.h"
#include "web/web_session.h"

static const char *const confirm[] = {"yes", NULL};
static const struct ne_field close_fields[] = {
    {"close-confirm", NE_CHECKS, confirm, true},
};

static void close_form(struct web_req *rq, struct ne_form *fm,
                       const struct survey_info *si)
{
    ne_init(fm, close_fields, 1);
    fm->action = arena_printf(rq->arena, "/surveys/%lld/close", (long long)si->id);
    fm->heading =
        arena_printf(rq->arena, "%s: %s", web_t(rq, "se_close"),
                     survey_text_in(&si->def.title, rq->lang == WEB_EN ? "en" : "sv"));
    fm->intro = web_t(rq, "se_close_intro");
    fm->submit = web_t(rq, "se_close_submit");
    fm->back = arena_printf(rq->arena, "/surveys/%lld/edit", (long long)si->id);
}

int web_survey_close(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    struct ne_form fm;
    close_form(rq, &fm, &si);
    return ne_render(rq, &fm);
}

struct arg {
    int64_t id, pre;
    kn_day today;
};

static int close_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    return survey_close(st, x->id, x->today, err);
}

static int link_fn(struct store *st, void *p, struct kn_error *err)
{
    struct arg *x = p;
    int rc = survey_link(st, x->id, x->pre, err);
    if (rc == KN_EINPUT && strncmp(err->msg, "--pre: ", 7) == 0)
        web_survey_field_msg(err, "link-pre", err->msg + 7);
    return rc;
}

/* Store fm's step fn (action), then 303 to the survey's page. */
static int finish(struct web_req *rq, struct ne_form *fm, const struct survey_info *si,
                  int (*fn)(struct store *, void *, struct kn_error *), struct arg *x,
                  const char *action, const char *detail)
{
    const char *subject = arena_printf(rq->arena, "%lld", (long long)si->id);
    int rc = ne_store(rq, fm, fn, x, action, &subject, detail);
    return ne_done(
        rq, fm, rc,
        arena_printf(rq->arena, "/surveys/%lld/edit?saved=1", (long long)si->id));
}

int web_survey_close_post(struct web_req *rq)
{
    struct survey_info si;
    int status = web_survey_load(rq, &si);
    if (status)
        return status;
    struct ne_form fm;
    close_form(rq, &fm, &si);
    ne_read(rq, &fm);
    if (!ne_get(&fm, "close-confirm"))
        ne_error(rq, &fm, "close-confirm",
                 arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_f_close_confirm"),
                              web_t(rq, "se_e_confirm")));
    struct arg x = {si.id, 0, time_to_day(rq->now)};
    return finish(rq, &fm, &si, close_fn, &x, "survey-close", "");
}

/* The form choosing the survey before si: the surveys made before it. */
static bool link_form(struct web_req *rq, struct ne_form *fm,
                      const struct survey_info *si)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct net_rows rows = {0};
    if (!st || survey_list(st, &rows, rq->arena, &err) != 0)
        return false;
    const char **ids = arena_calloc(rq->arena, rows.nrows + 1, sizeof *ids);
    const char **titles = arena_calloc(rq->arena, rows.nrows + 1, sizeof *titles);
    struct ne_field *f = arena_calloc(rq->arena, 1, sizeof *f);
    if (!ids || !titles || !f)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < rows.nrows; i++) {
        /* shown by its title, code, version and day sent (or made):
         * "Före kursen (pre-x v1, 2026-03-02)"; the value its number */
        const char *id = net_cell(&rows, i, 0), *sent = net_cell(&rows, i, 6);
        if (!id || strtoll(id, NULL, 10) >= si->id)
            continue;
        titles[n] = arena_printf(rq->arena, "%s (%s v%s, %s)", net_cell(&rows, i, 3),
                                 net_cell(&rows, i, 1), net_cell(&rows, i, 2),
                                 sent ? sent : net_cell(&rows, i, 5));
        ids[n++] = id;
    }
    *f = (struct ne_field){"link-pre", NE_SELECT, ids, true};
    ne_init(fm, f, 1);
    fm->labels[0] = titles;
    fm->action = arena_printf(rq->arena, "/surveys/%lld/link", (long long)si->id);
    fm->heading =
        arena_printf(rq->arena, "%s: %s", web_t(rq, "se_link"),
                     survey_text_in(&si->def.title, rq->lang == WEB_EN ? "en" : "sv"));
    fm->intro = web_t(rq, "se_link_intro");
    fm->submit = web_t(rq, "ne_save");
    fm->back = arena_printf(rq->arena, "/surveys/%lld/edit", (long long)si->id);
    if (si->pre_id)
        fm->v[0] = arena_printf(rq->arena, "%lld", (long long)si->pre_id);
    return fm->v[0] != NULL;
}

int web_survey_link(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    struct ne_form fm;
    if (!link_form(rq, &fm, &si))
        return 500;
    return ne_render(rq, &fm);
}

int web_survey_link_post(struct web_req *rq)
{
    struct survey_info si;
    int status = web_survey_load(rq, &si);
    if (status)
        return status;
    struct ne_form fm;
    if (!link_form(rq, &fm, &si))
        return 500;
    ne_read(rq, &fm);
    const char *pv = ne_get(&fm, "link-pre");
    char *end = NULL;
    long long pre = pv ? strtoll(pv, &end, 10) : 0;
    if (!pv)
        ne_refused(rq, &fm, "--link-pre is missing");
    else if (*end || pre < 1 || pre >= si.id)
        ne_refused(rq, &fm,
                   arena_printf(rq->arena, "--link-pre: %s", web_t(rq, "se_e_pre")));
    struct arg x = {si.id, pre, 0};
    return finish(rq, &fm, &si, link_fn, &x, "survey-link",
                  pv ? arena_printf(rq->arena, "after survey %lld", pre) : "");
}
