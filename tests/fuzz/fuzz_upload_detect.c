/* tests/fuzz/fuzz_upload_detect.c: fuzz target for
 * src/web/care/web_upload_detect.c, an upload's format and kind.
 *
 * The input is split at its first two newlines into the form's choice,
 * the file's name and the file's first bytes. For any of them:
 *  - the answer is 0 or KN_EINPUT, and the same when asked again;
 *  - 0 gives FHIR or a kind, never both, never neither;
 *  - a choice of "fhir" gives FHIR, of a kind's name that kind, of anything
 *    else but "auto" or "" KN_EINPUT;
 *  - from the file: a name ending in .json, .ndjson or .jsonl is FHIR; a
 *    CSV kind is one whose name begins the file's name, followed by '.',
 *    '-', '_' or the end; KN_EINPUT only when no kind's name does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "web/care/web_upload_detect.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_upload_detect: %s:%d: check failed: %s\n",         \
                    __FILE__, __LINE__, #x);                                         \
            abort();                                                                 \
        }                                                                            \
    } while (0)

static bool ends_with(const char *s, const char *t)
{
    size_t n = strlen(s), m = strlen(t);
    return n > m && strcmp(s + n - m, t) == 0;
}

/* Does the name of some kind (only, if not NULL) begin name, followed by
 * '.', '-', '_' or its end? */
static bool begins_kind(const char *name, const struct reg_kind *only)
{
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        size_t n = strlen(reg_kind_name(k));
        if ((only == NULL || only == k) && strncmp(name, reg_kind_name(k), n) == 0 &&
            (name[n] == '\0' || name[n] == '.' || name[n] == '-' || name[n] == '_'))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char empty[1] = "";
    char *choice = buf, *name = empty, *head = buf + size;
    char *nl = memchr(buf, '\n', size);
    if (nl) {
        *nl = '\0';
        name = nl + 1;
        char *nl2 = memchr(name, '\n', (size_t)(buf + size - name));
        if (nl2) {
            *nl2 = '\0';
            head = nl2 + 1;
        } else {
            head = buf + size;
        }
    }
    size_t hl = (size_t)(buf + size - head);
    bool fhir = false, fhir2 = false;
    const struct reg_kind *k = NULL, *k2 = NULL;
    struct kn_error err = KN_ERROR_INIT;
    int rc = web_upload_detect(choice, name, head, hl, &fhir, &k, &err);
    int rc2 = web_upload_detect(choice, name, head, hl, &fhir2, &k2, &err);
    CHECK(rc == 0 || rc == KN_EINPUT);
    CHECK(rc == rc2 && fhir == fhir2 && k == k2);
    if (rc == 0)
        CHECK(fhir != (k != NULL));
    bool automatic = choice[0] == '\0' || strcmp(choice, "auto") == 0;
    if (!automatic) {
        if (strcmp(choice, "fhir") == 0)
            CHECK(rc == 0 && fhir);
        else if (reg_kind_find(choice))
            CHECK(rc == 0 && k == reg_kind_find(choice));
        else
            CHECK(rc == KN_EINPUT);
    } else {
        if (ends_with(name, ".json") || ends_with(name, ".ndjson") || ends_with(name, ".jsonl"))
            CHECK(rc == 0 && fhir);
        if (rc == 0 && k)
            CHECK(begins_kind(name, k));
        if (rc == KN_EINPUT)
            CHECK(!begins_kind(name, NULL));
    }
    free(buf);
    return 0;
}
