/* src/web/care/web_upload_stream.c: a multipart upload streamed to a
 * temporary file (web_upload_stream.h). The multipart syntax is
 * libmicrohttpd's post processor; this file only routes its pieces. */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "domain/pnr_shape.h"
#include "web/care/web_upload_stream.h"

struct web_upload_stream {
    struct MHD_PostProcessor *pp;
    int fd;            /* the temporary file, -1 before the file part */
    char dir[PATH_MAX];
    uint64_t max;
    int status;        /* 0, 400 or 413 */
    struct web_upload_in in;
};

/* POST /trainings/{id}/participants (web_net_edit_participants.c), a
 * training's participants file. (POST /surveys/new/file, a questionnaire,
 * web_survey_new.c, is streamed too.) */
static bool participants_url(const char *url)
{
    static const char pre[] = "/trainings/", post[] = "/participants";
    if (strncmp(url, pre, sizeof pre - 1) != 0)
        return false;
    const char *p = url + sizeof pre - 1;
    size_t digits = strspn(p, "0123456789");
    return digits > 0 && strcmp(p + digits, post) == 0;
}

bool web_upload_stream_wanted(const char *method, const char *url, const char *content_type)
{
    static const char mp[] = "multipart/form-data";
    return strcmp(method, "POST") == 0 &&
           (strcmp(url, "/upload") == 0 || participants_url(url) ||
            strcmp(url, "/surveys/new/file") == 0) && content_type &&
           strncasecmp(content_type, mp, sizeof mp - 1) == 0;
}

/* The file's name as it may be shown and stored: its base name (a browser
 * may send a whole path), printable, a personnummer in it masked. */
static void keep_name(struct web_upload_in *in, const char *filename)
{
    const char *b = filename;
    for (const char *p = filename; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    snprintf(in->name, sizeof in->name, "%s", *b ? b : "upload");
    for (char *p = in->name; *p; p++)
        if ((unsigned char)*p < 32 || *p == 127 || *p == '"')
            *p = '_';
    pnr_mask(in->name, strlen(in->name));
}

static int open_temp(struct web_upload_stream *s)
{
    if (snprintf(s->in.path, sizeof s->in.path, "%s/.knod-upload-XXXXXX",
                 s->dir[0] ? s->dir : ".") >= (int)sizeof s->in.path)
        return -1;
    s->fd = mkstemp(s->in.path); /* O_EXCL, mode 0600 */
    if (s->fd < 0) {
        s->in.path[0] = '\0';
        return -1;
    }
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    struct web_upload_stream *s = cls;
    if (s->status)
        return MHD_YES; /* too large: the rest is ignored */
    if (filename != NULL) {
        if (s->in.has_file && off == 0)
            return MHD_YES; /* one file per upload: a second is ignored */
        if (!s->in.has_file) {
            s->in.has_file = true;
            keep_name(&s->in, filename);
            if (open_temp(s) != 0) {
                s->status = 500;
                return MHD_NO;
            }
        }
        if (s->in.bytes + size > s->max) {
            s->status = 413;
            return MHD_YES;
        }
        if (size > 0 && write_all(s->fd, data, size) != 0) {
            s->status = 500;
            return MHD_NO;
        }
        s->in.bytes += size;
        return MHD_YES;
    }
    /* a small field, perhaps in pieces */
    size_t i = 0;
    while (i < s->in.nfields && strcmp(s->in.fields[i].name, key) != 0)
        i++;
    if (i == s->in.nfields) {
        if (i == WEB_UPLOAD_FIELDS || strlen(key) >= sizeof s->in.fields[i].name) {
            s->status = 400;
            return MHD_NO;
        }
        snprintf(s->in.fields[i].name, sizeof s->in.fields[i].name, "%s", key);
        s->in.nfields++;
    }
    size_t have = strlen(s->in.fields[i].value);
    if (off != have || have + size >= WEB_UPLOAD_FIELD_MAX || memchr(data, '\0', size)) {
        s->status = 400;
        return MHD_NO;
    }
    memcpy(s->in.fields[i].value + have, data, size);
    s->in.fields[i].value[have + size] = '\0';
    return MHD_YES;
}

int web_upload_stream_new(struct web_upload_stream **out, struct MHD_Connection *c,
                          const char *dir, uint64_t max, struct kn_error *err)
{
    struct web_upload_stream *s = calloc(1, sizeof *s);
    if (!s)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    s->fd = -1;
    s->max = max;
    snprintf(s->dir, sizeof s->dir, "%s", dir ? dir : ".");
    *out = s;
    s->pp = MHD_create_post_processor(c, 64 * 1024, on_part, s);
    if (!s->pp) {
        s->status = 400;
        return kn_fail(err, KN_EINPUT, "not a multipart/form-data body with a boundary");
    }
    return 0;
}

int web_upload_stream_feed(struct web_upload_stream *s, const char *data, size_t len)
{
    if (s->status)
        return s->status == 413 ? 413 : 400;
    if (MHD_post_process(s->pp, data, len) != MHD_YES && !s->status)
        s->status = 400;
    return s->status == 413 ? 413 : s->status ? 400 : 0;
}

void web_upload_stream_end(struct web_upload_stream *s, struct web_upload_in *in)
{
    if (s->pp) {
        if (MHD_destroy_post_processor(s->pp) != MHD_YES && !s->status)
            s->status = 400; /* cut short: no closing boundary */
        s->pp = NULL;
    }
    if (s->fd >= 0 && fsync(s->fd) != 0 && !s->status)
        s->status = 500;
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    s->in.status = s->status;
    *in = s->in;
    in->taken = false;
}

void web_upload_stream_free(struct web_upload_stream *s, const struct web_upload_in *in)
{
    if (!s)
        return;
    if (s->pp)
        MHD_destroy_post_processor(s->pp);
    if (s->fd >= 0)
        close(s->fd);
    if (s->in.path[0] && !(in && in->taken))
        unlink(s->in.path);
    free(s);
}
