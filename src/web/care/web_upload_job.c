/* src/web/care/web_upload_job.c: the uploads' worker (web_upload_job.h).
 *
 * One thread, a queue of jobs under one mutex. An import runs outside the
 * mutex; only its progress (rows read) is written under it, a few times a
 * second at most, as the CSV reader reports it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access_audit.h"
#include "access/access_scope.h"
#include "base/config.h"
#include "base/log.h"
#include "domain/pnr_shape.h"
#include "domain/pseudo.h"
#include "registry/reg_csv.h"
#include "registry/reg_fhir.h"
#include "registry/reg_import.h"
#include "web/care/web_upload_db.h"
#include "web/care/web_upload_job.h"
#include "web/web_db.h"
#include "web/web_req.h"

#define MAX_REPORT 10000 /* lines kept of a reject report; all are counted */

struct job {
    struct web_upload_job j;
    struct job *next;
};

struct web_uploads {
    const struct web_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail; /* queued */
    int64_t current;         /* running, 0 if none */
    uint64_t rows_read, rows_total;
    bool stop;
};

/* The reject report of the running import. */
struct report {
    struct web_uploads *u;
    const struct web_upload_job *j;
    struct web_upload_reject *items;
    size_t n, cap;
    bool full;
};

/* The temporary file's base name (".knod-upload-XXXXXX"), which a
 * message may name instead of its path. */
static const char *base_of(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* s with the temporary file's path (or base name) replaced by the
 * upload's name, in a new string, a personnummer-shaped number masked. */
static char *shown(const char *s, const struct web_upload_job *j)
{
    const char *b = base_of(j->path);
    size_t pl = strlen(b), nl = strlen(j->file_name), cnt = 0;
    for (const char *p = strstr(s, b); p; p = strstr(p + pl, b))
        cnt++;
    size_t len = strlen(s) + cnt * (nl > pl ? nl - pl : 0) + 1;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; *p;) {
        /* the directory before the base name goes too */
        size_t dl = (size_t)(b - j->path);
        if (dl && strncmp(p, j->path, dl + pl) == 0)
            p += dl;
        if (pl && strncmp(p, b, pl) == 0) {
            memcpy(o, j->file_name, nl);
            o += nl;
            p += pl;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    pnr_mask(out, strlen(out));
    return out;
}

/* where: "PATH:LINE" (CSV), "PATH:LINE: Type/id (path)" (NDJSON) or
 * "PATH: entry[3] Type/id (path)" (a bundle); reason: "field 'x': why"
 * or just why. */
static void note(struct report *r, const char *where, const char *reason, bool warning)
{
    if (r->n == r->cap) {
        if (r->cap == MAX_REPORT) {
            r->full = true;
            return;
        }
        size_t cap = r->cap ? r->cap * 2 : 64;
        if (cap > MAX_REPORT)
            cap = MAX_REPORT;
        void *p = realloc(r->items, cap * sizeof *r->items);
        if (!p) {
            r->full = true;
            return;
        }
        r->items = p;
        r->cap = cap;
    }
    struct web_upload_reject *e = &r->items[r->n];
    memset(e, 0, sizeof *e);
    const char *rest = where, *b = base_of(r->j->path);
    if (strstr(rest, b))
        rest = strstr(rest, b) + strlen(b);
    if (*rest == ':')
        rest++;
    char *end = NULL;
    long long line = strtoll(rest, &end, 10);
    if (end != rest && line > 0 && (*end == '\0' || *end == ':')) {
        e->line = line;
        rest = *end ? end + 1 : end;
    }
    while (*rest == ' ')
        rest++;
    const char *why = reason;
    char field[64] = "";
    if (strncmp(why, "field '", 7) == 0 && strstr(why, "': ")) {
        size_t fl = (size_t)(strstr(why, "': ") - (why + 7));
        snprintf(field, sizeof field, "%.*s", (int)(fl < 63 ? fl : 63), why + 7);
        why = strstr(why, "': ") + 3;
    }
    if (warning && strncmp(why, "warning: ", 9) == 0)
        why += 9;
    e->place = shown(rest, r->j);
    e->field = shown(field, r->j);
    e->reason = shown(why, r->j);
    e->warning = warning;
    if (!e->place || !e->field || !e->reason) {
        free(e->place);
        free(e->field);
        free(e->reason);
        r->full = true;
        return;
    }
    r->n++;
}

static void on_reject(void *ctx, const char *where, const char *reason)
{
    note(ctx, where, reason, false);
}

static void on_warning(void *ctx, const char *where, const char *reason)
{
    note(ctx, where, reason, true);
}

static void on_progress(void *ctx, uint64_t rows, uint64_t bytes, uint64_t total, int done)
{
    (void)bytes;
    (void)total;
    (void)done;
    struct report *r = ctx;
    pthread_mutex_lock(&r->u->mu);
    r->u->rows_read = rows;
    pthread_mutex_unlock(&r->u->mu);
}

/* The scope of every row (reg_import_options.scope): the uploader's, by
 * the same rules as the registration forms (access_scope.h). */
struct scope_ctx {
    struct store *st;
    const struct access_user *user;
};

static int row_scope(void *ctx, const struct reg_row_place *p, struct kn_error *err)
{
    struct scope_ctx *sc = ctx;
    const struct access_user *u = sc->user;
    const char *kind = reg_kind_name(p->kind);
    bool in = true;
    int rc = 0;
    if (u->scope == SCOPE_NATION)
        return 0;
    if (p->unit) {
        rc = access_scope_has_unit(sc->st, u, p->unit, &in, err);
        if (rc == 0 && !in)
            return kn_fail(err, KN_EPERM, "the unit '%s' is outside your %s (%s)", p->unit,
                           access_scope_name(u->scope), u->scope_code);
        if (rc != 0 || strcmp(kind, "contacts") == 0)
            return rc;
    }
    if (strcmp(kind, "units") == 0) {
        in = access_scope_has_region(u, p->region);
        if (!in)
            return kn_fail(err, KN_EPERM, "region %s is outside your %s (%s)",
                           p->region ? p->region : "?", access_scope_name(u->scope),
                           u->scope_code);
        return 0;
    }
    if (strcmp(kind, "persons") == 0) {
        rc = access_scope_has_home(sc->st, u, p->region, &in, err);
        if (rc == 0 && !in)
            return kn_fail(err, KN_EPERM, "the person lives in region %s, outside your "
                           "%s (%s)", p->region ? p->region : "?",
                           access_scope_name(u->scope), u->scope_code);
        return rc;
    }
    if (p->pseudonym) {
        rc = access_scope_has_person(sc->st, u, p->pseudonym, &in, err);
        if (rc == KN_ENOTFOUND)
            rc = 0, in = false;
        if (rc == 0 && !in)
            return kn_fail(err, KN_EPERM, "the person has neither a home nor a contact "
                           "in your %s (%s)", access_scope_name(u->scope), u->scope_code);
    }
    return rc;
}

/* Rows of a CSV file (its lines but the header), counted beforehand for
 * the progress bar; 0 if unknown. */
static uint64_t count_rows(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[65536];
    uint64_t lines = 0;
    size_t n;
    int last = '\n';
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        last = buf[n - 1];
    }
    fclose(f);
    lines += last != '\n';
    return lines > 0 ? lines - 1 : 0;
}

static void free_report(struct report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].place);
        free(r->items[i].field);
        free(r->items[i].reason);
    }
    free(r->items);
}

/* Import j's file in one transaction; fill o (message in msg). */
static void import(struct web_uploads *u, const struct web_upload_job *j, struct store *st,
                   struct report *rep, struct web_upload_outcome *o, char *msg, size_t cap)
{
    const struct config *cfg = u->app->cfg;
    struct kn_error err = KN_ERROR_INIT;
    struct access_user user = { .id = j->user_id, .name = j->user_name, .role = j->role,
                                .scope = j->scope,
                                .scope_code = j->scope_code[0] ? j->scope_code : NULL };
    struct scope_ctx sc = { st, &user };
    struct reg_import_options io = { .keep_valid = false, .scope = row_scope,
                                     .scope_ctx = &sc };
    io.plaus.max_age_years = cfg->plaus_max_age_years;
    io.plaus.max_emergency_hours = cfg->plaus_max_emergency_hours;
    io.plaus.max_inpatient_days = cfg->plaus_max_inpatient_days;
    io.plaus.max_coercive_hours = cfg->plaus_max_coercive_hours;
    struct pseudo_key key;
    struct reg_import *im = NULL;
    bool fhir = strcmp(j->format, "fhir") == 0;
    const struct reg_kind *k = fhir ? NULL : reg_kind_find(j->kind);
    int rc = pseudo_key_load(cfg->key_path, &key, &err);
    if (rc == 0 && !fhir && !k)
        rc = kn_fail(&err, KN_EINPUT, "unknown kind '%s'", j->kind);
    if (rc == 0)
        rc = reg_import_begin(st, &key, &io, &im, &err);
    if (rc == 0 && fhir) {
        struct reg_fhir_options fo = { .on_reject = on_reject, .on_warning = on_warning,
                                       .ctx = rep };
        struct reg_fhir_stats fs;
        const char *paths[] = { j->path };
        rc = reg_fhir_import(im, paths, 1, &fo, &fs, &err);
    } else if (rc == 0) {
        struct reg_csv_options co = { NULL, on_reject, on_progress, rep, false, on_warning };
        rc = reg_csv_import(im, k, j->path, &co, &err);
    }
    struct reg_import_stats s = { 0 };
    if (im)
        s = *reg_import_get_stats(im);
    char run_name[300];
    snprintf(run_name, sizeof run_name, "upload %lld: %s", (long long)j->id, j->file_name);
    if (rc == 0) {
        rc = reg_import_finish(im, true, run_name, fhir ? "fhir" : j->kind, j->format, &err);
    } else if (im) {
        reg_import_finish(im, false, NULL, NULL, NULL, NULL);
    }
    pseudo_key_wipe(&key);
    o->rows_read = s.rows;
    o->stored = rc == 0 ? s.stored : 0;
    o->unchanged = rc == 0 ? s.unchanged + s.repeated : 0;
    o->rejected = s.rejected;
    o->warned = s.warnings;
    char *why = rc != 0 ? shown(err.msg, j) : NULL;
    if (rc == 0) {
        o->state = "stored";
        snprintf(msg, cap, "%llu rows: %llu stored, %llu unchanged",
                 (unsigned long long)s.rows, (unsigned long long)s.stored,
                 (unsigned long long)(s.unchanged + s.repeated));
    } else if (rc == KN_EINPUT) {
        o->state = "rejected";
        snprintf(msg, cap, "%s%s", why ? why : "rejected",
                 why && strstr(why, "nothing was stored") ? ""
                                                          : "; nothing of the file was stored");
    } else {
        o->state = "failed";
        snprintf(msg, cap, "the import failed (%s); nothing of the file was stored",
                 why ? why : "error");
        log_msg(LOG_ERROR, "upload %lld failed: %s", (long long)j->id, why ? why : "");
    }
    free(why);
    o->message = msg;
}

static void run(struct web_uploads *u, const struct web_upload_job *j)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store *st = web_db_store(u->app->db, &err);
    struct report rep = { .u = u, .j = j };
    struct web_upload_outcome o = { 0 };
    char msg[KN_ERROR_MAX + 64];
    if (!st) {
        log_msg(LOG_ERROR, "upload %lld: %s", (long long)j->id, err.msg);
        unlink(j->path);
        return;
    }
    if (web_upload_db_running(st, j->id, u->rows_total, &err) != 0)
        log_msg(LOG_WARN, "upload %lld: %s", (long long)j->id, err.msg);
    import(u, j, st, &rep, &o, msg, sizeof msg);
    unlink(j->path);
    kn_time now = time_now();
    if (web_upload_db_finish(st, j->id, &o, rep.items, rep.n, now, &err) != 0)
        log_msg(LOG_ERROR, "upload %lld: the outcome was not recorded: %s", (long long)j->id,
                err.msg);
    char subject[40], detail[200];
    snprintf(subject, sizeof subject, "upload/%lld", (long long)j->id);
    snprintf(detail, sizeof detail, "%s %s, %llu rows: %llu stored, %llu rejected, "
             "%llu warnings: %s", j->format, j->kind, (unsigned long long)o.rows_read,
             (unsigned long long)o.stored, (unsigned long long)o.rejected,
             (unsigned long long)o.warned, o.state);
    if (access_audit_add(st, &u->app->audit, now, j->user_name, "upload-done", subject, "",
                         detail, &err) != 0)
        log_msg(LOG_ERROR, "upload %lld: the audit log failed: %s", (long long)j->id,
                err.msg);
    free_report(&rep);
}

static void *worker(void *arg)
{
    struct web_uploads *u = arg;
    pthread_mutex_lock(&u->mu);
    while (!u->stop) {
        struct job *jb = u->head;
        if (!jb) {
            pthread_cond_wait(&u->cv, &u->mu);
            continue;
        }
        u->head = jb->next;
        if (!u->head)
            u->tail = NULL;
        u->current = jb->j.id;
        u->rows_read = 0;
        u->rows_total = 0;
        pthread_mutex_unlock(&u->mu);
        uint64_t total = strcmp(jb->j.format, "csv") == 0 ? count_rows(jb->j.path) : 0;
        pthread_mutex_lock(&u->mu);
        u->rows_total = total;
        pthread_mutex_unlock(&u->mu);
        run(u, &jb->j);
        free(jb);
        pthread_mutex_lock(&u->mu);
        u->current = 0;
    }
    pthread_mutex_unlock(&u->mu);
    return NULL;
}

int web_uploads_new(struct web_uploads **out, const struct web_app *app, struct kn_error *err)
{
    struct store *st = web_db_store(app->db, err);
    if (!st)
        return err->code ? err->code : KN_ESTORE;
    int64_t n = 0;
    int rc = web_upload_db_interrupted(st, "the server stopped before the import ended; "
                                       "nothing of the file was stored: upload it again",
                                       time_now(), &n, err);
    if (rc != 0)
        return rc;
    if (n > 0)
        log_msg(LOG_WARN, "%lld uploads were interrupted by a stop", (long long)n);
    struct web_uploads *u = calloc(1, sizeof *u);
    if (!u)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    u->app = app;
    pthread_mutex_init(&u->mu, NULL);
    pthread_cond_init(&u->cv, NULL);
    if (pthread_create(&u->thread, NULL, worker, u) != 0) {
        pthread_mutex_destroy(&u->mu);
        pthread_cond_destroy(&u->cv);
        free(u);
        return kn_fail(err, KN_EIO, "cannot start the uploads' thread");
    }
    *out = u;
    return 0;
}

int web_uploads_submit(struct web_uploads *u, const struct web_upload_job *job,
                       struct kn_error *err)
{
    struct job *jb = calloc(1, sizeof *jb);
    if (!jb) {
        unlink(job->path);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    jb->j = *job;
    pthread_mutex_lock(&u->mu);
    if (u->tail)
        u->tail->next = jb;
    else
        u->head = jb;
    u->tail = jb;
    pthread_cond_signal(&u->cv);
    pthread_mutex_unlock(&u->mu);
    return 0;
}

bool web_uploads_progress(struct web_uploads *u, int64_t id, bool *running,
                          uint64_t *rows_read, uint64_t *rows_total)
{
    bool found = false;
    *running = false;
    *rows_read = *rows_total = 0;
    pthread_mutex_lock(&u->mu);
    if (u->current == id) {
        found = *running = true;
        *rows_read = u->rows_read;
        *rows_total = u->rows_total;
    }
    for (struct job *jb = u->head; !found && jb; jb = jb->next)
        found = jb->j.id == id;
    pthread_mutex_unlock(&u->mu);
    return found;
}

void web_uploads_free(struct web_uploads *u)
{
    if (!u)
        return;
    pthread_mutex_lock(&u->mu);
    u->stop = true;
    struct job *jb = u->head;
    u->head = u->tail = NULL;
    pthread_cond_signal(&u->cv);
    pthread_mutex_unlock(&u->mu);
    pthread_join(u->thread, NULL);
    while (jb) {
        struct job *next = jb->next;
        unlink(jb->j.path);
        free(jb);
        jb = next;
    }
    pthread_mutex_destroy(&u->mu);
    pthread_cond_destroy(&u->cv);
    free(u);
}
