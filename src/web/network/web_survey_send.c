/* src/web/network/web_survey_send.c: a survey's invitations made in the
 * portal (web_survey_edit.h), as `knod survey send` makes them.
 *
 *   GET/POST /surveys/{id}/send   to units (boxes of the units within the
 *       user's scope, by name), a region (a select of the regions within
 *       it) or a training (a select by title and first day, newest first;
 *       every training is public), with a count
 *       (a training's defaults to its participants). Exactly one target.
 *       The answer of the POST is the only place the links ever appear:
 *       BASE/s/TOKEN, BASE being knod.ini [web] base_url (as the
 *       newsletter's links; never the request's Host, which the client
 *       chooses), in a read-only text area to copy, inside a form that
 *       posts them back to /surveys/{id}/links.csv.
 *   POST /surveys/{id}/links.csv  the posted links as a CSV download: the
 *       server keeps no token (only their hashes), so the download is
 *       made of what the page holds; each line must be a link of this
 *       portal's form, else 400. Nothing is stored, logged or audited.
 * The sending and its audit entry survey-send (the target and the count,
 * never a token) are one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access_scope.h"
#include "base/config.h"
#include "web/network/web_survey_edit.h"
#include "web/web_csrf.h"
#include "web/web_model.h"
#include "web/web_session.h"

enum { F_UNITS, F_REGION, F_TRAINING, F_COUNT, NF };

/* A select's or boxes' choices from sql (param bound as $1 if not NULL):
 * its first column the values, its second the words shown, each
 * NULL-terminated in the arena. false on failure. */
static bool column(struct web_req *rq, const char *sql, const char *param,
                   const char *const **values, const char *const **labels)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *s;
    const char **v = NULL, **l = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    if (!st || store_prepare(st, sql, &s, &err) != 0)
        return false;
    if (param)
        store_bind_text(s, 1, param, strlen(param));
    int rc;
    while ((rc = store_step(s, &err)) == STORE_ROW)
        if (arena_grow(rq->arena, &v, n, &cap, sizeof *v) == 0 &&
            arena_grow(rq->arena, &l, n, &lcap, sizeof *l) == 0) {
            v[n] = arena_strdup(rq->arena, store_col_text(s, 0, NULL));
            l[n++] = arena_strdup(rq->arena, store_col_text(s, 1, NULL));
        }
    store_finalize(s);
    if (rc < 0 || arena_grow(rq->arena, &v, n, &cap, sizeof *v) != 0 ||
        arena_grow(rq->arena, &l, n, &lcap, sizeof *l) != 0)
        return false;
    v[n] = l[n] = NULL;
    *values = v;
    *labels = l;
    return true;
}

/* The units by name with their codes, the regions with their names and
 * the trainings by title with their first days: the values posted are
 * the codes and numbers `knod survey send` takes. */
#define UNIT_CHOICE  "SELECT code, name || ' (' || code || ')' FROM care_unit "
#define TRAINING_DAY "date(starts * 86400, 'unixepoch')"

static bool form(struct web_req *rq, struct ne_form *fm, const struct survey_info *si)
{
    const struct access_user *u = &rq->session->user;
    struct ne_field *f = arena_calloc(rq->arena, NF, sizeof *f);
    const char *code = u->scope_code ? u->scope_code : "";
    const char *const *units, *const *unit_l, *const *regions, *const *region_l,
                                                                   *const *trainings,
                                                                       *const *training_l;
    bool ok =
        f &&
        (u->scope == SCOPE_NATION
             ? column(rq, UNIT_CHOICE "ORDER BY name, code", NULL, &units, &unit_l)
         : u->scope == SCOPE_REGION
             ? column(rq, UNIT_CHOICE "WHERE region_code = $1 ORDER BY name, code", code,
                      &units, &unit_l)
             : column(rq, UNIT_CHOICE "WHERE code = $1", code, &units, &unit_l)) &&
        (u->scope == SCOPE_NATION
             ? column(rq, "SELECT code, code || ' ' || name FROM region ORDER BY code",
                      NULL, &regions, &region_l)
         : u->scope == SCOPE_REGION
             ? column(rq, "SELECT code, code || ' ' || name FROM region WHERE code = $1",
                      code, &regions, &region_l)
             : column(rq, "SELECT code, name FROM region WHERE 0", NULL, &regions,
                      &region_l)) &&
        column(rq,
               "SELECT CAST(id AS TEXT), title || ' (' || " TRAINING_DAY
               " || ')' FROM net_training ORDER BY starts DESC, id DESC",
               NULL, &trainings, &training_l);
    if (!ok)
        return false;
    f[F_UNITS] = (struct ne_field){"send-units", NE_CHECKS, units, false};
    f[F_REGION] = (struct ne_field){"send-region", NE_SELECT, regions, false};
    f[F_TRAINING] = (struct ne_field){"send-training", NE_SELECT, trainings, false};
    f[F_COUNT] = (struct ne_field){"send-count", NE_TEXT, NULL, false};
    ne_init(fm, f, NF);
    fm->labels[F_UNITS] = unit_l;
    fm->labels[F_REGION] = region_l;
    fm->labels[F_TRAINING] = training_l;
    fm->action = arena_printf(rq->arena, "/surveys/%lld/send", (long long)si->id);
    fm->heading =
        arena_printf(rq->arena, "%s: %s", web_t(rq, "se_send"),
                     survey_text_in(&si->def.title, rq->lang == WEB_EN ? "en" : "sv"));
    fm->intro = web_t(rq, "se_send_intro");
    fm->submit = web_t(rq, "se_send_submit");
    fm->back = arena_printf(rq->arena, "/surveys/%lld/edit", (long long)si->id);
    return true;
}

int web_survey_send(struct web_req *rq)
{
    struct survey_info si;
    int rc = web_survey_load(rq, &si);
    if (rc)
        return rc;
    struct ne_form fm;
    if (!form(rq, &fm, &si))
        return 500;
    return ne_render(rq, &fm);
}

struct send_arg {
    int64_t id;
    const char *kind, *target;
    long count;
    kn_day today;
    struct arena *a;
    char **tokens;
    size_t n;
    char detail[200]; /* the audit entry's: the target and the count */
};

static int send_fn(struct store *st, void *p, struct kn_error *err)
{
    struct send_arg *x = p;
    int rc = survey_send_in(st, x->id, x->kind, x->target, x->count, x->today, &x->tokens,
                            &x->n, x->a, err);
    if (rc == 0)
        snprintf(x->detail, sizeof x->detail, "%s:%s, %zu invitations", x->kind,
                 x->target, x->n);
    if ((rc == KN_EINPUT || rc == KN_EEXIST) && strncmp(err->msg, "--", 2) == 0) {
        /* "--to unit: ...", "--count: ..." name the form's fields */
        const char *field = strncmp(err->msg, "--count", 7) == 0 ? "send-count"
                            : strcmp(x->kind, "unit") == 0       ? "send-units"
                            : strcmp(x->kind, "region") == 0     ? "send-region"
                                                                 : "send-training";
        const char *reason = strchr(err->msg, ':');
        web_survey_field_msg(err, field, reason && reason[1] ? reason + 2 : err->msg);
    }
    return rc;
}

int web_survey_send_post(struct web_req *rq)
{
    struct survey_info si;
    int status = web_survey_load(rq, &si);
    if (status)
        return status;
    struct ne_form fm;
    if (!form(rq, &fm, &si))
        return 500;
    ne_read(rq, &fm);
    struct send_arg x = {si.id,     NULL, NULL, 0, time_to_day(rq->now),
                         rq->arena, NULL, 0,    ""};
    int given = !!*fm.v[F_UNITS] + !!*fm.v[F_REGION] + !!*fm.v[F_TRAINING];
    if (given != 1) {
        ne_error(rq, &fm, "send-units",
                 arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_f_send_units"),
                              web_t(rq, "se_e_one_target")));
    } else if (*fm.v[F_UNITS]) {
        x.kind = "unit";
        x.target = fm.v[F_UNITS];
    } else if (*fm.v[F_REGION]) {
        x.kind = "region";
        x.target = fm.v[F_REGION];
        if (!access_scope_has_region(&rq->session->user, x.target))
            ne_error(rq, &fm, "send-region",
                     arena_printf(rq->arena, "%s: %s", web_t(rq, "ne_f_send_region"),
                                  web_t(rq, "se_e_scope")));
    } else {
        x.kind = "training";
        x.target = fm.v[F_TRAINING];
    }
    const char *cv = ne_get(&fm, "send-count");
    char *end = NULL;
    x.count = cv ? strtol(cv, &end, 10) : 0;
    if (cv && (*end || x.count < 1 || x.count > SURVEY_INVITATIONS_MAX))
        ne_refused(rq, &fm, "--send-count: from 1 to 100000 invitations");
    else if (!cv && x.kind && strcmp(x.kind, "training") != 0)
        ne_refused(rq, &fm,
                   arena_printf(rq->arena, "--send-count: %s", web_t(rq, "se_e_count")));
    const char *subject = arena_printf(rq->arena, "%lld", (long long)si.id);
    /* the detail is send_fn's, written once the invitations are made */
    int rc = ne_store(rq, &fm, send_fn, &x, "survey-send", &subject, x.detail);
    if (rc == 1) {
        status = ne_render(rq, &fm);
    } else if (rc != 0) {
        status = 500;
    } else {
        const char *base = rq->app->cfg->web_base, *links = "";
        for (size_t i = 0; i < x.n && links; i++)
            links = arena_printf(rq->arena, "%s%s/s/%s\n", links, base, x.tokens[i]);
        const char *csrf = web_csrf_token(rq);
        rq->cache_control = "no-store";
        rq->model = json_pack(
            "{s:s, s:I, s:s, s:I, s:s, s:s, s:s?, s:s}", "heading",
            web_t(rq, "se_sent_heading"), "id", (json_int_t)si.id, "title",
            survey_text_in(&si.def.title, rq->lang == WEB_EN ? "en" : "sv"), "count",
            (json_int_t)x.n, "target", arena_printf(rq->arena, "%s:%s", x.kind, x.target),
            "links", links ? links : "", "csrf", csrf, "base", base);
        /* the template survey_send shows the links when the model has them */
        status = rq->model && links && csrf ? 200 : 500;
    }
    json_decref(fm.summary);
    return status;
}

/* Is line (len bytes) BASE/s/TOKEN? */
static bool link_ok(const char *line, size_t len, const char *base)
{
    size_t b = strlen(base);
    if (len != b + 3 + SURVEY_TOKEN_CHARS || strncmp(line, base, b) != 0 ||
        strncmp(line + b, "/s/", 3) != 0)
        return false;
    for (size_t i = b + 3; i < len; i++) {
        char c = line[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

int web_survey_links_csv(struct web_req *rq)
{
    const char *links = web_form(rq, "links");
    const char *base = rq->app->cfg->web_base;
    const char *id = web_param(rq, "id");
    size_t n = 0;
    rq->cache_control = "no-store";
    if (!links)
        return web_bad_param(rq, "links", "the links of the sending");
    sb_addstr(&rq->body, "link\r\n");
    for (const char *p = links; *p;) {
        size_t len = strcspn(p, "\r\n");
        if (len > 0) {
            if (!link_ok(p, len, base)) {
                sb_release(&rq->body);
                return web_bad_param(rq, "links", "a line that is not a survey's link");
            }
            sb_add(&rq->body, p, len);
            sb_addstr(&rq->body, "\r\n");
            n++;
        }
        p += len;
        p += strspn(p, "\r\n");
    }
    if (n == 0) {
        sb_release(&rq->body);
        return web_bad_param(rq, "links", "no links");
    }
    rq->content_type = "text/csv; charset=utf-8";
    rq->download_name = arena_printf(rq->arena, "survey-%s-links.csv", id ? id : "");
    return 200;
}
