/* src/snapshot/snap_build.c: the snapshot from the staged events (see snap.h).
 *
 * The persons and units are read first; then the event tables, on one
 * connection, or on two at once: the contacts (about half of all rows) on
 * one, the other tables on the other. Two readers must see the same store:
 * each opens a read transaction and reads the import-run stamp in it, and
 * unless the stamps agree (an import landed between the two) the build
 * starts again. Each reader keeps its own dictionaries; the second's codes
 * are mapped into the first's when the staged events are joined. A counting
 * sort by person and a sort of each person's few events by time then give
 * the timelines, which are split into the columns. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ind.h"
#include "snapshot/snap_impl.h"

static int oom(struct builder *b)
{
    return kn_fail(b->err, KN_ENOMEM, "snapshot: out of memory");
}

static int stage_cmp(const void *pa, const void *pb)
{
    const struct stage *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->sub != b->sub)
        return a->sub < b->sub ? -1 : 1;
    /* then the order they were read in, each table by id (snap_sort_slice) */
    return (a->person > b->person) - (a->person < b->person);
}

/* Sort one person's events by time, kind and type; events equal in all
 * three keep the order they were read in (each table is read in id order),
 * so `pick first` is the same whatever the sort: the slice's positions go
 * into the person field, which the caller no longer needs. */
void snap_sort_slice(struct stage *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i].person = (uint32_t)i;
    if (n > 24) {
        qsort(v, n, sizeof *v, stage_cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct stage x = v[i];
        size_t j = i;
        while (j > 0 && stage_cmp(&v[j - 1], &x) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Counting sort by person, then each timeline by time, into the columns. */
static int assemble(struct builder *b)
{
    struct snap *s = b->s;
    size_t np = s->npersons, n = b->n;
    if (n >= UINT32_MAX)
        return kn_fail(b->err, KN_ENOMEM, "snapshot: more than 4 billion events");
    s->ev_off = arena_calloc(&s->arena, np + 1, sizeof *s->ev_off);
    struct stage *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!s->ev_off || !sorted) {
        free(sorted);
        return oom(b);
    }
    for (size_t i = 0; i < n; i++)
        s->ev_off[b->ev[i].person + 1]++;
    for (size_t p = 0; p < np; p++)
        s->ev_off[p + 1] += s->ev_off[p];
    uint32_t *fill = malloc((np ? np : 1) * sizeof *fill);
    if (!fill) {
        free(sorted);
        return oom(b);
    }
    memcpy(fill, s->ev_off, np * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        sorted[fill[b->ev[i].person]++] = b->ev[i];
    free(fill);
    free(b->ev);
    b->ev = NULL;
    for (size_t p = 0; p < np; p++)
        snap_sort_slice(sorted + s->ev_off[p], s->ev_off[p + 1] - s->ev_off[p]);

    s->nevents = n;
    s->ev_end = s->ev_off + 1;
    struct snap_cols *cols = snap_cols_new(snap_cols_room(n));
    if (!cols) {
        free(sorted);
        return oom(b);
    }
    snap_cols_attach(s, cols);
    atomic_store(&cols->used, n);
    s->cols_end = n;
    for (size_t i = 0; i < n; i++) {
        const struct stage *e = &sorted[i];
        s->kind[i] = e->kind;
        s->sub[i] = e->sub;
        s->flags[i] = e->flags;
        s->t[i] = e->t;
        s->dur[i] = e->dur;
        s->unit[i] = e->unit;
        s->code[i] = e->code;
        s->diag[i] = e->diag;
    }
    free(sorted);
    s->kind_start = arena_alloc(&s->arena, (np ? np : 1) * SNAP_KINDS1);
    if (!s->kind_start)
        return oom(b);
    for (size_t p = 0; p < np; p++)
        snap_kind_index(s, p);
    snap_scan_ends(s);
    return snap_finish(s, b->err);
}

/* each person's events by kind, for persons with fewer than 256 events:
 * the kinds' starts and the positions in kind order (snap.h) */
void snap_kind_index(struct snap *s, size_t p)
{
    size_t b0 = s->ev_off[p], e0 = s->ev_end[p];
    uint8_t *ks = s->kind_start + p * SNAP_KINDS1;
    if (e0 - b0 >= 256) {
        memset(ks, 0, SNAP_KINDS1);
        return;
    }
    uint8_t kf[SNAP_KINDS1] = { 0 };
    for (size_t i = b0; i < e0; i++)
        kf[s->kind[i] + 1]++;
    for (int k = 0; k < IND_EV_COUNT; k++)
        kf[k + 1] = (uint8_t)(kf[k + 1] + kf[k]);
    memcpy(ks, kf, SNAP_KINDS1);
    for (size_t i = b0; i < e0; i++)
        s->kind_pos[b0 + kf[s->kind[i]]++] = (uint8_t)(i - b0);
}

void snap_scan_ends(struct snap *s)
{
    int32_t last = INT32_MIN, first = INT32_MAX;
    for (size_t i = 0; i < s->nevents; i++) {
        if (s->kind[i] == IND_EV_DEATH)
            continue;
        if (s->t[i] < first)
            first = s->t[i];
        if (s->t[i] > last)
            last = s->t[i];
        if (s->dur[i] != SNAP_NO_END && (int64_t)s->t[i] + s->dur[i] > last &&
            (int64_t)s->t[i] + s->dur[i] <= INT32_MAX)
            last = (int32_t)((int64_t)s->t[i] + s->dur[i]);
    }
    s->t_last = last;
    s->t_first = first;
}

int snap_finish(struct snap *s, struct kn_error *err)
{
    static atomic_uint_fast64_t serials;
    s->serial = atomic_fetch_add(&serials, 1) + 1;
    size_t n = s->nevents, np = s->npersons;
    int32_t last = s->t_last;
    /* the month of every day a snapshot time can fall on (1931 .. 2068) */
    size_t ndays = (size_t)(((int64_t)INT32_MAX - SNAP_T_MIN) / 86400 + 2);
    s->day_month = arena_alloc(&s->arena, ndays * sizeof *s->day_month);
    if (!s->day_month)
        return kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
    for (size_t d = 0; d < ndays; d++) {
        int64_t secs = SNAP_T_MIN + (int64_t)d * 86400 + SNAP_EPOCH;
        int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
        struct kn_ymd ymd = date_to_ymd((kn_day)day);
        s->day_month[d] = (int16_t)(ymd.year * 12 + ymd.month - 1);
    }
    s->year_min = s->year_max = 0;
    if (last != INT32_MIN) {
        s->year_min = snap_month(s->t_first) / 12;
        s->year_max = snap_month(last) / 12;
    }
    s->bytes = n * 18 + np * (sizeof *s->ev_off + sizeof *s->birth_year + 1 +
                              sizeof *s->geo_slot + sizeof *s->person_id + SNAP_KINDS1) + sizeof *s->ev_off;
    if (s->ev_end != s->ev_off + 1)
        s->bytes += np * sizeof *s->ev_end;
    return 0;
}


int snap_read_stamp(struct store *st, int64_t out[2], struct kn_error *err)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT count(*), coalesce(max(id), 0) FROM import_run", &q,
                           err);
    if (rc == 0 && (rc = store_step(q, err)) == STORE_ROW) {
        out[0] = store_col_int(q, 0);
        out[1] = store_col_int(q, 1);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ESTORE, "snapshot: no import-run stamp");
    }
    store_finalize(q);
    return rc;
}

struct reader {
    struct builder *b;
    int rc;
};

/* The second reader's tables: all but the contacts. */
static void *read_others(void *arg)
{
    struct reader *r = arg;
    static const enum snap_table tables[] = { T_ACT, T_MEASURE, T_ASSESS, T_PLAN,
                                              T_TREAT, T_FOLLOW, T_STEP };
    r->rc = 0;
    for (size_t i = 0; r->rc == 0 && i < sizeof tables / sizeof tables[0]; i++)
        r->rc = snap_read_table(r->b, tables[i]);
    return NULL;
}

/* Join the second reader's events to the first's, its codes mapped into the
 * first's dictionary; the steps are only the second's. */
static int join(struct builder *a, struct builder *b)
{
    uint16_t *map = malloc((b->ncodes + 1) * sizeof *map);
    int rc = map ? 0 : oom(a);
    for (size_t i = 0; rc == 0 && i < b->ncodes; i++)
        rc = snap_intern_code(a, b->codes[i], strlen(b->codes[i]), &map[i]);
    if (rc == 0 && a->n + b->n > a->cap) {
        struct stage *e = realloc(a->ev, (a->n + b->n) * sizeof *e);
        if (!e)
            rc = oom(a);
        else
            a->ev = e, a->cap = a->n + b->n;
    }
    for (size_t i = 0; rc == 0 && i < b->n; i++) {
        struct stage e = b->ev[i];
        if (e.code != SNAP_NONE)
            e.code = map[e.code];
        if (e.diag != SNAP_NONE)
            e.diag = map[e.diag];
        a->ev[a->n++] = e;
    }
    free(map);
    if (rc == 0) {
        a->steps = b->steps, a->nsteps = b->nsteps, a->steps_cap = b->steps_cap;
        b->steps = NULL;
        b->nsteps = 0;
    }
    return rc;
}

static void builder_free(struct builder *b)
{
    free(b->ev);
    free(b->hash);
    free(b->codes);
    free(b->steps);
}

/* The store's population table into the snapshot's arena (geo's shipped
 * table if it is empty). */
static int read_population(struct snap *s, struct store *st, struct kn_error *err)
{
    struct store_stmt *q = NULL;
    int rc = store_prepare(st,
                           "SELECT year, region_code, sex, age, population FROM population "
                           "ORDER BY year, region_code, sex, age",
                           &q, err);
    size_t n = 0, cap = 0;
    struct geo_population *v = NULL;
    while (rc == 0 && (rc = store_step(q, err)) == STORE_ROW) {
        rc = 0;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            struct geo_population *grown = arena_alloc(&s->arena, ncap * sizeof *grown);
            if (!grown) {
                rc = kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
                break;
            }
            if (n)
                memcpy(grown, v, n * sizeof *grown);
            v = grown, cap = ncap;
        }
        size_t len = 0;
        const char *code = store_col_text(q, 1, &len);
        const char *sex = store_col_text(q, 2, NULL);
        struct geo_population *p = &v[n++];
        memset(p, 0, sizeof *p); /* padding too: snapshots compare byte for byte */
        p->year = (int)store_col_int(q, 0);
        snprintf(p->region_code, sizeof p->region_code, "%.*s", (int)len, code ? code : "");
        p->sex = sex && sex[0] == 'M' ? 'M' : 'F';
        p->age = (int)store_col_int(q, 3);
        p->population = store_col_int(q, 4);
    }
    store_finalize(q);
    if (rc < 0)
        return rc;
    if (n == 0) {
        s->pop = s->geo->population;
        s->npop = s->geo->npopulation;
    } else {
        s->pop = v;
        s->npop = n;
    }
    return 0;
}

/* One attempt; KN_EEXIST when the two readers saw different stores. */
static int build(struct snap *s, struct store *st, struct store *st2, struct kn_error *err)
{
    struct kn_error err2 = KN_ERROR_INIT;
    struct builder a = { .s = s, .st = st, .err = err, .strings = &s->arena };
    struct builder b = { .s = s, .st = st2, .err = &err2, .strings = &s->arena2 };
    int64_t sa[2] = { 0, 0 }, sb[2] = { 0, 0 };
    int rc = store_begin_read(st, err);
    bool began = rc == 0, began2 = false;
    if (rc == 0)
        rc = snap_read_stamp(st, sa, err);
    if (rc == 0 && st2) {
        rc = store_begin_read(st2, err);
        began2 = rc == 0;
        if (rc == 0)
            rc = snap_read_stamp(st2, sb, err);
        if (rc == 0 && (sa[0] != sb[0] || sa[1] != sb[1]))
            rc = KN_EEXIST;
    }
    if (rc == 0)
        rc = read_population(s, st, err);
    if (rc == 0)
        rc = snap_read_marks(s, st, err);
    if (rc == 0)
        rc = snap_read_consults(s, st, err);
    if (rc == 0)
        rc = snap_read_units(&a);
    if (rc == 0)
        rc = snap_read_persons(&a);
    if (rc == 0 && st2) {
        b.pidx = a.pidx, b.max_pid = a.max_pid, b.uidx = a.uidx, b.max_uid = a.max_uid;
        struct reader r = { &b, 0 };
        pthread_t th;
        bool started = pthread_create(&th, NULL, read_others, &r) == 0;
        rc = snap_read_table(&a, T_CONTACT);
        if (started)
            pthread_join(th, NULL);
        else
            read_others(&r);
        if (rc == 0 && r.rc != 0)
            rc = kn_fail(err, r.rc, "%s", err2.msg);
        if (rc == 0)
            rc = join(&a, &b);
    } else {
        for (int tb = T_ACT; rc == 0 && tb <= T_STEP; tb++)
            rc = snap_read_table(&a, (enum snap_table)tb);
    }
    if (began)
        store_rollback(st);
    if (began2)
        store_rollback(st2);
    if (rc == 0) {
        rc = assemble(&a);
        s->codes = a.codes, s->ncodes = a.ncodes, a.codes = NULL;
        s->steps = a.steps, s->nsteps = a.nsteps, a.steps = NULL;
    }
    /* kept for a patch (snap_patch.c), whose id maps start from these */
    s->pidx = a.pidx;
    s->uidx = a.uidx;
    if (rc == 0 && !s->pidx && (s->pidx = calloc(1, sizeof *s->pidx)) == NULL)
        rc = kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
    if (rc == 0 && !s->uidx && (s->uidx = calloc(1, sizeof *s->uidx)) == NULL)
        rc = kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
    builder_free(&a);
    builder_free(&b);
    return rc;
}

int snap_build2(struct snap **out, struct store *st, struct store *st2, const struct geo *geo,
                struct kn_error *err)
{
    int rc = KN_EEXIST;
    for (int attempt = 0; rc == KN_EEXIST && attempt < 3; attempt++) {
        struct snap *s = calloc(1, sizeof *s);
        if (!s)
            return kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
        arena_init(&s->arena);
        arena_init(&s->arena2);
        s->geo = geo;
        /* after two attempts on a busy store, one connection */
        rc = build(s, st, attempt < 2 ? st2 : NULL, err);
        if (rc == 0) {
            *out = s;
            return 0;
        }
        snap_free(s);
    }
    return rc;
}

int snap_build(struct snap **out, struct store *st, const struct geo *geo,
               struct kn_error *err)
{
    return snap_build2(out, st, NULL, geo, err);
}

void snap_free(struct snap *s)
{
    if (!s)
        return;
    free(s->codes);
    free(s->steps);
    free(s->units);
    free(s->pidx);
    free(s->uidx);
    free(s->touched);
    snap_cols_unref(s->cols);
    arena_release(&s->arena);
    arena_release(&s->arena2);
    free(s);
}
