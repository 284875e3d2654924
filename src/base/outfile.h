/* src/base/outfile.h: the one way knod writes a file that a user named.
 *
 * Exports, reject files, indicator outputs and backups all go through
 * here, so that one rule holds for every file knod writes:
 *
 *  - The target must be missing or a regular file. A folder, a symbolic
 *    link, a device (/dev/null, /dev/full), a FIFO or a socket is refused
 *    (KN_EINPUT): knod never writes through a link or into a device, and
 *    never replaces one with a file.
 *  - An existing regular file is refused (KN_EEXIST) unless the caller
 *    passes OUTFILE_REPLACE (a command's --force).
 *  - With OUTFILE_STDOUT the name "-" means standard output: the bytes go
 *    to fd 1 as they are written, and commit and abort do nothing more.
 *
 * The bytes go to a new temporary file ".BASE.XXXXXX" beside the target
 * (mkstemp: O_EXCL, mode 0600, never through a link), which
 * outfile_commit() syncs and publishes with link() (which fails if the
 * target appeared meanwhile: no race with another writer) or, with
 * OUTFILE_REPLACE, rename(). Until then the target is untouched, and
 * outfile_abort() removes the temporary file.
 *
 * A process killed by SIGINT, SIGTERM or SIGHUP would leave the temporary
 * file behind; every open temporary file is therefore listed in a small
 * process-wide table that outfile_unlink_temps() empties with unlink()
 * only, so the command-line's signal handler can call it (it is
 * async-signal-safe). A SIGKILL still leaves the hidden file; it is mode
 * 0600 and never blocks the next run.
 *
 * Life cycle: struct outfile o = OUTFILE_INIT; outfile_open(); write with
 * outfile_write() or the stream of outfile_stream(), or let a library
 * write the path outfile_temp(); then outfile_commit() or outfile_abort().
 * Both release everything; abort accepts an unopened or finished outfile.
 * Open and commit run on one thread (the table is not locked).
 */
#ifndef KNOD_BASE_OUTFILE_H
#define KNOD_BASE_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "base/strbuf.h"

enum outfile_flags {
    OUTFILE_REPLACE = 1 << 0, /* an existing regular file may be replaced */
    OUTFILE_STDOUT = 1 << 1,  /* "-" is standard output */
};

/* How many temporary files may be open at once in one process. */
#define OUTFILE_MAX_OPEN 8

struct outfile {
    int fd;         /* the temporary file (or 1 for standard output), -1 when closed */
    FILE *f;        /* outfile_stream()'s stream over fd, or NULL */
    unsigned flags;
    bool to_stdout;
    int slot;       /* index in the signal table, -1 if none */
    struct strbuf path; /* the target */
    struct strbuf tmp;  /* the temporary file */
    struct strbuf dir;  /* the target's folder ("." when none) */
};

#define OUTFILE_INIT { -1, NULL, 0, false, -1, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT }

/* Check the rule for path without touching anything: 0 if it may be
 * written (missing, or a regular file and OUTFILE_REPLACE; "-" with
 * OUTFILE_STDOUT), KN_EEXIST if it is a regular file and replacing is not
 * allowed, KN_EINPUT if it is anything else or names a folder ("dir/"),
 * KN_EIO if it cannot be looked at. err names the path. */
int outfile_check(const char *path, unsigned flags, struct kn_error *err);

/* Check path (outfile_check) and create the temporary file beside it.
 * 0, or the codes of outfile_check, or KN_EIO (the folder is missing or
 * not writable), KN_ENOMEM; o is then released. */
int outfile_open(struct outfile *o, const char *path, unsigned flags, struct kn_error *err);

/* The temporary file's path (for a library that writes by name, which then
 * must not change its mode), and the target's folder. NULL on stdout. */
const char *outfile_temp(const struct outfile *o);
const char *outfile_dir(const struct outfile *o);
bool outfile_is_stdout(const struct outfile *o);

/* Write n bytes at p (retrying short writes). 0 or KN_EIO. */
int outfile_write(struct outfile *o, const void *p, size_t n, struct kn_error *err);

/* A stdio stream over the file, made on first call (NULL: no memory).
 * Owned by o: do not fclose it. */
FILE *outfile_stream(struct outfile *o);

/* Empty the file and start again at its beginning (a second pass over
 * the same input). 0 or KN_EIO; not on standard output (KN_EIO). */
int outfile_rewind(struct outfile *o, struct kn_error *err);

/* Flush and sync the file, close it and move it to the target (see the
 * top). 0, or KN_EIO / KN_EEXIST / KN_EINPUT (the target appeared, or
 * changed into something else, meanwhile) with the temporary file
 * removed. o is released either way. */
int outfile_commit(struct outfile *o, struct kn_error *err);

/* Close and remove the temporary file; the target stays as it was. */
void outfile_abort(struct outfile *o);

/* Remove every temporary file still open in this process. Only unlink():
 * safe in a signal handler. */
void outfile_unlink_temps(void);

#endif /* KNOD_BASE_OUTFILE_H */
