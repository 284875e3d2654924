/* src/web/care/web_upload_detect.h: what an uploaded file is, as `knod
 * import` would take it.
 *
 * The upload form offers the kinds and "from the file" (the default).
 * From the file means, as the command decides: a name ending in .json,
 * .ndjson or .jsonl is FHIR R4 (a Bundle or NDJSON); otherwise a file
 * whose first character (after a byte order mark and white space) is '{'
 * is FHIR too (a browser may send any name); otherwise it is CSV of the
 * kind its name begins with ("contacts.csv", "contacts-2025.csv" are
 * contacts), as the command's file names. Pure: no file is read here (the
 * caller passes the first bytes). A fuzz target (tests/fuzz).
 */
#ifndef KNOD_WEB_CARE_WEB_UPLOAD_DETECT_H
#define KNOD_WEB_CARE_WEB_UPLOAD_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "registry/reg_import.h"

/* choice: the form's "kind" (NULL, "" or "auto": from the file; "fhir";
 * or a kind's name); name: the file's name; head/len: its first bytes.
 * 0 with *fhir, and *kind for CSV; KN_EINPUT when choice names no kind or
 * the file's name tells none (the message says so). */
int web_upload_detect(const char *choice, const char *name, const char *head, size_t len,
                      bool *fhir, const struct reg_kind **kind, struct kn_error *err);

#endif /* KNOD_WEB_CARE_WEB_UPLOAD_DETECT_H */
