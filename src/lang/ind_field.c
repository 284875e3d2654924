/* src/lang/ind_field.c: the fields of conditions and their values
 * (docs/indicators.md, "Fields"): which kinds of events each field applies
 * to, and how its values are written. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lang/ind_impl.h"

#define ALL_KINDS ((1u << IND_EV_COUNT) - 1)
#define K(k) IND_MASK(IND_EV_##k)
#define CONTACTS IND_MASK_CONTACT

/* Region codes in use (data/regions.csv), as bits of their numbers; a
 * unit test checks this against the shipped geography. */
const uint32_t ind_region_bits = (1u << 1) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                                 (1u << 7) | (1u << 8) | (1u << 9) | (1u << 10) |
                                 (1u << 12) | (1u << 13) | (1u << 14) | (1u << 17) |
                                 (1u << 18) | (1u << 19) | (1u << 20) | (1u << 21) |
                                 (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25);

enum value_form { V_WORDS, V_AGES, V_REGIONS, V_CODES, V_STEPS, V_TYPE };

struct field_spec {
    const char *name;
    enum ind_field_id id;
    uint32_t kinds;
    enum value_form form;
    const char *const *words;
};

static const struct field_spec fields[] = {
    { "age", IND_F_AGE, ALL_KINDS, V_AGES, NULL },
    { "sex", IND_F_SEX, ALL_KINDS, V_WORDS, ind_sex_words },
    { "region", IND_F_REGION, ALL_KINDS, V_REGIONS, NULL },
    { "unit-region", IND_F_UNIT_REGION, CONTACTS | K(MEASURE), V_REGIONS, NULL },
    { "cause", IND_F_CAUSE, K(ACT) | CONTACTS, V_CODES, NULL },
    { "diagnosis", IND_F_DIAGNOSIS, CONTACTS, V_CODES, NULL },
    { "intent", IND_F_INTENT, K(ACT), V_WORDS, ind_intents },
    { "linked", IND_F_LINKED, K(ACT), V_WORDS, ind_yes_no },
    { "type", IND_F_TYPE, CONTACTS | K(MEASURE) | K(ASSESSMENT) | K(PLAN) | K(TREATMENT),
      V_TYPE, NULL },
    { "unit-kind", IND_F_UNIT_KIND, CONTACTS | K(MEASURE), V_WORDS, ind_unit_kinds },
    { "setting", IND_F_SETTING, CONTACTS | K(MEASURE), V_WORDS, ind_settings },
    { "legal", IND_F_LEGAL, CONTACTS | K(MEASURE), V_WORDS, ind_legal_words },
    { "brief", IND_F_BRIEF, CONTACTS, V_WORDS, ind_yes_no },
    { "mode", IND_F_MODE, K(FOLLOWUP), V_WORDS, ind_modes },
    { "pathway", IND_F_PATHWAY, K(STEP), V_WORDS, ind_pathways },
    { "step", IND_F_STEP, K(STEP), V_STEPS, NULL },
    { "suicide", IND_F_SUICIDE, K(DEATH), V_WORDS, ind_yes_no },
};

static const char *kinds_name(uint32_t kinds)
{
    for (int k = 0; k < IND_EV_COUNT; k++)
        if (kinds & IND_MASK(k))
            return ind_ev_name((enum ind_ev)k);
    return "?";
}

/* The words of `type` for events of kinds, or NULL if they are mixed. */
static const char *const *type_words(uint32_t kinds)
{
    if ((kinds & ~CONTACTS) == 0)
        return ind_contact_types;
    if (kinds == K(MEASURE))
        return ind_measure_types;
    if (kinds == K(ASSESSMENT))
        return ind_assessment_types;
    if (kinds == K(PLAN))
        return ind_plan_types;
    if (kinds == K(TREATMENT))
        return ind_treatment_types;
    return NULL;
}

/* "a, b, c" of a word list, cut to fit buf. */
static void words_list(char *buf, size_t cap, const char *const *words)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; words[i]; i++) {
        int w = snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", words[i]);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

static bool is_code3(const char *s)
{
    return isupper((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]);
}

static int one_value(struct ind_line *ln, const struct field_spec *fs,
                     const char *const *words, struct ind_field *f, struct arena *a,
                     struct kn_error *err)
{
    const struct ind_tok *t = ind_peek(ln);
    char v[64];
    int rc = ind_word(ln, v, sizeof v, "a value", err);
    if (rc != 0)
        return rc;
    size_t n = strlen(v);
    switch (fs->form) {
    case V_WORDS:
    case V_TYPE: {
        int i = ind_word_index(words, v, n);
        if (i < 0) {
            char list[256];
            words_list(list, sizeof list, words);
            return ind_fail(ln, t, err, "'%s' is not a value of %s (%s)", v, fs->name, list);
        }
        f->mask |= 1ull << i;
        return 0;
    }
    case V_REGIONS: {
        int code = (n == 2 && isdigit((unsigned char)v[0]) && isdigit((unsigned char)v[1]))
                       ? (v[0] - '0') * 10 + (v[1] - '0') : -1;
        if (code < 0 || code > 31 || !(ind_region_bits & (1u << code)))
            return ind_fail(ln, t, err, "'%s' is not a region code (01 .. 25)", v);
        f->mask |= 1ull << code;
        return 0;
    }
    case V_AGES: {
        int lo, hi, used = 0;
        if (sscanf(v, "%d-%d%n", &lo, &hi, &used) != 2 || (size_t)used != n || lo < 0 ||
            hi < lo || hi > 150) {
            if (sscanf(v, "%d%n", &lo, &used) == 1 && (size_t)used == n && lo >= 0 &&
                lo <= 150) {
                hi = lo;
            } else {
                return ind_fail(ln, t, err, "'%s' is not an age range such as 10-24", v);
            }
        }
        struct ind_range *r = arena_alloc(a, (f->n + 1) * sizeof *r);
        if (!r)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (f->n)
            memcpy(r, f->ranges, f->n * sizeof *r);
        r[f->n++] = (struct ind_range){ lo, hi };
        f->ranges = r;
        return 0;
    }
    case V_CODES: {
        struct ind_code_range c;
        bool ok = (n == 3 && is_code3(v)) ||
                  (n == 7 && is_code3(v) && v[3] == '-' && is_code3(v + 4));
        if (!ok)
            return ind_fail(ln, t, err, "'%s' is not an ICD-10 category or range such as "
                            "X60 or X60-X84 (a category matches its subdivisions)", v);
        memcpy(c.lo, v, 3);
        c.lo[3] = '\0';
        memcpy(c.hi, n == 7 ? v + 4 : v, 3);
        c.hi[3] = '\0';
        if (strcmp(c.lo, c.hi) > 0)
            return ind_fail(ln, t, err, "range '%s' runs backwards", v);
        struct ind_code_range *r = arena_alloc(a, (f->n + 1) * sizeof *r);
        if (!r)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (f->n)
            memcpy(r, f->codes, f->n * sizeof *r);
        r[f->n++] = c;
        f->codes = r;
        return 0;
    }
    case V_STEPS: {
        const char **w = arena_alloc(a, (f->n + 1) * sizeof *w);
        if (!w)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (f->n)
            memcpy(w, f->words, f->n * sizeof *w);
        w[f->n] = arena_strdup(a, v);
        if (!w[f->n])
            return kn_fail(err, KN_ENOMEM, "out of memory");
        f->n++;
        f->words = w;
        return 0;
    }
    }
    return 0;
}

int ind_field_values(struct ind_line *ln, const struct ind_tok *name, uint32_t kinds,
                     struct ind_field *f, struct arena *a, struct kn_error *err)
{
    const struct field_spec *fs = NULL;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (ind_is(name, fields[i].name))
            fs = &fields[i];
    if (!fs)
        return ind_fail(ln, name, err, "unknown field '%.*s' (age, sex, region, unit-region, "
                        "cause, diagnosis, intent, linked, type, unit-kind, setting, legal, "
                        "brief, mode, pathway, step, suicide)", (int)name->len, name->s);
    uint32_t wrong = kinds & ~fs->kinds;
    if (wrong)
        return ind_fail(ln, name, err, "field '%s' does not apply to %s events", fs->name,
                        kinds_name(wrong));
    const char *const *words = fs->form == V_TYPE ? type_words(kinds) : fs->words;
    if (fs->form == V_TYPE && !words)
        return ind_fail(ln, name, err, "field 'type' needs events of one kind");
    memset(f, 0, sizeof *f);
    f->id = fs->id;
    f->line = ln->line;
    f->col = name->col;
    for (;;) {
        int rc = one_value(ln, fs, words, f, a, err);
        if (rc != 0)
            return rc;
        if (!ind_is_punct(ind_peek(ln), ','))
            return 0;
        ind_next(ln);
    }
}
