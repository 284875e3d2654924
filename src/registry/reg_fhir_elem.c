/* src/registry/reg_fhir_elem.c: reading FHIR R4 elements and data types.
 *
 * What both passes need: codings by system, knod's extensions and their
 * values, a Patient's personnummer, an Organization's unit code, a
 * Condition's ICD-10 code and what it is, and dateTime values as Swedish
 * civil time. JSON access goes through jansson's getters, which return
 * NULL for a missing member or a value of another type, so a resource of
 * any shape is read without a check at every step.
 */
#include "registry/reg_fhir_impl.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

static const char *const pnr_systems[] = {
    "http://electronichealth.se/identifier/personnummer", "urn:oid:1.2.752.129.2.1.3.1",
    NULL};
static const char *const snr_systems[] = {
    "http://electronichealth.se/identifier/samordningsnummer",
    "urn:oid:1.2.752.129.2.1.3.3", NULL};
static const char *const hsa_systems[] = {"urn:oid:1.2.752.129.2.1.4.1", NULL};
static const char *const icd_systems[] = {
    "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-se",
    "urn:oid:1.2.752.116.1.1.1.1.3", "urn:oid:2.16.840.1.113883.6.3", NULL};

bool fx_in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; s != NULL && list[i] != NULL; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

bool fx_pnr_system(const char *system)
{
    return fx_in_list(system, pnr_systems) || fx_in_list(system, snr_systems);
}

/* ---- JSON and FHIR data types ---- */

const char *fx_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

bool fx_status_in(const json_t *res, const char *const *list)
{
    return fx_in_list(fx_str(res, "status"), list);
}

/* The code of the first coding of the CodeableConcept cc in system. */
const char *fx_cc_code(const json_t *cc, const char *const *systems)
{
    const json_t *codings = json_object_get(cc, "coding");
    for (size_t i = 0; i < json_array_size(codings); i++) {
        const json_t *c = json_array_get(codings, i);
        const char *code = fx_str(c, "code");
        if (code != NULL && fx_in_list(fx_str(c, "system"), systems))
            return code;
    }
    return NULL;
}

const char *fx_knod_code(const json_t *cc, const char *cs)
{
    char system[96];
    snprintf(system, sizeof system, KNOD_CS "%s", cs);
    const char *const one[] = {system, NULL};
    return fx_cc_code(cc, one);
}

/* The same over an array of CodeableConcepts (Organization.type, ...). */
const char *fx_knod_code_in(const json_t *ccs, const char *cs)
{
    for (size_t i = 0; i < json_array_size(ccs); i++) {
        const char *code = fx_knod_code(json_array_get(ccs, i), cs);
        if (code != NULL)
            return code;
    }
    return NULL;
}

/* knod's extension `name` on elem, or NULL. */
json_t *fx_ext(const json_t *elem, const char *name)
{
    const json_t *exts = json_object_get(elem, "extension");
    size_t plen = strlen(KNOD_SD);
    for (size_t i = 0; i < json_array_size(exts); i++) {
        json_t *e = json_array_get(exts, i);
        const char *url = fx_str(e, "url");
        if (url != NULL && strncmp(url, KNOD_SD, plen) == 0 &&
            strcmp(url + plen, name) == 0)
            return e;
    }
    return NULL;
}

/* A part of a complex extension (its url is the part's short name). */
json_t *fx_part(const json_t *e, const char *name)
{
    const json_t *exts = json_object_get(e, "extension");
    for (size_t i = 0; i < json_array_size(exts); i++) {
        json_t *p = json_array_get(exts, i);
        const char *url = fx_str(p, "url");
        if (url != NULL && strcmp(url, name) == 0)
            return p;
    }
    return NULL;
}

const char *fx_ext_code(const json_t *e)
{
    const char *s = fx_str(e, "valueCode");
    if (s == NULL)
        s = fx_str(e, "valueString");
    if (s == NULL)
        s = fx_str(json_object_get(e, "valueCoding"), "code");
    if (s == NULL)
        s = fx_str(
            json_array_get(
                json_object_get(json_object_get(e, "valueCodeableConcept"), "coding"), 0),
            "code");
    return s;
}

const char *fx_ext_bool(const json_t *e)
{
    const json_t *b = json_object_get(e, "valueBoolean");
    if (json_is_boolean(b))
        return json_is_true(b) ? "1" : "0";
    return fx_ext_code(e); /* a string: passed on for the session to refuse */
}

const char *fx_ext_time(const json_t *e)
{
    const char *s = fx_str(e, "valueDateTime");
    if (s == NULL)
        s = fx_str(e, "valueInstant");
    return s != NULL ? s : fx_str(e, "valueDate");
}

const char *fx_patient_pnr(const json_t *patient)
{
    const json_t *ids = json_object_get(patient, "identifier");
    const char *snr = NULL;
    for (size_t i = 0; i < json_array_size(ids); i++) {
        const json_t *id = json_array_get(ids, i);
        const char *sys = fx_str(id, "system"), *v = fx_str(id, "value");
        if (v != NULL && fx_in_list(sys, pnr_systems))
            return v;
        if (v != NULL && snr == NULL && fx_in_list(sys, snr_systems))
            snr = v;
    }
    return snr;
}

/* The unit code of an Organization: its HSA-id, else its first identifier. */
const char *fx_org_code(const json_t *org)
{
    const json_t *ids = json_object_get(org, "identifier");
    const char *first = NULL;
    for (size_t i = 0; i < json_array_size(ids); i++) {
        const json_t *id = json_array_get(ids, i);
        const char *v = fx_str(id, "value");
        if (v != NULL && fx_in_list(fx_str(id, "system"), hsa_systems))
            return v;
        if (first == NULL)
            first = v;
    }
    return first;
}

const char *fx_icd_code(const json_t *condition)
{
    return fx_cc_code(json_object_get(condition, "code"), icd_systems);
}

enum fx_dx fx_classify(const char *code)
{
    if (code == NULL)
        return FX_DX_NONE;
    size_t len = strlen(code);
    bool digits =
        len >= 3 && code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9';
    int n = digits ? (code[1] - '0') * 10 + (code[2] - '0') : -1;
    if ((code[0] == 'X' && n >= 60 && n <= 84) || (code[0] == 'Y' && n >= 10 && n <= 34))
        return FX_DX_SELF_HARM;
    if (code[0] == 'V' || code[0] == 'W' || code[0] == 'X' || code[0] == 'Y')
        return FX_DX_CAUSE; /* ICD-10 chapter XX, external causes */
    return FX_DX_DIAGNOSIS;
}

/* ---- times ---- */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static kn_day last_sunday(int year, int month)
{
    kn_day d = date_from_ymd(year, month, date_days_in_month(year, month));
    return d - date_weekday(d) % 7;
}

/* Is the UTC time t (in year y) summer time in Sweden? From 1996 the EU
 * rule (last Sunday of March to last Sunday of October, 01:00 UTC); 1981-
 * 1995 it ended on the last Sunday of September; 1980 ran 6 April to 28
 * September; before 1980 Sweden kept standard time. */
static bool summer_time(int y, kn_time t)
{
    if (y < 1980)
        return false;
    kn_day from = y == 1980 ? date_from_ymd(1980, 4, 6) : last_sunday(y, 3);
    kn_day to =
        y == 1980 ? date_from_ymd(1980, 9, 28) : last_sunday(y, y <= 1995 ? 9 : 10);
    return t >= time_from_day(from) + 3600 && t < time_from_day(to) + 3600;
}

/* A FHIR dateTime or instant as knod time text: a time with a zone (Z,
 * +hh:mm, -hh:mm) becomes Swedish civil time, fractions of a second are
 * dropped. Anything else (a date, a partial date, garbage) is passed on as
 * it is, for the session to judge. */
const char *fx_civil_time(struct arena *a, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t len = strlen(s);
    if (len < 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
        return s;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int hh = digits(s + 11, 2), mi = digits(s + 14, 2), ss = 0, off = 0;
    size_t p = 16;
    if (p < len && s[p] == ':') {
        ss = p + 3 <= len ? digits(s + p + 1, 2) : -1;
        p += 3;
    }
    size_t keep = p;
    if (p < len && s[p] == '.')
        for (p++; p < len && s[p] >= '0' && s[p] <= '9'; p++)
            ;
    if (p >= len)
        return keep >= len ? s : arena_strndup(a, s, keep); /* no zone */
    if (s[p] == 'Z' && p + 1 == len) {
        off = 0;
    } else if ((s[p] == '+' || s[p] == '-') && p + 6 == len && s[p + 3] == ':') {
        int oh = digits(s + p + 1, 2), om = digits(s + p + 4, 2);
        if (oh < 0 || oh > 14 || om < 0 || om > 59)
            return s;
        off = (s[p] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
        return s;
    }
    if (y < 1 || !date_valid(y, mo, d) || hh < 0 || hh > 23 || mi < 0 || mi > 59 ||
        ss < 0 || ss > 59)
        return s;
    kn_time utc = time_from_day(date_from_ymd(y, mo, d)) + hh * 3600 + mi * 60 + ss - off;
    kn_time t = utc + (summer_time(y, utc) ? 7200 : 3600);
    if (t < time_from_day(date_from_ymd(1, 1, 1)) ||
        t >= time_from_day(date_from_ymd(9999, 12, 31)) + KN_DAY_SECONDS)
        return s;
    char buf[20];
    time_format(t, buf);
    return arena_strdup(a, buf);
}

bool fx_time_zoneless(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (len < 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
        return false;
    for (size_t i = 16; i < len; i++)
        if (s[i] == 'Z' || s[i] == '+' || s[i] == '-')
            return false;
    return true;
}

bool fx_is_date(const char *s)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) >= 0 &&
           digits(s + 5, 2) >= 0 && digits(s + 8, 2) >= 0;
}

/* The civil date of a FHIR date or dateTime. */
const char *fx_civil_date(struct arena *a, const char *s)
{
    const char *t = fx_civil_time(a, s);
    kn_time x;
    if (t != NULL && strlen(t) > 10 && t[10] == 'T' &&
        (t != s || time_parse(t, strlen(t), &x, NULL) == 0))
        return arena_strndup(a, t, 10);
    return t; /* a date, or something for the session to refuse */
}
