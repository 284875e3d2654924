/* tests/unit/registry/reg_import_twins.h: what the tests of the contacts
 * an import session notes in memory (test_reg_import_cmap*.c,
 * src/registry/reg_cmap.c) share.
 *
 * Two stores with one pseudonym key (setup_twins: units and persons
 * stored, no contacts). Each case imports its files into both: together in
 * one session of f (the session's map; with next, each file ends with
 * reg_import_next as a folder import does, else one transaction), and each
 * file in a session of its own into g (every reference through the store).
 * assert_same: the rejected rows (file, line, reason), the per-file
 * outcomes and every stored row, ids included, are equal; assert_links
 * shows what each stored row refers to by source keys. A peek function
 * checks the premise of a case in the open session (what the map holds).
 *
 * Header-only (static inline functions), after reg_import_data.h.
 */
#ifndef KNOD_TESTS_REG_IMPORT_TWINS_H
#define KNOD_TESTS_REG_IMPORT_TWINS_H

#include "reg_import_data.h"
#include "registry/reg_import_impl.h"

/* ---- sessions ---- */

struct file {
    const char *name, *kind, *text;
};

struct sess {
    struct reg_import *im;
    bool next;          /* each file ends with reg_import_next (a folder import) */
    struct strbuf told; /* "FILE:LINE: reason" of every rejected row */
    int rc[8];          /* per file: of reg_import_next, or of its own session */
    size_t n;
};

static inline void tell(void *ctx, const char *where, const char *reason)
{
    const char *l = leaked(reason, strlen(reason));
    if (l != NULL)
        fail_msg("a row error holds the personnummer %s: %s", l, reason);
    sb_addf(ctx, "%s: %s\n", where, reason);
}

static inline void sess_begin(struct sess *s, struct fx *f, bool keep_valid, bool next)
{
    struct reg_import_options io = { .keep_valid = keep_valid, .today = today() };
    io.persons = (enum reg_persons_load)tu_persons_load();
    struct kn_error err = KN_ERROR_INIT;
    s->next = next;
    if (reg_import_begin(f->s, &f->key, &io, &s->im, &err) != 0)
        fail_msg("reg_import_begin: %s", err.msg);
}

static inline void sess_feed(struct sess *s, struct fx *f, const struct file *x)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    write_file(f, x->name, x->text, path, sizeof path);
    struct reg_csv_options co = { NULL, tell, NULL, &s->told, false, NULL };
    if (reg_csv_import(s->im, reg_kind_find(x->kind), path, &co, &err) != 0)
        fail_msg("%s: error %d: %s", x->name, err.code, err.msg);
    if (s->next) {
        assert_true(s->n < 8);
        s->rc[s->n++] = reg_import_next(s->im, true, x->name, x->kind, "csv", &err);
    }
}

/* Checks the open session after its file i. */
typedef void peek_fn(const struct reg_import *im, size_t i);

/* The files in one session of f. */
static inline void together(struct fx *f, size_t n, const struct file *x,
                            bool keep_valid, bool next, peek_fn *peek, struct sess *s)
{
    sess_begin(s, f, keep_valid, next);
    for (size_t i = 0; i < n; i++) {
        sess_feed(s, f, &x[i]);
        if (peek != NULL)
            peek(s->im, i);
    }
    int rc = reg_import_finish(s->im, true, NULL, NULL, NULL, NULL);
    s->im = NULL;
    if (next)
        assert_int_equal(rc, 0); /* an empty transaction */
    else
        s->rc[s->n++] = rc;
}

/* Each file in a session of its own: every reference goes to the store. */
static inline void apart(struct fx *g, size_t n, const struct file *x, bool keep_valid,
                         struct sess *s)
{
    for (size_t i = 0; i < n && s->n < 8; i++) {
        sess_begin(s, g, keep_valid, false);
        sess_feed(s, g, &x[i]);
        s->rc[s->n++] = reg_import_finish(s->im, true, NULL, NULL, NULL, NULL);
        s->im = NULL;
    }
}

/* ---- two stores, one key ---- */

struct twins {
    struct fx *f;     /* the files together: the map */
    struct fx *g;     /* each file alone: the store */
    struct sess a, b; /* into f, into g */
};

static inline int setup_twins(void **state)
{
    struct twins *t = calloc(1, sizeof *t);
    void *a = NULL, *b = NULL;
    if (t == NULL || setup(&a) != 0 || setup(&b) != 0)
        return -1;
    t->f = a;
    t->g = b;
    t->g->key = t->f->key;
    sb_init(&t->a.told);
    sb_init(&t->b.told);
    for (int i = 0; i < 2; i++) { /* units and persons; no contacts */
        import_ok(i ? t->g : t->f, "units", units_csv);
        import_ok(i ? t->g : t->f, "persons", persons_csv);
    }
    *state = t;
    return 0;
}

static inline int teardown_twins(void **state)
{
    struct twins *t = *state;
    void *a = t->f, *b = t->g;
    int rc = teardown(&a) | teardown(&b);
    sb_release(&t->a.told);
    sb_release(&t->b.told);
    free(t);
    return rc;
}

/* Every row (ids included) of the tables the cases write, as text. */
static inline char *records(struct fx *f)
{
    static const char *const tables[] = { "person", "contact", "self_harm_act",
                                          "assessment", "follow_up", "coercive_measure",
                                          "care_plan" };
    struct strbuf sb = STRBUF_INIT;
    char sql[96];
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY id", tables[i]);
        append_rows(f, sql, &sb);
    }
    return sb_detach(&sb, NULL);
}

/* "sys/id>sys/id" for every row of table in the order stored: the row and
 * the contact in col by source keys ("-" for none, "!" after it if the
 * contact is another person's), separated by spaces. */
static inline void assert_links(struct fx *f, const char *table, const char *col,
                                const char *want)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT t.source_system || '/' || t.source_id || '>' || "
             "coalesce(c.source_system || '/' || c.source_id || CASE WHEN "
             "c.person_id = t.person_id THEN '' ELSE '!' END, '-') "
             "FROM %s t LEFT JOIN contact c ON c.id = t.%s ORDER BY t.id",
             table, col);
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(f->s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    struct strbuf sb = STRBUF_INIT;
    while (store_step(st, &err) == STORE_ROW)
        sb_addf(&sb, "%s%s", sb.len ? " " : "", store_col_text(st, 0, NULL));
    store_finalize(st);
    assert_string_equal(sb.buf, want);
    sb_release(&sb);
}

/* Both stores had the same outcome. */
static inline void assert_same(struct twins *t)
{
    assert_string_equal(t->a.told.buf, t->b.told.buf);
    if (t->a.next) {
        assert_int_equal(t->a.n, t->b.n);
        for (size_t i = 0; i < t->a.n; i++)
            assert_int_equal(t->a.rc[i], t->b.rc[i]);
    }
    char *x = records(t->f), *y = records(t->g);
    assert_string_equal(x, y);
    free(x);
    free(y);
    assert_fk_ok(t->f);
    assert_fk_ok(t->g);
}

/* The files through both stores, keeping the valid rows; next: as a
 * folder import, else one transaction. */
static inline void run_both(struct twins *t, size_t n, const struct file *x, bool next,
                            peek_fn *peek)
{
    together(t->f, n, x, true, next, peek, &t->a);
    apart(t->g, n, x, true, &t->b);
    for (size_t i = 0; i < t->a.n; i++)
        assert_int_equal(t->a.rc[i], 0);
    assert_same(t);
}

/* ---- the data ---- */

#define CH "source_system,source_id,pnr,unit,contact_type,start,end\n"
#define SH "source_system,source_id,pnr,time,cause_code,contact_id\n"
#define AS "source_system,source_id,pnr,time,assessment_type,contact_id\n"
#define FU "source_system,source_id,pnr,time,mode,stay_id\n"
#define CM "source_system,source_id,pnr,stay_id,measure_type,legal_basis,start,end," \
           "extends_id\n"
#define NO(id, sys) "no contact with source_id '" id "' in source system '" sys "'\n"

/* s1, s3 (open), u/e1: P1's stays; e1: P1's emergency visit; s2: P2's
 * stay; o1: P3's outpatient visit. */
static const struct file contacts = { "contacts.csv", "contacts", CH
    "t,s1," P1 ",IN,inpatient,2023-03-05T03:00,2023-03-12T11:00\n"
    "t,s2," P2 ",IN,inpatient,2024-02-01T10:00,2024-02-03T10:00\n"
    "t,e1," P1 ",EM,emergency,2023-03-04T22:10,2023-03-05T02:30\n"
    "t,s3," P1 ",IN,inpatient,2024-06-01T08:00,\n"
    "t,o1," P3 ",OUT,outpatient,2024-05-14T09:00,2024-05-14T10:00\n"
    "u,e1," P1 ",IN,inpatient,2025-01-10T08:00,2025-01-20T08:00\n" };

static const struct file refs = { "self_harm.csv", "self_harm", SH
    "t,a1," P1 ",2023-03-04T21:30,X61,e1\n"
    "t,a2," P1 ",2023-03-06T10:00,X60,s1\n"
    "t,a3," P2 ",2024-02-02T10:00,X61,s2\n" };

/* The premise: the session noted the six contacts of its first file. */
static inline void peek_noted(const struct reg_import *im, size_t i)
{
    if (i == 0) {
        assert_int_equal(im->contacts.n, 6);
        assert_false(im->contacts.off);
    }
}

static inline int64_t t_of(const char *text)
{
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    if (time_parse(text, strlen(text), &t, &err) != 0)
        fail_msg("%s: %s", text, err.msg);
    return t;
}

#endif /* KNOD_TESTS_REG_IMPORT_TWINS_H */
