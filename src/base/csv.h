/* src/base/csv.h: a streaming RFC 4180 CSV reader for the importers.
 *
 * The reader hands out one record at a time from a file descriptor or a
 * memory buffer; memory use is one buffer that holds the current record
 * (1 MiB unless a record is longer), whatever the size of the input.
 *
 * The format accepted (RFC 4180, plus what Excel writes):
 *  - Records end with LF or CRLF; the last one may lack a line end, and a
 *    final lone CR is taken as a line end. A CR anywhere else outside
 *    quotes is an error.
 *  - Fields are separated by one delimiter byte (',' unless set; ';' for
 *    Swedish Excel, '\t' works too). "a,b," has three fields, the last
 *    empty.
 *  - A field that starts with '"' is quoted: it runs to the next lone '"',
 *    and holds delimiters, LF and CRLF as they are (a CRLF inside quotes
 *    stays CRLF); "" inside it stands for one '"'. The closing quote must
 *    be followed by a delimiter, a line end or the end of the input.
 *  - A '"' anywhere else in a field is an error; no space is trimmed, so
 *    ` "a"` is an error too.
 *  - A UTF-8 byte order mark (EF BB BF) at the start is skipped.
 *  - Blank lines (nothing between two line ends) are skipped: they are not
 *    records and do not count in the record number, but they count as
 *    lines. So a record of one empty field must be written `""`.
 *  - Every field must be valid UTF-8 without NUL bytes (utf8_valid()), so
 *    each field is a proper C string: strlen(f.s) == f.len.
 * Records may have different numbers of fields; the caller checks them
 * against its header.
 *
 * Positions: lines are physical lines of the input, 1-based, counted by LF
 * (the BOM does not change them). The record number is 1-based over the
 * records returned (the header, if any, is record 1). Fields are numbered
 * 1-based in messages and called the column there.
 *
 * Errors from csv_next() are KN_EINPUT with a message
 * "NAME:LINE:FIELD: reason", where NAME is the name given at open, e.g.
 *   visits.csv:41:3: quote inside an unquoted field
 * The reasons, and which LINE each one names:
 *   "unterminated quoted field"                 line of the opening quote
 *   "quote inside an unquoted field"            line of that quote
 *   "characters after a closing quote"          line of that character
 *   "invalid UTF-8 (byte 0xNN; ...)", "NUL byte (...)"
 *                                               line of the bad byte
 *   "field longer than N bytes",
 *   "quoted field longer than N bytes (...)"    line where the field starts
 *   "more than N fields"                        line where field N+1 starts
 *   "record longer than N bytes"                line where the record starts
 *   "carriage return not followed by a line feed"  line of the CR
 * Field N+1 of a record with too many fields is named as FIELD. A failed
 * read(2) is KN_EIO, "NAME:LINE: read failed: <strerror>"; an allocation
 * that fails is KN_ENOMEM. Each error is found at the same byte whatever
 * the chunk size, so the same input always gives the same message.
 *
 * After an error the reader stays failed: every later csv_next() returns
 * the same code and message. After the end of input it keeps returning 0.
 *
 * Limits bound memory: a field of more than max_field bytes (after
 * unescaping), a record of more than max_fields fields or of more than
 * max_record raw bytes is an error, found as soon as the limit is passed,
 * so an unterminated quote near the start of a large file fails after
 * max_field bytes rather than reading the whole file.
 *
 * A reader is used by one thread at a time; separate readers share nothing.
 */
#ifndef KNOD_BASE_CSV_H
#define KNOD_BASE_CSV_H

#include <stddef.h>

#include "base/error.h"

#define CSV_CHUNK_DEFAULT      ((size_t)1 << 20)  /* read size, 1 MiB */
#define CSV_MAX_FIELD_DEFAULT  ((size_t)1 << 20)  /* 1 MiB per field */
#define CSV_MAX_FIELDS_DEFAULT ((size_t)1024)     /* fields per record */
#define CSV_MAX_RECORD_DEFAULT ((size_t)64 << 20) /* 64 MiB per record */

/* Options; zero means the default, so `struct csv_options o = { 0 }` or a
 * NULL pointer gives the defaults. */
struct csv_options {
    char delim;        /* field delimiter; ',' when 0. Must be ASCII and not
                          '"', CR or LF */
    size_t chunk;      /* bytes read at a time, and the first buffer size;
                          tests use tiny values to cross chunk boundaries */
    size_t max_field;  /* bytes in one field, after unescaping */
    size_t max_fields; /* fields in one record */
    size_t max_record; /* raw bytes in one record, quotes and delimiters
                          included, the line end not */
};

/* One field of a record: s[0..len-1] plus a NUL at s[len]. */
struct csv_field {
    const char *s; /* unescaped bytes, NUL-terminated, valid UTF-8 */
    size_t len;
    size_t line; /* physical line where the field starts */
};

/* A record returned by csv_next(). The pointers in it (f and every f[i].s)
 * point into the reader and stay valid until the next csv_next() or
 * csv_free() on that reader; copy what must outlive that. */
struct csv_record {
    const struct csv_field *f; /* f[0..n-1] */
    size_t n;                  /* number of fields, >= 1 */
    size_t line;               /* physical line where the record starts */
    size_t recno;              /* 1-based number of this record */
};

struct csv_reader; /* opaque */

/* Open a reader on fd, which must stay open until csv_free(); the reader
 * reads it from its current offset to end of file and never closes it. A
 * pipe works. name (copied) is used in messages, e.g. the file name.
 * opt may be NULL. Returns 0 and sets *out, or KN_EINPUT for invalid
 * options, KN_ENOMEM; *out is then NULL. */
int csv_open_fd(struct csv_reader **out, int fd, const char *name,
                const struct csv_options *opt, struct kn_error *err);

/* Open a reader on the len bytes at data, which must stay unchanged until
 * csv_free() (they are copied a chunk at a time, never written). Otherwise
 * as csv_open_fd(). */
int csv_open_mem(struct csv_reader **out, const char *data, size_t len, const char *name,
                 const struct csv_options *opt, struct kn_error *err);

/* Read the next record into *rec. Returns 1 with a record, 0 at the end of
 * the input (*rec then untouched), or a negative KN_E* code with err
 * filled (see the top of this file). */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct kn_error *err);

/* Close the reader (not its fd) and free everything; NULL is a no-op. */
void csv_free(struct csv_reader *r);

/* The index of the first field of hdr equal to name (byte for byte, case
 * matters), or -1 if none is. */
int csv_find(const struct csv_record *hdr, const char *name);

#endif /* KNOD_BASE_CSV_H */
