/* src/stats/stat_agg.c: aggregate CSV in, estimates out. See stat_agg.h.
 *
 * Inputs are small (a few thousand rows: regions x years x age groups), so
 * groups live in a growable array searched by a hash of their key; rows
 * are summed as doubles (counts of persons and person-years).
 */
#include "stats/stat_agg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/csv_write.h"
#include "base/strbuf.h"
#include "stats/stat.h"

#define MAX_BY 16
#define MAX_BANDS 64

struct group {
    char *key;                 /* by-values joined by \x1f */
    double a, b;               /* numerator/count, denominator/population */
    double band_count[MAX_BANDS];
    double band_pop[MAX_BANDS];
    unsigned char band_seen[MAX_BANDS];
    size_t first_line;
};

struct agg {
    struct group *g;
    size_t n, cap;
};

static struct group *group_get(struct agg *a, const char *key, size_t line)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->g[i].key, key) == 0)
            return &a->g[i];
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        struct group *p = realloc(a->g, cap * sizeof *p);
        if (p == NULL)
            return NULL;
        a->g = p;
        a->cap = cap;
    }
    struct group *g = &a->g[a->n];
    memset(g, 0, sizeof *g);
    g->key = strdup(key);
    if (g->key == NULL)
        return NULL;
    g->first_line = line;
    a->n++;
    return g;
}

static int number(const struct csv_field *f, const char *file, size_t line, size_t col,
                  const char *name, double *out, struct kn_error *err)
{
    char *end = NULL;
    errno = 0;
    double v = f->len ? strtod(f->s, &end) : NAN;
    if (f->len == 0 || end != f->s + f->len || errno != 0 || !isfinite(v))
        return kn_fail(err, KN_EINPUT, "%s:%zu:%zu: field '%s': '%.*s' is not a number", file,
                       line, col + 1, name, (int)(f->len > 30 ? 30 : f->len), f->s);
    if (v < 0)
        return kn_fail(err, KN_EINPUT, "%s:%zu:%zu: field '%s': negative value %.*s", file,
                       line, col + 1, name, (int)f->len, f->s);
    *out = v;
    return 0;
}

static void put_double(struct strbuf *sb, double v, int first)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g", v);
    csvw_field(sb, tmp, (size_t)n, first);
}

static int open_csv(const char *path, int *fd, struct csv_reader **r, struct csv_record *hdr,
                    const char **name, struct kn_error *err)
{
    *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return kn_fail(err, errno == ENOENT ? KN_ENOTFOUND : KN_EIO, "cannot open '%s': %s",
                       path, strerror(errno));
    int rc = csv_open_fd(r, *fd, *name, NULL, err);
    if (rc == 0) {
        rc = csv_next(*r, hdr, err);
        if (rc == 0)
            rc = kn_fail(err, KN_EINPUT, "%s: the file is empty; expected a header row",
                         *name);
        else if (rc == 1)
            rc = 0;
    }
    return rc;
}

static int need_col(const struct csv_record *hdr, const char *name, const char *file,
                    int *out, struct kn_error *err)
{
    *out = csv_find(hdr, name);
    if (*out < 0)
        return kn_fail(err, KN_EINPUT, "%s:%zu: required column '%s' is missing", file,
                       hdr->line, name);
    return 0;
}

int stat_agg_read_standard(const char *path, struct stat_std_band **bands, size_t *n,
                           struct kn_error *err)
{
    int fd = -1, cg, cw;
    struct csv_reader *r = NULL;
    struct csv_record rec;
    const char *name;
    struct strbuf names = STRBUF_INIT;
    double weights[MAX_BANDS];
    size_t offs[MAX_BANDS], count = 0;
    int rc = open_csv(path, &fd, &r, &rec, &name, err);
    if (rc == 0)
        rc = need_col(&rec, "age_group", name, &cg, err);
    if (rc == 0)
        rc = need_col(&rec, "weight", name, &cw, err);
    while (rc == 0 && (rc = csv_next(r, &rec, err)) == 1) {
        rc = 0;
        if ((size_t)cg >= rec.n || (size_t)cw >= rec.n) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: the row has too few fields", name, rec.line);
            break;
        }
        if (count == MAX_BANDS) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: more than %d age groups", name, rec.line,
                         MAX_BANDS);
            break;
        }
        rc = number(&rec.f[cw], name, rec.line, (size_t)cw, "weight", &weights[count], err);
        if (rc == 0 && weights[count] <= 0)
            rc = kn_fail(err, KN_EINPUT, "%s:%zu:%d: field 'weight': must be above zero",
                         name, rec.line, cw + 1);
        if (rc != 0)
            break;
        offs[count++] = names.len;
        sb_add(&names, rec.f[cg].s, rec.f[cg].len + 1);
    }
    csv_free(r);
    if (fd >= 0)
        close(fd);
    if (rc == 0 && count == 0)
        rc = kn_fail(err, KN_EINPUT, "%s: no age groups", name);
    if (rc == 0) {
        *bands = malloc(count * sizeof **bands + names.len);
        if (*bands == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
        } else {
            char *text = (char *)(*bands + count);
            memcpy(text, names.buf, names.len);
            for (size_t i = 0; i < count; i++) {
                (*bands)[i].age_group = text + offs[i];
                (*bands)[i].weight = weights[i];
            }
            *n = count;
        }
    }
    sb_release(&names);
    return rc;
}

static void write_row(struct strbuf *sb, const struct group *g, size_t nby, double a, double b,
                      bool ok, const struct stat_ci *c95, const struct stat_ci *c998,
                      const char *note)
{
    const char *k = g->key;
    for (size_t i = 0; i < nby; i++) {
        const char *end = strchr(k, '\x1f');
        size_t len = end ? (size_t)(end - k) : strlen(k);
        csvw_field(sb, k, len, i == 0);
        k = end ? end + 1 : k + len;
    }
    put_double(sb, a, nby == 0);
    put_double(sb, b, 0);
    if (ok) {
        put_double(sb, c95->value, 0);
        put_double(sb, c95->lower, 0);
        put_double(sb, c95->upper, 0);
        put_double(sb, c998->lower, 0);
        put_double(sb, c998->upper, 0);
    } else {
        for (int i = 0; i < 5; i++)
            csvw_field(sb, "", 0, 0);
    }
    csvw_field(sb, note, strlen(note), 0);
    csvw_end(sb);
}

int stat_agg_run(const struct stat_agg_options *o, FILE *out, struct kn_error *err)
{
    static const char *const cols[3][3] = {
        { "numerator", "denominator", NULL },
        { "count", "population", NULL },
        { "count", "population", "age_group" },
    };
    const char *const *want = cols[o->kind];
    int fd = -1, ca, cb, cg = -1, cby[MAX_BY];
    size_t nby = 0;
    struct csv_reader *r = NULL;
    struct csv_record rec;
    const char *name = o->in_path;
    struct agg agg = { NULL, 0, 0 };
    struct strbuf key = STRBUF_INIT, sb = STRBUF_INIT;

    if (o->kind == STAT_AGG_DSR && o->nstandard > MAX_BANDS)
        return kn_fail(err, KN_EINPUT, "a standard may have at most %d age groups", MAX_BANDS);
    int rc = open_csv(o->in_path, &fd, &r, &rec, &name, err);
    if (rc == 0)
        rc = need_col(&rec, want[0], name, &ca, err);
    if (rc == 0)
        rc = need_col(&rec, want[1], name, &cb, err);
    if (rc == 0 && want[2] != NULL)
        rc = need_col(&rec, want[2], name, &cg, err);
    for (size_t i = 0; rc == 0 && o->by != NULL && o->by[i] != NULL; i++) {
        if (nby == MAX_BY) {
            rc = kn_fail(err, KN_EINPUT, "at most %d --by columns", MAX_BY);
            break;
        }
        rc = need_col(&rec, o->by[i], name, &cby[nby++], err);
    }
    while (rc == 0 && (rc = csv_next(r, &rec, err)) == 1) {
        rc = 0;
        int maxc = ca > cb ? ca : cb;
        maxc = cg > maxc ? cg : maxc;
        for (size_t i = 0; i < nby; i++)
            maxc = cby[i] > maxc ? cby[i] : maxc;
        if ((size_t)maxc >= rec.n) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: the row has %zu fields, too few", name,
                         rec.line, rec.n);
            break;
        }
        double a, b;
        rc = number(&rec.f[ca], name, rec.line, (size_t)ca, want[0], &a, err);
        if (rc == 0)
            rc = number(&rec.f[cb], name, rec.line, (size_t)cb, want[1], &b, err);
        if (rc != 0)
            break;
        if (o->kind == STAT_AGG_PROPORTION && a > b) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu:%d: field 'numerator': %g is above the "
                         "denominator %g", name, rec.line, ca + 1, a, b);
            break;
        }
        sb_reset(&key);
        for (size_t i = 0; i < nby; i++) {
            if (i > 0)
                sb_addch(&key, '\x1f');
            sb_add(&key, rec.f[cby[i]].s, rec.f[cby[i]].len);
        }
        struct group *g = group_get(&agg, key.buf, rec.line);
        if (g == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        g->a += a;
        g->b += b;
        if (o->kind == STAT_AGG_DSR) {
            size_t bi = 0;
            while (bi < o->nstandard && strcmp(o->standard[bi].age_group, rec.f[cg].s) != 0)
                bi++;
            if (bi == o->nstandard) {
                rc = kn_fail(err, KN_EINPUT, "%s:%zu:%d: field 'age_group': '%s' is not an "
                             "age group of the standard (%s ... %s)", name, rec.line, cg + 1,
                             rec.f[cg].s, o->standard[0].age_group,
                             o->standard[o->nstandard - 1].age_group);
                break;
            }
            g->band_count[bi] += a;
            g->band_pop[bi] += b;
            g->band_seen[bi] = 1;
        }
    }
    /* Header, then one row per group. */
    for (size_t i = 0; rc == 0 && i < nby; i++)
        csvw_field(&sb, o->by[i], strlen(o->by[i]), i == 0);
    if (rc == 0) {
        csvw_field(&sb, want[0], strlen(want[0]), nby == 0);
        static const char *const tail[] = { "value", "lower_95", "upper_95", "lower_99_8",
                                            "upper_99_8", "note" };
        csvw_field(&sb, want[1], strlen(want[1]), 0);
        for (size_t i = 0; i < 6; i++)
            csvw_field(&sb, tail[i], strlen(tail[i]), 0);
        csvw_end(&sb);
    }
    for (size_t gi = 0; rc == 0 && gi < agg.n; gi++) {
        struct group *g = &agg.g[gi];
        struct stat_ci c95 = { 0, 0, 0 }, c998 = { 0, 0, 0 };
        bool ok = true;
        const char *note = "";
        if (o->kind == STAT_AGG_PROPORTION) {
            if (g->b <= 0) {
                ok = false;
                note = "denominator is 0";
            } else {
                c95 = stat_wilson(g->a, g->b, 0.95);
                c998 = stat_wilson(g->a, g->b, 0.998);
                c95.value *= o->multiplier;
                c95.lower *= o->multiplier;
                c95.upper *= o->multiplier;
                c998.lower *= o->multiplier;
                c998.upper *= o->multiplier;
            }
        } else if (o->kind == STAT_AGG_RATE) {
            if (g->b <= 0) {
                ok = false;
                note = "population is 0";
            } else {
                c95 = stat_rate(g->a, g->b, o->multiplier, 0.95);
                c998 = stat_rate(g->a, g->b, o->multiplier, 0.998);
            }
        } else {
            struct stat_stratum st[MAX_BANDS];
            for (size_t bi = 0; bi < o->nstandard; bi++) {
                if (!g->band_seen[bi] || g->band_pop[bi] <= 0) {
                    rc = kn_fail(err, KN_EINPUT, "%s: group '%s' (first on line %zu) has %s "
                                 "for age group '%s'", name, g->key, g->first_line,
                                 g->band_seen[bi] ? "population 0" : "no row",
                                 o->standard[bi].age_group);
                    break;
                }
                st[bi].count = g->band_count[bi];
                st[bi].population = g->band_pop[bi];
                st[bi].weight = o->standard[bi].weight;
            }
            if (rc != 0)
                break;
            if (!stat_dsr(st, o->nstandard, o->multiplier, 0.95, &c95)) {
                ok = false;
                note = "not computed: fewer than 10 events";
            } else {
                stat_dsr(st, o->nstandard, o->multiplier, 0.998, &c998);
            }
        }
        write_row(&sb, g, nby, g->a, g->b, ok, &c95, &c998, note);
    }
    if (rc == 0 && fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = kn_fail(err, KN_EIO, "cannot write the result");
    for (size_t i = 0; i < agg.n; i++)
        free(agg.g[i].key);
    free(agg.g);
    sb_release(&key);
    sb_release(&sb);
    csv_free(r);
    if (fd >= 0)
        close(fd);
    return rc < 0 ? rc : 0;
}
