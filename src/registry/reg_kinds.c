/* src/registry/reg_kinds.c: the record kinds of the registry.
 *
 * One entry per kind: its CSV columns (docs/import-format.md is the
 * reader's version of this table; keep them together), its store table
 * and a row function with the rules that tie fields together (an end
 * after its start, a measure inside its stay, a reference to the same
 * person). Field-level checks are generic (reg_import.c).
 */
#include "registry/reg_import_impl.h"

#include <stdio.h>
#include <string.h>

#define ID_COLS { "source_system", RT_ID, true, NULL }, { "source_id", RT_ID, true, NULL }

static const char *const unit_types[] = { "bup", "adult_psychiatry", "emergency", "somatic",
                                          "primary_care", "nhv", "municipal", NULL };
static const char *const settings[] = { "inpatient", "outpatient", NULL };
static const char *const contact_types[] = { "emergency", "outpatient", "inpatient", NULL };
static const char *const contact_bases[] = { "voluntary", "LPT", "LRV", NULL };
static const char *const measure_types[] = { "fastspanning", "avskiljning",
                                             "tvangsmedicinering", "fasthallande", "other",
                                             NULL };
static const char *const measure_bases[] = { "LPT", "LRV", "LVU", NULL };
static const char *const assessment_types[] = { "suicide_risk", "psychosocial", "other",
                                                NULL };
static const char *const plan_types[] = { "care_plan", "crisis_plan", "sip", NULL };
static const char *const treatment_types[] = { "dbt", "mbt", "ergt", "erita", "cbt", "other",
                                               NULL };
static const char *const modes[] = { "visit", "phone", "video", NULL };
static const char *const pathways[] = { "adult", "child", NULL };
static const char *const sexes[] = { "F", "M", NULL };

enum { CONTACT_EMERGENCY = 0, CONTACT_INPATIENT = 2 };

static const char *code_of(const struct reg_kind *k, size_t c, const struct reg_val *v)
{
    return k->cols[c].codes[v->i];
}

static int bind_code(struct store_stmt *st, int i, const struct reg_kind *k, size_t c,
                     const struct reg_val *v)
{
    const char *code = code_of(k, c, v);
    return store_bind_text(st, i, code, strlen(code));
}

/* An event time of person (column pc) at column tc may not be before birth. */
static int after_birth(const struct reg_kind *k, const struct reg_val *v, size_t pc,
                       size_t tc, struct kn_error *err)
{
    const struct reg_person *p = v[pc].ref;
    if (v[tc].present && v[tc].i < time_from_day(p->born))
        return reg_field_fail(err, k, tc, "lies before the person's birth");
    return 0;
}

static int end_after_start(const struct reg_kind *k, const struct reg_val *v, size_t sc,
                           size_t ec, struct kn_error *err)
{
    if (v[ec].present && v[sc].present && v[ec].i < v[sc].i)
        return reg_field_fail(err, k, ec, "lies before '%s'", k->cols[sc].name);
    return 0;
}

/* ---- plausibility (docs/import-format.md, Plausibility) ----
 * Beyond a limit of knod.ini's [plausibility] a row is stored with a
 * warning: the value may be true, and only its source can say. */

/* A span of seconds as people say it: "11 hours", "4018 days". */
static void span_text(kn_time secs, char *buf, size_t cap)
{
    if (secs >= 2 * 86400)
        snprintf(buf, cap, "%lld days", (long long)(secs / 86400));
    else
        snprintf(buf, cap, "%lld hours", (long long)(secs / 3600));
}

/* Warn when the span from column sc to column ec is longer than limit;
 * what names the record ("emergency visit"), setting the limit's key and
 * unit its size in seconds (3600: hours, 86400: days). */
static void warn_span(struct reg_import *im, const struct reg_kind *k, const struct reg_val *v,
                      size_t sc, size_t ec, kn_time limit, const char *what,
                      const char *setting, kn_time unit)
{
    if (!v[sc].present || !v[ec].present || v[ec].i - v[sc].i <= limit)
        return;
    char span[32];
    span_text(v[ec].i - v[sc].i, span, sizeof span);
    reg_field_warn(im, k, ec, "the %s lasts %s, which is implausible (more than %s = %lld "
                   "in [plausibility] of knod.ini)", what, span, setting,
                   (long long)(limit / unit));
}

/* A referenced contact (column rc) must be the same person's. */
static int same_person(const struct reg_kind *k, const struct reg_val *v, size_t pc,
                       size_t rc, struct kn_error *err)
{
    const struct reg_contact *c = v[rc].ref;
    if (v[rc].present && c->person_id != v[pc].i)
        return reg_field_fail(err, k, rc, "belongs to another person");
    return 0;
}

/* ---- units ---- */

static const struct reg_column unit_cols[] = {
    ID_COLS,
    { "code", RT_ID, true, NULL },
    { "name", RT_TEXT, true, NULL },
    { "region_code", RT_REGION, true, NULL },
    { "unit_type", RT_CODE, true, unit_types },
    { "setting", RT_CODE, true, settings },
};
static const char *const unit_db[] = { "code", "name", "region_code", "unit_type", "setting",
                                       NULL };

static int unit_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                    struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[0];
    store_bind_text(st, 1, v[2].s, v[2].len);
    store_bind_text(st, 2, v[3].s, v[3].len);
    store_bind_text(st, 3, v[4].s, v[4].len);
    bind_code(st, 4, k, 5, &v[5]);
    bind_code(st, 5, k, 6, &v[6]);
    (void)im;
    (void)err;
    return 0;
}

static int unit_post(struct reg_import *im, struct reg_val *v, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT id FROM care_unit WHERE code = $1", &st, err);
    if (rc != 0)
        return rc;
    store_bind_text(st, 1, v[2].s, v[2].len);
    rc = store_step(st, err);
    if (rc == STORE_ROW) {
        char region[3] = { v[4].s[0], v[4].s[1], 0 };
        rc = reg_unit_add(im, v[2].s, v[2].len, region, v[6].i == 0, store_col_int(st, 0));
        if (rc != 0)
            rc = kn_fail(err, rc, "cannot keep unit in memory");
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ESTORE, "a stored unit vanished");
    }
    store_finalize(st);
    return rc;
}

/* ---- persons ---- */

static const struct reg_column person_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "municipality", RT_MUNICIPALITY, true, NULL },
    { "death_date", RT_DATE, false, NULL },
    { "death_by_suicide", RT_BOOL, false, NULL },
    /* the external-pseudonym layout only (REG_PERSON_BIRTH_COL, _SEX_COL) */
    { "birth", RT_MONTH, false, NULL },
    { "sex", RT_CODE, false, sexes },
};
static const char *const person_db[] = { "pseudonym", "id_kind", "birth_year", "birth_month",
                                         "birth_day", "sex", "municipality", "region_code",
                                         "death_date", "death_by_suicide", NULL };

static kn_day earliest_birth(const struct pnr *p)
{
    return date_from_ymd(p->birth_year, p->birth_month ? p->birth_month : 1,
                         p->birth_day ? p->birth_day : 1);
}

/* A person of the external-pseudonym layout has no number: its birth
 * month and sex come from the columns birth and sex (parsed, and required
 * by the CSV reader for such a file), the day of birth is unknown. */
static void external_birth(struct reg_import *im, const struct reg_val *v)
{
    pnr_wipe(&im->cur_pnr);
    im->cur_pnr.birth_year = (int)(v[REG_PERSON_BIRTH_COL].i / 12);
    im->cur_pnr.birth_month = (int)(v[REG_PERSON_BIRTH_COL].i % 12) + 1;
    im->cur_pnr.birth_day = 0;
    im->cur_pnr.sex = v[REG_PERSON_SEX_COL].i == 0 ? PNR_SEX_FEMALE : PNR_SEX_MALE;
}

static int person_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                      struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[1];
    if (im->ext_ids)
        external_birth(im, v);
    const struct pnr *p = &im->cur_pnr;
    /* where the birth came from: the number, or the birth column */
    size_t bc = im->ext_ids ? REG_PERSON_BIRTH_COL : 2;
    if (v[5].present && v[5].i == 1 && !v[4].present)
        return reg_field_fail(err, k, 5, "is 1 without a death_date");
    if (v[4].present && v[4].i < earliest_birth(p))
        return reg_field_fail(err, k, 4, "lies before the birth date");
    /* Age on the import's day, or at death; the earliest birth the number
     * allows, so a number without the day is not told too late. */
    kn_day on = v[4].present ? (kn_day)v[4].i : im->opt.today;
    int age = date_age(earliest_birth(p), on);
    if (age > im->plaus.max_age_years) {
        char day[11];
        date_format(on, day);
        reg_field_warn(im, k, bc, "the person %s %d years old %s %s (born %d), which is "
                       "implausible (more than max_age_years = %d in [plausibility] of "
                       "knod.ini)", v[4].present ? "was" : "is", age,
                       v[4].present ? "at death on" : "on", day, p->birth_year,
                       im->plaus.max_age_years);
    }
    pseudo_to_hex(im->cur_key, im->cur_hex);
    const char *kind = im->ext_ids ? "external" : pnr_kind_name(p->kind);
    const char *sex = pnr_sex_code(p->sex);
    store_bind_text(st, 1, im->cur_hex, PSEUDO_HEX_LEN);
    store_bind_text(st, 2, kind, strlen(kind));
    store_bind_int(st, 3, p->birth_year);
    if (p->birth_month)
        store_bind_int(st, 4, p->birth_month);
    else
        store_bind_null(st, 4);
    if (p->birth_day)
        store_bind_int(st, 5, p->birth_day);
    else
        store_bind_null(st, 5);
    store_bind_text(st, 6, sex, 1);
    store_bind_text(st, 7, v[3].s, v[3].len);
    store_bind_text(st, 8, (const char *)v[3].ref, 2);
    reg_bind_opt_int(st, 9, &v[4]);
    if (v[4].present)
        store_bind_int(st, 10, v[5].present ? v[5].i : 0);
    else
        store_bind_null(st, 10);
    return 0;
}

static int person_post(struct reg_import *im, struct reg_val *v, struct kn_error *err)
{
    (void)v;
    if (im->mode[1] == MODE_BULK) {
        /* A plain INSERT of a new person: its id is the new rowid. A person
         * already in the map repeats in the file; the rebuilt pseudonym
         * index will say so (reg_import_attempt). */
        struct reg_person *np = reg_pmap_put(&im->persons, im->cur_key);
        if (np == NULL)
            return kn_fail(err, KN_ENOMEM, "out of memory for persons");
        if (np->id == 0) {
            np->id = store_last_insert_id(im->s);
            np->born = earliest_birth(&im->cur_pnr);
        }
        return 0;
    }
    if (reg_pmap_find(&im->persons, im->cur_key) != NULL)
        return 0;
    char hex[PSEUDO_HEX_LEN + 1];
    pseudo_to_hex(im->cur_key, hex);
    store_bind_text(im->find_person, 1, hex, PSEUDO_HEX_LEN);
    int rc = store_step(im->find_person, err);
    int64_t id = rc == STORE_ROW ? store_col_int(im->find_person, 0) : 0;
    store_reset(im->find_person);
    if (rc < 0)
        return rc;
    if (id == 0)
        return kn_fail(err, KN_ESTORE, "a stored person vanished");
    struct reg_person *p = reg_pmap_put(&im->persons, im->cur_key);
    if (p == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory for persons");
    p->id = id;
    p->born = earliest_birth(&im->cur_pnr);
    return 0;
}

/* ---- contacts ---- */

static const struct reg_column contact_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "unit", RT_UNIT, true, NULL },
    { "contact_type", RT_CODE, true, contact_types },
    { "start", RT_TIME, true, NULL },
    { "end", RT_TIME, false, NULL },
    { "legal_basis", RT_CODE, false, contact_bases },
    { "brief_admission", RT_BOOL, false, NULL },
    { "main_diagnosis", RT_ICD10, false, NULL },
    { "other_diagnoses", RT_ICD10_LIST, false, NULL },
    { "cause_code", RT_ICD10, false, NULL },
};
static const char *const contact_db[] = { "person_id", "unit_id", "contact_type",
                                          "start_time", "end_time", "legal_basis",
                                          "brief_admission", "main_diagnosis",
                                          "other_diagnoses", "cause_code", NULL };

static int contact_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                       struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[2];
    const struct reg_unit *u = v[3].ref;
    bool inpatient = v[4].i == CONTACT_INPATIENT;
    int rc = after_birth(k, v, 2, 5, err);
    if (rc == 0)
        rc = end_after_start(k, v, 5, 6, err);
    if (rc != 0)
        return rc;
    if (inpatient && !u->inpatient)
        return reg_field_fail(err, k, 3, "unit '%s' is an outpatient unit; an inpatient "
                              "stay needs an inpatient unit", u->code);
    if (v[4].i == CONTACT_EMERGENCY)
        warn_span(im, k, v, 5, 6, im->plaus.max_emergency, "emergency visit",
                  "max_emergency_hours", 3600);
    else if (inpatient)
        warn_span(im, k, v, 5, 6, im->plaus.max_inpatient, "inpatient stay",
                  "max_inpatient_days", 86400);
    if (v[7].present && v[7].i != 0 && !inpatient)
        return reg_field_fail(err, k, 7, "LPT and LRV apply to inpatient stays only");
    if (v[8].present && v[8].i == 1 && !inpatient)
        return reg_field_fail(err, k, 8, "a brief admission is an inpatient stay");
    if (v[11].present) {
        /* An external cause is ICD-10 chapter XX: V01..Y98. */
        const char *c = v[11].s;
        int n = (c[1] - '0') * 10 + (c[2] - '0');
        if (c[0] < 'V' || c[0] > 'Y' || (c[0] == 'V' && n == 0) || (c[0] == 'Y' && n == 99))
            return reg_field_fail(err, k, 11, "'%.*s' is not an external cause (ICD-10 "
                                  "chapter XX, V01-Y98)", (int)v[11].len, c);
    }
    store_bind_int(st, 1, v[2].i);
    store_bind_int(st, 2, v[3].i);
    bind_code(st, 3, k, 4, &v[4]);
    store_bind_int(st, 4, v[5].i);
    reg_bind_opt_int(st, 5, &v[6]);
    if (v[7].present)
        bind_code(st, 6, k, 7, &v[7]);
    else
        store_bind_text(st, 6, "voluntary", 9);
    store_bind_int(st, 7, v[8].present ? v[8].i : 0);
    reg_bind_opt_text(st, 8, &v[9]);
    reg_bind_opt_text(st, 9, &v[10]);
    reg_bind_opt_text(st, 10, &v[11]);
    return 0;
}

/* A contact inserted into an empty table (bulk mode) is noted for the rows
 * that will refer to it; a stored contact that changed may be one noted
 * before, so then the session trusts the store only (reg_cmap.h). */
static int contact_post(struct reg_import *im, struct reg_val *v, struct kn_error *err)
{
    (void)err;
    if (im->mode[2] != MODE_BULK) {
        if (im->cur_stored)
            reg_cmap_clear(&im->contacts, &im->persons, true);
        return 0;
    }
    /* The session's own map: phase A's const view of the person. */
    struct reg_person *p = (struct reg_person *)(uintptr_t)im->cur_person;
    reg_cmap_add(&im->contacts, p, im->cur_source_key, store_last_insert_id(im->s),
                 v[4].i == CONTACT_INPATIENT, v[5].i, v[6].present ? v[6].i : INT64_MAX);
    return 0;
}

/* ---- self-harm acts ---- */

static const struct reg_column act_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "time", RT_TIME, true, NULL },
    { "cause_code", RT_ICD10, true, NULL },
    { "contact_id", RT_CONTACT, false, NULL },
};
static const char *const act_db[] = { "person_id", "act_time", "cause_code", "intent",
                                      "method", "contact_id", NULL };

/* Method category by the cause code's number within its block:
 * X60..X84 and Y10..Y34 run in parallel (X60 ~ Y10, X70 ~ Y20, ...).
 * Internal analysis only; never shown on public pages. */
static const char *act_method(int n /* 0..24 */)
{
    if (n <= 9)
        return "poisoning";
    static const char *const rest[] = { "hanging", "drowning", "firearm", "firearm",
                                        "firearm", "explosive", "fire", "fire",
                                        "sharp_object", "blunt_object", "jumping",
                                        "moving_object", "vehicle", "other", "unspecified" };
    return rest[n - 10];
}

static int act_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                   struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[3];
    const char *code = v[4].s;
    int n = (code[1] - '0') * 10 + (code[2] - '0');
    const char *intent = NULL;
    if (code[0] == 'X' && n >= 60 && n <= 84) {
        intent = "intentional";
        n -= 60;
    } else if (code[0] == 'Y' && n >= 10 && n <= 34) {
        intent = "undetermined";
        n -= 10;
    } else {
        return reg_field_fail(err, k, 4, "'%.*s' is not a self-harm cause (X60-X84 or "
                              "Y10-Y34)", (int)v[4].len, code);
    }
    int rc = after_birth(k, v, 2, 3, err);
    if (rc == 0)
        rc = same_person(k, v, 2, 5, err);
    if (rc != 0)
        return rc;
    (void)im;
    const char *method = act_method(n);
    store_bind_int(st, 1, v[2].i);
    store_bind_int(st, 2, v[3].i);
    store_bind_text(st, 3, code, v[4].len);
    store_bind_text(st, 4, intent, strlen(intent));
    store_bind_text(st, 5, method, strlen(method));
    reg_bind_opt_int(st, 6, &v[5]);
    return 0;
}

/* ---- coercive measures ---- */

static const struct reg_column measure_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "stay_id", RT_CONTACT, true, NULL },
    { "measure_type", RT_CODE, true, measure_types },
    { "legal_basis", RT_CODE, true, measure_bases },
    { "decided", RT_TIME, false, NULL },
    { "start", RT_TIME, true, NULL },
    { "end", RT_TIME, false, NULL },
    { "extends_id", RT_MEASURE, false, NULL },
};
static const char *const measure_db[] = { "person_id", "stay_id", "measure_type",
                                          "legal_basis", "decision_time", "start_time",
                                          "end_time", "extends_id", NULL };

static int measure_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                       struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[4];
    const struct reg_contact *stay = v[3].ref;
    int rc = same_person(k, v, 2, 3, err);
    if (rc == 0)
        rc = end_after_start(k, v, 7, 8, err);
    if (rc != 0)
        return rc;
    if (!stay->inpatient)
        return reg_field_fail(err, k, 3, "is not an inpatient stay");
    if (v[7].i < stay->start)
        return reg_field_fail(err, k, 7, "lies before the stay's admission");
    if (v[7].i > stay->end || (v[8].present && v[8].i > stay->end))
        return reg_field_fail(err, k, v[7].i > stay->end ? 7 : 8,
                              "lies after the stay's discharge");
    if (v[6].present && v[6].i > v[7].i)
        return reg_field_fail(err, k, 6, "lies after 'start'");
    if (v[9].present) {
        const struct reg_contact *prev = v[9].ref;
        if (prev->person_id != v[2].i || prev->stay_id != v[3].i)
            return reg_field_fail(err, k, 9, "extends a measure of another stay");
    }
    warn_span(im, k, v, 7, 8, im->plaus.max_coercive, "coercive measure",
              "max_coercive_hours", 3600);
    store_bind_int(st, 1, v[2].i);
    store_bind_int(st, 2, v[3].i);
    bind_code(st, 3, k, 4, &v[4]);
    bind_code(st, 4, k, 5, &v[5]);
    reg_bind_opt_int(st, 5, &v[6]);
    store_bind_int(st, 6, v[7].i);
    reg_bind_opt_int(st, 7, &v[8]);
    reg_bind_opt_int(st, 8, &v[9]);
    return 0;
}

/* ---- assessments, care plans, treatments, follow-ups, pathway steps ---- */

static const struct reg_column assessment_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "time", RT_TIME, true, NULL },
    { "assessment_type", RT_CODE, true, assessment_types },
    { "contact_id", RT_CONTACT, false, NULL },
};
static const char *const assessment_db[] = { "person_id", "assessment_time",
                                             "assessment_type", "contact_id", NULL };

static int assessment_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                          struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[5];
    int rc = after_birth(k, v, 2, 3, err);
    if (rc == 0)
        rc = same_person(k, v, 2, 5, err);
    if (rc != 0)
        return rc;
    (void)im;
    store_bind_int(st, 1, v[2].i);
    store_bind_int(st, 2, v[3].i);
    bind_code(st, 3, k, 4, &v[4]);
    reg_bind_opt_int(st, 4, &v[5]);
    return 0;
}

static const struct reg_column plan_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "time", RT_TIME, true, NULL },
    { "plan_type", RT_CODE, true, plan_types },
};
static const char *const plan_db[] = { "person_id", "plan_time", "plan_type", NULL };

static int plan_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                    struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[6];
    int rc = after_birth(k, v, 2, 3, err);
    if (rc != 0)
        return rc;
    (void)im;
    store_bind_int(st, 1, v[2].i);
    store_bind_int(st, 2, v[3].i);
    bind_code(st, 3, k, 4, &v[4]);
    return 0;
}

static const struct reg_column treatment_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "treatment_type", RT_CODE, true, treatment_types },
    { "start", RT_TIME, true, NULL },
    { "end", RT_TIME, false, NULL },
};
static const char *const treatment_db[] = { "person_id", "treatment_type", "start_time",
                                            "end_time", NULL };

static int treatment_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                         struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[7];
    int rc = after_birth(k, v, 2, 4, err);
    if (rc == 0)
        rc = end_after_start(k, v, 4, 5, err);
    if (rc != 0)
        return rc;
    (void)im;
    store_bind_int(st, 1, v[2].i);
    bind_code(st, 2, k, 3, &v[3]);
    store_bind_int(st, 3, v[4].i);
    reg_bind_opt_int(st, 4, &v[5]);
    return 0;
}

static const struct reg_column follow_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "time", RT_TIME, true, NULL },
    { "mode", RT_CODE, true, modes },
    { "stay_id", RT_CONTACT, false, NULL },
};
static const char *const follow_db[] = { "person_id", "follow_up_time", "mode", "stay_id",
                                         NULL };

static int follow_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                      struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[8];
    int rc = after_birth(k, v, 2, 3, err);
    if (rc == 0)
        rc = same_person(k, v, 2, 5, err);
    if (rc != 0)
        return rc;
    if (v[5].present) {
        const struct reg_contact *stay = v[5].ref;
        if (!stay->inpatient)
            return reg_field_fail(err, k, 5, "is not an inpatient stay");
        if (v[3].i < stay->start)
            return reg_field_fail(err, k, 3, "lies before the stay's admission");
    }
    (void)im;
    store_bind_int(st, 1, v[2].i);
    store_bind_int(st, 2, v[3].i);
    bind_code(st, 3, k, 4, &v[4]);
    reg_bind_opt_int(st, 4, &v[5]);
    return 0;
}

static const struct reg_column step_cols[] = {
    ID_COLS,
    { "pnr", RT_PNR, true, NULL },
    { "pathway", RT_CODE, true, pathways },
    { "step", RT_STEP, true, NULL },
    { "time", RT_TIME, true, NULL },
};
static const char *const step_db[] = { "person_id", "pathway", "step", "step_time", NULL };

static int step_row(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
                    struct kn_error *err)
{
    const struct reg_kind *k = &reg_kinds[9];
    int rc = after_birth(k, v, 2, 5, err);
    if (rc != 0)
        return rc;
    (void)im;
    store_bind_int(st, 1, v[2].i);
    bind_code(st, 2, k, 3, &v[3]);
    store_bind_text(st, 3, v[4].s, v[4].len);
    store_bind_int(st, 4, v[5].i);
    return 0;
}

#define KIND(name, table, idx, cols, db, row, post, noted) \
    { name, table, idx, cols, sizeof cols / sizeof cols[0], \
      sizeof db / sizeof db[0] - 1, db, row, post, noted }

#define SOURCE_INDEX(table) \
    static const struct reg_index table##_idx[] = { \
        { #table "_source", "source_id, source_system" }, { NULL, NULL } }
SOURCE_INDEX(contact);
SOURCE_INDEX(self_harm_act);
SOURCE_INDEX(coercive_measure);
SOURCE_INDEX(assessment);
SOURCE_INDEX(care_plan);
SOURCE_INDEX(treatment);
SOURCE_INDEX(follow_up);
SOURCE_INDEX(pathway_step);
static const struct reg_index person_idx[] = {
    { "person_source", "source_id, source_system" },
    { "person_pseudonym", "pseudonym" },
    { NULL, NULL },
};

/* In import order: what a kind refers to comes before it. */
const struct reg_kind reg_kinds[] = {
    KIND("units", "care_unit", NULL, unit_cols, unit_db, unit_row, unit_post, false),
    KIND("persons", "person", person_idx, person_cols, person_db, person_row, person_post,
         false),
    KIND("contacts", "contact", contact_idx, contact_cols, contact_db, contact_row,
         contact_post, true),
    KIND("self_harm", "self_harm_act", self_harm_act_idx, act_cols, act_db, act_row, NULL,
         false),
    KIND("coercive_measures", "coercive_measure", coercive_measure_idx, measure_cols,
         measure_db, measure_row, NULL, false),
    KIND("assessments", "assessment", assessment_idx, assessment_cols, assessment_db,
         assessment_row, NULL, false),
    KIND("care_plans", "care_plan", care_plan_idx, plan_cols, plan_db, plan_row, NULL,
         false),
    KIND("treatments", "treatment", treatment_idx, treatment_cols, treatment_db,
         treatment_row, NULL, false),
    KIND("follow_ups", "follow_up", follow_up_idx, follow_cols, follow_db, follow_row, NULL,
         false),
    KIND("pathway_steps", "pathway_step", pathway_step_idx, step_cols, step_db, step_row,
         NULL, false),
};
const size_t reg_nkinds = sizeof reg_kinds / sizeof reg_kinds[0];
