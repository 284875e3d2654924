/* tests/unit/registry/reg_import_data.h: the rows the import tests
 * (test_reg_import_*.c) import.
 *
 * The base data the rule tests refer to (units, persons, contacts and
 * measures: load_base), a valid row of each kind over it (bases[]) and a
 * file built from one with "column=value" overrides (rule_file); and the
 * example files of data/examples (found through $SRCDIR), whose row counts
 * are read off the files (data_rows, import_examples).
 *
 * Header-only (static inline functions), after reg_import_fixture.h.
 */
#ifndef KNOD_TESTS_REG_IMPORT_DATA_H
#define KNOD_TESTS_REG_IMPORT_DATA_H

#include "reg_import_fixture.h"

/* ---- the base data the rule tests refer to ---- */

static const char units_csv[] =
    "source_system,source_id,code,name,region_code,unit_type,setting\n"
    "t,u1,IN,Avdelning 1,03,bup,inpatient\n"
    "t,u2,OUT,Mottagning,03,bup,outpatient\n"
    "t,u3,EM,Akuten,03,emergency,outpatient\n";

static const char persons_csv[] =
    "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n"
    "t,p1," P1 ",0380,,\n"
    "t,p2," P2 ",0305,,\n"
    "t,p3," P3 ",0380,,\n";

/* s1, s3: P1's stays (s3 goes on); s2: P2's stay; e1: P1's emergency visit. */
static const char contacts_csv[] =
    "source_system,source_id,pnr,unit,contact_type,start,end,legal_basis,brief_admission,"
    "main_diagnosis,other_diagnoses,cause_code\n"
    "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00,LPT,0,F32.1,,\n"
    "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00,,,,,\n"
    "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-05T02:30,,,T42.4,F32.1,X61\n"
    "t,s3," P1 ",IN,inpatient,2024-06-01T08:00,,,,,,\n";

/* m1 in s1, m9 in s3. */
static const char measures_csv[] =
    "source_system,source_id,pnr,stay_id,measure_type,legal_basis,decided,start,end,"
    "extends_id\n"
    "t,m1," P1 ",s1,fastspanning,LPT,2023-03-06T14:00,2023-03-06T14:05,2023-03-06T15:05,\n"
    "t,m9," P1 ",s3,avskiljning,LPT,,2024-06-02T08:00,2024-06-02T09:00,\n";

static inline void load_base(struct fx *f)
{
    import_ok(f, "units", units_csv);
    import_ok(f, "persons", persons_csv);
    import_ok(f, "contacts", contacts_csv);
    import_ok(f, "coercive_measures", measures_csv);
}

/* A valid row of each kind over the base data; '%' becomes a number unique
 * to the case and line. */
struct base_row {
    const char *kind, *header, *row;
};

static const struct base_row bases[] = {
    { "units", "source_system,source_id,code,name,region_code,unit_type,setting",
      "t,r%,NEW%,Ny enhet,01,nhv,outpatient" },
    { "persons", "source_system,source_id,pnr,municipality,death_date,death_by_suicide",
      "t,r%," P4 ",0180,," },
    { "contacts", "source_system,source_id,pnr,unit,contact_type,start,end,legal_basis,"
                  "brief_admission,main_diagnosis,other_diagnoses,cause_code",
      "t,r%," P1 ",OUT,outpatient,2024-05-14T09:00,2024-05-14T10:00,,,F32.1,F41.1 Z91.5A," },
    { "self_harm", "source_system,source_id,pnr,time,cause_code,contact_id",
      "t,r%," P1 ",2023-03-04T21:30,X61,e1" },
    { "coercive_measures", "source_system,source_id,pnr,stay_id,measure_type,legal_basis,"
                           "decided,start,end,extends_id",
      "t,r%," P1 ",s1,avskiljning,LPT,2023-03-07T08:55,2023-03-07T09:00,2023-03-07T10:30,m1" },
    { "assessments", "source_system,source_id,pnr,time,assessment_type,contact_id",
      "t,r%," P1 ",2023-03-04T23:00,suicide_risk,e1" },
    { "care_plans", "source_system,source_id,pnr,time,plan_type",
      "t,r%," P1 ",2023-03-10,crisis_plan" },
    { "treatments", "source_system,source_id,pnr,treatment_type,start,end",
      "t,r%," P1 ",dbt,2023-04-01,2024-04-01" },
    { "follow_ups", "source_system,source_id,pnr,time,mode,stay_id",
      "t,r%," P1 ",2023-03-16T10:00,visit,s1" },
    { "pathway_steps", "source_system,source_id,pnr,pathway,step,time",
      "t,r%," P1 ",child,1_first_contact,2023-03-04T22:10" },
};

static inline const struct base_row *base_of(const char *kind)
{
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (strcmp(bases[i].kind, kind) == 0)
            return &bases[i];
    fail_msg("no base row for '%s'", kind);
    abort(); /* fail_msg does not return; tell the compiler too */
}

/* A CSV field as csv_write.h writes it (the oracle for reject files too). */
static inline void add_field(struct strbuf *sb, const char *v, bool first)
{
    size_t len = strlen(v);
    bool quote = strpbrk(v, ",\"\r\n") != NULL || (len > 0 && (v[0] == ' ' || v[len - 1] == ' '));
    if (!first)
        sb_addch(sb, ',');
    if (!quote) {
        sb_addstr(sb, v);
        return;
    }
    sb_addch(sb, '"');
    for (; *v; v++) {
        if (*v == '"')
            sb_addch(sb, '"');
        sb_addch(sb, *v);
    }
    sb_addch(sb, '"');
}

#define MAX_SET 6

/* One row of b with '%' replaced by tag and the "column=value" overrides. */
static inline void add_row(struct strbuf *sb, const struct base_row *b, const char *tag,
                           const char *const *set)
{
    char names[256], vals[256];
    snprintf(names, sizeof names, "%s", b->header);
    snprintf(vals, sizeof vals, "%s", b->row);
    const char *name[16], *val[16];
    int nn = 0, nv = 0;
    for (char *p = names, *e; p != NULL; p = e) {
        e = strchr(p, ',');
        if (e != NULL)
            *e++ = '\0';
        name[nn++] = p;
    }
    for (char *p = vals, *e; p != NULL; p = e) {
        e = strchr(p, ',');
        if (e != NULL)
            *e++ = '\0';
        val[nv++] = p;
    }
    assert_int_equal(nn, nv);
    char expanded[16][96], pnrbuf[MAX_SET][14];
    for (int i = 0; i < nv; i++) {
        size_t at = 0;
        for (const char *p = val[i]; *p && at + 16 < sizeof expanded[i]; p++) {
            if (*p == '%')
                at += (size_t)snprintf(expanded[i] + at, sizeof expanded[i] - at, "%s", tag);
            else
                expanded[i][at++] = *p;
        }
        expanded[i][at] = '\0';
        val[i] = expanded[i];
    }
    for (int s = 0; s < MAX_SET && set != NULL && set[s] != NULL; s++) {
        const char *eq = strchr(set[s], '=');
        assert_non_null(eq);
        int i = 0;
        while (i < nn && !(strlen(name[i]) == (size_t)(eq - set[s])
                           && memcmp(name[i], set[s], (size_t)(eq - set[s])) == 0))
            i++;
        if (i == nn)
            fail_msg("override '%s': no such column in %s", set[s], b->kind);
        val[i] = subst_pnr(eq + 1, pnrbuf[s]);
    }
    for (int i = 0; i < nv; i++)
        add_field(sb, val[i], i == 0);
    sb_addch(sb, '\n');
}

/* A file of kind: header, a valid row (line 2), the row with the overrides
 * (line 3), a valid row (line 4). */
static inline char *rule_file(const struct base_row *b, int id, const char *const *set)
{
    struct strbuf sb = STRBUF_INIT;
    char tag[32];
    sb_addf(&sb, "%s\n", b->header);
    for (int line = 2; line <= 4; line++) {
        snprintf(tag, sizeof tag, "%d_%d", id, line);
        add_row(&sb, b, tag, line == 3 ? set : NULL);
    }
    return sb_detach(&sb, NULL);
}

/* ---- the example files ---- */

static inline void example_path(const char *kind, char *out, size_t cap)
{
    const char *src = getenv("SRCDIR");
    if (src == NULL)
        fail_msg("SRCDIR is not set (tests/meson.build sets it)");
    snprintf(out, cap, "%s/data/examples/%s.csv", src, kind);
}

/* Oracle for the row count: non-empty lines after the header (the example
 * files have no quoted line breaks). */
static inline int64_t data_rows(const char *path)
{
    size_t len = 0;
    char *text = read_all(path, &len);
    assert_non_null(text);
    int64_t lines = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] != '\n' && (i + 1 == len || text[i + 1] == '\n'))
            lines++;
    free(text);
    return lines - 1;
}

static inline void import_examples(struct fx *f, bool again)
{
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        const char *kind = reg_kind_name(k);
        char path[512];
        example_path(kind, path, sizeof path);
        int64_t n = data_rows(path);
        assert_true(n > 0);
        const char *paths[] = { path };
        struct result r;
        import_paths(f, 1, &kind, paths, NULL, &r);
        if (r.csv_rc != 0 || r.rc != 0)
            fail_msg("%s: %s %s", path, r.err.msg, r.n ? r.reason[0] : "");
        assert_int_equal(r.st.rows, n);
        assert_int_equal(r.st.rejected, 0);
        assert_int_equal(r.st.stored, again ? 0 : n);
        assert_int_equal(r.st.unchanged, again ? n : 0);
        assert_int_equal(count_of(f, reg_kind_table(k)), n);
    }
}

#endif /* KNOD_TESTS_REG_IMPORT_DATA_H */
