/* src/web/care/web_upload_detect.c: an upload's format and kind
 * (web_upload_detect.h). */
#include <string.h>

#include "web/care/web_upload_detect.h"

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

/* The kind whose name the file's name begins with, followed by '.', '-',
 * '_' or its end; the longest such name ("self_harm" before a shorter
 * one). */
static const struct reg_kind *kind_of_name(const char *name)
{
    const struct reg_kind *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const char *k = reg_kind_name(reg_kind_at(i));
        size_t n = strlen(k);
        if (strncmp(name, k, n) == 0 && strchr(".-_", name[n]) && n > best_len) {
            best = reg_kind_at(i);
            best_len = n;
        }
    }
    return best;
}

int web_upload_detect(const char *choice, const char *name, const char *head, size_t len,
                      bool *fhir, const struct reg_kind **kind, struct kn_error *err)
{
    *fhir = false;
    *kind = NULL;
    if (choice && *choice && strcmp(choice, "auto") != 0) {
        if (strcmp(choice, "fhir") == 0) {
            *fhir = true;
            return 0;
        }
        *kind = reg_kind_find(choice);
        return *kind ? 0 : kn_fail(err, KN_EINPUT, "unknown kind");
    }
    if (!name)
        name = "";
    if (ends_with(name, ".json") || ends_with(name, ".ndjson") || ends_with(name, ".jsonl")) {
        *fhir = true;
        return 0;
    }
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && strchr(" \t\r\n", head[i]) && head[i])
        i++;
    if (i < len && head[i] == '{') {
        *fhir = true;
        return 0;
    }
    *kind = kind_of_name(name);
    return *kind ? 0 : kn_fail(err, KN_EINPUT, "the file's name tells no kind");
}
