/* src/web/care/web_upload_stream.h: a file posted to /upload, streamed to
 * a private temporary file while it arrives.
 *
 * The portal's other forms are small and read whole into memory
 * (web_server.c, [web] max_request_bytes). An upload is a
 * multipart/form-data body of up to [web] upload_max_mb, parsed by
 * libmicrohttpd's post processor as it arrives: the file part goes to a
 * new file made by mkstemp (mode 0600) in the store's directory, the small
 * fields (csrf, kind) into memory for the dispatcher's CSRF check and the
 * handler. Nothing is decided here about who may upload: the request is
 * dispatched as any other once the body is in (web_dispatch.c), and the
 * handler either takes the file over (web_upload_in.taken) or leaves it to
 * be removed with the stream.
 *
 * Life cycle (web_server.c): web_upload_stream_new() at the request's
 * first call, _feed() for each piece of the body, _end() when it is
 * complete (fills a struct web_upload_in), _free() when the request is
 * done, which removes the temporary file unless it was taken.
 */
#ifndef KNOD_WEB_CARE_WEB_UPLOAD_STREAM_H
#define KNOD_WEB_CARE_WEB_UPLOAD_STREAM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct MHD_Connection;
struct web_upload_stream;

#define WEB_UPLOAD_FIELDS 4   /* small fields besides the file */
#define WEB_UPLOAD_FIELD_MAX 256

/* What the handler of POST /upload receives (web_req.upload). */
struct web_upload_in {
    int status;        /* 0, or 400 (a malformed or truncated body), 413 (too
                        * large), 500 (the temporary file failed) */
    bool has_file;     /* a part with a file name came */
    char path[PATH_MAX]; /* the temporary file ("" if none) */
    char name[256];    /* the file's name as sent (its base name, a personnummer
                        * masked, control characters replaced) */
    uint64_t bytes;    /* the file's size */
    bool taken;        /* the handler moved the file on: not removed */
    struct {
        char name[32];
        char value[WEB_UPLOAD_FIELD_MAX];
    } fields[WEB_UPLOAD_FIELDS];
    size_t nfields;
};

/* Is this request an upload to stream: POST /upload (or a training's
 * participants file, POST /trainings/{id}/participants, or a questionnaire,
 * POST /surveys/new/file) with a
 * multipart/form-data Content-Type? */
bool web_upload_stream_wanted(const char *method, const char *url, const char *content_type);

/* Start streaming the body of connection c (its Content-Type must be
 * multipart/form-data with a boundary) into a temporary file in dir, at
 * most max bytes of file. 0; KN_EINPUT for a Content-Type the parser
 * refuses (then _end() reports 400); KN_EIO if no file can be made. */
int web_upload_stream_new(struct web_upload_stream **out, struct MHD_Connection *c,
                          const char *dir, uint64_t max, struct kn_error *err);

/* A piece of the body. 0; 413 once the file is beyond max (what follows
 * is ignored); 400 for a body that is not valid multipart. */
int web_upload_stream_feed(struct web_upload_stream *s, const char *data, size_t len);

/* The body is complete: flush, and describe it in *in (which the caller
 * owns; the temporary file stays until _free() unless in->taken is set by
 * then). in->status says 400 for a body cut short (no closing boundary). */
void web_upload_stream_end(struct web_upload_stream *s, struct web_upload_in *in);

/* Close and remove the temporary file unless in (may be NULL) says it was
 * taken; free s (NULL is fine). */
void web_upload_stream_free(struct web_upload_stream *s, const struct web_upload_in *in);

#endif /* KNOD_WEB_CARE_WEB_UPLOAD_STREAM_H */
