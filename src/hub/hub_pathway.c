/* src/hub/hub_pathway.c: the care pathways read from CSV and checked
 * (hub_pathway.h). Two pathways of ten steps: sizes do not matter; every
 * rule gives the file, the line and the field. */
#include "hub/hub_pathway.h"

#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/embed.h"
#include "hub/hub_doc.h"
#include "registry/reg_synth.h"

#define MAX_COLS 19
#define CODE_MAX 40
#define LIMIT_MAX_DAYS 3650

static const char *const pathway_cols[] = {
    "code", "version", "title_sv", "title_en", "summary_sv", "summary_en", "entry_sv",
    "entry_en", "exit_sv", "exit_en", "source", "assumption", NULL,
};
static const char *const phase_cols[] = { "pathway", "code", "title_sv", "title_en", NULL };
static const char *const step_cols[] = {
    "pathway", "code", "phase", "title_sv", "title_en", "actor_sv", "actor_en",
    "entry_sv", "entry_en", "limit", "limit_from", "indicator", "indicators_more",
    "recorded_as", "assumption", "patient_sv", "patient_en", "relative_sv", "relative_en",
    NULL,
};
static const char *const recorded[] = { "step", "assessment", "plan", "treatment",
                                        "followup", "", NULL };

/* One record of a file: its fields in the order of the file's columns. */
struct row {
    const char *f[MAX_COLS];
    int line;
};

static int bad(struct kn_error *err, const char *file, int line, const char *field,
               const char *why)
{
    return kn_fail(err, KN_EINPUT, "%s:%d: '%s': %s", file, line, field, why);
}

/* Read every record of text under the header cols (each column exactly
 * once, in any order, no other) into arena rows. */
static int read_table(const char *name, const char *text, const char *const *cols,
                      struct row **out, size_t *n, struct arena *a, struct kn_error *err)
{
    struct csv_reader *r = NULL;
    struct csv_record rec;
    int idx[MAX_COLS], ncols = 0, got, rc;
    size_t cap = 16, count = 0;
    struct row *rows = arena_calloc(a, cap, sizeof *rows);
    while (cols[ncols])
        ncols++;
    if (!rows)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if ((rc = csv_open_mem(&r, text, strlen(text), name, NULL, err)) != 0)
        return rc;
    got = csv_next(r, &rec, err);
    if (got <= 0) {
        csv_free(r);
        return got < 0 ? got : kn_fail(err, KN_EINPUT, "%s:1: the header is missing", name);
    }
    for (int c = 0; c < ncols; c++) {
        idx[c] = csv_find(&rec, cols[c]);
        if (idx[c] < 0) {
            rc = bad(err, name, (int)rec.line, cols[c], "the column is missing");
            csv_free(r);
            return rc;
        }
    }
    if (rec.n != (size_t)ncols) {
        for (size_t i = 0; i < rec.n; i++) {
            bool known = false;
            for (int c = 0; c < ncols; c++)
                known |= (size_t)idx[c] == i;
            if (!known) {
                rc = bad(err, name, (int)rec.line, rec.f[i].s, "not a column of this file");
                csv_free(r);
                return rc;
            }
        }
        rc = bad(err, name, (int)rec.line, "header", "a column is repeated");
        csv_free(r);
        return rc;
    }
    while ((got = csv_next(r, &rec, err)) == 1) {
        if (rec.n != (size_t)ncols) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: %zu fields where the header has %d", name,
                         rec.line, rec.n, ncols);
            break;
        }
        if (arena_grow(a, &rows, count, &cap, sizeof *rows) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct row *w = &rows[count++];
        w->line = (int)rec.line;
        for (int c = 0; c < ncols; c++) {
            const struct csv_field *f = &rec.f[idx[c]];
            if (hub_pnr_shaped(f->s)) {
                rc = bad(err, name, w->line, cols[c],
                         "holds a number shaped like a personnummer (not shown)");
                break;
            }
            if (!(w->f[c] = arena_strndup(a, f->s, f->len))) {
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
                break;
            }
        }
        if (rc)
            break;
    }
    if (got < 0)
        rc = got;
    csv_free(r);
    *out = rows;
    *n = count;
    return rc;
}

/* A code: 1..CODE_MAX of a-z, 0-9, '-' (steps also A-Z, '_', '.', as the
 * registry's step codes). */
static bool code_ok(const char *s, bool step)
{
    size_t n = strlen(s);
    if (n == 0 || n > CODE_MAX)
        return false;
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                  (step && ((c >= 'A' && c <= 'Z') || c == '_' || c == '.'));
        if (!ok)
            return false;
    }
    return true;
}

/* "7d", "24h": seconds into *out; false on anything else. */
static bool limit_parse(const char *s, int64_t *out)
{
    char *end;
    if (*s < '1' || *s > '9')
        return false;
    long v = strtol(s, &end, 10);
    if ((end[0] != 'd' && end[0] != 'h') || end[1] || v > LIMIT_MAX_DAYS * 24L)
        return false;
    if (end[0] == 'd' && v > LIMIT_MAX_DAYS)
        return false;
    *out = (int64_t)v * (end[0] == 'd' ? 86400 : 3600);
    return true;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* The indicator ids of a space-separated list: each a code. */
static bool ids_ok(const char *s)
{
    char id[CODE_MAX + 1];
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n > CODE_MAX)
            return false;
        memcpy(id, s, n);
        id[n] = '\0';
        if (n && !code_ok(id, false))
            return false;
        s += n + (s[n] == ' ');
    }
    return true;
}

static int parse_pathways(struct hub_pathways *ps, const struct row *rows, size_t n,
                          struct arena *a, struct kn_error *err)
{
    const char *file = ps->files[0];
    ps->p = arena_calloc(a, n ? n : 1, sizeof *ps->p);
    if (!ps->p)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        struct hub_pathway *p = &ps->p[ps->n];
        char *end;
        p->code = r->f[0];
        p->line = r->line;
        if (!code_ok(p->code, false))
            return bad(err, file, r->line, "code", "not a code (1-40 of a-z, 0-9, '-')");
        if (hub_pathway_find(ps, p->code))
            return bad(err, file, r->line, "code", "repeated");
        long v = strtol(r->f[1], &end, 10);
        if (r->f[1][0] < '1' || r->f[1][0] > '9' || *end || v > 1000)
            return bad(err, file, r->line, "version", "not a version number (1-1000)");
        p->version = (int)v;
        for (int k = 0; k < 2; k++) {
            p->title[k] = r->f[2 + k];
            p->summary[k] = r->f[4 + k];
            p->entry[k] = r->f[6 + k];
            p->exit[k] = r->f[8 + k];
        }
        for (int c = 2; c < 10; c++)
            if (!*r->f[c])
                return bad(err, file, r->line, pathway_cols[c], "empty");
        p->source = r->f[10];
        p->assumption = r->f[11];
        ps->n++;
    }
    if (ps->n == 0)
        return kn_fail(err, KN_EINPUT, "%s: no pathway", file);
    return 0;
}

static int parse_phases(struct hub_pathways *ps, const struct row *rows, size_t n,
                        struct arena *a, struct kn_error *err)
{
    const char *file = ps->files[1];
    for (size_t k = 0; k < ps->n; k++)
        if (!(ps->p[k].phases = arena_calloc(a, n ? n : 1, sizeof *ps->p[k].phases)))
            return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        struct hub_pathway *p = (struct hub_pathway *)hub_pathway_find(ps, r->f[0]);
        if (!p)
            return bad(err, file, r->line, "pathway", "not a pathway of pathways.csv");
        if (!code_ok(r->f[1], false))
            return bad(err, file, r->line, "code", "not a code (1-40 of a-z, 0-9, '-')");
        if (hub_pathway_phase(p, r->f[1]))
            return bad(err, file, r->line, "code", "repeated in this pathway");
        if (!*r->f[2] || !*r->f[3])
            return bad(err, file, r->line, *r->f[2] ? "title_en" : "title_sv", "empty");
        struct hub_phase *ph = &p->phases[p->nphases++];
        ph->code = r->f[1];
        ph->title[0] = r->f[2];
        ph->title[1] = r->f[3];
        ph->line = r->line;
    }
    for (size_t k = 0; k < ps->n; k++)
        if (ps->p[k].nphases == 0)
            return bad(err, ps->files[0], ps->p[k].line, "code", "the pathway has no phase");
    return 0;
}

static const struct hub_step *find_step(const struct hub_pathway *p, const char *code)
{
    for (size_t i = 0; i < p->nsteps; i++)
        if (strcmp(p->steps[i].code, code) == 0)
            return &p->steps[i];
    return NULL;
}

static int parse_steps(struct hub_pathways *ps, const struct row *rows, size_t n,
                       struct arena *a, struct kn_error *err)
{
    const char *file = ps->files[2];
    for (size_t k = 0; k < ps->n; k++)
        if (!(ps->p[k].steps = arena_calloc(a, n ? n : 1, sizeof *ps->p[k].steps)))
            return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        const char *const *f = r->f;
        struct hub_pathway *p = (struct hub_pathway *)hub_pathway_find(ps, f[0]);
        if (!p)
            return bad(err, file, r->line, "pathway", "not a pathway of pathways.csv");
        if (!code_ok(f[1], true))
            return bad(err, file, r->line, "code",
                       "not a step code (1-40 of letters, digits, '_', '-', '.')");
        if (find_step(p, f[1]))
            return bad(err, file, r->line, "code", "repeated in this pathway");
        if (!hub_pathway_phase(p, f[2]))
            return bad(err, file, r->line, "phase", "not a phase of this pathway");
        for (int c = 3; c < 9; c++)
            if (!*f[c])
                return bad(err, file, r->line, step_cols[c], "empty");
        struct hub_step *s = &p->steps[p->nsteps];
        s->code = f[1];
        s->phase = f[2];
        s->line = r->line;
        for (int k = 0; k < 2; k++) {
            s->title[k] = f[3 + k];
            s->actor[k] = f[5 + k];
            s->entry[k] = f[7 + k];
            s->patient[k] = f[15 + k];
            s->relative[k] = f[17 + k];
        }
        s->limit_text = f[9];
        s->limit_from = f[10];
        if (*f[9] && !limit_parse(f[9], &s->limit))
            return bad(err, file, r->line, "limit",
                       "not a time limit (N h or N d, such as 24h or 7d; at most 3650 days)");
        if (!*f[9] != !*f[10])
            return bad(err, file, r->line, *f[9] ? "limit_from" : "limit",
                       "a time limit needs where it counts from, and only a limit has one");
        if (*f[10] && strcmp(f[10], "emergency-visit") && strcmp(f[10], "discharge") &&
            !find_step(p, f[10]))
            return bad(err, file, r->line, "limit_from",
                       "not an earlier step of this pathway, emergency-visit or discharge");
        s->indicator = f[11];
        s->indicators_more = f[12];
        if (*f[11] && !code_ok(f[11], false))
            return bad(err, file, r->line, "indicator", "not an indicator id");
        if (!ids_ok(f[12]))
            return bad(err, file, r->line, "indicators_more",
                       "not indicator ids separated by spaces");
        if (!one_of(f[13], recorded))
            return bad(err, file, r->line, "recorded_as",
                       "not step, assessment, plan, treatment, followup or empty");
        s->recorded_as = f[13];
        s->assumption = f[14];
        for (int c = 15; c < 19; c++)
            if (!*f[c])
                return bad(err, file, r->line, step_cols[c], "empty");
        p->nsteps++;
    }
    for (size_t k = 0; k < ps->n; k++) {
        const struct hub_pathway *p = &ps->p[k];
        if (p->nsteps == 0)
            return bad(err, ps->files[0], p->line, "code", "the pathway has no step");
        for (size_t j = 0; j < p->nphases; j++) {
            bool used = false;
            for (size_t i = 0; i < p->nsteps; i++)
                used |= !strcmp(p->steps[i].phase, p->phases[j].code);
            if (!used)
                return bad(err, ps->files[1], p->phases[j].line, "code", "the phase has no step");
        }
    }
    return 0;
}

int hub_pathways_parse(struct hub_pathways *out, const char *const names[3],
                       const char *const texts[3], struct arena *a, struct kn_error *err)
{
    static const char *const *cols[3] = { pathway_cols, phase_cols, step_cols };
    struct row *rows[3];
    size_t n[3];
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 3; i++) {
        out->files[i] = names[i];
        int rc = read_table(names[i], texts[i], cols[i], &rows[i], &n[i], a, err);
        if (rc)
            return rc;
    }
    int rc = parse_pathways(out, rows[0], n[0], a, err);
    if (rc == 0)
        rc = parse_phases(out, rows[1], n[1], a, err);
    if (rc == 0)
        rc = parse_steps(out, rows[2], n[2], a, err);
    return rc;
}

int hub_pathways_shipped(struct hub_pathways *out, struct arena *a, struct kn_error *err)
{
    static const char *const names[3] = { "pathways/pathways.csv", "pathways/phases.csv",
                                          "pathways/steps.csv" };
    const char *texts[3];
    for (int i = 0; i < 3; i++) {
        const struct embed_file *f = embed_find(names[i]);
        if (!f)
            return kn_fail(err, KN_ENOTFOUND, "data/%s is not embedded", names[i]);
        texts[i] = (const char *)f->data;
    }
    return hub_pathways_parse(out, names, texts, a, err);
}

/* The upper end of the window of d's measure of the limit: the target's
 * measure, else the first with a relation. -1 if none has one. */
static int64_t window_hi(const struct ind_def *d)
{
    if (d->has_target && d->measures[d->target_measure].rel.is_relation)
        return d->measures[d->target_measure].rel.rel.hi;
    for (size_t m = 0; m < d->nmeasures; m++)
        if (d->measures[m].rel.is_relation)
            return d->measures[m].rel.rel.hi;
    return -1;
}

/* s seconds in the unit of the step's own limit ("24h", not "1d"). */
static void duration_text(int64_t s, const char *like, char *buf, size_t cap)
{
    size_t n = strlen(like);
    if (s % 86400 == 0 && !(n && like[n - 1] == 'h' && s % 3600 == 0))
        snprintf(buf, cap, "%lldd", (long long)(s / 86400));
    else
        snprintf(buf, cap, "%lldh", (long long)(s / 3600));
}

int hub_pathways_check(const struct hub_pathways *ps, const struct ind_catalogue *cat,
                       struct kn_error *err)
{
    const char *file = ps->files[2];
    for (size_t k = 0; k < ps->n; k++) {
        const struct hub_pathway *p = &ps->p[k];
        for (size_t i = 0; i < p->nsteps; i++) {
            const struct hub_step *s = &p->steps[i];
            if (*s->indicator) {
                const struct ind_def *d = ind_find(cat, s->indicator);
                if (!d)
                    return kn_fail(err, KN_EINPUT,
                                   "%s:%d: 'indicator': no indicator '%s' in the catalogue",
                                   file, s->line, s->indicator);
                int64_t hi = window_hi(d);
                char want[24];
                if (s->limit && hi != s->limit) {
                    if (hi < 0)
                        return kn_fail(err, KN_EINPUT,
                                       "%s:%d: 'limit': %s has no time window to match %s",
                                       file, s->line, d->id, s->limit_text);
                    duration_text(hi, s->limit_text, want, sizeof want);
                    return kn_fail(err, KN_EINPUT,
                                   "%s:%d: 'limit': %s is not the window of %s, which ends "
                                   "at %s",
                                   file, s->line, s->limit_text, d->id, want);
                }
            }
            for (const char *m = s->indicators_more; *m;) {
                size_t len = strcspn(m, " ");
                char id[CODE_MAX + 1];
                memcpy(id, m, len);
                id[len] = '\0';
                if (len && !ind_find(cat, id))
                    return kn_fail(err, KN_EINPUT,
                                   "%s:%d: 'indicators_more': no indicator '%s' in the "
                                   "catalogue",
                                   file, s->line, id);
                m += len + (m[len] == ' ');
            }
            if (!strcmp(s->recorded_as, "step") && !one_of(s->code, reg_syn_step_codes))
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: 'code': '%s' is recorded as a pathway step but is "
                               "not a registry step code",
                               file, s->line, s->code);
        }
        for (const char *const *c = reg_syn_step_codes; *c; c++) {
            const struct hub_step *s = find_step(p, *c);
            if (!s || strcmp(s->recorded_as, "step"))
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: 'code': the registry's step '%s' is not a step of "
                               "the pathway '%s' recorded as a step",
                               ps->files[0], p->line, *c, p->code);
        }
    }
    return 0;
}

const struct hub_pathway *hub_pathway_find(const struct hub_pathways *ps, const char *code)
{
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->p[i].code, code) == 0)
            return &ps->p[i];
    return NULL;
}

const struct hub_phase *hub_pathway_phase(const struct hub_pathway *p, const char *code)
{
    for (size_t i = 0; i < p->nphases; i++)
        if (strcmp(p->phases[i].code, code) == 0)
            return &p->phases[i];
    return NULL;
}

static json_t *two(const char *const t[2])
{
    return json_pack("{s:s, s:s}", "sv", t[0], "en", t[1]);
}

static json_t *id_list(const char *s)
{
    json_t *arr = json_array();
    while (arr && *s) {
        size_t n = strcspn(s, " ");
        if (n && json_array_append_new(arr, json_stringn(s, n)) != 0) {
            json_decref(arr);
            return NULL;
        }
        s += n + (s[n] == ' ');
    }
    return arr;
}

json_t *hub_pathway_json(const struct hub_pathway *p)
{
    json_t *phases = json_array();
    json_t *o = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:s, s:s, s:o}", "code", p->code,
                          "version", p->version, "title", two(p->title), "summary",
                          two(p->summary), "entry", two(p->entry), "exit", two(p->exit),
                          "source", p->source, "assumption", p->assumption, "phases", phases);
    for (size_t j = 0; o && j < p->nphases; j++) {
        json_t *steps = json_array();
        json_t *ph = json_pack("{s:s, s:o, s:o}", "code", p->phases[j].code, "title",
                               two(p->phases[j].title), "steps", steps);
        if (!ph || json_array_append_new(phases, ph) != 0)
            goto fail;
        for (size_t i = 0; i < p->nsteps; i++) {
            const struct hub_step *s = &p->steps[i];
            if (strcmp(s->phase, p->phases[j].code))
                continue;
            json_t *x = json_pack(
                "{s:s, s:o, s:o, s:o, s:s?, s:s?, s:s?, s:o, s:s?, s:s, s:o, s:o}", "code",
                s->code, "title", two(s->title), "actor", two(s->actor), "entry",
                two(s->entry), "limit", *s->limit_text ? s->limit_text : NULL, "limit_from",
                *s->limit_from ? s->limit_from : NULL, "indicator",
                *s->indicator ? s->indicator : NULL, "indicators_more",
                id_list(s->indicators_more), "recorded_as",
                *s->recorded_as ? s->recorded_as : NULL, "assumption", s->assumption,
                "patient", two(s->patient), "relative", two(s->relative));
            if (!x || json_array_append_new(steps, x) != 0)
                goto fail;
        }
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}
