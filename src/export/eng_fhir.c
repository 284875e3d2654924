/* src/export/eng_fhir.c: an indicator definition as a FHIR R4 Measure, and
 * the mapping both Measure and MeasureReport use (eng_fhir_impl.h).
 *
 * The population criteria quote the definition's own statements, taken
 * from the embedded catalogue file by line number (ind_def.line and
 * ind_measure.line), so that the Measure says exactly what knod computes.
 * A definition is a few dozen lines; the Measure a few kilobytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "base/strbuf.h"
#include "export/eng_fhir_impl.h"

/* ---- The mapping shared with the reports ---------------------------- */

size_t eng_fhir_pops(const struct ind_measure *m, struct ef_pop out[EF_MAX_POPS])
{
    size_t n = 0;
    switch (m->kind) {
    case IND_M_COUNT:
        out[n++] = (struct ef_pop){"initial-population", EF_NUM};
        if (m->per) {
            out[n++] = (struct ef_pop){"numerator", EF_NUM};
            out[n++] = (struct ef_pop){"denominator", EF_DEN};
        }
        break;
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL:
        out[n++] = (struct ef_pop){"initial-population", EF_DEN};
        out[n++] = (struct ef_pop){"denominator", EF_DEN};
        out[n++] = (struct ef_pop){"numerator", EF_NUM};
        break;
    case IND_M_SUM:
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR:
        out[n++] = (struct ef_pop){"initial-population", EF_NONE};
        out[n++] = (struct ef_pop){"measure-population", EF_DEN};
        out[n++] = (struct ef_pop){"measure-observation", EF_NONE};
        break;
    case IND_M_RATIO:
        out[n++] = (struct ef_pop){"initial-population", EF_NONE};
        out[n++] = (struct ef_pop){"numerator", EF_NUM};
        out[n++] = (struct ef_pop){"denominator", EF_DEN};
        break;
    }
    return n;
}

const char *eng_fhir_scoring(const struct ind_measure *m)
{
    switch (m->kind) {
    case IND_M_COUNT:
        return m->per ? "ratio" : "cohort";
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL:
        return "proportion";
    case IND_M_SUM:
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR:
        return "continuous-variable";
    case IND_M_RATIO:
        return "ratio";
    }
    return "cohort";
}

size_t eng_fhir_strats(const struct ind_def *d, unsigned dims,
                       struct ef_strat out[EF_MAX_STRATS])
{
    if (!dims)
        dims = d->dims;
    size_t n = 0;
    for (int lv = ENG_GEO_NATION; lv <= ENG_GEO_FINE; lv++) {
        if (lv != ENG_GEO_NATION && !(dims & IND_DIM_REGION))
            continue;
        if (lv == ENG_GEO_FINE && !(dims & (IND_DIM_MUNICIPALITY | IND_DIM_UNIT)))
            continue;
        for (int sex = 0; sex < 2; sex++)
            for (int band = 0; band < 2; band++) {
                if (sex && !(dims & IND_DIM_SEX))
                    continue;
                if (band && (!(dims & IND_DIM_BAND) || d->nbands == 0))
                    continue;
                if (lv == ENG_GEO_NATION && !sex && !band)
                    continue;
                out[n++] = (struct ef_strat){lv, sex, band};
            }
    }
    return n;
}

size_t eng_fhir_strat_dims(const struct ind_def *d, struct ef_strat s, const char *out[3])
{
    static const char *const place[] = {NULL, "healthcare-region", "region", NULL};
    size_t n = 0;
    if (s.level == ENG_GEO_FINE)
        out[n++] = d->geo_unit ? "unit" : "municipality";
    else if (s.level != ENG_GEO_NATION)
        out[n++] = place[s.level];
    if (s.sex)
        out[n++] = "sex";
    if (s.band)
        out[n++] = "age-band";
    return n;
}

json_t *eng_fhir_cc(const char *system, const char *code, const char *display,
                    const char *text)
{
    json_t *cc = json_object(), *coding = json_object(), *codings = json_array();
    int bad = ef_set(coding, "system", json_string(system));
    bad |= ef_set(coding, "code", json_string(code));
    if (display)
        bad |= ef_set(coding, "display", json_string(display));
    bad |= ef_push(codings, coding);
    bad |= ef_set(cc, "coding", codings);
    if (text)
        bad |= ef_set(cc, "text", json_string(text));
    if (bad) {
        json_decref(cc);
        return NULL;
    }
    return cc;
}

void eng_fhir_strat_id(const struct ind_def *d, struct ef_strat s, char *buf, size_t cap)
{
    const char *dims[3];
    size_t n = eng_fhir_strat_dims(d, s, dims), l = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && l < cap; i++)
        l += (size_t)snprintf(buf + l, cap - l, "%s%s", i ? "+" : "", dims[i]);
}

json_t *eng_fhir_strat_codes(const struct ind_def *d, struct ef_strat s)
{
    const char *dims[3];
    size_t n = eng_fhir_strat_dims(d, s, dims);
    json_t *a = json_array();
    int bad = a == NULL;
    for (size_t i = 0; i < n && !bad; i++)
        bad |= ef_push(a, eng_fhir_dim_code(dims[i]));
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *eng_fhir_dim_code(const char *dim)
{
    return eng_fhir_cc(EF_CS_BREAKDOWN, dim, NULL, dim);
}

json_t *eng_fhir_group_code(const struct ind_measure *m)
{
    return eng_fhir_cc(EF_CS_MEASURE, m->name, NULL, m->name);
}

json_t *eng_fhir_quantity(const struct ind_measure *m, double v)
{
    json_t *q = json_object();
    int bad = ef_set(q, "value", json_real(v));
    const char *unit = NULL, *ucum = NULL;
    char ubuf[40], cbuf[16];
    switch (m->kind) {
    case IND_M_PROPORTION:
    case IND_M_SURVIVAL:
        unit = ucum = "%";
        break;
    case IND_M_SUM:
    case IND_M_MEDIAN_TO:
    case IND_M_MEDIAN_DUR:
        unit = m->unit_seconds == 3600 ? "hours" : "days";
        ucum = m->unit_seconds == 3600 ? "h" : "d";
        break;
    case IND_M_COUNT:
    case IND_M_RATIO:
        if (!m->per)
            break;
        snprintf(ubuf, sizeof ubuf, "per %lld", (long long)m->per);
        unit = ubuf;
        /* UCUM has powers of ten: per 100 000 is /10*5. */
        int k = 0;
        int64_t x = m->per;
        while (x > 1 && x % 10 == 0) {
            x /= 10;
            k++;
        }
        if (x == 1 && k > 0) {
            snprintf(cbuf, sizeof cbuf, "/10*%d", k);
            ucum = cbuf;
        }
        break;
    }
    if (unit)
        bad |= ef_set(q, "unit", json_string(unit));
    if (ucum) {
        bad |= ef_set(q, "system", json_string("http://unitsofmeasure.org"));
        bad |= ef_set(q, "code", json_string(ucum));
    }
    if (bad) {
        json_decref(q);
        return NULL;
    }
    return q;
}

void eng_fhir_id(const struct ind_def *d, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s-v%d", d->id, d->version);
}

void eng_fhir_url(const char *base, const char *indicator_id, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/Measure/%s", base ? base : ENG_FHIR_BASE, indicator_id);
}

/* ---- The definition's statements, from the embedded catalogue ------- */

struct src {
    const char *text;
    size_t len;
    int last; /* the definition's last line (d->line is its first) */
};

/* Line `line` (1-based) of s without its comment and surrounding blanks. */
static void src_line(const struct src *s, int line, const char **out, size_t *n)
{
    const char *p = s->text, *end = s->text + s->len;
    for (int i = 1; i < line && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *e = p;
    bool quoted = false;
    for (; e < end && *e != '\n' && (quoted || *e != '#'); e++) {
        if (*e == '\\' && quoted && e + 1 < end)
            e++;
        else if (*e == '"')
            quoted = !quoted;
    }
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *out = p;
    *n = (size_t)(e - p);
}

static bool starts_word(const char *p, size_t n, const char *w)
{
    size_t l = strlen(w);
    return n >= l && memcmp(p, w, l) == 0 && (n == l || p[l] == ' ' || p[l] == '\t');
}

/* Find d's text: shipped definitions are "data/indicators/x.ind", embedded
 * as "indicators/x.ind". */
static bool src_find(const struct ind_def *d, struct src *s)
{
    if (!d->file || strncmp(d->file, "data/", 5) != 0)
        return false;
    const struct embed_file *f = embed_find(d->file + 5);
    if (!f)
        return false;
    s->text = (const char *)f->data;
    s->len = f->len;
    s->last = d->line;
    int lines = 1;
    for (size_t i = 0; i < f->len; i++)
        lines += f->data[i] == '\n';
    for (int l = d->line + 1; l <= lines; l++) {
        const char *p;
        size_t n;
        src_line(s, l, &p, &n);
        if (starts_word(p, n, "indicator"))
            break;
        s->last = l;
    }
    const char *p;
    size_t n;
    src_line(s, d->line, &p, &n);
    return starts_word(p, n, "indicator");
}

/* Append the statements of d that select the anchors. */
static int add_anchor_lines(struct strbuf *sb, const struct ind_def *d,
                            const struct src *s)
{
    static const char *const kw[] = {"from", "where", "pick", "period", "years", "valid"};
    int rc = 0;
    for (int l = d->line + 1; rc == 0 && l <= s->last; l++) {
        const char *p;
        size_t n;
        src_line(s, l, &p, &n);
        for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++)
            if (starts_word(p, n, kw[k])) {
                rc = sb->len ? sb_addch(sb, '\n') : 0;
                if (rc == 0)
                    rc = sb_add(sb, p, n);
                break;
            }
    }
    return rc;
}

static int add_measure_line(struct strbuf *sb, const struct src *s,
                            const struct ind_measure *m)
{
    const char *p;
    size_t n;
    src_line(s, m->line, &p, &n);
    if (!starts_word(p, n, "measure"))
        return 0;
    int rc = sb->len ? sb_addch(sb, '\n') : 0;
    return rc ? rc : sb_add(sb, p, n);
}

static const struct ind_measure *measure_named(const struct ind_def *d, const char *name)
{
    for (size_t i = 0; name && i < d->nmeasures; i++)
        if (strcmp(d->measures[i].name, name) == 0)
            return &d->measures[i];
    return NULL;
}

/* ---- The Measure ---------------------------------------------------- */

/* What a population is, in words (English, like the criteria's language). */
static const char *pop_text(const struct ind_measure *m, const char *code)
{
    bool ip = strcmp(code, "initial-population") == 0;
    bool num = strcmp(code, "numerator") == 0, den = strcmp(code, "denominator") == 0;
    switch (m->kind) {
    case IND_M_COUNT:
        if (den)
            return "The population of the cell's region, sex and ages (Statistics "
                   "Sweden)";
        return m->persons
                   ? "Distinct persons among the anchor events (from, where, pick) "
                     "in the period"
                   : "The anchor events (from, where, pick) in the period";
    case IND_M_PROPORTION:
        return num ? "Anchor events that meet the measure's relation"
                   : "The anchor events (from, where, pick) in the period";
    case IND_M_SURVIVAL:
        return num ? "Anchor events followed by the related event within the window "
                     "(Kaplan-Meier; the score is the estimate, not "
                     "numerator/denominator)"
                   : "The anchor events (from, where, pick) in the period";
    case IND_M_SUM:
        return ip ? "The anchor events (from, where, pick) in the period"
               : strcmp(code, "measure-population") == 0
                   ? "Anchor events with an end"
                   : "The anchor's duration, summed";
    case IND_M_MEDIAN_DUR:
        return ip ? "The anchor events (from, where, pick) in the period"
               : strcmp(code, "measure-population") == 0 ? "Anchor events with an end"
                                                         : "The anchor's duration; the "
                                                           "score is the median";
    case IND_M_MEDIAN_TO:
        return ip ? "The anchor events (from, where, pick) in the period"
               : strcmp(code, "measure-population") == 0
                   ? "Anchor events with a first related event within the window"
                   : "Time from the anchor to the first related event; the score is the "
                     "median";
    case IND_M_RATIO:
        return ip    ? "The anchor events (from, where, pick) in the period"
               : num ? "The value of the measure before '/'"
               : den ? "The value of the measure after '/' (of this or another indicator)"
                     : "";
    }
    return "";
}

static json_t *criteria(const struct ind_def *d, const struct ind_measure *m,
                        const char *code, const struct src *s, bool have_src,
                        const char *base)
{
    struct strbuf sb = STRBUF_INIT;
    int rc = 0;
    const char *ref = NULL;
    char url[160];
    bool ip = strcmp(code, "initial-population") == 0;
    if (have_src && m->kind == IND_M_RATIO && !ip) {
        const struct ind_measure *x = strcmp(code, "numerator") == 0
                                          ? measure_named(d, m->ratio_a)
                                      : m->ratio_b_ind ? NULL
                                                       : measure_named(d, m->ratio_b);
        rc = add_measure_line(&sb, s, m);
        if (rc == 0 && x)
            rc = add_measure_line(&sb, s, x);
        if (strcmp(code, "denominator") == 0 && m->ratio_b_ind) {
            eng_fhir_url(base, m->ratio_b_ind, url, sizeof url);
            ref = url;
        }
    } else if (have_src) {
        bool anchors = ip || m->kind != IND_M_RATIO;
        bool rel = !ip || m->kind == IND_M_COUNT;
        if (m->kind == IND_M_PROPORTION || m->kind == IND_M_SURVIVAL)
            rel = strcmp(code, "numerator") == 0;
        if (anchors)
            rc = add_anchor_lines(&sb, d, s);
        if (rc == 0 && rel)
            rc = add_measure_line(&sb, s, m);
    }
    if (rc == 0 && sb.len == 0) { /* not shipped, or the lines moved */
        have_src = false;
        rc = sb_addstr(&sb, d->desc_en);
    }
    json_t *e = json_object();
    int bad = rc != 0;
    bad |= ef_set(e, "description", json_string(pop_text(m, code)));
    bad |= ef_set(e, "language",
                  json_string(have_src ? "text/x-knod-indicator" : "text/plain"));
    bad |= ef_set(e, "expression", json_string(sb.buf));
    if (ref)
        bad |= ef_set(e, "reference", json_string(ref));
    sb_release(&sb);
    if (bad) {
        json_decref(e);
        return NULL;
    }
    return e;
}

static json_t *expr(const char *description, const char *statement)
{
    return json_pack("{s:s, s:s, s:s}", "description", description, "language",
                     "text/x-knod-indicator", "expression", statement);
}

static json_t *dim_criteria(const struct ind_def *d, const char *dim)
{
    char st[200];
    if (strcmp(dim, "age-band") == 0) {
        size_t l = (size_t)snprintf(st, sizeof st, "bands");
        for (size_t i = 0; i < d->nbands && l < sizeof st; i++)
            l += (size_t)snprintf(st + l, sizeof st - l, "%s %d-%d", i ? "," : "",
                                  d->bands[i].lo, d->bands[i].hi);
        return expr("Age band: age attained in the year of the period", st);
    }
    if (strcmp(dim, "sex") == 0)
        return expr("Legal sex: F (female), M (male)", "breakdown sex");
    if (strcmp(dim, "municipality") == 0)
        return expr("The person's home municipality (kommunkod)",
                    "breakdown municipality");
    if (strcmp(dim, "unit") == 0)
        return expr("The care unit", "breakdown unit");
    if (strcmp(dim, "healthcare-region") == 0)
        return expr(d->geo_unit
                        ? "The care unit's healthcare region (sjukvårdsregion)"
                        : "The healthcare region (sjukvårdsregion) of the person's "
                          "home municipality",
                    "breakdown region");
    return expr(d->geo_unit ? "The care unit's region (county code)"
                            : "The person's home region (county code)",
                "breakdown region");
}

/* A stratifier of one breakdown has its code and criteria; one of several
 * only their components (mea-1: "either a single criteria or a set of
 * criteria components"), and its name ("region+sex") as its id. */
static json_t *stratifier(const struct ind_def *d, struct ef_strat st)
{
    const char *dims[3];
    size_t n = eng_fhir_strat_dims(d, st, dims);
    char id[64];
    eng_fhir_strat_id(d, st, id, sizeof id);
    json_t *s = json_object();
    int bad = ef_set(s, "id", json_string(id));
    if (n == 1) {
        bad |= ef_set(s, "code", eng_fhir_dim_code(dims[0]));
        bad |= ef_set(s, "criteria", dim_criteria(d, dims[0]));
    } else {
        json_t *comps = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *c = json_object();
            bad |= ef_set(c, "code", eng_fhir_dim_code(dims[i]));
            bad |= ef_set(c, "criteria", dim_criteria(d, dims[i]));
            bad |= ef_push(comps, c);
        }
        bad |= ef_set(s, "component", comps);
    }
    if (bad) {
        json_decref(s);
        return NULL;
    }
    return s;
}

static json_t *group(const struct ind_def *d, size_t mi, const struct src *s,
                     bool have_src, const char *base)
{
    const struct ind_measure *m = &d->measures[mi];
    json_t *g = json_object(), *ext = json_array(), *pops = json_array(),
           *strats = json_array();
    int bad = ef_set(g, "id", json_string(m->name));
    bad |= ef_push(
        ext, json_pack("{s:s, s:o}", "url", EF_EXT_GROUP_SCORING, "valueCodeableConcept",
                       eng_fhir_cc(EF_CS_SCORING, eng_fhir_scoring(m), NULL, NULL)));
    if (d->has_target && (size_t)d->target_measure == mi) {
        /* a level, or (with baseYear) a change in per cent from that year */
        json_t *t = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:f}]}", "url", ENG_FHIR_EXT_TARGET,
                              "extension", "url", "comparator", "valueCode",
                              d->target_le ? "<=" : ">=", "url",
                              d->target_base_year ? "changePercent" : "value",
                              "valueDecimal", d->target);
        if (t && d->target_base_year)
            bad |= json_array_append_new(json_object_get(t, "extension"),
                                         json_pack("{s:s, s:i}", "url", "baseYear",
                                                   "valueInteger", d->target_base_year)) != 0;
        bad |= ef_push(ext, t);
    }
    bad |= ef_set(g, "extension", ext);
    bad |= ef_set(g, "code", eng_fhir_group_code(m));
    char desc[200];
    snprintf(desc, sizeof desc, "Measure '%s'%s", m->name,
             (size_t)d->target_measure == mi ? " (the headline)" : "");
    bad |= ef_set(g, "description", json_string(desc));
    struct ef_pop p[EF_MAX_POPS];
    size_t np = eng_fhir_pops(m, p);
    for (size_t i = 0; i < np; i++) {
        json_t *pop = json_object();
        bad |= ef_set(pop, "code", eng_fhir_cc(EF_CS_POPULATION, p[i].code, NULL, NULL));
        bad |= ef_set(pop, "criteria", criteria(d, m, p[i].code, s, have_src, base));
        bad |= ef_push(pops, pop);
    }
    bad |= ef_set(g, "population", pops);
    struct ef_strat st[EF_MAX_STRATS];
    size_t ns = eng_fhir_strats(d, 0, st);
    for (size_t i = 0; i < ns; i++)
        bad |= ef_push(strats, stratifier(d, st[i]));
    if (ns)
        bad |= ef_set(g, "stratifier", strats);
    else
        json_decref(strats);
    if (bad) {
        json_decref(g);
        return NULL;
    }
    return g;
}

static json_t *translation(const char *lang, const char *text)
{
    return json_pack("{s:[{s:s, s:[{s:s, s:s}, {s:s, s:s}]}]}", "extension", "url",
                     EF_EXT_TRANSLATION, "extension", "url", "lang", "valueCode", lang,
                     "url", "content", "valueString", text);
}

/* "sh-young-rate" -> "ShYoungRate": FHIR wants a name usable as an
 * identifier. */
static void camel(const char *id, char *buf, size_t cap)
{
    size_t n = 0;
    bool up = true;
    for (const char *p = id; *p && n + 1 < cap; p++) {
        if (*p == '-' || *p == '_') {
            up = true;
            continue;
        }
        buf[n++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        up = false;
    }
    buf[n] = '\0';
}

json_t *eng_fhir_measure(const struct ind_def *d, const char *base)
{
    struct src s = {0};
    bool have_src = src_find(d, &s);
    char id[96], url[160], name[96], version[16];
    eng_fhir_id(d, id, sizeof id);
    eng_fhir_url(base, d->id, url, sizeof url);
    camel(d->id, name, sizeof name);
    snprintf(version, sizeof version, "%d", d->version);
    json_t *m = json_object();
    int bad = ef_set(m, "resourceType", json_string("Measure"));
    bad |= ef_set(m, "id", json_string(id));
    bad |= ef_set(m, "language", json_string("sv"));
    bad |= ef_set(m, "url", json_string(url));
    bad |= ef_set(m, "identifier",
                  json_pack("[{s:s, s:s, s:s}]", "use", "official", "system",
                            ENG_FHIR_BASE "/indicator", "value", d->id));
    bad |= ef_set(m, "version", json_string(version));
    bad |= ef_set(m, "name", json_string(name));
    bad |= ef_set(m, "title", json_string(d->title_sv));
    bad |= ef_set(m, "_title", translation("en", d->title_en));
    bad |= ef_set(m, "status", json_string("active"));
    bad |= ef_set(m, "publisher", json_string(d->owner));
    bad |= ef_set(m, "description", json_string(d->desc_sv));
    bad |= ef_set(m, "_description", translation("en", d->desc_en));
    bad |= ef_set(
        m, "jurisdiction",
        json_pack("[o]", eng_fhir_cc("urn:iso:std:iso:3166", "SE", "Sweden", NULL)));
    if (d->valid_from != INT32_MIN || d->valid_to != INT32_MAX) {
        json_t *per = json_object();
        char day[11];
        if (d->valid_from != INT32_MIN) {
            date_format(d->valid_from, day);
            bad |= ef_set(per, "start", json_string(day));
        }
        if (d->valid_to != INT32_MAX) {
            date_format(d->valid_to - 1, day); /* valid_to is exclusive */
            bad |= ef_set(per, "end", json_string(day));
        }
        bad |= ef_set(m, "effectivePeriod", per);
    }
    bad |= ef_set(m, "topic",
                  json_pack("[o]", eng_fhir_cc(ENG_FHIR_BASE "/CodeSystem/goal",
                                               ind_goal_name(d->goal), NULL, NULL)));
    bad |= ef_set(m, "scoring",
                  eng_fhir_cc(EF_CS_SCORING,
                              eng_fhir_scoring(&d->measures[d->target_measure]), NULL,
                              NULL));
    bad |= ef_set(m, "improvementNotation",
                  eng_fhir_cc(EF_CS_IMPROVEMENT,
                              d->lower_is_better ? "decrease" : "increase", NULL, NULL));
    json_t *groups = json_array();
    for (size_t i = 0; i < d->nmeasures; i++)
        bad |= ef_push(groups, group(d, i, &s, have_src, base));
    bad |= ef_set(m, "group", groups);
    if (bad) {
        json_decref(m);
        return NULL;
    }
    return m;
}

int eng_fhir_write_measure(FILE *f, const struct ind_def *d, const char *base,
                           struct kn_error *err)
{
    json_t *m = eng_fhir_measure(d, base);
    if (!m)
        return kn_fail(err, KN_ENOMEM,
                       "indicator '%s': out of memory building the Measure", d->id);
    int rc = json_dumpf(m, f, JSON_INDENT(1)) != 0 || fputc('\n', f) == EOF;
    json_decref(m);
    return rc ? kn_fail(err, KN_EIO, "cannot write the Measure") : 0;
}
