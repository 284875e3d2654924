/* src/cli/cli_audit.c: the audit key for commands that write the audit
 * log (cli.h). */
#include "access/access_audit.h"
#include "cli/cli.h"
#include "domain/pseudo.h"

int cli_audit_key(const struct config *cfg, struct audit_key *out)
{
    struct pseudo_key pk;
    struct kn_error err = KN_ERROR_INIT;
    if (pseudo_key_load(cfg->key_path, &pk, &err) != 0)
        return cli_fail(&err);
    access_audit_key(&pk, out);
    pseudo_key_wipe(&pk);
    return 0;
}
