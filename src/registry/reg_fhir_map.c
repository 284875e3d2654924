/* src/registry/reg_fhir_map.c: one FHIR R4 resource -> records of a kind.
 *
 * The mapping is the table in docs/import-format.md, section "FHIR R4";
 * keep the two together. Each column gets the text of its element as it
 * is, or nothing, with the element's path for messages, and the session
 * judges it exactly as it judges a CSV field: a wrong code, a partial date
 * or a missing element gives the CSV message with the FHIR path in front.
 * Decided here is only what the session cannot see: which element and
 * which coding (by system) to take, the references between resources
 * (a subject -> the Patient's personnummer, a serviceProvider -> the unit
 * code, an encounter -> its id), the Conditions that become a contact's
 * diagnoses, and times: with a zone they become Swedish civil time; a time
 * without a zone is refused (R4 requires one); a Period's end given as a
 * date alone means the whole day and becomes 23:59:59 of it. A Patient's
 * gender or birthDate that contradicts the personnummer is counted in
 * reg_fhir_stats (the personnummer wins; neither element is stored).
 *
 * Pass one (fx_index) reads each resource once for what the others need of
 * it; pass two (fx_map) makes the records. Neither touches the store.
 */
#include "registry/reg_fhir_impl.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/pnr.h"

static const char *const act_systems[] = {
    "http://terminology.hl7.org/CodeSystem/v3-ActCode", "http://hl7.org/fhir/v3/ActCode",
    NULL};

/* ---- pass one ---- */

static int8_t kind_ix(const char *name)
{
    for (size_t i = 0; i < reg_kind_count(); i++)
        if (strcmp(reg_kind_name(reg_kind_at(i)), name) == 0)
            return (int8_t)i;
    assert(!"no such kind");
    return -1;
}

static void feed(struct fx_res *r, const char *kind)
{
    r->fate = FX_FEED;
    r->kind = kind_ix(kind);
}

static const struct {
    const char *name;
    enum fx_type type;
    bool referred; /* enter its keys */
} types[] = {
    {"Organization", FX_ORGANIZATION, true}, {"Patient", FX_PATIENT, true},
    {"Encounter", FX_ENCOUNTER, true},       {"Condition", FX_CONDITION, true},
    {"Procedure", FX_PROCEDURE, true},       {"Observation", FX_OBSERVATION, false},
    {"CarePlan", FX_CAREPLAN, false},        {"EpisodeOfCare", FX_EPISODE, false},
};

static const char *const enc_skip[] = {"planned", "cancelled", "entered-in-error", NULL};
static const char *const proc_skip[] = {"preparation", "not-done", "entered-in-error",
                                        NULL};
static const char *const obs_skip[] = {"cancelled", "entered-in-error", NULL};
static const char *const plan_skip[] = {"draft", "entered-in-error", NULL};
static const char *const eoc_skip[] = {"entered-in-error", NULL};
static const char *const cond_skip[] = {"refuted", "entered-in-error", NULL};
static const char *const ver_systems[] = {
    "http://terminology.hl7.org/CodeSystem/condition-ver-status", NULL};

static void index_encounter(struct fx_set *set, struct fx_res *r, const json_t *res)
{
    if (fx_status_in(res, enc_skip)) {
        r->fate = FX_SKIP;
        return;
    }
    feed(r, fx_ext(res, "follow-up") != NULL ? "follow_ups" : "contacts");
    const json_t *dx = json_object_get(res, "diagnosis");
    size_t n = json_array_size(dx);
    if (n == 0 || n > UINT32_MAX)
        return;
    r->dxrefs = arena_calloc(&set->a, n, sizeof *r->dxrefs);
    if (r->dxrefs == NULL) {
        set->oom = true;
        return;
    }
    for (size_t k = 0; k < n; k++) {
        const json_t *d = json_array_get(dx, k);
        const char *ref = fx_str(json_object_get(d, "condition"), "reference");
        if (ref == NULL)
            continue;
        struct fx_dxref *x = &r->dxrefs[r->ndxrefs++];
        x->ref = fx_keep(set, ref, strlen(ref), false);
        json_t *rank = json_object_get(d, "rank");
        x->rank = json_is_integer(rank) && json_integer_value(rank) > 0
                      ? (long)json_integer_value(rank)
                      : 0;
    }
}

static void index_condition(struct fx_set *set, struct fx_res *r, const json_t *res)
{
    r->fate = FX_SKIP; /* fx_link makes a linked diagnosis FX_MERGE */
    const json_t *ver = json_object_get(res, "verificationStatus");
    if (fx_in_list(fx_cc_code(ver, ver_systems), cond_skip))
        return;
    const char *code = fx_icd_code(res);
    if (code == NULL)
        return;
    r->value = fx_keep(set, code, strlen(code), false);
    r->dx = (uint8_t)fx_classify(code);
    if (r->dx == FX_DX_SELF_HARM)
        feed(r, "self_harm");
    const char *enc = fx_str(json_object_get(res, "encounter"), "reference");
    if (enc != NULL)
        r->link = fx_keep(set, enc, strlen(enc), false);
}

static void index_procedure(struct fx_set *set, struct fx_res *r, const json_t *res)
{
    const json_t *code = json_object_get(res, "code");
    r->fate = FX_SKIP;
    if (fx_status_in(res, proc_skip))
        return;
    if (fx_knod_code(code, "coercive-measure") != NULL) {
        feed(r, "coercive_measures");
        const char *ext_ref = fx_str(
            json_object_get(fx_ext(res, "extends"), "valueReference"), "reference");
        if (ext_ref != NULL)
            r->link = fx_keep(set, ext_ref, strlen(ext_ref), false);
    } else if (fx_knod_code(code, "treatment") != NULL) {
        feed(r, "treatments");
    } else if (fx_knod_code(code, "plan-type") != NULL) {
        feed(r, "care_plans");
    }
}

void fx_index(struct fx_set *set, struct fx_res *r, json_t *res, const char *full_url)
{
    const char *rt = fx_str(res, "resourceType");
    size_t t = 0, nt = sizeof types / sizeof types[0];
    while (t < nt && strcmp(types[t].name, rt) != 0)
        t++;
    if (t == nt) {
        r->fate = FX_UNKNOWN;
        fx_note_unknown(set, rt);
        return;
    }
    r->type = (uint8_t)types[t].type;
    r->rtype = types[t].name;
    const char *id = fx_str(res, "id");
    if (id != NULL)
        r->id = fx_keep(set, id, strlen(id), false);
    else if (full_url != NULL && strncmp(full_url, "urn:uuid:", 9) == 0)
        r->id = fx_keep(set, full_url + 9, strlen(full_url + 9), false);
    if (types[t].referred) {
        if (id != NULL) {
            char key[256];
            int n = snprintf(key, sizeof key, "%s/%s", rt, id);
            if (n > 0 && (size_t)n < sizeof key)
                fx_add_key(set, key, (size_t)n, r);
        }
        if (full_url != NULL)
            fx_add_key(set, full_url, strlen(full_url), r);
    }
    const char *v;
    switch (r->type) {
    case FX_ORGANIZATION:
        if ((v = fx_org_code(res)) != NULL)
            r->value = fx_keep(set, v, strlen(v), false);
        feed(r, "units");
        break;
    case FX_PATIENT:
        if ((v = fx_patient_pnr(res)) != NULL)
            r->value = fx_keep(set, v, strlen(v), true);
        feed(r, "persons");
        break;
    case FX_ENCOUNTER:
        index_encounter(set, r, res);
        break;
    case FX_CONDITION:
        index_condition(set, r, res);
        break;
    case FX_PROCEDURE:
        index_procedure(set, r, res);
        break;
    case FX_OBSERVATION:
        r->fate = FX_SKIP;
        if (!fx_status_in(res, obs_skip) &&
            fx_knod_code(json_object_get(res, "code"), "assessment") != NULL)
            feed(r, "assessments");
        break;
    case FX_CAREPLAN:
        r->fate = FX_SKIP;
        if (!fx_status_in(res, plan_skip) &&
            fx_knod_code_in(json_object_get(res, "category"), "plan-type") != NULL)
            feed(r, "care_plans");
        break;
    case FX_EPISODE:
        r->fate = FX_SKIP;
        if (!fx_status_in(res, eoc_skip) &&
            fx_knod_code_in(json_object_get(res, "type"), "pathway") != NULL &&
            fx_ext(res, "pathway-step") != NULL)
            feed(r, "pathway_steps");
        break;
    default:
        break;
    }
}

/* ---- pass two ---- */

struct mctx {
    struct fx_set *set;
    const struct fx_res *r;
    json_t *res;
    struct arena *a;
    struct fx_out *out;
    struct kn_error *err;
    const char *sys; /* source_system */
    const char *zoneless; /* path of the first time without a zone, or NULL */
};

static int fail(struct mctx *m, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct mctx *m, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kn_vfail(m->err, KN_EINPUT, fmt, ap);
    va_end(ap);
    if (m->err != NULL)
        fx_clean(m->err->msg, strlen(m->err->msg));
    m->out->path = path;
    return KN_EINPUT;
}

static void put(struct reg_fhir_record *rec, const char *col, const char *s,
                const char *path)
{
    int c = reg_kind_col_index(rec->kind, col);
    assert(c >= 0 && c < REG_FHIR_MAX_COLS);
    rec->fields[c] = s;
    rec->lens[c] = s != NULL ? strlen(s) : 0;
    rec->paths[c] = path;
}

/* A FHIR time as knod time text (fx_civil_time). A dateTime with a time
 * but no zone is refused: R4 says such a time SHALL have one, and knod will
 * not guess whose clock it was read on (the first one's path is kept and
 * fx_map fails the resource with it). */
static const char *civil(struct mctx *m, const char *s, const char *path)
{
    if (s != NULL && fx_time_zoneless(s) && m->zoneless == NULL)
        m->zoneless = path;
    return fx_civil_time(m->a, s);
}

/* The same for the end of a Period: a date alone means the whole day in
 * FHIR, so it becomes that day's last second, 23:59:59 (not its first,
 * which would move a discharge up to a day early). */
static const char *civil_end(struct mctx *m, const char *s, const char *path)
{
    const char *t = civil(m, s, path);
    if (t != NULL && fx_is_date(t))
        return arena_printf(m->a, "%sT23:59:59", t);
    return t;
}

/* The columns every record has: source_system, source_id (sid, or the
 * resource's id). An id shaped like a personnummer is refused: source ids
 * are stored as they are. */
static int head(struct mctx *m, struct reg_fhir_record *rec, const char *kind,
                const char *sid)
{
    rec->kind = reg_kind_at((size_t)kind_ix(kind));
    const char *id = sid != NULL ? sid : m->r->id;
    if (id != NULL && pnr_find_valid(id, strlen(id)))
        return fail(m, "id",
                    "the id looks like a personnummer, which knod never stores; "
                    "give the resource another id");
    put(rec, "source_system", m->sys, "meta.source");
    put(rec, "source_id", id, "id");
    return 0;
}

/* The resource "#x" contained in the current one, or NULL. */
static json_t *contained(const struct mctx *m, const char *ref)
{
    const json_t *all = json_object_get(m->res, "contained");
    for (size_t i = 0; ref != NULL && ref[0] == '#' && i < json_array_size(all); i++) {
        json_t *c = json_array_get(all, i);
        const char *id = fx_str(c, "id");
        if (id != NULL && strcmp(id, ref + 1) == 0)
            return c;
    }
    return NULL;
}

static bool is_a(const json_t *res, const char *type)
{
    const char *rt = fx_str(res, "resourceType");
    return rt != NULL && strcmp(rt, type) == 0;
}

/* The personnummer of the Patient that the Reference elem names: by a
 * reference into the input (or a contained Patient), else by the
 * reference's own personnummer identifier. Absent elem: NULL, and the
 * session reports the missing pnr. */
static int person(struct mctx *m, struct reg_fhir_record *rec, const char *elem)
{
    const json_t *ref = json_object_get(m->res, elem);
    const char *lit = fx_str(ref, "reference"), *pnr = NULL;
    const json_t *c = contained(m, lit);
    uint32_t idx = c == NULL ? fx_resolve(m->set, lit) : 0;
    if (c != NULL) {
        if (!is_a(c, "Patient"))
            return fail(m, elem, "'%.80s' is not a Patient", lit);
        if ((pnr = fx_patient_pnr(c)) == NULL)
            return fail(m, elem,
                        "the contained Patient has no personnummer or "
                        "samordningsnummer identifier");
    } else if (idx != 0) {
        const struct fx_res *p = &m->set->res[idx - 1];
        if (p->type != FX_PATIENT)
            return fail(m, elem, "'%.80s' is not a Patient", lit);
        if ((pnr = p->value) == NULL)
            return fail(m, elem,
                        "Patient/%.64s has no personnummer or samordningsnummer "
                        "identifier",
                        p->id ? p->id : "");
    } else if (ref != NULL) {
        const json_t *id = json_object_get(ref, "identifier");
        if (fx_pnr_system(fx_str(id, "system")))
            pnr = fx_str(id, "value");
        if (pnr == NULL && lit != NULL)
            return fail(m, elem,
                        "'%.80s' is not in the input, and the reference has no "
                        "personnummer identifier; import the Patient in the same run",
                        lit);
        if (pnr == NULL)
            return fail(m, elem,
                        "the reference names no Patient in the input and has no "
                        "personnummer identifier");
    }
    put(rec, "pnr", pnr, elem);
    return 0;
}

/* The id of the resource of type want that the Reference ref names, into
 * col: "Encounter/abc" gives "abc"; a fullUrl gives the id of that
 * resource in the input. */
static int ref_id(struct mctx *m, struct reg_fhir_record *rec, const char *col,
                  const json_t *ref, const char *want, const char *path)
{
    const char *lit = fx_str(ref, "reference"), *type, *id = NULL;
    size_t tlen, ilen;
    if (ref == NULL) {
        put(rec, col, NULL, path);
        return 0;
    }
    if (lit == NULL)
        return fail(m, path, "the reference has no 'reference'; knod needs the %s's id",
                    want);
    if (lit[0] == '#')
        return fail(m, path, "a contained %s cannot be referred to here", want);
    if (fx_ref_split(lit, &type, &tlen, &id, &ilen)) {
        if (tlen != strlen(want) || memcmp(type, want, tlen) != 0)
            return fail(m, path, "expected a reference to %s, not '%.80s'", want, lit);
        if ((id = arena_strndup(m->a, id, ilen)) == NULL)
            return KN_ENOMEM;
    } else {
        uint32_t idx = fx_resolve(m->set, lit);
        if (idx == 0)
            return fail(m, path, "'%.80s' is not in the input", lit);
        const struct fx_res *t = &m->set->res[idx - 1];
        if (t->rtype == NULL || strcmp(t->rtype, want) != 0)
            return fail(m, path, "'%.80s' is not %s %s", lit, want[0] == 'E' ? "an" : "a",
                        want);
        if ((id = t->id) == NULL)
            return fail(m, path, "'%.80s' has no id", lit);
    }
    put(rec, col, id, path);
    return 0;
}

/* The unit of an Encounter: its serviceProvider's unit code. */
static int unit(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *sp = json_object_get(m->res, "serviceProvider");
    const char *lit = fx_str(sp, "reference"), *code = NULL;
    const json_t *c = contained(m, lit);
    uint32_t idx = c == NULL ? fx_resolve(m->set, lit) : 0;
    if (c != NULL || idx != 0) {
        if (c != NULL ? !is_a(c, "Organization")
                      : m->set->res[idx - 1].type != FX_ORGANIZATION)
            return fail(m, "serviceProvider", "'%.80s' is not an Organization", lit);
        code = c != NULL ? fx_org_code(c) : m->set->res[idx - 1].value;
        if (code == NULL)
            return fail(m, "serviceProvider", "the Organization has no identifier");
    } else if (sp != NULL) {
        code = fx_str(json_object_get(sp, "identifier"), "value");
        if (code == NULL)
            return fail(m, "serviceProvider",
                        "'%.80s' is not in the input, and the "
                        "reference has no identifier",
                        lit ? lit : "");
    }
    put(rec, "unit", code, "serviceProvider");
    return 0;
}

struct dx {
    const char *code;
    long rank;    /* 0: none */
    uint8_t dx;   /* enum fx_dx */
    uint32_t idx; /* 1 + resource index, 0 for a contained Condition */
};

/* main_diagnosis, other_diagnoses and cause_code of a contact: the
 * Conditions of Encounter.diagnosis (by rank, then in order) and those
 * whose Condition.encounter names it (in input order). The first diagnosis
 * is the main one; the first external cause is the cause. */
static int diagnoses(struct mctx *m, struct reg_fhir_record *rec)
{
    const struct fx_res *r = m->r, *all = m->set->res;
    size_t cap = r->ndxrefs, n = 0;
    for (uint32_t j = r->first_dx; j != 0; j = all[j - 1].next_dx)
        cap++;
    struct dx *v = arena_calloc(m->a, cap ? cap : 1, sizeof *v);
    if (v == NULL)
        return KN_ENOMEM;
    for (uint32_t k = 0; k < r->ndxrefs; k++) {
        const char *ref = r->dxrefs[k].ref;
        const json_t *c = contained(m, ref);
        uint32_t idx = c == NULL ? fx_resolve(m->set, ref) : 0;
        if (c == NULL && idx == 0)
            return fail(m, "diagnosis", "'%.80s' is not in the input", ref ? ref : "");
        if (c != NULL ? !is_a(c, "Condition") : all[idx - 1].type != FX_CONDITION)
            return fail(m, "diagnosis", "'%.80s' is not a Condition", ref);
        const char *code = c != NULL ? fx_icd_code(c) : all[idx - 1].value;
        uint8_t kind = c != NULL ? (uint8_t)fx_classify(code) : all[idx - 1].dx;
        if (kind != FX_DX_NONE)
            v[n++] = (struct dx){code, r->dxrefs[k].rank, kind, idx};
    }
    for (uint32_t j = r->first_dx; j != 0; j = all[j - 1].next_dx) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = v[k].idx == j;
        if (!seen)
            v[n++] = (struct dx){all[j - 1].value, 0, all[j - 1].dx, j};
    }
    /* Stable insertion sort: ranked ones first, by rank. */
    for (size_t i = 1; i < n; i++) {
        struct dx x = v[i];
        size_t j = i;
        for (; j > 0 && x.rank > 0 && (v[j - 1].rank == 0 || v[j - 1].rank > x.rank); j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    const char *main = NULL, *cause = NULL;
    size_t olen = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].dx != FX_DX_DIAGNOSIS && cause == NULL)
            cause = v[i].code;
        else if (v[i].dx == FX_DX_DIAGNOSIS && main == NULL)
            main = v[i].code;
        else if (v[i].dx == FX_DX_DIAGNOSIS)
            olen += strlen(v[i].code) + 1;
    }
    char *others = olen ? arena_alloc(m->a, olen) : NULL;
    if (olen && others == NULL)
        return KN_ENOMEM;
    size_t at = 0;
    for (size_t i = 0; i < n && others != NULL; i++) {
        if (v[i].dx != FX_DX_DIAGNOSIS || v[i].code == main)
            continue;
        bool dup = false; /* the main one, or one listed already */
        for (size_t k = 0; k < i && !dup; k++)
            dup = v[k].dx == FX_DX_DIAGNOSIS && strcmp(v[k].code, v[i].code) == 0;
        if (dup)
            continue;
        size_t len = strlen(v[i].code);
        if (at > 0)
            others[at++] = ' ';
        memcpy(others + at, v[i].code, len);
        at += len;
    }
    if (others != NULL)
        others[at] = '\0';
    put(rec, "main_diagnosis", main, "diagnosis");
    put(rec, "other_diagnoses", at > 0 ? others : NULL, "diagnosis");
    put(rec, "cause_code", cause, "Condition.code");
    return 0;
}

static const char *act_code(const json_t *res)
{
    const json_t *cls = json_object_get(res, "class");
    const char *code = fx_str(cls, "code"), *sys = fx_str(cls, "system");
    if (code == NULL || (sys != NULL && !fx_in_list(sys, act_systems)))
        return code;
    static const char *const map[][2] = {
        {"EMER", "emergency"}, {"AMB", "outpatient"},  {"VR", "outpatient"},
        {"IMP", "inpatient"},  {"ACUTE", "inpatient"}, {"NONAC", "inpatient"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(code, map[i][0]) == 0)
            return map[i][1];
    return code; /* the session names it as not one of the contact types */
}

static int map_contact(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res, *period = json_object_get(res, "period");
    int rc = head(m, rec, "contacts", NULL);
    if (rc == 0)
        rc = person(m, rec, "subject");
    if (rc == 0)
        rc = unit(m, rec);
    if (rc == 0)
        rc = diagnoses(m, rec);
    if (rc != 0)
        return rc;
    put(rec, "contact_type", act_code(res), "class");
    put(rec, "start", civil(m, fx_str(period, "start"), "period.start"), "period.start");
    put(rec, "end", civil_end(m, fx_str(period, "end"), "period.end"), "period.end");
    put(rec, "legal_basis", fx_ext_code(fx_ext(res, "legal-basis")),
        "extension(legal-basis)");
    put(rec, "brief_admission", fx_ext_bool(fx_ext(res, "brief-admission")),
        "extension(brief-admission)");
    return 0;
}

static int map_follow_up(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res, *e = fx_ext(res, "follow-up");
    const char *mode = fx_ext_code(fx_part(e, "mode"));
    if (mode == NULL) {
        const char *cls = fx_str(json_object_get(res, "class"), "code");
        mode = cls == NULL                                         ? NULL
               : strcmp(cls, "VR") == 0                            ? "video"
               : strcmp(cls, "AMB") == 0 || strcmp(cls, "HH") == 0 ? "visit"
                                                                   : cls;
    }
    int rc = head(m, rec, "follow_ups", NULL);
    if (rc == 0)
        rc = person(m, rec, "subject");
    if (rc == 0)
        rc = ref_id(m, rec, "stay_id",
                    json_object_get(fx_part(e, "stay"), "valueReference"), "Encounter",
                    "extension(follow-up).stay");
    if (rc != 0)
        return rc;
    put(rec, "time", civil(m, fx_str(json_object_get(res, "period"), "start"), "period.start"),
        "period.start");
    put(rec, "mode", mode, "extension(follow-up).mode");
    return 0;
}

static int map_self_harm(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res;
    const char *path = "onsetDateTime", *time = fx_str(res, "onsetDateTime");
    if (time == NULL &&
        (time = fx_str(json_object_get(res, "onsetPeriod"), "start")) != NULL)
        path = "onsetPeriod.start";
    if (time == NULL && (time = fx_str(res, "recordedDate")) != NULL)
        path = "recordedDate";
    int rc = head(m, rec, "self_harm", NULL);
    if (rc == 0)
        rc = person(m, rec, "subject");
    if (rc == 0)
        rc = ref_id(m, rec, "contact_id", json_object_get(res, "encounter"), "Encounter",
                    "encounter");
    if (rc != 0)
        return rc;
    put(rec, "time", civil(m, time, path), time != NULL ? path : "onset[x]");
    put(rec, "cause_code", m->r->value, "code");
    return 0;
}

/* Procedure.performed[x]: start and end. */
static void performed(struct mctx *m, const char **start, const char **end,
                      const char **spath)
{
    const json_t *p = json_object_get(m->res, "performedPeriod");
    *start = fx_str(m->res, "performedDateTime");
    *spath = "performedDateTime";
    *end = civil_end(m, fx_str(p, "end"), "performedPeriod.end");
    if (*start == NULL && p != NULL) {
        *start = fx_str(p, "start");
        *spath = "performedPeriod.start";
    }
    *start = civil(m, *start, *spath);
}

static int map_procedure(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res, *code = json_object_get(res, "code");
    const char *kind = reg_kind_name(reg_kind_at((size_t)m->r->kind));
    const char *start, *end, *spath;
    performed(m, &start, &end, &spath);
    int rc = head(m, rec, kind, NULL);
    if (rc == 0)
        rc = person(m, rec, "subject");
    if (rc != 0)
        return rc;
    if (strcmp(kind, "coercive_measures") == 0) {
        rc = ref_id(m, rec, "stay_id", json_object_get(res, "encounter"), "Encounter",
                    "encounter");
        if (rc == 0)
            rc = ref_id(m, rec, "extends_id",
                        json_object_get(fx_ext(res, "extends"), "valueReference"),
                        "Procedure", "extension(extends)");
        put(rec, "measure_type", fx_knod_code(code, "coercive-measure"), "code");
        put(rec, "legal_basis", fx_ext_code(fx_ext(res, "legal-basis")),
            "extension(legal-basis)");
        put(rec, "decided",
            civil(m, fx_ext_time(fx_ext(res, "decision-time")), "extension(decision-time)"),
            "extension(decision-time)");
        put(rec, "start", start, spath);
        put(rec, "end", end, "performedPeriod.end");
    } else if (strcmp(kind, "treatments") == 0) {
        put(rec, "treatment_type", fx_knod_code(code, "treatment"), "code");
        put(rec, "start", start, spath);
        put(rec, "end", end, "performedPeriod.end");
    } else {
        put(rec, "plan_type", fx_knod_code(code, "plan-type"), "code");
        put(rec, "time", start, spath);
    }
    return rc;
}

static int map_observation(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res;
    const char *path = "effectiveDateTime", *time = fx_str(res, "effectiveDateTime");
    if (time == NULL && (time = fx_str(json_object_get(res, "effectivePeriod"), "start")))
        path = "effectivePeriod.start";
    if (time == NULL && (time = fx_str(res, "effectiveInstant")) != NULL)
        path = "effectiveInstant";
    int rc = head(m, rec, "assessments", NULL);
    if (rc == 0)
        rc = person(m, rec, "subject");
    if (rc == 0)
        rc = ref_id(m, rec, "contact_id", json_object_get(res, "encounter"), "Encounter",
                    "encounter");
    if (rc != 0)
        return rc;
    put(rec, "time", civil(m, time, path), time != NULL ? path : "effective[x]");
    put(rec, "assessment_type", fx_knod_code(json_object_get(res, "code"), "assessment"),
        "code");
    return 0;
}

static int map_care_plan(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res;
    const char *path = "created", *time = fx_str(res, "created");
    if (time == NULL && (time = fx_str(json_object_get(res, "period"), "start")) != NULL)
        path = "period.start";
    int rc = head(m, rec, "care_plans", NULL);
    if (rc == 0)
        rc = person(m, rec, "subject");
    if (rc != 0)
        return rc;
    put(rec, "time", civil(m, time, path), path);
    put(rec, "plan_type", fx_knod_code_in(json_object_get(res, "category"), "plan-type"),
        "category");
    return 0;
}

/* One record per pathway-step extension; the step's source_id is the
 * episode's id, ':' and the step code. */
static int map_episode(struct mctx *m)
{
    const json_t *res = m->res, *exts = json_object_get(res, "extension");
    const char *pathway = fx_knod_code_in(json_object_get(res, "type"), "pathway");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(exts); i++) {
        const json_t *e = json_array_get(exts, i);
        if (fx_str(e, "url") == NULL ||
            strcmp(fx_str(e, "url"), KNOD_SD "pathway-step") != 0)
            continue;
        struct reg_fhir_record *rec = &m->out->rec[n++];
        const char *step = fx_ext_code(fx_part(e, "step"));
        const char *sid = m->r->id == NULL
                              ? NULL
                              : arena_printf(m->a, "%s:%s", m->r->id, step ? step : "");
        if (m->r->id != NULL && sid == NULL)
            return KN_ENOMEM;
        int rc = head(m, rec, "pathway_steps", sid);
        if (rc == 0)
            rc = person(m, rec, "patient");
        if (rc != 0)
            return rc;
        put(rec, "pathway", pathway, "type");
        put(rec, "step", step, "extension(pathway-step).step");
        put(rec, "time",
            civil(m, fx_ext_time(fx_part(e, "time")), "extension(pathway-step).time"),
            "extension(pathway-step).time");
    }
    m->out->n = n;
    return 0;
}

/* Does Patient.gender or Patient.birthDate say otherwise than the
 * personnummer pnr? knod keeps the personnummer's sex and birth date and
 * stores neither element, so a contradiction is counted (the caller
 * warns), never a reason to refuse. "other" and "unknown" and partial
 * dates ("1990", "1990-05") contradict nothing they leave open. */
static bool contradicts(const json_t *res, const char *pnr)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    if (pnr == NULL || pnr_parse(pnr, strlen(pnr), date_today(), &p, &err) != 0)
        return false; /* the session refuses the number itself */
    const char *gender = fx_str(res, "gender"), *birth = fx_str(res, "birthDate");
    char known[11];
    pnr_format_birth(&p, known);
    bool bad = gender != NULL &&
               ((strcmp(gender, "male") == 0 && p.sex != PNR_SEX_MALE) ||
                (strcmp(gender, "female") == 0 && p.sex != PNR_SEX_FEMALE));
    if (birth != NULL) {
        size_t n = strlen(birth), k = strlen(known);
        size_t common = n < k ? n : k;
        bad |= (n == 4 || n == 7 || n == 10) && memcmp(birth, known, common) != 0;
    }
    pnr_wipe(&p);
    return bad;
}

static int map_patient(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res, *muni = fx_ext(res, "municipality");
    const json_t *addr = json_object_get(res, "address");
    for (size_t i = 0; muni == NULL && i < json_array_size(addr); i++)
        muni = fx_ext(json_array_get(addr, i), "municipality");
    int rc = head(m, rec, "persons", NULL);
    if (rc != 0)
        return rc;
    put(rec, "pnr", m->r->value, "identifier");
    struct reg_fhir_stats *st = m->set->st;
    if (st != NULL && contradicts(res, m->r->value) && st->contradicted++ == 0)
        snprintf(st->contradicted_first, sizeof st->contradicted_first, "Patient/%.60s",
                 m->r->id ? m->r->id : "(no id)");
    put(rec, "municipality", fx_ext_code(muni), "extension(municipality)");
    put(rec, "death_date", fx_civil_date(m->a, fx_str(res, "deceasedDateTime")),
        "deceasedDateTime");
    put(rec, "death_by_suicide", fx_ext_bool(fx_ext(res, "death-by-suicide")),
        "extension(death-by-suicide)");
    return 0;
}

static int map_organization(struct mctx *m, struct reg_fhir_record *rec)
{
    const json_t *res = m->res, *type = json_object_get(res, "type");
    int rc = head(m, rec, "units", NULL);
    if (rc != 0)
        return rc;
    put(rec, "code", m->r->value, "identifier");
    put(rec, "name", fx_str(res, "name"), "name");
    put(rec, "region_code", fx_ext_code(fx_ext(res, "region")), "extension(region)");
    put(rec, "unit_type", fx_knod_code_in(type, "unit-type"), "type");
    put(rec, "setting", fx_knod_code_in(type, "care-setting"), "type");
    return 0;
}

int fx_map(struct fx_set *set, size_t i, json_t *res, struct arena *a, struct fx_out *out,
           struct kn_error *err)
{
    const struct fx_res *r = &set->res[i];
    struct mctx m = {set, r, res, a, out, err, NULL, NULL};
    memset(out, 0, sizeof *out);
    assert(r->fate == FX_FEED);

    const char *src = fx_str(json_object_get(res, "meta"), "source");
    size_t slen = src != NULL ? strcspn(src, "#") : 0; /* "#request-id" is no system */
    m.sys = slen > 0 ? arena_strndup(a, src, slen) : set->source_system;
    if (m.sys == NULL)
        return KN_ENOMEM;
    if (pnr_find_valid(m.sys, strlen(m.sys)))
        return fail(&m, "meta.source",
                    "the source looks like a personnummer, which knod "
                    "never stores");

    size_t n = 1;
    if (r->type == FX_EPISODE) {
        const json_t *exts = json_object_get(res, "extension");
        n = json_array_size(exts);
    }
    out->rec = arena_calloc(a, n ? n : 1, sizeof *out->rec);
    if (out->rec == NULL)
        return KN_ENOMEM;
    out->n = 1;
    struct reg_fhir_record *rec = out->rec;
    const char *kind = reg_kind_name(reg_kind_at((size_t)r->kind));
    int rc = KN_EINPUT;
    switch (r->type) {
    case FX_ORGANIZATION: rc = map_organization(&m, rec); break;
    case FX_PATIENT: rc = map_patient(&m, rec); break;
    case FX_ENCOUNTER:
        rc = strcmp(kind, "follow_ups") == 0 ? map_follow_up(&m, rec) : map_contact(&m, rec);
        break;
    case FX_CONDITION: rc = map_self_harm(&m, rec); break;
    case FX_PROCEDURE: rc = map_procedure(&m, rec); break;
    case FX_OBSERVATION: rc = map_observation(&m, rec); break;
    case FX_CAREPLAN: rc = map_care_plan(&m, rec); break;
    case FX_EPISODE: rc = map_episode(&m); break;
    default: assert(!"a fed resource of no mapped type"); break;
    }
    if (rc == 0 && m.zoneless != NULL)
        rc = fail(&m, m.zoneless,
                  "a time without a time zone; FHIR R4 requires one when a time is "
                  "given (Z, +01:00 or +02:00)");
    return rc;
}
