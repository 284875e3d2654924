/* src/base/error.h: error codes and the caller-owned error message.
 *
 * A function that can fail returns int: 0 on success or a negative KN_E*
 * code. It explains the failure in a struct kn_error supplied by the
 * caller, a bounded buffer, so the error path never allocates. The message
 * is written for the user: say what is wrong first, name the field in
 * single quotes, and never echo secret input (a personnummer, a key).
 *
 * Callers add context on the way up with kn_error_prefix() ("visits.csv:41:
 * "), so the user sees file, line and field. Only the edges (src/cli,
 * src/web) print or log an error; layers below only fill it.
 *
 * Every function here accepts err == NULL and then only returns the code.
 */
#ifndef KNOD_BASE_ERROR_H
#define KNOD_BASE_ERROR_H

#include <stdarg.h>

enum kn_code {
    KN_OK = 0,
    KN_EINPUT = -1,    /* invalid input: file, form, URL, config, argument */
    KN_ENOMEM = -2,    /* out of memory or a size limit overflowed */
    KN_EIO = -3,       /* reading or writing a file failed */
    KN_ESTORE = -4,    /* the store failed (SQL error, busy, corrupt) */
    KN_ENOTFOUND = -5, /* a thing that was asked for does not exist */
    KN_EEXIST = -6,    /* a thing that must not exist yet does */
    KN_EPERM = -7,     /* permissions are wrong (e.g. a readable key file) */
    KN_EVERSION = -8,  /* a store or file is newer than this program */
};

#define KN_ERROR_MAX 512

struct kn_error {
    int code;               /* the last code set, 0 when clear */
    char msg[KN_ERROR_MAX]; /* NUL-terminated, truncated if longer */
};

#define KN_ERROR_INIT { 0, { 0 } }

/* The cheap start for an error in a hot loop: KN_ERROR_INIT zeroes all
 * 512 bytes, which per field of ten million rows costs more than the
 * parsing; this sets the code and an empty message only. */
static inline void kn_error_init(struct kn_error *err)
{
    err->code = 0;
    err->msg[0] = '\0';
}

/* Set err to code and the printf-style message; returns code so that a
 * failure is one `return kn_fail(err, KN_EINPUT, "...", ...);`. */
int kn_fail(struct kn_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int kn_vfail(struct kn_error *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Put the printf-style text in front of the current message (context on
 * the way up). Returns err->code. */
int kn_error_prefix(struct kn_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clear err to code 0 and an empty message. */
void kn_error_clear(struct kn_error *err);

/* A short English name for a code ("invalid input", "out of memory"). */
const char *kn_code_name(int code);

#endif /* KNOD_BASE_ERROR_H */
