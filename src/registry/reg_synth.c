/* src/registry/reg_synth.c: writing the synthetic data set.
 *
 * Three steps. (1) The world, on one thread from stream 0 of the seed:
 * region parameters, units and persons with their personnummer
 * (reg_synth_world.c). (2) The persons' events in chunks of SYN_CHUNK
 * persons, each chunk from its own stream, so chunks can be generated on
 * any thread in any order (reg_synth_gen.c, reg_synth_care.c). (3) The
 * chunks' rows formatted into CSV text with the source ids numbered in
 * chunk order, and appended to the files in chunk order (here).
 *
 * A worker takes the next chunk, generates it, waits for the previous
 * chunk's row counts (known as soon as that chunk is generated) to number
 * its ids, formats, and waits for its turn to write. With two cores one
 * thread formats while the other writes. For 1 M persons the files hold
 * about 10.7 M rows, 0.9 GB, written in about 2.5 s; formatting is by
 * hand into big buffers (dates from a table of the period's days), since
 * printf per field would dominate the run time.
 */
#include "registry/reg_synth.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/reg_synth_impl.h"

#define SYN_CHUNK   4096
#define SYN_ROW_MAX 320 /* bytes a formatted row never exceeds */

static const char *const file_names[REG_SYNTH_NKINDS] = {
    "units.csv",          "persons.csv",     "contacts.csv",   "self_harm.csv",
    "coercive_measures.csv", "assessments.csv", "care_plans.csv", "treatments.csv",
    "follow_ups.csv",     "pathway_steps.csv",
};

static const char *const headers[REG_SYNTH_NKINDS] = {
    "source_system,source_id,code,name,region_code,unit_type,setting\n",
    "source_system,source_id,pnr,municipality,death_date,death_by_suicide\n",
    "source_system,source_id,pnr,unit,contact_type,start,end,legal_basis,brief_admission,"
    "main_diagnosis,other_diagnoses,cause_code\n",
    "source_system,source_id,pnr,time,cause_code,contact_id\n",
    "source_system,source_id,pnr,stay_id,measure_type,legal_basis,decided,start,end,"
    "extends_id\n",
    "source_system,source_id,pnr,time,assessment_type,contact_id\n",
    "source_system,source_id,pnr,time,plan_type\n",
    "source_system,source_id,pnr,treatment_type,start,end\n",
    "source_system,source_id,pnr,time,mode,stay_id\n",
    "source_system,source_id,pnr,pathway,step,time\n",
};

/* Source id prefixes, per file. */
static const char *const id_prefix[REG_SYNTH_NKINDS] = {
    "u", "p", "c", "s", "m", "a", "cp", "t", "f", "ps",
};

static const char *const unit_types[] = {
    "emergency", "somatic", "bup", "adult_psychiatry", "primary_care", "municipal", "nhv",
};
static const char *const contact_types[] = { "emergency", "outpatient", "inpatient" };
static const char *const legal_names[] = { "voluntary", "LPT", "LRV" };
static const char *const measure_types[] = {
    "fastspanning", "avskiljning", "tvangsmedicinering", "fasthallande", "other",
};
static const char *const assessment_types[] = { "suicide_risk", "psychosocial", "other" };
static const char *const plan_types[] = { "care_plan", "crisis_plan", "sip" };
static const char *const treatment_types[] = {
    "dbt", "mbt", "ergt", "erita", "cbt", "other",
};
static const char *const modes[] = { "visit", "phone", "video" };
static const char *const pathways[] = { "adult", "child" };

const char *reg_synth_file_name(enum reg_synth_kind kind)
{
    return kind < REG_SYNTH_NKINDS ? file_names[kind] : "";
}

/* ---- text ---------------------------------------------------------------- */

struct text {
    char *p;
    size_t len, cap;
};

static int text_reserve(struct text *t, size_t n)
{
    if (t->cap - t->len >= n)
        return 0;
    size_t cap = t->cap ? t->cap : 1 << 20;
    while (cap - t->len < n) {
        if (cap > SIZE_MAX / 2)
            return KN_ENOMEM;
        cap *= 2;
    }
    char *p = realloc(t->p, cap);
    if (p == NULL)
        return KN_ENOMEM;
    t->p = p;
    t->cap = cap;
    return 0;
}

static char *put(char *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(o, s, n);
    return o + n;
}

static char *put_u64(char *o, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *o++ = tmp[--n];
    return o;
}

/* "YYYY-MM-DD" of every day of the period, and "00".."99". */
struct fmt {
    const struct reg_syn_world *w;
    int64_t day0, ndays;
    char (*days)[10];
    char two[100][2];
};

static int64_t floor_day(kn_time t)
{
    return t >= 0 ? t / SYN_DAY : -((-t + SYN_DAY - 1) / SYN_DAY);
}

static char *put_day(char *o, const struct fmt *f, int64_t d)
{
    if (d >= f->day0 && d < f->day0 + f->ndays) {
        memcpy(o, f->days[d - f->day0], 10);
        return o + 10;
    }
    char buf[11];
    date_format((kn_day)d, buf);
    memcpy(o, buf, 10);
    return o + 10;
}

static char *put_time(char *o, const struct fmt *f, kn_time t)
{
    int64_t d = floor_day(t);
    int s = (int)(t - d * SYN_DAY);
    /* The hour skipped when summer time begins is not on any clock: such a
     * time is written as 03:00:00, which keeps the order of times. */
    if (s / 3600 == 2) {
        kn_day spring = date_summer_start(date_to_ymd((kn_day)d).year);
        if (spring != 0 && d == spring)
            s = 3 * 3600;
    }
    o = put_day(o, f, d);
    *o++ = 'T';
    memcpy(o, f->two[s / 3600], 2);
    o[2] = ':';
    memcpy(o + 3, f->two[s / 60 % 60], 2);
    o[5] = ':';
    memcpy(o + 6, f->two[s % 60], 2);
    return o + 8;
}

static char *put_opt_time(char *o, const struct fmt *f, kn_time t)
{
    return t == SYN_NONE ? o : put_time(o, f, t);
}

static char *put_pnr(char *o, const struct reg_syn_person *p, int form)
{
    if (form == 1) {
        memcpy(o, p->digits, 12);
        return o + 12;
    }
    const char *from = form == 2 ? p->digits + 2 : p->digits;
    size_t n = form == 2 ? 6 : 8;
    memcpy(o, from, n);
    o[n] = '-';
    memcpy(o + n + 1, p->digits + 8, 4);
    return o + n + 5;
}

/* "synth,<prefix><id>," */
static char *put_head(char *o, int kind, uint64_t id)
{
    memcpy(o, "synth,", 6);
    o = put(o + 6, id_prefix[kind]);
    o = put_u64(o, id);
    *o++ = ',';
    return o;
}

static char *put_cause(char *o, uint8_t cause)
{
    if (cause == 0)
        return o;
    int n = cause <= 25 ? 59 + cause : cause - 16;
    *o++ = cause <= 25 ? 'X' : 'Y';
    *o++ = (char)('0' + n / 10);
    *o++ = (char)('0' + n % 10);
    return o;
}

static char *put_ref(char *o, const char *prefix, uint64_t base, int32_t idx)
{
    if (idx < 0)
        return o;
    o = put(o, prefix);
    return put_u64(o, base + (uint64_t)idx + 1);
}

/* Rows of one kind of a chunk; base[k] = rows of kind k before the chunk. */
static char *format_row(char *o, const struct fmt *f, const struct reg_syn_chunk *c,
                        int kind, const struct reg_syn_row *r, uint64_t id,
                        const uint64_t *base)
{
    const struct reg_syn_world *w = f->w;
    o = put_head(o, kind, id);
    o = put_pnr(o, &w->persons[c->first + (size_t)r->person], r->form);
    *o++ = ',';
    switch (kind) {
    case REG_SYNTH_CONTACTS:
        o = put(o, w->units[r->unit].code);
        *o++ = ',';
        o = put(o, contact_types[r->type]);
        *o++ = ',';
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put_opt_time(o, f, r->t1);
        *o++ = ',';
        if (r->type == SYN_INPATIENT) {
            o = put(o, legal_names[r->legal]);
            *o++ = ',';
            *o++ = r->brief ? '1' : '0';
        } else {
            *o++ = ',';
        }
        *o++ = ',';
        o = put(o, reg_syn_diag_codes[r->diag]);
        *o++ = ',';
        if (r->other[0] != 0) {
            o = put(o, reg_syn_diag_codes[r->other[0]]);
            if (r->other[1] != 0) {
                *o++ = ' ';
                o = put(o, reg_syn_diag_codes[r->other[1]]);
            }
        }
        *o++ = ',';
        o = put_cause(o, r->cause);
        break;
    case REG_SYNTH_SELF_HARM:
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put_cause(o, r->cause);
        *o++ = ',';
        o = put_ref(o, "c", base[REG_SYNTH_CONTACTS], r->ref);
        break;
    case REG_SYNTH_COERCIVE_MEASURES:
        o = put_ref(o, "c", base[REG_SYNTH_CONTACTS], r->ref);
        *o++ = ',';
        o = put(o, measure_types[r->type]);
        *o++ = ',';
        o = put(o, legal_names[r->legal]);
        *o++ = ',';
        o = put_opt_time(o, f, r->t2);
        *o++ = ',';
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put_opt_time(o, f, r->t1);
        *o++ = ',';
        o = put_ref(o, "m", base[REG_SYNTH_COERCIVE_MEASURES], r->ext);
        break;
    case REG_SYNTH_ASSESSMENTS:
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put(o, assessment_types[r->type]);
        *o++ = ',';
        o = put_ref(o, "c", base[REG_SYNTH_CONTACTS], r->ref);
        break;
    case REG_SYNTH_CARE_PLANS:
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put(o, plan_types[r->type]);
        break;
    case REG_SYNTH_TREATMENTS:
        o = put(o, treatment_types[r->type]);
        *o++ = ',';
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put_opt_time(o, f, r->t1);
        break;
    case REG_SYNTH_FOLLOW_UPS:
        o = put_time(o, f, r->t0);
        *o++ = ',';
        o = put(o, modes[r->type]);
        *o++ = ',';
        o = put_ref(o, "c", base[REG_SYNTH_CONTACTS], r->ref);
        break;
    case REG_SYNTH_PATHWAY_STEPS:
        o = put(o, pathways[r->type]);
        *o++ = ',';
        o = put(o, reg_syn_step_codes[r->diag]);
        *o++ = ',';
        o = put_time(o, f, r->t0);
        break;
    default:
        break;
    }
    *o++ = '\n';
    return o;
}

/* The chunk's persons and rows as text, one buffer per file. */
static int format_chunk(const struct fmt *f, const struct reg_syn_chunk *c,
                        const uint64_t *base, struct text *out)
{
    const struct reg_syn_world *w = f->w;
    for (int k = 0; k < REG_SYNTH_NKINDS; k++)
        out[k].len = 0;
    struct text *t = &out[REG_SYNTH_PERSONS];
    if (text_reserve(t, c->n * SYN_ROW_MAX) != 0)
        return KN_ENOMEM;
    char *o = t->p;
    for (size_t i = 0; i < c->n; i++) {
        const struct reg_syn_person *p = &w->persons[c->first + i];
        o = put_head(o, REG_SYNTH_PERSONS, c->first + i + 1);
        o = put_pnr(o, p, p->form);
        *o++ = ',';
        o = put(o, w->g->municipalities[p->muni].code);
        *o++ = ',';
        if (c->death[i] != INT32_MIN) {
            o = put_day(o, f, c->death[i]);
            *o++ = ',';
            *o++ = c->suicide[i] ? '1' : '0';
        } else {
            *o++ = ',';
        }
        *o++ = '\n';
    }
    t->len = (size_t)(o - t->p);
    for (int k = REG_SYNTH_CONTACTS; k < REG_SYNTH_NKINDS; k++) {
        const struct reg_syn_vec *v = &c->rows[k];
        t = &out[k];
        if (text_reserve(t, v->n * SYN_ROW_MAX) != 0)
            return KN_ENOMEM;
        o = t->p;
        for (size_t i = 0; i < v->n; i++) {
            char *row = o;
            o = format_row(o, f, c, k, &v->v[i], base[k] + i + 1, base);
            assert(o - row <= SYN_ROW_MAX);
            (void)row;
        }
        t->len = (size_t)(o - t->p);
    }
    return 0;
}

/* ---- files and the chunk pipeline ----------------------------------------- */

struct job {
    const struct fmt *f;
    FILE *files[REG_SYNTH_NKINDS];
    const char *dir;
    size_t nchunks;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next, counted, written;
    uint64_t base[REG_SYNTH_NKINDS]; /* rows before chunk `counted` */
    uint64_t bytes[REG_SYNTH_NKINDS];
    bool failed;
    struct kn_error err; /* the first failure */
};

struct worker {
    struct job *job;
    struct reg_syn_chunk chunk;
    struct text out[REG_SYNTH_NKINDS];
    pthread_t thread;
};

static void job_fail(struct job *j, int code, const char *what, const char *name)
{
    pthread_mutex_lock(&j->mu);
    if (!j->failed) {
        j->failed = true;
        if (name != NULL)
            kn_fail(&j->err, code, "cannot write '%s/%s': %s", j->dir, name, what);
        else
            kn_fail(&j->err, code, "%s", what);
    }
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

static void *work(void *arg)
{
    struct worker *wk = arg;
    struct job *j = wk->job;
    const struct reg_syn_world *w = j->f->w;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        if (j->failed || j->next == j->nchunks) {
            pthread_mutex_unlock(&j->mu);
            break;
        }
        size_t c = j->next++;
        pthread_mutex_unlock(&j->mu);

        size_t first = c * SYN_CHUNK;
        size_t n = w->npersons - first < SYN_CHUNK ? w->npersons - first : SYN_CHUNK;
        if (reg_syn_gen_chunk(w, first, n, &wk->chunk) != 0) {
            job_fail(j, KN_ENOMEM, "out of memory", NULL);
            break;
        }
        uint64_t base[REG_SYNTH_NKINDS];
        pthread_mutex_lock(&j->mu);
        while (j->counted != c && !j->failed)
            pthread_cond_wait(&j->cv, &j->mu);
        if (j->failed) {
            pthread_mutex_unlock(&j->mu);
            break;
        }
        memcpy(base, j->base, sizeof base);
        for (int k = REG_SYNTH_CONTACTS; k < REG_SYNTH_NKINDS; k++)
            j->base[k] += wk->chunk.rows[k].n;
        j->base[REG_SYNTH_PERSONS] += n;
        j->counted++;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);

        if (format_chunk(j->f, &wk->chunk, base, wk->out) != 0) {
            job_fail(j, KN_ENOMEM, "out of memory", NULL);
            break;
        }
        pthread_mutex_lock(&j->mu);
        while (j->written != c && !j->failed)
            pthread_cond_wait(&j->cv, &j->mu);
        bool failed = j->failed;
        pthread_mutex_unlock(&j->mu);
        if (failed)
            break;
        for (int k = REG_SYNTH_PERSONS; k < REG_SYNTH_NKINDS; k++) {
            struct text *t = &wk->out[k];
            if (t->len > 0 && fwrite(t->p, 1, t->len, j->files[k]) != t->len) {
                job_fail(j, KN_EIO, strerror(errno), file_names[k]);
                break;
            }
            j->bytes[k] += t->len; /* only the writer of the turn touches it */
        }
        pthread_mutex_lock(&j->mu);
        j->written++;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    }
    return NULL;
}

/* s as a CSV field: quoted (quotes doubled) if it holds , " or a newline. */
static int put_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL)
        return fputs(s, fp) < 0 ? -1 : (int)strlen(s);
    int n = 2;
    if (fputc('"', fp) == EOF)
        return -1;
    for (; *s != '\0'; s++, n++) {
        if (*s == '"' && fputc('"', fp) == EOF)
            return -1;
        n += *s == '"';
        if (fputc(*s, fp) == EOF)
            return -1;
    }
    return fputc('"', fp) == EOF ? -1 : n;
}

static int write_units(struct job *j, const struct reg_syn_world *w)
{
    FILE *fp = j->files[REG_SYNTH_UNITS];
    for (size_t i = 0; i < w->nunits; i++) {
        const struct reg_syn_unit *u = &w->units[i];
        int a = fprintf(fp, "synth,u%zu,%s,", i + 1, u->code);
        int b = a < 0 ? -1 : put_field(fp, u->name);
        int n = b < 0 ? -1 : fprintf(fp, ",%s,%s,%s\n", w->regions[u->region].geo->code,
                                     unit_types[u->type],
                                     u->inpatient ? "inpatient" : "outpatient");
        if (n >= 0)
            n += a + b;
        if (n < 0)
            return kn_fail(&j->err, KN_EIO, "cannot write '%s/units.csv': %s", j->dir,
                           strerror(errno));
        j->bytes[REG_SYNTH_UNITS] += (uint64_t)n;
    }
    return 0;
}

static int check_options(const struct reg_synth_options *o, struct kn_error *err)
{
    if (o->persons < 1 || o->persons > REG_SYNTH_MAX_PERSONS)
        return kn_fail(err, KN_EINPUT, "'persons' must be 1 to %ld",
                       REG_SYNTH_MAX_PERSONS);
    if (o->years < 1 || o->years > REG_SYNTH_MAX_YEARS)
        return kn_fail(err, KN_EINPUT, "'years' must be 1 to %d", REG_SYNTH_MAX_YEARS);
    if (o->end_year < REG_SYNTH_MIN_YEAR || o->end_year > REG_SYNTH_MAX_YEAR)
        return kn_fail(err, KN_EINPUT, "'end-year' must be %d to %d", REG_SYNTH_MIN_YEAR,
                       REG_SYNTH_MAX_YEAR);
    if (o->out_dir == NULL || o->out_dir[0] == '\0')
        return kn_fail(err, KN_EINPUT, "no output directory");
    return 0;
}

static int open_dir(const char *dir, struct kn_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return kn_fail(err, KN_EIO, "'%s' is not a directory", dir);
        return 0;
    }
    if (mkdir(dir, 0777) != 0)
        return kn_fail(err, KN_EIO, "cannot create '%s': %s", dir, strerror(errno));
    return 0;
}

static int run(struct job *j, const struct reg_syn_world *w, int threads)
{
    for (int k = 0; k < REG_SYNTH_NKINDS; k++) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", j->dir, file_names[k]);
        if (n < 0 || (size_t)n >= sizeof path)
            return kn_fail(&j->err, KN_EIO, "the path '%s' is too long", j->dir);
        j->files[k] = fopen(path, "wb");
        if (j->files[k] == NULL)
            return kn_fail(&j->err, KN_EIO, "cannot create '%s': %s", path,
                           strerror(errno));
        if (fputs(headers[k], j->files[k]) < 0)
            return kn_fail(&j->err, KN_EIO, "cannot write '%s': %s", path,
                           strerror(errno));
        j->bytes[k] += strlen(headers[k]);
    }
    int rc = write_units(j, w);
    if (rc != 0)
        return rc;

    struct worker *wk = calloc((size_t)threads, sizeof *wk);
    if (wk == NULL)
        return kn_fail(&j->err, KN_ENOMEM, "out of memory");
    int started = 0;
    for (int i = 0; i < threads; i++) {
        wk[i].job = j;
        reg_syn_chunk_init(&wk[i].chunk);
    }
    if (threads == 1) {
        work(&wk[0]);
    } else {
        for (int i = 0; i < threads; i++) {
            if (pthread_create(&wk[i].thread, NULL, work, &wk[i]) != 0) {
                job_fail(j, KN_ENOMEM, "cannot start a thread", NULL);
                break;
            }
            started++;
        }
        for (int i = 0; i < started; i++)
            pthread_join(wk[i].thread, NULL);
    }
    for (int i = 0; i < threads; i++) {
        reg_syn_chunk_release(&wk[i].chunk);
        for (int k = 0; k < REG_SYNTH_NKINDS; k++)
            free(wk[i].out[k].p);
    }
    free(wk);
    return j->failed ? j->err.code : 0;
}

int reg_synth_write(const struct reg_synth_options *o, const struct geo *g,
                    struct reg_synth_stats *stats, struct kn_error *err)
{
    int rc = check_options(o, err);
    if (rc != 0)
        return rc;
    if ((rc = open_dir(o->out_dir, err)) != 0)
        return rc;

    struct reg_syn_world w;
    rc = reg_syn_world_make(&w, o, g, err);
    if (rc != 0) {
        reg_syn_world_release(&w);
        return rc;
    }
    struct fmt f;
    memset(&f, 0, sizeof f);
    f.w = &w;
    f.day0 = floor_day(w.t_start);
    f.ndays = floor_day(w.t_end) - f.day0 + 1;
    f.days = malloc((size_t)f.ndays * sizeof *f.days);
    if (f.days == NULL) {
        reg_syn_world_release(&w);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    for (int64_t d = 0; d < f.ndays; d++) {
        char buf[11];
        date_format((kn_day)(f.day0 + d), buf);
        memcpy(f.days[d], buf, 10);
    }
    for (int i = 0; i < 100; i++) {
        f.two[i][0] = (char)('0' + i / 10);
        f.two[i][1] = (char)('0' + i % 10);
    }

    struct job j;
    memset(&j, 0, sizeof j);
    j.f = &f;
    j.dir = o->out_dir;
    j.nchunks = (w.npersons + SYN_CHUNK - 1) / SYN_CHUNK;
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.cv, NULL);
    int threads = o->threads;
    if (threads <= 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
    }
    if ((size_t)threads > j.nchunks)
        threads = (int)j.nchunks;

    rc = run(&j, &w, threads);
    for (int k = 0; k < REG_SYNTH_NKINDS; k++) {
        if (j.files[k] != NULL && fclose(j.files[k]) != 0 && rc == 0)
            rc = kn_fail(&j.err, KN_EIO, "cannot write '%s/%s': %s", j.dir, file_names[k],
                         strerror(errno));
    }
    if (rc != 0) {
        kn_fail(err, rc, "%s", j.err.msg);
    } else if (stats != NULL) {
        memset(stats, 0, sizeof *stats);
        stats->rows[REG_SYNTH_UNITS] = w.nunits;
        for (int k = REG_SYNTH_PERSONS; k < REG_SYNTH_NKINDS; k++)
            stats->rows[k] = j.base[k];
        memcpy(stats->bytes, j.bytes, sizeof stats->bytes);
    }
    pthread_cond_destroy(&j.cv);
    pthread_mutex_destroy(&j.mu);
    free(f.days);
    reg_syn_world_release(&w);
    return rc;
}
