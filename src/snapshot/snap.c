/* src/snapshot/snap.c: building the snapshot from the store (see snap.h).
 *
 * Each event table is read in one scan into a row-wise staging array;
 * a counting sort by person and a sort of each person's few events by time
 * then give the timelines, which are split into the columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ind.h"
#include "snapshot/snap_impl.h"

int snap_month(int32_t t)
{
    int64_t secs = (int64_t)t + SNAP_EPOCH;
    int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    struct kn_ymd ymd = date_to_ymd((kn_day)day);
    return ymd.year * 12 + ymd.month - 1;
}

static int oom(struct builder *b)
{
    return kn_fail(b->err, KN_ENOMEM, "snapshot: out of memory");
}

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Append a copy of s[0..n) (in the snapshot's arena) to a growable list. */
static int push_name(struct builder *b, const char ***list, size_t *len, size_t *cap,
                     const char *s, size_t n)
{
    if (*len == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        const char **l = realloc(*list, nc * sizeof *l);
        if (!l)
            return KN_ENOMEM;
        *list = l;
        *cap = nc;
    }
    char *copy = arena_strndup(b->strings, s, n);
    if (!copy)
        return KN_ENOMEM;
    (*list)[(*len)++] = copy;
    return 0;
}

/* Dictionary index of an ICD-10 code (SNAP_NONE for NULL). */
int snap_intern_code(struct builder *b, const char *s, size_t n, uint16_t *out)
{
    if (!s) {
        *out = SNAP_NONE;
        return 0;
    }
    struct builder *sn = b;
    if (sn->ncodes * 2 >= b->hcap) {
        size_t nc = b->hcap ? b->hcap * 2 : 1024;
        while (sn->ncodes * 2 >= nc) /* a patch starts with the codes it copied */
            nc *= 2;
        uint16_t *h = malloc(nc * sizeof *h);
        if (!h)
            return oom(b);
        memset(h, 0xff, nc * sizeof *h);
        for (size_t i = 0; i < sn->ncodes; i++) {
            size_t j = hash_str(sn->codes[i], strlen(sn->codes[i])) & (nc - 1);
            while (h[j] != SNAP_NONE)
                j = (j + 1) & (nc - 1);
            h[j] = (uint16_t)i;
        }
        free(b->hash);
        b->hash = h;
        b->hcap = nc;
    }
    size_t j = hash_str(s, n) & (b->hcap - 1);
    while (b->hash[j] != SNAP_NONE) {
        const char *c = sn->codes[b->hash[j]];
        if (strlen(c) == n && memcmp(c, s, n) == 0) {
            *out = b->hash[j];
            return 0;
        }
        j = (j + 1) & (b->hcap - 1);
    }
    if (sn->ncodes >= SNAP_NONE - 1)
        return kn_fail(b->err, KN_ENOMEM, "snapshot: more than %d distinct ICD-10 codes",
                       SNAP_NONE - 1);
    if (push_name(b, &sn->codes, &sn->ncodes, &b->codes_cap, s, n) != 0)
        return oom(b);
    b->hash[j] = (uint16_t)(sn->ncodes - 1);
    *out = (uint16_t)(sn->ncodes - 1);
    return 0;
}

static int intern_step(struct builder *b, const char *s, size_t n, uint8_t *out)
{
    struct builder *sn = b;
    for (size_t i = 0; i < sn->nsteps; i++)
        if (strlen(sn->steps[i]) == n && memcmp(sn->steps[i], s, n) == 0) {
            *out = (uint8_t)i;
            return 0;
        }
    if (sn->nsteps == 255)
        return kn_fail(b->err, KN_EINPUT, "snapshot: more than 255 pathway step codes");
    if (push_name(b, &sn->steps, &sn->nsteps, &b->steps_cap, s, n) != 0)
        return oom(b);
    *out = (uint8_t)(sn->nsteps - 1);
    return 0;
}

struct stage *snap_push(struct builder *b)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1 << 16;
        struct stage *e = realloc(b->ev, nc * sizeof *e);
        if (!e)
            return NULL;
        b->ev = e;
        b->cap = nc;
    }
    struct stage *e = &b->ev[b->n++];
    memset(e, 0, sizeof *e);
    e->unit = e->code = e->diag = SNAP_NONE;
    e->dur = SNAP_NO_END;
    return e;
}

static int word(struct builder *b, struct store_stmt *q, int col,
                const char *const *words, const char *what, uint8_t *out)
{
    size_t n;
    const char *s = store_col_text(q, col, &n);
    int i = s ? ind_word_index(words, s, n) : -1;
    if (i < 0)
        return kn_fail(b->err, KN_ESTORE, "snapshot: unknown %s '%.*s' in the store", what,
                       s ? (int)n : 0, s ? s : "");
    *out = (uint8_t)i;
    return 0;
}

static int times(struct builder *b, struct store_stmt *q, int cs, int ce, struct stage *e)
{
    kn_time t0 = store_col_int(q, cs);
    if (t0 < (kn_time)SNAP_EPOCH + INT32_MIN + 1 || t0 > (kn_time)SNAP_EPOCH + INT32_MAX)
        return kn_fail(b->err, KN_ESTORE, "snapshot: a time outside 1932-2068 in the store");
    e->t = snap_time(t0);
    if (ce >= 0 && !store_col_is_null(q, ce)) {
        kn_time t1 = store_col_int(q, ce);
        if (t1 < t0 || t1 - t0 >= (kn_time)SNAP_NO_END)
            return kn_fail(b->err, KN_ESTORE, "snapshot: an end before its start or more "
                           "than 136 years after it");
        e->dur = (uint32_t)(t1 - t0);
    }
    return 0;
}

static int person_of(struct builder *b, struct store_stmt *q, int col, uint32_t *out)
{
    int64_t id = store_col_int(q, col);
    if (id < 1 || id > b->max_pid || b->pidx[id] == 0)
        return kn_fail(b->err, KN_ESTORE, "snapshot: an event of an unknown person");
    *out = b->pidx[id] - 1;
    return 0;
}

static int unit_of(struct builder *b, struct store_stmt *q, int col, uint16_t *out)
{
    int64_t id = store_col_int(q, col);
    if (id < 1 || id > b->max_uid || b->uidx[id] == 0)
        return kn_fail(b->err, KN_ESTORE, "snapshot: an event at an unknown unit");
    *out = (uint16_t)(b->uidx[id] - 1);
    return 0;
}


/* Each table from the row after b->after[tb] on ($1; 0 reads it whole),
 * in id order. */
static const char *const table_sql[] = {
    [T_ACT] = "SELECT person_id, act_time, cause_code, contact_id IS NOT NULL "
              "FROM self_harm_act WHERE id > $1 ORDER BY id",
    [T_CONTACT] = "SELECT person_id, contact_type, start_time, end_time, unit_id, "
                  "legal_basis, brief_admission, cause_code, main_diagnosis FROM contact "
                  "WHERE id > $1 ORDER BY id",
    [T_MEASURE] = "SELECT m.person_id, m.measure_type, m.legal_basis, m.start_time, "
                  "m.end_time, c.unit_id FROM coercive_measure m "
                  "JOIN contact c ON c.id = m.stay_id WHERE m.id > $1 ORDER BY m.id",
    [T_ASSESS] = "SELECT person_id, assessment_type, assessment_time FROM assessment "
                 "WHERE id > $1 ORDER BY id",
    [T_PLAN] = "SELECT person_id, plan_type, plan_time FROM care_plan WHERE id > $1 "
               "ORDER BY id",
    [T_TREAT] = "SELECT person_id, treatment_type, start_time, end_time FROM treatment "
                "WHERE id > $1 ORDER BY id",
    [T_FOLLOW] = "SELECT person_id, mode, follow_up_time FROM follow_up WHERE id > $1 "
                 "ORDER BY id",
    [T_STEP] = "SELECT person_id, pathway, step, step_time FROM pathway_step WHERE id > $1 "
               "ORDER BY id",
};

static const char *const table_name[] = {
    [T_ACT] = "self_harm_act", [T_CONTACT] = "contact", [T_MEASURE] = "coercive_measure",
    [T_ASSESS] = "assessment", [T_PLAN] = "care_plan", [T_TREAT] = "treatment",
    [T_FOLLOW] = "follow_up", [T_STEP] = "pathway_step",
};

static int one_int(struct store *st, const char *sql, int64_t *out, struct kn_error *err)
{
    struct store_stmt *q;
    int rc = store_prepare(st, sql, &q, err);
    if (rc == 0 && (rc = store_step(q, err)) == STORE_ROW) {
        *out = store_col_int(q, 0);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ESTORE, "snapshot: no answer to a count");
    }
    store_finalize(q);
    return rc;
}

int snap_read_marks(struct snap *s, struct store *st, struct kn_error *err)
{
    /* the SQL names only the constant table names above, never input */
    char sql[96];
    int rc = 0;
    for (int tb = T_ACT; rc == 0 && tb <= T_STEP; tb++) {
        snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", table_name[tb]);
        rc = one_int(st, sql, &s->max_id[tb], err);
    }
    if (rc == 0)
        rc = one_int(st, "SELECT coalesce(max(id), 0) FROM person", &s->max_person, err);
    if (rc == 0)
        rc = one_int(st, "SELECT coalesce(max(id), 0) FROM care_unit", &s->max_unit, err);
    int64_t has = 0;
    if (rc == 0)
        rc = one_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                     "name = 'snap_edit'", &has, err);
    s->edits = -1;
    if (rc == 0 && has)
        rc = one_int(st, "SELECT edits FROM snap_edit", &s->edits, err);
    has = 0;
    if (rc == 0)
        rc = one_int(st,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                     "name = 'snap_person_edit'",
                     &has, err);
    s->person_edits = 0;
    if (rc == 0 && has)
        rc = one_int(st, "SELECT coalesce(max(seq), 0) FROM snap_person_edit",
                     &s->person_edits, err);
    return rc;
}

static int row(struct builder *b, enum snap_table tb, struct store_stmt *q, struct stage *e)
{
    int rc = person_of(b, q, 0, &e->person);
    size_t n;
    const char *s;
    uint8_t v = 0;
    if (rc != 0)
        return rc;
    switch (tb) {
    case T_ACT:
        e->kind = IND_EV_ACT;
        rc = times(b, q, 1, -1, e);
        s = store_col_text(q, 2, &n);
        if (rc == 0)
            rc = snap_intern_code(b, s, n, &e->code);
        if (s && n && s[0] == 'Y')
            e->flags |= SNAP_F_UNDET;
        if (store_col_int(q, 3))
            e->flags |= SNAP_F_LINKED;
        return rc;
    case T_CONTACT:
        rc = word(b, q, 1, ind_contact_types, "contact type", &v);
        e->kind = v == 0 ? IND_EV_EMERGENCY : v == 1 ? IND_EV_OUTPATIENT : IND_EV_STAY;
        e->sub = v;
        if (rc == 0)
            rc = times(b, q, 2, 3, e);
        if (rc == 0)
            rc = unit_of(b, q, 4, &e->unit);
        if (rc == 0)
            rc = word(b, q, 5, ind_legal_words, "legal basis", &v);
        e->flags |= v & SNAP_F_LEGAL;
        if (store_col_int(q, 6))
            e->flags |= SNAP_F_BRIEF;
        s = store_col_text(q, 7, &n);
        if (rc == 0)
            rc = snap_intern_code(b, s, n, &e->code);
        s = store_col_text(q, 8, &n);
        if (rc == 0)
            rc = snap_intern_code(b, s, n, &e->diag);
        return rc;
    case T_MEASURE:
        e->kind = IND_EV_MEASURE;
        rc = word(b, q, 1, ind_measure_types, "measure type", &e->sub);
        if (rc == 0)
            rc = word(b, q, 2, ind_legal_words, "legal basis", &v);
        e->flags |= v & SNAP_F_LEGAL;
        if (rc == 0)
            rc = times(b, q, 3, 4, e);
        if (rc == 0)
            rc = unit_of(b, q, 5, &e->unit);
        return rc;
    case T_ASSESS:
    case T_PLAN:
    case T_FOLLOW:
        e->kind = tb == T_ASSESS ? IND_EV_ASSESSMENT : tb == T_PLAN ? IND_EV_PLAN
                                                                    : IND_EV_FOLLOWUP;
        rc = word(b, q, 1, tb == T_ASSESS ? ind_assessment_types
                           : tb == T_PLAN ? ind_plan_types : ind_modes, "type", &e->sub);
        return rc == 0 ? times(b, q, 2, -1, e) : rc;
    case T_TREAT:
        e->kind = IND_EV_TREATMENT;
        rc = word(b, q, 1, ind_treatment_types, "treatment type", &e->sub);
        return rc == 0 ? times(b, q, 2, 3, e) : rc;
    case T_STEP:
        e->kind = IND_EV_STEP;
        rc = word(b, q, 1, ind_pathways, "pathway", &v);
        if (v)
            e->flags |= SNAP_F_CHILD;
        s = store_col_text(q, 2, &n);
        if (rc == 0)
            rc = intern_step(b, s ? s : "", s ? n : 0, &e->sub);
        return rc == 0 ? times(b, q, 3, -1, e) : rc;
    }
    return 0;
}

int snap_read_table(struct builder *b, enum snap_table tb)
{
    struct store_stmt *q;
    int rc = store_prepare(b->st, table_sql[tb], &q, b->err);
    if (rc == 0)
        store_bind_int(q, 1, b->after[tb]);
    while (rc == 0) {
        int r = store_step(q, b->err);
        if (r < 0) {
            rc = r;
            break;
        }
        if (r == STORE_DONE)
            break;
        struct stage *e = snap_push(b);
        rc = e ? row(b, tb, q, e) : oom(b);
    }
    store_finalize(q);
    return rc;
}

static int region_index(const struct geo *g, const char *code, size_t n)
{
    for (size_t i = 0; code && n == 2 && i < g->nregions; i++)
        if (memcmp(g->regions[i].code, code, 2) == 0)
            return (int)i;
    return -1;
}

static int hc_index(const struct geo *g, const char *code)
{
    for (size_t i = 0; i < g->nhregions; i++)
        if (strcmp(g->hregions[i].code, code) == 0)
            return (int)i;
    return -1;
}

int snap_read_units(struct builder *b)
{
    struct snap *s = b->s;
    struct store_stmt *q;
    int rc = store_prepare(b->st, "SELECT id, code, name, region_code, unit_type, setting "
                           "FROM care_unit WHERE id > $1 ORDER BY id", &q, b->err);
    if (rc == 0)
        store_bind_int(q, 1, b->after_unit);
    size_t cap = s->nunits; /* a patch starts with the units it copied */
    while (rc == 0) {
        int r = store_step(q, b->err);
        if (r <= 0) {
            rc = r;
            break;
        }
        int64_t id = store_col_int(q, 0);
        if (s->nunits >= SNAP_NONE - 1 || id < 1 || id > INT32_MAX) {
            rc = kn_fail(b->err, KN_ESTORE, "snapshot: too many care units");
            break;
        }
        if (s->nunits == cap) {
            cap = cap ? cap * 2 : 64;
            struct snap_unit *u = realloc(s->units, cap * sizeof *u);
            if (!u) {
                rc = oom(b);
                break;
            }
            s->units = u;
        }
        if (id > b->max_uid) {
            uint32_t *m = realloc(b->uidx, (size_t)(id + 1) * 2 * sizeof *m);
            if (!m) {
                rc = oom(b);
                break;
            }
            memset(m + b->max_uid + 1, 0, (size_t)((id + 1) * 2 - b->max_uid - 1) * sizeof *m);
            b->uidx = m;
            b->max_uid = (id + 1) * 2 - 1;
        }
        b->uidx[id] = (uint32_t)s->nunits + 1;
        struct snap_unit *u = &s->units[s->nunits++];
        size_t n;
        const char *c = store_col_text(q, 1, &n);
        u->code = arena_strndup(&s->arena, c ? c : "", c ? n : 0);
        c = store_col_text(q, 2, &n);
        u->name = arena_strndup(&s->arena, c ? c : "", c ? n : 0);
        c = store_col_text(q, 3, &n);
        int ri = region_index(s->geo, c, n);
        u->region = (uint8_t)(ri < 0 ? 0 : ri);
        if (rc == 0 && (ri < 0 || !u->code || !u->name))
            rc = kn_fail(b->err, KN_ESTORE, "snapshot: a care unit without a known region");
        if (rc == 0)
            rc = word(b, q, 4, ind_unit_kinds, "unit kind", &u->kind);
        if (rc == 0)
            rc = word(b, q, 5, ind_settings, "setting", &u->setting);
    }
    store_finalize(q);
    return rc;
}

/* Renumber the persons so that those of one place are neighbours: the
 * engine's accumulator cells of a place then stay in the cache while its
 * persons are evaluated. */
static int order_by_place(struct builder *b)
{
    struct snap *s = b->s;
    size_t np = s->npersons;
    uint32_t *start = calloc(s->nslots + 1, sizeof *start);
    uint32_t *newi = malloc((np ? np : 1) * sizeof *newi);
    uint16_t *by = malloc((np ? np : 1) * sizeof *by);
    uint8_t *sx = malloc(np ? np : 1);
    uint16_t *sl = malloc((np ? np : 1) * sizeof *sl);
    int rc = start && newi && by && sx && sl ? 0 : oom(b);
    if (rc == 0) {
        for (size_t i = 0; i < np; i++)
            start[s->geo_slot[i] + 1]++;
        for (size_t k = 0; k < s->nslots; k++)
            start[k + 1] += start[k];
        for (size_t i = 0; i < np; i++)
            newi[i] = start[s->geo_slot[i]]++;
        for (size_t i = 0; i < np; i++) {
            by[newi[i]] = s->birth_year[i];
            sx[newi[i]] = s->sex[i];
            sl[newi[i]] = s->geo_slot[i];
        }
        memcpy(s->birth_year, by, np * sizeof *by);
        memcpy(s->sex, sx, np);
        memcpy(s->geo_slot, sl, np * sizeof *sl);
        for (int64_t id = 1; id <= b->max_pid; id++)
            if (b->pidx[id]) {
                b->pidx[id] = newi[b->pidx[id] - 1] + 1;
                s->person_id[b->pidx[id] - 1] = id;
            }
        for (size_t k = 0; k < b->n; k++) /* the deaths read so far */
            b->ev[k].person = newi[b->ev[k].person];
    }
    free(start);
    free(newi);
    free(by);
    free(sx);
    free(sl);
    return rc;
}

static void bind_persons(const struct builder *b, struct store_stmt *q)
{
    if (b->edits_to > 0) {
        store_bind_int(q, 1, b->edits_max);
        store_bind_int(q, 2, b->edits_from);
        store_bind_int(q, 3, b->edits_to);
    } else {
        store_bind_int(q, 1, b->after_person);
    }
}

int snap_read_persons(struct builder *b)
{
    struct snap *s = b->s;
    const struct geo *g = s->geo;
    int16_t muni_slot[10000], region_of_code[100];
    memset(muni_slot, 0xff, sizeof muni_slot);
    memset(region_of_code, 0xff, sizeof region_of_code);
    s->nslots = g->nmunicipalities + g->nregions + 1;
    s->slot_region = arena_alloc(&s->arena, s->nslots);
    s->slot_hc = arena_alloc(&s->arena, s->nslots);
    s->region_hc = arena_alloc(&s->arena, g->nregions ? g->nregions : 1);
    if (!s->slot_region || !s->slot_hc || !s->region_hc)
        return oom(b);
    for (size_t i = 0; i < g->nregions; i++) {
        const struct geo_region *r = &g->regions[i];
        region_of_code[(r->code[0] - '0') * 10 + (r->code[1] - '0')] = (int16_t)i;
        s->region_hc[i] = (int8_t)hc_index(g, r->healthcare_region);
        s->slot_region[g->nmunicipalities + i] = (int8_t)i;
        s->slot_hc[g->nmunicipalities + i] = s->region_hc[i];
    }
    for (size_t i = 0; i < g->nmunicipalities; i++) {
        const struct geo_municipality *m = &g->municipalities[i];
        muni_slot[atoi(m->code)] = (int16_t)i;
        s->slot_region[i] = (int8_t)region_index(g, m->region_code, 2);
        s->slot_hc[i] = (int8_t)hc_index(g, m->healthcare_region);
    }
    s->slot_region[s->nslots - 1] = -1;
    s->slot_hc[s->nslots - 1] = -1;

    /* the rows above after_person, or the changed ones (snap_impl.h) */
    static const char *const which[2] = {
        "id > $1",
        "id <= $1 AND id IN (SELECT person_id FROM snap_person_edit WHERE seq > $2 AND "
        "seq <= $3)",
    };
    bool edited = b->edits_to > 0;
    char sql[320];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(max(id), 0), count(*) FROM person WHERE %s", which[edited]);
    struct store_stmt *q;
    int rc = store_prepare(b->st, sql, &q, b->err);
    if (rc == 0)
        bind_persons(b, q);
    if (rc == 0 && (rc = store_step(q, b->err)) == STORE_ROW) {
        b->max_pid = store_col_int(q, 0);
        s->npersons = (uint32_t)store_col_int(q, 1);
        rc = 0;
    }
    store_finalize(q);
    if (rc != 0)
        return rc;
    size_t np = s->npersons;
    b->pidx = calloc((size_t)b->max_pid + 1, sizeof *b->pidx);
    s->birth_year = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->birth_year);
    s->sex = arena_alloc(&s->arena, np ? np : 1);
    s->geo_slot = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->geo_slot);
    s->person_id = arena_alloc(&s->arena, (np ? np : 1) * sizeof *s->person_id);
    if (!b->pidx || !s->birth_year || !s->sex || !s->geo_slot || !s->person_id)
        return oom(b);
    snprintf(sql, sizeof sql,
             "SELECT id, birth_year, sex, municipality, region_code, "
             "death_date, death_by_suicide FROM person WHERE %s ORDER BY id",
             which[edited]);
    rc = store_prepare(b->st, sql, &q, b->err);
    if (rc == 0)
        bind_persons(b, q);
    uint32_t i = 0;
    while (rc == 0) {
        int r = store_step(q, b->err);
        if (r <= 0) {
            rc = r;
            break;
        }
        int64_t id = store_col_int(q, 0);
        if (i >= np || id < 1 || id > b->max_pid) {
            rc = kn_fail(b->err, KN_ESTORE, "snapshot: the person table changed while read");
            break;
        }
        b->pidx[id] = i + 1;
        s->birth_year[i] = (uint16_t)store_col_int(q, 1);
        size_t n;
        const char *sx = store_col_text(q, 2, &n);
        s->sex[i] = sx && n == 1 && sx[0] == 'M';
        const char *mu = store_col_text(q, 3, &n);
        int slot = (int)s->nslots - 1;
        if (mu && n == 4 && muni_slot[atoi(mu)] >= 0) {
            slot = muni_slot[atoi(mu)];
        } else {
            const char *rg = store_col_text(q, 4, &n);
            if (rg && n == 2 && rg[0] >= '0' && rg[0] <= '9' && rg[1] >= '0' && rg[1] <= '9' &&
                region_of_code[(rg[0] - '0') * 10 + (rg[1] - '0')] >= 0)
                slot = (int)g->nmunicipalities + region_of_code[(rg[0] - '0') * 10 + (rg[1] - '0')];
        }
        s->geo_slot[i] = (uint16_t)slot;
        if (!store_col_is_null(q, 5)) {
            struct stage *e = snap_push(b);
            if (!e) {
                rc = oom(b);
                break;
            }
            e->person = i;
            e->kind = IND_EV_DEATH;
            /* a death has only a date: it is put at the day's last second, so
             * that a death on the day of an event comes after it */
            kn_time t = time_from_day((kn_day)store_col_int(q, 5)) + KN_DAY_SECONDS - 1;
            if (t < (kn_time)SNAP_EPOCH + INT32_MIN + 1 || t > (kn_time)SNAP_EPOCH + INT32_MAX)
                rc = kn_fail(b->err, KN_ESTORE, "snapshot: a date of death outside 1932-2068");
            e->t = snap_time(t);
            if (store_col_int(q, 6) == 1)
                e->flags |= SNAP_F_SUICIDE;
        }
        i++;
    }
    store_finalize(q);
    if (rc == 0 && i != np)
        rc = kn_fail(b->err, KN_ESTORE, "snapshot: the person table changed while read");
    return rc == 0 ? order_by_place(b) : rc;
}

