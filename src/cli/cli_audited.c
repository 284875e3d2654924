/* src/cli/cli_audited.c: a change and its audit entry in one transaction,
 * for the network's update commands (cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/access_audit.h"
#include "cli/cli.h"

const char *cli_by(const char *by)
{
    if (by && *by)
        return by;
    const char *u = getenv("USER");
    return u && *u ? u : "knod";
}

int cli_audited(struct store *st, const struct config *cfg, const char *by,
                const char *action, const char *subject, const char *detail,
                int (*fn)(struct store *, void *, struct kn_error *), void *arg)
{
    struct audit_key key;
    struct kn_error err = KN_ERROR_INIT;
    int rc = cli_audit_key(cfg, &key);
    if (rc)
        return rc;
    rc = store_begin(st, &err);
    if (rc == 0)
        rc = fn(st, arg, &err);
    if (rc == 0)
        rc = access_audit_add(st, &key, time_now(), cli_by(by), action, subject, "",
                              detail ? detail : "", &err);
    if (rc == 0)
        rc = store_commit(st, &err);
    else
        store_rollback(st);
    return rc ? cli_fail(&err) : EXIT_OK;
}

void cli_given(const char *const *names, const char *const *vals, size_t n, char *buf,
               size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++)
        if (vals[i]) {
            int w = snprintf(buf + len, cap - len, "%s--%s", len ? ", " : "", names[i]);
            if (w < 0)
                break;
            len += (size_t)w;
        }
}
