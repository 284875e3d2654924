/* src/hub/hub_doc_links.c: a document's links to indicators and pathway
 * steps checked against the catalogue and the pathways (hub_doc.h). */
#include "hub/hub_doc.h"

#include <string.h>

#include "base/text.h"
#include "hub/hub_pathway.h"
#include "lang/ind.h"

static bool step_known(const struct hub_pathways *ps, const char *code, size_t len)
{
    for (size_t i = 0; i < ps->n; i++)
        for (size_t j = 0; j < ps->p[i].nsteps; j++) {
            const char *c = ps->p[i].steps[j].code;
            if (strlen(c) == len && strncmp(c, code, len) == 0)
                return true;
        }
    return false;
}

/* Each item of the normalised list (at line) known to the catalogue (kind
 * 0) or to the pathways (kind 1). */
static int check_list(const char *list, int kind, const char *name, int line,
                      const struct ind_catalogue *cat, const struct hub_pathways *ps,
                      struct kn_error *err)
{
    const char *p;
    size_t len;
    char id[128];
    for (const char *at = list; text_list_next(&at, &p, &len);) {
        bool known = false;
        if (len < sizeof id) {
            memcpy(id, p, len);
            id[len] = '\0';
            known = kind == 0 ? ind_find(cat, id) != NULL : step_known(ps, p, len);
        }
        if (!known)
            return kn_fail(err, KN_EINPUT,
                           kind == 0 ? "%s:%d: 'indicators': unknown indicator '%.*s' "
                                       "(knod indicators lists them)"
                                     : "%s:%d: 'steps': unknown step code '%.*s' (knod "
                                       "pathways show CODE lists them)",
                           name, line, (int)(len > 60 ? 60 : len), p);
    }
    return 0;
}

int hub_doc_check_links(const struct hub_doc *d, const char *name,
                        const struct ind_catalogue *cat, const struct hub_pathways *ps,
                        struct kn_error *err)
{
    if (d->indicators && check_list(d->indicators, 0, name, d->indicators_line, cat, ps,
                                    err) != 0)
        return err->code;
    if (d->steps && check_list(d->steps, 1, name, d->steps_line, cat, ps, err) != 0)
        return err->code;
    return 0;
}
