/* src/report/newsletter_model.c: the newsletter's model (newsletter.h).
 *
 * Every section reads through the module that owns its data: documents
 * through hub_public (what the public may see), events through ev_list,
 * trainings through training_list, results through the follow-up report's
 * model (followup_model: its headline indicators and cells, disclosure
 * control included). Nothing here queries the store itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"
#include "hub/hub_public.h"
#include "hub/hub_render.h"
#include "network/event.h"
#include "network/training.h"
#include "report/followup.h"
#include "report/newsletter.h"
#include "web/web_i18n.h"

#define INTRO_MAX (64 * 1024)

int nl_results_year(kn_day until)
{
    struct kn_ymd d = date_to_ymd(until);
    return d.month == 12 && d.day == 31 ? d.year : d.year - 1;
}

int nl_intro(const char *path, struct strbuf *md, struct kn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kn_fail(err, errno == ENOENT ? KN_EINPUT : KN_EIO, "--intro %s: %s", path,
                       strerror(errno));
    struct stat sb;
    int rc = 0;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        rc = kn_fail(err, KN_EINPUT, "--intro %s: not a regular file", path);
    else if (sb.st_size > INTRO_MAX)
        rc = kn_fail(err, KN_EINPUT, "--intro %s: larger than %d KiB", path, INTRO_MAX / 1024);
    char buf[8192];
    ssize_t n;
    while (rc == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0)
            rc = kn_fail(err, KN_EIO, "--intro %s: %s", path, strerror(errno));
        else if (sb_add(md, buf, (size_t)n) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    close(fd);
    size_t at = 0;
    if (rc == 0 && !utf8_valid(md->buf, md->len, &at))
        rc = kn_fail(err, KN_EINPUT, "--intro %s: not UTF-8 at byte %zu", path, at);
    if (rc == 0 && md->len && pnr_find_shaped(md->buf, md->len, &at, NULL)) {
        size_t line = 1;
        for (size_t k = 0; k < at; k++)
            line += md->buf[k] == '\n';
        rc = kn_fail(err, KN_EINPUT, "--intro %s:%zu: holds a number shaped like a "
                     "personnummer; the newsletter is public", path, line);
    }
    return rc;
}

struct nl_ctx {
    const struct nl_options *o;
    json_t *t; /* the words: nl_* and help_* of the language */
    bool en;
    struct store *st;
    struct arena *a;
};

static const char *word(const struct nl_ctx *c, const char *key)
{
    const char *w = json_string_value(json_object_get(c->t, key));
    return w ? w : key;
}

/* The portal's address of path followed by arg ("" for none). */
static json_t *url_of(const struct nl_ctx *c, const char *path, const char *arg)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s%s", c->o->base_url, path, arg);
    return json_string(buf);
}

/* The documents published in the period, newest first: a version 1 is
 * new, a later one revised. */
static int documents(struct nl_ctx *c, json_t *model, struct kn_error *err)
{
    struct hub_version *v = NULL;
    size_t n = 0;
    int rc = hub_public_list(c->st, &v, &n, c->a, err);
    if (rc != 0)
        return rc;
    json_t *list = json_array();
    json_object_set_new(model, "documents", list);
    /* by day published, newest first; hub_public_list gives them by
     * title, which breaks ties */
    for (kn_day d = c->o->until; d >= c->o->since; d--)
        for (size_t i = 0; i < n; i++) {
            if (v[i].published != d)
                continue;
            char day[11];
            date_format(d, day);
            json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:b,s:s,s:o}", "slug", v[i].slug, "title",
                                  v[i].title, "summary", v[i].summary ? v[i].summary : "",
                                  "version", v[i].version, "revised", v[i].version > 1,
                                  "published", day, "link",
                                  url_of(c, "/documents/", v[i].slug));
            json_object_set_new(o, "state_text",
                                json_string(word(c, v[i].version > 1 ? "nl_revised" : "nl_new")));
            if (!o || json_array_append_new(list, o) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
        }
    return 0;
}

/* The clock time of t as "HH:MM". */
static void clock(kn_time t, char out[6])
{
    char buf[20];
    time_format(t, buf);
    memcpy(out, buf + 11, 5);
    out[5] = '\0';
}

static json_t *event(struct nl_ctx *c, const struct ev_event *e)
{
    char day[11], end_day[11], from[6], to[6], when[64], id[24];
    date_format(time_to_day(e->starts), day);
    date_format(time_to_day(e->ends), end_day);
    clock(e->starts, from);
    clock(e->ends, to);
    if (strcmp(day, end_day) == 0)
        snprintf(when, sizeof when, "%s %s–%s", day, from, to);
    else
        snprintf(when, sizeof when, "%s %s – %s %s", day, from, end_day, to);
    snprintf(id, sizeof id, "%lld", (long long)e->id);
    bool full = e->capacity != EV_NO_CAPACITY && e->registered >= e->capacity;
    bool cancelled = strcmp(e->status, "cancelled") == 0;
    bool digital = strcmp(e->mode, "digital") == 0;
    /* "fully booked — recording afterwards", or a waiting list */
    const char *state = cancelled ? word(c, "nl_cancelled")
                        : full    ? word(c, e->recording ? "nl_full_recording" : "nl_full")
                                  : "";
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:s,s:o}", "id",
                     (json_int_t)e->id, "day", day, "when", when, "title", e->title,
                     "organiser", e->organiser, "mode_text",
                     word(c, digital ? "nl_digital" : "nl_on_site"), "place", e->place,
                     "digital", digital, "fully_booked", full, "recording", e->recording,
                     "cancelled", cancelled, "state_text", state, "link",
                     url_of(c, "/events/", id));
}

/* The events to come, and those of the period with a recording. */
static int events(struct nl_ctx *c, json_t *model, struct kn_error *err)
{
    struct ev_event *es = NULL;
    size_t n = 0;
    int rc = ev_list(c->st, c->o->since, &es, &n, c->a, err);
    if (rc != 0)
        return rc;
    json_t *coming = json_array(), *recorded = json_array();
    json_object_set_new(model, "coming", coming);
    json_object_set_new(model, "recorded", recorded);
    kn_day last = c->o->until + NL_AHEAD_DAYS;
    for (size_t i = 0; i < n; i++) {
        kn_day d = time_to_day(es[i].starts);
        json_t *arr = NULL;
        if (d > c->o->until && d <= last)
            arr = coming;
        else if (d >= c->o->since && d <= c->o->until && es[i].recording
                 && strcmp(es[i].status, "cancelled") != 0)
            arr = recorded;
        if (arr && json_array_append_new(arr, event(c, &es[i])) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    char last_s[11];
    date_format(last, last_s);
    json_object_set_new(model, "coming_until", json_string(last_s));
    return 0;
}

/* The trainings that started in the period (the columns of
 * training_list: id, kind, title, starts, ends, mode, target_groups,
 * organiser, participants). */
static int trainings(struct nl_ctx *c, json_t *model, struct kn_error *err)
{
    struct net_rows t = {0};
    int rc = training_list(c->st, c->o->since, c->o->until, &t, c->a, err);
    if (rc != 0)
        return rc;
    json_t *rows = net_rows_json(&t), *list = json_array();
    json_object_set_new(model, "trainings", list);
    if (!rows)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        const json_t *p = json_object_get(r, "participants");
        json_t *o = json_pack("{s:O,s:O,s:O,s:O,s:I}", "title", json_object_get(r, "title"),
                              "starts", json_object_get(r, "starts"), "ends",
                              json_object_get(r, "ends"), "organiser",
                              json_object_get(r, "organiser"), "participants",
                              json_is_integer(p) ? json_integer_value(p) : (json_int_t)0);
        if (o)
            json_object_set_new(o, "link", url_of(c, "/trainings", ""));
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(rows);
            return kn_fail(err, KN_ENOMEM, "out of memory");
        }
    }
    json_decref(rows);
    return 0;
}

/* A cell of the newsletter from a follow-up cell: its value (null when
 * hidden or missing) and the text to show. */
static json_t *cell(const struct nl_ctx *c, const json_t *fc)
{
    bool hidden = json_is_true(json_object_get(fc, "suppressed"));
    const json_t *v = json_object_get(fc, "value");
    bool shown = !hidden && json_is_number(v);
    const char *text = shown ? json_string_value(json_object_get(fc, "text"))
                       : hidden ? word(c, "nl_hidden")
                                : word(c, "nl_missing");
    const char *status = json_is_true(json_object_get(fc, "met"))       ? word(c, "nl_met")
                         : json_is_true(json_object_get(fc, "not_met")) ? word(c, "nl_not_met")
                                                                        : "";
    return json_pack("{s:o,s:s,s:b,s:s}", "value",
                     shown ? json_real(json_number_value(v)) : json_null(), "text",
                     text ? text : "", "hidden", hidden, "status", status);
}

/* The follow-up's cells of year y in its goal's "years" list. */
static const json_t *year_of(const json_t *years, int y)
{
    size_t i;
    json_t *x;
    json_array_foreach (years, i, x)
        if (json_integer_value(json_object_get(x, "year")) == y)
            return x;
    return NULL;
}

static int results(struct nl_ctx *c, json_t *model, const json_t *rows,
                   const struct ind_catalogue *cat, const struct geo *g, struct kn_error *err)
{
    int year = nl_results_year(c->o->until);
    struct followup_options fo = {year, c->o->region, NULL, c->o->lang, 5, c->o->min_count};
    json_t *fm = NULL;
    int rc = followup_model(&fm, c->st, rows, cat, g, &fo, c->a, err);
    if (rc != 0)
        return rc;
    const char *nation = json_string_value(json_object_get(json_object_get(fm, "t"),
                                                           "rep_nation"));
    const json_t *region = json_object_get(fm, "region");
    json_t *goals = json_array();
    json_t *res = json_pack("{s:i,s:i,s:o}", "year", year, "previous_year", year - 1, "goals", goals);
    json_object_set_new(model, "results", res);
    size_t i;
    json_t *fg;
    json_array_foreach (json_object_get(fm, "goals"), i, fg) {
        const json_t *years = json_object_get(fg, "years");
        const json_t *now = year_of(years, year), *before = year_of(years, year - 1);
        const char *id = json_string_value(json_object_get(fg, "id"));
        json_t *places = json_array();
        json_t *nat = json_pack("{s:s,s:o,s:o}", "place", nation ? nation : "SE", "now",
                                cell(c, now), "before", cell(c, before));
        json_array_append_new(places, nat);
        if (json_is_object(region))
            json_array_append_new(
                places, json_pack("{s:O,s:o,s:o}", "place", json_object_get(region, "name"),
                                  "now", cell(c, json_object_get(now, "region")),
                                  "before", cell(c, json_object_get(before, "region"))));
        json_t *o = json_pack("{s:O,s:s,s:O,s:O,s:o,s:o}", "heading",
                              json_object_get(fg, "heading"), "indicator", id ? id : "", "title",
                              json_object_get(fg, "title"), "target",
                              json_object_get(fg, "target"), "places", places, "link",
                              url_of(c, "/indicators/", id ? id : ""));
        if (!o || json_array_append_new(goals, o) != 0) {
            json_decref(fm);
            return kn_fail(err, KN_ENOMEM, "out of memory");
        }
    }
    json_decref(fm);
    return 0;
}

/* The words of the language the renderings use: nl_* and the help_*
 * lines of the public pages. */
static int words(struct nl_ctx *c, enum web_lang lang, struct kn_error *err)
{
    struct web_i18n *i18n = NULL;
    int rc = web_i18n_load_embedded(&i18n, err);
    if (rc != 0)
        return rc;
    const json_t *all = web_i18n_table(i18n, lang);
    const char *k;
    json_t *v;
    c->t = json_object();
    json_object_foreach ((json_t *)all, k, v)
        if (strncmp(k, "nl_", 3) == 0 || strncmp(k, "help_", 5) == 0)
            json_object_set(c->t, k, v);
    web_i18n_free(i18n);
    return 0;
}

static json_t *period_text(const struct nl_ctx *c)
{
    char a[11], b[11], buf[40];
    date_format(c->o->since, a);
    date_format(c->o->until, b);
    snprintf(buf, sizeof buf, "%s – %s", a, b);
    return json_string(buf);
}

int nl_model(json_t **out, struct store *st, const json_t *rows,
             const struct ind_catalogue *cat, const struct geo *g, const struct nl_options *o,
             struct arena *a, struct kn_error *err)
{
    enum web_lang lang;
    if (!web_lang_parse(o->lang, &lang))
        return kn_fail(err, KN_EINPUT, "--lang: sv or en");
    if (o->until < o->since)
        return kn_fail(err, KN_EINPUT, "--until: before --since");
    if (o->until - o->since >= NL_PERIOD_MAX)
        return kn_fail(err, KN_EINPUT, "--until: the period spans more than %d days",
                       NL_PERIOD_MAX);
    const struct geo_region *r = NULL;
    if (o->region && !(r = geo_region(g, o->region)))
        return kn_fail(err, KN_EINPUT, "--region: no region has the code '%s'", o->region);
    struct nl_ctx c = {.o = o, .en = lang == WEB_EN, .st = st, .a = a};
    int rc = words(&c, lang, err);
    if (rc != 0)
        return rc;
    json_t *m = json_object();
    char since[11], until[11];
    date_format(o->since, since);
    date_format(o->until, until);
    json_object_set_new(m, "lang", json_string(web_lang_code(lang)));
    json_object_set_new(m, "since", json_string(since));
    json_object_set_new(m, "until", json_string(until));
    json_object_set_new(m, "period", period_text(&c));
    json_object_set_new(m, "region", r ? json_pack("{s:s,s:s}", "code", r->code, "name", r->name)
                                       : json_null());
    json_object_set_new(m, "base_url", json_string(o->base_url));
    json_object_set_new(m, "portal_link", json_string(o->base_url));
    char subject[160];
    snprintf(subject, sizeof subject, "%s %s%s%s", word(&c, "nl_title"), json_string_value(
             json_object_get(m, "period")), r ? ", " : "", r ? r->name : "");
    json_object_set_new(m, "subject", json_string(subject));
    json_object_set_new(m, "intro_md", json_string(o->intro_md ? o->intro_md : ""));
    if (o->intro_md && *o->intro_md) {
        struct strbuf html = STRBUF_INIT;
        rc = hub_render_html(o->intro_md, strlen(o->intro_md), &html, err);
        if (rc == 0)
            json_object_set_new(m, "intro_html", json_stringn(html.buf, html.len));
        sb_release(&html);
    }
    if (rc == 0)
        rc = documents(&c, m, err);
    if (rc == 0)
        rc = events(&c, m, err);
    if (rc == 0)
        rc = trainings(&c, m, err);
    if (rc == 0)
        rc = results(&c, m, rows, cat, g, err);
    json_object_set_new(m, "t", c.t);
    if (rc != 0) {
        json_decref(m);
        return rc;
    }
    *out = m;
    return 0;
}
