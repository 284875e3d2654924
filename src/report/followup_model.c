/* src/report/followup_model.c: the follow-up report's model, its words
 * and its free-text sections (followup.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/pnr_shape.h"
#include "hub/hub_render.h"
#include "report/followup_impl.h"
#include "export/eng_out.h"
#include "web/web_i18n.h"

const char *const FOLLOWUP_TEXTS[] = {
    "intro",      "goals",   "pathway",     "trainings", "consultations",
    "activities", "surveys", "conclusions", NULL,
};

#define TEXT_MAX (256 * 1024) /* bytes of one section */

const char *fu_word(const struct fu_ctx *c, const char *key)
{
    const char *w = json_string_value(json_object_get(c->words, key));
    return w ? w : key;
}

void fu_fmt(const struct fu_ctx *c, double v, int decimals, char *buf, size_t cap)
{
    char raw[64];
    if (!isfinite(v)) {
        snprintf(buf, cap, "–");
        return;
    }
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    if (strcmp(raw, "-0") == 0 || strcmp(raw, "-0.0") == 0)
        memmove(raw, raw + 1, strlen(raw));
    /* group the whole part in threes (a no-break space), then the
     * decimal sign of the language */
    const char *dot = strchr(raw, '.');
    size_t whole = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t start = raw[0] == '-' ? 1 : 0, o = 0;
    for (size_t i = 0; i < whole && o + 4 < cap; i++) {
        if (i > start && (whole - i) % 3 == 0 && whole - start > 4) {
            buf[o++] = (char)0xc2; /* U+00A0 */
            buf[o++] = (char)0xa0;
        }
        buf[o++] = raw[i];
    }
    if (dot && o + 1 < cap) {
        buf[o++] = c->en ? '.' : ',';
        for (const char *p = dot + 1; *p && o + 1 < cap; p++)
            buf[o++] = *p;
    }
    buf[o] = '\0';
}

/* Read DIR/NAME.md into out (missing: 0 and out empty). */
static int read_text(int dfd, const char *dir, const char *file, struct strbuf *out,
                     struct kn_error *err)
{
    int fd = openat(dfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0
                               : kn_fail(err, KN_EIO, "%s/%s: %s", dir, file, strerror(errno));
    struct stat sb;
    int rc = 0;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        rc = kn_fail(err, KN_EINPUT, "%s/%s: not a regular file", dir, file);
    else if (sb.st_size > TEXT_MAX)
        rc = kn_fail(err, KN_EINPUT, "%s/%s: larger than %d KiB", dir, file, TEXT_MAX / 1024);
    char buf[8192];
    ssize_t n;
    while (rc == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0)
            rc = kn_fail(err, KN_EIO, "%s/%s: %s", dir, file, strerror(errno));
        else if (sb_add(out, buf, (size_t)n) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    close(fd);
    return rc;
}

static bool known_text(const char *file)
{
    size_t n = strlen(file);
    if (n < 4 || strcmp(file + n - 3, ".md") != 0)
        return false;
    for (size_t i = 0; FOLLOWUP_TEXTS[i]; i++)
        if (strlen(FOLLOWUP_TEXTS[i]) == n - 3 && strncmp(file, FOLLOWUP_TEXTS[i], n - 3) == 0)
            return true;
    return false;
}

int followup_texts(json_t **out, const char *dir, struct kn_error *err)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return kn_fail(err, KN_EINPUT, "--text %s: %s", dir, strerror(errno));
    json_t *t = json_object();
    int rc = t ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    /* a file that is no section is refused: a misspelt name would
     * otherwise drop its text from the report without a word, so a folder
     * that cannot be listed (no descriptor left for the listing, say) is
     * an error too, never a listing skipped */
    int lfd = rc == 0 ? dup(dfd) : -1;
    DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
    if (rc == 0 && !d) {
        rc = kn_fail(err, KN_EIO, "--text %s: cannot list the folder: %s", dir,
                     strerror(errno));
        if (lfd >= 0)
            close(lfd);
    }
    struct dirent *e = NULL;
    while (rc == 0) {
        errno = 0;
        if ((e = readdir(d)) == NULL) {
            if (errno != 0)
                rc = kn_fail(err, KN_EIO, "--text %s: cannot list the folder: %s", dir,
                             strerror(errno));
            break;
        }
        if (e->d_name[0] != '.' && !known_text(e->d_name))
            rc = kn_fail(err, KN_EINPUT, "%s/%s: not a section of the report (the sections: "
                         "intro, goals, pathway, trainings, consultations, activities, "
                         "surveys, conclusions, as NAME.md)", dir, e->d_name);
    }
    if (d)
        closedir(d);
    for (size_t i = 0; rc == 0 && FOLLOWUP_TEXTS[i]; i++) {
        char file[64];
        snprintf(file, sizeof file, "%s.md", FOLLOWUP_TEXTS[i]);
        struct strbuf md = STRBUF_INIT, html = STRBUF_INIT;
        rc = read_text(dfd, dir, file, &md, err);
        size_t at = 0;
        if (rc == 0 && md.len && pnr_find_shaped(md.buf, md.len, &at, NULL)) {
            size_t line = 1;
            for (size_t k = 0; k < at; k++)
                line += md.buf[k] == '\n';
            rc = kn_fail(err, KN_EINPUT, "%s/%s:%zu: holds a number shaped like a "
                         "personnummer; the report is public", dir, file, line);
        }
        if (rc == 0 && md.len)
            rc = hub_render_html(md.buf, md.len, &html, err);
        if (rc == 0 && md.len)
            json_object_set_new(t, FOLLOWUP_TEXTS[i], json_stringn(html.buf, html.len));
        sb_release(&md);
        sb_release(&html);
    }
    close(dfd);
    if (rc != 0) {
        json_decref(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The rows of run at one geographic level and the years [from, to],
 * appended to arr. */
static int rows_at(json_t *arr, const struct eng_run *run, int level, int from, int to,
                   struct kn_error *err)
{
    struct eng_out_options oo = {0};
    /* both sexes and all ages only (sex T, band all): the rows the report
     * reads (fu_index_rows); the sexes and age bands were most of the rows
     * written here and parsed back, and the better part of the command's
     * time */
    oo.dims = IND_DIM_REGION;
    oo.geo_level = level;
    oo.year_from = from;
    oo.year_to = to;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    eng_write_json(f, run, &oo);
    if (fclose(f) != 0) {
        free(text);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    int rc = 0;
    for (size_t at = 0; rc == 0 && at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        json_error_t je;
        json_t *row = json_loadb(text + at, end - at, 0, &je);
        if (!row || json_array_append_new(arr, row) != 0)
            rc = kn_fail(err, KN_ENOMEM, "engine output: %s", row ? "out of memory" : je.text);
        at = end + 1;
    }
    free(text);
    return rc;
}

int followup_rows_years(json_t **out, const struct eng_run *run, int from, int to,
                        struct kn_error *err)
{
    json_t *arr = json_array();
    int rc = arr ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    /* the report reads the nation and the regions only: the finer levels,
     * most of the rows, are not read back */
    if (rc == 0)
        rc = rows_at(arr, run, ENG_GEO_NATION, from, to, err);
    if (rc == 0)
        rc = rows_at(arr, run, ENG_GEO_REGION, from, to, err);
    if (rc != 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

int followup_rows(json_t **out, const struct eng_run *run, int year, struct kn_error *err)
{
    return followup_rows_years(out, run, 0, year, err);
}

int followup_model(json_t **out, struct store *st, const json_t *rows,
                   const struct ind_catalogue *cat, const struct geo *g,
                   const struct followup_options *o, struct arena *a, struct kn_error *err)
{
    enum web_lang lang;
    if (!web_lang_parse(o->lang, &lang))
        return kn_fail(err, KN_EINPUT, "--lang: sv or en");
    if (o->year < 2000 || o->year > 2199)
        return kn_fail(err, KN_EINPUT, "--period: a year, 2000 to 2199");
    struct fu_ctx c = { .o = o, .cat = cat, .g = g, .st = st, .a = a, .en = lang == WEB_EN };
    if (o->region && !(c.region = geo_region(g, o->region)))
        return kn_fail(err, KN_EINPUT, "--region: no region has the code '%s'", o->region);
    struct web_i18n *i18n = NULL;
    int rc = web_i18n_load_embedded(&i18n, err);
    if (rc != 0)
        return rc;
    /* the catalogue is kept in the model so the template reads every word
     * as t.KEY, as the portal's templates do */
    json_t *model = json_object();
    json_object_set(model, "t", (json_t *)web_i18n_table(i18n, lang));
    web_i18n_free(i18n);
    c.words = json_object_get(model, "t");
    c.nation_name = fu_word(&c, "rep_nation");
    c.index = json_object();
    rc = fu_index_rows(c.index, rows, err);
    json_object_set_new(model, "lang", json_string(web_lang_code(lang)));
    json_object_set_new(model, "year", json_integer(o->year));
    json_object_set_new(model, "region", c.region ? json_pack("{s:s,s:s}", "code", c.region->code,
                                                             "name", c.region->name)
                                                  : json_null());
    json_object_set_new(model, "place", json_string(c.region ? c.region->name : c.nation_name));
    if (rc == 0)
        rc = fu_goals(&c, model, err);
    if (rc == 0)
        rc = fu_network(&c, model, err);
    if (rc == 0)
        rc = fu_surveys(&c, model, err);
    json_object_set_new(model, "texts", o->texts ? json_deep_copy(o->texts) : json_object());
    json_decref(c.index);
    if (rc != 0) {
        json_decref(model);
        return rc;
    }
    *out = model;
    return 0;
}
