/* src/snapshot/snap_patch.c: a snapshot made from the last one and the rows
 * an import added (see snap_patch() in snap.h).
 *
 * A full build reads every row of the store; after an import only the rows
 * above the ids the last snapshot saw are new, and the person rows it
 * changed (another municipality, a death: logged by person in
 * snap_person_edit, migration 0029), since an import that edits or deletes
 * any other row, or deletes a person, is counted by snap_edit (migration
 * 0021) and then the whole snapshot is built again. The patch reads, in
 * one read transaction: the new units (appended, as a build reads them in
 * id order), the new persons (each put at the end of its place's persons,
 * where a build puts a person with a higher id), the changed persons' rows
 * (a person whose place changed goes among its new place's persons in id
 * order, as a build has them), and the new events of every table. The
 * persons they touch get their timelines merged again: their old events
 * (already in the build's order; a changed person's death left out, read
 * again with its row) and then the new ones in id order, sorted
 * stably by time, kind and type, which is the build's order, since events
 * equal in all three come from one table and a build keeps them in id
 * order. The merged timelines are appended to the column block the old
 * snapshot lives in (after its events; the old snapshot never reads
 * there), and every other person's slice is the old one, shared: work and
 * memory are proportional to the new rows and the touched persons' events,
 * plus the per-person arrays (about 37 bytes a person). When the block is
 * full, another snapshot appended to it first, or the touched persons' old
 * slices left in it (dead events) would pass an eighth of the events, the
 * columns are copied into a new block in person order instead. The persons
 * merged again or added are listed in the new snapshot (snap.touched),
 * for the engine's generation after it (eng_inc.h). */
#include <stdlib.h>
#include <string.h>

#include "lang/ind.h"
#include "snapshot/snap_impl.h"

struct patch {
    const struct snap *old;
    struct snap *s;       /* the new snapshot */
    struct snap *d;       /* the new persons alone (their columns) */
    struct snap *e;       /* the changed persons alone (NULL: none) */
    struct builder b;     /* events, units, codes of s */
    struct builder bd;    /* the new persons */
    struct builder be;    /* the changed persons */
    uint32_t *eidx;       /* old person index -> index in e, UINT32_MAX unchanged */
    uint8_t *edited;      /* new index -> 1 when its person row changed */
    uint32_t *map_old;    /* old person index -> new index */
    uint32_t *map_new;    /* index in d -> new index */
    uint32_t *src;        /* new index -> old index, UINT32_MAX for a new person */
    uint32_t *nfirst;     /* new index -> first of its staged events (counting sort) */
    struct stage *staged; /* the staged events by person, in read order */
};

static int oom(struct kn_error *err)
{
    return kn_fail(err, KN_ENOMEM, "snapshot: out of memory");
}

/* A copy of the strings list[0..n) in a, in a new malloc'd list of room cap. */
static const char **copy_names(const char *const *list, size_t n, struct arena *a)
{
    const char **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        if ((v[i] = arena_strdup(a, list[i])) == NULL) {
            free(v);
            return NULL;
        }
    return v;
}

/* Units, population and the place slots: the old ones (the edit count
 * says none of them changed), into s's own memory. */
static int copy_fixed(struct patch *pt, struct kn_error *err)
{
    const struct snap *o = pt->old;
    struct snap *s = pt->s;
    s->units = malloc((o->nunits ? o->nunits : 1) * sizeof *s->units);
    if (!s->units)
        return oom(err);
    for (size_t i = 0; i < o->nunits; i++) {
        s->units[i] = o->units[i];
        s->units[i].code = arena_strdup(&s->arena, o->units[i].code);
        s->units[i].name = arena_strdup(&s->arena, o->units[i].name);
        if (!s->units[i].code || !s->units[i].name)
            return oom(err);
    }
    s->nunits = o->nunits;
    pt->b.uidx = malloc(((size_t)o->max_unit + 1) * sizeof *pt->b.uidx);
    if (!pt->b.uidx)
        return oom(err);
    memcpy(pt->b.uidx, o->uidx, ((size_t)o->max_unit + 1) * sizeof *pt->b.uidx);
    pt->b.max_uid = o->max_unit;
    pt->b.after_unit = o->max_unit;
    if (o->pop == o->geo->population) {
        s->pop = o->pop;
    } else {
        struct geo_population *p = arena_alloc(&s->arena, (o->npop ? o->npop : 1) * sizeof *p);
        if (!p)
            return oom(err);
        memcpy(p, o->pop, o->npop * sizeof *p);
        s->pop = p;
    }
    s->npop = o->npop;
    size_t nr = o->geo->nregions ? o->geo->nregions : 1;
    s->nslots = o->nslots;
    s->slot_region = arena_alloc(&s->arena, o->nslots);
    s->slot_hc = arena_alloc(&s->arena, o->nslots);
    s->region_hc = arena_alloc(&s->arena, nr);
    if (!s->slot_region || !s->slot_hc || !s->region_hc)
        return oom(err);
    memcpy(s->slot_region, o->slot_region, o->nslots);
    memcpy(s->slot_hc, o->slot_hc, o->nslots);
    memcpy(s->region_hc, o->region_hc, nr);
    pt->b.codes = copy_names(o->codes, o->ncodes, &s->arena);
    pt->b.steps = copy_names(o->steps, o->nsteps, &s->arena);
    if (!pt->b.codes || !pt->b.steps)
        return oom(err);
    pt->b.ncodes = pt->b.codes_cap = o->ncodes;
    pt->b.nsteps = pt->b.steps_cap = o->nsteps;
    return 0;
}

/* An old person's place in the new snapshot: its changed row's, if any. */
static uint16_t slot_of(const struct patch *pt, size_t i)
{
    return pt->eidx[i] == UINT32_MAX ? pt->old->geo_slot[i]
                                     : pt->e->geo_slot[pt->eidx[i]];
}

/* Person w of the merge: old index w, or new person w - n0. */
static int64_t id_of(const struct patch *pt, uint32_t w)
{
    size_t n0 = pt->old->npersons;
    return w < n0 ? pt->old->person_id[w] : pt->d->person_id[w - n0];
}

struct ranked {
    int64_t id;
    uint32_t who;
};

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct ranked *)a)->id, y = ((const struct ranked *)b)->id;
    return (x > y) - (x < y);
}

/* The persons of one place in id order, as a build has them: needed
 * where a changed person moved in (the others of a place come in order:
 * its old persons, then the new ones, whose ids are higher). */
static int sort_place(const struct patch *pt, uint32_t *who, size_t n)
{
    struct ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return -1;
    for (size_t k = 0; k < n; k++)
        r[k] = (struct ranked){id_of(pt, who[k]), who[k]};
    qsort(r, n, sizeof *r, by_id);
    for (size_t k = 0; k < n; k++)
        who[k] = r[k].who;
    free(r);
    return 0;
}

/* The persons in their new order: each place's persons by id (the order
 * a build gives), a changed person in the place its row now names; and
 * the map from person id to the new index. */
static int merge_persons(struct patch *pt, struct kn_error *err)
{
    const struct snap *o = pt->old, *d = pt->d, *e = pt->e;
    struct snap *s = pt->s;
    size_t n0 = o->npersons, n1 = d->npersons, np = n0 + n1, ns = o->nslots;
    uint32_t *start = calloc(ns + 2, sizeof *start), *next = calloc(ns + 1, sizeof *next);
    uint32_t *who = malloc((np ? np : 1) * sizeof *who);
    uint8_t *into = calloc(ns + 1, 1);
    pt->eidx = malloc((n0 ? n0 : 1) * sizeof *pt->eidx);
    pt->edited = calloc(np + 1, 1);
    pt->map_old = malloc((n0 ? n0 : 1) * sizeof *pt->map_old);
    pt->map_new = malloc((n1 ? n1 : 1) * sizeof *pt->map_new);
    pt->src = malloc((np ? np : 1) * sizeof *pt->src);
    s->birth_year = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->birth_year);
    s->sex = arena_alloc(&s->arena, np ? np : 1);
    s->geo_slot = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->geo_slot);
    s->person_id = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->person_id);
    s->pidx = calloc((size_t)s->max_person + 1, sizeof *s->pidx);
    int rc = start && next && who && into && pt->eidx && pt->edited && pt->map_old &&
                     pt->map_new && pt->src && s->birth_year && s->sex && s->geo_slot &&
                     s->person_id && s->pidx
                 ? 0
                 : oom(err);
    if (rc == 0 && (np >= UINT32_MAX || pt->bd.max_pid > s->max_person))
        rc = kn_fail(err, KN_ESTORE, "snapshot: the person table changed while read");
    for (size_t i = 0; rc == 0 && i < n0; i++)
        pt->eidx[i] = UINT32_MAX;
    for (size_t q = 0; rc == 0 && e && q < e->npersons; q++) {
        int64_t id = e->person_id[q];
        if (id < 1 || id > o->max_person || !o->pidx[id])
            rc = kn_fail(err, KN_ESTORE, "snapshot: the person table changed while read");
        else
            pt->eidx[o->pidx[id] - 1] = (uint32_t)q;
    }
    if (rc == 0) {
        s->npersons = (uint32_t)np;
        for (size_t i = 0; i < n0; i++)
            start[slot_of(pt, i) + 1]++;
        for (size_t j = 0; j < n1; j++)
            start[d->geo_slot[j] + 1]++;
        for (size_t k = 0; k < ns; k++)
            start[k + 1] += start[k];
        /* old persons are grouped by place and in id order already */
        for (size_t i = 0; i < n0; i++) {
            uint16_t sl = slot_of(pt, i);
            who[start[sl] + next[sl]++] = (uint32_t)i;
            into[sl] |= sl != o->geo_slot[i];
        }
        for (size_t j = 0; j < n1; j++)
            who[start[d->geo_slot[j]] + next[d->geo_slot[j]]++] = (uint32_t)(n0 + j);
        for (size_t k = 0; rc == 0 && k < ns; k++)
            if (into[k] && sort_place(pt, who + start[k], start[k + 1] - start[k]) != 0)
                rc = oom(err);
    }
    for (size_t p = 0; rc == 0 && p < np; p++) {
        uint32_t w = who[p];
        if (w < n0) {
            uint32_t q = pt->eidx[w];
            pt->map_old[w] = (uint32_t)p;
            s->birth_year[p] = q == UINT32_MAX ? o->birth_year[w] : e->birth_year[q];
            s->sex[p] = q == UINT32_MAX ? o->sex[w] : e->sex[q];
            s->geo_slot[p] = slot_of(pt, w);
            s->person_id[p] = o->person_id[w];
            pt->src[p] = w;
            pt->edited[p] = q != UINT32_MAX;
        } else {
            size_t j = w - n0;
            pt->map_new[j] = (uint32_t)p;
            s->birth_year[p] = d->birth_year[j];
            s->sex[p] = d->sex[j];
            s->geo_slot[p] = d->geo_slot[j];
            s->person_id[p] = d->person_id[j];
            pt->src[p] = UINT32_MAX;
        }
    }
    if (rc == 0) {
        for (int64_t id = 1; id <= o->max_person; id++)
            if (o->pidx[id])
                s->pidx[id] = pt->map_old[o->pidx[id] - 1] + 1;
        for (int64_t id = o->max_person + 1; id <= pt->bd.max_pid; id++)
            if (pt->bd.pidx[id])
                s->pidx[id] = pt->map_new[pt->bd.pidx[id] - 1] + 1;
    }
    free(start);
    free(next);
    free(who);
    free(into);
    return rc;
}

/* Read what was added, in one read transaction. *stale: the store changed
 * in a way a patch cannot follow. */
static int read_new(struct patch *pt, bool *stale, struct kn_error *err)
{
    const struct snap *o = pt->old;
    struct snap *s = pt->s;
    struct store *st = pt->b.st;
    int rc = store_begin_read(st, err);
    if (rc != 0)
        return rc;
    rc = snap_read_marks(s, st, err);
    /* (a log of more changed persons than an eighth of them, e.g. a
     * population register read in again: a build is cheaper than merging
     * so many timelines) */
    *stale = rc == 0 && (s->edits != o->edits || s->max_person < o->max_person ||
                         s->max_unit < o->max_unit || s->person_edits < o->person_edits ||
                         s->person_edits - o->person_edits > (int64_t)o->npersons / 8);
    for (int tb = 0; rc == 0 && tb < SNAP_TABLES; tb++)
        *stale = *stale || s->max_id[tb] < o->max_id[tb];
    if (rc == 0 && !*stale)
        rc = copy_fixed(pt, err);
    if (rc == 0 && !*stale)
        rc = snap_read_units(&pt->b);
    if (rc == 0 && !*stale)
        rc = snap_read_persons(&pt->bd);
    if (rc == 0 && !*stale && s->person_edits > o->person_edits) {
        pt->be.edits_from = o->person_edits;
        pt->be.edits_to = s->person_edits;
        pt->be.edits_max = o->max_person;
        rc = snap_read_persons(&pt->be);
    } else {
        pt->e = NULL; /* no changed person */
    }
    if (rc == 0 && !*stale)
        rc = merge_persons(pt, err);
    /* the new persons' deaths first, as a build reads them */
    for (size_t k = 0; rc == 0 && !*stale && k < pt->bd.n; k++) {
        struct stage *e = snap_push(&pt->b);
        if (!e) {
            rc = oom(err);
            break;
        }
        *e = pt->bd.ev[k];
        e->person = pt->map_new[e->person];
    }
    /* and the changed persons' (their old deaths are dropped: merge_person) */
    for (size_t k = 0; rc == 0 && !*stale && pt->e && k < pt->be.n; k++) {
        struct stage *e = snap_push(&pt->b);
        if (!e) {
            rc = oom(err);
            break;
        }
        *e = pt->be.ev[k];
        e->person = pt->map_old[pt->old->pidx[pt->e->person_id[e->person]] - 1];
    }
    if (rc == 0 && !*stale) {
        pt->b.pidx = s->pidx;
        pt->b.max_pid = s->max_person;
        for (int tb = 0; tb < SNAP_TABLES; tb++)
            pt->b.after[tb] = o->max_id[tb];
        for (int tb = T_ACT; rc == 0 && tb <= T_STEP; tb++)
            rc = snap_read_table(&pt->b, (enum snap_table)tb);
        pt->b.pidx = NULL; /* s's own */
    }
    store_rollback(st);
    return rc;
}

/* The staged events grouped by person, each group in read order. */
static int group_staged(struct patch *pt, struct kn_error *err)
{
    size_t np = pt->s->npersons, n = pt->b.n;
    pt->nfirst = calloc(np + 1, sizeof *pt->nfirst);
    pt->staged = malloc((n ? n : 1) * sizeof *pt->staged);
    uint32_t *fill = malloc((np ? np : 1) * sizeof *fill);
    if (!pt->nfirst || !pt->staged || !fill) {
        free(fill);
        return oom(err);
    }
    for (size_t i = 0; i < n; i++)
        pt->nfirst[pt->b.ev[i].person + 1]++;
    for (size_t p = 0; p < np; p++)
        pt->nfirst[p + 1] += pt->nfirst[p];
    memcpy(fill, pt->nfirst, np * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        pt->staged[fill[pt->b.ev[i].person]++] = pt->b.ev[i];
    free(fill);
    return 0;
}

/* Person p's old slice (old index op, UINT32_MAX for a new person) and
 * its new events merged into the columns at pos; ev_off and ev_end set. */
static int merge_person(struct patch *pt, size_t p, uint32_t op, size_t pos,
                        struct stage **tmp, size_t *tmp_cap, struct kn_error *err)
{
    const struct snap *o = pt->old;
    struct snap *s = pt->s;
    size_t ob = op == UINT32_MAX ? 0 : o->ev_off[op];
    size_t on = op == UINT32_MAX ? 0 : o->ev_end[op] - ob;
    size_t nb = pt->nfirst[p], nn = pt->nfirst[p + 1] - nb;
    if (on + nn > *tmp_cap) {
        size_t cap = (on + nn) * 2;
        struct stage *g = realloc(*tmp, cap * sizeof *g);
        if (!g)
            return oom(err);
        *tmp = g, *tmp_cap = cap;
    }
    struct stage *v = *tmp;
    size_t kept = 0;
    for (size_t i = 0; i < on; i++) {
        size_t k = ob + i;
        if (pt->edited[p] && o->kind[k] == IND_EV_DEATH)
            continue; /* read again with the changed row */
        struct stage *e = &v[kept++];
        e->kind = o->kind[k], e->sub = o->sub[k], e->flags = o->flags[k];
        e->t = o->t[k], e->dur = o->dur[k];
        e->unit = o->unit[k], e->code = o->code[k], e->diag = o->diag[k];
    }
    on = kept;
    if (nn)
        memcpy(v + on, pt->staged + nb, nn * sizeof *v);
    snap_sort_slice(v, on + nn);
    for (size_t i = 0; i < on + nn; i++) {
        const struct stage *e = &v[i];
        size_t k = pos + i;
        s->kind[k] = e->kind, s->sub[k] = e->sub, s->flags[k] = e->flags;
        s->t[k] = e->t, s->dur[k] = e->dur;
        s->unit[k] = e->unit, s->code[k] = e->code, s->diag[k] = e->diag;
    }
    s->ev_off[p] = (uint32_t)pos;
    s->ev_end[p] = (uint32_t)(pos + on + nn);
    snap_kind_index(s, p);
    return 0;
}

/* The data's end and the earliest start: old's and the new events'. */
static void new_ends(struct patch *pt)
{
    struct snap *s = pt->s;
    int32_t last = pt->old->t_last, first = pt->old->t_first;
    for (size_t i = 0; i < pt->b.n; i++) {
        const struct stage *e = &pt->b.ev[i];
        if (e->kind == IND_EV_DEATH)
            continue;
        if (e->t < first)
            first = e->t;
        if (e->t > last)
            last = e->t;
        if (e->dur != SNAP_NO_END && (int64_t)e->t + e->dur > last &&
            (int64_t)e->t + e->dur <= INT32_MAX)
            last = (int32_t)((int64_t)e->t + e->dur);
    }
    s->t_last = last;
    s->t_first = first;
}

/* The columns. When old's block has room after old's events and nobody
 * claimed it, the touched persons' merged timelines are appended there
 * and every other person's slice is old's (shared); else a new block gets
 * every person's slice, copied or merged, in person order. */
static int assemble(struct patch *pt, struct kn_error *err)
{
    const struct snap *o = pt->old;
    struct snap *s = pt->s;
    size_t np = s->npersons;
    s->ev_off = arena_alloc(&s->arena, (np + 1) * sizeof *s->ev_off);
    s->kind_start = arena_alloc(&s->arena, (np ? np : 1) * SNAP_KINDS1);
    s->touched = malloc((np ? np : 1) * sizeof *s->touched);
    if (!s->ev_off || !s->kind_start || !s->touched)
        return oom(err);
    s->base_serial = o->serial;
    s->ntouched = 0;
    /* the touched persons, the events their old slices hold, and the
     * changed persons' old deaths among them (read again) */
    size_t moved = 0, dropped = 0;
    for (size_t p = 0; p < np; p++) {
        uint32_t op = pt->src[p];
        if (pt->nfirst[p + 1] > pt->nfirst[p] || op == UINT32_MAX || pt->edited[p]) {
            s->touched[s->ntouched++] = (uint32_t)p;
            if (op != UINT32_MAX)
                moved += o->ev_end[op] - o->ev_off[op];
            for (size_t k = pt->edited[p] ? o->ev_off[op] : 0;
                 pt->edited[p] && k < o->ev_end[op]; k++)
                dropped += o->kind[k] == IND_EV_DEATH;
        }
    }
    size_t n = o->nevents - dropped + pt->b.n;
    if (n >= UINT32_MAX)
        return kn_fail(err, KN_ENOMEM, "snapshot: more than 4 billion events");
    s->nevents = n;
    size_t need = moved - dropped + pt->b.n, dead = o->dead + moved;
    bool append = dead <= n / 8 && snap_cols_claim(o->cols, o->cols_end, need);
    struct snap_cols *cols = o->cols;
    if (append) {
        s->ev_end = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->ev_end);
        if (!s->ev_end)
            return oom(err);
        s->cols_end = o->cols_end + need;
        s->dead = dead;
    } else {
        if (!(cols = snap_cols_new(snap_cols_room(n))))
            return oom(err);
        s->ev_end = s->ev_off + 1;
        s->cols_end = n;
        s->dead = 0;
        atomic_store(&cols->used, n);
    }
    snap_cols_attach(s, cols);
    struct stage *tmp = NULL;
    size_t tmp_cap = 0, pos = append ? o->cols_end : 0;
    int rc = 0;
    for (size_t p = 0, ti = 0; rc == 0 && p < np; p++) {
        uint32_t op = pt->src[p];
        bool touched = ti < s->ntouched && s->touched[ti] == p;
        if (touched) {
            ti++;
            rc = merge_person(pt, p, op, pos, &tmp, &tmp_cap, err);
            pos = s->ev_end[p];
            continue;
        }
        memcpy(s->kind_start + p * SNAP_KINDS1, o->kind_start + (size_t)op * SNAP_KINDS1,
               SNAP_KINDS1);
        size_t ob = o->ev_off[op], on = o->ev_end[op] - ob;
        if (append) {
            s->ev_off[p] = (uint32_t)ob;
            s->ev_end[p] = (uint32_t)(ob + on);
            continue;
        }
        s->ev_off[p] = (uint32_t)pos;
        memcpy(s->kind + pos, o->kind + ob, on);
        memcpy(s->sub + pos, o->sub + ob, on);
        memcpy(s->flags + pos, o->flags + ob, on);
        memcpy(s->t + pos, o->t + ob, on * sizeof *s->t);
        memcpy(s->dur + pos, o->dur + ob, on * sizeof *s->dur);
        memcpy(s->unit + pos, o->unit + ob, on * sizeof *s->unit);
        memcpy(s->code + pos, o->code + ob, on * sizeof *s->code);
        memcpy(s->diag + pos, o->diag + ob, on * sizeof *s->diag);
        memcpy(s->kind_pos + pos, o->kind_pos + ob, on);
        pos += on;
        s->ev_off[p + 1] = (uint32_t)pos;
    }
    s->ev_off[np] = (uint32_t)pos; /* read only when built in order (ev_end) */
    free(tmp);
    if (rc != 0)
        return rc;
    new_ends(pt);
    return snap_finish(s, err);
}

static void builder_release(struct builder *b)
{
    free(b->ev);
    free(b->hash);
    free(b->codes);
    free(b->steps);
    free(b->pidx);
    free(b->uidx);
}

int snap_patch(struct snap **out, const struct snap *old, struct store *st,
               struct kn_error *err)
{
    *out = NULL;
    if (old->edits < 0)
        return 0;
    struct patch pt = { .old = old };
    pt.s = calloc(1, sizeof *pt.s);
    pt.d = calloc(1, sizeof *pt.d);
    pt.e = calloc(1, sizeof *pt.e);
    if (!pt.s || !pt.d || !pt.e) {
        free(pt.s);
        free(pt.d);
        free(pt.e);
        return oom(err);
    }
    struct snap *e = pt.e; /* freed whole below; pt.e is NULL when unread */
    arena_init(&pt.s->arena);
    arena_init(&pt.s->arena2);
    arena_init(&pt.d->arena);
    arena_init(&pt.d->arena2);
    arena_init(&e->arena);
    arena_init(&e->arena2);
    pt.s->geo = pt.d->geo = e->geo = old->geo;
    pt.s->patched = true;
    pt.b = (struct builder){ .s = pt.s, .st = st, .err = err, .strings = &pt.s->arena };
    pt.bd = (struct builder){ .s = pt.d, .st = st, .err = err, .strings = &pt.d->arena,
                              .after_person = old->max_person };
    pt.be = (struct builder){.s = e, .st = st, .err = err, .strings = &e->arena};
    bool stale = false;
    int rc = read_new(&pt, &stale, err);
    if (rc == 0 && !stale)
        rc = group_staged(&pt, err);
    if (rc == 0 && !stale)
        rc = assemble(&pt, err);
    if (rc == 0 && !stale) /* few: read again whole, as a build does */
        rc = snap_read_consults(pt.s, st, err);
    if (rc == 0 && !stale) {
        pt.s->codes = pt.b.codes, pt.s->ncodes = pt.b.ncodes, pt.b.codes = NULL;
        pt.s->steps = pt.b.steps, pt.s->nsteps = pt.b.nsteps, pt.b.steps = NULL;
        pt.s->uidx = pt.b.uidx, pt.b.uidx = NULL;
        *out = pt.s;
        pt.s = NULL;
    }
    builder_release(&pt.b);
    builder_release(&pt.bd);
    builder_release(&pt.be);
    free(pt.eidx);
    free(pt.edited);
    snap_free(e);
    free(pt.map_old);
    free(pt.map_new);
    free(pt.src);
    free(pt.nfirst);
    free(pt.staged);
    snap_free(pt.s);
    snap_free(pt.d);
    return rc;
}
