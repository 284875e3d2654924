/* src/hub/hub_lint_dir.c: the safe-messaging rules a knod directory uses
 * (hub_lint.h): its own safe-messaging.csv if it has one, else the shipped
 * rules. One place for `knod docs` and the portal's forms. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/strbuf.h"
#include "hub/hub_lint.h"

#define RULES_FILE      "safe-messaging.csv"
#define RULES_MAX_BYTES (1024 * 1024)

int hub_lint_rules_dir(const char *dir, struct hub_lint_rules *out, struct arena *a,
                       struct kn_error *err)
{
    char *path = arena_printf(a, "%s/%s", dir, RULES_FILE);
    struct stat sb;
    if (!path)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (stat(path, &sb) != 0)
        return hub_lint_rules_shipped(out, a, err);
    FILE *f = fopen(path, "rb");
    if (!f || !S_ISREG(sb.st_mode)) {
        int e = errno;
        if (f)
            fclose(f);
        return kn_fail(err, KN_EINPUT, "cannot read '%s': %s", RULES_FILE,
                       f ? "not a regular file" : strerror(e));
    }
    struct strbuf text = STRBUF_INIT;
    char buf[65536];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (text.len + got > RULES_MAX_BYTES)
            rc = kn_fail(err, KN_EINPUT, "'%s' is longer than %d bytes", RULES_FILE,
                         RULES_MAX_BYTES);
        else if (sb_add(&text, buf, got) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (rc == 0 && ferror(f))
        rc = kn_fail(err, KN_EIO, "cannot read '%s'", RULES_FILE);
    fclose(f);
    if (rc == 0)
        rc = hub_lint_rules_parse(text.buf ? text.buf : "", text.len, RULES_FILE, out, a,
                                  err);
    sb_release(&text);
    return rc;
}
