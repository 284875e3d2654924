/* src/registry/reg_fhir.c: FHIR R4 files into an import session.
 * See reg_fhir.h.
 *
 * Pass one (reg_fhir_doc.c) indexes every resource of every file; then the
 * resources are fed kind by kind in reg_kind_at() order, and within a kind
 * in input order, except that a coercive measure comes after the measure
 * it extends. Each resource is mapped (reg_fhir_map.c) and its records go
 * to reg_import_row(); a record the session rejects is reported with the
 * resource's location and the FHIR path of the field the session names.
 *
 * The reject file is NDJSON: each rejected resource as read, with every
 * personnummer removed, and "_error" holding the reasons.
 */
#include "registry/reg_fhir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "registry/reg_fhir_impl.h"
#include "registry/reg_import_impl.h"

struct run {
    struct fx_set *set;
    const struct reg_fhir_options *opt;
    struct reg_fhir_stats *st;
    struct reg_import *im; /* NULL: mapping only */
    int (*on_record)(void *ctx, const struct reg_fhir_record *rec);
    void *rec_ctx;
    FILE *rej;             /* any reject file open: the first stream, or NULL */
    /* The reject files: one (rejects_path), or one per input source
     * (rejects_paths); nrej is 0, 1 or set->nsrc. */
    struct outfile *rej_files;
    FILE **rej_streams;
    size_t nrej;
    int passes;
    struct strbuf why; /* the reasons of the current resource */
    struct strbuf warn; /* the warnings of the current resource */
};

/* ---- the reject file ---- */

/* Remove what could be a personnummer: the value of an identifier of a
 * personnummer system, anywhere, and any such number in any other text. */
static void scrub(json_t *j)
{
    if (json_is_object(j)) {
        if (fx_pnr_system(json_string_value(json_object_get(j, "system"))))
            json_object_del(j, "value");
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) scrub(v);
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            scrub(json_array_get(j, i));
    } else if (json_is_string(j)) {
        size_t len = json_string_length(j);
        if (!pnr_find_shaped(json_string_value(j), len, NULL, NULL))
            return;
        char *copy = malloc(len + 1);
        if (copy == NULL) {
            json_string_set(j, ""); /* no memory to mask it: drop it */
            return;
        }
        memcpy(copy, json_string_value(j), len + 1);
        pnr_mask(copy, len);
        json_string_setn(j, copy, len);
        free(copy);
    }
}

/* The reject file of resource i. */
static FILE *rej_of(const struct run *u, size_t i)
{
    return u->nrej > 1 ? u->rej_streams[u->set->res[i].src] : u->rej;
}

/* Write the rejected resource i (res NULL: a line that is no resource),
 * or with warn one stored with warnings. */
static int write_reject(struct run *u, size_t i, const json_t *res, bool warn)
{
    struct strbuf *why = warn ? &u->warn : &u->why;
    FILE *f = rej_of(u, i);
    json_t *o = json_is_object(res) ? json_deep_copy(res) : json_object();
    if (o == NULL)
        return KN_ENOMEM;
    scrub(o);
    /* A file name in the reasons may not be UTF-8; JSON text must be. */
    for (size_t k = 0; !utf8_valid(why->buf, why->len, &k) && k < why->len;)
        why->buf[k] = '?';
    json_object_set_new(o, warn ? "_warning" : "_error", json_stringn(why->buf, why->len));
    /* The input it came from (masked and cleaned as in messages). */
    const char *file = u->set->src[u->set->res[i].src].name;
    size_t flen = strlen(file);
    char *fname = malloc(flen + 1);
    if (fname != NULL) {
        memcpy(fname, file, flen + 1);
        fx_clean(fname, flen);
        for (size_t k = 0; !utf8_valid(fname, flen, &k) && k < flen;)
            fname[k] = '?';
        json_object_set_new(o, "_file", json_stringn(fname, flen));
        free(fname);
    }
    int rc = json_dumpf(o, f, JSON_COMPACT) != 0 || fputc('\n', f) == EOF
                 ? KN_EIO
                 : 0;
    json_decref(o);
    return rc;
}

static void report(struct run *u, const char *where, const char *path, const char *reason)
{
    char full[640];
    if (path != NULL)
        snprintf(full, sizeof full, "%s (%s)", where, path);
    else
        snprintf(full, sizeof full, "%s", where);
    if (u->opt != NULL && u->opt->on_reject != NULL
        && (u->im == NULL || reg_import_tell(u->im, full, reason)))
        u->opt->on_reject(u->opt->ctx, full, reason);
    if (u->rej != NULL)
        sb_addf(&u->why, "%s%s: %s", u->why.len > 0 ? "; " : "", full, reason);
}

static void report_warning(struct run *u, const char *where, const char *path,
                           const char *reason)
{
    char full[640];
    if (path != NULL)
        snprintf(full, sizeof full, "%s (%s)", where, path);
    else
        snprintf(full, sizeof full, "%s", where);
    if (u->opt != NULL && u->opt->on_warning != NULL && reg_import_tell(u->im, full, reason))
        u->opt->on_warning(u->opt->ctx, full, reason);
    if (u->rej != NULL)
        sb_addf(&u->warn, "%s%s: %s", u->warn.len > 0 ? "; " : "", full, reason);
}

/* The FHIR path of the column a session message names ("field 'start': ..."). */
static const char *path_of(const struct reg_fhir_record *rec, const char *msg)
{
    char name[64];
    if (strncmp(msg, "field '", 7) != 0)
        return NULL;
    size_t n = strcspn(msg + 7, "'");
    if (n >= sizeof name)
        return NULL;
    memcpy(name, msg + 7, n);
    name[n] = '\0';
    int c = reg_kind_col_index(rec->kind, name);
    return c >= 0 && c < REG_FHIR_MAX_COLS ? rec->paths[c] : NULL;
}

/* ---- feeding ---- */

static void set_outcome(struct run *u, size_t i, enum fx_outcome o)
{
    u->set->res[i].outcome = (uint8_t)o;
}

static int feed_bad(struct run *u, size_t i, struct kn_error *err)
{
    char where[400];
    const struct fx_res *r = &u->set->res[i];
    fx_where(u->set, i, where, sizeof where);
    sb_reset(&u->why);
    report(u, where, NULL, r->value ? r->value : "not a FHIR resource");
    u->st->rejected++;
    if (u->im != NULL)
        reg_import_count_reject(u->im);
    set_outcome(u, i, FX_OUT_REJECTED);
    if (u->rej != NULL && write_reject(u, i, NULL, false) != 0)
        return kn_fail(err, KN_EIO, "cannot write reject file '%s'",
                       u->opt->rejects_path);
    return 0;
}

static int feed_resource(struct run *u, size_t i, struct arena *a, struct kn_error *err)
{
    char where[400];
    fx_where(u->set, i, where, sizeof where);
    json_t *res = fx_get(u->set, i);
    if (res == NULL)
        return kn_fail(err, KN_EIO, "%s: the file changed while it was imported", where);
    struct arena_mark mark = arena_mark(a);
    struct fx_out out;
    struct kn_error e;
    kn_error_init(&e);
    sb_reset(&u->why);
    sb_reset(&u->warn);
    bool bad = false;
    struct reg_import_stats before = { 0 };
    if (u->im != NULL)
        before = *reg_import_get_stats(u->im);
    int rc = fx_map(u->set, i, res, a, &out, &e);
    if (rc == KN_EINPUT) {
        report(u, where, out.path, e.msg);
        bad = true;
        out.n = 0;
        if (u->im != NULL)
            reg_import_count_reject(u->im);
        rc = 0;
    } else if (rc < 0) {
        kn_fail(err, rc, "%s: out of memory", where);
    }
    /* Every record of the resource goes to the session, even after one of
     * them is rejected (the steps of an EpisodeOfCare). */
    for (size_t k = 0; rc == 0 && k < out.n; k++) {
        const struct reg_fhir_record *rec = &out.rec[k];
        u->st->records++;
        if (u->im == NULL) {
            rc = u->on_record != NULL ? u->on_record(u->rec_ctx, rec) : 0;
            if (rc < 0)
                kn_fail(err, rc, "%s: stopped", where);
            continue;
        }
        kn_error_init(&e);
        rc = reg_import_row(u->im, rec->kind, rec->fields, rec->lens, &e);
        if (rc == KN_EINPUT) {
            report(u, where, path_of(rec, e.msg), e.msg);
            bad = true;
            rc = 0;
        } else if (rc < 0) {
            kn_fail(err, rc, "%s: %s", where, e.msg);
        }
        const char *w;
        for (size_t j = 0; rc == 0 && (w = reg_import_row_warning(u->im, j)) != NULL; j++)
            report_warning(u, where, path_of(rec, w), w);
    }
    if (rc == 0 && u->im != NULL) {
        const struct reg_import_stats *now = reg_import_get_stats(u->im);
        set_outcome(u, i, bad ? FX_OUT_REJECTED
                          : out.n == 0 ? FX_OUT_EMPTY
                          : now->stored > before.stored ? FX_OUT_STORED
                          : now->unchanged > before.unchanged ? FX_OUT_UNCHANGED
                          : FX_OUT_REPEATED);
    }
    if (rc == 0 && (bad || u->warn.len > 0)) {
        if (bad)
            u->st->rejected++;
        if (u->rej != NULL && write_reject(u, i, res, !bad) != 0)
            rc = kn_fail(err, KN_EIO, "cannot write reject file '%s'",
                         u->opt->rejects_path);
    }
    json_decref(res);
    arena_reset(a, mark);
    return rc;
}

/* The name of reject file f, for messages. */
static const char *rej_name(const struct run *u, size_t f)
{
    return u->opt->rejects_paths != NULL ? u->opt->rejects_paths[f] : u->opt->rejects_path;
}

static int run(struct run *u, struct kn_error *err)
{
    struct fx_set *set = u->set;
    int rc = 0;
    /* The reject file is open for the whole import (import() below); a
     * second pass starts it again. */
    if (u->rej != NULL && u->passes++ > 0)
        for (size_t f = 0; f < u->nrej; f++)
            if (outfile_rewind(&u->rej_files[f], err) != 0)
                return KN_EIO;
    for (size_t i = 0; i < set->nres; i++)
        set->res[i].outcome = FX_OUT_NONE;
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; rc == 0 && i < set->nres; i++)
        if (set->res[i].fate == FX_BAD)
            rc = feed_bad(u, i, err);
    for (size_t k = 0; rc == 0 && k < reg_kind_count(); k++) {
        uint32_t deepest = 0;
        for (size_t i = 0; i < set->nres; i++)
            if (set->res[i].fate == FX_FEED && set->res[i].kind == (int8_t)k &&
                set->res[i].depth > deepest)
                deepest = set->res[i].depth;
        for (uint32_t d = 0; rc == 0 && d <= deepest; d++)
            for (size_t i = 0; rc == 0 && i < set->nres; i++)
                if (set->res[i].fate == FX_FEED && set->res[i].kind == (int8_t)k &&
                    set->res[i].depth == d)
                    rc = feed_resource(u, i, &a, err);
    }
    arena_release(&a);
    for (size_t f = 0; f < u->nrej; f++)
        if (fflush(u->rej_streams[f]) != 0 && rc == 0)
            rc = kn_fail(err, KN_EIO, "cannot write reject file '%s'", rej_name(u, f));
    return rc;
}

/* Open the reject file, or one per source (opt->rejects_paths). */
static int rejects_open(struct run *u, struct kn_error *err)
{
    const struct reg_fhir_options *opt = u->opt;
    if (opt == NULL || (opt->rejects_path == NULL && opt->rejects_paths == NULL))
        return 0;
    size_t n = opt->rejects_paths != NULL ? u->set->nsrc : 1;
    u->rej_files = calloc(n, sizeof *u->rej_files);
    u->rej_streams = calloc(n, sizeof *u->rej_streams);
    if (u->rej_files == NULL || u->rej_streams == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory for the reject files");
    for (size_t f = 0; f < n; f++) {
        struct outfile init = OUTFILE_INIT;
        u->rej_files[f] = init;
    }
    for (size_t f = 0; f < n; f++) {
        u->nrej = f + 1;
        int rc = outfile_open(&u->rej_files[f], rej_name(u, f),
                              opt->rejects_replace ? OUTFILE_REPLACE : 0, err);
        if (rc != 0)
            return kn_error_prefix(err, "reject file: ");
        if ((u->rej_streams[f] = outfile_stream(&u->rej_files[f])) == NULL)
            return kn_fail(err, KN_ENOMEM, "out of memory for the reject file");
    }
    u->rej = u->rej_streams[0];
    return 0;
}

/* Every resource by what became of it, in all and per source. */
static void count(const struct fx_set *set, struct reg_fhir_stats *st,
                  struct reg_fhir_counts *per_file)
{
    memset(&st->total, 0, sizeof st->total);
    if (per_file != NULL)
        memset(per_file, 0, set->nsrc * sizeof *per_file);
    for (size_t i = 0; i < set->nres; i++) {
        const struct fx_res *r = &set->res[i];
        if (r->fate == FX_NOTHING)
            continue;
        struct reg_fhir_counts one = { .resources = 1 };
        switch ((enum fx_fate)r->fate) {
        case FX_UNKNOWN:
        case FX_SKIP: one.skipped = 1; break;
        case FX_MERGE: one.merged = 1; break;
        case FX_BAD: one.rejected = 1; break;
        case FX_NOTHING: break;
        case FX_FEED:
            switch ((enum fx_outcome)r->outcome) {
            case FX_OUT_STORED: one.stored = 1; break;
            case FX_OUT_UNCHANGED: one.unchanged = 1; break;
            case FX_OUT_REPEATED: one.repeated = 1; break;
            case FX_OUT_REJECTED: one.rejected = 1; break;
            case FX_OUT_NONE: /* not fed: mapping only */
            case FX_OUT_EMPTY: one.skipped = 1; break;
            }
            break;
        }
        struct reg_fhir_counts *to[2] = { &st->total,
                                          per_file != NULL ? &per_file[r->src] : NULL };
        for (size_t k = 0; k < 2; k++) {
            if (to[k] == NULL)
                continue;
            to[k]->resources += one.resources;
            to[k]->stored += one.stored;
            to[k]->unchanged += one.unchanged;
            to[k]->repeated += one.repeated;
            to[k]->rejected += one.rejected;
            to[k]->merged += one.merged;
            to[k]->skipped += one.skipped;
        }
    }
}

/* run() under reg_import_attempt(), which may run it twice: the second
 * time starts from the stats of the first. */
struct fhir_pass {
    struct run *u;
    struct reg_fhir_stats before;
};

static int run_pass(void *ctx, struct kn_error *err)
{
    struct fhir_pass *pass = ctx;
    *pass->u->st = pass->before;
    return run(pass->u, err);
}

/* The files at paths, or the buffer data (paths == NULL), through run(). */
static int import(struct reg_import *im, const char *const *paths, size_t n,
                  const char *name, const char *data, size_t len,
                  const struct reg_fhir_options *opt,
                  int (*on_record)(void *ctx, const struct reg_fhir_record *rec),
                  void *ctx, struct reg_fhir_stats *stats, struct kn_error *err)
{
    struct reg_fhir_stats local;
    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    struct fx_set set;
    fx_set_init(&set, opt, stats);
    int rc = 0;
    if (paths != NULL) {
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = fx_add_file(&set, paths[i], err);
    } else {
        rc = fx_add_mem(&set, name, data, len, err);
    }
    if (rc == 0) {
        fx_link(&set);
        struct run u = { &set, opt, stats, im, on_record, ctx, NULL, NULL, NULL, 0, 0,
                         STRBUF_INIT, STRBUF_INIT };
        rc = rejects_open(&u, err);
        if (rc == 0 && im != NULL) {
            struct fhir_pass pass = { &u, *stats };
            rc = reg_import_attempt(im, run_pass, &pass, err);
        } else if (rc == 0) {
            rc = run(&u, err);
        }
        if (rc == 0)
            count(&set, stats, opt != NULL ? opt->per_file : NULL);
        /* The reject files appear only when the import went through. */
        for (size_t f = 0; rc == 0 && f < u.nrej; f++) {
            rc = outfile_commit(&u.rej_files[f], err);
            if (rc != 0)
                kn_error_prefix(err, "reject file: ");
        }
        for (size_t f = 0; f < u.nrej; f++)
            outfile_abort(&u.rej_files[f]);
        free(u.rej_files);
        free(u.rej_streams);
        sb_release(&u.why);
        sb_release(&u.warn);
    }
    fx_set_release(&set);
    if (rc != 0 && err != NULL) /* a path, or a value quoted on the way */
        pnr_mask(err->msg, strlen(err->msg));
    return rc;
}

int reg_fhir_import(struct reg_import *im, const char *const *paths, size_t n,
                    const struct reg_fhir_options *opt, struct reg_fhir_stats *stats,
                    struct kn_error *err)
{
    return import(im, paths, n, NULL, NULL, 0, opt, NULL, NULL, stats, err);
}

int reg_fhir_import_mem(struct reg_import *im, const char *name, const char *data,
                        size_t len, const struct reg_fhir_options *opt,
                        struct reg_fhir_stats *stats, struct kn_error *err)
{
    return import(im, NULL, 0, name, data, len, opt, NULL, NULL, stats, err);
}

int reg_fhir_map_mem(const char *name, const char *data, size_t len,
                     const struct reg_fhir_options *opt,
                     int (*on_record)(void *ctx, const struct reg_fhir_record *rec),
                     void *ctx, struct reg_fhir_stats *stats, struct kn_error *err)
{
    return import(NULL, NULL, 0, name, data, len, opt, on_record, ctx, stats, err);
}
