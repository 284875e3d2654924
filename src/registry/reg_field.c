/* src/registry/reg_field.c: phase A of an import row, and the helpers the
 * kinds' row functions share.
 *
 * Phase A parses every field of a row by its column type (reg_import_impl.h)
 * without touching the store while the session has preloaded its persons,
 * so the CSV importer then runs it on its producer thread: it validates
 * text, codes, times, ICD-10 codes and references' shape, turns the
 * personnummer into its pseudonym and finds the person and unit in the
 * session's maps (a person not preloaded: through the store,
 * reg_persons.c). Here too: keeping personnummer out of every text that is
 * stored (ids, names, codes; domain/pnr_shape.h).
 */
#include "registry/reg_import_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* ---- helpers for the row functions ---- */

int reg_field_fail(struct kn_error *err, const struct reg_kind *k, size_t col,
                   const char *fmt, ...)
{
    char why[KN_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return kn_fail(err, KN_EINPUT, "field '%s': %s", k->cols[col].name, why);
}

void reg_field_warn(struct reg_import *im, const struct reg_kind *k, size_t col,
                    const char *fmt, ...)
{
    if (im->nwarn >= REG_MAX_WARNINGS)
        return;
    char why[KN_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    struct kn_error *w = &im->warn[im->nwarn++];
    kn_error_init(w);
    kn_fail(w, KN_EINPUT, "field '%s': %s", k->cols[col].name, why);
    pnr_mask(w->msg, strlen(w->msg));
}

int reg_bind_opt_text(struct store_stmt *st, int i, const struct reg_val *v)
{
    return v->present ? store_bind_text(st, i, v->s, v->len) : store_bind_null(st, i);
}

int reg_bind_opt_int(struct store_stmt *st, int i, const struct reg_val *v)
{
    return v->present ? store_bind_int(st, i, v->i) : store_bind_null(st, i);
}

static int unit_cmp(const char *code, size_t len, const struct reg_unit *u)
{
    size_t ulen = strlen(u->code);
    int c = memcmp(code, u->code, len < ulen ? len : ulen);
    return c != 0 ? c : (len > ulen) - (len < ulen);
}

/* Binary search in the sorted unit array; *at is where it would go. */
struct reg_unit *reg_unit_find(const struct reg_import *im, const char *code, size_t len,
                              size_t *at)
{
    size_t lo = 0, hi = im->nunits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = unit_cmp(code, len, &im->units[mid]);
        if (c == 0)
            return &im->units[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (at != NULL)
        *at = lo;
    return NULL;
}

int reg_unit_add(struct reg_import *im, const char *code, size_t len,
                 const char *region, bool inpatient, int64_t id)
{
    size_t at = 0;
    struct reg_unit *u = reg_unit_find(im, code, len, &at);
    if (u == NULL) {
        if (len >= sizeof u->code)
            return KN_EINPUT;
        if (im->nunits == im->units_cap) {
            size_t cap = im->units_cap ? im->units_cap * 2 : 64;
            struct reg_unit *p = realloc(im->units, cap * sizeof *p);
            if (p == NULL)
                return KN_ENOMEM;
            im->units = p;
            im->units_cap = cap;
        }
        memmove(&im->units[at + 1], &im->units[at], (im->nunits - at) * sizeof *u);
        im->nunits++;
        u = &im->units[at];
        memcpy(u->code, code, len);
        u->code[len] = '\0';
    }
    u->id = id;
    memcpy(u->region, region, 3);
    u->inpatient = inpatient;
    return 0;
}

/* ---- field parsing ---- */

static bool is_icd10(const char *s, size_t len)
{
    if (len < 3 || s[0] < 'A' || s[0] > 'Z' || s[1] < '0' || s[1] > '9' || s[2] < '0'
        || s[2] > '9')
        return false;
    size_t i = 3;
    if (i < len && s[i] == '.')
        i++;
    if (len - i > 4 || (i == 4 && len == 4))
        return false;
    for (; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

void reg_parse_ctx_wipe(struct reg_parse_ctx *ctx)
{
    sodium_memzero(ctx, sizeof *ctx);
}

/* A reference to one of the row's person's contacts that the session
 * stored itself (reg_cmap.h); anything else is left to phase B. */
static void find_own_contact(const struct reg_import *im, const struct reg_kind *k,
                             struct reg_val *v, struct reg_prepared *pr, size_t c)
{
    int pc = reg_kind_pnr_col(k);
    if (pc < 0 || (size_t)pc > c || pr->v[pc].ref == NULL || pr->nfound >= REG_MAX_REFS
        || im->contacts.off || im->contacts.n == 0)
        return;
    uint64_t key = reg_cmap_key(&im->contacts, pr->v[0].s, pr->v[0].len, v->s, v->len);
    const struct reg_person *p = pr->v[pc].ref;
    const struct reg_cmap_entry *e = reg_cmap_find(&im->contacts, p, key);
    if (e == NULL)
        return;
    struct reg_contact *found = &pr->found[pr->nfound++];
    found->id = e->id;
    found->person_id = p->id;
    found->inpatient = reg_cmap_is_stay(e);
    found->start = e->start;
    found->end = e->end;
    found->stay_id = 0;
    v->ref = found;
    v->i = found->id;
}

/* An external pseudonym (the ext_id column, in the pnr column's place):
 * 1..64 printable characters, nothing shaped like a personnummer (which
 * would be stored nowhere but could be one: refused without repeating it).
 * Its pseudonym is keyed by the row's source system (column 0). */
static int external_key(const struct reg_import *im, const struct reg_val *v,
                        const struct reg_val *source, unsigned char key[PSEUDO_BYTES],
                        struct kn_error *err)
{
    if (v->len > 64)
        return kn_fail(err, KN_EINPUT, "field '%s': longer than 64 characters", REG_EXT_COL);
    for (size_t i = 0; i < v->len; i++)
        if ((unsigned char)v->s[i] < 0x20 || v->s[i] == 0x7f)
            return kn_fail(err, KN_EINPUT, "field '%s': holds a control character",
                           REG_EXT_COL);
    if (pnr_find_shaped(v->s, v->len, NULL, NULL))
        return kn_fail(err, KN_EINPUT, "field '%s': holds what looks like a personnummer "
                       "(10 or 12 digits that read as a date); an external pseudonym must "
                       "not be one: give the number in a file with a 'pnr' column instead",
                       REG_EXT_COL);
    pseudo_derive_external_raw(im->key, source->s, source->len, v->s, v->len, key);
    return 0;
}

/* The person of an event row's number (s, len): from ctx when the row
 * before had the same number, else parsed, pseudonymised and looked up. */
static int find_person(struct reg_import *im, const struct reg_kind *k, size_t c,
                       struct reg_val *v, struct reg_prepared *pr,
                       struct reg_parse_ctx *ctx, struct kn_error *err)
{
    const char *s = v->s;
    size_t len = v->len;
    const struct reg_person *person;
    bool held = ctx != NULL && !im->ext_ids && ctx->pnr_len == len
                && memcmp(ctx->pnr_text, s, len) == 0;
    if (im->ext_ids) {
        int rc = external_key(im, v, &pr->v[0], pr->key, err);
        if (rc != 0)
            return rc;
        rc = reg_persons_find(im, pr->key, &person, err);
        if (rc != 0)
            return rc;
        if (person == NULL)
            return kn_fail(err, KN_EINPUT, "field '%s': no stored person has this external "
                           "pseudonym in source system '%.*s'; import the persons file "
                           "first", REG_EXT_COL, (int)pr->v[0].len, pr->v[0].s);
    } else if (held) {
        memcpy(pr->key, ctx->key, sizeof pr->key);
        person = ctx->person;
    } else {
        struct kn_error sub;
        kn_error_init(&sub);
        struct pnr *p = &pr->pnr;
        if (pnr_parse(s, len, im->opt.today, p, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        pseudo_derive_raw(im->key, p, pr->key);
        pnr_wipe(p);
        int rc = reg_persons_find(im, pr->key, &person, err);
        if (rc != 0)
            return rc;
        if (person == NULL)
            return reg_field_fail(err, k, c,
                                  "no stored person has this number; import the "
                                  "persons file first");
    }
    /* Phase B reads the person from the row, not from the map, whose
     * entry would be a cache miss on its thread (measured). Rows of the
     * noted kind (contacts) leave the list head alone: phase B moves it. */
    pr->entry = person;
    pr->person.id = person->id;
    pr->person.born = person->born;
    pr->person.contacts = k->noted ? 0 : person->contacts;
    v->ref = &pr->person;
    v->i = person->id;
    if (ctx != NULL && !held && !im->ext_ids && len <= sizeof ctx->pnr_text) {
        memcpy(ctx->pnr_text, s, len);
        ctx->pnr_len = len;
        memcpy(ctx->key, pr->key, sizeof ctx->key);
        ctx->person = person;
    }
    return 0;
}

static int parse_field(struct reg_import *im, const struct reg_kind *k, size_t c,
                       struct reg_val *v, struct reg_prepared *pr,
                       struct reg_parse_ctx *ctx, struct kn_error *err)
{
    const struct reg_column *col = &k->cols[c];
    const char *s = v->s;
    size_t len = v->len;
    struct kn_error sub;
    kn_error_init(&sub);
    /* A value quoted in a message: cut, and anything shaped like a
     * personnummer masked even where the cut splits it (pnr_shape.h). */
    char q[65];

    switch (col->type) {
    case RT_ID:
        if (len > 64)
            return reg_field_fail(err, k, c, "longer than 64 characters");
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return reg_field_fail(err, k, c, "holds a control character");
        if (pnr_find_valid(s, len))
            return reg_field_fail(err, k, c, "holds a personnummer; an id must not hold an "
                                  "identity number, which would be stored in clear");
        return 0;
    case RT_TEXT:
        if (len > 200)
            return reg_field_fail(err, k, c, "longer than 200 characters");
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                return reg_field_fail(err, k, c, "holds a control character");
        if (pnr_find_shaped(s, len, NULL, NULL))
            return reg_field_fail(err, k, c, "holds what looks like a personnummer (10 or "
                                  "12 digits that read as a date), which would be "
                                  "stored in clear; leave it out");
        return 0;
    case RT_CODE:
        for (size_t i = 0; col->codes[i] != NULL; i++) {
            if (strlen(col->codes[i]) == len && memcmp(col->codes[i], s, len) == 0) {
                v->i = (int64_t)i;
                return 0;
            }
        }
        {
            char list[256] = "";
            size_t at = 0;
            for (size_t i = 0; col->codes[i] != NULL && at < sizeof list - 40; i++)
                at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "",
                                       col->codes[i]);
            return reg_field_fail(err, k, c, "'%s' is not one of: %s",
                                  pnr_mask_copy(s, len, q, 41), list);
        }
    case RT_TIME: {
        kn_time t;
        if (time_parse(s, len, &t, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        if (t >= im->time_limit)
            return reg_field_fail(err, k, c, "lies in the future");
        v->i = t;
        return 0;
    }
    case RT_DATE: {
        kn_day d;
        if (date_parse(s, len, &d, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        if (d > im->opt.today)
            return reg_field_fail(err, k, c, "lies in the future");
        v->i = d;
        return 0;
    }
    case RT_BOOL:
        if (len != 1 || (s[0] != '0' && s[0] != '1'))
            return reg_field_fail(err, k, c, "expected 0 or 1");
        v->i = s[0] - '0';
        return 0;
    case RT_PNR: {
        if (strcmp(k->table, "person") != 0)
            return find_person(im, k, c, v, pr, ctx, err);
        if (im->ext_ids) /* persons of the external layout */
            return external_key(im, v, &pr->v[0], pr->key, err);
        /* persons: the row function uses the number itself */
        if (pnr_parse(s, len, im->opt.today, &pr->pnr, &sub) != 0)
            return reg_field_fail(err, k, c, "%s", sub.msg);
        pseudo_derive_raw(im->key, &pr->pnr, pr->key);
        return 0;
    }
    case RT_MONTH: {
        /* YYYY-MM, from 1850 to the import's month */
        int y = 0, m = 0;
        bool ok = len == 7 && s[4] == '-';
        for (size_t i = 0; ok && i < 7; i++)
            if (i != 4 && (s[i] < '0' || s[i] > '9'))
                ok = false;
        if (ok) {
            y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            m = (s[5] - '0') * 10 + (s[6] - '0');
        }
        if (!ok || m < 1 || m > 12 || y < 1850)
            return reg_field_fail(err, k, c, "'%s' is not a year and month from 1850 "
                                  "(YYYY-MM, like 2008-02)", pnr_mask_copy(s, len, q, 21));
        struct kn_ymd t = date_to_ymd(im->opt.today);
        if (y > t.year || (y == t.year && m > t.month))
            return reg_field_fail(err, k, c, "lies in the future");
        v->i = (int64_t)y * 12 + m - 1;
        return 0;
    }
    case RT_ICD10:
        if (!is_icd10(s, len))
            return reg_field_fail(err, k, c, "'%s' is not an ICD-10 code (like F32.1 or X60)",
                                  pnr_mask_copy(s, len, q, 21));
        return 0;
    case RT_ICD10_LIST:
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && s[j] != ' ')
                j++;
            if (!is_icd10(s + i, j - i))
                return reg_field_fail(err, k, c,
                                      "'%s' is not an ICD-10 code; separate codes by "
                                      "single spaces", pnr_mask_copy(s + i, j - i, q, 21));
            i = j + 1;
            if (j + 1 == len)
                return reg_field_fail(err, k, c, "ends with a space");
        }
        return 0;
    case RT_MUNICIPALITY: {
        int idx = 0;
        bool digits = len == 4;
        for (size_t i = 0; digits && i < 4; i++) {
            digits = s[i] >= '0' && s[i] <= '9';
            idx = idx * 10 + (s[i] - '0');
        }
        if (!digits || im->muni_region[idx][0] == '\0')
            return reg_field_fail(err, k, c, "'%s' is not a municipality code",
                                  pnr_mask_copy(s, len, q, 11));
        v->ref = im->muni_region[idx];
        return 0;
    }
    case RT_REGION:
        if (len != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9'
            || !im->region_known[(s[0] - '0') * 10 + (s[1] - '0')])
            return reg_field_fail(err, k, c, "'%s' is not a region code (01..25)",
                                  pnr_mask_copy(s, len, q, 11));
        return 0;
    case RT_UNIT: {
        const struct reg_unit *u = reg_unit_find(im, s, len, NULL);
        if (u == NULL)
            return reg_field_fail(err, k, c, "no stored unit has the code '%s'; import "
                                  "the units file first", pnr_mask_copy(s, len, q, 65));
        v->ref = u;
        v->i = u->id;
        return 0;
    }
    case RT_CONTACT:
    case RT_MEASURE:
        /* Found here if the session stored it itself, else in phase B. */
        if (len > 64)
            return reg_field_fail(err, k, c, "longer than 64 characters");
        if (pnr_find_valid(s, len))
            return reg_field_fail(err, k, c, "holds a personnummer; an id must not hold an "
                                  "identity number");
        if (col->type == RT_CONTACT)
            find_own_contact(im, k, v, pr, c);
        return 0;
    case RT_STEP:
        if (len > 40)
            return reg_field_fail(err, k, c, "longer than 40 characters");
        for (size_t i = 0; i < len; i++) {
            char ch = s[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                  || ch == '_' || ch == '-' || ch == '.'))
                return reg_field_fail(err, k, c, "use only letters, digits, '_', '-', '.'");
        }
        if (pnr_find_shaped(s, len, NULL, NULL))
            return reg_field_fail(err, k, c, "holds what looks like a personnummer (10 or "
                                  "12 digits that read as a date); a step code must not");
        return 0;
    }
    return reg_field_fail(err, k, c, "unknown field type");
}

void reg_import_parse(struct reg_import *im, const struct reg_kind *k,
                      const char *const *fields, const size_t *lens,
                      struct reg_prepared *pr, struct reg_parse_ctx *ctx)
{
    struct reg_val *v = pr->v;
    pr->rc = 0;
    pr->nfound = 0;
    pr->source_key = 0;
    pr->entry = NULL;
    kn_error_init(&pr->err);
    for (size_t c = 0; c < k->ncols; c++) {
        v[c].s = fields[c] ? fields[c] : "";
        v[c].len = fields[c] ? lens[c] : 0;
        v[c].present = v[c].len > 0;
        v[c].i = 0;
        v[c].ref = NULL;
    }
    for (size_t c = 0; c < k->ncols && pr->rc == 0; c++) {
        if (!v[c].present) {
            if (k->cols[c].required && im->ext_ids && k->cols[c].type == RT_PNR)
                pr->rc = kn_fail(&pr->err, KN_EINPUT, "field '%s': %s", REG_EXT_COL,
                                 fields[c] ? "is empty but required"
                                           : "is missing but required");
            else if (k->cols[c].required || (im->ext_ids && reg_kind_col_external(k, c)))
                pr->rc = reg_field_fail(&pr->err, k, c,
                                        fields[c] ? "is empty but required"
                                                  : "is missing but required");
            continue;
        }
        pr->rc = parse_field(im, k, c, &v[c], pr, ctx, &pr->err);
    }
    if (pr->rc != 0)
        pnr_wipe(&pr->pnr);
    else if (k->noted)
        pr->source_key = reg_cmap_key(&im->contacts, v[0].s, v[0].len, v[1].s, v[1].len);
}

