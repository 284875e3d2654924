/* src/report/newsletter_text.c: the newsletter as plain text (newsletter.h).
 *
 * Lines are wrapped at NL_WIDTH columns (a column per code point: the
 * words are Swedish and English text, no wide characters); a word longer
 * than a line (a URL) stands alone on its line. Links become footnotes,
 * "[n]" after the item and "[n] URL" at the end, one number per URL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "report/newsletter.h"

struct tx {
    struct strbuf *out;
    const json_t *m, *t;
    json_t *links; /* the footnotes' URLs, in order */
    int rc;
};

static const char *w(const struct tx *x, const char *key)
{
    const char *s = json_string_value(json_object_get(x->t, key));
    return s ? s : key;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static size_t cols(const char *s, size_t len)
{
    return utf8_length(s, len);
}

static void add(struct tx *x, const char *s, size_t len)
{
    if (x->rc == 0 && sb_add(x->out, s, len) != 0)
        x->rc = KN_ENOMEM;
}

static void spaces(struct tx *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        add(x, " ", 1);
}

/* text wrapped: the first line indented by first, the others by rest. */
static void wrap(struct tx *x, const char *text, size_t first, size_t rest)
{
    size_t col = 0, indent = first;
    bool line_empty = true;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n' && *e != '\t')
            e++;
        size_t wc = cols(p, (size_t)(e - p));
        if (!line_empty && col + 1 + wc > NL_WIDTH) {
            add(x, "\n", 1);
            indent = rest;
            line_empty = true;
        }
        if (line_empty) {
            spaces(x, indent);
            col = indent;
        } else {
            add(x, " ", 1);
            col++;
        }
        add(x, p, (size_t)(e - p));
        col += wc;
        line_empty = false;
        p = e;
    }
    add(x, "\n", 1);
}

/* The footnote mark of url: " [n]", a number per URL. */
static void note(struct tx *x, const char *url, char *buf, size_t cap)
{
    size_t i;
    json_t *u;
    json_array_foreach (x->links, i, u)
        if (strcmp(json_string_value(u), url) == 0) {
            snprintf(buf, cap, " [%zu]", i + 1);
            return;
        }
    json_array_append_new(x->links, json_string(url));
    snprintf(buf, cap, " [%zu]", json_array_size(x->links));
}

static void heading(struct tx *x, const char *h)
{
    add(x, "\n", 1);
    wrap(x, h, 0, 0);
    size_t n = cols(h, strlen(h));
    for (size_t i = 0; i < n && i < NL_WIDTH; i++)
        add(x, "-", 1);
    add(x, "\n", 1);
}

/* "TEXT [n]" of an item's first line, wrapped as a list item. */
static void item(struct tx *x, const char *text, const char *url)
{
    char mark[24] = "";
    if (url && *url)
        note(x, url, mark, sizeof mark);
    char *line = NULL;
    size_t len = strlen(text) + strlen(mark) + 3;
    if (x->rc == 0 && !(line = malloc(len)))
        x->rc = KN_ENOMEM;
    if (line) {
        snprintf(line, len, "* %s%s", text, mark);
        wrap(x, line, 0, 2);
        free(line);
    }
}

/* The introduction's Markdown, each source line wrapped on its own (a
 * list item's continuation indented under its text). */
static void intro(struct tx *x, const char *md)
{
    const char *p = md;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = malloc(n + 1);
        if (!line) {
            x->rc = KN_ENOMEM;
            return;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        size_t lead = strspn(line, " ");
        size_t rest = lead + ((line[lead] == '-' || line[lead] == '*') && line[lead + 1] == ' '
                                  ? 2 : 0);
        if (line[lead] == '\0')
            add(x, "\n", 1);
        else
            wrap(x, line + lead, lead, rest);
        free(line);
        p = e ? e + 1 : p + n;
    }
}

static void buf_item(struct tx *x, char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void buf_item(struct tx *x, char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    wrap(x, buf, 2, 2);
}

static void documents(struct tx *x)
{
    heading(x, w(x, "nl_docs_heading"));
    const json_t *list = json_object_get(x->m, "documents");
    if (json_array_size(list) == 0)
        wrap(x, w(x, "nl_docs_none"), 0, 0);
    size_t i;
    json_t *d;
    char buf[1024];
    json_array_foreach (list, i, d) {
        snprintf(buf, sizeof buf, "%s (%s, %s)", str(d, "title"), str(d, "state_text"),
                 str(d, "published"));
        item(x, buf, str(d, "link"));
        if (*str(d, "summary"))
            wrap(x, str(d, "summary"), 2, 2);
    }
}

static void event_list(struct tx *x, const json_t *list)
{
    size_t i;
    json_t *e;
    char buf[1024];
    json_array_foreach (list, i, e) {
        snprintf(buf, sizeof buf, "%s: %s", str(e, "when"), str(e, "title"));
        item(x, buf, str(e, "link"));
        const char *place = str(e, "place"), *state = str(e, "state_text");
        buf_item(x, buf, sizeof buf, "%s: %s. %s%s%s.%s%s%s", w(x, "nl_organiser"),
                 str(e, "organiser"), str(e, "mode_text"), *place ? ", " : "", place,
                 *state ? " " : "", state, *state ? "." : "");
    }
}

static void events(struct tx *x)
{
    heading(x, w(x, "nl_events_heading"));
    const json_t *coming = json_object_get(x->m, "coming");
    if (json_array_size(coming) == 0)
        wrap(x, w(x, "nl_events_none"), 0, 0);
    event_list(x, coming);
    const json_t *rec = json_object_get(x->m, "recorded");
    if (json_array_size(rec)) {
        heading(x, w(x, "nl_recorded_heading"));
        event_list(x, rec);
    }
}

static void trainings(struct tx *x)
{
    const json_t *list = json_object_get(x->m, "trainings");
    if (json_array_size(list) == 0)
        return;
    heading(x, w(x, "nl_trainings_heading"));
    size_t i;
    json_t *t;
    char buf[1024];
    json_array_foreach (list, i, t) {
        snprintf(buf, sizeof buf, "%s–%s: %s, %s. %lld %s", str(t, "starts"), str(t, "ends"),
                 str(t, "title"), str(t, "organiser"),
                 (long long)json_integer_value(json_object_get(t, "participants")),
                 w(x, "nl_participants"));
        item(x, buf, str(t, "link"));
    }
}

static void results(struct tx *x)
{
    const json_t *r = json_object_get(x->m, "results");
    char buf[1024];
    snprintf(buf, sizeof buf, "%s %lld", w(x, "nl_results_heading"),
             (long long)json_integer_value(json_object_get(r, "year")));
    heading(x, buf);
    wrap(x, w(x, "nl_results_text"), 0, 0);
    long long year = json_integer_value(json_object_get(r, "year"));
    size_t i, k;
    json_t *g, *p;
    json_array_foreach (json_object_get(r, "goals"), i, g) {
        add(x, "\n", 1);
        snprintf(buf, sizeof buf, "%s: %s", str(g, "heading"), str(g, "title"));
        item(x, buf, str(g, "link"));
        buf_item(x, buf, sizeof buf, "%s: %s", w(x, "nl_target"), str(g, "target"));
        json_array_foreach (json_object_get(g, "places"), k, p) {
            const json_t *now = json_object_get(p, "now");
            const json_t *before = json_object_get(p, "before");
            const char *status = str(now, "status");
            buf_item(x, buf, sizeof buf, "%s: %lld %s%s%s%s; %lld %s", str(p, "place"), year,
                     str(now, "text"), *status ? " (" : "", status, *status ? ")" : "",
                     year - 1, str(before, "text"));
        }
    }
}

static void help(struct tx *x)
{
    heading(x, w(x, "help_heading"));
    wrap(x, w(x, "help_text"), 0, 0);
    static const char *const lines[] = {"help_112", "help_1177", "help_mind", "help_bris"};
    char buf[512];
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        snprintf(buf, sizeof buf, "- %s", w(x, lines[i]));
        wrap(x, buf, 0, 2);
    }
}

int nl_text(const json_t *model, struct strbuf *out, struct kn_error *err)
{
    struct tx x = {.out = out, .m = model, .t = json_object_get(model, "t"),
                   .links = json_array()};
    char buf[512];
    snprintf(buf, sizeof buf, "%s: %s", w(&x, "nl_title"), w(&x, "nl_kicker"));
    wrap(&x, buf, 0, 0);
    const json_t *region = json_object_get(model, "region");
    snprintf(buf, sizeof buf, "%s%s%s", str(model, "period"), json_is_object(region) ? ", " : "",
             json_is_object(region) ? str(region, "name") : "");
    wrap(&x, buf, 0, 0);
    const char *md = str(model, "intro_md");
    if (*md) {
        add(&x, "\n", 1);
        intro(&x, md);
    }
    documents(&x);
    events(&x);
    trainings(&x);
    results(&x);
    help(&x);
    add(&x, "\n", 1);
    snprintf(buf, sizeof buf, "%s %s", w(&x, "nl_footer"), str(model, "portal_link"));
    wrap(&x, buf, 0, 0);
    if (json_array_size(x.links)) {
        heading(&x, w(&x, "nl_links"));
        size_t i;
        json_t *u;
        json_array_foreach (x.links, i, u) {
            snprintf(buf, sizeof buf, "[%zu] %s", i + 1, json_string_value(u));
            wrap(&x, buf, 0, 4);
        }
    }
    json_decref(x.links);
    return x.rc == 0 ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
}
