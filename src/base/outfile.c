/* src/base/outfile.c: a file knod writes, made beside its target under a
 * temporary name and published whole. See outfile.h for the rule.
 *
 * The signal table is a fixed array of paths with a live flag each: the
 * path is copied before the flag is set (with a signal fence between), so
 * a handler that sees the flag sees the whole path. Expected use: one or
 * two files open at a time (an export; a reject file beside an import).
 */
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char temp_paths[OUTFILE_MAX_OPEN][PATH_MAX];
static volatile sig_atomic_t temp_live[OUTFILE_MAX_OPEN];

static int table_add(const char *path)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < OUTFILE_MAX_OPEN; i++) {
        if (temp_live[i])
            continue;
        memcpy(temp_paths[i], path, n + 1);
        atomic_signal_fence(memory_order_seq_cst);
        temp_live[i] = 1;
        return i;
    }
    return -1; /* not listed: only a signal would leave it behind */
}

static void table_drop(int slot)
{
    if (slot >= 0)
        temp_live[slot] = 0;
}

void outfile_unlink_temps(void)
{
    for (int i = 0; i < OUTFILE_MAX_OPEN; i++) {
        if (temp_live[i]) {
            unlink(temp_paths[i]);
            temp_live[i] = 0;
        }
    }
}

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISLNK(m))
        return "a symbolic link";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

int outfile_check(const char *path, unsigned flags, struct kn_error *err)
{
    if ((flags & OUTFILE_STDOUT) && strcmp(path, "-") == 0)
        return 0;
    size_t n = strlen(path);
    if (n == 0)
        return kn_fail(err, KN_EINPUT, "an empty file name");
    if (path[n - 1] == '/')
        return kn_fail(err, KN_EINPUT, "'%s' is a folder, not a file name", path);
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return 0; /* a missing folder shows when the file is made */
        return kn_fail(err, KN_EIO, "cannot look at '%s': %s", path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return kn_fail(err, KN_EINPUT, "'%s' is %s; knod writes only regular files", path,
                       kind_of(sb.st_mode));
    if (!(flags & OUTFILE_REPLACE))
        return kn_fail(err, KN_EEXIST, "'%s' already exists", path);
    return 0;
}

static void release(struct outfile *o)
{
    if (o->f != NULL)
        fclose(o->f); /* closes fd too */
    else if (o->fd >= 0 && !o->to_stdout)
        close(o->fd);
    o->f = NULL;
    o->fd = -1;
    table_drop(o->slot);
    o->slot = -1;
    sb_release(&o->path);
    sb_release(&o->tmp);
    sb_release(&o->dir);
}

int outfile_open(struct outfile *o, const char *path, unsigned flags, struct kn_error *err)
{
    *o = (struct outfile)OUTFILE_INIT;
    o->flags = flags;
    int rc = outfile_check(path, flags, err);
    if (rc != 0)
        return rc;
    if ((flags & OUTFILE_STDOUT) && strcmp(path, "-") == 0) {
        o->to_stdout = true;
        o->fd = STDOUT_FILENO;
        return sb_addstr(&o->path, "standard output") == 0
                   ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    }
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    rc = sb_addstr(&o->path, path);
    if (rc == 0)
        rc = slash == NULL ? sb_addstr(&o->dir, ".")
             : slash == path ? sb_addstr(&o->dir, "/")
                             : sb_add(&o->dir, path, (size_t)(slash - path));
    if (rc == 0)
        rc = sb_add(&o->tmp, path, (size_t)(base - path));
    if (rc == 0)
        rc = sb_addf(&o->tmp, ".%s.XXXXXX", base);
    if (rc != 0) {
        release(o);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    /* mkstemp: O_CREAT|O_EXCL (never through a link), mode 0600. Listed
     * in the table at once, so that a signal from here on removes it. */
    o->fd = mkostemp(o->tmp.buf, O_CLOEXEC);
    if (o->fd < 0) {
        rc = kn_fail(err, KN_EIO, "cannot create a file in '%s': %s", o->dir.buf,
                     strerror(errno));
        release(o);
        return rc;
    }
    o->slot = table_add(o->tmp.buf);
    return 0;
}

const char *outfile_temp(const struct outfile *o)
{
    return o->to_stdout ? NULL : o->tmp.buf;
}

const char *outfile_dir(const struct outfile *o)
{
    return o->to_stdout ? NULL : o->dir.buf;
}

bool outfile_is_stdout(const struct outfile *o)
{
    return o->to_stdout;
}

int outfile_write(struct outfile *o, const void *p, size_t n, struct kn_error *err)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(o->fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return kn_fail(err, KN_EIO, "cannot write '%s': %s",
                           o->to_stdout ? o->path.buf : o->tmp.buf, strerror(errno));
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

FILE *outfile_stream(struct outfile *o)
{
    if (o->f == NULL && o->fd >= 0)
        o->f = fdopen(o->to_stdout ? dup(o->fd) : o->fd, "w");
    return o->f;
}

int outfile_rewind(struct outfile *o, struct kn_error *err)
{
    if (o->to_stdout || o->fd < 0)
        return kn_fail(err, KN_EIO, "cannot start '%s' again", o->path.buf);
    if ((o->f != NULL && fflush(o->f) != 0) || ftruncate(o->fd, 0) != 0)
        return kn_fail(err, KN_EIO, "cannot empty '%s': %s", o->tmp.buf, strerror(errno));
    if (o->f != NULL)
        rewind(o->f);
    else if (lseek(o->fd, 0, SEEK_SET) != 0)
        return kn_fail(err, KN_EIO, "cannot empty '%s': %s", o->tmp.buf, strerror(errno));
    return 0;
}

/* Move the finished temporary file to the target: without REPLACE only if
 * the target does not exist yet (link fails with EEXIST), falling back to
 * a check and rename on file systems without hard links. */
static int publish(struct outfile *o, struct kn_error *err)
{
    const char *tmp = o->tmp.buf, *path = o->path.buf;
    if (!(o->flags & OUTFILE_REPLACE)) {
        if (link(tmp, path) == 0) {
            unlink(tmp);
            return 0;
        }
        if (errno == EEXIST)
            return kn_fail(err, KN_EEXIST, "'%s' already exists", path);
        if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS
            && errno != EMLINK)
            return kn_fail(err, KN_EIO, "cannot create '%s': %s", path, strerror(errno));
    }
    /* rename() replaces a link or device itself rather than writing
     * through it; the check only keeps the rule the user was told. */
    int rc = outfile_check(path, o->flags, err);
    if (rc != 0)
        return rc;
    if (rename(tmp, path) != 0)
        return kn_fail(err, KN_EIO, "cannot rename '%s' to '%s': %s", tmp, path,
                       strerror(errno));
    return 0;
}

int outfile_commit(struct outfile *o, struct kn_error *err)
{
    int rc = 0;
    if (o->f != NULL) {
        if (fflush(o->f) != 0)
            rc = kn_fail(err, KN_EIO, "cannot write '%s': %s",
                         o->to_stdout ? o->path.buf : o->tmp.buf, strerror(errno));
        if (o->to_stdout) {
            fclose(o->f); /* a dup of fd 1 */
            o->f = NULL;
        }
    }
    if (o->to_stdout) {
        o->fd = -1;
        release(o);
        return rc;
    }
    if (rc == 0 && fsync(o->fd) != 0)
        rc = kn_fail(err, KN_EIO, "cannot sync '%s': %s", o->tmp.buf, strerror(errno));
    if (o->f != NULL) {
        if (fclose(o->f) != 0 && rc == 0)
            rc = kn_fail(err, KN_EIO, "cannot write '%s': %s", o->tmp.buf, strerror(errno));
        o->f = NULL;
    } else if (close(o->fd) != 0 && rc == 0) {
        rc = kn_fail(err, KN_EIO, "cannot write '%s': %s", o->tmp.buf, strerror(errno));
    }
    o->fd = -1;
    if (rc == 0)
        rc = publish(o, err);
    if (rc != 0) {
        unlink(o->tmp.buf);
    } else {
        int dfd = open(o->dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) { /* the new name survives a crash too */
            fsync(dfd);
            close(dfd);
        }
    }
    release(o);
    return rc;
}

void outfile_abort(struct outfile *o)
{
    if (o->fd < 0 && o->f == NULL && o->slot < 0) {
        release(o);
        return;
    }
    bool remove = !o->to_stdout && o->tmp.len > 0;
    if (o->f != NULL && o->to_stdout) {
        fflush(o->f);
        fclose(o->f);
        o->f = NULL;
    }
    if (o->to_stdout)
        o->fd = -1;
    if (remove)
        unlink(o->tmp.buf);
    release(o);
}
