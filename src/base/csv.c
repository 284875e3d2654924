/* src/base/csv.c: the CSV reader of csv.h, a resumable state machine over
 * one buffer.
 *
 * Workload: importer files of up to ten million records of about ten short
 * fields each, mostly unquoted ASCII, read in 1 MiB chunks. The hot path is
 * the scan of an unquoted field for the next delimiter, quote, CR or LF;
 * it looks at 16 bytes at a time with SSE2 (a lookup table elsewhere).
 * Fields are cut in place: the byte after each one becomes a NUL, and a
 * quoted field is unescaped by moving its bytes left, over its quotes. No
 * allocation is made per record or per field. Every field is checked to be
 * UTF-8: the SSE2 scan notes any byte >= 0x80 or NUL on the way, so an
 * unquoted field without one is known valid; all other fields, quoted ones
 * included, go through utf8_valid(). Measured in bench/csv/ at about 600
 * MB/s, twice libcsv.
 *
 * The buffer holds buf[0..end) with the current record starting at rec.
 * When the scan reaches end, refill() moves the record to the start of the
 * buffer (doubling it only if the record already fills it), reads more and
 * parse() carries on from where it stopped: all parse state is offsets
 * into the buffer plus a small state, so no byte is scanned twice and the
 * cost is linear whatever the chunk size. Each error is decided by the
 * bytes before it alone, so chunk boundaries never change a result.
 */
#include "base/csv.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/utf8.h"

#if defined(__SSE2__) && !defined(KN_CSV_SCALAR)
#include <emmintrin.h>
#define CSV_SSE2 1
#endif

/* Bytes past cap: the NUL after a last field that ends the input, and room
 * for 16-byte loads that start before end. */
#define CSV_PAD          32
#define CSV_FIELDS_FIRST 32

enum csv_state {
    ST_START, /* before a field (first byte not yet seen) */
    ST_UNQ,   /* inside an unquoted field */
    ST_Q,     /* inside a quoted field */
    ST_QQ,    /* after a '"' inside a quoted field: end or escape */
    ST_CR,    /* after a CR outside quotes, which must be followed by LF */
};

/* parse() results besides 1 (record), 0 (end) and errors. */
#define P_NEED 2

struct csv_reader {
    /* The source: fd >= 0, or mem[mem_pos..mem_len). */
    int fd;
    const char *mem;
    size_t mem_len, mem_pos;
    char *name;

    unsigned char delim;
    size_t chunk, max_field, max_fields, max_record;
#ifndef CSV_SSE2
    unsigned char special[256]; /* delim, '"', CR, LF */
#endif

    char *buf;    /* cap + CSV_PAD bytes */
    size_t cap;   /* bytes the source may fill */
    size_t end;   /* buf[0..end) holds input */
    bool eof;     /* the source has no more bytes */
    bool started; /* the BOM check is done */
    bool done;    /* csv_next() returned 0 */

    /* The record being parsed: offsets into buf, and fields[0..nf) done
     * (their s point into buf). Saved by parse() when it needs input. */
    enum csv_state st;
    size_t scan;     /* next byte to look at */
    size_t rec;      /* first byte of the record; nothing before it is kept */
    size_t cur;      /* first byte of the current field (after its quote) */
    size_t wr;       /* ST_Q, ST_QQ: where the next unescaped byte goes */
    size_t line;     /* line of buf[scan] */
    size_t rec_line; /* line where the record starts */
    size_t cur_line; /* line where the current field starts */
    unsigned odd;    /* ST_UNQ: a byte >= 0x80 or NUL seen in the field */
    size_t nf;       /* fields finished */
    struct csv_field *fields;
    size_t fcap;
    size_t recno;

    int code; /* sticky error, 0 if none */
    struct kn_error err;
};

/* ---- errors ---- */

__attribute__((format(printf, 4, 5), noinline, cold)) static int
fail_at(struct csv_reader *r, size_t line, size_t field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kn_vfail(&r->err, KN_EINPUT, fmt, ap);
    va_end(ap);
    kn_error_prefix(&r->err, "%s:%zu:%zu: ", r->name, line, field);
    r->code = KN_EINPUT;
    return KN_EINPUT;
}

__attribute__((noinline, cold)) static int
fail_utf8(struct csv_reader *r, const char *s, size_t bad, size_t line, size_t field)
{
    for (size_t k = 0; k < bad; k++)
        line += s[k] == '\n';
    unsigned char c = (unsigned char)s[bad];
    if (c == 0)
        return fail_at(r, line, field, "NUL byte (is this a binary or UTF-16 file?)");
    return fail_at(r, line, field, "invalid UTF-8 (byte 0x%02X; save the file as UTF-8)",
                   c);
}

__attribute__((noinline, cold)) static int fail_nomem(struct csv_reader *r)
{
    r->code = KN_ENOMEM;
    return kn_fail(&r->err, KN_ENOMEM, "out of memory");
}

/* ---- scanning ---- */

/* The first of buf[i..lim) that is the delimiter, '"', CR or LF, or lim.
 * Sets *odd if a byte before it is >= 0x80 or NUL (then the field needs
 * utf8_valid(); a field of other bytes is ASCII and valid). */
static inline size_t scan_unquoted(const struct csv_reader *r, size_t i, size_t lim,
                                   unsigned *odd)
{
    const unsigned char *b = (const unsigned char *)r->buf;
#ifdef CSV_SSE2
    const __m128i d = _mm_set1_epi8((char)r->delim);
    const __m128i q = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    while (i < lim) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i m =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, q)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        unsigned high = (unsigned)_mm_movemask_epi8(v) |
                        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
        if (lim - i < 16) {
            unsigned in = (1u << (lim - i)) - 1;
            bits &= in;
            high &= in;
        }
        if (bits != 0) {
            unsigned t = (unsigned)__builtin_ctz(bits);
            *odd |= high & ((1u << t) - 1);
            return i + t;
        }
        *odd |= high;
        i += 16;
    }
    return lim;
#else
    while (i < lim && !r->special[b[i]])
        i++;
    *odd = 1;
    return i;
#endif
}

/* The first of buf[i..lim) that is '"' or LF, or lim. */
static inline size_t scan_quoted(const struct csv_reader *r, size_t i, size_t lim)
{
    const unsigned char *b = (const unsigned char *)r->buf;
#ifdef CSV_SSE2
    const __m128i q = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n');
    while (i < lim) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, lf));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits != 0) {
            size_t j = i + (size_t)__builtin_ctz(bits);
            return j < lim ? j : lim;
        }
        i += 16;
    }
    return lim;
#else
    while (i < lim && b[i] != '"' && b[i] != '\n')
        i++;
    return i;
#endif
}

/* ---- fields ---- */

/* Make room for field nf + 1 (field number nf + 1 starts at line). */
__attribute__((noinline)) static int grow_fields(struct csv_reader *r, size_t nf,
                                                 size_t line)
{
    if (nf >= r->max_fields)
        return fail_at(r, line, nf + 1, "more than %zu fields", r->max_fields);
    size_t n = r->fcap * 2;
    if (n > r->max_fields)
        n = r->max_fields;
    struct csv_field *f = realloc(r->fields, n * sizeof *f);
    if (f == NULL)
        return fail_nomem(r);
    r->fields = f;
    r->fcap = n;
    return 0;
}

/* ---- the state machine ---- */

/* Parse from scan to the end of a record. Returns 1 (record done), 0 (end
 * of input, no record), P_NEED (more input needed; state saved) or an
 * error code.
 *
 * The state lives in locals while it runs: the NULs and unescaped bytes it
 * writes through char pointers would otherwise make the compiler reload
 * every field of *r after each store. */
static int parse(struct csv_reader *r)
{
    char *const b = r->buf;
    const size_t e = r->end;
    const bool eof = r->eof;
    const unsigned char delim = r->delim;
    const size_t max_field = r->max_field;
    const size_t max_record = r->max_record;
    size_t rec = r->rec;
    struct csv_field *fields = r->fields;
    size_t fcap = r->fcap;
    enum csv_state st = r->st;
    size_t i = r->scan, line = r->line, nf = r->nf;
    size_t cur = r->cur, wr = r->wr, cur_line = r->cur_line;
    size_t rec_line = r->rec_line;
    unsigned odd = r->odd;
    size_t len = 0, raw_end = 0;
    int rc;

/* Start field nf at byte at (after its quote, if any). */
#define BEGIN_FIELD(at)                                                                  \
    do {                                                                                 \
        if (nf == fcap) {                                                                \
            if ((rc = grow_fields(r, nf, line)) < 0)                                     \
                goto out;                                                                \
            fields = r->fields;                                                          \
            fcap = r->fcap;                                                              \
        }                                                                                \
        if (nf == 0)                                                                     \
            rec_line = line;                                                             \
        cur_line = line;                                                                 \
        cur = (at);                                                                      \
        odd = 0;                                                                         \
    } while (0)

/* Finish field nf: len bytes at cur, raw bytes up to raw_end. */
#define END_FIELD(check_utf8)                                                            \
    do {                                                                                 \
        char *s_ = b + cur;                                                              \
        size_t bad_;                                                                     \
        s_[len] = '\0';                                                                  \
        if ((check_utf8) && !utf8_valid(s_, len, &bad_)) {                               \
            rc = fail_utf8(r, s_, bad_, cur_line, nf + 1);                               \
            goto out;                                                                    \
        }                                                                                \
        if (raw_end - rec > max_record) {                                                \
            rc = fail_at(r, rec_line, nf + 1, "record longer than %zu bytes",            \
                         max_record);                                                    \
            goto out;                                                                    \
        }                                                                                \
        fields[nf].s = s_;                                                               \
        fields[nf].len = len;                                                            \
        fields[nf].line = cur_line;                                                      \
        nf++;                                                                            \
    } while (0)

    for (;;) {
        switch (st) {
        case ST_START: {
            if (i == e) {
                if (!eof)
                    goto need;
                if (nf == 0) {
                    rc = 0;
                    goto out;
                }
                /* A delimiter ended the input: one more, empty field. */
                BEGIN_FIELD(i);
                len = 0;
                raw_end = i;
                END_FIELD(false);
                rc = 1;
                goto out;
            }
            unsigned char c = (unsigned char)b[i];
            if (nf == 0 && (c == '\n' || c == '\r')) {
                /* A blank line: skip it. */
                i++;
                if (c == '\n')
                    line++;
                else
                    st = ST_CR;
                rec = i;
                break;
            }
            if (c == '"') {
                BEGIN_FIELD(i + 1);
                i++;
                wr = i;
                st = ST_Q;
                break;
            }
            BEGIN_FIELD(i);
            st = ST_UNQ;
            goto unquoted;
        }
        case ST_UNQ:
        unquoted : {
            size_t lim = e - cur > max_field ? cur + max_field + 1 : e;
            size_t j = scan_unquoted(r, i, lim, &odd);
            if (j == lim) {
                if (lim - cur > max_field) {
                    rc = fail_at(r, cur_line, nf + 1, "field longer than %zu bytes",
                                 max_field);
                    goto out;
                }
                i = j;
                if (!eof)
                    goto need;
                /* The input ends the field and the record. */
                len = j - cur;
                raw_end = j;
                END_FIELD(odd);
                st = ST_START;
                rc = 1;
                goto out;
            }
            unsigned char c = (unsigned char)b[j];
            if (c == '"') {
                i = j;
                rc = fail_at(r, line, nf + 1, "quote inside an unquoted field");
                goto out;
            }
            len = j - cur;
            raw_end = j;
            END_FIELD(odd);
            i = j + 1;
            if (c == delim) {
                st = ST_START;
                break;
            }
            if (c == '\n') {
                line++;
                st = ST_START;
                rc = 1;
                goto out;
            }
            st = ST_CR;
            break;
        }
        case ST_CR:
            if (i == e) {
                if (!eof)
                    goto need;
                /* A CR that ends the input ends the line. */
                st = ST_START;
                rc = nf > 0;
                goto out;
            }
            if (b[i] != '\n') {
                rc = fail_at(r, line, nf > 0 ? nf : 1,
                             "carriage return not followed by a line feed");
                goto out;
            }
            i++;
            line++;
            st = ST_START;
            if (nf > 0) {
                rc = 1;
                goto out;
            }
            rec = i; /* it was a blank line */
            break;
        case ST_Q:
            for (;;) {
                size_t room = max_field - (wr - cur);
                size_t lim = e - i > room ? i + room + 1 : e;
                size_t j = scan_quoted(r, i, lim);
                size_t n = j - i;
                if (j == lim) {
                    if (n > room) {
                        rc = fail_at(r, cur_line, nf + 1,
                                     "quoted field longer than %zu bytes"
                                     " (is a closing quote missing?)",
                                     max_field);
                        goto out;
                    }
                    if (wr != i)
                        memmove(b + wr, b + i, n);
                    wr += n;
                    i = j;
                    if (!eof)
                        goto need;
                    rc = fail_at(r, cur_line, nf + 1, "unterminated quoted field");
                    goto out;
                }
                char c = b[j];
                if (c == '\n') {
                    /* Part of the field; keep it and count the line. */
                    if (n == room) {
                        rc = fail_at(r, cur_line, nf + 1,
                                     "quoted field longer than %zu bytes"
                                     " (is a closing quote missing?)",
                                     max_field);
                        goto out;
                    }
                    n++;
                    line++;
                }
                if (wr != i)
                    memmove(b + wr, b + i, n);
                wr += n;
                i += n;
                if (c == '"') {
                    i++;
                    st = ST_QQ;
                    break;
                }
            }
            break;
        case ST_QQ: {
            if (i == e) {
                if (!eof)
                    goto need;
                len = wr - cur;
                raw_end = i;
                END_FIELD(true);
                st = ST_START;
                rc = 1;
                goto out;
            }
            unsigned char c = (unsigned char)b[i];
            if (c == '"') {
                /* "" stands for one quote. */
                if (wr - cur == max_field) {
                    rc = fail_at(r, cur_line, nf + 1,
                                 "quoted field longer than %zu bytes"
                                 " (is a closing quote missing?)",
                                 max_field);
                    goto out;
                }
                b[wr++] = '"';
                i++;
                st = ST_Q;
                break;
            }
            if (c != delim && c != '\n' && c != '\r') {
                rc = fail_at(r, line, nf + 1, "characters after a closing quote");
                goto out;
            }
            len = wr - cur;
            raw_end = i;
            END_FIELD(true);
            i++;
            if (c == delim) {
                st = ST_START;
                break;
            }
            if (c == '\n') {
                line++;
                st = ST_START;
                rc = 1;
                goto out;
            }
            st = ST_CR;
            break;
        }
        }
    }
#undef BEGIN_FIELD
#undef END_FIELD
need:
    rc = P_NEED;
out:
    r->st = st;
    r->scan = i;
    r->rec = rec;
    r->line = line;
    r->nf = nf;
    r->cur = cur;
    r->wr = wr;
    r->cur_line = cur_line;
    r->rec_line = rec_line;
    r->odd = odd;
    return rc;
}

/* ---- input ---- */

/* Drop the bytes before the record, grow the buffer if the record fills
 * it, and read more. 0 (eof may now be set) or an error code. */
static int refill(struct csv_reader *r)
{
    size_t keep = r->rec;
    if (keep > 0) {
        memmove(r->buf, r->buf + keep, r->end - keep);
        r->end -= keep;
        r->scan -= keep;
        r->rec = 0;
        for (size_t k = 0; k < r->nf; k++)
            r->fields[k].s -= keep;
        if (r->st == ST_UNQ || r->st == ST_Q || r->st == ST_QQ)
            r->cur -= keep;
        if (r->st == ST_Q || r->st == ST_QQ)
            r->wr -= keep;
    }
    if (r->end == r->cap) {
        /* The record fills the buffer: double it. A new block and a copy
         * rather than realloc(), so that the finished fields can be moved
         * with pointer arithmetic inside live blocks. */
        if (r->cap > (SIZE_MAX - CSV_PAD) / 2)
            return fail_nomem(r);
        size_t cap = r->cap * 2;
        char *b = calloc(1, cap + CSV_PAD);
        if (b == NULL)
            return fail_nomem(r);
        memcpy(b, r->buf, r->end);
        for (size_t k = 0; k < r->nf; k++)
            r->fields[k].s = b + (r->fields[k].s - r->buf);
        free(r->buf);
        r->buf = b;
        r->cap = cap;
    }
    size_t room = r->cap - r->end;
    if (r->fd < 0) {
        size_t n = r->mem_len - r->mem_pos;
        if (n > room)
            n = room;
        if (n > 0)
            memcpy(r->buf + r->end, r->mem + r->mem_pos, n);
        r->mem_pos += n;
        r->end += n;
        r->eof = r->mem_pos == r->mem_len;
        return 0;
    }
    ssize_t n;
    do
        n = read(r->fd, r->buf + r->end, room);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        int e = errno;
        kn_fail(&r->err, KN_EIO, "%s:%zu: read failed: %s", r->name, r->line,
                strerror(e));
        return r->code = KN_EIO;
    }
    if (n == 0)
        r->eof = true;
    r->end += (size_t)n;
    return 0;
}

/* ---- the API ---- */

static int csv_open(struct csv_reader **out, int fd, const char *data, size_t len,
                    const char *name, const struct csv_options *opt, struct kn_error *err)
{
    static const struct csv_options none;
    if (opt == NULL)
        opt = &none;
    *out = NULL;
    unsigned char d = opt->delim ? (unsigned char)opt->delim : ',';
    if (d >= 0x80 || d == '"' || d == '\r' || d == '\n')
        return kn_fail(err, KN_EINPUT,
                       "CSV delimiter must be an ASCII character other than"
                       " quote, CR and LF");

    struct csv_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    r->fd = fd;
    r->mem = data;
    r->mem_len = len;
    r->delim = d;
    r->chunk = opt->chunk ? opt->chunk : CSV_CHUNK_DEFAULT;
    r->max_field = opt->max_field ? opt->max_field : CSV_MAX_FIELD_DEFAULT;
    r->max_fields = opt->max_fields ? opt->max_fields : CSV_MAX_FIELDS_DEFAULT;
    r->max_record = opt->max_record ? opt->max_record : CSV_MAX_RECORD_DEFAULT;
#ifndef CSV_SSE2
    r->special[d] = r->special['"'] = r->special['\r'] = r->special['\n'] = 1;
#endif
    r->line = 1;
    r->name = strdup(name != NULL ? name : "");
    r->fcap = r->max_fields < CSV_FIELDS_FIRST ? r->max_fields : CSV_FIELDS_FIRST;
    r->fields = malloc(r->fcap * sizeof *r->fields);
    if (r->chunk <= SIZE_MAX - CSV_PAD) {
        r->cap = r->chunk;
        r->buf = calloc(1, r->cap + CSV_PAD);
    }
    if (r->name == NULL || r->fields == NULL || r->buf == NULL) {
        csv_free(r);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    *out = r;
    return 0;
}

int csv_open_fd(struct csv_reader **out, int fd, const char *name,
                const struct csv_options *opt, struct kn_error *err)
{
    if (fd < 0) {
        *out = NULL;
        return kn_fail(err, KN_EINPUT, "%s: no file to read", name);
    }
    return csv_open(out, fd, NULL, 0, name, opt, err);
}

int csv_open_mem(struct csv_reader **out, const char *data, size_t len, const char *name,
                 const struct csv_options *opt, struct kn_error *err)
{
    return csv_open(out, -1, data, len, name, opt, err);
}

static int csv_stuck(const struct csv_reader *r, struct kn_error *err)
{
    if (err != NULL)
        *err = r->err;
    return r->code;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, struct kn_error *err)
{
    if (r->code != 0)
        return csv_stuck(r, err);
    if (r->done)
        return 0;
    if (!r->started) {
        while (r->end < 3 && !r->eof)
            if (refill(r) < 0)
                return csv_stuck(r, err);
        if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
            r->scan = 3;
        r->started = true;
    }
    r->nf = 0;
    r->st = ST_START;
    r->rec = r->scan;
    for (;;) {
        int rc = parse(r);
        if (rc == P_NEED) {
            if (refill(r) < 0)
                return csv_stuck(r, err);
            continue;
        }
        if (rc < 0)
            return csv_stuck(r, err);
        if (rc == 0) {
            r->done = true;
            return 0;
        }
        rec->f = r->fields;
        rec->n = r->nf;
        rec->line = r->rec_line;
        rec->recno = ++r->recno;
        return 1;
    }
}

void csv_free(struct csv_reader *r)
{
    if (r == NULL)
        return;
    free(r->buf);
    free(r->fields);
    free(r->name);
    free(r);
}

int csv_find(const struct csv_record *hdr, const char *name)
{
    size_t len = strlen(name);
    for (size_t k = 0; k < hdr->n && k <= INT_MAX; k++)
        if (hdr->f[k].len == len && memcmp(hdr->f[k].s, name, len) == 0)
            return (int)k;
    return -1;
}
